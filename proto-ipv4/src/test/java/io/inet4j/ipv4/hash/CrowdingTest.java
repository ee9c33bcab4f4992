package io.inet4j.ipv4.hash;

import static io.inet4j.ipv4.hash.HashFixture.LOCAL;
import static io.inet4j.ipv4.hash.HashFixture.NO_TW_REUSE;
import static io.inet4j.ipv4.hash.HashFixture.PEER;
import static org.assertj.core.api.Assertions.assertThat;

import io.inet4j.ipv4.af.InetSock;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The case that makes Linux slow: most of the ephemeral range held by TIME_WAIT entries to one destination, so
 * every connect there walks them. Asserts only that the ports are right; the rate is printed, not checked.
 */
class CrowdingTest {
    private static final int RANGE = 60999 - 32768 + 1;
    private static final long TIME_WAIT_LEN = 60_000_000_000L;

    private final HashFixture f = new HashFixture();
    /** (remote address, remote port, local port) of every connection and TIME_WAIT entry. */
    private final Set<Long> tuples = new HashSet<>();

    @Test
    void tenThousandConnectsWithSixtyPercentOfTheRangeInTimeWait() {
        crowdWithTimeWait(RANGE * 60 / 100);
        double rate = connectMany(10_000, NO_TW_REUSE);
        System.out.printf("inet_hash_connect, 60%% of the range in TIME_WAIT, recycling off: %,.0f connects/s%n", rate);
    }

    @Test
    void recyclingThatTheProtocolRefusesVisitsEachEntry() {
        crowdWithTimeWait(RANGE * 60 / 100);
        TimewaitCheck refuses = (sk, tw, portWasBound) -> false;
        double rate = connectMany(1_000, refuses);
        System.out.printf("inet_hash_connect, 60%% of the range in TIME_WAIT, recycling asked and refused: %,.0f connects/s%n",
                rate);
    }

    private void crowdWithTimeWait(int entries) {
        for (int i = 0; i < entries; i++) {
            InetSock sk = f.connect(LOCAL, PEER, 80);
            assertThat(tuples.add(tuple(PEER, 80, sk.num))).isTrue();
            f.timeWait(sk, TIME_WAIT_LEN);
        }
        assertThat(f.h.timewaitCount()).isEqualTo(entries);
    }

    /** {@code n} connects, every other one to the crowded destination, the rest over nine others; connects/s. */
    private double connectMany(int n, TimewaitCheck check) {
        InetSock[] socks = new InetSock[n];
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            socks[i] = f.connecting(LOCAL, i % 2 == 0 ? PEER : PEER + 1 + i % 9, 80);
            assertThat(f.h.inetHashConnect(socks[i], check)).isZero();
        }
        long elapsed = System.nanoTime() - start;
        for (InetSock sk : socks) {
            assertThat(sk.num).isBetween(32768, 60999);
            assertThat(tuples.add(tuple(sk.daddr, sk.dport, sk.num))).as("4-tuple of port %d", sk.num).isTrue();
            assertThat(f.h.lookupEstablished(sk.daddr, sk.dport, LOCAL, sk.num, 1)).isSameAs(sk);
        }
        return n * 1e9 / elapsed;
    }

    private static long tuple(int daddr, int dport, int sport) {
        return (daddr & 0xFFFF_FFFFL) << 32 | (long) dport << 16 | sport;
    }
}
