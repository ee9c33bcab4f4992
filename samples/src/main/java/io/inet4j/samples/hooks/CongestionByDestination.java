package io.inet4j.samples.hooks;

import io.inet4j.hook.Hook;
import io.inet4j.hook.SockOpsContext;
import io.inet4j.hook.Verdict;
import java.util.List;

/**
 * Picks the congestion control per destination from a SOCK_OPS callback, as a {@code sockops} BPF program does
 * with {@code bpf_setsockopt(TCP_CONGESTION)}: at TCP_CONNECT_CB (before our SYN) and PASSIVE_ESTABLISHED_CB (an
 * accepted connection) the first rule whose network holds the peer names the algorithm; peers no rule matches
 * keep the stack's default ({@code net.ipv4.tcp_congestion_control}). A name the stack does not have leaves the
 * socket as it was and is counted in {@link #failures()}.
 */
public final class CongestionByDestination implements Hook<SockOpsContext> {
    /** One rule: peers in {@code network} use {@code congestion}. */
    public record Rule(Cidr network, String congestion) {}

    private final List<Rule> rules;
    private long failures;

    public CongestionByDestination(List<Rule> rules) { this.rules = List.copyOf(rules); }

    @Override
    public Verdict run(SockOpsContext ctx) {
        switch (ctx.op()) {
            case TCP_CONNECT_CB, PASSIVE_ESTABLISHED_CB -> {
                for (Rule r : rules) {
                    if (r.network().contains(ctx.remoteIp4())) {
                        if (ctx.setCongestion(r.congestion()) != 0) failures++;
                        break;
                    }
                }
            }
            default -> {}
        }
        return Verdict.ALLOW;
    }

    /** Rules whose algorithm the stack refused (not registered); read on the loop. */
    public long failures() { return failures; }
}
