package io.inet4j.tcp.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inet4j.buffer.PacketBuffer;
import org.junit.jupiter.api.Test;

/** Golden segments captured from Linux 6.18 on the loopback device (127.0.0.1 to 127.0.0.1). */
class TcpHeaderTest {
    private static final int LOOPBACK = 0x7f000001;

    /** connect() to 127.0.0.1:5555; on lo the checksum field holds only the pseudo-header sum (CHECKSUM_PARTIAL). */
    private static final String SYN = "98e015b3 1169f650 00000000 a002ffd7 fe300000"
            + " 0204ffd7 0402080a 4a715197 00000000 0103030a";
    /** A data segment carrying "hello". */
    private static final String DATA = "98e015b3 1169f651 d0b5f967 80180040 fe2d0000"
            + " 0101080a 4a715198 2340a5d4 68656c6c6f";
    /** The TIME_WAIT ACK of the peer's FIN, sent by ip_send_unicast_reply with a full checksum. */
    private static final String TW_ACK = "15b398e0 d0b5f968 1169f657 80100040 90910000"
            + " 0101080a 2340a700 4a7152c4";
    /** The RST answering a SYN to a closed port, also fully checksummed. */
    private static final String RST = "0009a3e6 00000000 0f1a31fb 50140000 ccc90000";

    @Test
    void readsEveryFieldOfALinuxSyn() {
        PacketBuffer b = Hex.buffer(SYN);
        int at = b.data();
        assertThat(TcpHeader.sourcePort(b, at)).isEqualTo(39136);
        assertThat(TcpHeader.destPort(b, at)).isEqualTo(5555);
        assertThat(TcpHeader.seq(b, at)).isEqualTo(0x1169f650);
        assertThat(TcpHeader.ackSeq(b, at)).isZero();
        assertThat(TcpHeader.dataOffset(b, at)).isEqualTo(10);
        assertThat(TcpHeader.headerLength(b, at)).isEqualTo(40);
        assertThat(TcpHeader.flags(b, at)).isEqualTo(TcpHeader.SYN);
        assertThat(TcpHeader.hasFlags(b, at, TcpHeader.SYN)).isTrue();
        assertThat(TcpHeader.hasFlags(b, at, TcpHeader.SYN | TcpHeader.ACK)).isFalse();
        assertThat(TcpHeader.window(b, at)).isEqualTo(65495);
        assertThat(TcpHeader.checksum(b, at)).isEqualTo(0xfe30);
        assertThat(TcpHeader.urgentPointer(b, at)).isZero();
        b.release();
    }

    @Test
    void flagConstantsMatchTheWire() {
        PacketBuffer b = Hex.buffer(RST);
        assertThat(TcpHeader.flags(b, b.data())).isEqualTo(TcpHeader.RST | TcpHeader.ACK).isEqualTo(0x14);
        assertThat(new int[] {TcpHeader.FIN, TcpHeader.SYN, TcpHeader.RST, TcpHeader.PSH, TcpHeader.ACK,
                TcpHeader.URG, TcpHeader.ECE, TcpHeader.CWR}).containsExactly(1, 2, 4, 8, 16, 32, 64, 128);
        b.release();
    }

    @Test
    void endSeqCountsSynFinAndPayload() {
        PacketBuffer syn = Hex.buffer(SYN);
        assertThat(TcpHeader.endSeq(syn, syn.data(), 0)).isEqualTo(0x1169f651);
        PacketBuffer data = Hex.buffer(DATA);
        assertThat(TcpHeader.endSeq(data, data.data(), 5)).isEqualTo(0x1169f651 + 5);
        TcpHeader.setFlags(data, data.data(), TcpHeader.FIN | TcpHeader.ACK);
        assertThat(TcpHeader.endSeq(data, data.data(), 5)).isEqualTo(0x1169f651 + 6);
        TcpHeader.setSeq(data, data.data(), 0xffff_fffe);
        assertThat(TcpHeader.endSeq(data, data.data(), 5)).isEqualTo(4);
        syn.release();
        data.release();
    }

    @Test
    void lengthValidRejectsShortSegmentsAndBadDataOffsets() {
        PacketBuffer b = Hex.buffer(SYN);
        int at = b.data();
        assertThat(TcpHeader.lengthValid(b, at, 40)).isTrue();
        assertThat(TcpHeader.lengthValid(b, at, 1000)).isTrue();
        assertThat(TcpHeader.lengthValid(b, at, 39)).isFalse();
        assertThat(TcpHeader.lengthValid(b, at, 19)).isFalse();
        b.setByte(at + 12, 4 << 4);
        assertThat(TcpHeader.lengthValid(b, at, 40)).isFalse();
        b.setByte(at + 12, 0);
        assertThat(TcpHeader.lengthValid(b, at, 40)).isFalse();
        b.setByte(at + 12, 5 << 4);
        assertThat(TcpHeader.lengthValid(b, at, 20)).isTrue();
        b.setByte(at + 12, 15 << 4);
        assertThat(TcpHeader.lengthValid(b, at, 59)).isFalse();
        assertThat(TcpHeader.lengthValid(b, at, 60)).isTrue();
        b.release();
    }

