package io.inet4j.samples.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.inet4j.tap.testing.RequiresTap;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every command README.md shows in a {@code sh} block, run exactly as written (as root, {@code sudo} included), in
 * order, in a scratch folder where {@code ./inet4j} and {@code testkit/} are this checkout's; each line must succeed
 * and the lines below with a check must show it. The rules for servers ("(in another shell)") and background
 * lines ({@code &}) are the README's own comment above its command block. Runs after {@code package} (the launcher
 * needs the build), as the samples module's {@code readme-commands} execution.
 */
@RequiresTap
class ReadmeCommandsInteropTest {
    private static final Pattern SH_BLOCK = Pattern.compile("(?ms)^```sh\\n(.*?)^```\\n");
    private static final long RETRY_NANOS = TimeUnit.SECONDS.toNanos(60);

    private Path scratch;
    private final List<Process> background = new ArrayList<>();
    /** Namespaces README lines make by hand ({@code ip netns add NAME}): removed here too if a failure skipped the line that does. */
    private final List<String> namespaces = new ArrayList<>();
    private static final Pattern NETNS_ADD = Pattern.compile("ip netns add (\\S+)");

    /** What a line's output must show, by a piece of the line; every entry must meet its line. */
    private final Map<String, Consumer<Run>> checks = new LinkedHashMap<>();

    private record Run(String line, int exit, String out, String err) {}

    ReadmeCommandsInteropTest() {
        checks.put("./inet4j demo", r -> assertThat(r.out()).contains("Flags [S]").contains("Flags [S.]"));
        checks.put("ip netns exec lab ping -c 5", r -> assertThat(r.out()).contains("5 packets transmitted, 5 received"));
        checks.put("./inet4j ping -c 3 -s 8000", r -> assertThat(r.out()).contains("3 packets transmitted, 3 received"));
        checks.put("curl -O http://10.77.1.2/big.bin", r -> sameFile("big.bin", "site/big.bin", 10 << 20));
        // python serves the scratch folder, where -o has just made index.html: the body is that (empty) file.
        checks.put("http-get -o index.html", r -> {
            assertThat(r.err()).contains(" 200 OK");
            assertThat(scratch.resolve("index.html")).exists();
        });
        checks.put("nc -N 10.77.4.2 5000", r -> sameFile("got.bin", "some.file", 1 << 20));
        checks.put("./inet4j nc 10.77.3.1 5001", r -> {
            awaitBackground();
            sameFile("got3.bin", "some.file", 1 << 20);
        });
        checks.put("iperf3 -c 10.125.8.2 -t 2 -R -P 4", r -> assertThat(r.out()).contains("[SUM]", "receiver", "iperf Done."));
        checks.put("./inet4j packetdrill", r -> assertThat(r.out()).contains("PASS"));
        checks.put("nc -u -w 1 10.77.5.2 5000", r -> assertThat(r.exit()).isZero());
        checks.put("./inet4j nc -u -w 1 10.77.7.1 5002", r -> assertThat(r.out()).isEqualTo("hello\n"));
        checks.put("./inet4j demo --trace-connections", r -> assertThat(r.err()).containsPattern(
                "tcp 10\\.0\\.0\\.1:\\d+ > 10\\.0\\.0\\.2:80 active").containsPattern("tcp 10\\.0\\.0\\.2:80 < 10\\.0\\.0\\.1:\\d+ passive"));
        checks.put("nc --redirect-connect", r -> {
            awaitBackground();
            assertThat(scratch.resolve("redirected.txt")).hasContent("redirected");
        });
        checks.put("nc --deny-connect", r -> {
            assertThat(r.err()).contains("inet4j nc: Operation not permitted");
            assertThat(r.out()).isEqualTo("exit 1\n");
        });
    }

