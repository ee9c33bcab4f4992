package io.inet4j.samples.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.inet4j.ipv4.testing.TwoStacks;
import io.inet4j.socket.IpProto;
import io.inet4j.socket.MsgFlags;
import io.inet4j.socket.MsgHdr;
import io.inet4j.socket.PollEvents;
import io.inet4j.socket.SockAddrIn;
import io.inet4j.socket.SockType;
import io.inet4j.stack.SocketFd;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** One datagram of the sample protocol from stack a to a socket bound to port 7000 on stack b, checked on arrival. */
public final class MiniDgramExchange {
    private MiniDgramExchange() {}

    /** Sends {@code text} and returns what b's socket received it from. */
    public static SockAddrIn roundTrip(TwoStacks t, String text) throws Exception {
        try (SocketFd server = t.b.socket(SockType.SOCK_DGRAM, IpProto.IPPROTO_EXPERIMENT1);
             SocketFd client = t.a.socket(SockType.SOCK_DGRAM, IpProto.IPPROTO_EXPERIMENT1)) {
            server.bind(new SockAddrIn(0, 7000));
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            MsgHdr out = new MsgHdr(ByteBuffer.wrap(bytes), new SockAddrIn(SockAddrIn.parseAddress(TwoStacks.B), 7000));
            assertThat(client.sendmsg(out, 0)).isEqualTo(bytes.length);
            assertThat(t.runUntil(1, () -> (server.poll() & PollEvents.POLLIN) != 0)).isTrue();
            MsgHdr in = new MsgHdr(ByteBuffer.allocate(bytes.length + 16), null);
            assertThat(server.recvmsg(in, MsgFlags.MSG_DONTWAIT)).isEqualTo(bytes.length);
            assertThat(new String(in.data.array(), 0, in.data.position(), StandardCharsets.UTF_8)).isEqualTo(text);
            return (SockAddrIn) in.name;
        }
    }
}
