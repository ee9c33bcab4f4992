package io.inet4j.tcp;

import static io.inet4j.tcp.TcpSeq.after;
import static io.inet4j.tcp.TcpSeq.before;
import static io.inet4j.tcp.TcpSeq.between;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TcpSeqTest {
    private static final int MAX = 0xffff_ffff;

    @Test
    void beforeAndAfterWithoutWrap() {
        assertThat(before(1, 2)).isTrue();
        assertThat(before(2, 1)).isFalse();
        assertThat(before(5, 5)).isFalse();
        assertThat(after(2, 1)).isTrue();
        assertThat(after(5, 5)).isFalse();
    }

    @Test
    void beforeAndAfterAcrossTheWrap() {
        assertThat(before(MAX, 0)).isTrue();
        assertThat(after(0, MAX)).isTrue();
        assertThat(before(0xffff_ff00, 0x100)).isTrue();
        assertThat(after(0x100, 0xffff_ff00)).isTrue();
        assertThat(before(0x7fff_ffff, 0x8000_0000)).isTrue();
        assertThat(after(0x8000_0000, 0x7fff_ffff)).isTrue();
    }

    @Test
    void halfTheSpaceApartIsTheEdge() {
        // 2^31 - 1 ahead is "after"; exactly 2^31 apart both numbers look before each other, as in Linux.
        assertThat(after(0x7fff_ffff, 0)).isTrue();
        assertThat(before(0x8000_0000, 0)).isTrue();
        assertThat(before(0, 0x8000_0000)).isTrue();
    }

    @Test
    void betweenIsInclusiveAndWraps() {
        assertThat(between(5, 5, 10)).isTrue();
        assertThat(between(10, 5, 10)).isTrue();
        assertThat(between(4, 5, 10)).isFalse();
        assertThat(between(11, 5, 10)).isFalse();
        assertThat(between(0, MAX - 10, 10)).isTrue();
        assertThat(between(MAX, MAX - 10, 10)).isTrue();
        assertThat(between(11, MAX - 10, 10)).isFalse();
        assertThat(between(MAX - 11, MAX - 10, 10)).isFalse();
        assertThat(between(7, 7, 7)).isTrue();
        assertThat(between(8, 7, 7)).isFalse();
    }
}
