package io.inet4j.socket;

/** Address families ({@code include/linux/socket.h}). */
public final class AddressFamily {
    public static final int AF_UNSPEC = 0;
    public static final int AF_UNIX = 1;
    public static final int AF_INET = 2;
    public static final int AF_INET6 = 10;
    /** One past the largest family number the socket layer indexes. */
    public static final int AF_MAX = 46;

    private AddressFamily() {}
}
