package io.inet4j.ipv4.ip;

import static io.inet4j.ipv4.testing.PingSockets.hasError;
import static io.inet4j.ipv4.testing.PingSockets.readable;
import static io.inet4j.ipv4.testing.PingSockets.recv;
import static io.inet4j.ipv4.testing.PingSockets.recvError;
import static io.inet4j.ipv4.testing.PingSockets.sendEcho;
import static org.assertj.core.api.Assertions.assertThat;

import io.inet4j.buffer.PacketBuffer;
import io.inet4j.ipv4.icmp.PingSock;
import io.inet4j.ipv4.testing.PingSockets;
import io.inet4j.ipv4.testing.TwoStacks;
import io.inet4j.ipv4.wire.IcmpHeader;
import io.inet4j.mib.IcmpMib;
import io.inet4j.mib.IpMib;
import io.inet4j.netdev.FaultSpec;
import io.inet4j.netdev.NetDevice;
import io.inet4j.netdev.PacketTap;
import io.inet4j.socket.Errno;
import io.inet4j.socket.MsgHdr;
import io.inet4j.socket.SockAddrIn;
import io.inet4j.socket.Socket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** ICMP echo, fragments, loopback and errors between two stacks on a simulated in-memory wire. */
class PingBetweenStacksTest {
    @Test
    void echoRequestGetsItsReplyAfterArpResolution() throws Exception {
        try (TwoStacks t = new TwoStacks()) {
            Socket s = PingSockets.open(t.a);
            assertThat(sendEcho(s, TwoStacks.B, 1, 56)).isEqualTo(64);
            assertThat(t.runUntil(1, () -> readable(s))).isTrue();
            MsgHdr reply = recv(s, 128);
            assertThat(((SockAddrIn) reply.name).address()).isEqualTo(SockAddrIn.parseAddress(TwoStacks.B));
            assertThat(reply.data.get(0)).isEqualTo((byte) IcmpHeader.ECHO_REPLY);
            assertThat(reply.data.getShort(4) & 0xffff).isEqualTo(((PingSock) s.sk).num);
            assertThat(reply.data.getShort(6)).isEqualTo((short) 1);
            assertThat(reply.data.remaining()).isEqualTo(64);
            for (int i = 0; i < 56; i++) assertThat(reply.data.get(8 + i)).isEqualTo((byte) i);
            assertThat(t.b.net().mibs().icmp.get(IcmpMib.InEchos)).isEqualTo(1);
            assertThat(t.b.net().mibs().icmp.get(IcmpMib.OutEchoReps)).isEqualTo(1);
            assertThat(t.a.net().mibs().icmp.get(IcmpMib.InEchoReps)).isEqualTo(1);
        }
    }

    @Test
    void largeEchoIsFragmentedBothWaysAndReassembled() throws Exception {
        try (TwoStacks t = new TwoStacks()) {
            Socket s = PingSockets.open(t.a);
            assertThat(sendEcho(s, TwoStacks.B, 7, 8000)).isEqualTo(8008);
            assertThat(t.runUntil(1, () -> readable(s))).isTrue();
            MsgHdr reply = recv(s, 9000);
            assertThat(reply.data.remaining()).isEqualTo(8008);
            for (int i = 0; i < 8000; i++) assertThat(reply.data.get(8 + i)).isEqualTo((byte) i);
            assertThat(t.a.net().mibs().ip.get(IpMib.FragCreates)).isEqualTo(6);
            assertThat(t.b.net().mibs().ip.get(IpMib.ReasmOKs)).isEqualTo(1);
            assertThat(t.b.net().mibs().ip.get(IpMib.FragCreates)).isEqualTo(6);
            assertThat(t.a.net().mibs().ip.get(IpMib.ReasmOKs)).isEqualTo(1);
        }
    }

    @Test
    void pingOfOwnAddressesGoesThroughLoopback() throws Exception {
        try (TwoStacks t = new TwoStacks()) {
            for (String own : new String[] {TwoStacks.A, "127.0.0.1"}) {
                Socket s = PingSockets.open(t.a);
                assertThat(sendEcho(s, own, 1, 10)).isEqualTo(18);
                assertThat(t.runUntil(1, () -> readable(s))).as(own).isTrue();
                assertThat(((SockAddrIn) recv(s, 64).name).address()).isEqualTo(SockAddrIn.parseAddress(own));
            }
            assertThat(t.b.net().mibs().icmp.get(IcmpMib.InEchos)).isZero();
        }
    }

