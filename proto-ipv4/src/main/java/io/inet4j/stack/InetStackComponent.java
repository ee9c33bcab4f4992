package io.inet4j.stack;

import dagger.BindsInstance;
import dagger.Component;
import io.inet4j.di.CoreModule;
import io.inet4j.ipv4.di.Ipv4Module;
import io.inet4j.loop.EventLoop;
import javax.inject.Singleton;

/** The Dagger component that assembles one stack from its configuration and its event loop. */
@Singleton
@Component(modules = {CoreModule.class, Ipv4Module.class})
public interface InetStackComponent {
    InetStack stack();

    /** Takes the configuration (links, addresses, routes, sysctls) and the loop that will own the stack. */
    @Component.Builder
    interface Builder {
        @BindsInstance
        Builder config(StackConfig config);

        @BindsInstance
        Builder loop(EventLoop loop);

        InetStackComponent build();
    }
}
