package io.inet4j.hook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inet4j.loop.VirtualClock;
import io.inet4j.socket.Errno;
import io.inet4j.socket.ErrnoException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link Scope}'s attach rules, effective arrays and run order against {@code kernel/bpf/cgroup.c} and the
 * examples of {@code include/uapi/linux/bpf.h}, with hooks that record their name when run.
 */
class ScopeTest {
    private static final AttachType<SockAddrContext> T = AttachType.INET4_CONNECT;
    private final VirtualClock clock = new VirtualClock();
    private final Hooks hooks = new Hooks(clock);
    private final List<String> ran = new ArrayList<>();

    /** A hook that records {@code name} and answers {@code v}. */
    private Hook<Object> hook(String name, Verdict v) {
        return new Hook<>() {
            @Override
            public Verdict run(Object ctx) {
                ran.add(name);
                return v;
            }

            @Override
            public String toString() { return name; }
        };
    }

    private Hook<Object> hook(String name) { return hook(name, Verdict.ALLOW); }

    private List<String> runs(Scope s) {
        ran.clear();
        s.run(T, null);
        return List.copyOf(ran);
    }

    private static Errno errno(ErrnoException e) { return e.errno(); }

    private static void assertErrno(ThrowingAttach a, Errno expected) {
        assertThatThrownBy(a::attach).isInstanceOf(ErrnoException.class)
                .satisfies(e -> assertThat(errno((ErrnoException) e)).isEqualTo(expected));
    }

    @FunctionalInterface
    private interface ThrowingAttach {
        void attach() throws ErrnoException;
    }

    /** The uapi's Ex1, attached top-down, then detached as its three follow-up lines say. */
    @Test
    void effectiveOrderIsTheKernelsFiveLevelExample() throws Exception {
        Scope c1 = hooks.scope("/1");
        Scope c2 = hooks.scope("/1/2");
        Scope c3 = hooks.scope("/1/2/3");
        Scope c4 = hooks.scope("/1/2/3/4");
        Scope c5 = hooks.scope("/1/2/3/4/5");
        c1.attach(T, hook("A"), AttachFlag.ALLOW_MULTI);
        c1.attach(T, hook("B"), AttachFlag.ALLOW_MULTI);
        c2.attach(T, hook("C"), AttachFlag.ALLOW_OVERRIDE);
        HookLink d = c3.attach(T, hook("D"), AttachFlag.ALLOW_MULTI);
        HookLink e = c4.attach(T, hook("E"), AttachFlag.ALLOW_OVERRIDE);
        HookLink f = c5.attach(T, hook("F"));

        assertThat(runs(c5)).as("the event in cgrp5 triggers execution of F,D,A,B").containsExactly("F", "D", "A", "B");
        f.close();
        assertThat(runs(c5)).containsExactly("E", "D", "A", "B");
        d.close();
        assertThat(runs(c5)).containsExactly("E", "A", "B");
        e.close();
        assertThat(runs(c5)).containsExactly("C", "A", "B");
        assertThat(runs(c1)).containsExactly("A", "B");
    }

    @Test
    void noneForbidsHooksBelowAndOverrideLetsASubScopeReplaceIt() throws Exception {
        Scope a = hooks.scope("/a");
        Scope b = hooks.scope("/a/b");
        Scope c = hooks.scope("/a/b/c");
        HookLink none = a.attach(T, hook("a"));
        assertErrno(() -> b.attach(T, hook("b")), Errno.EPERM);
        assertErrno(() -> c.attach(T, hook("c"), AttachFlag.ALLOW_MULTI), Errno.EPERM);
        assertThat(runs(c)).as("inherited from the nearest ancestor").containsExactly("a");

        none.close();
        a.attach(T, hook("a"), AttachFlag.ALLOW_OVERRIDE);
        b.attach(T, hook("b"));
        assertThat(runs(c)).as("b overrides a").containsExactly("b");
        assertThat(runs(a)).containsExactly("a");
        assertErrno(() -> c.attach(T, hook("c")), Errno.EPERM);
    }

