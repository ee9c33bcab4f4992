package io.inet4j.samples.cli;

import io.inet4j.samples.nc.Netcat;
import io.inet4j.stack.InetServerSocket;
import io.inet4j.socket.IpProto;
import io.inet4j.socket.SockAddrIn;
import io.inet4j.socket.SockType;
import io.inet4j.stack.InetSocket;
import io.inet4j.stack.SocketFd;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code inet4j nc}: netcat on a stack over a TAP device. Connects to HOST PORT, or with {@code -l} waits for one
 * connection on PORT; then stdin goes to the connection and the connection to stdout, at once. At the end of
 * stdin our side sends its FIN; the command exits when both directions are closed. Messages go to stderr,
 * stdout carries only data. Exit code 0, or 1 when the connection failed or the peer never acknowledged all we sent
 * (the stack waits {@code --close-timeout} seconds for that at exit). With {@code -u} it speaks UDP: lines of stdin
 * go out as datagrams and what comes back is printed; {@code -l -u} answers whoever sent last, and the command
 * ends {@code -w} seconds after stdin ends and nothing more arrives (exit 1 on ECONNREFUSED).
 */
@Command(name = "nc", description = "netcat: relay stdin/stdout over a TCP connection (or UDP datagrams with -u) from a stack on a TAP device.")
public final class NcCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    TapOptions tap;

    @Option(names = "-l", description = "Listen for one incoming connection instead of connecting.")
    boolean listen;

    @Option(names = "-u", description = "UDP: send each line of stdin as a datagram, print the datagrams that come back.")
    boolean udp;

    @Option(names = "-w", defaultValue = "10", converter = Values.NonNegative.class, description = "Seconds to wait for the connect (default ${DEFAULT-VALUE}; 0: as long as TCP tries); with -u, for more datagrams after stdin ends.")
    int waitSeconds;

    @Parameters(arity = "1..2", paramLabel = "HOST PORT | -l PORT", description = "Where to connect, or the port to listen on.")
    List<String> args;

    @Override
    public Integer call() throws Exception {
        if (args.size() != (listen ? 1 : 2)) {
            throw new ParameterException(spec.commandLine(), listen ? "nc -l takes one PORT" : "nc takes HOST and PORT");
        }
        int port;
        try {
            if (!listen) Values.address(args.get(0));
            port = Values.port(args.get(args.size() - 1));
        } catch (TypeConversionException e) {
            throw new ParameterException(spec.commandLine(), "Invalid value for HOST PORT: " + e.getMessage());
        }
        if (udp) return udp(port);
        try (TapOptions.Opened opened = tap.open("nc")) {
            InetSocket s;
            try {
                if (listen) {
                    try (InetServerSocket l = opened.stack().serverSocket(port, 1)) {
                        s = l.accept();
                    }
                    System.err.println("inet4j nc: connection from " + s.getRemoteSocketAddress());
                } else {
                    s = opened.stack().socket();
                    s.connect(args.get(0), port, waitSeconds * 1000);
                }
                Netcat.relay(s, System.in, System.out);
            } catch (IOException e) {
                System.err.println("inet4j nc: " + e.getMessage());
                return 1;
            }
            // The relay ended on the peer's FIN after ours; our last data and FIN may still be unacknowledged.
            return opened.closeChecked("nc", 0, 1);
        }
    }

    private int udp(int port) throws Exception {
        try (TapOptions.Opened opened = tap.open("nc")) {
            try {
                SocketFd fd = opened.stack().socket(SockType.SOCK_DGRAM, IpProto.IPPROTO_UDP);
                if (listen) {
                    fd.bind(new SockAddrIn(0, port));
                } else {
                    fd.connect(new SockAddrIn(SockAddrIn.parseAddress(args.get(0)), port));
                }
                Netcat.udpRelay(fd, System.in, System.out, Math.max(1, waitSeconds) * 1_000_000_000L);
            } catch (IOException e) {
                System.err.println("inet4j nc: " + e.getMessage());
                return 1;
            }
            return 0;
        }
    }
}
