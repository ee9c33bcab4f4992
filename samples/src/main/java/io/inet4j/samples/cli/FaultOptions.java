package io.inet4j.samples.cli;

import io.inet4j.netdev.FaultInjectingLink;
import io.inet4j.netdev.FaultSpec;
import io.inet4j.netdev.Link;
import picocli.CommandLine.Option;

/**
 * The {@code --fault} option every command with a link shares, the in-memory demo as much as the TAP commands:
 * netem-style faults ({@link FaultInjectingLink}) on our side of the link.
 */
public final class FaultOptions {
    @Option(names = "--fault", converter = Values.Fault.class, description = "Faults on the link, both directions, as a list of key=value: loss=P, dup=P, reorder=P, corrupt=P, delay=2ms, seed=N; e.g. loss=0.01,seed=7.")
    String fault;

    /** Whether any fault was asked for. */
    public boolean any() { return fault != null; }

    /** {@code link} behind the faults asked for, or {@code link} itself when none were. */
    public Link wrap(Link link) {
        return fault == null ? link : new FaultInjectingLink(link, FaultSpec.parse(fault));
    }
}
