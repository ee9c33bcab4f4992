package io.inet4j.ipv4.hash;

import io.inet4j.ipv4.af.InetSock;
import java.util.ArrayList;

/**
 * One local port in use ({@code struct inet_bind_bucket}): its owners — sockets ({@code tb->owners}) and the
 * TIME_WAIT entries that took a closed socket's place — and the {@code fastreuse} / {@code fastreuseport} summary
 * that lets a bind skip the owner walk. Buckets made by {@code connect()} carry {@code -1} in both: only
 * {@code inetHashConnect} may share such a port, one connection per 4-tuple.
 *
 * <p>The port's listeners hang off the bucket too: Linux keeps them apart in {@code lhash2}, but a listener
 * always owns its port's bucket, so the receive path finds them with the same single array read.
 */
public final class InetBindBucket {
    /** {@code FASTREUSEPORT_ANY}: every owner has SO_REUSEPORT. */
    static final int FASTREUSEPORT_ANY = 1;
    /** {@code FASTREUSEPORT_STRICT}: reuseport binds are quick only for {@link #fastRcvSaddr}. */
    static final int FASTREUSEPORT_STRICT = 2;

    final int port;
    /** 1: every owner has SO_REUSEADDR and none listens; 0: a bind must walk the owners; -1: made by connect. */
    int fastreuse;
    /** {@link #FASTREUSEPORT_ANY}, {@link #FASTREUSEPORT_STRICT}, 0, or -1 when made by connect. */
    int fastreuseport;
    /** {@code fast_rcv_saddr}: the address of the socket that last reset {@link #fastreuseport}. */
    int fastRcvSaddr;
    /** Head of the owning sockets, linked through {@code InetSock.bindNext}. */
    InetSock owners;
    /** Head of the owning TIME_WAIT entries, linked through {@code InetTimewaitSock.bindNext}. */
    InetTimewaitSock twOwners;
    /** The listening owners, most recent first (as {@code __inet_hash} adds at the head); null until one listens. */
    ArrayList<InetSock> listeners;

    InetBindBucket(int port) { this.port = port; }

    public int port() { return port; }

    /** Whether only {@code connect()} has used the port, so it may be shared by distinct 4-tuples. */
    boolean connectOwned() { return fastreuse < 0 && fastreuseport < 0; }

    boolean isEmpty() { return owners == null && twOwners == null; }

    @Override
    public String toString() {
        return "bind bucket " + port + " (fastreuse " + fastreuse + ", fastreuseport " + fastreuseport + ")";
    }
}
