package io.inet4j.socket;

import static org.assertj.core.api.Assertions.assertThat;

import io.inet4j.buffer.PacketBufferPool;
import io.inet4j.loop.SimulatedEventLoop;
import io.inet4j.net.Net;
import io.inet4j.net.NetConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Pins the {@code SOL_SOCKET} options as {@code net/core/sock.c} answers them: buffer sizes doubled, clamped to
 * {@code rmem_max}/{@code wmem_max} (a negative value counts as huge, as the kernel's {@code u32} compare makes
 * it), floored at SOCK_MIN_RCVBUF/SNDBUF and kept from overflowing; the user lock bits; SO_ERROR read-and-clear;
 * flags, linger, timeouts; ENOPROTOOPT for the rest.
 */
class SockOptionsTest {
    private static final int RMEM_MAX = 212992;

    private final Net net = new Net(NetConfig.named("t").withSeed(1), new SimulatedEventLoop(), PacketBufferPool.standard());
    private final TestSock sk = new TestSock(net);

    /** The smallest {@link Sock} there is. */
    static final class TestSock extends Sock {
        TestSock(Net net) { super(net, PROTO, AddressFamily.AF_INET, SockType.SOCK_STREAM, 6); }
    }

    private static final Proto PROTO = new Proto() {
        @Override public String name() { return "TEST"; }
        @Override public Sock newSock(int type, int protocol) { throw new UnsupportedOperationException(); }
        @Override public void close(Sock sk, long timeoutNanos) {}
    };

    private int set(int opt, int value) { return SockOptions.setsockopt(sk, opt, value); }

    private int get(int opt) {
        int[] v = new int[1];
        assertThat(SockOptions.getsockopt(sk, opt, v)).isZero();
        return v[0];
    }

    @Test
    void buffersStartAtTheCoreDefaults() {
        assertThat(get(SockOpt.SO_RCVBUF)).isEqualTo(212992);
        assertThat(get(SockOpt.SO_SNDBUF)).isEqualTo(212992);
        assertThat((int) sk.userlocks).isZero();
    }

    /** Linux 6.x: {@code setsockopt(SO_RCVBUF, v); getsockopt(SO_RCVBUF)} with rmem_max and wmem_max at 212992. */
    @ParameterizedTest(name = "set {0} -> rcvbuf {1}, sndbuf {2}")
    @CsvSource({"65536, 131072, 131072", "106496, 212992, 212992", "212992, 425984, 425984", "10000000, 425984, 425984",
            "1000, 2304, 4608", "1, 2304, 4608", "0, 2304, 4608", "-1, 425984, 425984", "-2147483648, 425984, 425984"})
    void buffersAreDoubledClampedAndFloored(int value, int rcvbuf, int sndbuf) {
        assertThat(set(SockOpt.SO_RCVBUF, value)).isZero();
        assertThat(set(SockOpt.SO_SNDBUF, value)).isZero();
        assertThat(get(SockOpt.SO_RCVBUF)).isEqualTo(rcvbuf);
        assertThat(get(SockOpt.SO_SNDBUF)).isEqualTo(sndbuf);
        assertThat((int) sk.userlocks).isEqualTo(Sock.SOCK_RCVBUF_LOCK | Sock.SOCK_SNDBUF_LOCK);
    }

    @Test
    void theClampFollowsTheSysctl() {
        net.sysctls().set("net.core.rmem_max", "1000000");
        set(SockOpt.SO_RCVBUF, 10_000_000);
        assertThat(get(SockOpt.SO_RCVBUF)).isEqualTo(2_000_000);
        assertThat(get(SockOpt.SO_SNDBUF)).as("wmem_max untouched").isEqualTo(212992);
        set(SockOpt.SO_SNDBUF, 10_000_000);
        assertThat(get(SockOpt.SO_SNDBUF)).isEqualTo(2 * RMEM_MAX);
    }

