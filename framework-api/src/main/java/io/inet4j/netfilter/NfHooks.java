package io.inet4j.netfilter;

import io.inet4j.buffer.PacketBuffer;
import io.inet4j.socket.Errno;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * A stack's packet hooks for one protocol family: Linux's per-netns {@code nf_hook_entries} arrays
 * ({@code net->nf.hooks_ipv4}), {@code nf_register_net_hook} / {@code nf_unregister_net_hook} and
 * {@code nf_hook_slow} ({@code net/netfilter/core.c}).
 *
 * <p>Each point holds an immutable array sorted by priority, or null when nothing is registered: the packet path
 * reads that one slot and, finding null, does nothing more (no allocation, no lock). Registration and
 * unregistration from any thread build a fresh array and publish it, as Linux swaps its entries under RCU; a
 * packet already inside {@link #hookSlow} finishes with the array it started with.
 */
public final class NfHooks {
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(NfHookOps[][].class);
    private static final NfInetHook[] HOOKS = NfInetHook.values();

    private final NfHookOps[][] entries = new NfHookOps[HOOKS.length][];

    /** The hooks at {@code hook} in the order they run, or null when there are none (the fast path's one read). */
    public NfHookOps[] entries(NfInetHook hook) {
        return (NfHookOps[]) SLOT.getAcquire(entries, hook.ordinal());
    }

    /**
     * nf_register_net_hook: {@code ops} runs at its point before every hook of higher priority and after those
     * of lower or equal priority already there ({@code nf_hook_entries_grow}).
     *
     * @throws IllegalArgumentException when {@code ops} is already registered here
     */
    public synchronized void register(NfHookOps ops) {
        int h = ops.hook().ordinal();
        NfHookOps[] old = entries[h] == null ? new NfHookOps[0] : entries[h];
        int at = 0;
        for (NfHookOps o : old) {
            if (o == ops) throw new IllegalArgumentException("already registered: " + ops);
            if (o.priority() <= ops.priority()) at++;
        }
        NfHookOps[] grown = new NfHookOps[old.length + 1];
        System.arraycopy(old, 0, grown, 0, at);
        grown[at] = ops;
        System.arraycopy(old, at, grown, at + 1, old.length - at);
        SLOT.setRelease(entries, h, grown);
    }

    /** Registers {@code fn} at {@code hook} with {@code priority}; returns its ops, for counters and unregistering. */
    public NfHookOps register(NfInetHook hook, int priority, NfHookFn fn) {
        NfHookOps ops = new NfHookOps(hook, priority, fn);
        register(ops);
        return ops;
    }

    /** nf_unregister_net_hook: false when {@code ops} was not registered here. Packets already running finish. */
    public synchronized boolean unregister(NfHookOps ops) {
        int h = ops.hook().ordinal();
        NfHookOps[] old = entries[h];
        if (old == null) return false;
        int at = Arrays.asList(old).indexOf(ops);
        if (at < 0) return false;
        NfHookOps[] shrunk = null;
        if (old.length > 1) {
            shrunk = new NfHookOps[old.length - 1];
            System.arraycopy(old, 0, shrunk, 0, at);
            System.arraycopy(old, at + 1, shrunk, at, old.length - at - 1);
        }
        SLOT.setRelease(entries, h, shrunk);
        return true;
    }

    /**
     * nf_hook_slow: runs {@code hooks} (an array from {@link #entries}) on {@code b} in order. Returns 1 when every
     * hook accepted (the caller goes on with {@code b}), 0 when a hook stole it, or {@code -EPERM} when one dropped
     * it; in both of the latter {@code b} is no longer the caller's (a dropped one is released here).
     */
    public static int hookSlow(NfHookOps[] hooks, PacketBuffer b, int inIfindex, int outIfindex) {
        for (NfHookOps ops : hooks) {
            switch (ops.run(b, inIfindex, outIfindex)) {
                case ACCEPT:
                    break;
                case STOLEN:
                    return 0;
                default:
                    b.release();
                    return Errno.EPERM.neg();
            }
        }
        return 1;
    }
}
