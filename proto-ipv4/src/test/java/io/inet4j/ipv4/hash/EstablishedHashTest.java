package io.inet4j.ipv4.hash;

import static io.inet4j.ipv4.hash.HashFixture.LOCAL;
import static io.inet4j.ipv4.hash.HashFixture.PEER;
import static org.assertj.core.api.Assertions.assertThat;

import io.inet4j.ipv4.af.InetSock;
import io.inet4j.ipv4.af.SockStates;
import io.inet4j.mib.TcpExtMib;
import io.inet4j.socket.Errno;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** The established hash: lookups from the receive path, TIME_WAIT entries, ports held by children. */
class EstablishedHashTest {
    private static final long SECOND = 1_000_000_000L;

    private final HashFixture f = new HashFixture();

    @Test
    void lookupIsFromTheReceivedSegmentsSide() {
        InetSock sk = f.connect(LOCAL, PEER, 80);
        assertThat(f.h.lookupEstablished(PEER, 80, LOCAL, sk.num, 1)).isSameAs(sk);
        assertThat(f.h.lookupEstablished(LOCAL, sk.num, PEER, 80, 1)).isNull();
        assertThat(f.h.lookupEstablished(PEER, 81, LOCAL, sk.num, 1)).isNull();
        assertThat(f.h.ehashInsert(sk)).as("the 4-tuple is taken").isFalse();
    }

    @Test
    void aSocketBoundToADeviceMatchesOnlySegmentsFromIt() {
        InetSock sk = f.sock(LOCAL, false, false, 2);
        assertThat(f.bind(sk, 5000)).isZero();
        sk.daddr = PEER;
        sk.dport = 80;
        assertThat(f.h.inetHashConnect(sk, HashFixture.NO_TW_REUSE)).isZero();
        assertThat(f.h.lookupEstablished(PEER, 80, LOCAL, 5000, 2)).isSameAs(sk);
        assertThat(f.h.lookupEstablished(PEER, 80, LOCAL, 5000, 3)).isNull();
    }

    @Test
    void timeWaitTakesTheSocketsPlaceAndHoldsThePortUntilItsTimerFires() {
        InetSock sk = f.connect(LOCAL, PEER, 80);
        int port = sk.num;
        InetTimewaitSock tw = f.timeWait(sk, 60 * SECOND);
        assertThat(tw.num).isEqualTo(port);
        assertThat(f.h.lookupEstablished(PEER, 80, LOCAL, port, 1)).isSameAs(tw);
        assertThat(f.h.bucket(port)).isNotNull().isSameAs(tw.bindBucket());
        assertThat(tw.bindBucket().port()).isEqualTo(port);
        assertThat(f.h.timewaitCount()).isEqualTo(1);
        assertThat(f.net.mibs().tcpExt.get(TcpExtMib.TW)).isEqualTo(1);

        f.loop.runFor(59 * SECOND);
        assertThat(tw.isScheduled()).isTrue();
        f.loop.runFor(2 * SECOND);
        assertThat(tw.isScheduled()).isFalse();
        assertThat(f.h.lookupEstablished(PEER, 80, LOCAL, port, 1)).isNull();
        assertThat(f.h.bucket(port)).isNull();
        assertThat(f.h.timewaitCount()).isZero();
        assertThat(f.h.ehashSize()).isZero();
    }

    @Test
    void aShortTimeWaitCountsAsKilledAndRescheduleMovesIt() {
        InetTimewaitSock tw = f.timeWait(f.connect(LOCAL, PEER, 80), 3 * SECOND);
        assertThat(f.net.mibs().tcpExt.get(TcpExtMib.TWKilled)).isEqualTo(1);
        f.h.inetTwskReschedule(tw, 10 * SECOND);
        f.loop.runFor(5 * SECOND);
        assertThat(tw.isScheduled()).isTrue();
        f.loop.runFor(6 * SECOND);
        assertThat(tw.isScheduled()).isFalse();
        f.h.inetTwskReschedule(tw, 10 * SECOND);
        assertThat(tw.isScheduled()).as("a dead entry is not revived").isFalse();
    }

    @Test
    void killingATimeWaitEntryIsIdempotent() {
        InetTimewaitSock tw = f.timeWait(f.connect(LOCAL, PEER, 80), 60 * SECOND);
        f.h.inetTwskKill(tw);
        f.h.inetTwskKill(tw);
        assertThat(f.h.timewaitCount()).isZero();
        assertThat(f.h.ehashSize()).isZero();
        assertThat(f.h.bucket(tw.num)).isNull();
    }

    @Test
    void childrenHoldTheListenersPortAfterItCloses() {
        InetSock listener = f.listener(0, 80, false, 0);
        InetSock child = f.sock(LOCAL, false, false, 0);
        child.daddr = PEER;
        child.dport = 40000;
        child.state = SockStates.TCP_ESTABLISHED;
        assertThat(f.h.inetInheritPort(listener, child)).isZero();
        assertThat(f.h.ehashInsert(child)).isTrue();

        f.h.inetUnhash(listener);
        f.h.inetPutPort(listener);
        assertThat(f.h.bucket(80)).isNotNull();
        assertThat(f.bind(f.sock(0, false, false, 0), 80)).isEqualTo(Errno.EADDRINUSE.neg());
        f.h.inetUnhash(child);
        f.h.inetPutPort(child);
        assertThat(f.h.bucket(80)).isNull();
        assertThat(f.h.inetInheritPort(listener, child)).as("the listener holds no port").isNegative();
    }

    @Test
    void lookupsAllocateNothing() {
        InetSock listener = f.listener(0, 80, true, 0);
        f.listener(0, 80, true, 0);
        InetSock sk = f.connect(LOCAL, PEER, 443);
        f.timeWait(f.connect(LOCAL, PEER, 444), 60 * SECOND);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long hits = 0;
        for (int round = 0; round < 3; round++) {
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 100_000; i++) {
                if (f.h.lookup(PEER, 443, LOCAL, sk.num, 1) == sk) hits++;
                if (f.h.lookup(PEER, 1024 + i % 60000, LOCAL, 80, 1) != null) hits++;
                if (f.h.lookupEstablished(PEER, 444, LOCAL, 1 + i % 65535, 1) != null) hits++;
            }
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            if (round == 2) assertThat(allocated).as("bytes allocated by 300,000 lookups").isLessThan(1024);
        }
        assertThat(hits).isGreaterThanOrEqualTo(600_000);
        assertThat(listener.reuseportCb.size()).isEqualTo(2);
    }
}
