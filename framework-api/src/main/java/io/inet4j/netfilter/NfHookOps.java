package io.inet4j.netfilter;

import io.inet4j.buffer.PacketBuffer;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;

/**
 * One registered packet hook, Linux's {@code struct nf_hook_ops} (hook function, hook number, priority), with
 * the packet and byte counters an iptables rule keeps: every packet the hook saw, and how many it dropped or
 * failed on. Register it with {@link NfHooks#register}; the counters are written on the stack's loop only.
 */
public final class NfHookOps {
    private static final VarHandle PACKETS;
    private static final VarHandle BYTES;
    private static final VarHandle DROPS;
    private static final VarHandle ERRORS;

    static {
        MethodHandles.Lookup l = MethodHandles.lookup();
        try {
            PACKETS = l.findVarHandle(NfHookOps.class, "packets", long.class);
            BYTES = l.findVarHandle(NfHookOps.class, "bytes", long.class);
            DROPS = l.findVarHandle(NfHookOps.class, "drops", long.class);
            ERRORS = l.findVarHandle(NfHookOps.class, "errors", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Linux's {@code enum nf_ip_hook_priorities} values a hook is commonly placed against. */
    public static final int PRI_FIRST = Integer.MIN_VALUE;
    public static final int PRI_RAW = -300;
    public static final int PRI_CONNTRACK = -200;
    public static final int PRI_MANGLE = -150;
    public static final int PRI_NAT_DST = -100;
    public static final int PRI_FILTER = 0;
    public static final int PRI_SECURITY = 50;
    public static final int PRI_NAT_SRC = 100;
    public static final int PRI_LAST = Integer.MAX_VALUE;

    private final NfInetHook hook;
    private final int priority;
    private final NfHookFn fn;
    // Plain fields written on the loop (one writer), read opaquely from any thread: counting costs no fence.
    private long packets;
    private long bytes;
    private long drops;
    private long errors;

    public NfHookOps(NfInetHook hook, int priority, NfHookFn fn) {
        this.hook = Objects.requireNonNull(hook, "hook");
        this.priority = priority;
        this.fn = Objects.requireNonNull(fn, "fn");
    }

    public NfInetHook hook() { return hook; }

    /** Lower runs first; equal priorities run in the order they were registered. */
    public int priority() { return priority; }

    /** Packets this hook was run on, whatever it answered. */
    public long packets() { return (long) PACKETS.getOpaque(this); }

    /** Their bytes, each counted from the IPv4 header as it stood when the hook ran. */
    public long bytes() { return (long) BYTES.getOpaque(this); }

    /** Packets dropped by this hook's verdict, failures included. */
    public long drops() { return (long) DROPS.getOpaque(this); }

    /** Times the hook threw or answered null (each also a drop). */
    public long errors() { return (long) ERRORS.getOpaque(this); }

    /** Runs the hook on {@code b} and counts it; a throw or null is a DROP. */
    NfVerdict run(PacketBuffer b, int in, int out) {
        PACKETS.setOpaque(this, packets + 1);
        BYTES.setOpaque(this, bytes + b.length());
        NfVerdict v;
        try {
            v = fn.hook(hook, b, in, out);
        } catch (RuntimeException | Error e) {
            v = null; // contained: the packet is dropped and the failure counted, the loop goes on
        }
        if (v == null) {
            ERRORS.setOpaque(this, errors + 1);
            v = NfVerdict.DROP;
        }
        if (v == NfVerdict.DROP) DROPS.setOpaque(this, drops + 1);
        return v;
    }

    @Override
    public String toString() {
        return "NfHookOps[" + hook + ", priority " + priority + ", " + packets() + " packets, " + bytes() + " bytes]";
    }
}
