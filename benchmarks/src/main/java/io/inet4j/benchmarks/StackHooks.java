package io.inet4j.benchmarks;

import io.inet4j.hook.AttachType;
import io.inet4j.hook.Verdict;
import io.inet4j.netfilter.NfHookOps;
import io.inet4j.netfilter.NfInetHook;
import io.inet4j.netfilter.NfVerdict;
import io.inet4j.socket.ErrnoException;
import io.inet4j.stack.InetStack;

/**
 * The hook sets the benchmarks compare, named by their {@code hooks} parameter: {@code none} (nothing attached,
 * the zero-cost case), {@code packet-accept} (one ACCEPT packet hook at each of the five netfilter points) or
 * {@code cgroup-allow} (one ALLOW hook at every cgroup attach point of the root scope, SOCK_OPS included). A new set
 * is one more case here and one more value in the benchmarks' {@code @Param}.
 */
final class StackHooks {
    static final String NONE = "none";
    static final String PACKET_ACCEPT = "packet-accept";
    static final String CGROUP_ALLOW = "cgroup-allow";

    private StackHooks() {}

    static void attach(String hooks, InetStack stack) {
        switch (hooks) {
            case NONE:
                break;
            case PACKET_ACCEPT:
                for (NfInetHook h : NfInetHook.values()) {
                    stack.netfilter().register(h, NfHookOps.PRI_FILTER, (hook, b, in, out) -> NfVerdict.ACCEPT);
                }
                break;
            case CGROUP_ALLOW:
                for (AttachType<?> t : AttachType.values()) attachAllow(stack, t);
                break;
            default:
                throw new IllegalArgumentException("unknown hook set: " + hooks);
        }
    }

    private static <C> void attachAllow(InetStack stack, AttachType<C> type) {
        try {
            stack.hooks().root().attach(type, ctx -> Verdict.ALLOW);
        } catch (ErrnoException e) {
            throw new IllegalStateException("attach " + type + " to a fresh root scope", e);
        }
    }
}
