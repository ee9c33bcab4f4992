package io.inet4j.samples.trace;

import static org.assertj.core.api.Assertions.assertThat;

import io.inet4j.buffer.PacketBuffer;
import io.inet4j.buffer.PacketBufferPool;
import io.inet4j.socket.SockAddrIn;
import io.inet4j.tcp.wire.TcpHeader;
import io.inet4j.tcp.wire.TcpOptions;
import org.junit.jupiter.api.Test;

/**
 * Trace lines for hand-built segments, compared with what {@code tcpdump -nn -S} prints for the same bytes (the
 * format was checked against tcpdump 4.99 reading a capture of the demo's exchange).
 */
class TcpDecoderTest {
    private static final int A = SockAddrIn.parseAddress("10.0.0.1");
    private static final int B = SockAddrIn.parseAddress("10.0.0.2");
    private final PacketBufferPool pool = PacketBufferPool.standard();
    private final TcpDecoder decoder = new TcpDecoder();

    @Test
    void aLinuxSynWithEveryOption() {
        PacketBuffer b = pool.allocate(100);
        int at = b.put(40);
        TcpHeader.write(b, at, 40000, 80, 123, 0, 40, TcpHeader.SYN, 64240, 0);
        TcpOptions.writeSynOptions(b, at + 20, TcpOptions.OPTION_TS | TcpOptions.OPTION_SACK_ADVERTISE | TcpOptions.OPTION_WSCALE,
                1460, 7, 100, 0);
        assertThat(decoder.describe(b, at, 40, A, B)).isEqualTo(
                "10.0.0.1.40000 > 10.0.0.2.80: Flags [S], seq 123, win 64240, options [mss 1460,sackOK,TS val 100 ecr 0,nop,wscale 7], length 0");
    }

    @Test
    void flagsSequenceAndAcknowledgementAsTcpdumpPrintsThem() {
        assertThat(line(TcpHeader.SYN | TcpHeader.ACK, -2, 124, 0)).isEqualTo(
                "10.0.0.2.80 > 10.0.0.1.40000: Flags [S.], seq 4294967294, ack 124, win 512, length 0");
        assertThat(line(TcpHeader.ACK, 5, 7, 0)).isEqualTo("10.0.0.2.80 > 10.0.0.1.40000: Flags [.], ack 7, win 512, length 0");
        assertThat(line(TcpHeader.PSH | TcpHeader.ACK, 5, 7, 100)).isEqualTo(
                "10.0.0.2.80 > 10.0.0.1.40000: Flags [P.], seq 5:105, ack 7, win 512, length 100");
        assertThat(line(TcpHeader.FIN | TcpHeader.PSH | TcpHeader.ACK, 5, 7, 3)).isEqualTo(
                "10.0.0.2.80 > 10.0.0.1.40000: Flags [FP.], seq 5:8, ack 7, win 512, length 3");
        assertThat(line(TcpHeader.RST, 9, 0, 0)).isEqualTo("10.0.0.2.80 > 10.0.0.1.40000: Flags [R], seq 9, win 512, length 0");
        assertThat(line(TcpHeader.URG | TcpHeader.ACK | TcpHeader.ECE | TcpHeader.CWR, 1, 2, 0)).isEqualTo(
                "10.0.0.2.80 > 10.0.0.1.40000: Flags [.UEW], ack 2, win 512, urg 0, length 0");
        assertThat(line(0, 1, 2, 0)).isEqualTo("10.0.0.2.80 > 10.0.0.1.40000: Flags [none], win 512, length 0");
    }

    private String line(int flags, int seq, int ack, int payload) {
        PacketBuffer b = pool.allocate(20 + payload);
        int at = b.put(20 + payload);
        TcpHeader.write(b, at, 80, 40000, seq, ack, 20, flags, 512, 0);
        return decoder.describe(b, at, 20 + payload, B, A);
    }

    @Test
    void brokenHeadersAndOptionsAreNamedNotThrown() {
        PacketBuffer b = pool.allocate(64);
        int at = b.put(28);
        assertThat(decoder.describe(b, at, 12, A, B)).isEqualTo("10.0.0.1 > 10.0.0.2: TCP, truncated");
        TcpHeader.write(b, at, 1, 2, 0, 0, 28, TcpHeader.ACK, 0, 0);
        b.setByte(at + 12, 15 << 4); // doff 15: 60 bytes in a 28-byte segment
        assertThat(decoder.describe(b, at, 28, A, B)).isEqualTo("10.0.0.1.1 > 10.0.0.2.2: TCP, bad header length 60");
        TcpHeader.write(b, at, 1, 2, 0, 0, 28, TcpHeader.ACK, 0, 0);
        b.setInt(at + 20, TcpOptions.TCPOPT_NOP << 24 | TcpOptions.TCPOPT_MSS << 16 | 9 << 8); // MSS claiming 9 bytes
        assertThat(decoder.describe(b, at, 28, A, B)).endsWith("win 0, options [nop,bad opt], length 0");
        b.setInt(at + 20, TcpOptions.TCPOPT_MSS << 24 | 3 << 16); // MSS with the length of a window scale
        b.setInt(at + 24, 0);
        assertThat(decoder.describe(b, at, 28, A, B)).endsWith("options [bad opt,eol], length 0");
        b.setInt(at + 20, 30 << 24 | 4 << 16 | 0xabcd);
        assertThat(decoder.describe(b, at, 28, A, B)).endsWith("options [unknown-30 len 4,eol], length 0");
    }
}
