package io.inet4j.socket;

/** Socket types ({@code include/linux/net.h}). */
public final class SockType {
    public static final int SOCK_STREAM = 1;
    public static final int SOCK_DGRAM = 2;
    public static final int SOCK_RAW = 3;
    public static final int SOCK_RDM = 4;
    public static final int SOCK_SEQPACKET = 5;
    /** One past the largest type ({@code SOCK_MAX}). */
    public static final int SOCK_MAX = 11;

    private SockType() {}
}
