package io.inet4j.ipv4.af;

import io.inet4j.ipv4.InetContext;
import io.inet4j.protocol.InetProtoswTable;
import io.inet4j.protocol.NetProtocolTable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * Protocol registration at stack start, the part of {@code inet_init()} that walks {@code inetsw_array} and
 * calls {@code inet_add_protocol}: every generated table found on the class path with {@link ServiceLoader}, then
 * those bound explicitly (Dagger sets), in that order. Refused registrations are logged and kept for
 * listings, as Linux logs and ignores them.
 */
public final class InetInit {
    private static final System.Logger LOG = System.getLogger(InetInit.class.getName());

    /** One line of the protocol table: where an entry came from and what became of it. */
    public record Registration(String kind, int type, int protocol, int flags, String name, String outcome) {}

    private final List<Registration> registrations = new ArrayList<>();

    /**
     * Registers all tables; call once, on the loop, after the IPv4 services are in place. A table bound through
     * Dagger that is also on the class path is one row, registered where the binding puts it (last, so a binding
     * may shadow a non-permanent class-path entry).
     */
    public void register(InetContext ctx, InetSwitch inetsw, ClassLoader loader,
                         Iterable<NetProtocolTable> boundHandlers, Iterable<InetProtoswTable> boundSwitch) {
        for (NetProtocolTable t : withClassPath(boundHandlers, NetProtocolTable.class, loader)) {
            boolean ok = ctx.ip().addProtocol(t.protocol(), t.newHandler(ctx));
            record("inet_protos", 0, t.protocol(), 0, t.name(), ok ? "registered" : "refused: protocol taken");
        }
        for (InetProtoswTable t : withClassPath(boundSwitch, InetProtoswTable.class, loader)) {
            InetSwitch.Refusal r = inetsw.register(t.type(), t.protocol(), t.flags(), () -> t.newProto(ctx), t.ops());
            record("inetsw", t.type(), t.protocol(), t.flags(), t.name(), r == null ? "registered"
                    : r == InetSwitch.Refusal.ILLEGAL_TYPE ? "refused: illegal socket type"
                    : "refused: would override a permanent protocol");
        }
    }

    /** What {@link ServiceLoader} finds that is not also bound, then the bound tables. */
    private static <T> List<T> withClassPath(Iterable<T> bound, Class<T> spi, ClassLoader loader) {
        Set<Class<?>> boundClasses = new HashSet<>();
        bound.forEach(t -> boundClasses.add(t.getClass()));
        List<T> all = new ArrayList<>();
        for (T t : ServiceLoader.load(spi, loader)) if (!boundClasses.contains(t.getClass())) all.add(t);
        bound.forEach(all::add);
        return all;
    }

    private void record(String kind, int type, int protocol, int flags, String name, String outcome) {
        Registration reg = new Registration(kind, type, protocol, flags, name, outcome);
        registrations.add(reg);
        if (!outcome.equals("registered")) LOG.log(System.Logger.Level.WARNING, "{0} {1}", name, outcome);
    }

    public List<Registration> registrations() { return List.copyOf(registrations); }
}
