package io.inet4j.samples.cli;

import io.inet4j.samples.iperf.Iperf3Server;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code inet4j iperf3-server}: {@code iperf3 -s} on a stack over a TAP device, for the stock {@code iperf3} client
 * ({@link Iperf3Server}). Serves tests one after another until killed; with {@code -1} serves one and exits 0 if it
 * completed, 1 if not.
 */
@Command(name = "iperf3-server", description = "An iperf3 server (TCP; -R and -P too) for the stock iperf3 client, e.g. iperf3 -c ADDR -R -P 4; serves tests one after another until killed.")
public final class Iperf3ServerCommand implements Callable<Integer> {
    @Mixin
    TapOptions tap;

    @Option(names = {"-p", "--port"}, defaultValue = "" + Iperf3Server.DEFAULT_PORT, converter = Values.Port.class, description = "TCP port (default ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--queues", defaultValue = "1", converter = Values.Queues.class, description = "Open this many queues of the TAP device (IFF_MULTI_QUEUE), each with a stack shard of its own: its own loop and state, flows spread by 4-tuple (default ${DEFAULT-VALUE}).")
    int queues;

    @Option(names = {"-1", "--one-off"}, description = "Serve one test, then exit: 0 if it completed, 1 if not.")
    boolean oneOff;

    @Override
    public Integer call() throws Exception {
        TapOptions.Opened opened = tap.open("iperf3-server", queues);
        Iperf3Server server = opened.startServer(stack -> opened.shards() == null
                ? Iperf3Server.open(stack, port, System.out, System.err)
                : Iperf3Server.open(opened.shards(), port, System.out, System.err));
        System.out.printf("inet4j iperf3-server: listening on %s port %d%n", tap.addr.substring(0, tap.addr.indexOf('/')), server.port());
        System.out.flush();
        if (!oneOff) {
            opened.closeOnExit(server);
            server.serve();
            return 0;
        }
        try {
            return server.serveOne() ? 0 : 1;
        } finally {
            server.close();
            opened.close();
        }
    }
}
