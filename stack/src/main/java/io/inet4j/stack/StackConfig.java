package io.inet4j.stack;

import io.inet4j.hook.HookSpec;
import io.inet4j.net.NetConfig;
import io.inet4j.netdev.Link;
import java.nio.file.Path;
import java.util.List;

/**
 * Everything a stack is built from: the namespace settings (name, seed, sysctls), its links with their IPv4
 * addresses, its routes, the class loader whose protocol tables and hook factories it uses, and the hooks to
 * attach at start. What the Dagger component's builder takes.
 */
public record StackConfig(NetConfig net, List<LinkSpec> links, List<RouteSpec> routes, ClassLoader loader,
                          List<HookSpec> hooks) {
    /** A link and its addresses ({@code 10.0.0.2/24}); {@code pcap} captures its frames when not null. */
    public record LinkSpec(Link link, List<String> addresses, Path pcap) {
        public LinkSpec {
            addresses = List.copyOf(addresses);
        }
    }

    /** A route: {@code destination} in CIDR form ({@code 0.0.0.0/0} for the default), via {@code gateway} or on-link (null). */
    public record RouteSpec(String destination, String gateway) {}

    public StackConfig {
        links = List.copyOf(links);
        routes = List.copyOf(routes);
        hooks = List.copyOf(hooks);
    }
}