    @AfterEach
    void cleanUp() throws IOException, InterruptedException {
        stopBackground();
        for (String ns : namespaces) {
            new ProcessBuilder("ip", "netns", "del", ns).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
        }
        if (scratch == null) return;
        try (Stream<Path> all = Files.walk(scratch)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void everyShCommandRunsAsWritten() throws Exception {
        Path checkout = Path.of("..").toRealPath();
        scratch = Files.createTempDirectory("nf-readme");
        Files.createSymbolicLink(scratch.resolve("inet4j"), checkout.resolve("inet4j"));
        Files.createSymbolicLink(scratch.resolve("testkit"), checkout.resolve("testkit"));

        Map<String, Consumer<Run>> unmet = new LinkedHashMap<>(checks);
        Matcher m = SH_BLOCK.matcher(Files.readString(checkout.resolve("README.md")));
        int lines = 0;
        while (m.find()) {
            List<String> block = m.group(1).lines().filter(l -> !l.isBlank() && !l.strip().startsWith("#")).toList();
            boolean retryNext = false;
            for (int i = 0; i < block.size(); i++) {
                String line = block.get(i);
                String command = commandOf(line);
                lines++;
                Matcher add = NETNS_ADD.matcher(command);
                while (add.find()) namespaces.add(add.group(1));
                if (command.endsWith("&")) {
                    background.add(start(command.substring(0, command.length() - 1)));
                    retryNext = true;
                    continue;
                }
                boolean serverNext = i + 1 < block.size() && block.get(i + 1).contains("(in another shell)");
                Run r;
                if (serverNext) {
                    Process server = start(command);
                    String client = block.get(++i);
                    lines++;
                    r = runRetrying(commandOf(client), client);
                    stop(server, line);
                } else {
                    r = retryNext ? runRetrying(command, line) : run(command, line);
                }
                retryNext = false;
                check(r, unmet);
            }
            stopBackground();
        }
        assertThat(lines).as("commands found in README.md's sh blocks").isGreaterThan(10);
        assertThat(unmet.keySet()).as("checked lines no longer in README.md").isEmpty();
    }

    /** The line without its trailing comment ("  # ..."). */
    private static String commandOf(String line) {
        int hash = line.indexOf("  #");
        return (hash < 0 ? line : line.substring(0, hash)).strip();
    }

    private void check(Run r, Map<String, Consumer<Run>> unmet) {
        assertThat(r.exit()).as(r.line() + "\nstdout: " + r.out() + "\nstderr: " + r.err()).isZero();
        for (Map.Entry<String, Consumer<Run>> c : checks.entrySet()) {
            if (r.line().contains(c.getKey())) {
                c.getValue().accept(r);
                unmet.remove(c.getKey());
            }
        }
    }

    private Process start(String command) throws IOException {
        // Its own session, so stopping it reaches sudo, ip netns exec and what runs inside.
        return new ProcessBuilder("setsid", "bash", "-c", command).directory(scratch.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    private Run run(String command, String line) throws IOException, InterruptedException {
        Path out = Files.createTempFile("nf-readme", ".out");
        Path err = Files.createTempFile("nf-readme", ".err");
        try {
            Process p = new ProcessBuilder("bash", "-c", command).directory(scratch.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new AssertionError("still running after 5 minutes: " + line);
            }
            return new Run(line, p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** Runs {@code command} until it succeeds or 60 s pass: the server it talks to may still be starting. */
    private Run runRetrying(String command, String line) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + RETRY_NANOS;
        Run r = run(command, line);
        while (r.exit() != 0 && System.nanoTime() < deadline) {
            Thread.sleep(500);
            r = run(command, line);
        }
        return r;
    }

    /** Ctrl-C for a server still up after 5 s (SIGINT to its session); it must then end within 20 s. */
    private static void stop(Process server, String line) throws IOException, InterruptedException {
        if (!server.waitFor(5, TimeUnit.SECONDS)) new ProcessBuilder("kill", "-INT", "--", "-" + server.pid()).start().waitFor();
        assertThat(server.waitFor(20, TimeUnit.SECONDS)).as("stopped: " + line).isTrue();
    }

    /** Waits (at most 20 s) for the latest background line to end by itself, as a listener does after its peer's FIN. */
    private void awaitBackground() {
        try {
            background.get(background.size() - 1).waitFor(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void stopBackground() {
        for (Process p : background) {
            try {
                if (p.isAlive()) new ProcessBuilder("kill", "-TERM", "--", "-" + p.pid()).start().waitFor();
                p.waitFor(10, TimeUnit.SECONDS);
            } catch (IOException | InterruptedException e) {
                p.destroyForcibly();
            }
        }
        background.clear();
    }

    private void sameFile(String got, String sent, long size) {
        try {
            assertThat(Files.size(scratch.resolve(sent))).isEqualTo(size);
            assertThat(Interop.sha256(scratch.resolve(got))).as(got).isEqualTo(Interop.sha256(scratch.resolve(sent)));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
