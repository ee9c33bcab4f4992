package io.inet4j.socket;

/**
 * The BSD socket object ({@code struct socket}): the application's handle. It pairs the family's call table
 * ({@link ProtoOps}, e.g. {@code inet_stream_ops}) with the protocol's socket ({@link Sock}) and holds the
 * socket-level state that {@code inet_stream_connect} switches on.
 *
 * <p>Fields are touched on the stack's loop; application threads reach them through calls that hop there.
 */
public final class Socket {
    public final int type;
    public volatile SocketState state = SocketState.SS_UNCONNECTED;
    public ProtoOps ops;
    public Sock sk;
    /** O_NONBLOCK on the "file". */
    public volatile boolean nonBlocking;
    public final WaitQueue wq = new WaitQueue();

    public Socket(int type) { this.type = type; }

    /** Wakes sleepers: called by the socket's data-ready, write-space and state-change callbacks. */
    public void wakeUp() { wq.wakeUp(); }

    @Override
    public String toString() { return "socket(type " + type + ", " + state + ", " + sk + ")"; }
}
