package io.inet4j.udp;

import static io.inet4j.udp.Udp.addr;
import static io.inet4j.udp.Udp.bind;
import static io.inet4j.udp.Udp.connect;
import static io.inet4j.udp.Udp.name;
import static io.inet4j.udp.Udp.open;
import static io.inet4j.udp.Udp.poll;
import static io.inet4j.udp.Udp.recv;
import static io.inet4j.udp.Udp.recvText;
import static io.inet4j.udp.Udp.sendto;
import static io.inet4j.udp.Udp.set;
import static org.assertj.core.api.Assertions.assertThat;

import io.inet4j.buffer.PacketBuffer;
import io.inet4j.ipv4.testing.TwoStacks;
import io.inet4j.mib.IcmpMib;
import io.inet4j.mib.IpMib;
import io.inet4j.mib.UdpMib;
import io.inet4j.socket.Errno;
import io.inet4j.socket.IpProto;
import io.inet4j.socket.MsgFlags;
import io.inet4j.socket.MsgHdr;
import io.inet4j.socket.PollEvents;
import io.inet4j.socket.SockAddr;
import io.inet4j.socket.SockAddrIn;
import io.inet4j.socket.SockOpt;
import io.inet4j.socket.Socket;
import io.inet4j.stack.InetStack;
import io.inet4j.udp.wire.UdpHeader;
import io.inet4j.ipv4.wire.IcmpHeader;
import io.inet4j.ipv4.wire.Ipv4Header;
import io.inet4j.netdev.NetDevice;
import io.inet4j.netdev.PacketTap;
import java.util.ArrayList;
import java.util.List;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** UDP between two stacks on a simulated in-memory wire: each behaviour of udp.c this module builds, and its counters. */
class UdpBetweenStacksTest {
    private static final SockAddrIn B_5000 = addr(TwoStacks.B, 5000);

    private static long udp(InetStack s, UdpMib m) { return s.net().mibs().udp.get(m); }

    /** The ifindex of a stack's device on the wire (not its loopback). */
    private static int wire(InetStack s) {
        return s.net().devices().stream().filter(d -> !d.name().equals("lo")).findFirst().orElseThrow().ifindex();
    }

    /** A socket of b's bound to port 5000 on every address. */
    private static Socket server(TwoStacks t) throws Exception {
        Socket s = open(t.b);
        assertThat(bind(s, "0.0.0.0", 5000)).isZero();
        return s;
    }

    @Test
    void sendtoAndRecvfromCarryDatagramsIntactWithTheSendersAutoboundPort() throws Exception {
        try (TwoStacks t = new TwoStacks()) {
            Socket server = server(t);
            Socket client = open(t.a);
            assertThat(sendto(client, B_5000, "hello")).isEqualTo(5);
            int[] r = new int[1];
            SockAddrIn local = name(client, false, r);
            assertThat(local.port()).isBetween(32768, 60999);
            assertThat(t.runUntil(1, () -> (poll(server) & PollEvents.POLLIN) != 0)).isTrue();
            MsgHdr msg = recv(server, 100, 0, r);
            assertThat(r[0]).isEqualTo(5);
            assertThat(new String(msg.data.array(), 0, 5)).isEqualTo("hello");
            assertThat(msg.name).isEqualTo(addr(TwoStacks.A, local.port()));
            // The reply goes back to whoever sent, and the client's port takes it.
            assertThat(sendto(server, msg.name, "world")).isEqualTo(5);
            assertThat(t.runUntil(1, () -> (poll(client) & PollEvents.POLLIN) != 0)).isTrue();
            assertThat(recvText(client)).isEqualTo("world");
            assertThat(udp(t.a, UdpMib.OutDatagrams)).isEqualTo(1);
            assertThat(udp(t.b, UdpMib.InDatagrams)).isEqualTo(1);
            assertThat(udp(t.a, UdpMib.InDatagrams)).isEqualTo(1);
        }
    }

