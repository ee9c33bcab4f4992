package io.inet4j.benchmarks;

import io.inet4j.netfilter.NfHookOps;
import io.inet4j.netfilter.NfInetHook;
import io.inet4j.netfilter.NfVerdict;
import io.inet4j.stack.InetStack;

/**
 * The hook sets the benchmarks compare, named by their {@code hooks} parameter: {@code none} (nothing attached,
 * the zero-cost case) or {@code packet-accept} (one ACCEPT packet hook at each of the five netfilter points).
 * A new set (a cgroup hook, say) is one more case here and one more value in the benchmarks' {@code @Param}.
 */
final class StackHooks {
    static final String NONE = "none";
    static final String PACKET_ACCEPT = "packet-accept";

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
            default:
                throw new IllegalArgumentException("unknown hook set: " + hooks);
        }
    }
}
