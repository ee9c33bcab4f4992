#!/usr/bin/env bash
# Latency, connections per second as a server, and allocation per MB, each next to its references, in one run;
# prints the table with the ratios to issue 11's targets. A measurement, not a test: run it by hand, as root,
# on a machine as quiet as you can get.
#
#   sudo benchmarks/latency.sh            # RESULTS=file keeps the raw figures; JAVA_OPTS goes to every JVM
#   sudo SECTIONS=connections LAB=acc NET=10.123 WARMUP=20 benchmarks/latency.sh
#
# SECTIONS picks what runs (any of: ping-pong connections allocation; all by default). LAB (default lat) and NET
# (default 10.126) name the namespaces and the /16 they use, so runs by several people on one machine never meet.
# WARMUP: seconds each connections/s client runs before it counts (default 1). A server JVM starts cold with every
# row; inet4j's has a whole TCP stack for the JIT to compile, which on 2 loaded cores goes on for tens of seconds,
# so a short warm-up measures the compiler as much as the stack.
#
# Peers: every ping-pong goes to the same C echo server (benchmarks/src/main/c/echo.c, built here with cc), and
# every client is the same Java code (LatencyDriver, java.net sockets: the JDK's, or inet4j's over the TAP).
#   kernel over veth   client in $LAB<pid>a ($NET.1.1), server in $LAB<pid>b ($NET.1.2), a veth between them
#   libslirp over TAP  client in $LAB<pid>s ($NET.3.100), slirp4netns and the server in $LAB<pid>h, reached as
#                      $NET.3.2 (slirp's gateway, which it maps to $LAB<pid>h's 127.0.0.1)
#   inet4j over TAP    the stack ($NET.2.2) in the driver's JVM, run in $LAB<pid>i; the TAP's kernel end in
#                      $LAB<pid>t ($NET.2.1), where the server runs
# Connections/s: 4 client threads on the JDK's sockets against the C server and the Java echo server (the same
# thread-per-connection code on JDK sockets in $LAB<pid>b, and on inet4j over the TAP with clients in $LAB<pid>t),
# and against the C server behind libslirp. Clients widen ip_local_port_range in their own namespaces.
# Allocation: two inet4j stacks on the in-memory link in one JVM, then one stack over the TAP to the C server.
# Uses only the namespaces $LAB<pid>{a,b,h,i,s,t}, the TAP $LAB<pid> and $NET.0.0/16; removes them at exit.
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
[ "$(id -u)" = 0 ] || { echo "latency: needs root (namespaces, veth, TAP)" >&2; exit 2; }
for c in ip cc java slirp4netns; do command -v "$c" >/dev/null || { echo "latency: needs $c" >&2; exit 2; }; done
jar="$here/benchmarks/target/benchmarks.jar"
if [ ! -f "$jar" ]; then
  (cd "$here" && mvn -B -q -pl benchmarks -am package -DskipTests -Dinvoker.skip=true)
fi

LAB="${LAB:-lat}" NET="${NET:-10.126}" WARMUP="${WARMUP:-1}"
SECTIONS=" ${SECTIONS:-ping-pong connections allocation} "
p="$LAB$$"
a="${p}a" b="${p}b" h="${p}h" i="${p}i" s="${p}s" t="${p}t"
work="$(mktemp -d)"
results="${RESULTS:-$work/results.txt}"
: > "$results"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  for n in "$a" "$b" "$h" "$i" "$s" "$t"; do ip netns del "$n" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

cc -O2 -pthread -o "$work/echo" "$here/benchmarks/src/main/c/echo.c"
for n in "$a" "$b" "$h" "$i" "$s" "$t"; do
  ip netns add "$n"
  ip -n "$n" link set lo up
done
ip link add "${p}va" netns "$a" type veth peer name "${p}vb" netns "$b"
ip -n "$a" addr add $NET.1.1/24 dev "${p}va"; ip -n "$a" link set "${p}va" up
ip -n "$b" addr add $NET.1.2/24 dev "${p}vb"; ip -n "$b" link set "${p}vb" up
# 4 threads closing first leave every port they used in TIME_WAIT: give the clients the whole range.
for n in "$a" "$s" "$t"; do
  ip netns exec "$n" sysctl -qw net.ipv4.ip_local_port_range="1024 65000" net.ipv4.tcp_tw_reuse=1
