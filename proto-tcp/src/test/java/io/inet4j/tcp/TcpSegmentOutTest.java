package io.inet4j.tcp;

import static io.inet4j.tcp.wire.TcpOptions.OPTION_SACK_ADVERTISE;
import static io.inet4j.tcp.wire.TcpOptions.OPTION_TS;
import static io.inet4j.tcp.wire.TcpOptions.OPTION_WSCALE;
import static org.assertj.core.api.Assertions.assertThat;

import io.inet4j.buffer.PacketBuffer;
import io.inet4j.buffer.PacketBufferPool;
import io.inet4j.socket.SockAddrIn;
import io.inet4j.tcp.wire.TcpHeader;
import io.inet4j.tcp.wire.TcpOptions;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The one emitter of outgoing segments against golden bytes, Linux's option layout, and back through the parser. */
class TcpSegmentOutTest {
    private static final PacketBufferPool POOL = new PacketBufferPool(2048, 64);
    private static final int SADDR = SockAddrIn.parseAddress("10.0.0.1");
    private static final int DADDR = SockAddrIn.parseAddress("10.0.0.2");

    private final TcpSegmentOut out = new TcpSegmentOut();
    private final TcpOptions.Parsed parsed = new TcpOptions.Parsed();

    /** Emits {@link #out} over {@code payload} bytes and returns the whole segment as hex, checksum verified. */
    private String emit(int payload) {
        PacketBuffer b = POOL.allocate(payload);
        b.put(payload);
        int th = b.push(out.headerLength());
        out.emit(b, th, b.length());
        assertThat(TcpHeader.verifyChecksum(b, th, b.length(), SADDR, DADDR)).isTrue();
        assertThat(TcpHeader.headerLength(b, th)).isEqualTo(out.headerLength());
        TcpOptions.parse(b, th, parsed);
        byte[] bytes = new byte[out.headerLength()];
        b.read(th, bytes, 0, bytes.length);
        b.release();
        String hex = HexFormat.of().formatHex(bytes);
        return hex.substring(0, 32) + "cccc" + hex.substring(36); // checksum verified above
    }

    private static String hex(String spaced) { return spaced.replace(" ", ""); }

    private TcpSegmentOut segment(int flags) {
        return out.clear(SADDR, DADDR, 0x1234, 80, 1, 2, flags, 0xffff);
    }

    @Test
    void bareAck() {
        segment(TcpHeader.ACK);
        assertThat(emit(100)).isEqualTo(hex("1234 0050 00000001 00000002 5010 ffff cccc 0000"));
        assertThat(parsed.mss()).isZero();
        assertThat(parsed.sawTimestamp()).isFalse();
    }

    @Test
    void synWithMssOnlyAsTheStateMachineSendsToday() {
        segment(TcpHeader.SYN).mss = 1460;
        assertThat(emit(0)).isEqualTo(hex("1234 0050 00000001 00000002 6002 ffff cccc 0000 020405b4"));
        assertThat(parsed.mss()).isEqualTo(1460);
    }

    @Test
    void linuxSynWithEveryOption() {
        segment(TcpHeader.SYN);
        out.mss = 65495;
        out.options = OPTION_SACK_ADVERTISE | OPTION_TS | OPTION_WSCALE;
        out.wscale = 10;
        out.tsVal = 0x4a715197;
        // Captured from Linux 6.18 on lo: MSS, sackOK folded into the timestamp's padding, NOP WS.
        assertThat(emit(0)).isEqualTo(hex("1234 0050 00000001 00000002 a002 ffff cccc 0000"
                + "0204ffd7 0402080a 4a715197 00000000 0103030a"));
        assertThat(parsed.mss()).isEqualTo(65495);
        assertThat(parsed.sackPermitted()).isTrue();
        assertThat(parsed.wscale()).isEqualTo(10);
        assertThat(parsed.tsVal()).isEqualTo(0x4a715197);
    }

    @Test
    void synWithoutTimestampsOrWithoutSack() {
        segment(TcpHeader.SYN);
        out.mss = 65495;
        out.options = OPTION_SACK_ADVERTISE | OPTION_WSCALE;
        out.wscale = 10;
        assertThat(emit(0)).endsWith(hex("0204ffd7 01010402 0103030a"));
        assertThat(parsed.sackPermitted()).isTrue();
        assertThat(parsed.sawTimestamp()).isFalse();

        segment(TcpHeader.SYN | TcpHeader.ACK);
        out.mss = 65495;
        out.options = OPTION_TS | OPTION_WSCALE;
        out.wscale = 10;
        out.tsVal = 0x2ba43424;
        assertThat(emit(0)).endsWith(hex("0204ffd7 0101080a 2ba43424 00000000 0103030a"));
        assertThat(parsed.sackPermitted()).isFalse();
        assertThat(parsed.wscale()).isEqualTo(10);
    }

    @Test
    void establishedTimestampAndThreeSackBlocksFillTheOptionSpace() {
        segment(TcpHeader.ACK);
        out.options = OPTION_TS;
        out.tsVal = 0x0a0b0c0d;
        out.tsEcr = 0x01020304;
        out.numSacks = 3;
        for (int i = 0; i < 3; i++) {
            out.sackStart[i] = 100 * (i + 1);
            out.sackEnd[i] = 100 * (i + 1) + 50;
        }
        assertThat(out.headerLength()).isEqualTo(TcpHeader.MAX_LENGTH);
        assertThat(emit(0)).isEqualTo(hex("1234 0050 00000001 00000002 f010 ffff cccc 0000"
                + "0101080a 0a0b0c0d 01020304"
                + "0101051a 00000064 00000096 000000c8 000000fa 0000012c 0000015e"));
        assertThat(parsed.tsEcr()).isEqualTo(0x01020304);
        assertThat(parsed.numSacks()).isEqualTo(3);
        assertThat(parsed.sackStart(2)).isEqualTo(300);
        assertThat(parsed.sackEnd(2)).isEqualTo(350);
    }

    @Test
    void fourSackBlocksWithoutTimestamps() {
        segment(TcpHeader.ACK).numSacks = 4;
        for (int i = 0; i < 4; i++) {
            out.sackStart[i] = i * 16;
            out.sackEnd[i] = i * 16 + 8;
        }
        assertThat(emit(10)).endsWith(hex("01010522 00000000 00000008 00000010 00000018"
                + "00000020 00000028 00000030 00000038"));
        assertThat(parsed.numSacks()).isEqualTo(4);
        assertThat(parsed.sackEnd(3)).isEqualTo(56);
    }

    @Test
    void clearForgetsTheLastSegmentsOptions() {
        segment(TcpHeader.SYN).mss = 1460;
        out.options = OPTION_TS;
        out.numSacks = 2;
        out.urgent = 5;
        segment(TcpHeader.ACK);
        assertThat(out.headerLength()).isEqualTo(TcpHeader.MIN_LENGTH);
        assertThat(emit(0)).isEqualTo(hex("1234 0050 00000001 00000002 5010 ffff cccc 0000"));
    }
}
