package io.inet4j.ipv4.ip;

import static io.inet4j.ipv4.testing.PingSockets.readable;
import static io.inet4j.ipv4.testing.PingSockets.recv;
import static io.inet4j.ipv4.testing.PingSockets.sendEcho;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inet4j.buffer.PacketBuffer;
import io.inet4j.ipv4.testing.PingSockets;
import io.inet4j.ipv4.wire.Ipv4Header;
import io.inet4j.loop.SimulatedEventLoop;
import io.inet4j.mib.IcmpMib;
import io.inet4j.mib.IpMib;
import io.inet4j.netdev.InMemoryLink;
import io.inet4j.netfilter.NfHookOps;
import io.inet4j.netfilter.NfInetHook;
import io.inet4j.netfilter.NfVerdict;
import io.inet4j.socket.Errno;
import io.inet4j.socket.SockAddrIn;
import io.inet4j.socket.Socket;
import io.inet4j.stack.InetStack;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Packet hooks at the five IPv4 points (netfilter's {@code NF_HOOK}), on three stacks and one simulated loop:
 * {@code a} (10.0.1.1) pings {@code b} (10.0.2.1) through the router {@code r} ({@code ip_forward = 1}).
 */
class NetfilterHooksTest {
    private static final String A = "10.0.1.1";
    private static final String B = "10.0.2.1";
    /** An echo request with 56 payload bytes, as an IPv4 datagram. */
    private static final int ECHO_BYTES = 20 + 8 + 56;

    private final SimulatedEventLoop loop = new SimulatedEventLoop();
    private final InetStack a;
    private final InetStack r;
    private final InetStack b;

    NetfilterHooksTest() {
        InMemoryLink[] left = InMemoryLink.pair("a0", "r0", 1500);
        InMemoryLink[] right = InMemoryLink.pair("r1", "b0", 1500);
        a = InetStack.builder().name("a").seed(1).loop(loop).link(left[0], A + "/24").defaultGateway("10.0.1.254").build();
        r = InetStack.builder().name("r").seed(2).loop(loop).sysctl("net.ipv4.ip_forward", "1")
                .link(left[1], "10.0.1.254/24").link(right[0], "10.0.2.254/24").build();
        b = InetStack.builder().name("b").seed(3).loop(loop).link(right[1], B + "/24").defaultGateway("10.0.2.254").build();
        loop.runFor(10_000_000L);
        assertThat(pingOnce()).as("neighbours resolved, path works").isTrue();
    }

    @AfterEach
    void tearDown() {
        a.close();
        r.close();
        b.close();
        loop.runPending();
    }

    /** One echo from a to b; whether its reply came back within a second. */
    private boolean pingOnce() {
        try {
            Socket s = PingSockets.open(a);
            int sent = sendEcho(s, B, 1, 56);
            return sent == ECHO_BYTES - 20 && loop.runUntilFor(1_000_000_000L, () -> readable(s));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private long outstanding() {
        return a.net().pool().outstanding() + r.net().pool().outstanding() + b.net().pool().outstanding();
    }

    /** The stack whose point an echo request from a to b passes. */
    private InetStack stackOf(NfInetHook hook) {
        switch (hook) {
            case LOCAL_OUT:
            case POST_ROUTING:
                return a;
            case FORWARD:
                return r;
            default:
                return b;
        }
    }

    @ParameterizedTest
    @EnumSource(NfInetHook.class)
    void dropAtEachPointIsCountedAndThePacketGone(NfInetHook hook) throws Exception {
        NfHookOps ops = stackOf(hook).netfilter().register(hook, NfHookOps.PRI_FILTER, (h, p, in, out) -> NfVerdict.DROP);
        long buffers = outstanding();
        long echosAtB = b.net().mibs().icmp.get(IcmpMib.InEchos);
        long forwarded = r.net().mibs().ip.get(IpMib.ForwDatagrams);

        Socket s = PingSockets.open(a);
        int sent = sendEcho(s, B, 2, 56);
        loop.runFor(1_000_000_000L);

        boolean local = hook == NfInetHook.LOCAL_OUT || hook == NfInetHook.POST_ROUTING;
        // ip_local_out passes the hook's -EPERM to the sender; elsewhere the sender never learns.
        assertThat(sent).isEqualTo(local ? Errno.EPERM.neg() : ECHO_BYTES - 20);
        assertThat(readable(s)).isFalse();
        assertThat(ops.packets()).isEqualTo(1);
        assertThat(ops.bytes()).isEqualTo(ECHO_BYTES);
        assertThat(ops.drops()).isEqualTo(1);
        assertThat(ops.errors()).isZero();
        assertThat(b.net().mibs().icmp.get(IcmpMib.InEchos)).isEqualTo(echosAtB);
        if (hook != NfInetHook.PRE_ROUTING && hook != NfInetHook.LOCAL_IN) {
            assertThat(r.net().mibs().ip.get(IpMib.ForwDatagrams)).isEqualTo(forwarded);
        }
        assertThat(outstanding()).as("the dropped buffer is back in its pool").isEqualTo(buffers);

        assertThat(stackOf(hook).netfilter().unregister(ops)).isTrue();
        assertThat(stackOf(hook).netfilter().entries(hook)).isNull();
        assertThat(pingOnce()).as("unregistered, the path works again").isTrue();
        assertThat(ops.packets()).isEqualTo(1);
    }

    @Test
    void acceptPassesAndEachRuleCountsWhatItSaw() {
        NfHookOps out = a.netfilter().register(NfInetHook.LOCAL_OUT, 0, (h, p, in, o) -> NfVerdict.ACCEPT);
        NfHookOps post = a.netfilter().register(NfInetHook.POST_ROUTING, 0, (h, p, in, o) -> NfVerdict.ACCEPT);
        NfHookOps pre = a.netfilter().register(NfInetHook.PRE_ROUTING, 0, (h, p, in, o) -> NfVerdict.ACCEPT);
        NfHookOps fwd = r.netfilter().register(NfInetHook.FORWARD, 0, (h, p, in, o) -> NfVerdict.ACCEPT);
        NfHookOps localIn = b.netfilter().register(NfInetHook.LOCAL_IN, 0, (h, p, in, o) -> NfVerdict.ACCEPT);

        assertThat(pingOnce()).isTrue();
        assertThat(pingOnce()).isTrue();

        for (NfHookOps ops : List.of(out, post, pre, localIn)) {
            assertThat(ops.packets()).as(ops.toString()).isEqualTo(2);
            assertThat(ops.bytes()).as(ops.toString()).isEqualTo(2 * ECHO_BYTES);
            assertThat(ops.drops()).isZero();
        }
        assertThat(fwd.packets()).as("request and reply").isEqualTo(4);
    }

    @Test
    void hooksSeeTheDevicesAndTheHeader() {
        List<String> seen = new ArrayList<>();
        int r0 = r.device("r0").ifindex();
        int r1 = r.device("r1").ifindex();
        r.netfilter().register(NfInetHook.FORWARD, 0, (h, p, in, out) -> {
            seen.add(h + " " + SockAddrIn.formatAddress(Ipv4Header.daddr(p, p.data())) + " " + (in == r0) + " "
                    + (out == r1 || out == r0) + " ttl " + Ipv4Header.ttl(p, p.networkHeader()));
            return NfVerdict.ACCEPT;
        });
        assertThat(pingOnce()).isTrue();
        // FORWARD runs after ip_forward's TTL decrement.
        assertThat(seen.get(0)).isEqualTo("FORWARD 10.0.2.1 true true ttl 63");
    }

    @Test
    void hooksRunInPriorityOrderAndEqualPrioritiesInRegistrationOrder() {
        List<String> order = new ArrayList<>();
        String[] names = {"10", "-5", "0a", "last", "0b", "first"};
        int[] prios = {10, -5, 0, NfHookOps.PRI_LAST, 0, NfHookOps.PRI_FIRST};
        List<NfHookOps> all = new ArrayList<>();
        for (int i = 0; i < names.length; i++) {
            String name = names[i];
            all.add(b.netfilter().register(NfInetHook.LOCAL_IN, prios[i], (h, p, in, out) -> {
                order.add(name);
                return NfVerdict.ACCEPT;
            }));
        }
        assertThat(pingOnce()).isTrue();
        assertThat(order).containsExactly("first", "-5", "0a", "0b", "10", "last");

        order.clear();
        b.netfilter().unregister(all.get(2));
        assertThat(pingOnce()).isTrue();
        assertThat(order).containsExactly("first", "-5", "0b", "10", "last");
    }

    @Test
    void aDropStopsTheLaterHooks() {
        List<String> order = new ArrayList<>();
        b.netfilter().register(NfInetHook.PRE_ROUTING, 0, (h, p, in, out) -> {
            order.add("drop");
            return NfVerdict.DROP;
        });
        NfHookOps later = b.netfilter().register(NfInetHook.PRE_ROUTING, 1, (h, p, in, out) -> {
            order.add("later");
            return NfVerdict.ACCEPT;
        });
        assertThat(pingOnce()).isFalse();
        assertThat(order).containsExactly("drop");
        assertThat(later.packets()).isZero();
    }

    @Test
    void aStolenPacketIsTheHooksToKeepAndRelease() {
        List<PacketBuffer> kept = new ArrayList<>();
        long buffers = outstanding();
        NfHookOps ops = b.netfilter().register(NfInetHook.LOCAL_IN, 0, (h, p, in, out) -> {
            kept.add(p);
            return NfVerdict.STOLEN;
        });
        assertThat(pingOnce()).isFalse();
        assertThat(kept).hasSize(1);
        assertThat(ops.drops()).isZero();
        assertThat(b.net().mibs().icmp.get(IcmpMib.InEchos)).as("the stack let it go").isEqualTo(1);
        assertThat(outstanding()).as("held by the hook, not freed by the stack").isEqualTo(buffers + 1);
        kept.get(0).release();
        assertThat(outstanding()).isEqualTo(buffers);
    }

    @Test
    void aStolenPacketReinjectedAtReceiveIsDelivered() {
        List<PacketBuffer> kept = new ArrayList<>();
        b.netfilter().register(NfInetHook.PRE_ROUTING, 0, (h, p, in, out) -> {
            if (kept.contains(p)) return NfVerdict.ACCEPT; // the second pass, after re-injection
            kept.add(p);
            return NfVerdict.STOLEN;
        });
        Socket s;
        try {
            s = PingSockets.open(a);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        sendEcho(s, B, 9, 56);
        loop.runFor(100_000_000L);
        assertThat(kept).hasSize(1);
        assertThat(readable(s)).isFalse();

        PacketBuffer p = kept.get(0);
        b.ipv4().receive(b.device("b0"), p); // netif_rx-style: the packet enters ip_rcv again, hooks and all
        assertThat(loop.runUntilFor(1_000_000_000L, () -> readable(s))).isTrue();
        assertThat(recv(s, 128).data.getShort(6)).isEqualTo((short) 9);
    }

    @Test
    void aHookThatThrowsIsContainedCountedAndTheStackGoesOn() {
        long buffers = outstanding();
        NfHookOps bad = b.netfilter().register(NfInetHook.PRE_ROUTING, 0, (h, p, in, out) -> {
            throw new IllegalStateException("hook bug");
        });
        NfHookOps nul = b.netfilter().register(NfInetHook.LOCAL_OUT, 0, (h, p, in, out) -> null);
        assertThat(pingOnce()).isFalse();
        assertThat(pingOnce()).isFalse();
        assertThat(bad.errors()).isEqualTo(2);
        assertThat(bad.drops()).isEqualTo(2);
        assertThat(nul.packets()).isZero();
        assertThat(outstanding()).isEqualTo(buffers);

        b.netfilter().unregister(bad);
        assertThat(pingOnce()).as("b's LOCAL_OUT hook answers null: the reply is dropped").isFalse();
        assertThat(nul.errors()).isEqualTo(1);
        b.netfilter().unregister(nul);
        assertThat(pingOnce()).isTrue();
    }

    @Test
    void registeringTwiceIsRefusedAndUnregisteringAStrangerIsFalse() {
        NfHookOps ops = new NfHookOps(NfInetHook.LOCAL_IN, 0, (h, p, in, out) -> NfVerdict.ACCEPT);
        assertThat(b.netfilter().unregister(ops)).isFalse();
        b.netfilter().register(ops);
        assertThatThrownBy(() -> b.netfilter().register(ops))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(b.netfilter().entries(NfInetHook.LOCAL_IN)).containsExactly(ops);
        assertThat(a.netfilter().unregister(ops)).as("another stack's table").isFalse();
        assertThat(b.inet().netfilter()).as("a plug-in's InetContext reaches the same table").isSameAs(b.netfilter());
    }
}