    @Test
    void noSocketCountsNoPortsAndConnectedSenderGetsEconnrefusedOnceOnItsNextCall() throws Exception {
        try (TwoStacks t = new TwoStacks()) {
            Socket client = open(t.a);
            assertThat(connect(client, addr(TwoStacks.B, 9))).isZero();
            assertThat(sendto(client, null, "x")).isEqualTo(1);
            assertThat(t.runUntil(1, () -> (poll(client) & PollEvents.POLLERR) != 0)).isTrue();
            assertThat(udp(t.b, UdpMib.NoPorts)).isEqualTo(1);
            assertThat(t.b.net().mibs().icmp.get(IcmpMib.OutDestUnreachs)).isEqualTo(1);
            assertThat(recvText(client)).isNull();
            int[] r = new int[1];
            recv(client, 10, 0, r);
            assertThat(r[0]).isEqualTo(Errno.EAGAIN.neg()); // reported once: the recv above would have taken it
            assertThat(sendto(client, null, "y")).isEqualTo(1);
            t.run(1);
            assertThat(sendto(client, null, "z")).isEqualTo(Errno.ECONNREFUSED.neg());
            assertThat(sendto(client, null, "z")).isEqualTo(1);
        }
    }

    @Test
    void econnrefusedIsReportedByRecvOnAConnectedSocket() throws Exception {
        try (TwoStacks t = new TwoStacks()) {
            Socket client = open(t.a);
            connect(client, addr(TwoStacks.B, 9));
            sendto(client, null, "x");
            t.run(1);
            int[] r = new int[1];
            recv(client, 10, 0, r);
            assertThat(r[0]).isEqualTo(Errno.ECONNREFUSED.neg());
        }
    }

    @Test
    void unconnectedSocketIgnoresPortUnreachableAsLinuxDoesWithoutIpRecverr() throws Exception {
        try (TwoStacks t = new TwoStacks()) {
            Socket client = open(t.a);
            assertThat(sendto(client, addr(TwoStacks.B, 9), "x")).isEqualTo(1);
            t.run(1);
            assertThat(t.a.net().mibs().icmp.get(IcmpMib.InDestUnreachs)).isEqualTo(1);
            assertThat(poll(client) & PollEvents.POLLERR).isZero();
            assertThat(sendto(client, addr(TwoStacks.B, 9), "x")).isEqualTo(1);
        }
    }

    /** A UDP datagram built by hand from a to b:5000, so its checksum and length can lie. */
    private static void inject(TwoStacks t, int lengthField, int checksum, int payload) {
        PacketBuffer b = t.a.net().pool().allocate(UdpHeader.LENGTH + payload);
        int at = b.put(UdpHeader.LENGTH + payload);
        for (int i = 0; i < payload; i++) b.setByte(at + UdpHeader.LENGTH + i, 'a' + i);
        UdpHeader.emit(b, at, 4444, 5000, UdpHeader.LENGTH + payload, SockAddrIn.parseAddress(TwoStacks.A),
                SockAddrIn.parseAddress(TwoStacks.B));
        if (lengthField >= 0) b.setShort(at + 4, lengthField);
        if (checksum >= 0) b.setShort(at + 6, checksum);
        t.a.ipv4().output(b, 0, SockAddrIn.parseAddress(TwoStacks.B), IpProto.IPPROTO_UDP, 0, -1, false);
        t.run(0.1);
    }

    @Test
    void zeroChecksumIsAcceptedBadChecksumAndBadLengthsAreDroppedAndCounted() throws Exception {
        try (TwoStacks t = new TwoStacks()) {
            Socket server = server(t);
            inject(t, -1, 0, 4);
            assertThat(recvText(server)).isEqualTo("abcd");
            inject(t, -1, 0x1234, 4);
            assertThat(udp(t.b, UdpMib.InCsumErrors)).isEqualTo(1);
            assertThat(udp(t.b, UdpMib.InErrors)).isEqualTo(1);
            inject(t, UdpHeader.LENGTH + 5, 0, 4); // claims more than the IP datagram holds
            inject(t, 7, 0, 4); // shorter than its own header
            assertThat(udp(t.b, UdpMib.InErrors)).isEqualTo(3);
            assertThat(recvText(server)).isNull();
            inject(t, UdpHeader.LENGTH + 2, 0, 4); // shorter than the IP datagram: trimmed to what it says
            assertThat(recvText(server)).isEqualTo("ab");
            assertThat(udp(t.b, UdpMib.NoPorts)).isZero();
            assertThat(udp(t.b, UdpMib.InDatagrams)).isEqualTo(2);
        }
    }

