package io.inet4j.netdev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Pins {@link MacAddress}: {@code aa:bb:cc:dd:ee:ff} parsing and formatting, rejection of malformed text and of
 * values wider than 48 bits, octet access, the broadcast/multicast tests, and that {@code random} makes locally
 * administered unicast addresses as {@code eth_random_addr()} does.
 */
class MacAddressTest {
    @Test
    void parsesAndFormatsColonHex() {
        MacAddress m = MacAddress.parse("00:1A:2b:3c:4D:5e");
        assertThat(m.bits()).isEqualTo(0x001a2b3c4d5eL);
        assertThat(m).hasToString("00:1a:2b:3c:4d:5e");
        assertThat(MacAddress.parse(m.toString())).isEqualTo(m);
        assertThat(MacAddress.parse("1:2:3:4:5:6")).hasToString("01:02:03:04:05:06");
        assertThat(m.octet(0)).isZero();
        assertThat(m.octet(1)).isEqualTo(0x1a);
        assertThat(m.octet(5)).isEqualTo(0x5e);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "01:02:03:04:05", "01:02:03:04:05:06:07", "01:02:03:04:05:0g", "001:02:03:04:05:06",
            "01::03:04:05:06", "01:02:03:04:05:06:", ":01:02:03:04:05:06", "01-02-03-04-05-06", "+1:02:03:04:05:06",
            "-1:02:03:04:05:06", "01:02:03:04:05: 6"})
    void rejectsMalformedText(String text) {
        assertThatThrownBy(() -> MacAddress.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void holdsOnly48Bits() {
        assertThatThrownBy(() -> new MacAddress(1L << 48)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MacAddress(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new MacAddress(0xffff_ffff_ffffL)).isEqualTo(MacAddress.BROADCAST);
    }

    @Test
    void broadcastIsMulticastAndAllOnes() {
        assertThat(MacAddress.BROADCAST.isBroadcast()).isTrue();
        assertThat(MacAddress.BROADCAST.isMulticast()).isTrue();
        assertThat(MacAddress.BROADCAST).hasToString("ff:ff:ff:ff:ff:ff");
        assertThat(MacAddress.parse("01:00:5e:00:00:fb").isMulticast()).isTrue();
        assertThat(MacAddress.parse("01:00:5e:00:00:fb").isBroadcast()).isFalse();
        assertThat(MacAddress.parse("02:00:5e:00:00:fb").isMulticast()).isFalse();
        assertThat(MacAddress.ZERO).hasToString("00:00:00:00:00:00");
    }

    @Test
    void randomAddressesAreLocallyAdministeredUnicastAndRepeatWithTheSeed() {
        Random rnd = new Random(1);
        Set<MacAddress> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            MacAddress m = MacAddress.random(rnd);
            assertThat(m.octet(0) & 0x01).as("unicast bit of %s", m).isZero();
            assertThat(m.octet(0) & 0x02).as("locally administered bit of %s", m).isEqualTo(0x02);
            assertThat(m.isMulticast()).isFalse();
            seen.add(m);
        }
        assertThat(seen).hasSizeGreaterThan(990);
        assertThat(MacAddress.random(new Random(1))).isEqualTo(MacAddress.random(new Random(1)));
    }
}