done
ip netns exec "$h" slirp4netns --configure --mtu 1500 --cidr $NET.3.0/24 --netns-type=path "/run/netns/$s" tap0 \
  >"$work/slirp.log" 2>&1 & pids+=($!)
until ip -n "$s" -4 addr show tap0 2>/dev/null | grep -q $NET.3.100; do sleep 0.1; done

main=io.inet4j.benchmarks.latency.LatencyDriver
# $1: namespace (or "-" for none), then the driver's arguments.
driver() {
  local ns="$1"; shift
  if [ "$ns" = - ]; then java ${JAVA_OPTS:-} -cp "$jar" "$main" "$@"
  else ip netns exec "$ns" java ${JAVA_OPTS:-} -cp "$jar" "$main" "$@"; fi
}
tap=(--tap "$p" --addr $NET.2.2/24 --peer-netns "$t" --peer-addr $NET.2.1/24)
# $1 namespace, $2 host, $3 port: waits until a connect succeeds.
await() { until ip netns exec "$1" bash -c "exec 3<>/dev/tcp/$2/$3" 2>/dev/null; do sleep 0.1; done; }
# $1 namespace, $2 port: the C echo server, in the background.
c_echo() { ip netns exec "$1" "$work/echo" "$2" & pids+=($!); }
# $1 namespace, $2 ready file, the rest: more driver arguments. The Java echo server on port 8, in the background.
java_echo() {
  local ns="$1" ready="$2"; shift 2
  ip netns exec "$ns" java ${JAVA_OPTS:-} -cp "$jar" "$main" echo-server --port 8 --ready "$ready" "$@" & pids+=($!)
  until [ -e "$ready" ]; do kill -0 "${pids[-1]}" || exit 1; sleep 0.1; done
}
stop() { kill "${pids[-1]}"; wait "${pids[-1]}" 2>/dev/null || true; unset 'pids[-1]'; }

c_echo "$b" 7; c_echo "$h" 7; c_echo "$t" 7
await "$a" $NET.1.2 7; await "$s" $NET.3.2 7; await "$t" 127.0.0.1 7

# $1: a section's name; true when SECTIONS asks for it.
wanted() { [[ "$SECTIONS" == *" $1 "* ]]; }

if wanted ping-pong; then
echo "== ping-pong" >&2
driver "$a" ping-pong --label kernel-veth --host $NET.1.2 --port 7 --out "$results"
driver "$s" ping-pong --label libslirp-tap --host $NET.3.2 --port 7 --out "$results"
driver "$i" ping-pong --label inet4j-tap --host $NET.2.1 --port 7 --out "$results" "${tap[@]}"
fi

if wanted connections; then
echo "== connections/s as a server" >&2
driver "$a" connect-rate --label c-server-kernel-veth --host $NET.1.2 --port 7 --out "$results" --warmup "$WARMUP"
java_echo "$b" "$work/jdk.ready"
driver "$a" connect-rate --label java-server-jdk-veth --host $NET.1.2 --port 8 --out "$results" --warmup "$WARMUP"
stop
java_echo "$i" "$work/inet4j.ready" "${tap[@]}"
driver "$t" connect-rate --label java-server-inet4j-tap --host $NET.2.2 --port 8 --out "$results" --warmup "$WARMUP"
stop
driver "$s" connect-rate --label c-server-libslirp-tap --host $NET.3.2 --port 7 --out "$results" --warmup "$WARMUP"
fi

if wanted allocation; then
echo "== allocation per MB" >&2
driver - alloc --label alloc-inmemory --out "$results"
driver "$i" alloc --label alloc-inet4j-tap --host $NET.2.1 --port 7 --out "$results" "${tap[@]}"
fi

echo
echo "$(date -u +%FT%TZ), $(nproc) cores, $(java -version 2>&1 | head -1), load: $(cut -d' ' -f1-3 /proc/loadavg)"
driver - report "$results"
