package io.inet4j.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.inet4j.loop.VirtualClock;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TcpIsnTest {
    private static final int A = 0x0a000001;
    private static final int B = 0x0a000002;

    private final VirtualClock clock = new VirtualClock(1_000_000_000L);

    @Test
    void sameSeedAndTimeGiveTheSameIsn() {
        TcpIsn one = new TcpIsn(clock, new Random(7));
        TcpIsn two = new TcpIsn(new VirtualClock(clock.nanoTime()), new Random(7));
        assertThat(one.secureTcpSeq(A, B, 40000, 80)).isEqualTo(two.secureTcpSeq(A, B, 40000, 80));
        assertThat(new TcpIsn(clock, new Random(8)).secureTcpSeq(A, B, 40000, 80))
                .isNotEqualTo(one.secureTcpSeq(A, B, 40000, 80));
    }

    @Test
    void isnIsTheKeyedHashOfTheTupleInWireOrderPlusTheClock() {
        Random keys = new Random(7);
        byte[] key = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(keys.nextLong()).putLong(keys.nextLong()).array();
        byte[] tuple = ByteBuffer.allocate(12).putInt(A).putInt(B).putShort((short) 40000).putShort((short) 80).array();
        int expected = (int) SipHashTest.hash(key, tuple) + (int) (clock.nanoTime() >> 6);
        assertThat(new TcpIsn(clock, new Random(7)).secureTcpSeq(A, B, 40000, 80)).isEqualTo(expected);
    }

    @Test
    void theClockTicksEvery64Nanoseconds() {
        TcpIsn isn = new TcpIsn(clock, new Random(1));
        int start = isn.secureTcpSeq(A, B, 40000, 80);
        clock.advance(63);
        assertThat(isn.secureTcpSeq(A, B, 40000, 80)).isEqualTo(start);
        clock.advance(1);
        assertThat(isn.secureTcpSeq(A, B, 40000, 80)).isEqualTo(start + 1);
        clock.advance(64L * 1_000_000);
        assertThat(isn.secureTcpSeq(A, B, 40000, 80)).isEqualTo(start + 1_000_001);
        // A second later the ISN is 1e9 / 64 further on, modulo 2^32.
        clock.advance(1_000_000_000L);
        assertThat(isn.secureTcpSeq(A, B, 40000, 80) - start).isEqualTo(1_000_001 + 15_625_000);
        // 2^38 ns (about 275 s) later it has gone once round the sequence space.
        int now = isn.secureTcpSeq(A, B, 40000, 80);
        clock.advance(1L << 38);
        assertThat(isn.secureTcpSeq(A, B, 40000, 80)).isEqualTo(now);
    }

    @Test
    void isnsOfDifferentConnectionsLookUnrelated() {
        TcpIsn isn = new TcpIsn(clock, new Random(3));
        Set<Integer> seen = new HashSet<>();
        for (int port = 32768; port < 33768; port++) seen.add(isn.secureTcpSeq(A, B, port, 80));
        seen.add(isn.secureTcpSeq(B, A, 80, 32768));
        assertThat(seen).hasSize(1001);
        int isn1 = isn.secureTcpSeq(A, B, 32768, 80);
        int isn2 = isn.secureTcpSeq(A, B, 32769, 80);
        assertThat(Integer.bitCount(isn1 ^ isn2)).isBetween(4, 28);
    }

    @Test
    void portOffsetDependsOnTheDestinationNotTheClock() {
        TcpIsn isn = new TcpIsn(clock, new Random(5));
        long offset = isn.secureIpv4PortEphemeral(A, B, 443);
        clock.advance(10_000_000_000L);
        assertThat(isn.secureIpv4PortEphemeral(A, B, 443)).isEqualTo(offset);
        assertThat(isn.secureIpv4PortEphemeral(A, B, 80)).isNotEqualTo(offset);
        assertThat(isn.secureIpv4PortEphemeral(A, 0x0a000003, 443)).isNotEqualTo(offset);
        assertThat(new TcpIsn(clock, new Random(5)).secureIpv4PortEphemeral(A, B, 443)).isEqualTo(offset);
        assertThat(new TcpIsn(clock, new Random(6)).secureIpv4PortEphemeral(A, B, 443)).isNotEqualTo(offset);
    }

    @Test
    void portOffsetHashesAddressesThenDestinationPort() {
        Random keys = new Random(5);
        byte[] key = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(keys.nextLong()).putLong(keys.nextLong()).array();
        byte[] msg = ByteBuffer.allocate(10).putInt(A).putInt(B).putShort((short) 443).array();
        assertThat(new TcpIsn(clock, new Random(5)).secureIpv4PortEphemeral(A, B, 443))
                .isEqualTo(SipHashTest.hash(key, msg));
    }

    @Test
    void timestampOffsetUsesItsOwnSecret() {
        TcpIsn isn = new TcpIsn(clock, new Random(9));
        int off = isn.secureTcpTsOff(A, B);
        clock.advance(1_000_000_000L);
        assertThat(isn.secureTcpTsOff(A, B)).isEqualTo(off);
        assertThat(isn.secureTcpTsOff(B, A)).isNotEqualTo(off);

        Random keys = new Random(9);
        keys.nextLong();
        keys.nextLong();
        byte[] tsKey = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(keys.nextLong()).putLong(keys.nextLong()).array();
        byte[] pair = ByteBuffer.allocate(8).putInt(A).putInt(B).array();
        assertThat(off).isEqualTo((int) SipHashTest.hash(tsKey, pair));
    }
}
