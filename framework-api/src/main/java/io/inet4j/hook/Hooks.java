package io.inet4j.hook;

import io.inet4j.loop.Clock;
import io.inet4j.mib.MibCounters;
import io.inet4j.socket.Errno;
import io.inet4j.socket.MsgHdr;
import io.inet4j.socket.SockAddr;
import io.inet4j.socket.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * A stack's hook layer: its tree of {@link Scope}s (the cgroup hierarchy with {@code kernel/bpf/cgroup.c}'s
 * attach rules), its stacked {@link SocketSecurity} modules (the LSM hooks {@code security_socket_*}), and the
 * containment of hooks that fail. {@code net.hooks()} of every stack; {@code InetStack.hooks()} for embedders.
 *
 * <pre>{@code
 * InetStack stack = InetStack.builder().link(link, "10.0.0.2/24").build();
 * Hooks hooks = stack.hooks();
 * Scope web = hooks.scope("/services/web");                  // get-or-create, like mkdir in cgroupfs
 * // deny connects to 10.9.0.0/16, redirect 10.0.0.80:80 to 10.0.0.81:8080 (ctx->user_ip4 / user_port)
 * HookLink policy = web.attach(AttachType.INET4_CONNECT, ctx -> {
 *     if ((ctx.userIp4() & 0xffff0000) == SockAddrIn.parseAddress("10.9.0.0")) return Verdict.DENY;
 *     if (ctx.userIp4() == SockAddrIn.parseAddress("10.0.0.80") && ctx.userPort() == 80) {
 *         ctx.setUserIp4(SockAddrIn.parseAddress("10.0.0.81"));
 *         ctx.setUserPort(8080);
 *     }
 *     return Verdict.ALLOW;
 * }, AttachFlag.ALLOW_MULTI);
 * try (InetSocket s = stack.in("/services/web").socket()) {   // a socket of that scope
 *     s.connect(new InetSocketAddress("10.0.0.80", 80));       // lands on 10.0.0.81:8080
 * }
 * policy.close();                                            // detach
 * }</pre>
 *
 * <p><b>Containment.</b> A hook is ordinary Java, so unlike a verified BPF program it may throw or run long. A
 * hook that throws (an Error included) fails its call with ECANCELED and counts {@link HookMib#HookErrors}; one
 * that returns after more than {@link #timeBudget()} of the loop's clock fails it with ETIME and counts
 * {@link HookMib#HookOverBudget}. Nothing is thrown out of the loop, and the stack goes on. A SOCK_OPS callback
 * has no call to fail: its failure is only counted.
 */
public final class Hooks {
    /** The default {@link #timeBudget()}: long enough for any lookup a hook should do, short of a GC storm. */
    public static final Duration DEFAULT_TIME_BUDGET = Duration.ofMillis(100);
    private static final System.Logger LOG = System.getLogger(Hooks.class.getName());
    private static final SocketSecurity[] NO_MODULES = {};

    private final Clock clock;
    private final Scope root;
    /** Every scope by path; guarded by this object's monitor, the tree lock. */
    private final Map<String, Scope> byPath = new HashMap<>();
    private final MibCounters<HookMib> counters = new MibCounters<>("Hook", HookMib.class);
    private volatile long budgetNanos = DEFAULT_TIME_BUDGET.toNanos();
    /** The stacked security modules in call order, replaced whole; empty: one read and no call. */
    private volatile SocketSecurity[] security = NO_MODULES;

    /** The hook layer of a stack whose loop runs on {@code clock} (the time budget is measured on it). */
    public Hooks(Clock clock) {
        this.clock = clock;
        synchronized (this) {
            this.root = new Scope(this, null, "/");
            byPath.put("/", root);
        }
    }

    /** The root scope {@code /}: where sockets belong unless created in another. */
    public Scope root() { return root; }

    /**
     * The scope at {@code path} ({@code /services/web}), created with its missing ancestors if it does not exist,
     * as {@code mkdir -p} in cgroupfs. A new scope inherits the effective hooks of its ancestors. Any thread.
     */
    public Scope scope(String path) {
        String norm = normalize(path);
        synchronized (this) {
            Scope s = byPath.get(norm);
            if (s != null) return s;
            int slash = norm.lastIndexOf('/');
            Scope parent = scope(slash == 0 ? "/" : norm.substring(0, slash));
            s = new Scope(this, parent, norm);
            parent.children.put(norm.substring(slash + 1), s);
            byPath.put(norm, s);
            return s;
        }
    }

    /** Every scope, parents before children. */
    public synchronized List<Scope> scopes() {
        List<Scope> out = new ArrayList<>();
        collect(root, out);
        return out;
    }

    private static void collect(Scope s, List<Scope> out) {
        out.add(s);
        for (Scope c : s.children.values()) collect(c, out);
    }

    private static String normalize(String path) {
        if (path == null || !path.startsWith("/")) throw new IllegalArgumentException("a scope path starts with /: " + path);
        String[] parts = path.substring(1).split("/", -1);
        StringBuilder sb = new StringBuilder();
        for (String p : parts) {
            if (p.isEmpty()) continue;
            if (p.equals(".") || p.equals("..")) throw new IllegalArgumentException("bad scope path " + path);
            sb.append('/').append(p);
        }
        return sb.length() == 0 ? "/" : sb.toString();
    }

    /** How long one hook may run, on the loop's clock, before its call fails with ETIME. */
    public Duration timeBudget() { return Duration.ofNanos(budgetNanos); }

    public void setTimeBudget(Duration budget) {
        if (budget.isNegative() || budget.isZero()) throw new IllegalArgumentException("time budget must be positive: " + budget);
        budgetNanos = budget.toNanos();
    }

    /** Hooks that failed instead of answering; read like the MIBs ({@code nstat}). Linux has no such counters. */
    public MibCounters<HookMib> counters() { return counters; }

    /**
     * Stacks a security module after those already there ({@code security_add_hooks}); closing the link removes it.
     * Any thread.
     */
    public HookLink addSecurity(SocketSecurity module) {
        if (module == null) throw new NullPointerException("module");
        synchronized (this) {
            SocketSecurity[] next = Arrays.copyOf(security, security.length + 1);
            next[next.length - 1] = module;
            security = next;
        }
        return new HookLink() {
            private boolean attached = true;

            @Override
            public boolean attached() {
                synchronized (Hooks.this) {
                    return attached;
                }
            }

            @Override
            public void close() {
                synchronized (Hooks.this) {
                    if (!attached) return;
                    attached = false;
                    List<SocketSecurity> l = new ArrayList<>(Arrays.asList(security));
                    l.remove(module);
                    security = l.toArray(NO_MODULES);
                }
            }
        };
    }

    /** security_socket_create: 0 or the first module's -errno. */
    public int securitySocketCreate(Scope scope, int family, int type, int protocol, boolean kern) {
        return callSecurity(m -> m.socketCreate(scope, family, type, protocol, kern));
    }

    /** security_socket_bind. */
    public int securitySocketBind(Socket sock, SockAddr address) { return callSecurity(m -> m.socketBind(sock, address)); }

    /** security_socket_connect. */
    public int securitySocketConnect(Socket sock, SockAddr address) {
        return callSecurity(m -> m.socketConnect(sock, address));
    }

    /** security_socket_listen. */
    public int securitySocketListen(Socket sock, int backlog) { return callSecurity(m -> m.socketListen(sock, backlog)); }

    /** security_socket_accept: before the wait for a connection, {@code newSock} still empty. */
    public int securitySocketAccept(Socket sock, Socket newSock) {
        return callSecurity(m -> m.socketAccept(sock, newSock));
    }

    /** security_socket_sendmsg. */
    public int securitySocketSendmsg(Socket sock, MsgHdr msg) {
        // Every send asks: with no module loaded, that must not cost the capturing lambda.
        return security.length == 0 ? 0 : callSecurity(m -> m.socketSendmsg(sock, msg));
    }

    /** security_socket_recvmsg. */
    public int securitySocketRecvmsg(Socket sock, MsgHdr msg, int flags) {
        return security.length == 0 ? 0 : callSecurity(m -> m.socketRecvmsg(sock, msg, flags));
    }

    /** call_int_hook: each module in order until one refuses; a module's failure is contained as a hook's is. */
    private int callSecurity(ToIntFunction<SocketSecurity> call) {
        SocketSecurity[] modules = security;
        for (SocketSecurity m : modules) {
            long start = clock.nanoTime();
            int r;
            try {
                r = call.applyAsInt(m);
            } catch (Throwable t) {
                return failed(m, t);
            }
            if (clock.nanoTime() - start > budgetNanos) return overBudget(m);
            if (r != 0) return r > 0 ? -r : r;
        }
        return 0;
    }

    /** bpf_prog_run_array_cg over {@code progs}; see {@link Scope#run}. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    int runArray(Hook<?>[] progs, Object ctx) {
        int ret = 0;
        for (Hook h : progs) {
            long start = clock.nanoTime();
            Verdict v;
            try {
                v = h.run(ctx);
            } catch (Throwable t) {
                ret = worst(ret, failed(h, t));
                continue;
            }
            if (clock.nanoTime() - start > budgetNanos) {
                ret = worst(ret, overBudget(h));
            } else if (v != Verdict.ALLOW) {
                ret = worst(ret, Errno.EPERM.neg());
            }
        }
        return ret;
    }

    /** A containment errno outranks a deny: it says the policy did not answer. */
    private static int worst(int ret, int err) { return ret == 0 || ret == Errno.EPERM.neg() ? err : ret; }

    private int failed(Object hook, Throwable t) {
        counters.inc(HookMib.HookErrors);
        LOG.log(System.Logger.Level.WARNING, "hook " + hook + " threw; its call fails with ECANCELED", t);
        return Errno.ECANCELED.neg();
    }

    private int overBudget(Object hook) {
        counters.inc(HookMib.HookOverBudget);
        LOG.log(System.Logger.Level.WARNING, "hook " + hook + " ran over its time budget of " + timeBudget()
                + "; its call fails with ETIME");
        return Errno.ETIME.neg();
    }
}
