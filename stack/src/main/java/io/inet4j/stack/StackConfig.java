package io.inet4j.stack;

import io.inet4j.hook.HookSpec;
import io.inet4j.ipv4.route.RouteMetrics;
import io.inet4j.net.NetConfig;
import io.inet4j.netdev.Link;
import java.nio.file.Path;
import java.util.Arrays;
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

    /**
     * A route: {@code destination} in CIDR form ({@code 0.0.0.0/0} for the default), via {@code gateway} or on-link
     * (null), with its {@code metrics} ({@code congctl NAME}).
     */
    public record RouteSpec(String destination, String gateway, RouteMetrics metrics) {
        public RouteSpec {
            if (metrics == null) metrics = RouteMetrics.NONE;
        }

        /** A route without metrics. */
        public RouteSpec(String destination, String gateway) { this(destination, gateway, RouteMetrics.NONE); }

        /**
         * Parses {@code ip route add}'s arguments: {@code DEST [via GW] [congctl [lock] NAME]}, DEST being
         * {@code default} or an address with an optional prefix length. IllegalArgumentException ("EINVAL") for
         * anything else.
         */
        public static RouteSpec parse(String text) {
            List<String> words = Arrays.stream(text.trim().split("\\s+")).filter(w -> !w.isEmpty()).toList();
            if (words.isEmpty()) throw new IllegalArgumentException("EINVAL: empty route");
            String dst = words.get(0).equals("default") ? "0.0.0.0/0" : words.get(0);
            int i = 1;
            String gateway = null;
            if (i < words.size() && words.get(i).equals("via")) {
                if (i + 1 >= words.size()) throw new IllegalArgumentException("EINVAL: via needs a gateway");
                gateway = words.get(i + 1);
                i += 2;
            }
            return new RouteSpec(dst, gateway, RouteMetrics.parse(words.subList(i, words.size())));
        }

        /** As {@code ip route} prints it. */
        @Override
        public String toString() {
            String s = destination + (gateway == null ? "" : " via " + gateway);
            return metrics.congctl() == null ? s : s + " " + metrics;
        }
    }

    public StackConfig {
        links = List.copyOf(links);
        routes = List.copyOf(routes);
        hooks = List.copyOf(hooks);
    }
}
