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
}
