#!/usr/bin/env bash
# Client connects per second while TIME_WAIT fills the port range: Linux's client over a veth next to inet4j's client
# over a TAP, in one run, against the same C echo server. One client thread each; every connection is connect, one
# byte each way, client closes first, so every port used stays in TIME_WAIT (60 s) on the client. Prints a line a
# second (connects, TIME_WAIT, share of the range used) and the rate at 0%, 60% and 95% of the range in TIME_WAIT,
# then the ratios issue 11 asks for. A measurement, not a test: run it by hand, as root, on a quiet machine.
#
#   sudo benchmarks/connect-rate.sh          # SECONDS_PER_CLIENT=30 RANGE="32768 60999" WARMUP=10 JAVA_OPTS=...
#
# Both clients are the same Java code (ConnectRateDriver, java.net sockets: the JDK's, or inet4j's over the TAP), use
# the same ip_local_port_range (RANGE, Linux's default unless set) and tcp_max_tw_buckets (Linux's, which inet4j
# takes over: its own default is 16,384, below the range) and keep tcp_tw_reuse at its default (2: loopback only), so
# no TIME_WAIT entry is recycled and each connect must find a port no connection to the server holds.
#   server      cnr<pid>s: the C echo server (benchmarks/src/main/c/echo.c) on ports 7 (measured) and 8 (warm-up)
#   Linux       cnr<pid>c (10.127.1.1), a veth to the server's 10.127.1.2
#   inet4j      the stack (10.127.2.2) in the driver's JVM, run in cnr<pid>i; the TAP's kernel end in the server's
#               namespace (10.127.2.1)
# Uses only the namespaces cnr<pid>{s,c,i}, the TAP cnr<pid> and 10.127.0.0/16; removes them at exit.
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
[ "$(id -u)" = 0 ] || { echo "connect-rate: needs root (namespaces, veth, TAP)" >&2; exit 2; }
for c in ip cc java; do command -v "$c" >/dev/null || { echo "connect-rate: needs $c" >&2; exit 2; }; done
jar="$here/benchmarks/target/benchmarks.jar"
if [ ! -f "$jar" ]; then
  (cd "$here" && mvn -B -q -pl benchmarks -am package -DskipTests -Dinvoker.skip=true)
fi
seconds="${SECONDS_PER_CLIENT:-30}"
read -r low high <<< "${RANGE:-32768 60999}"
warmup="${WARMUP:-10}"

p="cnr$$"
s="${p}s" c="${p}c" i="${p}i"
work="$(mktemp -d)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  for n in "$s" "$c" "$i"; do ip netns del "$n" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

cc -O2 -pthread -o "$work/echo" "$here/benchmarks/src/main/c/echo.c"
for n in "$s" "$c" "$i"; do
  ip netns add "$n"
  ip -n "$n" link set lo up
done
ip link add "${p}c" netns "$c" type veth peer name "${p}s" netns "$s"
ip -n "$c" addr add 10.127.1.1/24 dev "${p}c"; ip -n "$c" link set "${p}c" up
ip -n "$s" addr add 10.127.1.2/24 dev "${p}s"; ip -n "$s" link set "${p}s" up
ip netns exec "$c" sysctl -qw net.ipv4.ip_local_port_range="$low $high"
for port in 7 8; do ip netns exec "$s" "$work/echo" "$port" & pids+=($!); done
until ip netns exec "$c" bash -c "exec 3<>/dev/tcp/10.127.1.2/7" 2>/dev/null; do sleep 0.1; done
until ip netns exec "$c" bash -c "exec 3<>/dev/tcp/10.127.1.2/8" 2>/dev/null; do sleep 0.1; done

main=io.inet4j.benchmarks.connect.ConnectRateDriver
common=(--port 7 --warmup-port 8 --range "$low-$high" --seconds "$seconds" --warmup-seconds "$warmup")
# Both probes above left one TIME_WAIT entry each in cnr<pid>c: the measurement starts at 1 of the range's ports.
ip netns exec "$c" java ${JAVA_OPTS:-} -cp "$jar" "$main" --label linux --server 10.127.1.2 "${common[@]}" \
  | tee "$work/linux.txt"
echo
ip netns exec "$i" java ${JAVA_OPTS:-} --enable-native-access=ALL-UNNAMED -cp "$jar" "$main" --label inet4j \
  --server 10.127.2.1 "${common[@]}" --tap "$p" --addr 10.127.2.2/24 --peer-netns "$s" --peer-addr 10.127.2.1/24 \
  --tw-buckets "$(ip netns exec "$c" sysctl -n net.ipv4.tcp_max_tw_buckets)" \
  | tee "$work/inet4j.txt"

rate() { sed -n "s/^$1: at $2% of the range in TIME_WAIT: \([0-9]*\) connects\/s$/\1/p" "$work/$1.txt"; }
ratio() {
  if [ -n "$1" ] && [ -n "$2" ] && [ "$2" != 0 ]; then awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1fx", a / b }'
  else echo "-"; fi
}
echo
echo "range $low-$high ($((high - low + 1)) ports), one client thread, ${seconds} s each"
printf '%-8s %12s %12s %12s %16s\n' client "0% conn/s" "60% conn/s" "95% conn/s" "95% vs 0%"
for who in linux inet4j; do
  r0=$(rate "$who" 0) r60=$(rate "$who" 60) r95=$(rate "$who" 95)
  printf '%-8s %12s %12s %12s %16s\n' "$who" "${r0:--}" "${r60:--}" "${r95:--}" "$(ratio "$r95" "$r0")"
done
echo "inet4j / Linux at 60%: $(ratio "$(rate inet4j 60)" "$(rate linux 60)") (issue 11's target: at least 10x)"
