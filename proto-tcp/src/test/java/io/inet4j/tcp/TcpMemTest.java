package io.inet4j.tcp;

import static io.inet4j.tcp.wire.TcpHeader.ACK;
import static io.inet4j.tcp.wire.TcpHeader.SYN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inet4j.mib.TcpExtMib;
import io.inet4j.socket.Socket;
import io.inet4j.sysctl.SysctlException;
import org.junit.jupiter.api.Test;

/**
 * {@code net.ipv4.tcp_mem}: the buffers of all TCP sockets together are held to it. Past {@code tcp_mem[1]}
 * TCP is under memory pressure (TCPMemoryPressures) and windows shrink; no socket past its fair share gets more,
 * nor any past {@code tcp_mem[2]}; what arrives then is pruned or dropped; the pressure ends below
 * {@code tcp_mem[0]}.
 */
class TcpMemTest {
    private static final int LPORT = 80;
    private static final int RPORT = 40000;
    private static final int PEER_ISN = 1000;

    /** A connection accepted from the scripted peer (window 65535, MSS 1460), and the stack's next sequence number. */
    private record Accepted(Socket s, TcpSock sk, int snd) {}

    private static Accepted accept(TcpScenario t) throws Exception {
        Socket l = StreamSockets.listener(t.stack, LPORT, 8);
        t.inject(RPORT, LPORT, SYN, PEER_ISN, 0, 65535, null, 1460);
        int snd = t.expect().seq() + 1;
        t.inject(RPORT, LPORT, ACK, PEER_ISN + 1, snd, 65535, null, 0);
        Socket s = StreamSockets.accept(l);
        return new Accepted(s, (TcpSock) s.sk, snd);
    }

    @Test
    void theDefaultIsLinuxsForAFourGigabyteMachineAndNonsenseIsRefused() {
        try (TcpScenario t = new TcpScenario()) {
            // tcp_init: limit = nr_free_buffer_pages / 16 = 65536 pages; [0] = 3/4 of it, [2] = twice [0].
            assertThat(t.stack.net().sysctls().get("net.ipv4.tcp_mem").asString()).isEqualTo("49152\t65536\t98304");
            assertThatThrownBy(() -> t.stack.net().sysctls().set("net.ipv4.tcp_mem", "1 -2 3"))
                    .isInstanceOf(SysctlException.class);
        }
    }

    @Test
    void outOfOrderFloodIsHeldToTcpMemAndPressureEndsWhenTheMemoryIsFreed() throws Exception {
        try (TcpScenario t = new TcpScenario(b -> b.sysctl("net.ipv4.tcp_mem", "2 4 8"))) {
            Accepted a = accept(t);
            Socket s = a.s();
            TcpSock sk = a.sk();
            int snd = a.snd();
            int rcv = PEER_ISN + 1;
            Tcp tcp = sk.tcp;
            var ext = t.stack.net().mibs().tcpExt;
            int bufferSize = t.stack.net().pool().bufferSize();

            // One-byte islands, each in a buffer of its own, far below the socket's 128 KiB rcvbuf.
            for (int i = 0; i < 100; i++) t.inject(RPORT, LPORT, ACK, rcv + 2 + 2 * i, snd, new byte[] {1});
            assertThat(sk.rmemAlloc).isLessThan(sk.rcvbuf);
            assertThat(ext.get(TcpExtMib.TCPMemoryPressures)).isEqualTo(1);
            assertThat(tcp.underMemoryPressure()).isTrue();
            // The fair share of 8 pages among two sockets (listener and child) is 4 pages; more is never taken.
            assertThat(tcp.memoryPages()).isLessThanOrEqualTo(4 + TcpMem.pages(bufferSize));
            assertThat(ext.get(TcpExtMib.TCPOFODrop)).isPositive();
            assertThat(sk.rcvSsthresh).as("tcp_adjust_rcv_ssthresh").isLessThanOrEqualTo(4 * sk.advmss);

            // A segment before the islands gets its room from the far end of the out-of-order queue.
            int held = sk.ofoQueue.size();
            long pruned = ext.get(TcpExtMib.OfoPruned);
            t.inject(RPORT, LPORT, ACK, rcv + 1, snd, new byte[] {1});
            assertThat(ext.get(TcpExtMib.OfoPruned)).isGreaterThan(pruned);
            assertThat(sk.ofoQueue.size()).isLessThanOrEqualTo(held);
            assertThat(sk.ofoQueue.first()).isNotNull();
            assertThat(TcpSock.seq(sk.ofoQueue.first())).isEqualTo(rcv + 1);

            // Once the memory is freed (the connection is reset and closed, its queues purged), the pressure is over.
            t.inject(RPORT, LPORT, io.inet4j.tcp.wire.TcpHeader.RST, rcv, 0, null);
            s.ops.release(s);
            t.loop.runPending();
            assertThat(sk.rmemAlloc).isZero();
            assertThat(tcp.memoryPages()).isZero();
            assertThat(tcp.underMemoryPressure()).isFalse();
        }
    }

