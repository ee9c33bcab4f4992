package io.inet4j.stack;

import io.inet4j.loop.EventLoop;
import java.util.Comparator;
import java.util.ServiceLoader;

/**
 * One way of putting a stack together: a Dagger component over a fixed set of built-in protocol modules, the
 * analog of a kernel configuration ({@code CONFIG_INET=y}, ...). {@link InetStack#builder()} takes the
 * highest-ranked assembly on the class path: the complete one of the {@code io.inet4j:inet4j} artifact when it
 * is there, else {@link Ipv4Assembly}. Protocols outside the assembly still join through their generated tables.
 */
public interface StackAssembly {
    /** A short name for listings ({@code ipv4}, {@code inet}). */
    String name();

    /** Higher wins when several assemblies are on the class path. */
    int rank();

    /** Builds the (not yet started) stack for {@code config} on {@code loop}. */
    InetStack assemble(StackConfig config, EventLoop loop);

    /** The highest-ranked assembly {@code loader} can see; {@link Ipv4Assembly} is always there. */
    static StackAssembly find(ClassLoader loader) {
        return ServiceLoader.load(StackAssembly.class, loader).stream()
                .map(ServiceLoader.Provider::get)
                .max(Comparator.comparingInt(StackAssembly::rank))
                .orElseGet(Ipv4Assembly::new);
    }
}
