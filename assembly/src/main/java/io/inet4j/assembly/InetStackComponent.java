package io.inet4j.assembly;

import dagger.BindsInstance;
import dagger.Component;
import io.inet4j.di.CoreModule;
import io.inet4j.ipv4.di.Ipv4Module;
import io.inet4j.loop.EventLoop;
import io.inet4j.stack.StackComponent;
import io.inet4j.stack.StackConfig;
import io.inet4j.stack.StackModule;
import io.inet4j.tcp.di.TcpModule;
import javax.inject.Singleton;

/** The Dagger component of the complete stack: the core, IPv4 with ICMP, and TCP built in. */
@Singleton
@Component(modules = {CoreModule.class, Ipv4Module.class, TcpModule.class, StackModule.class})
public interface InetStackComponent extends StackComponent {
    /** Builds the component from the configuration (links, addresses, routes, sysctls) and the loop that will own the stack. */
    @Component.Factory
    interface Factory {
        InetStackComponent create(@BindsInstance StackConfig config, @BindsInstance EventLoop loop);
    }
}
