package io.inet4j.benchmarks.latency;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ServerSocketFactory;

/**
 * A thread-per-connection TCP echo server written against {@code java.net} only, so the very same code serves on the
 * JDK's sockets (the kernel's stack) and on inet4j's ({@code InetStack#serverSocketFactory}): the difference between
 * the two is the stack's, not the server's. A cached pool hands each accepted connection to one thread, which
 * echoes until the client closes, as a classic blocking Java server does.
 */
final class EchoServer implements AutoCloseable {
    private final ServerSocket listener;
    private final ExecutorService workers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "echo-worker");
        t.setDaemon(true);
        return t;
    });
    private final Thread acceptor;

    EchoServer(ServerSocketFactory sockets, int port) throws IOException {
        listener = sockets.createServerSocket(port, 1024);
        acceptor = new Thread(this::acceptLoop, "echo-acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** The port it listens on (the one chosen when constructed with 0). */
    int port() { return listener.getLocalPort(); }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            Socket s;
            try {
                s = listener.accept();
            } catch (IOException closedOrFailed) {
                if (listener.isClosed()) return;
                continue; // a failed accept (ECONNABORTED) costs the client a retry, not the server its loop
            }
            workers.execute(() -> echo(s));
        }
    }

    private static void echo(Socket s) {
        try (s) {
            s.setTcpNoDelay(true);
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = in.read(buf)) > 0; ) out.write(buf, 0, n);
        } catch (IOException reset) {
            // a client that resets instead of closing ends its connection all the same
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        workers.shutdownNow();
    }
}
