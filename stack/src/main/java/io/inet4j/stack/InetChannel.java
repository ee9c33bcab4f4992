package io.inet4j.stack;

/**
 * What {@link InetSelector} needs of an inet4j channel: the kernel socket under it and how its poll mask reads
 * as ready operations for the channel's kind (the JDK's {@code SelChImpl.translateReadyOps}).
 */
interface InetChannel {
    SocketHandle handle();

    /** The ready set for {@code pollMask} ({@link io.inet4j.socket.PollEvents} bits) within {@code interestOps}. */
    int readyOps(int pollMask, int interestOps);
}
