#!/usr/bin/env bash
# Goodput through a lossy path, Linux beside inet4j, one figure each (printed, never judged):
#  - Linux: its own TCP (cubic) between two network namespaces joined by a veth, a 1 Gbit/s tbf on both ends and
#    LOSS% of TCP segments dropped at random on arrival each way (nftables numgen: this kernel has no netem, so
#    neither delay nor reordering), iperf3 sending MB megabytes;
#  - inet4j: TcpLossyAcceptanceTest's case for the same loss, two stacks on the in-memory link through the same path
#    model (BottleneckLink at 1 Gbit/s with no added delay, FaultInjectingLink with the loss, no reordering),
#    goodput in virtual time. Its link delivers on the loop's 1 ms timer tick, so its RTT is about a millisecond
#    where the veth's is tens of microseconds: read the two figures with that in mind.
# Root only (namespaces "cub-gp*", 10.103.1.0/24); needs iperf3, tc, nft and ethtool. Usage: [LOSS=1] [MB=100] benchmarks/lossy-goodput.sh
set -euo pipefail
cd "$(dirname "$0")/.."
LOSS=${LOSS:-1}
MB=${MB:-100}
A=cub-gpa
B=cub-gpb
cleanup() {
    ip netns del "$A" 2>/dev/null || true
    ip netns del "$B" 2>/dev/null || true
}
trap cleanup EXIT
cleanup
ip netns add "$A"
ip netns add "$B"
ip link add cub-gp0 netns "$A" type veth peer name cub-gp1 netns "$B"
ip -n "$A" addr add 10.103.1.1/24 dev cub-gp0
ip -n "$B" addr add 10.103.1.2/24 dev cub-gp1
for ns in "$A" "$B"; do ip -n "$ns" link set lo up; done
ip -n "$A" link set cub-gp0 up
ip -n "$B" link set cub-gp1 up
drop=$(python3 -c "print(round($LOSS * 1000))")
# Segments, not GSO/GRO super-packets, cross the veth and meet the drop; a drop on input is a loss on the path (one
# on output would only be a local send error that TCP retries without a retransmission).
for pair in "$A cub-gp0" "$B cub-gp1"; do
    set -- $pair
    ip netns exec "$1" ethtool -K "$2" tso off gso off gro off
    tc -n "$1" qdisc add dev "$2" root tbf rate 1gbit burst 128kb limit 1mb
    ip netns exec "$1" nft add table inet cubloss
    ip netns exec "$1" nft "add chain inet cubloss in { type filter hook input priority 0; }"
    ip netns exec "$1" nft "add rule inet cubloss in meta l4proto tcp numgen random mod 100000 < $drop drop"
done
ip netns exec "$B" timeout 600 iperf3 -s -1 -B 10.103.1.2 >/dev/null 2>&1 &
server=$!
sleep 1
json=$(ip netns exec "$A" timeout 600 iperf3 -c 10.103.1.2 -n "${MB}M" -C cubic -J)
wait "$server" || true
linux=$(printf '%s' "$json" | python3 -c 'import json,sys; e=json.load(sys.stdin)["end"]; r=e["sum_received"]; print("%.1f Mbit/s (%d MB in %.2f s, %d retransmitted)" % (r["bits_per_second"]/1e6, r["bytes"]>>20, r["seconds"], e["sum_sent"].get("retransmits", -1)))')
cleanup
loss_fraction=$(python3 -c "print($LOSS / 100)")
inet4j=$(mvn -B -o -q -pl testkit -am test -Dsurefire.failIfNoSpecifiedTests=false -Dmaven.javadoc.skip=true \
    -Dinvoker.skip=true -Dtest=TcpLossyAcceptanceTest -Dinet4j.lossy.acceptance.loss="$loss_fraction" \
    -Dinet4j.lossy.acceptance.mb="$MB" -Dinet4j.lossy.acceptance.delay.us=0 -Dinet4j.lossy.acceptance.reorder=0 2>&1 | grep -ao '\[goodput\].*' || true)
echo "1 Gbit/s, loss $LOSS% each way, $MB MB:"
echo "  linux (veth + tbf + nft drop, iperf3, cubic): $linux"
echo "  inet4j (in-memory link, virtual time): ${inet4j:-no figure: the test failed, run it alone}"
