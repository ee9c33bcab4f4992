package io.inet4j.samples.cli;

import io.inet4j.ipv4.af.InetInit;
import io.inet4j.netdev.InMemoryLink;
import io.inet4j.netdev.Link;
import io.inet4j.samples.http.HttpGet;
import io.inet4j.samples.http.HttpServer;
import io.inet4j.samples.ping.Pinger;
import io.inet4j.samples.trace.PacketTrace;
import io.inet4j.samples.trace.TcpDecoder;
import io.inet4j.socket.SockAddrIn;
import io.inet4j.stack.InetStack;
import io.inet4j.tcp.Tcp;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code inet4j demo}: two stacks joined by an in-memory wire, no root needed. Shows the protocol table the
 * stacks registered from the generated tables, a ping exchange with a packet trace, then a traced TCP
 * connection carrying one HTTP exchange, and the counters.
 */
@Command(name = "demo", description = "Two stacks on an in-memory link: protocol table, ping, an HTTP exchange over TCP, packet traces.")
public final class DemoCommand implements Callable<Integer> {
    @Option(names = "-c", defaultValue = "3", converter = Values.Positive.class, description = "Echo requests to send (default ${DEFAULT-VALUE}).")
    int count;

    @Mixin
    FaultOptions faults;

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        InMemoryLink[] wire = InMemoryLink.pair("veth-a", "veth-b", 1500);
        Link linkA = faults.wrap(wire[0]);
        try (InetStack a = InetStack.builder().name("a").seed(1).link(linkA, "10.0.0.1/24").build();
             InetStack b = InetStack.builder().name("b").seed(2).link(wire[1], "10.0.0.2/24").build()) {
            out.println("== Protocols registered from generated tables (inetsw / inet_protos)");
            printTable(out, a);
            out.println();
            out.println("== Stack a: " + a.device("veth-a") + " inet 10.0.0.1/24");
            out.println("== Stack b: " + b.device("veth-b") + " inet 10.0.0.2/24");
            out.println();
            a.device("veth-a").setTap(new PacketTrace(out, a.loop().clock(), null, line -> true));
            out.println("== a pings b (trace on a's device)");
            Pinger.Result r = new Pinger(a, out).ping(SockAddrIn.parseAddress("10.0.0.2"), count, 56, 200, 1000);
            a.device("veth-a").setTap(null);
            out.println();
            out.println("== b serves HTTP on port 80, a GETs / (TCP on a's device)");
            HttpGet.Response page = httpExchange(out, a, b);
            out.println();
            out.println("== Counters");
            out.println("a " + a.net().mibs().tcp);
            out.println("b " + b.net().mibs().tcp);
            out.println("b " + b.net().mibs().ip);
            out.println("b " + b.net().mibs().icmp);
            return r.received() > 0 && page.ok() ? 0 : 1;
        }
    }

    /**
     * A handshake, one HTTP/1.1 request and answer, and the close, traced: b serves a generated page from a
     * temporary directory, a fetches it with {@code Connection: close}; the trace stays on until both sides
     * are done (b's connection in TIME_WAIT after closing first, a's gone).
     */
    private static HttpGet.Response httpExchange(PrintStream out, InetStack a, InetStack b) throws Exception {
        Path site = Files.createTempDirectory("inet4j-demo");
        Path index = Files.writeString(site.resolve("index.html"), "<html><body><h1>Hello from stack b</h1></body></html>\n");
        try (HttpServer server = HttpServer.open(b, 80, 50, site, null).start()) {
            a.device("veth-a").setTap(new PacketTrace(out, a.loop().clock(), new TcpDecoder(), line -> line.contains(": Flags [")));
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            HttpGet.Response r = HttpGet.get(a, "http://10.0.0.2/", body, 5000);
            long deadline = System.nanoTime() + 2_000_000_000L;
            while (!a.call(() -> Tcp.of(a.inet()).sockets().isEmpty()) && System.nanoTime() < deadline) Thread.sleep(10);
            a.device("veth-a").setTap(null);
            out.println("a got: " + r.statusLine() + ", " + r.bodyBytes() + " bytes: " + body.toString(StandardCharsets.UTF_8).strip());
            return r;
        } finally {
            Files.delete(index);
            Files.delete(site);
        }
    }

    static void printTable(PrintStream out, InetStack stack) {
        out.printf("%-12s %-6s %-9s %-22s %-48s %s%n", "table", "type", "protocol", "flags", "generated from", "outcome");
        for (InetInit.Registration r : stack.registrations()) {
            out.printf("%-12s %-6s %-9d %-22s %-48s %s%n", r.kind(), r.kind().equals("inetsw") ? typeName(r.type()) : "-",
                    r.protocol(), flags(r.flags()), r.name(), r.outcome());
        }
    }

    private static String typeName(int type) {
        return switch (type) {
            case 1 -> "STREAM";
            case 2 -> "DGRAM";
            case 3 -> "RAW";
            default -> Integer.toString(type);
        };
    }

    private static String flags(int f) {
        StringBuilder sb = new StringBuilder();
        if ((f & 0x02) != 0) sb.append("PERMANENT ");
        if ((f & 0x01) != 0) sb.append("REUSE ");
        if ((f & 0x04) != 0) sb.append("ICSK ");
        return sb.length() == 0 ? "-" : sb.toString().trim();
    }
}
