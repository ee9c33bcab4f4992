package io.inet4j.tap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.inet4j.buffer.PacketBufferPool;
import io.inet4j.netdev.MacAddress;
import io.inet4j.tap.testing.RequiresTap;
import io.inet4j.tap.testing.TapNames;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import jnr.constants.platform.Errno;
import org.junit.jupiter.api.Test;

/** Opening TAP devices for real, in the test's own namespace, without a peer: names, MTU, errors, teardown. */
@RequiresTap
class TapLinkOpenInteropTest {
    private static Path sys(String device) { return Path.of("/sys/class/net", device); }

    @Test
    void theKernelSideGetsOurMtuAndCloseRemovesTheDevice() throws Exception {
        String name = TapNames.unique("m");
        MacAddress mac = MacAddress.parse("02:00:5e:10:20:30");
        try (TapLink link = TapLink.open(name, 1400, mac)) {
            assertThat(link.name()).isEqualTo(name);
            assertThat(link.mac()).isEqualTo(mac);
            assertThat(Files.readString(sys(name).resolve("mtu")).strip()).isEqualTo("1400");
        }
        assertThat(sys(name)).doesNotExist();
    }

    @Test
    void theLargestMtuIsAccepted() throws Exception {
        String name = TapNames.unique("m");
        try (TapLink link = TapLink.open(name, TapLink.MAX_MTU)) {
            assertThat(Files.readString(sys(name).resolve("mtu")).strip()).isEqualTo(String.valueOf(TapLink.MAX_MTU));
            assertThat(link.mac().isMulticast()).isFalse();
            assertThat(link.mac().octet(0) & 0x02).as("locally administered").isEqualTo(2);
        }
    }

    @Test
    void aTemplateNameComesBackExpanded() throws Exception {
        String stem = TapNames.unique("p");
        try (TapLink link = TapLink.open(stem + "%d", 1500)) {
            assertThat(link.name()).startsWith(stem).doesNotContain("%");
            assertThat(sys(link.name())).exists();
        }
    }

    @Test
    void aDeviceSomebodyHoldsIsInUse() throws Exception {
        String name = TapNames.unique("b");
        try (TapLink first = TapLink.open(name, 1500)) {
            assertThat(first.name()).isEqualTo(name);
            assertThatThrownBy(() -> TapLink.open(name, 1500))
                    .isInstanceOf(TapUnavailableException.class)
                    .hasMessageStartingWith("device " + name + " is in use")
                    .extracting(e -> ((TapUnavailableException) e).errno()).isEqualTo(Errno.EBUSY.intValue());
        }
    }

    @Test
    void aDeviceThatIsNotTapIsRefused() {
        assertThatThrownBy(() -> TapLink.open("lo", 1500))
                .isInstanceOf(TapUnavailableException.class)
                .hasMessage("device lo exists and is not a single-queue TAP device");
    }

    @Test
    void transmitWhileTheDeviceIsDownCountsADropAndReleases() throws Exception {
        PacketBufferPool pool = PacketBufferPool.standard();
        try (TapLink link = TapLink.open(TapNames.unique("d"), 1500)) {
            link.transmit(Frame.arpRequest(pool, link.mac(), Frame.ipv4(10, 0, 0, 2), Frame.ipv4(10, 0, 0, 1)));

            assertThat(link.stats().txDropped()).isEqualTo(1);
            assertThat(link.stats().txFrames()).isZero();
            assertThat(pool.outstanding()).isZero();
        }
    }

    @Test
    void transmitAfterCloseCountsADropAndReleases() throws Exception {
        PacketBufferPool pool = PacketBufferPool.standard();
        TapLink link = TapLink.open(TapNames.unique("d"), 1500);
        link.close();

        link.transmit(Frame.arpRequest(pool, link.mac(), Frame.ipv4(10, 0, 0, 2), Frame.ipv4(10, 0, 0, 1)));

        assertThat(link.stats().txDropped()).isEqualTo(1);
        assertThat(pool.outstanding()).isZero();
    }

    @Test
    void withoutCapNetAdminTheMessageSaysWhatToGrant() throws Exception {
        Path setpriv = Path.of("/usr/bin/setpriv");
        assumeTrue(Files.isExecutable(setpriv), "setpriv (util-linux) is not installed");
        String name = TapNames.unique("e");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(setpriv.toString(), "--bounding-set", "-net_admin", "--inh-caps", "-net_admin",
                java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                OpenProbe.class.getName(), name)
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(out.strip()).isEqualTo("permission denied creating TAP device " + name
                + ": run as root or grant CAP_NET_ADMIN (errno " + Errno.EPERM.intValue() + ")");
        assertThat(sys(name)).doesNotExist();
    }

    /** Run by the test above in a JVM without CAP_NET_ADMIN. */
    static final class OpenProbe {
        public static void main(String[] args) {
            try (TapLink link = TapLink.open(args[0], 1500)) {
                System.out.println("opened " + link.name());
            } catch (TapUnavailableException e) {
                System.out.println(e.getMessage() + " (errno " + e.errno() + ")");
            }
        }
    }
}
