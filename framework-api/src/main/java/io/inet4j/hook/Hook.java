package io.inet4j.hook;

/**
 * A hook attached to a {@link Scope} at an {@link AttachType}: the analog of a cgroup BPF program. It runs on the
 * stack's loop with the call's context, which it may read and, where the context allows, rewrite; it must be
 * quick and must not block (a hook over the {@linkplain Hooks#timeBudget() time budget} or one that throws fails
 * the call, see {@link Hooks}).
 *
 * @param <C> the context ({@link SockContext}, {@link SockAddrContext}, {@link SockOpsContext})
 */
@FunctionalInterface
public interface Hook<C> {
    Verdict run(C ctx);
}
