package io.inet4j.ipv4;

import io.inet4j.buffer.PacketBufferPool;
import io.inet4j.ipv4.icmp.Icmp;
import io.inet4j.ipv4.ip.DevInet;
import io.inet4j.ipv4.ip.Ipv4;
import io.inet4j.ipv4.route.Fib;
import io.inet4j.loop.EventLoop;
import io.inet4j.mib.Mibs;
import io.inet4j.netfilter.NfHooks;
import io.inet4j.protocol.ProtocolContext;
import io.inet4j.sysctl.Sysctls;
import java.util.function.Function;

/**
 * What the AF_INET family hands each protocol it registers: the IPv4 services a Linux protocol reaches through
 * {@code sock_net(sk)} and the symbols {@code net/ipv4} exports. A protocol's constructor takes it
 * ({@code public MyProt(InetContext ctx)}) and its generated table passes it; it is the one door from a plug-in
 * into the stack, typed, with nothing looked up by name.
 *
 * <ul>
 *   <li>{@link #ip()}: IP output ({@code ip_queue_xmit}), route lookups for connect, protocol numbers.</li>
 *   <li>{@link #fib()}, {@link #devinet()}: the routing table and the local addresses.</li>
 *   <li>{@link #icmp()}: ICMP errors ({@code icmp_send}).</li>
 *   <li>{@link #netfilter()}: packet hooks at the five IPv4 points ({@code nf_register_net_hook}).</li>
 *   <li>{@link #loop()}: the stack's loop, its clock and timers; every protocol call runs on it.</li>
 *   <li>{@link #sysctls()}, {@link #mibs()}, {@link #pool()}: tunables, counters, packet buffers.</li>
 *   <li>{@link #generic}: per-stack state with get-or-create, shared by a protocol's socket and receive sides
 *       (for a datagram protocol's ports, {@link DatagramPorts}).</li>
 * </ul>
 */
public interface InetContext extends ProtocolContext {
    Ipv4 ip();

    Fib fib();

    DevInet devinet();

    Icmp icmp();

    /** The stack's IPv4 packet hooks, where a plug-in registers its {@code nf_hook_ops}. */
    default NfHooks netfilter() { return ip().netfilter(); }

    default EventLoop loop() { return net().loop(); }

    default Sysctls sysctls() { return net().sysctls(); }

    default Mibs mibs() { return net().mibs(); }

    default PacketBufferPool pool() { return net().pool(); }

    /**
     * The stack's one instance of {@code key}, made by {@code create} the first time any side asks (Linux's
     * {@code net_generic} filled by {@code pernet_operations.init}).
     */
    default <T> T generic(Class<T> key, Function<? super InetContext, ? extends T> create) {
        return net().generic(key, () -> create.apply(this));
    }
}
