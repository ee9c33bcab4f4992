package io.inet4j.netdev;

/**
 * Per-device counters with the names of {@code struct rtnl_link_stats64} (what {@code ip -s link} prints).
 * Written on the loop thread, read from anywhere.
 */
public final class DeviceStats {
    volatile long rxPackets;
    volatile long rxBytes;
    volatile long txPackets;
    volatile long txBytes;
    volatile long rxDropped;
    volatile long txDropped;
    volatile long rxLengthErrors;
    volatile long rxOtherhost;
    volatile long rxNohandler;
    volatile long rxHandlerErrors;

    public long rxPackets() { return rxPackets; }
    public long rxBytes() { return rxBytes; }
    public long txPackets() { return txPackets; }
    public long txBytes() { return txBytes; }
    /** Frames lost because the receive backlog was full or the device was down. */
    public long rxDropped() { return rxDropped; }
    public long txDropped() { return txDropped; }
    /** Frames shorter than an Ethernet header. */
    public long rxLengthErrors() { return rxLengthErrors; }
    /** Unicast frames for another host's MAC (PACKET_OTHERHOST). */
    public long rxOtherhost() { return rxOtherhost; }
    /** Frames whose EtherType no protocol handles. */
    public long rxNohandler() { return rxNohandler; }
    /**
     * Frames whose protocol handler threw (a bug, or an Error such as exhausted direct memory): each is lost and
     * logged at ERROR, and the device goes on with the next. Linux has no such counter: its handlers cannot throw.
     */
    public long rxHandlerErrors() { return rxHandlerErrors; }

    @Override
    public String toString() {
        return "RX: packets " + rxPackets + " bytes " + rxBytes + " dropped " + rxDropped + " length_errors "
                + rxLengthErrors + " otherhost " + rxOtherhost + " nohandler " + rxNohandler + " handler_errors "
                + rxHandlerErrors + "; TX: packets "
                + txPackets + " bytes " + txBytes + " dropped " + txDropped;
    }
}
