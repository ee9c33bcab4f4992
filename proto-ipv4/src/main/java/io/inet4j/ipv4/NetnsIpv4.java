package io.inet4j.ipv4;

import io.inet4j.ipv4.icmp.Icmp;
import io.inet4j.ipv4.ip.DevInet;
import io.inet4j.ipv4.ip.Ipv4;
import io.inet4j.ipv4.route.Fib;
import io.inet4j.net.Net;
import javax.inject.Inject;
import javax.inject.Named;
import javax.inject.Singleton;

/**
 * One stack's IPv4 half ({@code struct netns_ipv4} inside {@code struct net}), wired by Dagger and handed to
 * protocols as their {@link InetContext}.
 */
@Singleton
public final class NetnsIpv4 implements InetContext {
    /** The Dagger name of the class loader protocol tables are found with (a component binds it from its configuration). */
    public static final String PROTOCOL_LOADER = "inet4j.protocol-loader";

    private final Net net;
    private final Ipv4 ip;
    private final Fib fib;
    private final DevInet devinet;
    private final Icmp icmp;
    private final ClassLoader loader;

    @Inject
    public NetnsIpv4(Net net, Ipv4 ip, Fib fib, DevInet devinet, Icmp icmp, @Named(PROTOCOL_LOADER) ClassLoader loader) {
        this.net = net;
        this.ip = ip;
        this.fib = fib;
        this.devinet = devinet;
        this.icmp = icmp;
        this.loader = loader;
    }

    @Override public Net net() { return net; }
    @Override public Ipv4 ip() { return ip; }
    @Override public Fib fib() { return fib; }
    @Override public DevInet devinet() { return devinet; }
    @Override public Icmp icmp() { return icmp; }
    @Override public ClassLoader classLoader() { return loader; }

    @Override
    public String toString() { return "ipv4 of " + net; }
}
