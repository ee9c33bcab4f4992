package io.inet4j.ipv4.af;

import io.inet4j.protocol.InetProtosw;
import io.inet4j.socket.IpProto;
import io.inet4j.socket.Proto;
import io.inet4j.socket.ProtoOps;
import io.inet4j.socket.SockType;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The AF_INET switch table ({@code inetsw[]} in {@code net/ipv4/af_inet.c}): for each socket type, an ordered
 * list of (protocol, proto, ops, flags) entries that {@code inet_create} searches. Registration follows
 * {@code inet_register_protosw}: permanent entries cannot be overridden or removed, and a new entry goes right
 * after the permanent ones, so it shadows an earlier non-permanent entry for the same protocol and reverts to
 * it when unregistered.
 */
public final class InetSwitch {
    /** One row: the analog of {@code struct inet_protosw}. */
    public record Entry(int type, int protocol, Proto prot, ProtoOps ops, int flags) {
        public boolean permanent() { return (flags & InetProtosw.PERMANENT) != 0; }
    }

    /** Why a registration was refused. */
    public enum Refusal { ILLEGAL_TYPE, OVERRIDES_PERMANENT }

    @SuppressWarnings("unchecked")
    private final List<Entry>[] inetsw = new List[SockType.SOCK_MAX];

    public InetSwitch() {
        for (int i = 0; i < inetsw.length; i++) inetsw[i] = new ArrayList<>();
    }

    /**
     * inet_register_protosw. The protocol object is only created once the entry is accepted. Returns null when
     * accepted, else why not (Linux logs and ignores such a registration).
     */
    public synchronized Refusal register(int type, int protocol, int flags, Supplier<Proto> prot, ProtoOps ops) {
        if (type < 0 || type >= SockType.SOCK_MAX) return Refusal.ILLEGAL_TYPE;
        List<Entry> list = inetsw[type];
        int insertAt = 0;
        for (Entry e : list) {
            if (!e.permanent()) break;
            if (e.protocol() == protocol) return Refusal.OVERRIDES_PERMANENT;
            insertAt++;
        }
        list.add(insertAt, new Entry(type, protocol, prot.get(), ops, flags));
        return null;
    }

    /** inet_unregister_protosw; permanent entries stay (false). */
    public synchronized boolean unregister(Entry e) {
        if (e.permanent()) return false;
        return inetsw[e.type()].remove(e);
    }

    /**
     * The entry {@code inet_create} picks for (type, protocol): an exact protocol match, or with
     * {@code IPPROTO_IP} the first entry of the type, or a wildcard entry. {@code err[0]} gets
     * {@code -ESOCKTNOSUPPORT} when the type has no entries, {@code -EPROTONOSUPPORT} when none matches.
     */
    public synchronized Entry lookup(int type, int protocol, int[] err) {
        if (type < 0 || type >= SockType.SOCK_MAX || inetsw[type].isEmpty()) {
            err[0] = io.inet4j.socket.Errno.ESOCKTNOSUPPORT.neg();
            return null;
        }
        for (Entry e : inetsw[type]) {
            if (protocol == e.protocol()) {
                if (protocol != IpProto.IPPROTO_IP) return e;
            } else {
                if (protocol == IpProto.IPPROTO_IP) return e;
                if (e.protocol() == IpProto.IPPROTO_IP) return e;
            }
        }
        err[0] = io.inet4j.socket.Errno.EPROTONOSUPPORT.neg();
        return null;
    }

    /** All entries in search order, for listings such as the demo's protocol table. */
    public synchronized List<Entry> entries() {
        List<Entry> all = new ArrayList<>();
        for (List<Entry> l : inetsw) all.addAll(l);
        return all;
    }
}
