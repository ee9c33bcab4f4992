package io.inet4j.socket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Pins {@link SockAddrIn}: dotted-quad parsing to a network-order int (first octet high) and back, refusal of
 * anything that is not four decimal octets, the port range, and the {@code a.b.c.d:port} form.
 */
class SockAddrInTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource({"10.0.0.1, 0x0a000001", "192.168.1.254, 0xc0a801fe", "0.0.0.0, 0x0", "255.255.255.255, 0xffffffff",
            "127.0.0.1, 0x7f000001", "' 1.2.3.4 ', 0x01020304"})
    void parsesDottedQuads(String text, String hex) {
        int expected = Integer.parseUnsignedInt(hex.substring(2), 16);
        assertThat(SockAddrIn.parseAddress(text)).isEqualTo(expected);
        assertThat(SockAddrIn.formatAddress(expected)).isEqualTo(text.trim());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1.2.3", "1.2.3.4.5", "1.2.3.256", "1..3.4", "1.2.3.4.", ".1.2.3", "a.b.c.d", "1.2.3.-4",
            "1.2.3.+4", "1.2.3.0x1", "1000.1.1.1", "1.2.3. 4", "localhost", "1,2,3,4", "\u0661.\u0662.\u0663.\u0664",
            "\uff11.2.3.4"})
    void rejectsAnythingButFourDecimalOctets(String text) {
        assertThatThrownBy(() -> SockAddrIn.parseAddress(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void formatThenParseIsTheIdentity() {
        SplittableRandom rnd = new SplittableRandom(9);
        for (int i = 0; i < 10_000; i++) {
            int a = rnd.nextInt();
            assertThat(SockAddrIn.parseAddress(SockAddrIn.formatAddress(a))).isEqualTo(a);
        }
    }

    @Test
    void portsAreZeroTo65535() {
        assertThat(new SockAddrIn(0, 0).port()).isZero();
        assertThat(new SockAddrIn(0, 65535).port()).isEqualTo(65535);
        assertThatThrownBy(() -> new SockAddrIn(0, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SockAddrIn(0, 65536)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void printsAddressColonPortAndIsAfInet() {
        SockAddrIn a = new SockAddrIn(SockAddrIn.parseAddress("10.0.0.2"), 8080);
        assertThat(a).hasToString("10.0.0.2:8080");
        assertThat(a.family()).isEqualTo(AddressFamily.AF_INET);
        assertThat(a).isEqualTo(new SockAddrIn(0x0a000002, 8080));
        assertThat(SockAddr.UNSPEC.family()).isEqualTo(AddressFamily.AF_UNSPEC);
    }
}
