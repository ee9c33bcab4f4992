package io.inet4j.samples.protocol;

import io.inet4j.buffer.PacketBuffer;
import io.inet4j.ipv4.InetContext;
import io.inet4j.ipv4.wire.IcmpHeader;
import io.inet4j.ipv4.wire.Ipv4Header;
import io.inet4j.protocol.NetProtocol;
import io.inet4j.protocol.NetProtocolHandler;
import io.inet4j.socket.IpProto;

/** Receive side of {@link MiniDgramProt}: delivers by destination port, port-unreachable otherwise. */
@NetProtocol(protocol = IpProto.IPPROTO_EXPERIMENT1)
public final class MiniDgramRcv implements NetProtocolHandler {
    private final InetContext ctx;
    private final MiniDgramProt.Ports ports;

    public MiniDgramRcv(InetContext ctx) {
        this.ctx = ctx;
        this.ports = MiniDgramProt.Ports.of(ctx);
    }

    @Override
    public void receive(PacketBuffer b) {
        int at = b.data();
        MiniDgramSock s = b.length() < MiniDgramProt.HEADER ? null : ports.lookup(b.getShort(at + 2));
        if (s == null && b.length() >= MiniDgramProt.HEADER) {
            ctx.icmp().send(b, IcmpHeader.DEST_UNREACH, IcmpHeader.PORT_UNREACH, 0);
        } else if (s != null) {
            byte[] payload = new byte[b.length() - MiniDgramProt.HEADER];
            b.read(at + MiniDgramProt.HEADER, payload, 0, payload.length);
            s.deliver(new MiniDgramSock.Datagram(Ipv4Header.saddr(b, b.networkHeader()), b.getShort(at), payload));
        }
        b.release();
    }
}
