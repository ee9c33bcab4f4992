package io.inet4j.udp;

import static org.assertj.core.api.Assertions.assertThat;

import io.inet4j.socket.IpProto;
import io.inet4j.socket.SockType;
import io.inet4j.stack.InetStack;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * UDP is a plug-in: no core module names it (poms, sources, resources), and a stack still finds it, only
 * through the generated tables on the class path.
 */
class PluginIsolationTest {
    private static final List<String> CORE =
            List.of("framework-api", "processor", "proto-ipv4", "stack", "proto-tcp", "link-tap");

    @Test
    void noCoreModuleReferencesProtoUdp() throws IOException {
        Path root = Path.of("").toAbsolutePath().getParent();
        for (String module : CORE) {
            Path dir = root.resolve(module);
            assertThat(dir.resolve("pom.xml")).as(module).exists();
            try (Stream<Path> files = Stream.concat(Stream.of(dir.resolve("pom.xml")), Files.walk(dir.resolve("src")))) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    String text = Files.readString(f);
                    assertThat(text).as(f.toString()).doesNotContain("proto-udp", "io.inet4j.udp", "UdpProt", "UdpRcv");
                }
            }
        }
    }

    @Test
    void aStackFindsUdpThroughItsGeneratedTables() throws Exception {
        assertThat(getClass().getClassLoader().getResource("META-INF/services/io.inet4j.protocol.InetProtoswTable"))
                .isNotNull();
        try (InetStack stack = InetStack.builder().name("plugin").build()) {
            var fd = stack.socket(SockType.SOCK_DGRAM, IpProto.IPPROTO_UDP);
            assertThat(fd.socket().sk).isInstanceOf(UdpSock.class);
            assertThat(fd.socket().sk.prot).isInstanceOf(UdpProt.class);
            fd.close();
            // Permanent, so first among the datagram entries: socket(AF_INET, SOCK_DGRAM, 0) is UDP, as in Linux.
            try (var any = stack.socket(SockType.SOCK_DGRAM, IpProto.IPPROTO_IP)) {
                assertThat(any.socket().sk).isInstanceOf(UdpSock.class);
            }
        }
    }
}
