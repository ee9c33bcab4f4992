package io.inet4j.socket;

/**
 * Connections the application already closed that a protocol is still finishing (TCP: orphans whose data or FIN
 * the peer has not acknowledged), and the bytes they still hold. What closing a stack now would abandon.
 *
 * @param connections how many such connections
 * @param bytes their bytes sent or queued but not yet acknowledged
 */
public record Orphans(int connections, long bytes) {
    /** Nothing outstanding. */
    public static final Orphans NONE = new Orphans(0, 0);

    /** Both counts summed, for a stack with several protocols. */
    public Orphans plus(Orphans o) { return new Orphans(connections + o.connections, bytes + o.bytes); }

    /** True when nothing is left to finish. */
    public boolean none() { return connections == 0; }
}
