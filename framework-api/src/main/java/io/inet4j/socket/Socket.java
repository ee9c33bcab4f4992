package io.inet4j.socket;

/**
 * The BSD socket object ({@code struct socket}): the application's handle. It pairs the family's call table
 * ({@link ProtoOps}, e.g. {@code inet_stream_ops}) with the protocol's socket ({@link Sock}) and holds the
 * socket-level state that {@code inet_stream_connect} switches on.
 *
 * <p>Fields are touched on the stack's loop; application threads reach them through calls that hop there. The
 * socket is its own wait queue ({@code socket->wq}, embedded as in Linux): {@link #wq()}.
 */
public final class Socket extends WaitQueue {
    public final int type;
    public volatile SocketState state = SocketState.SS_UNCONNECTED;
    public ProtoOps ops;
    public Sock sk;
    /** O_NONBLOCK on the "file". */
    public volatile boolean nonBlocking;

    public Socket(int type) { this.type = type; }

    /**
     * Where threads wait for this socket ({@code socket->wq}); {@link #wakeUp} is called by the socket's
     * data-ready, write-space and state-change callbacks.
     */
    public WaitQueue wq() { return this; }

    @Override
    public String toString() { return "socket(type " + type + ", " + state + ", " + sk + ")"; }
}
