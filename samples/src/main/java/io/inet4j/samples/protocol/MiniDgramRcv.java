package io.inet4j.samples.protocol;

import io.inet4j.buffer.PacketBuffer;
import io.inet4j.ipv4.icmp.Icmp;
import io.inet4j.ipv4.wire.IcmpHeader;
import io.inet4j.ipv4.wire.Ipv4Header;
import io.inet4j.net.Net;
import io.inet4j.protocol.NetProtocol;
import io.inet4j.protocol.NetProtocolHandler;
import io.inet4j.socket.IpProto;

/** Receive side of {@link MiniDgramProt}: delivers by destination port, port-unreachable otherwise. */
@NetProtocol(protocol = IpProto.IPPROTO_EXPERIMENT1)
public final class MiniDgramRcv implements NetProtocolHandler {
    private final Net net;
    private final MiniDgramTable table;

    public MiniDgramRcv(Net net) {
        this.net = net;
        this.table = MiniDgramTable.of(net);
    }

    @Override
    public void receive(PacketBuffer b) {
        int at = b.data();
        if (b.length() < MiniDgramProt.HEADER) {
            b.release();
            return;
        }
        MiniDgramSock s = table.lookup(b.getShort(at + 2));
        if (s == null) {
            net.service(Icmp.class).send(b, IcmpHeader.DEST_UNREACH, IcmpHeader.PORT_UNREACH, 0);
        } else {
            byte[] payload = new byte[b.length() - MiniDgramProt.HEADER];
            b.read(at + MiniDgramProt.HEADER, payload, 0, payload.length);
            s.deliver(new MiniDgramSock.Datagram(Ipv4Header.saddr(b, b.networkHeader()), b.getShort(at), payload));
        }
        b.release();
    }
}