    @Test
    void connectedSocketBeatsBoundBeatsWildcardAsComputeScoreRanksThem() throws Exception {
        try (TwoStacks t = new TwoStacks()) {
            Socket wildcard = open(t.b);
            Socket bound = open(t.b);
            Socket connected = open(t.b);
            for (Socket s : new Socket[] {wildcard, bound, connected}) set(s, SockOpt.SO_REUSEADDR, 1);
            assertThat(bind(wildcard, "0.0.0.0", 5000)).isZero();
            assertThat(bind(bound, TwoStacks.B, 5000)).isZero();
            assertThat(bind(connected, TwoStacks.B, 5000)).isZero();
            assertThat(connect(connected, addr(TwoStacks.A, 7000))).isZero();
            Socket from7000 = open(t.a);
            Socket from7001 = open(t.a);
            bind(from7000, "0.0.0.0", 7000);
            bind(from7001, "0.0.0.0", 7001);
            sendto(from7000, B_5000, "to-connected");
            sendto(from7001, B_5000, "to-bound");
            t.run(0.1);
            assertThat(recvText(connected)).isEqualTo("to-connected");
            assertThat(recvText(bound)).isEqualTo("to-bound");
            assertThat(recvText(wildcard)).isNull();
            bound.ops.release(bound);
            sendto(from7001, B_5000, "to-wildcard");
            t.run(0.1);
            assertThat(recvText(wildcard)).isEqualTo("to-wildcard");
        }
    }

    @Test
    void bindConflictsUnlessBothShareBySoReuseaddrOrSoReuseport() throws Exception {
        try (TwoStacks t = new TwoStacks()) {
            Socket first = open(t.b);
            assertThat(bind(first, "0.0.0.0", 5000)).isZero();
            assertThat(bind(open(t.b), TwoStacks.B, 5000)).isEqualTo(Errno.EADDRINUSE.neg());
            assertThat(bind(open(t.b), "0.0.0.0", 5001)).isZero();
            Socket r1 = open(t.b);
            Socket r2 = open(t.b);
            Socket plain = open(t.b);
            set(r1, SockOpt.SO_REUSEPORT, 1);
            set(r2, SockOpt.SO_REUSEPORT, 1);
            assertThat(bind(r1, "0.0.0.0", 6000)).isZero();
            assertThat(bind(r2, "0.0.0.0", 6000)).isZero();
            assertThat(bind(plain, "0.0.0.0", 6000)).isEqualTo(Errno.EADDRINUSE.neg());
        }
    }

    @Test
    void soReuseportGroupSpreadsFlowsByHashAndKeepsEachFlowOnOneSocket() throws Exception {
        try (TwoStacks t = new TwoStacks()) {
            Socket[] group = new Socket[4];
            for (int i = 0; i < group.length; i++) {
                group[i] = open(t.b);
                set(group[i], SockOpt.SO_REUSEPORT, 1);
                assertThat(bind(group[i], "0.0.0.0", 5000)).isZero();
            }
            Map<Integer, Integer> socketOfFlow = new HashMap<>();
            for (int round = 0; round < 2; round++) {
                for (int port = 20000; port < 20032; port++) {
                    Socket c = open(t.a);
                    bind(c, "0.0.0.0", port);
                    sendto(c, B_5000, Integer.toString(port));
                    c.ops.release(c);
                    t.run(0.01);
                    for (int i = 0; i < group.length; i++) {
                        String got = recvText(group[i]);
                        if (got == null) continue;
                        Integer before = socketOfFlow.putIfAbsent(Integer.parseInt(got), i);
                        if (before != null) assertThat(before).as("flow " + got).isEqualTo(i);
                    }
                }
            }
            assertThat(socketOfFlow).hasSize(32);
            Set<Integer> used = new HashSet<>(socketOfFlow.values());
            assertThat(used).hasSizeGreaterThan(1);
        }
    }

