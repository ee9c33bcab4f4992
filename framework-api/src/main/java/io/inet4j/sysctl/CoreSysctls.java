package io.inet4j.sysctl;

/** The {@code net.core.*} tunables, with Linux defaults. */
public final class CoreSysctls {
    /** Default accept-queue cap for {@code listen()} since Linux 5.4. */
    public final IntSysctl somaxconn;
    public final IntSysctl rmemMax;
    public final IntSysctl wmemMax;
    public final IntSysctl rmemDefault;
    public final IntSysctl wmemDefault;
    /** Receive backlog per device before frames are dropped. */
    public final IntSysctl netdevMaxBacklog;
    /**
     * Microseconds a blocking read busy-waits before it sleeps, the default of each new socket's SO_BUSY_POLL
     * (Linux's {@code sysctl_net_busy_read}, 0 = off). Linux polls the device queue itself in that time; here the
     * device's own thread keeps receiving and the reader spins on its socket's wait queue instead of sleeping, which
     * saves the wake-up of a sleeping thread when data comes within the budget.
     */
    public final IntSysctl busyRead;

    public CoreSysctls(Sysctls table) {
        somaxconn = table.register(new IntSysctl("net.core.somaxconn", 4096, 0, Integer.MAX_VALUE));
        rmemMax = table.register(new IntSysctl("net.core.rmem_max", 212992, 2304, Integer.MAX_VALUE));
        wmemMax = table.register(new IntSysctl("net.core.wmem_max", 212992, 4608, Integer.MAX_VALUE));
        rmemDefault = table.register(new IntSysctl("net.core.rmem_default", 212992, 2304, Integer.MAX_VALUE));
        wmemDefault = table.register(new IntSysctl("net.core.wmem_default", 212992, 4608, Integer.MAX_VALUE));
        netdevMaxBacklog = table.register(new IntSysctl("net.core.netdev_max_backlog", 1000, 1, 1 << 20));
        busyRead = table.register(new IntSysctl("net.core.busy_read", 0, 0, Integer.MAX_VALUE));
    }
}
