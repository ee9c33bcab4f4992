#!/usr/bin/env bash
# Bulk TCP throughput of `inet4j iperf3-server` with 1 queue against 2 queues of its TAP (--queues 2: a stack shard,
# loop and reader thread per queue), measured with the stock iperf3 client, MTU 1500, offloads on, -P 1 and -P 4,
# both directions. Both servers run at once, each on its own TAP with its kernel side in a namespace of its own, and
# each row measures them back to back, so the ratio compares figures taken moments apart; the figure is the
# receiver's (iperf3's sum_received), in Gbit/s. After the table, the busiest threads of the 2-queue server during its
# last -P 4 run, by CPU seconds (/proc/PID/task/*/stat), say what the two cores were spent on.
# A measurement, not a test: run it by hand, as root; other work on the machine's cores moves the numbers.
#
#   sudo benchmarks/queues.sh [SECONDS per figure (default 5)]
#
# Environment: INET4J (default: ./inet4j of this checkout, built when stale), WARMUP=0 to skip the 2 s warm-up rounds.
# Uses namespaces i4j-mq<pid>-q1/-q2, the TAPs i4jmq<pid>a/b, 10.122.50.0/24 and 10.122.51.0/24; removes them at exit.
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
secs="${1:-5}"
inet4j="${INET4J:-$here/inet4j}"
[[ "$secs" =~ ^[1-9][0-9]*$ ]] || { echo "queues: SECONDS must be a whole number >= 1, not '$secs'" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "queues: needs root (TAP devices and network namespaces)" >&2; exit 2; }
for c in iperf3 ip python3; do command -v "$c" >/dev/null || { echo "queues: needs $c" >&2; exit 2; }; done

id="mq$$"
work="$(mktemp -d)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  for q in 1 2; do ip netns del "i4j-$id-q$q" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

"$inet4j" --version >/dev/null   # builds what is stale, before any clock runs
# $1: queues, $2: TAP name, $3: third octet of its /24. The server deletes its namespace when killed.
start_server() {
  "$inet4j" iperf3-server --queues "$1" --tap "$2" --addr "10.122.$3.2/24" \
      --peer-netns "i4j-$id-q$1" --peer-addr "10.122.$3.1/24" > "$work/q$1.log" 2>&1 &
  pids+=($!)
  echo $! > "$work/q$1.pid"
  local i
  for i in $(seq 600); do grep -q "listening on" "$work/q$1.log" 2>/dev/null && return 0; sleep 0.1; done
  echo "queues: the $1-queue server did not start; its output:" >&2; cat "$work/q$1.log" >&2; exit 1
}
start_server 1 "i4j${id}a" 50
start_server 2 "i4j${id}b" 51

# $1: queues, $2..: iperf3 client options. Prints the receiver's Gbit/s.
measure() {
  local q="$1" out="$work/client.json"; shift
  local oct=$((49 + q)) try
  # A server still closing the last test answers "busy" for a moment; a second try settles it.
  for try in 1 2 3; do
    ip netns exec "i4j-$id-q$q" iperf3 -c "10.122.$oct.2" --json "$@" > "$out" 2>/dev/null || true
    python3 "$here/benchmarks/iperf3-received.py" "$out" && return 0
    sleep 1
  done
  echo "queues: iperf3 against the $q-queue server ($*) failed:" >&2; cat "$out" >&2; exit 1
}

# CPU ticks of each thread of process $1 (utime + stime), one "name/tid ticks" a line (Linux keeps 15 bytes of a name).
thread_ticks() {
  python3 - "$1" <<'EOF'
import glob, sys
for stat in glob.glob("/proc/%s/task/*/stat" % sys.argv[1]):
    try:
        s = open(stat).read()
    except OSError:
        continue
    name = s[s.index("(") + 1:s.rindex(")")]
    f = s[s.rindex(")") + 2:].split()
    tid = stat.split("/")[4]
    print("%s/%s\t%d" % (name.replace(" ", "_"), tid, int(f[11]) + int(f[12])))
EOF
}

if [ "${WARMUP:-1}" != 0 ]; then
  for q in 1 2; do measure "$q" -t 2 -P 4 >/dev/null; measure "$q" -t 2 -P 4 -R >/dev/null; done
fi

ratio() { python3 -c "import sys; a, b = float(sys.argv[1]), float(sys.argv[2]); print('%.2fx' % (a / b) if b > 0 else '-')" "$1" "$2"; }

echo "Bulk TCP throughput, Gbit/s, inet4j iperf3-server --queues 1 vs 2: iperf3 -t $secs, MTU 1500, offloads, the receiver's figure ($(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ))"
printf '%-6s %-16s %9s %9s %8s\n' flows direction 1-queue 2-queue 2q/1q
for flows in 1 4; do
  for dir in "kernel -> inet4j" "inet4j -> kernel"; do
    opts=(-t "$secs" -P "$flows"); [ "$dir" = "inet4j -> kernel" ] && opts+=(-R)
    [ "$flows" = 4 ] && thread_ticks "$(cat "$work/q2.pid")" > "$work/before"
    one=$(measure 1 "${opts[@]}"); two=$(measure 2 "${opts[@]}")
    [ "$flows" = 4 ] && thread_ticks "$(cat "$work/q2.pid")" > "$work/after"
    printf '%-6s %-16s %9s %9s %8s\n' "$flows" "$dir" "$one" "$two" "$(ratio "$two" "$one")"
  done
done
echo "busiest threads of the 2-queue server in its last -P 4 run (-R), CPU seconds over ${secs} s of wall clock:"
python3 - "$work/before" "$work/after" "$(getconf CLK_TCK)" <<'EOF'
import collections, sys
def load(p):
    d = collections.Counter()
    for line in open(p):
        name, ticks = line.rsplit("\t", 1)
        d[name] += int(ticks)
    return d
before, after, hz = load(sys.argv[1]), load(sys.argv[2]), int(sys.argv[3])
used = sorted(((after[n] - before.get(n, 0), n) for n in after), reverse=True)
total = sum(u for u, _ in used)
for u, n in used[:6]:
    print("  %-28s %6.2f s" % (n, u / hz))
print("  %-28s %6.2f s" % ("all threads", total / hz))
EOF
