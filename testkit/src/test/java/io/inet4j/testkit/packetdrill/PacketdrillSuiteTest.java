package io.inet4j.testkit.packetdrill;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Every script under {@code src/test/resources/packetdrill} must pass against the stack: one test per script. */
class PacketdrillSuiteTest {
    static final Path SUITE = Path.of("src/test/resources/packetdrill");

    @TestFactory
    Stream<DynamicTest> everyScriptPasses() throws IOException {
        PacketdrillRunner runner = new PacketdrillRunner(PacketdrillRunner.DEFAULT_TOLERANCE_USECS);
        try (Stream<Path> files = Files.list(SUITE)) {
            return files.filter(f -> f.toString().endsWith(".pkt")).sorted().toList().stream()
                    .map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> {
                        ScriptResult r = runner.run(f);
                        assertThat(r.status()).as(String.join("\n", r.messages())).isEqualTo(ScriptResult.Status.PASS);
                    }));
        }
    }
}
