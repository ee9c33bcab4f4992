package io.inet4j.hook;

import io.inet4j.socket.Errno;
import io.inet4j.socket.ErrnoException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A node of a stack's scope tree: the analog of a cgroup with its {@code cgroup_bpf} (attached programs per attach
 * type, their flags, and the effective arrays). A socket belongs to the scope it was created in ({@code
 * Sock.scope}, the analog of {@code sk_cgrp_data}) and runs that scope's effective hooks.
 *
 * <p>{@link #attach} follows {@code __cgroup_bpf_attach}: EINVAL for both flags or a hook already attached here,
 * EPERM when an ancestor's NONE hook forbids hooks below ({@code hierarchy_allows_attach}) or the flags differ
 * from those of the hooks already here, E2BIG past {@link #MAX_HOOKS}; on a NONE or ALLOW_OVERRIDE scope a new
 * hook replaces the old. The effective hooks ({@code compute_effective_progs}) are this scope's, or if it has none
 * its nearest ancestor's with hooks, plus those of every ALLOW_MULTI ancestor above that; they run as the kernel
 * runs them, this scope's first, then its parent's, up to the root, so a parent has the last word on a rewrite.
 * Attach and detach take the tree's lock and may be called from any thread; hooks run on the stack's loop.
 */
public final class Scope {
    /** {@code BPF_CGROUP_MAX_PROGS}. */
    public static final int MAX_HOOKS = 64;
    private static final Hook<?>[] NONE = {};
    private static final int TYPES = AttachType.values().size();

    private final Hooks hooks;
    private final Scope parent;
    private final String path;
    /** Children by name; guarded by the tree lock (the {@link Hooks} monitor). */
    final Map<String, Scope> children = new LinkedHashMap<>();
    /** Attached links per attach type ({@code cgrp->bpf.progs}) and their flags; guarded by the tree lock. */
    @SuppressWarnings("unchecked")
    private final List<Link>[] attached = new List[TYPES];
    private final int[] flags = new int[TYPES];
    /**
     * The effective hooks per attach type ({@code cgrp->bpf.effective}): copied on write under the tree lock and
     * published whole, so the loop reads it without a lock.
     */
    private volatile Hook<?>[][] effective = new Hook<?>[TYPES][];
    /**
     * Bit {@code ordinal} set while that attach type's effective array is not empty: the hot path's one read.
     * Written under the tree lock.
     */
    private volatile int enabled;

    Scope(Hooks hooks, Scope parent, String path) {
        this.hooks = hooks;
        this.parent = parent;
        this.path = path;
        for (int i = 0; i < TYPES; i++) {
            attached[i] = new ArrayList<>();
            effective[i] = NONE;
        }
        if (parent != null) {
            for (AttachType<?> t : AttachType.values()) recompute(t.ordinal());
        }
    }

    /** {@code /} for the root, else {@code /services/web}. */
    public String path() { return path; }

    /** The parent scope; null for the root. */
    public Scope parent() { return parent; }

    /** The stack's hook layer this scope belongs to. */
    public Hooks hooks() { return hooks; }

    /** The sub-scope {@code name} (one path element), created if it does not exist. */
    public Scope child(String name) { return hooks.scope(path.equals("/") ? "/" + name : path + "/" + name); }

    /**
     * Whether any hook is effective here for {@code type} ({@code cgroup_bpf_enabled} plus the per-cgroup array
     * check): one volatile read, what a call site tests before building a context.
     */
    public boolean enabled(AttachType<?> type) { return (enabled & (1 << type.ordinal())) != 0; }

    /**
     * Attaches {@code hook} here at {@code type} with {@code flags} (none: the kernel's NONE). Any thread.
     *
     * @throws ErrnoException EINVAL, EPERM or E2BIG as the kernel answers (see the class comment)
     */
    public <C> HookLink attach(AttachType<C> type, Hook<? super C> hook, AttachFlag... flags) throws ErrnoException {
        if (hook == null) throw new NullPointerException("hook");
        int saved = AttachFlag.bits(flags);
        int t = type.ordinal();
        synchronized (hooks) {
            if (saved == (AttachFlag.ALLOW_OVERRIDE.bit() | AttachFlag.ALLOW_MULTI.bit())) throw err(Errno.EINVAL, type);
            if (!hierarchyAllowsAttach(t)) throw err(Errno.EPERM, type);
            List<Link> progs = attached[t];
            if (!progs.isEmpty() && this.flags[t] != saved) throw err(Errno.EPERM, type);
            if (progs.size() >= MAX_HOOKS) throw err(Errno.E2BIG, type);
            boolean multi = (saved & AttachFlag.ALLOW_MULTI.bit()) != 0;
            Link link = new Link(type, hook);
            if (multi) {
                for (Link l : progs) if (l.hook == hook) throw err(Errno.EINVAL, type);
                progs.add(link);
            } else if (progs.isEmpty()) {
                progs.add(link);
            } else {
                progs.set(0, link).attached = false;
            }
            this.flags[t] = saved;
            updateEffective(t);
            return link;
        }
    }

    /** The hooks that run for {@code type} here, in run order. */
    public List<Hook<?>> effective(AttachType<?> type) { return List.of(effectiveArray(type.ordinal())); }

    /** The hooks attached in this scope itself at {@code type}, in attach order ({@code BPF_PROG_QUERY}). */
    public List<Hook<?>> attached(AttachType<?> type) {
        synchronized (hooks) {
            return attached[type.ordinal()].stream().<Hook<?>>map(l -> l.hook).toList();
        }
    }

    /**
     * Runs the effective hooks for {@code type} with {@code ctx} ({@code bpf_prog_run_array_cg}): all of them, as
     * the kernel does; 0 when every hook allowed, EPERM when one denied, or ECANCELED / ETIME when one failed (see
     * {@link Hooks}). Loop thread. Call sites test {@link #enabled} first.
     */
    public <C> int run(AttachType<C> type, C ctx) {
        return hooks.runArray(effectiveArray(type.ordinal()), ctx);
    }

    private Hook<?>[] effectiveArray(int t) { return effective[t]; }

    private static ErrnoException err(Errno e, AttachType<?> type) {
        return new ErrnoException(e, "attach " + type.bpftoolName());
    }

    /** hierarchy_allows_attach: the nearest ancestor with a hook decides; ALLOW_MULTI anywhere above allows. */
    private boolean hierarchyAllowsAttach(int t) {
        for (Scope p = parent; p != null; p = p.parent) {
            if ((p.flags[t] & AttachFlag.ALLOW_MULTI.bit()) != 0) return true;
            if (p.attached[t].size() == 1) return (p.flags[t] & AttachFlag.ALLOW_OVERRIDE.bit()) != 0;
        }
        return true;
    }

    /** update_effective_progs: this scope and every one below it, parents before children. */
    private void updateEffective(int t) {
        recompute(t);
        for (Scope c : children.values()) c.updateEffective(t);
    }

    /** compute_effective_progs. */
    private void recompute(int t) {
        List<Hook<?>> out = new ArrayList<>();
        for (Scope p = this; p != null; p = p.parent) {
            if (!out.isEmpty() && (p.flags[t] & AttachFlag.ALLOW_MULTI.bit()) == 0) continue;
            for (Link l : p.attached[t]) out.add(l.hook);
        }
        Hook<?>[][] next = effective.clone();
        next[t] = out.toArray(NONE);
        effective = next;
        enabled = out.isEmpty() ? enabled & ~(1 << t) : enabled | (1 << t);
    }

    private void detach(Link link) {
        synchronized (hooks) {
            if (!link.attached) return;
            int t = link.type.ordinal();
            attached[t].remove(link);
            link.attached = false;
            if (attached[t].isEmpty()) flags[t] = 0;
            updateEffective(t);
        }
    }

    @Override
    public String toString() { return "scope " + path; }

    private final class Link implements HookLink {
        final AttachType<?> type;
        final Hook<?> hook;
        /** Guarded by the tree lock. */
        boolean attached = true;

        Link(AttachType<?> type, Hook<?> hook) {
            this.type = type;
            this.hook = hook;
        }

        @Override
        public boolean attached() {
            synchronized (hooks) {
                return attached;
            }
        }

        @Override
        public void close() { detach(this); }

        @Override
        public String toString() { return hook + " on " + path + " at " + type.bpftoolName(); }
    }
}
