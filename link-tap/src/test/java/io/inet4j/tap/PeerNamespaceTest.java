package io.inet4j.tap;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/** What PeerNamespace says when it cannot start: runs anywhere. */
class PeerNamespaceTest {
    @Test
    void aMissingIpCommandSaysToInstallIproute2() {
        assertThatThrownBy(() -> PeerNamespace.attach("/nonexistent/sbin/ip", "tap0", "ns0", "10.77.1.1/24"))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("cannot run `/nonexistent/sbin/ip`: iproute2 is not installed or not on PATH");
    }

    @Test
    void aNamespaceNameThatIsAPathIsRefused() {
        assertThatThrownBy(() -> PeerNamespace.attach("/nonexistent/sbin/ip", "tap0", "../etc", "10.77.1.1/24"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
