package io.inet4j.di;

import dagger.Module;
import dagger.Provides;
import dagger.multibindings.Multibinds;
import io.inet4j.buffer.PacketBufferPool;
import io.inet4j.hook.HookBinding;
import io.inet4j.hook.SocketSecurity;
import io.inet4j.mib.Mibs;
import io.inet4j.net.Net;
import io.inet4j.sysctl.CoreSysctls;
import io.inet4j.sysctl.Sysctls;
import java.util.Set;
import javax.inject.Singleton;

/**
 * Dagger bindings of the core ({@code net/core}): one buffer pool per stack, the {@link Net}'s parts for
 * modules that inject them directly, and the sets through which a module contributes hooks and security modules
 * (attached at stack start; empty by default).
 */
@Module
public interface CoreModule {
    @Multibinds
    Set<HookBinding> hookBindings();

    @Multibinds
    Set<SocketSecurity> socketSecurityModules();

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