    @Test
    void broadcastNeedsSoBroadcastToSendAndReachesEveryWildcardSocket() throws Exception {
        try (TwoStacks t = new TwoStacks()) {
            SockAddrIn bcast = addr("10.0.0.255", 5000);
            Socket client = open(t.a);
            assertThat(sendto(client, bcast, "all")).isEqualTo(Errno.EACCES.neg());
            assertThat(connect(client, bcast)).isEqualTo(Errno.EACCES.neg());
            assertThat(sendto(client, bcast, "all")).isEqualTo(Errno.EACCES.neg());
            Socket one = open(t.b);
            Socket two = open(t.b);
            set(one, SockOpt.SO_REUSEADDR, 1);
            set(two, SockOpt.SO_REUSEADDR, 1);
            bind(one, "0.0.0.0", 5000);
            bind(two, "0.0.0.0", 5000);
            assertThat(set(client, SockOpt.SO_BROADCAST, 1)).isZero();
            assertThat(sendto(client, bcast, "all")).isEqualTo(3);
            assertThat(sendto(client, addr("10.0.0.255", 5999), "none")).isEqualTo(4);
            t.run(0.1);
            assertThat(recvText(one)).isEqualTo("all");
            assertThat(recvText(two)).isEqualTo("all");
            assertThat(udp(t.b, UdpMib.IgnoredMulti)).isEqualTo(1);
            assertThat(udp(t.b, UdpMib.NoPorts)).isZero();
            assertThat(t.b.net().mibs().icmp.get(IcmpMib.OutDestUnreachs)).isZero();
        }
    }

    @Test
    void msgFlagsPeekTruncDontwaitConfirmAndErrqueue() throws Exception {
        try (TwoStacks t = new TwoStacks()) {
            Socket server = server(t);
            Socket client = open(t.a);
            int[] r = new int[1];
            recv(server, 10, MsgFlags.MSG_DONTWAIT, r);
            assertThat(r[0]).isEqualTo(Errno.EAGAIN.neg());
            assertThat(sendto(client, B_5000, "0123456789".getBytes(), MsgFlags.MSG_CONFIRM)).isEqualTo(10);
            assertThat(sendto(client, B_5000, "second".getBytes(), 0)).isEqualTo(6);
            t.run(0.1);
            MsgHdr peeked = recv(server, 100, MsgFlags.MSG_PEEK, r);
            assertThat(r[0]).isEqualTo(10);
            assertThat(peeked.flags).isZero();
            assertThat(udp(t.b, UdpMib.InDatagrams)).isZero();
            MsgHdr cut = recv(server, 4, 0, r);
            assertThat(r[0]).isEqualTo(4);
            assertThat(cut.flags).isEqualTo(MsgFlags.MSG_TRUNC);
            assertThat(new String(cut.data.array())).isEqualTo("0123");
            MsgHdr real = recv(server, 2, MsgFlags.MSG_TRUNC, r);
            assertThat(r[0]).isEqualTo(6); // the datagram's real length, though 2 bytes were copied
            assertThat(real.data.remaining()).isEqualTo(2);
            assertThat(real.flags).isEqualTo(MsgFlags.MSG_TRUNC);
            recv(server, 10, MsgFlags.MSG_ERRQUEUE, r);
            assertThat(r[0]).isEqualTo(Errno.EAGAIN.neg());
            assertThat(udp(t.b, UdpMib.InDatagrams)).isEqualTo(2);
        }
    }

    @Test
    void datagramsOver65507BytesAreEmsgsizeAndLargeOnesCrossFragmented() throws Exception {
        try (TwoStacks t = new TwoStacks()) {
            Socket server = server(t);
            set(server, SockOpt.SO_RCVBUF, 1 << 20);
            Socket client = open(t.a);
            assertThat(sendto(client, B_5000, new byte[65508], 0)).isEqualTo(Errno.EMSGSIZE.neg());
            byte[] big = new byte[UdpHeader.MAX_PAYLOAD];
            for (int i = 0; i < big.length; i++) big[i] = (byte) (i * 31 + 7);
            assertThat(sendto(client, B_5000, big, 0)).isEqualTo(65507);
            assertThat(t.runUntil(2, () -> (poll(server) & PollEvents.POLLIN) != 0)).isTrue();
            int[] r = new int[1];
            MsgHdr msg = recv(server, 70000, 0, r);
            assertThat(r[0]).isEqualTo(65507);
            byte[] got = new byte[65507];
            msg.data.get(got);
            assertThat(got).isEqualTo(big);
            assertThat(t.a.net().mibs().ip.get(IpMib.FragCreates)).isEqualTo(45);
            assertThat(t.b.net().mibs().ip.get(IpMib.ReasmOKs)).isEqualTo(1);
        }
    }

