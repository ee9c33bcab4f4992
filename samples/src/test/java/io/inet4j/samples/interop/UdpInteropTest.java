package io.inet4j.samples.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inet4j.mib.UdpMib;
import io.inet4j.socket.Errno;
import io.inet4j.socket.ErrnoException;
import io.inet4j.socket.IpProto;
import io.inet4j.socket.MsgHdr;
import io.inet4j.socket.SockAddrIn;
import io.inet4j.socket.SockType;
import io.inet4j.stack.SocketFd;
import io.inet4j.tap.PeerNamespace;
import io.inet4j.tap.testing.RequiresTap;
import io.inet4j.tap.testing.TapNames;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * UDP against the Linux kernel over a TAP device, with socat as Linux's side (kernel in a fresh namespace at
 * 10.83.1.1/24, stack at 10.83.1.2/24): datagrams both ways intact, large ones fragmented and reassembled by
 * both, ICMP port unreachable both ways (ECONNREFUSED on the stack's connected socket; Linux's socat refused), and
 * {@code inet4j nc -u} relaying through Linux.
 */
@RequiresTap
class UdpInteropTest {
    private static final String STACK = "10.83.1.2";
    private static final String LINUX = "10.83.1.1";
    private static final long WAIT = 5_000_000_000L;

    @RegisterExtension
    static final Interop.Lab lab = new Interop.Lab("ud", STACK, LINUX);

    @TempDir
    static Path dir;

    private static SocketFd udp() throws ErrnoException {
        return lab.stack().socket(SockType.SOCK_DGRAM, IpProto.IPPROTO_UDP);
    }

    private static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new SplittableRandom(seed).nextBytes(b);
        return b;
    }

    private static byte[] receive(SocketFd fd, MsgHdr msg) throws ErrnoException {
        int n = fd.recvmsg(msg, 0, WAIT);
        return Arrays.copyOf(msg.data.array(), n);
    }

    @Test
    void linuxEchoesTheStacksDatagramsSmallAndFragmentedIntact() throws Exception {
        Process echo = lab.peer().start("socat", "-b", "65535", "UDP4-RECVFROM:6000,reuseaddr,fork", "SYSTEM:cat");
        try (SocketFd fd = udp()) {
            Interop.awaitUdpBound(lab.peer().name(), 6000);
            SockAddrIn linux = new SockAddrIn(SockAddrIn.parseAddress(LINUX), 6000);
            for (int size : new int[] {5, 1472, 1473, 30000}) {
                byte[] sent = random(size, size);
                assertThat(fd.sendmsg(new MsgHdr(ByteBuffer.wrap(sent), linux), 0)).isEqualTo(size);
                MsgHdr msg = new MsgHdr(ByteBuffer.allocate(65536), null);
                assertThat(receive(fd, msg)).as("%d bytes", size).isEqualTo(sent);
                assertThat(msg.name).isEqualTo(linux);
            }
        } finally {
            echo.destroy();
        }
    }

    @Test
    void theStackReceivesLinuxDatagramsSmallAndFragmentedIntact() throws Exception {
        try (SocketFd fd = udp()) {
            fd.bind(new SockAddrIn(0, 5000));
            for (int size : new int[] {5, 40000}) {
                byte[] sent = random(size, size + 1);
                Path file = Files.write(dir.resolve("d" + size), sent);
                PeerNamespace.Result r = lab.peer().exec("socat", "-b", "65535", "-u", "OPEN:" + file,
                        "UDP4-SENDTO:" + STACK + ":5000,sourceport=5555");
                assertThat(r.ok()).as(r.stderr()).isTrue();
                MsgHdr msg = new MsgHdr(ByteBuffer.allocate(65536), null);
                assertThat(receive(fd, msg)).as("%d bytes", size).isEqualTo(sent);
                assertThat(msg.name).isEqualTo(new SockAddrIn(SockAddrIn.parseAddress(LINUX), 5555));
            }
        }
    }

    @Test
    void connectedSocketGetsEconnrefusedAfterLinuxAnswersPortUnreachable() throws Exception {
        try (SocketFd fd = udp()) {
            fd.connect(new SockAddrIn(SockAddrIn.parseAddress(LINUX), 6999));
            fd.sendmsg(new MsgHdr(ByteBuffer.wrap("anyone?".getBytes(StandardCharsets.UTF_8)), null), 0);
            assertThatThrownBy(() -> fd.recvmsg(new MsgHdr(ByteBuffer.allocate(100), null), 0, WAIT))
                    .isInstanceOfSatisfying(ErrnoException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ECONNREFUSED));
        }
    }

    @Test
    void linuxHearsTheStacksPortUnreachable() throws Exception {
        long noPorts = lab.stack().net().mibs().udp.get(UdpMib.NoPorts);
        PeerNamespace.Result r = lab.peer().exec(Duration.ofSeconds(10), "sh", "-c",
                "(printf 'anyone?\\n'; sleep 2) | socat -T 3 - UDP4-CONNECT:" + STACK + ":7999");
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.stderr()).contains("Connection refused");
        assertThat(lab.stack().net().mibs().udp.get(UdpMib.NoPorts)).isEqualTo(noPorts + 1);
    }

    /** {@code inet4j nc -u} with a TAP of its own into the lab's namespace, against socat echoing and refusing. */
    @Test
    void inet4jNcUdpRelaysLinesThroughLinuxAndExitsOneWhenRefused() throws Exception {
        Process echo = lab.peer().start("socat", "UDP4-RECVFROM:6100,reuseaddr,fork", "SYSTEM:cat");
        InputStream saved = System.in;
        try {
            Interop.awaitUdpBound(lab.peer().name(), 6100);
            System.setIn(new ByteArrayInputStream("one\ntwo\n".getBytes(StandardCharsets.UTF_8)));
            Interop.CliRun ok = nc("-w", "1", "10.83.2.1", "6100");
            assertThat(ok.exit()).as(ok.err()).isZero();
            assertThat(ok.out().lines()).containsExactlyInAnyOrder("one", "two");
            System.setIn(new ByteArrayInputStream("anyone?\n".getBytes(StandardCharsets.UTF_8)));
            Interop.CliRun refused = nc("-w", "3", "10.83.2.1", "6999");
            assertThat(refused.exit()).isEqualTo(1);
            assertThat(refused.err()).contains("Connection refused");
        } finally {
            System.setIn(saved);
            echo.destroy();
        }
    }

    private static Interop.CliRun nc(String... args) {
        List<String> argv = new ArrayList<>(List.of("nc", "-u", "--tap", TapNames.unique("ud"), "--addr", "10.83.2.2/24",
                "--peer-netns", lab.peer().name(), "--peer-addr", "10.83.2.1/24"));
        argv.addAll(List.of(args));
        return Interop.cli(argv.toArray(String[]::new));
    }
}
