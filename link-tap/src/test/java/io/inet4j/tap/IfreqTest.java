package io.inet4j.tap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class IfreqTest {
    @Test
    void tunSetIffCarriesTheNameThenNulsThenTheFlags() {
        byte[] ifr = Ifreq.withFlags("tap0", Ifreq.IFF_TAP | Ifreq.IFF_NO_PI);

        assertThat(ifr).hasSize(40);
        assertThat(new String(ifr, 0, 4, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("tap0");
        for (int i = 4; i < 16; i++) assertThat(ifr[i]).as("byte %d", i).isZero();
        assertThat(ByteBuffer.wrap(ifr).order(ByteOrder.nativeOrder()).getShort(16)).isEqualTo((short) 0x1002);
        for (int i = 18; i < 40; i++) assertThat(ifr[i]).as("byte %d", i).isZero();
    }

    @Test
    void anIntMemberSitsAtOffsetSixteen() {
        byte[] ifr = Ifreq.withInt("i4jt1a2b3c", 9000);

        assertThat(ByteBuffer.wrap(ifr).order(ByteOrder.nativeOrder()).getInt(16)).isEqualTo(9000);
        assertThat(Ifreq.name(ifr)).isEqualTo("i4jt1a2b3c");
    }

    @Test
    void theNameReadsBackUpToTheNulOrSixteenBytes() {
        byte[] ifr = Ifreq.withFlags("i4j%d", 0);
        System.arraycopy("i4j17".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, ifr, 0, 5);
        assertThat(Ifreq.name(ifr)).isEqualTo("i4j17");

        byte[] full = Ifreq.withFlags("abcdefghijklmno", 0);
        assertThat(Ifreq.name(full)).isEqualTo("abcdefghijklmno");
    }

    @Test
    void namesTheKernelWouldRefuseAreRefusedHere() {
        assertThatThrownBy(() -> Ifreq.checkName("abcdefghijklmnop")).hasMessageContaining("16 bytes; Linux allows at most 15");
        assertThatThrownBy(() -> Ifreq.checkName("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Ifreq.checkName("..")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Ifreq.checkName("a/b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Ifreq.checkName("a:1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Ifreq.checkName("a b")).isInstanceOf(IllegalArgumentException.class);
        // Fifteen bytes, not fifteen characters: 'é' is two.
        assertThatThrownBy(() -> Ifreq.checkName("éabcdefghijklmn")).isInstanceOf(IllegalArgumentException.class);
    }
}