    @Test
    void connectFixesThePeerAndAfUnspecDissolvesIt() throws Exception {
        try (TwoStacks t = new TwoStacks()) {
            Socket s = open(t.a);
            int[] r = new int[1];
            assertThat(sendto(s, null, "x")).isEqualTo(Errno.EDESTADDRREQ.neg());
            assertThat(connect(s, B_5000)).isZero();
            assertThat(name(s, true, r)).isEqualTo(B_5000);
            SockAddrIn local = name(s, false, r);
            assertThat(local.address()).isEqualTo(SockAddrIn.parseAddress(TwoStacks.A));
            assertThat(local.port()).isNotZero();
            assertThat(connect(s, SockAddr.UNSPEC)).isZero();
            name(s, true, r);
            assertThat(r[0]).isEqualTo(Errno.ENOTCONN.neg());
            assertThat(name(s, false, r)).isEqualTo(new SockAddrIn(0, 0)); // autobound port given back too
            assertThat(sendto(s, null, "x")).isEqualTo(Errno.EDESTADDRREQ.neg());
            Socket bound = open(t.a);
            bind(bound, "0.0.0.0", 7777);
            connect(bound, B_5000);
            connect(bound, SockAddr.UNSPEC);
            assertThat(name(bound, false, r)).isEqualTo(new SockAddrIn(0, 7777));
            // A connected socket hears only its peer.
            Socket server = server(t);
            connect(server, addr(TwoStacks.A, 7777));
            Socket other = open(t.a);
            sendto(other, B_5000, "stranger");
            sendto(bound, B_5000, "peer");
            t.run(0.1);
            assertThat(recvText(server)).isEqualTo("peer");
            assertThat(recvText(server)).isNull();
            assertThat(udp(t.b, UdpMib.NoPorts)).isEqualTo(1);
        }
    }

    /** sk_mark_napi_id: a datagram names the device a blocking receive on its socket polls next. */
    @Test
    void aDatagramMarksItsSocketWithTheDeviceItCameFrom() throws Exception {
        try (TwoStacks t = new TwoStacks()) {
            Socket server = server(t);
            assertThat(server.sk.napiId).isZero();
            Socket client = open(t.a);
            assertThat(connect(client, B_5000)).isZero();
            assertThat(sendto(client, B_5000, "hello")).isEqualTo(5);
            t.run(0.1);
            assertThat(server.sk.napiId).isEqualTo(wire(t.b));
            assertThat(sendto(server, addr(TwoStacks.A, name(client, false, new int[1]).port()), "world")).isEqualTo(5);
            t.run(0.1);
            assertThat(client.sk.napiId).isEqualTo(wire(t.a));
        }
    }

    @Test
    void fullReceiveBufferDropsAndCountsRcvbufErrorsByTruesize() throws Exception {
        try (TwoStacks t = new TwoStacks()) {
            Socket server = server(t);
            set(server, SockOpt.SO_RCVBUF, 1); // the minimum: SOCK_MIN_RCVBUF
            UdpSock sk = (UdpSock) server.sk;
            Socket client = open(t.a);
            for (int i = 0; i < 10; i++) sendto(client, B_5000, "datagram " + i);
            t.run(0.1);
            int queued = 0;
            while (recvText(server) != null) queued++;
            assertThat(queued).isBetween(1, 9);
            assertThat(sk.drops()).isEqualTo(10 - queued);
            assertThat(udp(t.b, UdpMib.RcvbufErrors)).isEqualTo(10 - queued);
            assertThat(udp(t.b, UdpMib.InErrors)).isEqualTo(10 - queued);
            assertThat(udp(t.b, UdpMib.InDatagrams)).isEqualTo(queued);
            assertThat(sk.rmemAlloc()).isZero();
        }
    }