    @Test
    void doublingNeverOverflows() {
        net.sysctls().set("net.core.rmem_max", "" + Integer.MAX_VALUE);
        net.sysctls().set("net.core.wmem_max", "" + Integer.MAX_VALUE);
        set(SockOpt.SO_RCVBUF, Integer.MAX_VALUE);
        set(SockOpt.SO_SNDBUF, Integer.MAX_VALUE);
        assertThat(get(SockOpt.SO_RCVBUF)).isEqualTo(Integer.MAX_VALUE / 2 * 2);
        assertThat(get(SockOpt.SO_SNDBUF)).isEqualTo(Integer.MAX_VALUE / 2 * 2);
    }

    @Test
    void settingTheSendBufferWakesWriters() {
        Socket socket = new Socket(SockType.SOCK_STREAM);
        sk.socket = socket;
        long ticket = socket.wq().ticket();
        set(SockOpt.SO_SNDBUF, 100_000);
        assertThat(socket.wq().ticket()).isNotEqualTo(ticket);
    }

    @Test
    void readingSoErrorClearsIt() {
        sk.err = Errno.ECONNREFUSED.number();
        assertThat(get(SockOpt.SO_ERROR)).isEqualTo(111);
        assertThat(get(SockOpt.SO_ERROR)).isZero();
        assertThat(sk.err).isZero();
    }

    @ParameterizedTest
    @ValueSource(ints = {SockOpt.SO_REUSEADDR, SockOpt.SO_REUSEPORT, SockOpt.SO_KEEPALIVE, SockOpt.SO_BROADCAST})
    void flagsReadBackAsZeroOrOne(int opt) {
        assertThat(get(opt)).isZero();
        set(opt, 7);
        assertThat(get(opt)).isEqualTo(1);
        set(opt, 0);
        assertThat(get(opt)).isZero();
    }

    @Test
    void lingerIsSecondsOrMinusOneForOff() {
        assertThat(get(SockOpt.SO_LINGER)).isEqualTo(-1);
        set(SockOpt.SO_LINGER, 10);
        assertThat(get(SockOpt.SO_LINGER)).isEqualTo(10);
        set(SockOpt.SO_LINGER, -5);
        assertThat(get(SockOpt.SO_LINGER)).isEqualTo(-1);
    }

    @Test
    void timeoutsAreMillisecondsAndNeverNegative() {
        assertThat(set(SockOpt.SO_RCVTIMEO, 1500)).isZero();
        assertThat(set(SockOpt.SO_SNDTIMEO, 20)).isZero();
        assertThat(get(SockOpt.SO_RCVTIMEO)).isEqualTo(1500);
        assertThat(get(SockOpt.SO_SNDTIMEO)).isEqualTo(20);
        assertThat(sk.rcvtimeoNanos()).isEqualTo(1_500_000_000L);
        assertThat(set(SockOpt.SO_RCVTIMEO, -1)).isEqualTo(Errno.EDOM.neg());
        assertThat(set(SockOpt.SO_SNDTIMEO, -1)).isEqualTo(Errno.EDOM.neg());
        assertThat(get(SockOpt.SO_RCVTIMEO)).isEqualTo(1500);
    }

    @Test
    void typeIsReadOnlyAndUnknownOptionsAreRefused() {
        assertThat(get(SockOpt.SO_TYPE)).isEqualTo(SockType.SOCK_STREAM);
        assertThat(set(SockOpt.SO_TYPE, SockType.SOCK_DGRAM)).isEqualTo(Errno.ENOPROTOOPT.neg());
        assertThat(set(SockOpt.SO_ERROR, 0)).isEqualTo(Errno.ENOPROTOOPT.neg());
        assertThat(set(999, 1)).isEqualTo(Errno.ENOPROTOOPT.neg());
        assertThat(SockOptions.getsockopt(sk, 999, new int[1])).isEqualTo(Errno.ENOPROTOOPT.neg());
    }
}
