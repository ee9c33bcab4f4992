package io.inet4j.tcp;

import io.inet4j.loop.Clock;
import java.util.random.RandomGenerator;

/**
 * Initial sequence numbers and the other keyed connection hashes of net/core/secure_seq.c. RFC 6528:
 * {@code ISN = M + F(localip, localport, remoteip, remoteport, secretkey)}, F being SipHash-2-4 under a 128-bit
 * secret and M a clock ticking every 64 ns ({@code seq_scale()}: {@code ktime_get_real_ns() >> 6}, wrapping
 * every 274 s, so an old connection's sequence numbers stay behind a new one's for longer than an MSL).
 *
 * <p>Secrets come from the stack's seeded random source and time from its {@link Clock}, so under a virtual clock
 * the same seed yields the same ISNs. The clock only needs to be monotonic; Linux reads wall-clock time.
 *
 * <p>Hash inputs are laid out in wire order (addresses and ports as the header carries them), the layout
 * {@code secure_tcpv6_seq()} uses. Every method runs on the stack's loop: the hash state is reused.
 */
public final class TcpIsn {
    private final Clock clock;
    private final long netSecret0;
    private final long netSecret1;
    private final long tsSecret0;
    private final long tsSecret1;
    private final SipHash sip = new SipHash();

    /** Draws {@code net_secret} then {@code ts_secret}, two longs each, from {@code random}. */
    public TcpIsn(Clock clock, RandomGenerator random) {
        this.clock = clock;
        this.netSecret0 = random.nextLong();
        this.netSecret1 = random.nextLong();
        this.tsSecret0 = random.nextLong();
        this.tsSecret1 = random.nextLong();
    }

    /**
     * {@code secure_tcp_seq()}: the ISN for a connection from {@code saddr:sport} to {@code daddr:dport}; a
     * keyed hash of the four-tuple plus the 64 ns clock.
     */
    public int secureTcpSeq(int saddr, int daddr, int sport, int dport) {
        long hash = sip.init(netSecret0, netSecret1)
                .compress(addresses(saddr, daddr))
                .finish(SipHash.lastWord(le16(sport) | le16(dport) << 16, 12));
        return (int) hash + (int) (clock.nanoTime() >> 6);
    }

    /**
     * {@code secure_ipv4_port_ephemeral()}: the per-destination hash {@code __inet_hash_connect()} turns into its
     * starting point in the local port range (Linux 6.x uses the low bits to pick a perturbation slot and the
     * high 32 bits as the offset). No clock: the same destination keeps the same offset.
     */
    public long secureIpv4PortEphemeral(int saddr, int daddr, int dport) {
        return sip.init(netSecret0, netSecret1)
                .compress(addresses(saddr, daddr))
                .finish(SipHash.lastWord(le16(dport), 10));
    }

    /**
     * {@code secure_tcp_ts_off()}: the per-address-pair offset added to TCP timestamps, under its own secret.
     * Linux returns 0 unless {@code tcp_timestamps} is 1; that check is the caller's.
     */
    public int secureTcpTsOff(int saddr, int daddr) {
        return (int) sip.init(tsSecret0, tsSecret1)
                .compress(addresses(saddr, daddr))
                .finish(SipHash.lastWord(0, 8));
    }

    /** Both addresses' wire bytes as one little-endian message word. */
    private static long addresses(int saddr, int daddr) {
        return (Integer.reverseBytes(saddr) & 0xffff_ffffL) | (long) Integer.reverseBytes(daddr) << 32;
    }

    /** A port's two wire bytes as a little-endian value. */
    private static long le16(int port) {
        return Short.reverseBytes((short) port) & 0xffffL;
    }
}