    @Test
    void multiRunsEveryLevelChildFirst() throws Exception {
        Scope a = hooks.scope("/a");
        Scope b = hooks.scope("/a/b");
        Scope c = hooks.scope("/a/b/c");
        a.attach(T, hook("a1"), AttachFlag.ALLOW_MULTI);
        a.attach(T, hook("a2"), AttachFlag.ALLOW_MULTI);
        b.attach(T, hook("b1"), AttachFlag.ALLOW_MULTI);
        c.attach(T, hook("c1"));
        assertThat(runs(c)).containsExactly("c1", "b1", "a1", "a2");
        assertThat(runs(b)).containsExactly("b1", "a1", "a2");
        assertThat(hooks.scope("/a/b/c/d").effective(T)).as("a new scope inherits").hasSize(4);
    }

    @Test
    void flagsOfOneScopeMustNotMixOrChange() throws Exception {
        Scope a = hooks.scope("/a");
        assertErrno(() -> a.attach(T, hook("x"), AttachFlag.ALLOW_MULTI, AttachFlag.ALLOW_OVERRIDE), Errno.EINVAL);
        Hook<Object> m = hook("m");
        a.attach(T, m, AttachFlag.ALLOW_MULTI);
        assertErrno(() -> a.attach(T, m, AttachFlag.ALLOW_MULTI), Errno.EINVAL);
        assertErrno(() -> a.attach(T, hook("n")), Errno.EPERM);
        assertErrno(() -> a.attach(T, hook("o"), AttachFlag.ALLOW_OVERRIDE), Errno.EPERM);
        assertThat(a.attached(T)).containsExactly(m);
    }

    @Test
    void anotherHookReplacesTheOneOfANoneScope() throws Exception {
        Scope a = hooks.scope("/a");
        HookLink first = a.attach(T, hook("first"));
        HookLink second = a.attach(T, hook("second"));
        assertThat(first.attached()).isFalse();
        assertThat(second.attached()).isTrue();
        assertThat(runs(a)).containsExactly("second");
        first.close();
        assertThat(runs(a)).as("closing a replaced link detaches nothing").containsExactly("second");
    }

    @Test
    void atMost64HooksPerScope() throws Exception {
        Scope a = hooks.scope("/a");
        for (int i = 0; i < Scope.MAX_HOOKS; i++) a.attach(T, hook("h" + i), AttachFlag.ALLOW_MULTI);
        assertErrno(() -> a.attach(T, hook("one too many"), AttachFlag.ALLOW_MULTI), Errno.E2BIG);
    }

    @Test
    void detachRestoresAndClearsTheFlags() throws Exception {
        Scope a = hooks.scope("/a");
        Scope b = hooks.scope("/a/b");
        assertThat(b.enabled(T)).isFalse();
        HookLink link = a.attach(T, hook("a"));
        assertThat(b.enabled(T)).isTrue();
        assertThat(hooks.root().enabled(T)).isFalse();
        assertThat(b.enabled(AttachType.INET4_BIND)).isFalse();
        link.close();
        link.close();
        assertThat(b.enabled(T)).isFalse();
        assertThat(runs(b)).isEmpty();
        b.attach(T, hook("b"), AttachFlag.ALLOW_MULTI);
        a.attach(T, hook("a2"));
        assertThat(runs(b)).as("a is NONE again but b's hook was there first").containsExactly("b");
    }

    @Test
    void everyHookRunsAndOneDenyIsEperm() throws Exception {
        Scope a = hooks.scope("/a");
        a.attach(T, hook("deny", Verdict.DENY), AttachFlag.ALLOW_MULTI);
        a.attach(T, hook("allow"), AttachFlag.ALLOW_MULTI);
        ran.clear();
        assertThat(a.run(T, null)).isEqualTo(Errno.EPERM.neg());
        assertThat(ran).containsExactly("deny", "allow");
    }

