package io.inet4j.assembly;

import io.inet4j.loop.EventLoop;
import io.inet4j.stack.InetStack;
import io.inet4j.stack.StackAssembly;
import io.inet4j.stack.StackConfig;

/**
 * The assembly of the {@code io.inet4j:inet4j} artifact ({@link InetStackComponent}); with this jar on the class
 * path, {@code InetStack.builder()} builds the complete stack.
 */
public final class InetAssembly implements StackAssembly {
    @Override public String name() { return "inet"; }

    @Override public int rank() { return 100; }

    @Override
    public InetStack assemble(StackConfig config, EventLoop loop) {
        return DaggerInetStackComponent.factory().create(config, loop).stack();
    }
}
