package io.inet4j.samples.hooks;

import io.inet4j.hook.AttachType;
import io.inet4j.hook.Hook;
import io.inet4j.hook.HookFactory;
import io.inet4j.hook.InetHook;
import io.inet4j.hook.SockAddrContext;
import io.inet4j.hook.Verdict;
import io.inet4j.socket.SockAddrIn;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A connect policy in the style of a {@code cgroup/connect4} BPF program: connects to any address in a deny list
 * fail with EPERM before a packet leaves, and connects to one {@code address:port} are transparently sent to
 * another (the program rewrites {@code user_ip4} / {@code user_port}). Attach it at INET4_CONNECT:
 * <pre>{@code
 * ConnectPolicy policy = new ConnectPolicy(ConnectPolicy.parseDeny("10.9.0.0/16"),
 *         Map.ofEntries(ConnectPolicy.parseRedirect("10.0.0.80:80=10.0.0.81:8080")));
 * stack.hooks().root().attach(AttachType.INET4_CONNECT, policy, AttachFlag.ALLOW_MULTI);
 * }</pre>
 * or name it in a hook configuration ({@code / connect4 connect-policy multi deny=10.9.0.0/16
 * redirect=10.0.0.80:80=10.0.0.81:8080}); the redirect is applied first, so a redirect into a denied network is
 * denied too.
 */
public final class ConnectPolicy implements Hook<SockAddrContext> {
    private final List<Cidr> deny;
    private final Map<SockAddrIn, SockAddrIn> redirects;

    public ConnectPolicy(List<Cidr> deny, Map<SockAddrIn, SockAddrIn> redirects) {
        this.deny = List.copyOf(deny);
        this.redirects = Map.copyOf(redirects);
    }

    @Override
    public Verdict run(SockAddrContext ctx) {
        SockAddrIn to = redirects.get(new SockAddrIn(ctx.userIp4(), ctx.userPort()));
        if (to != null) {
            ctx.setUserIp4(to.address());
            ctx.setUserPort(to.port());
        }
        for (Cidr c : deny) {
            if (c.contains(ctx.userIp4())) return Verdict.DENY;
        }
        return Verdict.ALLOW;
    }

    /** {@code CIDR[,CIDR...]}, as {@code --deny-connect} takes it. */
    public static List<Cidr> parseDeny(String list) {
        List<Cidr> out = new ArrayList<>();
        for (String s : list.split(",", -1)) out.add(Cidr.parse(s.trim()));
        return out;
    }

    /** {@code IP:PORT=IP:PORT}, as {@code --redirect-connect} takes it: one entry of the redirect map. */
    public static Map.Entry<SockAddrIn, SockAddrIn> parseRedirect(String s) {
        int eq = s.indexOf('=');
        if (eq < 0) throw new IllegalArgumentException("no '=' (write IP:PORT=IP:PORT, e.g. 10.0.0.80:80=10.0.0.81:8080)");
        return Map.entry(endpoint(s.substring(0, eq)), endpoint(s.substring(eq + 1)));
    }

    private static SockAddrIn endpoint(String s) {
        int colon = s.lastIndexOf(':');
        if (colon < 0 || s.indexOf('/') >= 0) throw new IllegalArgumentException("'" + s + "' is not IP:PORT");
        int port;
        try {
            port = Integer.parseInt(s.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + s.substring(colon + 1) + "' is not a port (1-65535)");
        }
        if (port < 1 || port > 65535) throw new IllegalArgumentException("'" + port + "' is not a port (1-65535)");
        return new SockAddrIn(Cidr.parse(s.substring(0, colon)).network(), port);
    }

    @Override
    public String toString() { return "connect-policy deny=" + deny + " redirect=" + redirects; }

    /**
     * The policy by name for a hook configuration: {@code connect-policy} at {@code connect4} with arguments
     * {@code deny=CIDR[,CIDR...]} and {@code redirect=IP:PORT=IP:PORT} (several redirects separated by commas).
     */
    @InetHook("connect-policy")
    public static final class Factory implements HookFactory {
        @Override
        public Hook<?> create(AttachType<?> type, Map<String, String> args) {
            if (type != AttachType.INET4_CONNECT) throw new IllegalArgumentException("connect-policy attaches at connect4, not " + type);
            for (String k : args.keySet()) {
                if (!k.equals("deny") && !k.equals("redirect")) throw new IllegalArgumentException("connect-policy: unknown argument " + k);
            }
            List<Cidr> deny = args.containsKey("deny") ? parseDeny(args.get("deny")) : List.of();
            Map<SockAddrIn, SockAddrIn> redirects = new LinkedHashMap<>();
            if (args.containsKey("redirect")) {
                for (String r : args.get("redirect").split(",")) {
                    Map.Entry<SockAddrIn, SockAddrIn> e = parseRedirect(r.trim());
                    redirects.put(e.getKey(), e.getValue());
                }
            }
            return new ConnectPolicy(deny, redirects);
        }
    }
}
