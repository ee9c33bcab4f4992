package io.inet4j.samples.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.inet4j.tap.testing.RequiresTap;
import io.inet4j.tap.testing.TapNames;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The {@code ./inet4j} launcher for a user who is not root ({@code nobody}, through {@code setpriv}), on a checkout
 * owned by root that nobody may write. The checkout here is a copy of the launcher with this test's own classes and
 * jars laid out as a build leaves them, and a stand-in {@code mvn} that lays them out again, so no real Maven runs.
 * Root is needed to switch users; hence an interop test.
 */
@RequiresTap
class LauncherInteropTest {
    private static final String NOBODY = "65534";
    private static Path top;
    private static Path checkout;
    private static Path built;
    private static Path bin;
    /** A PATH with the few tools the launcher uses, the JDK, and no Maven (/usr/bin may well have one). */
    private static String tools;

    @BeforeAll
    static void layOut() throws IOException {
        top = Files.createTempDirectory(Path.of("/tmp"), "nf-launcher");
        checkout = top.resolve("checkout");
        built = top.resolve("built");
        bin = top.resolve("bin");
        Files.createDirectories(built.resolve("lib"));
        Files.createDirectories(bin);
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(entry);
            if (p.endsWith(Path.of("samples", "target", "classes"))) {
                copyTree(p, built.resolve("classes"));
            } else if (Files.isDirectory(p) && p.endsWith(Path.of("target", "classes"))) {
                // Another reactor module's classes, as the jar a package build copies.
                exec(Path.of(javaDir(), "jar").toString(), "cf", built.resolve("lib").resolve(p.getParent().getParent()
                        .getFileName() + ".jar").toString(), "-C", p.toString(), ".");
            } else if (entry.endsWith(".jar")) {
                Files.copy(p, built.resolve("lib").resolve(p.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.createDirectories(checkout.resolve("samples/src/main/java"));
        Files.writeString(checkout.resolve("pom.xml"), "<project/>\n");
        Files.writeString(checkout.resolve("samples/pom.xml"), "<project/>\n");
        Files.copy(Path.of("..", "inet4j"), checkout.resolve("inet4j"));
        // The stand-in for Maven: says what it was asked, then lays out what a package build leaves.
        Files.writeString(bin.resolve("mvn"), "#!/bin/sh\necho \"[INFO] stand-in mvn $*\"\n"
                + "mkdir -p samples/target && cp -r " + built + "/classes " + built + "/lib samples/target/\n");
        Path toolDir = top.resolve("tools");
        Files.createDirectories(toolDir);
        for (String tool : List.of("bash", "sh", "env", "find", "tar", "cksum", "cut", "id", "mkdir", "touch", "dirname",
                "cp", "cat", "printf", "readlink")) {
            for (String dir : List.of("/usr/bin", "/bin")) {
                if (Files.isExecutable(Path.of(dir, tool))) {
                    Files.createSymbolicLink(toolDir.resolve(tool), Path.of(dir, tool));
                    break;
                }
            }
        }
        tools = toolDir + ":" + javaDir();
        exec("chmod", "-R", "a+rX,go-w", top.toString());
        exec("chmod", "a+x", bin.resolve("mvn").toString(), checkout.resolve("inet4j").toString());
    }

    @AfterAll
    static void remove() throws IOException {
        if (top == null) return;
        try (Stream<Path> all = Files.walk(top)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private record Run(int exit, String out, String err) {}

    /** A fresh TMPDIR nobody may write: where the launcher's private copy goes when HOME is not writable. */
    private static Path tmp() throws IOException {
        Path t = Files.createTempDirectory(top, "tmp");
        exec("chmod", "1777", t.toString());
        return t;
    }

    private static Run asNobody(Path tmp, String path, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups",
                "env", "-i", "HOME=/nonexistent", "PATH=" + path, "TMPDIR=" + tmp, checkout.resolve("inet4j").toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).start();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    private static String systemPath() { return System.getenv().getOrDefault("PATH", "/usr/bin:/bin"); }

    private static String javaDir() { return Path.of(System.getProperty("java.home"), "bin").toString(); }

    @Test
    void aStaleReadOnlyCheckoutIsBuiltInAPrivateCopyWithMavensOutputShown() throws Exception {
        Path tmp = tmp();
        Run r = asNobody(tmp, bin + ":" + tools, "--version");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("inet4j 0.1.0\n");
        assertThat(r.err()).contains("is not writable by nobody; building a private copy in " + tmp + "/inet4j-" + NOBODY)
                .contains("inet4j: building ").contains("[INFO] stand-in mvn -B ").doesNotContain(" -q ")
                .contains("inet4j: built.");
        assertThat(checkout.resolve("samples/target")).as("nothing written into the checkout").doesNotExist();

        Run again = asNobody(tmp, bin + ":" + tools, "--version");
        assertThat(again.err()).as("built once, then it just runs").isEmpty();
        assertThat(again.out()).isEqualTo("inet4j 0.1.0\n");
    }

    @Test
    void withoutMavenItSaysSoInOneLine() throws Exception {
        Path other = tmp();
        List<String> cmd = List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups", "env", "-i",
                "HOME=/nonexistent", "PATH=" + tools, "INET4J_CACHE=" + other,
                checkout.resolve("inet4j").toString(), "--version");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).isEqualTo(1);
        assertThat(out.lines().reduce((a, b) -> b).orElse(""))
                .matches("inet4j: the build in \\S+ is missing or out of date and building needs Maven \\(mvn\\) on PATH");
    }

    @Test
    void tapUseWithoutRootSaysWhatIsMissingInOneLine() throws Exception {
        // A built checkout (the private copy) runs for nobody; TAP needs CAP_NET_ADMIN, which nobody lacks.
        Path tmp = tmp();
        assertThat(asNobody(tmp, bin + ":" + tools, "--version").exit()).isZero();
        Run r = asNobody(tmp, javaDir() + ":" + systemPath(), "up", "--tap", TapNames.unique("nf"), "--addr", "10.82.1.2/24",
                "--peer-netns", TapNames.namespace("nf"), "--peer-addr", "10.82.1.1/24");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err().lines()).as(r.err()).containsExactly(
                "inet4j up: permission denied opening /dev/net/tun: run as root or grant CAP_NET_ADMIN");
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(t);
                else Files.copy(p, t, StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private static void exec(String... cmd) throws IOException {
        try {
            Process p = new ProcessBuilder(cmd).inheritIO().start();
            assertThat(p.waitFor()).as(String.join(" ", cmd)).isZero();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
