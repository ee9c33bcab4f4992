package io.inet4j.stack;

import io.inet4j.loop.EventLoop;

/** The assembly of the {@code stack} module alone: IPv4 and ICMP built in ({@link Ipv4StackComponent}). */
public final class Ipv4Assembly implements StackAssembly {
    @Override public String name() { return "ipv4"; }

    @Override public int rank() { return 0; }

    @Override
    public InetStack assemble(StackConfig config, EventLoop loop) {
        return DaggerIpv4StackComponent.factory().create(config, loop).stack();
    }
}