    @Test
    void sendBuffersCountAndAnOrphanPastTheHardLimitGoesAtItsNextTimeout() throws Exception {
        try (TcpScenario t = new TcpScenario(b -> b.sysctl("net.ipv4.tcp_mem", "1 2 2"))) {
            Accepted a = accept(t);
            Socket s = a.s();
            TcpSock sk = a.sk();
            int snd = a.snd();
            Tcp tcp = sk.tcp;
            int queued = s.ops.sendmsg(s, new io.inet4j.socket.MsgHdr(java.nio.ByteBuffer.allocate(12_000), null),
                    io.inet4j.socket.MsgFlags.MSG_DONTWAIT);
            // Past tcp_mem[2] the writer is held to a little more than its guaranteed tcp_wmem[0]; those segments,
            // each in its own buffer, are still more than tcp_mem[2]'s two pages.
            assertThat(queued).isGreaterThan(4608).isLessThan(12_000);
            assertThat(tcp.memoryPages()).isGreaterThan(2);
            s.ops.release(s);
            t.loop.runPending();
            assertThat(sk.orphan).isTrue();
            // Its first retransmission timeout finds TCP out of memory: the orphan is reset, not retried.
            TcpScenario.Seg seg;
            int retransmits = 0;
            while ((seg = t.expect(2.0)) != null && (seg.flags() & io.inet4j.tcp.wire.TcpHeader.RST) == 0) {
                if (seg.seq() == snd && seg.len() > 0 && t.now() > 0.5) retransmits++;
            }
            assertThat(seg).as("a RST").isNotNull();
            assertThat(retransmits).isZero();
            assertThat(t.stack.net().mibs().tcpExt.get(TcpExtMib.TCPAbortOnMemory)).isEqualTo(1);
            assertThat(sk.state).isEqualTo(TcpState.CLOSE);
            assertThat(tcp.memoryPages()).isZero();
        }
    }

    @Test
    void pastTheHardLimitAWriterGetsItsGuaranteedMinimumAndItsSendBufferIsModerated() throws Exception {
        try (TcpScenario t = new TcpScenario(b -> b.sysctl("net.ipv4.tcp_mem", "1 2 3"))) {
            Accepted a = accept(t);
            Socket s = a.s();
            TcpSock sk = a.sk();
            int sndbuf = sk.sndbuf;
            int queued = s.ops.sendmsg(s, new io.inet4j.socket.MsgHdr(java.nio.ByteBuffer.allocate(50_000), null),
                    io.inet4j.socket.MsgFlags.MSG_DONTWAIT);
            // tcp_wmem[0] is always granted; past tcp_mem[2] the buffer shrinks to half of what is queued
            // (at least SOCK_MIN_SNDBUF) and the writer waits for memory instead of filling its 29,200 bytes.
            assertThat(queued).isGreaterThanOrEqualTo(4096).isLessThan(sndbuf);
            assertThat(sk.sndbuf).isLessThan(sndbuf).isGreaterThanOrEqualTo(4608);
            assertThat(sk.nospace).isTrue();
        }
    }
}
