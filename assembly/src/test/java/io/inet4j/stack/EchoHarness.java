package io.inet4j.stack;

import io.inet4j.netdev.InMemoryLink;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A throughput harness, not a test (issue 7, item 20): two stacks on an in-memory link of MTU {@code args[0]} (0: one
 * stack over {@code lo}), {@code args[1]} MB through a connection, echoed back by the server in reads of
 * {@code args[2]} bytes (0: one way). {@code -Dsndbuf=N} sets the server's SO_SNDBUF. Prints MB/s and the TCP
 * counters of both stacks; run it with the test class path, e.g. {@code java -cp ... EchoHarness 9000 20 65536}.
 */
public final class EchoHarness {
    public static void main(String[] args) throws Exception {
        int mtu = Integer.parseInt(args[0]);
        int mb = Integer.parseInt(args[1]);
        InMemoryLink[] wire = InMemoryLink.pair("veth-a", "veth-b", mtu);
        try (InetStack a = InetStack.builder().name("a").seed(1).link(wire[0], "10.0.0.1/24").build();
             InetStack b = mtu == 0 ? a : InetStack.builder().name("b").seed(2).link(wire[1], "10.0.0.2/24").build();
             InetServerSocket server = b.serverSocket(80)) {
            InetSocket c = a.socket();
            c.connect(mtu == 0 ? "127.0.0.1" : "10.0.0.2", 80, 5000);
            InetSocket s = server.accept();
            if (System.getProperty("sndbuf") != null) s.setSendBufferSize(Integer.getInteger("sndbuf"));
            long total = (long) mb << 20;
            Thread w = new Thread(() -> {
                try {
                    OutputStream o = c.getOutputStream();
                    byte[] buf = new byte[65536];
                    for (long n = 0; n < total; n += buf.length) o.write(buf);
                } catch (Exception e) { e.printStackTrace(); }
            });
            long t0 = System.nanoTime();
            w.start();
            int chunk = Integer.parseInt(args[2]);
            if (chunk > 0) {
                Thread e = new Thread(() -> {
                    try {
                        InputStream si = s.getInputStream();
                        OutputStream so = s.getOutputStream();
                        byte[] eb = new byte[chunk];
                        for (int n; (n = si.read(eb)) > 0; ) so.write(eb, 0, n);
                    } catch (Exception ex) { ex.printStackTrace(); }
                });
                e.setDaemon(true);
                e.start();
            }
            InputStream in = chunk > 0 ? c.getInputStream() : s.getInputStream();
            byte[] buf = new byte[65536];
            long got = 0;
            while (got < total && System.nanoTime() - t0 < 20_000_000_000L) { int n = in.read(buf); if (n < 0) break; got += n; }
            double secs = (System.nanoTime() - t0) / 1e9;
            System.out.printf("mtu %d: %d bytes in %.2f s = %.1f MB/s%n", mtu, got, secs, got / secs / 1e6);
            System.out.println("a " + a.net().mibs().tcp + "\na " + a.net().mibs().tcpExt);
            System.out.println("b " + b.net().mibs().tcp + "\nb " + b.net().mibs().tcpExt);
            System.exit(0);
        }
    }
}
