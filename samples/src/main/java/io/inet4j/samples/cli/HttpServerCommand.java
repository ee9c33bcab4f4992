package io.inet4j.samples.cli;

import io.inet4j.samples.http.HttpServer;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code inet4j http-server}: serves a directory over HTTP/1.1 from a stack on a TAP device until killed. */
@Command(name = "http-server", description = "Serve the files under --root over HTTP/1.1 (GET, HEAD, keep-alive) until killed.")
public final class HttpServerCommand implements Callable<Integer> {
    @Mixin
    TapOptions tap;

    @Option(names = "--port", defaultValue = "80", converter = Values.Port.class, description = "TCP port (default ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--root", required = true, converter = Values.Directory.class, description = "Directory to serve; nothing outside it is reachable.")
    Path root;

    @Option(names = "--backlog", defaultValue = "128", converter = Values.Positive.class, description = "Listen backlog (default ${DEFAULT-VALUE}).")
    int backlog;

    @Override
    public Integer call() throws Exception {
        TapOptions.Opened opened = tap.open("http-server");
        HttpServer server = opened.startServer(stack -> HttpServer.open(stack, port, backlog, root, System.out));
        opened.closeOnExit(server);
        System.out.printf("inet4j http-server: %s on http://%s:%d/%n", root.toAbsolutePath().normalize(),
                tap.addr.substring(0, tap.addr.indexOf('/')), server.port());
        System.out.flush();
        server.serve();
        return 0;
    }
}
