#!/usr/bin/env bash
# One TCP flow each way between the stack and the Linux kernel over a TAP, for this checkout and for a baseline
# commit, in the same run: the stack's http-server sends SIZE MiB to curl (stack -> Linux), and Linux's nc sends
# SIZE MiB to `inet4j nc -l` (Linux -> stack), both checked by SHA-256 after the clock stops (files in /dev/shm, so
# neither hashing nor a disk shares the two cores with the transfer). ROUNDS rounds alternate the builds; the best
# round per build and direction is printed, in MB/s.
# A measurement, not a test: run it by hand, as root, on a quiet machine.
#
#   sudo benchmarks/tap-throughput.sh [BASE_REV (default 9abdcba, main before issue 9)] [SIZE_MIB (default 100)] [ROUNDS (default 3)]
#
# Uses the namespace tput<pid>, TAP i4jtput and 10.106.0.0/24; removes them at exit.
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
base_rev="${1:-9abdcba}"
size_mib="${2:-100}"
rounds="${3:-3}"
[ "$(id -u)" = 0 ] || { echo "tap-throughput: needs root (TAP device and network namespace)" >&2; exit 2; }
for c in curl nc ip sha256sum; do command -v "$c" >/dev/null || { echo "tap-throughput: needs $c" >&2; exit 2; }; done

ns="tput$$"; tap=i4jtput; stack=10.106.0.2; peer=10.106.0.1
work="$(mktemp -d -p /dev/shm)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  ip netns del "$ns" 2>/dev/null || true
  git -C "$here" worktree remove --force "$work/base" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
ip netns add "$ns"
head -c "$((size_mib << 20))" /dev/urandom > "$work/big.bin"
want="$(sha256sum < "$work/big.bin" | cut -d' ' -f1)"
mkdir "$work/site" && ln "$work/big.bin" "$work/site/big.bin"
links=(--tap "$tap" --addr "$stack/24" --peer-netns "$ns" --peer-addr "$peer/24")

git -C "$here" worktree add --detach "$work/base" "$base_rev" >/dev/null 2>&1
for b in "$work/base" "$here"; do "$b/inet4j" --version >/dev/null; done  # builds what is stale

mbps() { awk -v b="$1" -v s="$2" 'BEGIN { printf "%.1f", b / 1e6 / s }'; }
now() { date +%s.%N; }

# $1: checkout. Prints "<stack->linux MB/s> <linux->stack MB/s>".
measure() {
  local inet4j="$1/inet4j" t0 t1 got down up
  "$inet4j" http-server --port 80 --root "$work/site" "${links[@]}" >/dev/null 2>&1 & pids+=($!)
  local server=$!
  until ip netns exec "$ns" curl -s -o /dev/null --max-time 1 "http://$stack/" 2>/dev/null; do sleep 0.2; done
  t0=$(now)
  ip netns exec "$ns" curl -s -o "$work/down.bin" "http://$stack/big.bin"
  t1=$(now)
  got="$(sha256sum < "$work/down.bin" | cut -d' ' -f1)"
  [ "$got" = "$want" ] || { echo "tap-throughput: download from $1 corrupt" >&2; exit 1; }
  down=$(mbps "$((size_mib << 20))" "$(echo "$t1 - $t0" | bc)")
  kill "$server"; wait "$server" 2>/dev/null || true

  "$inet4j" nc -l 5000 "${links[@]}" > "$work/got.bin" 2>/dev/null & pids+=($!)
  local listener=$!
  # A probe connection would use up nc -l's one connection: wait for the link (ping), then retry a refused
  # connect, which sends nothing, until the listener is there.
  until ip netns exec "$ns" ping -c 1 -W 1 "$stack" >/dev/null 2>&1; do sleep 0.2; done
  t0=$(now)
  until ip netns exec "$ns" nc -N "$stack" 5000 < "$work/big.bin" 2>/dev/null; do sleep 0.1; t0=$(now); done
  wait "$listener"
  t1=$(now)
  [ "$(sha256sum < "$work/got.bin" | cut -d' ' -f1)" = "$want" ] || { echo "tap-throughput: upload to $1 corrupt" >&2; exit 1; }
  up=$(mbps "$((size_mib << 20))" "$(echo "$t1 - $t0" | bc)")
  echo "$down $up"
}

best() { awk -v a="$1" -v b="$2" 'BEGIN { print (a + 0 > b + 0) ? a : b }'; }
declare -A down up
for ((r = 1; r <= rounds; r++)); do
  for b in "$work/base" "$here"; do
    read -r d u < <(measure "$b")
    echo "round $r $b: $d $u MB/s" >&2
    down[$b]=$(best "${down[$b]:-0}" "$d"); up[$b]=$(best "${up[$b]:-0}" "$u")
  done
done
printf '%-28s %18s %18s\n' build "stack->linux MB/s" "linux->stack MB/s"
for b in "$work/base" "$here"; do
  label="$base_rev (baseline)"; [ "$b" = "$here" ] && label="$(git -C "$here" rev-parse --short HEAD) (this checkout)"
  printf '%-28s %18s %18s\n' "$label" "${down[$b]}" "${up[$b]}"
done
