package io.inet4j.ipv4.ip;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The IPv4 addresses of a stack's devices ({@code net/ipv4/devinet.c}): which addresses are local, which is the
 * primary one of a device, and which to use as the source towards a destination ({@code inet_select_addr}).
 * Listeners play the role of the {@code inetaddr_chain} notifier (routes follow addresses, ARP announces them).
 */
public final class DevInet {
    /** Notified after an address is added or removed, on the thread that changed it. */
    public interface Listener {
        void added(IfAddr a);

        void removed(IfAddr a);
    }

    private static final IfAddr[] NONE = new IfAddr[0];

    /** Replaced whole on every change, so the per-packet readers below walk an array and allocate nothing. */
    private volatile IfAddr[] addrs = NONE;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();

    public void addListener(Listener l) { listeners.add(l); }

    /** inet_insert_ifa; IllegalArgumentException (EEXIST) when the address is already on that device. */
    public void add(IfAddr a) {
        synchronized (this) {
            for (IfAddr x : addrs) {
                if (x.ifindex() == a.ifindex() && x.local() == a.local()) throw new IllegalArgumentException("address exists: " + a);
            }
            IfAddr[] n = Arrays.copyOf(addrs, addrs.length + 1);
            n[n.length - 1] = a;
            addrs = n;
        }
        for (Listener l : listeners) l.added(a);
    }

    public boolean remove(IfAddr a) {
        synchronized (this) {
            List<IfAddr> l = new ArrayList<>(Arrays.asList(addrs));
            if (!l.remove(a)) return false;
            addrs = l.toArray(NONE);
        }
        for (Listener l : listeners) l.removed(a);
        return true;
    }

    public List<IfAddr> all() { return List.of(addrs); }

    /** True when {@code addr} is assigned to any device (RTN_LOCAL). */
    public boolean isLocal(int addr) {
        for (IfAddr a : addrs) if (a.local() == addr) return true;
        return false;
    }

    /**
     * True when {@code addr} is the limited broadcast or a directed broadcast of an address on {@code ifindex}
     * (0: on any device).
     */
    public boolean isBroadcast(int ifindex, int addr) {
        if (addr == -1) return true;
        if (addr == 0) return false;
        for (IfAddr a : addrs) if ((ifindex == 0 || a.ifindex() == ifindex) && a.broadcast() == addr) return true;
        return false;
    }

    /** The first address added to {@code ifindex}, or null. */
    public IfAddr primary(int ifindex) {
        for (IfAddr a : addrs) if (a.ifindex() == ifindex) return a;
        return null;
    }

    /**
     * inet_select_addr: an address of {@code ifindex} in the same subnet as {@code dst}, else the device's
     * primary address, else any address of the stack; 0 when the stack has none.
     */
    public int selectAddr(int ifindex, int dst) {
        IfAddr primary = null;
        for (IfAddr a : addrs) {
            if (a.ifindex() != ifindex) continue;
            if (dst != 0 && a.contains(dst)) return a.local();
            if (primary == null) primary = a;
        }
        if (primary != null) return primary.local();
        IfAddr[] all = addrs;
        return all.length == 0 ? 0 : all[0].local();
    }
}
