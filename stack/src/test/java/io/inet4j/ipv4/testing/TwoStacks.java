package io.inet4j.ipv4.testing;

import io.inet4j.loop.SimulatedEventLoop;
import io.inet4j.netdev.FaultInjectingLink;
import io.inet4j.netdev.FaultSpec;
import io.inet4j.netdev.InMemoryLink;
import io.inet4j.netdev.Link;
import io.inet4j.stack.InetStack;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

/**
 * Two stacks, {@code a} (10.0.0.1/24) and {@code b} (10.0.0.2/24), on one in-memory wire and one simulated loop:
 * every packet, timer and task runs in one reproducible order on the test's thread.
 */
public final class TwoStacks implements AutoCloseable {
    public static final String A = "10.0.0.1";
    public static final String B = "10.0.0.2";

    public final SimulatedEventLoop loop = new SimulatedEventLoop();
    public final InetStack a;
    public final InetStack b;

    public TwoStacks() { this(1500, (FaultSpec) null); }

    /** With faults (both directions of a's end) when {@code faults} is not null. */
    public TwoStacks(int mtu, FaultSpec faults) {
        this(mtu, faults == null ? UnaryOperator.identity() : l -> new FaultInjectingLink(l, faults));
    }

    /** With a's end of the wire wrapped by {@code aEnd} (a bottleneck, faults, or both). */
    public static TwoStacks wrapping(int mtu, UnaryOperator<Link> aEnd) { return new TwoStacks(mtu, 0, aEnd); }

    /** On a wire that offers {@code features} ({@link io.inet4j.netdev.NetdevFeatures}), as a veth pair with TSO does. */
    public static TwoStacks offloaded(int mtu, int features) {
        return new TwoStacks(mtu, features, UnaryOperator.identity());
    }

    private TwoStacks(int mtu, UnaryOperator<Link> aEnd) { this(mtu, 0, aEnd); }

    private TwoStacks(int mtu, int features, UnaryOperator<Link> aEnd) {
        InMemoryLink[] wire = InMemoryLink.pair("veth-a", "veth-b", mtu, features);
        Link la = aEnd.apply(wire[0]);
        a = InetStack.builder().name("a").seed(1).loop(loop).link(la, A + "/24").build();
        b = InetStack.builder().name("b").seed(2).loop(loop).link(wire[1], B + "/24").build();
        loop.runFor(10_000_000L); // let the gratuitous ARPs settle
    }

    /** Runs until {@code done} or {@code seconds} of virtual time; returns whether {@code done} held. */
    public boolean runUntil(double seconds, BooleanSupplier done) {
        return loop.runUntilFor((long) (seconds * 1e9), done);
    }

    public void run(double seconds) { loop.runFor((long) (seconds * 1e9)); }

    @Override
    public void close() {
        a.close();
        b.close();
        loop.runPending();
    }
}
