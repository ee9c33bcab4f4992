package io.inet4j.tcp;

import static io.inet4j.tcp.ListenBacklog.acceptQueueFull;
import static io.inet4j.tcp.ListenBacklog.listenBacklog;
import static io.inet4j.tcp.ListenBacklog.synBacklogInLastQuarter;
import static io.inet4j.tcp.ListenBacklog.synQueueLength;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ListenBacklogTest {
    private static final int SOMAXCONN = 4096;

    @Test
    void backlogIsCappedBySomaxconn() {
        assertThat(listenBacklog(128, SOMAXCONN)).isEqualTo(128);
        assertThat(listenBacklog(4096, SOMAXCONN)).isEqualTo(4096);
        assertThat(listenBacklog(4097, SOMAXCONN)).isEqualTo(4096);
        assertThat(listenBacklog(0, SOMAXCONN)).isZero();
        assertThat(listenBacklog(5, 0)).isZero();
    }

    @Test
    void negativeBacklogMeansSomaxconn() {
        assertThat(listenBacklog(-1, SOMAXCONN)).isEqualTo(SOMAXCONN);
        assertThat(listenBacklog(Integer.MIN_VALUE, 128)).isEqualTo(128);
    }

    @Test
    void acceptQueueHoldsOneMoreThanTheBacklog() {
        assertThat(acceptQueueFull(0, 0)).isFalse();
        assertThat(acceptQueueFull(1, 0)).isTrue();
        assertThat(acceptQueueFull(128, 128)).isFalse();
        assertThat(acceptQueueFull(129, 128)).isTrue();
    }

    @Test
    void synQueueIsAtLeastSixteen() {
        for (int backlog : new int[] {0, 1, 7, 8, 15}) {
            assertThat(synQueueLength(backlog, SOMAXCONN, 256)).as("backlog %d", backlog).isEqualTo(16);
        }
        assertThat(synQueueLength(16, SOMAXCONN, 256)).isEqualTo(32);
        assertThat(synQueueLength(31, SOMAXCONN, 256)).isEqualTo(32);
        assertThat(synQueueLength(32, SOMAXCONN, 256)).isEqualTo(64);
    }

    @Test
    void synQueueTakesTheSmallestOfBacklogSomaxconnAndMaxSynBacklog() {
        assertThat(synQueueLength(128, SOMAXCONN, 256)).isEqualTo(256);
        assertThat(synQueueLength(511, SOMAXCONN, 1024)).isEqualTo(512);
        assertThat(synQueueLength(4096, SOMAXCONN, 256)).isEqualTo(512);
        assertThat(synQueueLength(4096, 100, 256)).isEqualTo(128);
        assertThat(synQueueLength(-1, SOMAXCONN, 1 << 20)).isEqualTo(8192);
        assertThat(synQueueLength(1000, SOMAXCONN, 0)).isEqualTo(16);
    }

    @Test
    void synQueueEdgesOfTheIntRange() {
        assertThat(synQueueLength(100, SOMAXCONN, -5)).isEqualTo(128);
        assertThat(synQueueLength(Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE)).isEqualTo(1L << 31);
        assertThat(synQueueLength(-1, Integer.MAX_VALUE, -1)).isEqualTo(1L << 31);
    }

    @Test
    void lastQuarterOfTheSynBacklog() {
        assertThat(synBacklogInLastQuarter(0, 256)).isFalse();
        assertThat(synBacklogInLastQuarter(192, 256)).isFalse();
        assertThat(synBacklogInLastQuarter(193, 256)).isTrue();
        assertThat(synBacklogInLastQuarter(300, 256)).isTrue();
        assertThat(synBacklogInLastQuarter(96, 128)).isFalse();
        assertThat(synBacklogInLastQuarter(97, 128)).isTrue();
    }
}
