package io.inet4j.samples.cli;

import io.inet4j.hook.AttachFlag;
import io.inet4j.hook.AttachType;
import io.inet4j.samples.hooks.ConnectPolicy;
import io.inet4j.samples.hooks.ConnectionTracer;
import io.inet4j.socket.ErrnoException;
import io.inet4j.socket.SockAddrIn;
import io.inet4j.stack.InetStack;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The picocli mixin of the hook options every command that runs a stack shares: a connect policy
 * ({@link ConnectPolicy} at INET4_CONNECT) from {@code --deny-connect} and {@code --redirect-connect}, and the
 * {@link ConnectionTracer} at SOCK_OPS from {@code --trace-connections}, each attached to the stack's root scope
 * with ALLOW_MULTI so hooks of the embedding program still run beside them.
 */
public final class HookOptions {
    @Option(names = "--deny-connect", converter = Values.CidrList.class, paramLabel = "CIDR[,CIDR...]",
            description = "Fail connects to these networks with EPERM before any packet leaves (repeatable).")
    List<String> deny = new ArrayList<>();

    @Option(names = "--redirect-connect", converter = Values.Redirect.class, paramLabel = "IP:PORT=IP:PORT",
            description = "Connect to the second address whenever the first is asked for (repeatable).")
    List<String> redirects = new ArrayList<>();

    @Option(names = "--trace-connections", description = "Print a line for each TCP connection as it ends (addresses, bytes each way, retransmissions, duration) to stderr.")
    boolean trace;

    /** Attaches what the options ask for to {@code stack}'s root scope. */
    void attach(InetStack stack) throws ErrnoException {
        if (!deny.isEmpty() || !redirects.isEmpty()) {
            Map<SockAddrIn, SockAddrIn> to = new LinkedHashMap<>();
            for (String r : redirects) {
                Map.Entry<SockAddrIn, SockAddrIn> e = ConnectPolicy.parseRedirect(r);
                if (to.put(e.getKey(), e.getValue()) != null) {
                    throw new IllegalArgumentException("--redirect-connect " + e.getKey() + " is given twice");
                }
            }
            stack.hooks().root().attach(AttachType.INET4_CONNECT,
                    new ConnectPolicy(deny.stream().flatMap(d -> ConnectPolicy.parseDeny(d).stream()).toList(), to), AttachFlag.ALLOW_MULTI);
        }
        if (trace) {
            stack.hooks().root().attach(AttachType.SOCK_OPS,
                    new ConnectionTracer(stack.loop().clock(), line -> System.err.println(line)), AttachFlag.ALLOW_MULTI);
        }
    }
}
