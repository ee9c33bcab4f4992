package io.inet4j.stack;

import dagger.Module;
import dagger.Provides;
import io.inet4j.net.NetConfig;

/** Dagger bindings the facade adds to every stack component: the namespace settings from the configuration. */
@Module
public interface StackModule {
    @Provides
    static NetConfig netConfig(StackConfig config) { return config.net(); }
}
