package io.inet4j.socket;

/** Flags of send/recv calls ({@code MSG_*} in {@code include/linux/socket.h}) and the file flag O_NONBLOCK. */
public final class MsgFlags {
    public static final int MSG_OOB = 0x1;
    public static final int MSG_PEEK = 0x2;
    public static final int MSG_DONTROUTE = 0x4;
    public static final int MSG_TRUNC = 0x20;
    public static final int MSG_DONTWAIT = 0x40;
    public static final int MSG_WAITALL = 0x100;
    /** The peer answered, so the neighbour entry is still good ({@code dst_confirm}); a hint datagram sends accept. */
    public static final int MSG_CONFIRM = 0x800;
    /** Read queued ICMP errors instead of data (with IP_RECVERR in Linux). */
    public static final int MSG_ERRQUEUE = 0x2000;
    public static final int MSG_NOSIGNAL = 0x4000;
    /** {@code O_NONBLOCK} as accepted by connect/accept flags. */
    public static final int O_NONBLOCK = 0x800;

    private MsgFlags() {}
}
