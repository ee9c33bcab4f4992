package io.inet4j.socket;

import io.inet4j.sysctl.CoreSysctls;

/**
 * The {@code SOL_SOCKET} options every protocol shares ({@code sock_setsockopt} / {@code sk_getsockopt} in
 * {@code net/core/sock.c}), with Linux's quirks: SO_RCVBUF/SO_SNDBUF are clamped to rmem_max/wmem_max and
 * doubled to account for bookkeeping overhead, and setting them locks the size against auto-tuning.
 */
public final class SockOptions {
    /** SOCK_MIN_RCVBUF / SOCK_MIN_SNDBUF on 64-bit Linux (2 * skb truesize of a minimal packet). */
    public static final int SOCK_MIN_RCVBUF = 2304;
    public static final int SOCK_MIN_SNDBUF = 4608;

    private SockOptions() {}

    public static int setsockopt(Sock sk, int optname, int value) {
        CoreSysctls core = sk.net.coreSysctls();
        switch (optname) {
            case SockOpt.SO_REUSEADDR -> sk.reuse = value != 0;
            case SockOpt.SO_REUSEPORT -> sk.reuseport = value != 0;
            case SockOpt.SO_KEEPALIVE -> {
                sk.keepOpen = value != 0;
                sk.prot.keepalive(sk, sk.keepOpen);
            }
            case SockOpt.SO_BROADCAST -> sk.broadcast = value != 0;
            case SockOpt.SO_OOBINLINE -> sk.urginline = value != 0;
            case SockOpt.SO_SNDBUF -> {
                sk.userlocks |= Sock.SOCK_SNDBUF_LOCK;
                sk.sndbuf = Math.max(clampedDoubled(value, core.wmemMax.get()), SOCK_MIN_SNDBUF);
                sk.writeSpace();
            }
            case SockOpt.SO_RCVBUF -> {
                sk.userlocks |= Sock.SOCK_RCVBUF_LOCK;
                sk.rcvbuf = Math.max(clampedDoubled(value, core.rmemMax.get()), SOCK_MIN_RCVBUF);
            }
            case SockOpt.SO_LINGER -> sk.lingerSeconds = value < 0 ? -1 : value;
            case SockOpt.SO_RCVTIMEO -> {
                if (value < 0) return Errno.EDOM.neg();
                sk.rcvtimeoMillis = value;
            }
            case SockOpt.SO_SNDTIMEO -> {
                if (value < 0) return Errno.EDOM.neg();
                sk.sndtimeoMillis = value;
            }
            case SockOpt.SO_BUSY_POLL -> {
                if (value < 0) return Errno.EINVAL.neg();
                sk.llUsec = value;
            }
            default -> {
                return Errno.ENOPROTOOPT.neg();
            }
        }
        return 0;
    }

    /**
     * {@code min_t(u32, val, max)} (so a negative value counts as huge and gets the maximum), then
     * {@code min_t(int, val, INT_MAX / 2)} so that doubling cannot overflow, then doubled.
     */
    private static int clampedDoubled(int value, int max) {
        long v = Math.min(Integer.toUnsignedLong(value), max);
        return (int) Math.min(v, Integer.MAX_VALUE / 2) * 2;
    }

    public static int getsockopt(Sock sk, int optname, int[] value) {
        switch (optname) {
            case SockOpt.SO_REUSEADDR -> value[0] = sk.reuse ? 1 : 0;
            case SockOpt.SO_REUSEPORT -> value[0] = sk.reuseport ? 1 : 0;
            case SockOpt.SO_KEEPALIVE -> value[0] = sk.keepOpen ? 1 : 0;
            case SockOpt.SO_BROADCAST -> value[0] = sk.broadcast ? 1 : 0;
            case SockOpt.SO_OOBINLINE -> value[0] = sk.urginline ? 1 : 0;
            case SockOpt.SO_TYPE -> value[0] = sk.type;
            case SockOpt.SO_ERROR -> value[0] = -sk.takeError();
            case SockOpt.SO_SNDBUF -> value[0] = sk.sndbuf;
            case SockOpt.SO_RCVBUF -> value[0] = sk.rcvbuf;
            case SockOpt.SO_LINGER -> value[0] = sk.lingerSeconds;
            case SockOpt.SO_RCVTIMEO -> value[0] = sk.rcvtimeoMillis;
            case SockOpt.SO_SNDTIMEO -> value[0] = sk.sndtimeoMillis;
            case SockOpt.SO_BUSY_POLL -> value[0] = sk.llUsec;
            default -> {
                return Errno.ENOPROTOOPT.neg();
            }
        }
        return 0;
    }
}
