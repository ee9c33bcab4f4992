package io.inet4j.ipv4.af;

import io.inet4j.ipv4.ip.Ipv4;
import io.inet4j.net.Net;
import io.inet4j.protocol.InetProtoswTable;
import io.inet4j.protocol.NetProtocolTable;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Protocol registration at stack start, the part of {@code inet_init()} that walks {@code inetsw_array} and
 * calls {@code inet_add_protocol}: every generated table found on the class path with {@link ServiceLoader},
 * then those bound explicitly (Dagger sets), in that order. Refused registrations are logged and kept for
 * listings, as Linux logs and ignores them.
 */
public final class InetInit {
    private static final System.Logger LOG = System.getLogger(InetInit.class.getName());

    /** One line of the protocol table: where an entry came from and what became of it. */
    public record Registration(String kind, int type, int protocol, int flags, String name, String outcome) {}

    private final List<Registration> registrations = new ArrayList<>();

    /** Registers all tables; call once, on the loop, after the IPv4 services are in place. */
    public void register(Net net, InetSwitch inetsw, Ipv4 ipv4, ClassLoader loader,
                         Iterable<NetProtocolTable> extraHandlers, Iterable<InetProtoswTable> extraSwitch) {
        List<NetProtocolTable> handlers = new ArrayList<>();
        ServiceLoader.load(NetProtocolTable.class, loader).forEach(handlers::add);
        extraHandlers.forEach(handlers::add);
        for (NetProtocolTable t : handlers) {
            boolean ok = ipv4.addProtocol(t.protocol(), t.newHandler(net));
            record("inet_protos", 0, t.protocol(), 0, t.name(), ok ? "registered" : "refused: protocol taken");
        }
        List<InetProtoswTable> entries = new ArrayList<>();
        ServiceLoader.load(InetProtoswTable.class, loader).forEach(entries::add);
        extraSwitch.forEach(entries::add);
        for (InetProtoswTable t : entries) {
            InetSwitch.Refusal r = inetsw.register(t.type(), t.protocol(), t.flags(), () -> t.newProto(net), t.ops());
            record("inetsw", t.type(), t.protocol(), t.flags(), t.name(), r == null ? "registered"
                    : r == InetSwitch.Refusal.ILLEGAL_TYPE ? "refused: illegal socket type"
                    : "refused: would override a permanent protocol");
        }
    }

    private void record(String kind, int type, int protocol, int flags, String name, String outcome) {
        Registration reg = new Registration(kind, type, protocol, flags, name, outcome);
        registrations.add(reg);
        if (!outcome.equals("registered")) LOG.log(System.Logger.Level.WARNING, "{0} {1}", name, outcome);
    }

    public List<Registration> registrations() { return List.copyOf(registrations); }
}
