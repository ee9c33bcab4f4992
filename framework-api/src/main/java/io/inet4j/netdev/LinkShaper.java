package io.inet4j.netdev;

import io.inet4j.buffer.PacketBuffer;
import io.inet4j.buffer.PacketBufferPool;
import io.inet4j.loop.EventLoop;
import java.util.concurrent.RejectedExecutionException;

/**
 * A {@link Link} decorator that works on the frames of both directions on the stack's loop: the base of the
 * netem-like links (fault injection, a rate-limited bottleneck). The analog of a qdisc on each end of a veth
 * pair: a subclass decides when (and whether) each frame goes on, through the sink {@link #started} hands it.
 *
 * <p>Receives may come from a driver thread; they hop onto the loop here, so a subclass's state (random streams,
 * queues, timers) has one owner and needs no lock.
 */
public abstract class LinkShaper implements Link {
    /** Where a direction's frames go once shaped: the inner link's transmit, or the host's receive. */
    @FunctionalInterface
    protected interface Sink {
        void send(PacketBuffer frame);
    }

    private final Link inner;
    private volatile boolean closed;

    protected LinkShaper(Link inner) { this.inner = inner; }

    @Override public String name() { return inner.name(); }
    @Override public int mtu() { return inner.mtu(); }
    @Override public MacAddress mac() { return inner.mac(); }

    /** Whether {@link #close} ran: frames that arrive after it are released, not shaped. */
    protected final boolean closed() { return closed; }

    /** Called once before the inner link starts: the loop, and the sinks of the outgoing and incoming directions. */
    protected abstract void started(EventLoop loop, Sink toWire, Sink toHost);

    /** A frame the stack transmits, on the loop. */
    protected abstract void outgoing(PacketBuffer frame);

    /** A frame the inner link received, on the loop. */
    protected abstract void incoming(PacketBuffer frame);

    /** Cancels the timers and releases the frames held in either direction; on the loop, at {@link #close}. */
    protected abstract void dropHeld();

    @Override
    public final void start(LinkHost host) {
        started(host.loop(), inner::transmit, host::receive);
        inner.start(new LinkHost() {
            @Override
            public void receive(PacketBuffer frame) {
                EventLoop loop = host.loop();
                if (loop.inEventLoop()) {
                    incoming(frame);
                    return;
                }
                try {
                    loop.execute(() -> incoming(frame));
                } catch (RejectedExecutionException stackClosed) {
                    frame.release();
                } catch (Throwable t) {
                    frame.release(); // nobody took it; the driver's thread counts the failure
                    throw t;
                }
            }

            @Override public PacketBufferPool pool() { return host.pool(); }
            @Override public EventLoop loop() { return host.loop(); }

            /** The decorator must not swallow the news that the link under it died. */
            @Override public void linkFailed(String reason) { host.linkFailed(reason); }
        });
    }

    @Override
    public final void transmit(PacketBuffer frame) { outgoing(frame); }

    /** Closes the inner link and releases the frames on the way; call it on the loop. */
    @Override
    public final void close() {
        closed = true;
        dropHeld();
        inner.close();
    }
}