    @Test
    void repliesFromOnePeerIntoOneMsgHdrReuseItsAddressAndAnotherPeerGetsItsOwn() throws Exception {
        try (TwoStacks t = new TwoStacks()) {
            Socket s = PingSockets.open(t.a);
            MsgHdr msg = new MsgHdr(java.nio.ByteBuffer.allocate(128), null);
            SockAddrIn[] senders = new SockAddrIn[3];
            String[] peers = {TwoStacks.B, TwoStacks.B, "127.0.0.1"};
            for (int i = 0; i < peers.length; i++) {
                assertThat(sendEcho(s, peers[i], i + 1, 8)).isEqualTo(16);
                assertThat(t.runUntil(1, () -> readable(s))).isTrue();
                msg.data.clear();
                assertThat(s.ops.recvmsg(s, msg, 0)).isEqualTo(16);
                senders[i] = (SockAddrIn) msg.name;
                assertThat(senders[i].address()).isEqualTo(SockAddrIn.parseAddress(peers[i]));
            }
            // A steady peer costs no address per reply; a new one is not mistaken for the last.
            assertThat(senders[1]).isSameAs(senders[0]);
            assertThat(senders[2]).isNotEqualTo(senders[1]);
            s.ops.shutdown(s, 0);
            msg.data.clear();
            assertThat(s.ops.recvmsg(s, msg, 0)).isZero();
            assertThat(msg.name).as("end of input names no sender").isNull();
        }
    }

    @Test
    void unresolvableNeighbourReportsHostUnreachableAfterThreeArpProbes() throws Exception {
        try (TwoStacks t = new TwoStacks()) {
            Socket s = PingSockets.open(t.a);
            assertThat(sendEcho(s, "10.0.0.99", 1, 10)).isEqualTo(18);
            long start = t.loop.clock().nanoTime();
            assertThat(t.runUntil(10, () -> hasError(s))).isTrue();
            double seconds = (t.loop.clock().nanoTime() - start) / 1e9;
            assertThat(seconds).isBetween(2.9, 3.5);
            MsgHdr err = recvError(s);
            assertThat(err.data.get(0)).isEqualTo((byte) IcmpHeader.DEST_UNREACH);
            assertThat(err.data.get(1)).isEqualTo((byte) IcmpHeader.HOST_UNREACH);
            assertThat(recv(s, 64)).isNull();
        }
    }

    @Test
    void destinationWithoutRouteIsENETUNREACH() throws Exception {
        try (TwoStacks t = new TwoStacks()) {
            Socket s = PingSockets.open(t.a);
            assertThat(sendEcho(s, "192.0.2.1", 1, 10)).isEqualTo(Errno.ENETUNREACH.neg());
            assertThat(t.a.net().mibs().ip.get(IpMib.OutNoRoutes)).isEqualTo(1);
        }
    }

    @Test
    void unknownProtocolEarnsProtocolUnreachable() {
        try (TwoStacks t = new TwoStacks()) {
            PacketBuffer b = t.a.net().pool().allocate(16);
            b.put(16);
            assertThat(t.a.ipv4().output(b, 0, SockAddrIn.parseAddress(TwoStacks.B), 200, 0, -1, false)).isZero();
            t.run(1);
            assertThat(t.b.net().mibs().ip.get(IpMib.InUnknownProtos)).isEqualTo(1);
            assertThat(t.b.net().mibs().icmp.get(IcmpMib.OutDestUnreachs)).isEqualTo(1);
            assertThat(t.a.net().mibs().icmp.get(IcmpMib.InDestUnreachs)).isEqualTo(1);
        }
    }

    @Test
    void sameSeedsGiveTheSameFramesEvenWithFaults() throws Exception {
        assertThat(trace()).isEqualTo(trace()).isNotEmpty();
    }

    private static List<String> trace() throws Exception {
        try (TwoStacks t = new TwoStacks(1500, FaultSpec.parse("loss=0.2,dup=0.1,reorder=0.1,seed=3"))) {
            List<String> frames = new ArrayList<>();
            t.a.device("veth-a").setTap(new PacketTap() {
                @Override public void frame(NetDevice dev, PacketBuffer f, boolean out) { frames.add(out + f.toHex()); }
                @Override public void close() {}
            });
            Socket s = PingSockets.open(t.a);
            for (int seq = 1; seq <= 20; seq++) {
                sendEcho(s, TwoStacks.B, seq, 3000);
                t.run(0.5);
                while (recv(s, 4000) != null) {
                    // drain
                }
            }
            return frames;
        }
    }
}
