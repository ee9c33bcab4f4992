package io.inet4j.samples.cli;

import io.inet4j.samples.http.HttpGet;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code inet4j http-get}: one HTTP/1.1 GET from a stack on a TAP device, body to stdout or a file, the status
 * line and a transfer summary to stderr. Exit code 0 for a 2xx answer, 1 for any other status, 2 when the
 * exchange failed (or data we sent was never acknowledged when the stack closed).
 */
@Command(name = "http-get", description = "GET an http:// URL (IPv4 literal host) from a stack on a TAP device.")
public final class HttpGetCommand implements Callable<Integer> {
    @Mixin
    TapOptions tap;

    @Parameters(index = "0", converter = Values.HttpUrl.class, description = "http://A.B.C.D[:PORT]/PATH")
    String url;

    @Option(names = {"-o", "--output"}, converter = Values.OutputFile.class, description = "Write the body to FILE instead of stdout.")
    Path output;

    @Option(names = "--timeout", defaultValue = "10", converter = Values.Positive.class, description = "Seconds to wait for the connect and for each read (default ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Override
    public Integer call() throws Exception {
        try (TapOptions.Opened opened = tap.open("http-get")) {
            OutputStream body = output == null ? System.out : Files.newOutputStream(output);
            long start = System.nanoTime();
            HttpGet.Response r;
            try {
                r = HttpGet.get(opened.stack(), url, body, timeoutSeconds * 1000);
            } catch (IOException | IllegalArgumentException e) {
                System.err.println("inet4j http-get: " + url + ": " + e.getMessage());
                return 2;
            } finally {
                if (output != null) body.close();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.err.println(r.statusLine());
            System.err.printf("inet4j http-get: %d bytes in %.2f s (%.1f MB/s)%n", r.bodyBytes(), seconds,
                    r.bodyBytes() / 1e6 / seconds);
            return opened.closeChecked("http-get", r.ok() ? 0 : 1, 2);
        }
    }
}