    @Test
    void fullChecksumsFromLinuxVerify() {
        PacketBuffer rst = Hex.buffer(RST);
        assertThat(TcpHeader.verifyChecksum(rst, rst.data(), 20, LOOPBACK, LOOPBACK)).isTrue();
        PacketBuffer ack = Hex.buffer(TW_ACK);
        assertThat(TcpHeader.verifyChecksum(ack, ack.data(), 32, LOOPBACK, LOOPBACK)).isTrue();
        assertThat(TcpHeader.verifyChecksum(ack, ack.data(), 32, LOOPBACK, 0x7f000002)).isFalse();
        ack.setByte(ack.data() + 31, ack.getByte(ack.data() + 31) ^ 0x01);
        assertThat(TcpHeader.verifyChecksum(ack, ack.data(), 32, LOOPBACK, LOOPBACK)).isFalse();
        rst.release();
        ack.release();
    }

    @Test
    void checksumOverAnOddLengthPayload() {
        PacketBuffer data = Hex.buffer(DATA);
        int at = data.data();
        TcpHeader.updateChecksum(data, at, 37, 0x0a000001, 0x0a000002);
        assertThat(TcpHeader.verifyChecksum(data, at, 37, 0x0a000001, 0x0a000002)).isTrue();
        data.setByte(at + 36, 'O');
        assertThat(TcpHeader.verifyChecksum(data, at, 37, 0x0a000001, 0x0a000002)).isFalse();
        data.release();
    }

    @Test
    void writeAndChecksumReproduceTheLinuxTimeWaitAck() {
        PacketBuffer b = Hex.zeros(32);
        int at = b.data();
        TcpHeader.write(b, at, 5555, 39136, 0xd0b5f968, 0x1169f657, 32, TcpHeader.ACK, 0x40, 0);
        TcpOptions.writeTimestamp(b, at + TcpHeader.MIN_LENGTH, 0x2340a700, 0x4a7152c4);
        TcpHeader.updateChecksum(b, at, 32, LOOPBACK, LOOPBACK);
        assertThat(Hex.hex(b, at, 32)).isEqualTo(TW_ACK.replace(" ", ""));
        b.release();
    }

    @Test
    void pseudoHeaderChecksumIsWhatLinuxLeavesForTheDevice() {
        PacketBuffer syn = Hex.buffer(SYN);
        int at = syn.data();
        TcpHeader.setChecksum(syn, at, 0);
        TcpHeader.setPseudoHeaderChecksum(syn, at, 40, LOOPBACK, LOOPBACK);
        assertThat(TcpHeader.checksum(syn, at)).isEqualTo(0xfe30);
        PacketBuffer data = Hex.buffer(DATA);
        TcpHeader.setPseudoHeaderChecksum(data, data.data(), 37, LOOPBACK, LOOPBACK);
        assertThat(TcpHeader.checksum(data, data.data())).isEqualTo(0xfe2d);
        syn.release();
        data.release();
    }

    @Test
    void settersWriteWhereGettersRead() {
        PacketBuffer b = Hex.zeros(20);
        int at = b.data();
        TcpHeader.setSourcePort(b, at, 65535);
        TcpHeader.setDestPort(b, at, 1);
        TcpHeader.setSeq(b, at, -1);
        TcpHeader.setAckSeq(b, at, 0x80000000);
        TcpHeader.setWindow(b, at, 0xfffe);
        TcpHeader.setChecksum(b, at, 0xbeef);
        TcpHeader.setUrgentPointer(b, at, 7);
        assertThat(Hex.hex(b, at, 20)).isEqualTo("ffff0001ffffffff800000000000fffebeef0007");
        b.release();
    }

    @Test
    void writeRefusesHeaderLengthsTheWireCannotCarry() {
        PacketBuffer b = Hex.zeros(64);
        for (int bad : new int[] {16, 22, 64}) {
            assertThatThrownBy(() -> TcpHeader.write(b, b.data(), 1, 2, 3, 4, bad, 0, 0, 0))
                    .isInstanceOf(IllegalArgumentException.class);
        }
        b.release();
    }
}
