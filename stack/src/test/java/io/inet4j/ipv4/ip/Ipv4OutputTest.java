package io.inet4j.ipv4.ip;

import static org.assertj.core.api.Assertions.assertThat;

import io.inet4j.buffer.PacketBuffer;
import io.inet4j.ipv4.testing.TwoStacks;
import io.inet4j.mib.IpMib;
import io.inet4j.socket.Errno;
import io.inet4j.socket.IpProto;
import io.inet4j.socket.SockAddrIn;
import org.junit.jupiter.api.Test;

/** IPv4 output's limits: what the 16-bit total length cannot carry (issue 7, item 19). */
class Ipv4OutputTest {
    private static final int LO = SockAddrIn.parseAddress("127.0.0.1");

    @Test
    void theLoopbackRouteMtuIsCappedAtTheLargestDatagram() {
        try (TwoStacks t = new TwoStacks()) {
            assertThat(t.a.device("lo").mtu()).isEqualTo(65536);
            assertThat(t.a.ipv4().routeMtu(LO)).isEqualTo(Ipv4.IP_MAX_MTU);
        }
    }

    @Test
    void aDatagramLongerThan65535BytesIsRefusedAndCounted() {
        try (TwoStacks t = new TwoStacks()) {
            PacketBuffer b = t.a.net().pool().allocate(65536);
            b.put(65536 - 20 + 1);
            int r = t.a.ipv4().output(b, 0, LO, IpProto.IPPROTO_UDP, 0, -1, true);
            assertThat(r).isEqualTo(Errno.EMSGSIZE.neg());
            assertThat(t.a.net().mibs().ip.get(IpMib.OutDiscards)).isEqualTo(1);
            assertThat(t.a.net().pool().outstanding()).isZero();
        }
    }
}
