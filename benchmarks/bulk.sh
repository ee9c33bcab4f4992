#!/usr/bin/env bash
# Bulk TCP throughput measured with the stock iperf3 client, MTU 1500, 1 and 4 flows (-P 4), both directions, for
# three ways of putting a TCP stack behind an interface, side by side in one run:
#   inet4j   `inet4j iperf3-server` on a TAP with offloads; the client in the namespace that holds the TAP's kernel side
#   libslirp slirp4netns's TAP as the only link of a namespace; the client there, `iperf3 -s` on the host's loopback,
#            reached through libslirp's host-loopback address
#   veth     the kernel on both ends: two namespaces joined by a veth pair
# "kernel -> X" is the client (Linux) sending to X, "X -> kernel" is -R. Each row measures the three back to back, so
# its ratios compare figures taken moments apart; the figure is the receiver's (iperf3's sum_received), in Gbit/s.
# The issue's targets: inet4j >= 4x libslirp and >= 0.5x the kernel over veth, both directions.
# A measurement, not a test: run it by hand, as root; other work on the machine's cores moves the numbers.
#
#   sudo benchmarks/bulk.sh [SECONDS per figure (default 5)]
#
# Environment: INET4J (default: ./inet4j of this checkout, built when stale), WARMUP=0 to skip the 3 s rounds that
# warm the JVM before the first inet4j figure. Uses namespaces i4j-blk<pid>-*, the TAP i4jblk<pid>, 10.125.40-42.0/24
# and a random loopback port; removes them at exit.
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
secs="${1:-5}"
inet4j="${INET4J:-$here/inet4j}"
[[ "$secs" =~ ^[1-9][0-9]*$ ]] || { echo "bulk: SECONDS must be a whole number >= 1, not '$secs'" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "bulk: needs root (TAP devices and network namespaces)" >&2; exit 2; }
for c in iperf3 slirp4netns ip python3; do command -v "$c" >/dev/null || { echo "bulk: needs $c" >&2; exit 2; }; done

id="blk$$"
ns_i="i4j-$id-inet"; ns_s="i4j-$id-slirp"; ns_a="i4j-$id-va"; ns_b="i4j-$id-vb"
inet_stack=10.125.40.2; inet_peer=10.125.40.1
slirp_cidr=10.125.41.0/24; slirp_host=10.125.41.2   # libslirp's gateway, which is the host's loopback
veth_a=10.125.42.1; veth_b=10.125.42.2
port=$((20000 + RANDOM % 20000))
work="$(mktemp -d)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  for n in "$ns_i" "$ns_s" "$ns_a" "$ns_b"; do ip netns del "$n" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Waits up to 60 s for $2 to appear in file $1 (a server's "listening" line), or gives up saying $3.
await_line() {
  local i
  for i in $(seq 600); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
  echo "bulk: $3 did not start; its output:" >&2; cat "$1" >&2; exit 1
}

# inet4j: the server makes the namespace and puts the TAP's kernel side in it; it deletes it when killed.
"$inet4j" --version >/dev/null   # builds what is stale, before any clock runs
"$inet4j" iperf3-server --tap "i4j$id" --addr "$inet_stack/24" --peer-netns "$ns_i" --peer-addr "$inet_peer/24" \
    > "$work/inet4j.log" 2>&1 & pids+=($!)
await_line "$work/inet4j.log" "listening on $inet_stack" "inet4j iperf3-server"

# libslirp: a namespace whose only link is slirp4netns's TAP; the iperf3 server listens on the host's loopback only.
ip netns add "$ns_s"
slirp4netns --configure --mtu 1500 --cidr "$slirp_cidr" --netns-type=path "/run/netns/$ns_s" tap0 \
    > "$work/slirp.log" 2>&1 & pids+=($!)
iperf3 -s -B 127.0.0.1 -p "$port" > "$work/host-iperf3.log" 2>&1 & pids+=($!)
for i in $(seq 100); do ip -n "$ns_s" -4 addr show tap0 2>/dev/null | grep -q inet && break; sleep 0.1; done
ip -n "$ns_s" -4 addr show tap0 | grep -q inet || { echo "bulk: slirp4netns did not configure tap0:" >&2; cat "$work/slirp.log" >&2; exit 1; }

# veth: the kernel on both ends.
ip netns add "$ns_a"; ip netns add "$ns_b"
ip -n "$ns_a" link add veth0 mtu 1500 type veth peer name veth1 mtu 1500 netns "$ns_b"
ip -n "$ns_a" addr add "$veth_a/24" dev veth0; ip -n "$ns_b" addr add "$veth_b/24" dev veth1
for n in "$ns_a" "$ns_b"; do ip -n "$n" link set lo up; done
ip -n "$ns_a" link set veth0 up; ip -n "$ns_b" link set veth1 up
ip netns exec "$ns_b" iperf3 -s -B "$veth_b" -p "$port" > "$work/veth-iperf3.log" 2>&1 & pids+=($!)

# $1: the system, $2..: iperf3 client options. Prints the receiver's Gbit/s.
measure() {
  local what="$1" out="$work/client.json"; shift
  local cmd
  case "$what" in
    inet4j) cmd=(ip netns exec "$ns_i" iperf3 -c "$inet_stack") ;;
    slirp)  cmd=(ip netns exec "$ns_s" iperf3 -c "$slirp_host" -p "$port") ;;
    veth)   cmd=(ip netns exec "$ns_a" iperf3 -c "$veth_b" -p "$port") ;;
  esac
  # A run that fails (the server still busy with the last test, a connection lost) gets two more tries.
  local try
  for try in 1 2 3; do
    "${cmd[@]}" --json "$@" > "$out" 2>/dev/null || true
    python3 "$here/benchmarks/iperf3-received.py" "$out" && return 0
    sleep 1
  done
  echo "bulk: iperf3 against $what ($*) failed:" >&2; cat "$out" >&2; exit 1
}

# The JIT compiles each shape's paths while that shape runs (4 streams share the reader and the state as one does
# not), so every shape measured gets its own round first: a steady-state figure, not the first seconds of a shape.
if [ "${WARMUP:-1}" != 0 ]; then
  for flows in 1 4; do measure inet4j -t 3 -P "$flows" >/dev/null; measure inet4j -t 3 -P "$flows" -R >/dev/null; done
fi

ratio() { python3 -c "import sys; a, b = float(sys.argv[1]), float(sys.argv[2]); print('%.2fx' % (a / b) if b > 0 else '-')" "$1" "$2"; }

echo "Bulk TCP throughput, Gbit/s: iperf3 -t $secs, MTU 1500, the receiver's figure ($(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ))"
printf '%-6s %-16s %8s %9s %8s %14s %12s\n' flows direction inet4j libslirp veth inet4j/slirp inet4j/veth
for flows in 1 4; do
  for dir in "kernel -> X" "X -> kernel"; do
    opts=(-t "$secs" -P "$flows"); [ "$dir" = "X -> kernel" ] && opts+=(-R)
    i=$(measure inet4j "${opts[@]}"); s=$(measure slirp "${opts[@]}"); v=$(measure veth "${opts[@]}")
    printf '%-6s %-16s %8s %9s %8s %14s %12s\n' "$flows" "$dir" "$i" "$s" "$v" "$(ratio "$i" "$s")" "$(ratio "$i" "$v")"
  done
done
echo "targets: inet4j/slirp >= 4x, inet4j/veth >= 0.5x (issue 11)"
