package io.inet4j.socket;

/** Socket ioctl commands with Linux numbers ({@code asm-generic/ioctls.h}, {@code linux/sockios.h}). */
public final class SockIoctl {
    /** SIOCINQ (FIONREAD): bytes ready to read without blocking. */
    public static final int SIOCINQ = 0x541B;

    private SockIoctl() {}
}