    @Test
    void datagramsFromOnePeerIntoOneMsgHdrReuseItsAddressAndAnotherPeerGetsItsOwn() throws Exception {
        try (TwoStacks t = new TwoStacks()) {
            Socket server = server(t);
            Socket first = open(t.a);
            Socket second = open(t.a);
            MsgHdr msg = new MsgHdr(java.nio.ByteBuffer.allocate(16), null);
            List<SockAddr> senders = new ArrayList<>();
            for (Socket from : new Socket[] {first, first, second}) {
                assertThat(sendto(from, B_5000, "x")).isEqualTo(1);
                assertThat(t.runUntil(1, () -> (poll(server) & PollEvents.POLLIN) != 0)).isTrue();
                msg.data.clear();
                assertThat(server.ops.recvmsg(server, msg, 0)).isEqualTo(1);
                senders.add(msg.name);
            }
            int[] r = new int[1];
            assertThat(senders.get(0)).isEqualTo(addr(TwoStacks.A, name(first, false, r).port()));
            assertThat(senders.get(2)).isEqualTo(addr(TwoStacks.A, name(second, false, r).port()));
            // A steady peer costs no address per datagram; a new one is not mistaken for the last.
            assertThat(senders.get(1)).isSameAs(senders.get(0));
            server.ops.shutdown(server, 0);
            msg.data.clear();
            assertThat(server.ops.recvmsg(server, msg, 0)).isZero();
            assertThat(msg.name).as("end of input names no sender").isNull();
        }
    }

    @Test
    void pollMasksFollowDatagramPoll() throws Exception {
        try (TwoStacks t = new TwoStacks()) {
            Socket server = server(t);
            assertThat(poll(server)).isEqualTo(PollEvents.POLLOUT | PollEvents.POLLWRNORM);
            sendto(open(t.a), B_5000, "x");
            t.run(0.1);
            assertThat(poll(server) & (PollEvents.POLLIN | PollEvents.POLLRDNORM))
                    .isEqualTo(PollEvents.POLLIN | PollEvents.POLLRDNORM);
            recvText(server);
            assertThat(poll(server) & PollEvents.POLLIN).isZero();
            server.ops.shutdown(server, 0);
            assertThat(poll(server) & (PollEvents.POLLIN | PollEvents.POLLRDHUP))
                    .isEqualTo(PollEvents.POLLIN | PollEvents.POLLRDHUP);
            int[] r = new int[1];
            recv(server, 10, 0, r);
            assertThat(r[0]).isZero();
        }
    }

    @Test
    void datagramsThatFitGoWithDfAndFragmentationNeededIsEmsgsizeOnAConnectedSocket() throws Exception {
        try (TwoStacks t = new TwoStacks()) {
            List<PacketBuffer> out = new ArrayList<>();
            t.a.device("veth-a").setTap(new PacketTap() {
                @Override public void frame(NetDevice dev, PacketBuffer f, boolean outgoing) {
                    if (outgoing && f.getShort(f.data() + 12) == 0x0800) out.add(f.copy());
                }
                @Override public void close() {}
            });
            Socket server = server(t);
            Socket client = open(t.a);
            connect(client, B_5000);
            assertThat(sendto(client, null, new byte[1000], 0)).isEqualTo(1000);
            t.run(0.1);
            assertThat(out).hasSize(1);
            PacketBuffer fits = out.get(0);
            int ip = fits.data() + 14;
            assertThat(Ipv4Header.dontFragment(fits, ip)).isTrue();
            assertThat(sendto(client, null, new byte[3000], 0)).isEqualTo(3000);
            t.run(0.1);
            assertThat(out).hasSize(4);
            for (PacketBuffer f : out.subList(1, 4)) assertThat(Ipv4Header.dontFragment(f, f.data() + 14)).isFalse();
            // A router on the way says 1000 bytes is the most: B answers for it, quoting the datagram that fit.
            fits.setNetworkHeader(ip);
            t.b.inet().icmp().send(fits, IcmpHeader.DEST_UNREACH, IcmpHeader.FRAG_NEEDED, 1000);
            t.run(0.1);
            assertThat(sendto(client, null, "x")).isEqualTo(Errno.EMSGSIZE.neg());
            assertThat(t.a.ipv4().routeMtu(SockAddrIn.parseAddress(TwoStacks.B))).isEqualTo(1000);
            for (PacketBuffer f : out) f.release();
        }
    }
}
