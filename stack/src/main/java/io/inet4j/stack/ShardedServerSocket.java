package io.inet4j.stack;

import java.io.IOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A TCP listener over every shard of a {@link ShardedStack}: one {@link InetServerSocket} per shard on the same
 * port, as a server opens one {@code SO_REUSEPORT} listener per CPU, and one {@link #accept} that takes from all of
 * them. Each shard's listener has an accepting thread that moves its connections into one queue of
 * {@code backlog} places; when that is full the threads wait and the shards' own backlogs fill, as one listener's
 * would. Closing stops the listeners and closes the connections not yet taken.
 */
public final class ShardedServerSocket implements AutoCloseable {
    private final List<InetServerSocket> listeners;
    private final BlockingQueue<Object> accepted;
    /** Put in the queue once a listener closes or fails, so a thread waiting in {@link #accept} wakes up. */
    private final Object closedMarker = new Object();
    private volatile boolean closed;
    private volatile IOException failure;
    private volatile int soTimeoutMillis;

    ShardedServerSocket(List<InetServerSocket> listeners, int backlog) {
        this.listeners = List.copyOf(listeners);
        this.accepted = new ArrayBlockingQueue<>(Math.max(1, backlog < 1 ? InetServerSocket.DEFAULT_BACKLOG : backlog));
        int port = listeners.get(0).getLocalPort();
        for (int i = 0; i < listeners.size(); i++) {
            InetServerSocket l = listeners.get(i);
            int shard = i;
            Thread t = new Thread(() -> acceptFrom(l), "accept-" + port + "-shard" + shard);
            t.setDaemon(true);
            t.start();
        }
    }

    private void acceptFrom(InetServerSocket listener) {
        try {
            while (!closed) {
                InetSocket s = listener.accept();
                accepted.put(s);
                if (closed) drain(); // close() may have drained before our put
            }
        } catch (IOException e) {
            if (!closed) failure = e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            accepted.offer(closedMarker);
        }
    }

    /** The next connection of any shard, waiting up to SO_TIMEOUT (0: for ever). */
    public InetSocket accept() throws IOException {
        Object next;
        try {
            int timeout = soTimeoutMillis;
            next = timeout == 0 ? accepted.take() : accepted.poll(timeout, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SocketException("Interrupted in accept");
        }
        if (next == null) throw new SocketTimeoutException("Accept timed out");
        if (next == closedMarker) {
            accepted.offer(closedMarker); // for the next thread in accept
            IOException f = failure;
            if (f != null && !closed) throw f;
            throw new SocketException("Socket closed");
        }
        return (InetSocket) next;
    }

    /** The port every shard listens on. */
    public int getLocalPort() { return listeners.get(0).getLocalPort(); }

    public void setSoTimeout(int millis) {
        if (millis < 0) throw new IllegalArgumentException("timeout can't be negative");
        soTimeoutMillis = millis;
    }

    public boolean isClosed() { return closed; }

    /** Closes every shard's listener, wakes a thread in {@link #accept}, and closes what was accepted but not taken. */
    @Override
    public void close() {
        closed = true;
        listeners.forEach(InetServerSocket::close);
        drain();
        accepted.offer(closedMarker);
    }

    private void drain() {
        for (Object o; (o = accepted.poll()) != null; ) {
            if (o instanceof InetSocket s) s.close();
        }
    }
}
