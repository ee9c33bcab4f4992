package io.inet4j.socket;

/** Readiness bits returned by {@link ProtoOps#poll} ({@code include/uapi/asm-generic/poll.h}). */
public final class PollEvents {
    public static final int POLLIN = 0x1;
    public static final int POLLPRI = 0x2;
    public static final int POLLOUT = 0x4;
    public static final int POLLERR = 0x8;
    public static final int POLLHUP = 0x10;
    public static final int POLLRDNORM = 0x40;
    public static final int POLLWRNORM = 0x100;
    public static final int POLLRDHUP = 0x2000;

    private PollEvents() {}
}
