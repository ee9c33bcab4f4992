package io.inet4j.ipv4.testing;

import io.inet4j.netdev.InMemoryLink;
import io.inet4j.stack.InetStack;
import java.util.function.Consumer;

/**
 * Two stacks, {@code a} ({@value TwoStacks#A}/24) and {@code b} ({@value TwoStacks#B}/24), on one in-memory wire,
 * each on its own {@code ThreadEventLoop}: the real runtime, which the blocking socket API
 * ({@code InetSocket}, {@code InetServerSocket}) needs. {@link TwoStacks} is the deterministic sibling.
 */
public final class ThreadedStacks implements AutoCloseable {
    public final InetStack a;
    public final InetStack b;

    public ThreadedStacks() { this(builder -> {}); }

    /** With {@code config} applied to both builders (sysctls, say). */
    public ThreadedStacks(Consumer<InetStack.Builder> config) {
        InMemoryLink[] wire = InMemoryLink.pair("veth-a", "veth-b", 1500);
        InetStack.Builder ba = InetStack.builder().name("a").seed(1).link(wire[0], TwoStacks.A + "/24");
        InetStack.Builder bb = InetStack.builder().name("b").seed(2).link(wire[1], TwoStacks.B + "/24");
        config.accept(ba);
        config.accept(bb);
        a = ba.build();
        b = bb.build();
    }

    @Override
    public void close() {
        a.close();
        b.close();
    }
}
