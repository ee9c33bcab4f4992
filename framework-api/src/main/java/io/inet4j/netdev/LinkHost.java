package io.inet4j.netdev;

import io.inet4j.buffer.PacketBuffer;
import io.inet4j.buffer.PacketBufferPool;
import io.inet4j.loop.EventLoop;

/** What a {@link Link} sees of the device it drives: where frames go, where buffers come from, whose loop runs. */
public interface LinkHost {
    /** Hands a received frame up (netif_rx). Safe from any thread; takes ownership of the buffer. */
    void receive(PacketBuffer frame);

    PacketBufferPool pool();

    EventLoop loop();

    /**
     * The link can receive no more (its reader thread failed or the device vanished); {@code reason} says why.
     * Called once, from the link's thread. The host should make the failure visible rather than sit deaf.
     */
    default void linkFailed(String reason) {}
}