    @Test
    void aThrowingHookFailsItsCallWithEcanceledAndIsCounted() throws Exception {
        Scope a = hooks.scope("/a");
        HookLink boom = a.attach(T, ctx -> {
            throw new IllegalStateException("policy bug");
        }, AttachFlag.ALLOW_MULTI);
        a.attach(T, ctx -> {
            throw new StackOverflowError();
        }, AttachFlag.ALLOW_MULTI);
        a.attach(T, hook("deny", Verdict.DENY), AttachFlag.ALLOW_MULTI);
        assertThat(a.run(T, null)).as("a failure outranks a deny").isEqualTo(Errno.ECANCELED.neg());
        assertThat(hooks.counters().get(HookMib.HookErrors)).isEqualTo(2);
        boom.close();
        assertThat(a.run(T, null)).isEqualTo(Errno.ECANCELED.neg());
        assertThat(hooks.counters().get(HookMib.HookErrors)).isEqualTo(3);
    }

    @Test
    void aHookOverItsTimeBudgetFailsItsCallWithEtime() throws Exception {
        Scope a = hooks.scope("/a");
        hooks.setTimeBudget(java.time.Duration.ofMillis(5));
        a.attach(T, ctx -> {
            clock.advance(6_000_000L); // the hook took 6 ms of the loop's clock
            return Verdict.ALLOW;
        });
        assertThat(a.run(T, null)).isEqualTo(Errno.ETIME.neg());
        assertThat(hooks.counters().get(HookMib.HookOverBudget)).isEqualTo(1);
        hooks.setTimeBudget(java.time.Duration.ofMillis(10));
        assertThat(a.run(T, null)).isZero();
        assertThat(hooks.counters().get(HookMib.HookOverBudget)).isEqualTo(1);
    }

    @Test
    void securityModulesStackAndTheFirstRefusalDecides() {
        List<String> calls = new ArrayList<>();
        HookLink first = hooks.addSecurity(new SocketSecurity() {
            @Override
            public int socketListen(io.inet4j.socket.Socket sock, int backlog) {
                calls.add("first");
                return 0;
            }
        });
        hooks.addSecurity(new SocketSecurity() {
            @Override
            public int socketListen(io.inet4j.socket.Socket sock, int backlog) {
                calls.add("second");
                return Errno.EACCES.number(); // a positive errno is taken as its negative
            }
        });
        hooks.addSecurity(new SocketSecurity() {
            @Override
            public int socketListen(io.inet4j.socket.Socket sock, int backlog) {
                calls.add("third");
                return 0;
            }
        });
        assertThat(hooks.securitySocketListen(null, 5)).isEqualTo(Errno.EACCES.neg());
        assertThat(calls).containsExactly("first", "second");
        first.close();
        calls.clear();
        assertThat(hooks.securitySocketListen(null, 5)).isEqualTo(Errno.EACCES.neg());
        assertThat(calls).containsExactly("second");
        assertThat(hooks.securitySocketBind(null, null)).isZero();
    }

    @Test
    void aThrowingSecurityModuleIsContained() {
        hooks.addSecurity(new SocketSecurity() {
            @Override
            public int socketCreate(Scope scope, int family, int type, int protocol, boolean kern) {
                throw new AssertionError("module bug");
            }
        });
        assertThat(hooks.securitySocketCreate(hooks.root(), 2, 1, 0, false)).isEqualTo(Errno.ECANCELED.neg());
        assertThat(hooks.counters().get(HookMib.HookErrors)).isEqualTo(1);
    }

    @Test
    void scopePathsAreNormalisedAndCreatedWithTheirAncestors() {
        Scope web = hooks.scope("/services//web/");
        assertThat(web.path()).isEqualTo("/services/web");
        assertThat(web.parent()).isSameAs(hooks.scope("/services"));
        assertThat(web.parent().parent()).isSameAs(hooks.root());
        assertThat(hooks.root().child("services").child("web")).isSameAs(web);
        assertThat(hooks.scopes()).extracting(Scope::path).containsExactly("/", "/services", "/services/web");
        assertThatThrownBy(() -> hooks.scope("services")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> hooks.scope("/a/../b")).isInstanceOf(IllegalArgumentException.class);
    }
}
