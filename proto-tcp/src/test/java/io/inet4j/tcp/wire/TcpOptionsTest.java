package io.inet4j.tcp.wire;

import static io.inet4j.tcp.wire.TcpOptions.OPTION_SACK_ADVERTISE;
import static io.inet4j.tcp.wire.TcpOptions.OPTION_TS;
import static io.inet4j.tcp.wire.TcpOptions.OPTION_WSCALE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inet4j.buffer.PacketBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TcpOptionsTest {
    /** Options of a SYN and of the SYN-ACK answering it, captured from Linux 6.18 on lo (MSS 65495, wscale 10). */
    private static final String LINUX_SYN_OPTIONS = "0204ffd7 0402080a 4a715197 00000000 0103030a";
    private static final String LINUX_SYNACK_OPTIONS = "0204ffd7 0402080a 2340a5d4 4a715197 0103030a";

    private final TcpOptions.Parsed opts = new TcpOptions.Parsed();

    /** A segment with {@code flags} and the given options (their length a multiple of 4). */
    private static PacketBuffer segment(int flags, String optionsHex) {
        byte[] options = Hex.bytes(optionsHex);
        PacketBuffer b = Hex.zeros(TcpHeader.MIN_LENGTH + options.length);
        TcpHeader.write(b, b.data(), 1000, 80, 1, 0, TcpHeader.MIN_LENGTH + options.length, flags, 1024, 0);
        b.write(b.data() + TcpHeader.MIN_LENGTH, options, 0, options.length);
        return b;
    }

    private TcpOptions.Parsed parse(int flags, String optionsHex) {
        PacketBuffer b = segment(flags, optionsHex);
        TcpOptions.parse(b, b.data(), opts);
        b.release();
        return opts;
    }

    @Test
    void parsesALinuxSyn() {
        parse(TcpHeader.SYN, LINUX_SYN_OPTIONS);
        assertThat(opts.mss()).isEqualTo(65495);
        assertThat(opts.sackPermitted()).isTrue();
        assertThat(opts.sawTimestamp()).isTrue();
        assertThat(opts.tsVal()).isEqualTo(0x4a715197);
        assertThat(opts.tsEcr()).isZero();
        assertThat(opts.sawWscale()).isTrue();
        assertThat(opts.wscale()).isEqualTo(10);
        assertThat(opts.numSacks()).isZero();
    }

    @Test
    void parsesALinuxSynAck() {
        parse(TcpHeader.SYN | TcpHeader.ACK, LINUX_SYNACK_OPTIONS);
        assertThat(opts.mss()).isEqualTo(65495);
        assertThat(opts.tsVal()).isEqualTo(0x2340a5d4);
        assertThat(opts.tsEcr()).isEqualTo(0x4a715197);
    }

    @Test
    void synOnlyOptionsAreIgnoredWithoutSyn() {
        parse(TcpHeader.ACK, LINUX_SYN_OPTIONS);
        assertThat(opts.mss()).isZero();
        assertThat(opts.sackPermitted()).isFalse();
        assertThat(opts.sawWscale()).isFalse();
        assertThat(opts.sawTimestamp()).isTrue();
        assertThat(opts.tsVal()).isEqualTo(0x4a715197);
    }

    @Test
    void noOptionsClearsWhatTheHolderSawBefore() {
        parse(TcpHeader.SYN, LINUX_SYN_OPTIONS);
        parse(TcpHeader.ACK, "");
        assertThat(opts.mss()).isZero();
        assertThat(opts.sackPermitted()).isFalse();
        assertThat(opts.sawTimestamp()).isFalse();
        assertThat(opts.sawWscale()).isFalse();
        assertThat(opts.numSacks()).isZero();
    }

    @Test
    void eolEndsTheList() {
        parse(TcpHeader.SYN, "020405b4 00000000 0402080a 00000001 00000002 01030307");
        assertThat(opts.mss()).isEqualTo(1460);
        assertThat(opts.sawTimestamp()).isFalse();
        assertThat(opts.sackPermitted()).isFalse();
    }

    @Test
    void sillyLengthStopsButKeepsWhatCameBefore() {
        parse(TcpHeader.SYN, "020405b4 08010402 01030307");
        assertThat(opts.mss()).isEqualTo(1460);
        assertThat(opts.sackPermitted()).isFalse();
        assertThat(opts.sawWscale()).isFalse();
        parse(TcpHeader.SYN, "01010800 04020101");
        assertThat(opts.sackPermitted()).isFalse();
    }

    @Test
    void optionRunningPastTheHeaderIsNotParsed() {
        parse(TcpHeader.ACK, "01080a00 00000100");
        assertThat(opts.sawTimestamp()).isFalse();
        parse(TcpHeader.SYN, "02040218 0103030e 01010405");
        assertThat(opts.mss()).isEqualTo(0x218);
        assertThat(opts.wscale()).isEqualTo(14);
    }

    @Test
    void loneKindByteAtTheEndIsTolerated() {
        parse(TcpHeader.SYN, "01010103");
        assertThat(opts.sawWscale()).isFalse();
    }

    @Test
    void knownOptionsOfTheWrongLengthAreSkipped() {
        // MSS with length 3, SACK-permitted with length 3, a 6-byte timestamp, then a good window scale.
        parse(TcpHeader.SYN, "020305 040300 0806aabbccdd 0103 0305 0000 0000");
        assertThat(opts.mss()).isZero();
        assertThat(opts.sackPermitted()).isFalse();
        assertThat(opts.sawTimestamp()).isFalse();
        assertThat(opts.sawWscale()).isTrue();
        assertThat(opts.wscale()).isEqualTo(5);
    }

    @Test
    void unknownOptionsAreSkipped() {
        parse(TcpHeader.ACK, "fe06aabb ccdd 0101 080a 00000007 00000009 0000");
        assertThat(opts.sawTimestamp()).isTrue();
        assertThat(opts.tsVal()).isEqualTo(7);
        assertThat(opts.tsEcr()).isEqualTo(9);
    }

    @Test
    void windowScaleAbove14IsCappedAndZeroMssIgnored() {
        parse(TcpHeader.SYN, "02040000 010303ff");
        assertThat(opts.mss()).isZero();
        assertThat(opts.sawWscale()).isTrue();
        assertThat(opts.wscale()).isEqualTo(TcpOptions.TCP_MAX_WSCALE);
    }

    @Test
    void sackBlocksAreCopiedAndMalformedSackIgnored() {
        parse(TcpHeader.ACK, "0101080a 00000001 00000002 01010512 00000010 00000020 00000030 00000040");
        assertThat(opts.sawTimestamp()).isTrue();
        assertThat(opts.numSacks()).isEqualTo(2);
        assertThat(new int[] {opts.sackStart(0), opts.sackEnd(0), opts.sackStart(1), opts.sackEnd(1)})
                .containsExactly(0x10, 0x20, 0x30, 0x40);

        parse(TcpHeader.ACK, "0101050b 00000010 00000020 00000000");
        assertThat(opts.numSacks()).isZero();
        parse(TcpHeader.ACK, "01010502");
        assertThat(opts.numSacks()).isZero();
    }

    @Test
    void fourSackBlocksFillTheOptionSpace() {
        StringBuilder hex = new StringBuilder("01010522");
        for (int i = 1; i <= 8; i++) hex.append(String.format("%08x", -i));
        parse(TcpHeader.ACK, hex.toString());
        assertThat(opts.numSacks()).isEqualTo(4);
        assertThat(opts.sackStart(3)).isEqualTo(-7);
        assertThat(opts.sackEnd(3)).isEqualTo(-8);
    }

    @Test
    void randomOptionBytesNeverEscapeTheHeader() {
        Random rnd = new Random(42);
        PacketBuffer b = Hex.zeros(TcpHeader.MAX_LENGTH);
        for (int round = 0; round < 20_000; round++) {
            int headerLength = TcpHeader.MIN_LENGTH + 4 * rnd.nextInt(11);
            // The header ends at the buffer's last byte, so reading past it throws.
            int at = b.capacity() - headerLength;
            TcpHeader.write(b, at, 1, 2, 3, 4, headerLength, rnd.nextInt(256), 0, 0);
            for (int i = TcpHeader.MIN_LENGTH; i < headerLength; i++) b.setByte(at + i, rnd.nextInt(256));
            TcpOptions.parse(b, at, opts);
            assertThat(opts.numSacks()).isBetween(0, 4);
            assertThat(opts.wscale()).isBetween(0, 14);
        }
        b.release();
    }

    @Test
    void synOptionsAreByteForByteLinux() {
        PacketBuffer b = Hex.zeros(40);
        int all = OPTION_SACK_ADVERTISE | OPTION_TS | OPTION_WSCALE;
        int len = TcpOptions.writeSynOptions(b, b.data(), all, 65495, 10, 0x4a715197, 0);
        assertThat(len).isEqualTo(20).isEqualTo(TcpOptions.synOptionsLength(all));
        assertThat(Hex.hex(b, b.data(), len)).isEqualTo(LINUX_SYN_OPTIONS.replace(" ", ""));

        len = TcpOptions.writeSynOptions(b, b.data(), all, 65495, 10, 0x2340a5d4, 0x4a715197);
        assertThat(Hex.hex(b, b.data(), len)).isEqualTo(LINUX_SYNACK_OPTIONS.replace(" ", ""));

        len = TcpOptions.writeSynOptions(b, b.data(), all, 1460, 7, 0x01020304, 0);
        assertThat(Hex.hex(b, b.data(), len)).isEqualTo("020405b40402080a010203040000000001030307");
        b.release();
    }

    @Test
    void synOptionsWithTimestampsOrSackTurnedOffInLinux() {
        PacketBuffer b = Hex.zeros(40);
        int at = b.data();
        // Captured with net.ipv4.tcp_timestamps=0, then with net.ipv4.tcp_sack=0.
        int len = TcpOptions.writeSynOptions(b, at, OPTION_SACK_ADVERTISE | OPTION_WSCALE, 65495, 10, 0, 0);
        assertThat(Hex.hex(b, at, len)).isEqualTo("0204ffd7010104020103030a");
        len = TcpOptions.writeSynOptions(b, at, OPTION_TS | OPTION_WSCALE, 65495, 10, 0x2ba43424, 0);
        assertThat(Hex.hex(b, at, len)).isEqualTo("0204ffd70101080a2ba43424000000000103030a");
        b.release();
    }

    @Test
    void synOptionsWithoutSomeFeatures() {
        PacketBuffer b = Hex.zeros(40);
        int at = b.data();
        assertThat(write(b, OPTION_TS | OPTION_WSCALE))
                .isEqualTo("020405b4 0101080a 00000005 00000006 01030307".replace(" ", ""));
        assertThat(write(b, OPTION_SACK_ADVERTISE | OPTION_WSCALE)).isEqualTo("020405b401010402" + "01030307");
        assertThat(write(b, OPTION_SACK_ADVERTISE)).isEqualTo("020405b401010402");
        assertThat(write(b, OPTION_TS)).isEqualTo("020405b40101080a0000000500000006");
        assertThat(write(b, 0)).isEqualTo("020405b4");
        for (int o = 0; o < 16; o++) {
            int options = o & (OPTION_SACK_ADVERTISE | OPTION_TS | OPTION_WSCALE);
            assertThat(TcpOptions.writeSynOptions(b, at, options, 1460, 7, 5, 6))
                    .isEqualTo(TcpOptions.synOptionsLength(options))
                    .satisfies(l -> assertThat(l % 4).isZero());
        }
        b.release();
    }

    private static String write(PacketBuffer b, int options) {
        int len = TcpOptions.writeSynOptions(b, b.data(), options, 1460, 7, 5, 6);
        return Hex.hex(b, b.data(), len);
    }

    @Test
    void writtenSynOptionsParseBack() {
        PacketBuffer b = segment(TcpHeader.SYN, "00".repeat(20));
        TcpOptions.writeSynOptions(b, b.data() + TcpHeader.MIN_LENGTH,
                OPTION_SACK_ADVERTISE | OPTION_TS | OPTION_WSCALE, 8960, 14, -2, -3);
        TcpOptions.parse(b, b.data(), opts);
        assertThat(opts.mss()).isEqualTo(8960);
        assertThat(opts.wscale()).isEqualTo(14);
        assertThat(opts.sackPermitted()).isTrue();
        assertThat(opts.tsVal()).isEqualTo(-2);
        assertThat(opts.tsEcr()).isEqualTo(-3);
        b.release();
    }

    @Test
    void timestampOptionOfADataSegment() {
        PacketBuffer b = Hex.zeros(12);
        assertThat(TcpOptions.writeTimestamp(b, b.data(), 0x4a715198, 0x2340a5d4)).isEqualTo(12);
        assertThat(Hex.hex(b, b.data(), 12)).isEqualTo("0101080a4a7151982340a5d4");
        b.release();
    }

    @Test
    void sackBlocksAfterATimestamp() {
        int used = TcpOptions.TCPOLEN_TSTAMP_ALIGNED;
        int n = TcpOptions.maxSackBlocks(used);
        assertThat(n).isEqualTo(3);
        PacketBuffer b = segment(TcpHeader.ACK, "00".repeat(used + TcpOptions.sackBlocksLength(n)));
        int p = b.data() + TcpHeader.MIN_LENGTH;
        p += TcpOptions.writeTimestamp(b, p, 11, 12);
        int len = TcpOptions.writeSackBlocks(b, p, new int[] {100, 300, 500}, new int[] {200, 400, 600}, n);
        assertThat(len).isEqualTo(28).isEqualTo(TcpOptions.sackBlocksLength(3));
        assertThat(Hex.hex(b, p, 4)).isEqualTo("0101051a");
        TcpOptions.parse(b, b.data(), opts);
        assertThat(opts.numSacks()).isEqualTo(3);
        assertThat(opts.sackStart(2)).isEqualTo(500);
        assertThat(opts.sackEnd(2)).isEqualTo(600);
        assertThat(opts.tsEcr()).isEqualTo(12);
        b.release();
    }

    @Test
    void sackBlockRoom() {
        assertThat(TcpOptions.maxSackBlocks(0)).isEqualTo(4);
        assertThat(TcpOptions.maxSackBlocks(12)).isEqualTo(3);
        assertThat(TcpOptions.maxSackBlocks(28)).isEqualTo(1);
        assertThat(TcpOptions.maxSackBlocks(29)).isZero();
        assertThat(TcpOptions.maxSackBlocks(40)).isZero();
        assertThat(TcpOptions.sackBlocksLength(0)).isZero();
        assertThat(TcpOptions.sackBlocksLength(4)).isEqualTo(36);
    }

    @Test
    void writeSackBlocksRefusesMoreThanFour() {
        PacketBuffer b = Hex.zeros(48);
        int[] five = new int[5];
        assertThat(TcpOptions.writeSackBlocks(b, b.data(), five, five, 0)).isZero();
        assertThatThrownBy(() -> TcpOptions.writeSackBlocks(b, b.data(), five, five, 5))
                .isInstanceOf(IllegalArgumentException.class);
        b.release();
    }
}
