package io.inet4j.stack;

import dagger.BindsInstance;
import dagger.Component;
import io.inet4j.di.CoreModule;
import io.inet4j.ipv4.di.Ipv4Module;
import io.inet4j.loop.EventLoop;
import javax.inject.Singleton;

/**
 * The Dagger component of a stack with IPv4 and ICMP built in and every other protocol found on the class path
 * through its generated tables ({@link Ipv4Assembly}); what a program depending on {@code stack} alone gets.
 */
@Singleton
@Component(modules = {CoreModule.class, Ipv4Module.class, StackModule.class})
public interface Ipv4StackComponent extends StackComponent {
    /** Builds the component from the configuration (links, addresses, routes, sysctls) and the loop that will own the stack. */
    @Component.Factory
    interface Factory {
        Ipv4StackComponent create(@BindsInstance StackConfig config, @BindsInstance EventLoop loop);
    }
}
