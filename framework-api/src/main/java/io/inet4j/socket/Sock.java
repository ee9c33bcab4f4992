package io.inet4j.socket;

import io.inet4j.hook.Scope;
import io.inet4j.net.Net;
import io.inet4j.netdev.BusyPoll;
import io.inet4j.netdev.NetDevice;

/**
 * The network-layer socket ({@code struct sock}): what every protocol's socket has in common. Protocol
 * families extend it ({@code inet_sock}, {@code tcp_sock}). Owned by the stack's loop.
 */
public abstract class Sock {
    /** {@code sk_shutdown} bits. */
    public static final int RCV_SHUTDOWN = 1;
    public static final int SEND_SHUTDOWN = 2;
    public static final int SHUTDOWN_MASK = 3;

    /** {@code sk_userlocks} bits: the user set these buffer sizes or bound this port explicitly. */
    public static final int SOCK_SNDBUF_LOCK = 1;
    public static final int SOCK_RCVBUF_LOCK = 2;
    public static final int SOCK_BINDADDR_LOCK = 4;
    public static final int SOCK_BINDPORT_LOCK = 8;

    public final Net net;
    public final Proto prot;
    /** {@code sk_family}, {@code sk_type}, {@code sk_protocol}: u16 in Linux, so {@code short} here (every socket has them). */
    public final short family;
    public final short type;
    public final short protocol;
    /** The protocol state, with TCP's numbers ({@code TCP_ESTABLISHED = 1 ... TCP_CLOSE = 7}) as Linux uses for all. */
    public int state;
    public Socket socket;
    /** Pending hard error ({@code sk_err}), reported once by the next call. */
    public int err;
    /** Last soft error, e.g. an ICMP unreachable while connecting ({@code sk_err_soft}). */
    public int errSoft;
    /** {@code sk_shutdown}: {@link #RCV_SHUTDOWN} and {@link #SEND_SHUTDOWN} bits (a {@code u8}, as in Linux). */
    public byte shutdown;
    public int rcvbuf;
    public int sndbuf;
    /** {@code sk_userlocks}: {@code SOCK_*_LOCK} bits (a {@code u8}). */
    public byte userlocks;
    public boolean reuse;
    public boolean reuseport;
    public boolean keepOpen;
    public boolean broadcast;
    /** SO_OOBINLINE: TCP urgent data stays in the normal stream ({@code SOCK_URGINLINE}). */
    public boolean urginline;
    /** SO_LINGER seconds, or -1 when off. */
    public int lingerSeconds = -1;
    /**
     * SO_RCVTIMEO / SO_SNDTIMEO in milliseconds, as they are set ({@code sk_rcvtimeo}, {@code sk_sndtimeo}); 0 waits
     * forever. Ints rather than nanosecond longs: every socket carries them.
     */
    public int rcvtimeoMillis;
    public int sndtimeoMillis;
    /** SO_BUSY_POLL ({@code sk_ll_usec}): microseconds a blocking receive spins before it sleeps; 0 never. */
    public int llUsec;
    /**
     * {@code sk_napi_id}: the ifindex of the device that last delivered to this socket, 0 before any; a blocking
     * receive polls that device while it waits ({@link #busyPoll}).
     */
    public int napiId;
    /** {@code sk_bound_dev_if}: 0 when not bound to a device. */
    public int boundDevIf;
    /**
     * The hook scope the socket belongs to ({@code sk_cgrp_data}): the one it was created in, the stack's root by
     * default; an accepted connection takes its listener's, as {@code sk_clone_lock} copies it.
     */
    public Scope scope;

    protected Sock(Net net, Proto prot, int family, int type, int protocol) {
        this.net = net;
        this.prot = prot;
        this.family = (short) family;
        this.type = (short) type;
        this.protocol = (short) protocol;
        this.rcvbuf = net.coreSysctls().rmemDefault.get();
        this.sndbuf = net.coreSysctls().wmemDefault.get();
        this.llUsec = net.coreSysctls().busyRead.get();
        this.scope = net.hooks().root();
    }

    /** {@code sk_mark_napi_id}: {@code ifindex} delivered to this socket, so its next blocking receive polls it. */
    public final void markNapiId(int ifindex) {
        if (napiId != ifindex) napiId = ifindex; // written only on a change, as Linux's WRITE_ONCE under a test
    }

    /**
     * {@code sk_mark_napi_id_once}: {@link #markNapiId} for a socket no device has marked yet; an unconnected socket
     * hears from any device, and its first keeps it.
     */
    public final void markNapiIdOnce(int ifindex) {
        if (napiId == 0) napiId = ifindex;
    }

    /**
     * The device queue a blocking receive on this socket polls while it waits ({@code sk_busy_loop} finding the NAPI
     * context by {@code sk_napi_id}), or null. Any thread: {@link #napiId} is read racily, as Linux's READ_ONCE.
     */
    public BusyPoll busyPoll() {
        int id = napiId;
        if (id == 0) return null;
        NetDevice dev = net.device(id);
        return dev == null ? null : dev.link().busyPoll();
    }

    /** sk_data_ready: new data or a new connection to accept. */
    public void dataReady() { wake(); }

    /** sk_write_space: room in the send buffer again. */
    public void writeSpace() { wake(); }

    /** sk_state_change: connected, closed, reset. */
    public void stateChange() { wake(); }

    /** sk_error_report: {@link #err} was set. */
    public void errorReport() { wake(); }

    private void wake() {
        Socket s = socket;
        if (s != null) s.wq().wakeUp(net.loop());
    }

    /** SO_RCVTIMEO in nanoseconds; 0 waits forever. */
    public long rcvtimeoNanos() { return rcvtimeoMillis * 1_000_000L; }

    /** SO_SNDTIMEO in nanoseconds; 0 waits forever. */
    public long sndtimeoNanos() { return sndtimeoMillis * 1_000_000L; }

    /** sock_error: takes the pending error, returning it as {@code -errno} (0 if none). */
    public int takeError() {
        int e = err;
        err = 0;
        return e == 0 ? 0 : -e;
    }
}
