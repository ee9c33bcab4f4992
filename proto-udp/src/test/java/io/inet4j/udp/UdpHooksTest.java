package io.inet4j.udp;

import static io.inet4j.udp.Udp.addr;
import static io.inet4j.udp.Udp.bind;
import static io.inet4j.udp.Udp.connect;
import static io.inet4j.udp.Udp.name;
import static io.inet4j.udp.Udp.open;
import static io.inet4j.udp.Udp.poll;
import static io.inet4j.udp.Udp.recv;
import static io.inet4j.udp.Udp.recvText;
import static io.inet4j.udp.Udp.sendto;
import static org.assertj.core.api.Assertions.assertThat;

import io.inet4j.hook.AttachType;
import io.inet4j.hook.Verdict;
import io.inet4j.ipv4.testing.TwoStacks;
import io.inet4j.socket.Errno;
import io.inet4j.socket.MsgHdr;
import io.inet4j.socket.PollEvents;
import io.inet4j.socket.SockAddrIn;
import io.inet4j.socket.Socket;
import org.junit.jupiter.api.Test;

/**
 * UDP's cgroup-BPF hook points as {@code udp.c} runs them: INET4_CONNECT from {@code udp_pre_connect},
 * UDP4_SENDMSG for a send to an explicit address (refuse, or rewrite destination and source), UDP4_RECVMSG
 * rewriting the sender a receive reports.
 */
class UdpHooksTest {
    private static final int PORT_5000 = 5000;

    @Test
    void connectHookRefusesWithEpermOrRedirectsThePeer() throws Exception {
        try (TwoStacks t = new TwoStacks()) {
            Socket server = open(t.b);
            assertThat(bind(server, "0.0.0.0", 5001)).isZero();
            try (var deny = t.a.scope("/").attach(AttachType.INET4_CONNECT,
                    ctx -> ctx.userPort() == 6000 ? Verdict.DENY : Verdict.ALLOW)) {
                assertThat(connect(open(t.a), addr(TwoStacks.B, 6000))).isEqualTo(Errno.EPERM.neg());
            }
            t.a.scope("/").attach(AttachType.INET4_CONNECT, ctx -> {
                ctx.setUserPort(5001);
                return Verdict.ALLOW;
            });
            Socket client = open(t.a);
            assertThat(connect(client, addr(TwoStacks.B, PORT_5000))).isZero();
            int[] r = new int[1];
            assertThat(name(client, true, r)).isEqualTo(addr(TwoStacks.B, 5001));
            assertThat(client.ops.sendmsg(client, new MsgHdr(java.nio.ByteBuffer.wrap("x".getBytes()), null), 0)).isEqualTo(1);
            assertThat(t.runUntil(1, () -> (poll(server) & PollEvents.POLLIN) != 0)).isTrue();
            assertThat(recvText(server)).isEqualTo("x");
        }
    }

    @Test
    void sendmsgHookRefusesOrRewritesTheDestination() throws Exception {
        try (TwoStacks t = new TwoStacks()) {
            Socket server = open(t.b);
            assertThat(bind(server, "0.0.0.0", 5001)).isZero();
            t.a.scope("/").attach(AttachType.UDP4_SENDMSG, ctx -> {
                if (ctx.userPort() == 6000) return Verdict.DENY;
                if (ctx.userPort() == PORT_5000) ctx.setUserPort(5001);
                return Verdict.ALLOW;
            });
            Socket client = open(t.a);
            long sent = t.a.device("veth-a").stats().txPackets();
            assertThat(sendto(client, addr(TwoStacks.B, 6000), "no")).isEqualTo(Errno.EPERM.neg());
            assertThat(t.a.device("veth-a").stats().txPackets()).isEqualTo(sent);
            assertThat(sendto(client, addr(TwoStacks.B, PORT_5000), "yes")).isEqualTo(3);
            assertThat(t.runUntil(1, () -> (poll(server) & PollEvents.POLLIN) != 0)).isTrue();
            assertThat(recvText(server)).isEqualTo("yes");
        }
    }

    @Test
    void recvmsgHookRewritesTheSenderReported() throws Exception {
        try (TwoStacks t = new TwoStacks()) {
            SockAddrIn shown = addr("10.9.9.9", 53);
            t.b.scope("/").attach(AttachType.UDP4_RECVMSG, ctx -> {
                ctx.setUserIp4(shown.address());
                ctx.setUserPort(shown.port());
                return Verdict.ALLOW;
            });
            Socket server = open(t.b);
            assertThat(bind(server, "0.0.0.0", PORT_5000)).isZero();
            assertThat(sendto(open(t.a), addr(TwoStacks.B, PORT_5000), "q")).isEqualTo(1);
            assertThat(t.runUntil(1, () -> (poll(server) & PollEvents.POLLIN) != 0)).isTrue();
            int[] r = new int[1];
            MsgHdr msg = recv(server, 10, 0, r);
            assertThat(r[0]).isEqualTo(1);
            assertThat(msg.name).isEqualTo(shown);
        }
    }
}
