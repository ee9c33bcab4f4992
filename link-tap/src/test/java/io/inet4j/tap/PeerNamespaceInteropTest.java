package io.inet4j.tap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inet4j.tap.testing.RequiresTap;
import io.inet4j.tap.testing.TapNames;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

@RequiresTap
class PeerNamespaceInteropTest {
    @Test
    void theDeviceMovesInWithItsAddressAndCloseDeletesTheNamespace() throws Exception {
        String ns;
        try (TapLink link = TapLink.open(TapNames.unique("n"), 1500);
             PeerNamespace peer = PeerNamespace.attach(link.name(), TapNames.namespace("n"), "10.77.2.1/24")) {
            ns = peer.name();
            assertThat(peer.created()).isTrue();
            assertThat(Path.of("/sys/class/net", link.name())).as("gone from our namespace").doesNotExist();

            PeerNamespace.Result addr = peer.exec("ip", "-o", "-4", "addr", "show", "dev", link.name());
            assertThat(addr.ok()).isTrue();
            assertThat(addr.stdout()).contains("inet 10.77.2.1/24");
            assertThat(peer.exec("ip", "-o", "link", "show", "lo").stdout()).contains("UP");

            PeerNamespace.Result failing = peer.exec("sh", "-c", "echo out; echo err >&2; exit 3");
            assertThat(failing).isEqualTo(new PeerNamespace.Result(3, "out\n", "err\n"));
        }
        assertThat(Path.of("/run/netns", ns)).doesNotExist();
    }

    @Test
    void aNamespaceThatExistedStaysAfterClose() throws Exception {
        String ns = TapNames.namespace("k");
        try (TapLink first = TapLink.open(TapNames.unique("k"), 1500);
             TapLink second = TapLink.open(TapNames.unique("k"), 1500);
             PeerNamespace owner = PeerNamespace.attach(first.name(), ns, "10.77.3.1/24")) {
            PeerNamespace guest = PeerNamespace.attach(second.name(), ns, "10.77.4.1/24");
            assertThat(guest.created()).isFalse();
            guest.close();
            assertThat(owner.exec("ip", "link", "show", second.name()).ok()).as("namespace still there").isTrue();
        }
        assertThat(Path.of("/run/netns", ns)).doesNotExist();
    }

    @Test
    void aFailingStepNamesTheCommandAndItsErrorAndLeavesNothingBehind() {
        String ns = TapNames.namespace("f");
        String missing = TapNames.unique("f");

        assertThatThrownBy(() -> PeerNamespace.attach(missing, ns, "10.77.5.1/24"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("`ip link set dev " + missing + " netns " + ns + "` failed (exit 1)")
                .hasMessageContaining(missing); // iproute2: Cannot find device "..."
        assertThat(Path.of("/run/netns", ns)).doesNotExist();
    }

    @Test
    void aCommandThatOutlivesItsTimeoutIsKilled() throws Exception {
        try (TapLink link = TapLink.open(TapNames.unique("s"), 1500);
             PeerNamespace peer = PeerNamespace.attach(link.name(), TapNames.namespace("s"), "10.77.6.1/24")) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> peer.exec(Duration.ofMillis(300), "sleep", "30"))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("did not finish within PT0.3S");
            assertThat(System.nanoTime() - start).isLessThan(Duration.ofSeconds(5).toNanos());
        }
    }
}
