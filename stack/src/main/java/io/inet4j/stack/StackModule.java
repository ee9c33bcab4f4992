package io.inet4j.stack;

import dagger.Module;
import dagger.Provides;
import io.inet4j.ipv4.NetnsIpv4;
import io.inet4j.net.NetConfig;
import javax.inject.Named;

/**
 * Dagger bindings the facade adds to every stack component: the namespace settings and the class loader that
 * protocol tables are found with, from the configuration.
 */
@Module
public interface StackModule {
    @Provides
    static NetConfig netConfig(StackConfig config) { return config.net(); }

    @Provides
    @Named(NetnsIpv4.PROTOCOL_LOADER)
    static ClassLoader protocolLoader(StackConfig config) { return config.loader(); }
}
