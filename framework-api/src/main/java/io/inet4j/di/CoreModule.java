package io.inet4j.di;

import dagger.Module;
import dagger.Provides;
import io.inet4j.buffer.PacketBufferPool;
import io.inet4j.mib.Mibs;
import io.inet4j.net.Net;
import io.inet4j.sysctl.CoreSysctls;
import io.inet4j.sysctl.Sysctls;
import javax.inject.Singleton;

/**
 * Dagger bindings of the core ({@code net/core}): one buffer pool per stack and the {@link Net}'s parts for
 * modules that inject them directly.
 */
@Module
public interface CoreModule {
    @Provides
    @Singleton
    static PacketBufferPool packetBufferPool() { return PacketBufferPool.standard(); }

    @Provides
    static Sysctls sysctls(Net net) { return net.sysctls(); }

    @Provides
    static CoreSysctls coreSysctls(Net net) { return net.coreSysctls(); }

    @Provides
    static Mibs mibs(Net net) { return net.mibs(); }
}
