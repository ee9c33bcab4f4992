package io.inet4j.tcp;

import static io.inet4j.tcp.wire.TcpHeader.ACK;
import static io.inet4j.tcp.wire.TcpHeader.RST;
import static io.inet4j.tcp.wire.TcpHeader.SYN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inet4j.hook.AttachFlag;
import io.inet4j.hook.AttachType;
import io.inet4j.hook.HookLink;
import io.inet4j.hook.HookMib;
import io.inet4j.hook.SockOp;
import io.inet4j.hook.SockOpsContext;
import io.inet4j.hook.SocketSecurity;
import io.inet4j.hook.Scope;
import io.inet4j.hook.Verdict;
import io.inet4j.mib.TcpMib;
import io.inet4j.socket.Errno;
import io.inet4j.socket.ErrnoException;
import io.inet4j.socket.IpProto;
import io.inet4j.socket.MsgHdr;
import io.inet4j.socket.SockAddr;
import io.inet4j.socket.SockAddrIn;
import io.inet4j.socket.SockOpt;
import io.inet4j.socket.SockType;
import io.inet4j.socket.Socket;
import io.inet4j.socket.SocketCalls;
import io.inet4j.stack.SocketFd;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The hook layer on TCP against a scripted peer: INET4_CONNECT from {@code tcp_v4_pre_connect} (deny, redirect,
 * detach, containment), scopes, INET_SOCK_CREATE and the bind hooks, and each SOCK_OPS callback where
 * {@code tcp_call_bpf} makes it, with {@code bpf_setsockopt} taking effect from the callback.
 */
class TcpHooksTest {
    private static final int PORT = 8080;
    private static final int ELSEWHERE = SockAddrIn.parseAddress("10.0.0.99");

    private static SocketFd fd(TcpScenario t, String scope) throws ErrnoException {
        return t.stack.in(scope).socket(SockType.SOCK_STREAM, IpProto.IPPROTO_TCP);
    }

    private static Socket sock(TcpScenario t, String scope) throws ErrnoException { return fd(t, scope).socket(); }

    private static long txPackets(TcpScenario t) { return t.stack.device("eth0").stats().txPackets(); }

    /** One op a SOCK_OPS hook heard, with what a tracer would print. */
    record Heard(SockOp op, int state, int arg0, int arg1, int arg2) {}

    private static List<Heard> record(TcpScenario t, String scope, int cbFlags) throws ErrnoException {
        List<Heard> heard = new ArrayList<>();
        t.stack.scope(scope).attach(AttachType.SOCK_OPS, ctx -> {
            heard.add(new Heard(ctx.op(), ctx.state(), ctx.arg(0), ctx.arg(1), ctx.arg(2)));
            boolean start = ctx.op() == SockOp.TCP_CONNECT_CB || ctx.op() == SockOp.PASSIVE_ESTABLISHED_CB;
            // A parent's hook runs after the child's and has the last word: 0 leaves the flags alone.
            if (start && cbFlags != 0) assertThat(ctx.setCbFlags(cbFlags | 0x40)).isEqualTo(0x40);
            return Verdict.ALLOW;
        }, AttachFlag.ALLOW_MULTI);
        return heard;
    }

    private static List<SockOp> ops(List<Heard> heard) { return heard.stream().map(Heard::op).toList(); }

    @Test
    void aDeniedConnectIsEpermAndNothingLeaves() throws Exception {
        try (TcpScenario t = new TcpScenario()) {
            t.stack.hooks().root().attach(AttachType.INET4_CONNECT, ctx -> Verdict.DENY);
            Socket c = sock(t, "/");
            long tx = txPackets(t);
            assertThat(StreamSockets.connect(c, TcpScenario.REMOTE, PORT)).isEqualTo(Errno.EPERM.neg());
            assertThat(t.silentFor(5)).isTrue();
            assertThat(txPackets(t)).as("not even an ARP request").isEqualTo(tx);
            assertThat(t.stack.net().mibs().tcp.get(TcpMib.ActiveOpens)).isZero();
            assertThat(c.sk.state).isEqualTo(TcpState.CLOSE);
            assertThat(((TcpSock) c.sk).num).as("no port taken").isZero();
        }
    }

    @Test
    void aRedirectReachesTheNewDestinationAndGetpeernameShowsIt() throws Exception {
        try (TcpScenario t = new TcpScenario()) {
            t.stack.hooks().root().attach(AttachType.INET4_CONNECT, ctx -> {
                if (ctx.userIp4() == ELSEWHERE && ctx.userPort() == 80) {
                    ctx.setUserIp4(TcpScenario.REMOTE_ADDR);
                    ctx.setUserPort(PORT);
                }
                return Verdict.ALLOW;
            });
            SocketFd fd = fd(t, "/");
            Socket c = fd.socket();
            assertThat(StreamSockets.connect(c, "10.0.0.99", 80)).isEqualTo(Errno.EINPROGRESS.neg());
            TcpScenario.Seg syn = t.expect();
            assertThat(syn.flags()).isEqualTo(SYN);
            assertThat(syn.dport()).isEqualTo(PORT);
            t.inject(PORT, syn.sport(), SYN | ACK, 100, syn.seq() + 1, 65535, null, 1460);
            assertThat(t.expect().flags()).isEqualTo(ACK);
            assertThat(StreamSockets.connect(c, "10.0.0.99", 80)).isZero();
            assertThat(fd.getpeername()).isEqualTo(new SockAddrIn(TcpScenario.REMOTE_ADDR, PORT));
        }
    }

    @Test
    void detachRestoresTheOldBehaviour() throws Exception {
        try (TcpScenario t = new TcpScenario()) {
            HookLink deny = t.stack.hooks().root().attach(AttachType.INET4_CONNECT, ctx -> Verdict.DENY);
            assertThat(StreamSockets.connect(sock(t, "/"), TcpScenario.REMOTE, PORT)).isEqualTo(Errno.EPERM.neg());
            deny.close();
            assertThat(StreamSockets.connect(sock(t, "/"), TcpScenario.REMOTE, PORT)).isEqualTo(Errno.EINPROGRESS.neg());
            assertThat(t.expect().flags()).isEqualTo(SYN);
        }
    }

    @Test
    void aScopesHooksHoldForItsSocketsAndThoseBelowOnly() throws Exception {
        try (TcpScenario t = new TcpScenario()) {
            t.stack.scope("/web").attach(AttachType.INET4_CONNECT, ctx -> Verdict.DENY);
            assertThat(StreamSockets.connect(sock(t, "/web"), TcpScenario.REMOTE, PORT)).isEqualTo(Errno.EPERM.neg());
            assertThat(StreamSockets.connect(sock(t, "/web/api"), TcpScenario.REMOTE, PORT)).isEqualTo(Errno.EPERM.neg());
            assertThat(t.silentFor(1)).isTrue();
            assertThat(StreamSockets.connect(sock(t, "/db"), TcpScenario.REMOTE, PORT)).isEqualTo(Errno.EINPROGRESS.neg());
            assertThat(t.expect().flags()).isEqualTo(SYN);
            assertThat(StreamSockets.connect(sock(t, "/"), TcpScenario.REMOTE, PORT + 1)).isEqualTo(Errno.EINPROGRESS.neg());
            assertThat(t.expect().dport()).isEqualTo(PORT + 1);
        }
    }

    @Test
    void aThrowingOrSlowConnectHookIsContainedAndCounted() throws Exception {
        try (TcpScenario t = new TcpScenario()) {
            HookLink boom = t.stack.scope("/a").attach(AttachType.INET4_CONNECT, ctx -> {
                throw new IllegalStateException("policy bug");
            });
            assertThat(StreamSockets.connect(sock(t, "/a"), TcpScenario.REMOTE, PORT)).isEqualTo(Errno.ECANCELED.neg());
            boom.close();
            t.stack.scope("/a").attach(AttachType.INET4_CONNECT, ctx -> {
                t.loop.clock().advance(t.stack.hooks().timeBudget().toNanos() + 1);
                return Verdict.ALLOW;
            });
            assertThat(StreamSockets.connect(sock(t, "/a"), TcpScenario.REMOTE, PORT)).isEqualTo(Errno.ETIME.neg());
            assertThat(t.silentFor(1)).isTrue();
            assertThat(t.stack.hooks().counters().get(HookMib.HookErrors)).isEqualTo(1);
            assertThat(t.stack.hooks().counters().get(HookMib.HookOverBudget)).isEqualTo(1);
            assertThat(StreamSockets.connect(sock(t, "/"), TcpScenario.REMOTE, PORT)).as("the stack goes on")
                    .isEqualTo(Errno.EINPROGRESS.neg());
            assertThat(t.expect().flags()).isEqualTo(SYN);
        }
    }

    @Test
    void aDeniedSocketCreateIsEpermAndTheSocketGone() throws Exception {
        try (TcpScenario t = new TcpScenario()) {
            List<Integer> protocols = new ArrayList<>();
            t.stack.scope("/jail").attach(AttachType.INET_SOCK_CREATE, ctx -> {
                protocols.add(ctx.protocol());
                return Verdict.DENY;
            });
            assertThatThrownBy(() -> fd(t, "/jail")).isInstanceOf(ErrnoException.class)
                    .satisfies(e -> assertThat(((ErrnoException) e).errno()).isEqualTo(Errno.EPERM));
            assertThat(protocols).containsExactly(IpProto.IPPROTO_TCP);
            assertThat(fd(t, "/").socket().sk).isNotNull();
        }
    }

    @Test
    void bindHooksRewriteThePortAndAPostBindDenyGivesItBack() throws Exception {
        try (TcpScenario t = new TcpScenario()) {
            t.stack.scope("/svc").attach(AttachType.INET4_BIND, ctx -> {
                if (ctx.userPort() == 80) ctx.setUserPort(8000);
                return Verdict.ALLOW;
            });
            SocketFd svc = fd(t, "/svc");
            svc.bind(new SockAddrIn(0, 80));
            assertThat(svc.getsockname()).isEqualTo(new SockAddrIn(0, 8000));

            List<Integer> seen = new ArrayList<>();
            t.stack.scope("/locked").attach(AttachType.INET4_POST_BIND, ctx -> {
                seen.add(ctx.srcPort());
                return Verdict.DENY;
            });
            SocketFd locked = fd(t, "/locked");
            assertThatThrownBy(() -> locked.bind(new SockAddrIn(TcpScenario.LOCAL_ADDR, 9000)))
                    .satisfies(e -> assertThat(((ErrnoException) e).errno()).isEqualTo(Errno.EPERM));
            assertThat(seen).as("the hook saw the port taken").containsExactly(9000);
            assertThat(locked.getsockname()).isEqualTo(new SockAddrIn(0, 0));
            fd(t, "/").bind(new SockAddrIn(TcpScenario.LOCAL_ADDR, 9000)); // the port was given back
        }
    }

    @Test
    void anActiveOpenHearsConnectAndActiveEstablishedButNoStateChangesUnasked() throws Exception {
        try (TcpScenario t = new TcpScenario()) {
            List<Heard> heard = record(t, "/", 0);
            t.activeOpen(sock(t, "/"), PORT);
            assertThat(heard).containsExactly(new Heard(SockOp.TCP_CONNECT_CB, TcpState.SYN_SENT, 0, 0, 0),
                    new Heard(SockOp.ACTIVE_ESTABLISHED_CB, TcpState.ESTABLISHED, 0, 0, 0));
        }
    }

    @Test
    void stateCallbacksComeOnlyForASocketWhoseHookAskedAndCarryTheTcplifeCounters() throws Exception {
        try (TcpScenario t = new TcpScenario()) {
            List<long[]> closes = new ArrayList<>();
            List<Heard> heard = record(t, "/traced", SockOp.STATE_CB_FLAG);
            t.stack.scope("/traced").attach(AttachType.SOCK_OPS, ctx -> {
                if (ctx.op() == SockOp.STATE_CB && ctx.arg(1) == TcpState.CLOSE) {
                    closes.add(new long[] {ctx.bytesAcked(), ctx.bytesReceived(), ctx.segsIn(), ctx.segsOut(),
                            ctx.remotePort(), ctx.localIp4() == TcpScenario.LOCAL_ADDR ? 1 : 0});
                }
                return Verdict.ALLOW;
            }, AttachFlag.ALLOW_MULTI);
            Socket untraced = sock(t, "/");
            t.activeOpen(untraced, PORT);
            assertThat(heard).isEmpty();

            Socket c = sock(t, "/traced");
            TcpScenario.Seg syn = t.activeOpen(c, PORT + 1);
            StreamSockets.write(c, new byte[100], 0, 100);
            TcpScenario.Seg data = t.expect();
            t.inject(PORT + 1, syn.sport(), ACK, 101, data.seq() + 100, new byte[50]);
            t.expect(); // our ACK of the 50 bytes
            t.inject(PORT + 1, syn.sport(), RST, 151, 0, null);
            assertThat(ops(heard)).containsExactly(SockOp.TCP_CONNECT_CB, SockOp.STATE_CB, SockOp.ACTIVE_ESTABLISHED_CB,
                    SockOp.STATE_CB);
            assertThat(heard.get(1)).isEqualTo(new Heard(SockOp.STATE_CB, TcpState.SYN_SENT, TcpState.SYN_SENT,
                    TcpState.ESTABLISHED, 0));
            assertThat(heard.get(3)).isEqualTo(new Heard(SockOp.STATE_CB, TcpState.ESTABLISHED, TcpState.ESTABLISHED,
                    TcpState.CLOSE, 0));
            // bytes_acked counts the SYN as the kernel's tcp_snd_una_update does; segs: SYN, ACK, data, ACK out.
            assertThat(closes).singleElement().satisfies(c0 -> assertThat(c0).containsExactly(101, 50, 3, 4, PORT + 1, 1));
        }
    }

    @Test
    void rtoAndRetransCallbacksComeOnlyWithTheirFlags() throws Exception {
        try (TcpScenario t = new TcpScenario()) {
            List<Heard> asked = record(t, "/asked", SockOp.RTO_CB_FLAG | SockOp.RETRANS_CB_FLAG);
            List<Heard> plain = record(t, "/plain", 0);
            Socket c = sock(t, "/asked");
            StreamSockets.connect(c, TcpScenario.REMOTE, PORT);
            StreamSockets.connect(sock(t, "/plain"), TcpScenario.REMOTE, PORT + 1);
            TcpScenario.Seg syn = t.expect();
            t.expect();
            t.run(1.5); // each SYN times out once and goes again
            assertThat(ops(plain)).containsExactly(SockOp.TCP_CONNECT_CB);
            assertThat(asked).containsExactly(new Heard(SockOp.TCP_CONNECT_CB, TcpState.SYN_SENT, 0, 0, 0),
                    new Heard(SockOp.RTO_CB, TcpState.SYN_SENT, 0, 1000, 0),
                    new Heard(SockOp.RETRANS_CB, TcpState.SYN_SENT, syn.seq(), 1, 0));
            assertThat(((TcpSock) c.sk).loss.totalRetrans).isEqualTo(1);
        }
    }

    @Test
    void optionsSetFromTheConnectCallbackShapeTheSyn() throws Exception {
        try (TcpScenario t = new TcpScenario()) {
            TcpScenario.Seg plain = t.activeOpen(sock(t, "/"), PORT);
            List<Integer> refused = new ArrayList<>();
            t.stack.scope("/small").attach(AttachType.SOCK_OPS, ctx -> {
                if (ctx.op() == SockOp.TCP_CONNECT_CB) {
                    assertThat(ctx.setsockopt(SockOpt.SOL_TCP, SockOpt.TCP_MAXSEG, 1000)).isZero();
                    assertThat(ctx.setsockopt(SockOpt.SOL_SOCKET, SockOpt.SO_RCVBUF, 4096)).isZero();
                    refused.add(ctx.setsockopt(SockOpt.SOL_SOCKET, SockOpt.SO_LINGER, 1));
                    refused.add(ctx.setsockopt(SockOpt.SOL_TCP, SockOpt.TCP_LINGER2, 1));
                    refused.add(ctx.setsockopt(SockOpt.SOL_IP, SockOpt.IP_TTL, 1));
                }
                return Verdict.ALLOW;
            });
            Socket c = sock(t, "/small");
            TcpScenario.Seg syn = t.activeOpen(c, PORT + 1);
            assertThat(plain.mss()).isEqualTo(1460);
            assertThat(syn.mss()).isEqualTo(1000);
            assertThat(syn.window()).isLessThan(plain.window()).isLessThanOrEqualTo(8192);
            assertThat(c.sk.rcvbuf).isEqualTo(8192);
            assertThat(refused).containsOnly(Errno.EINVAL.neg());
        }
    }

    @Test
    void aCongestionControlPickedWhenEstablishedIsTheOneThatStarts() throws Exception {
        try (TcpScenario t = new TcpScenario()) {
            List<String> before = new ArrayList<>();
            t.stack.hooks().root().attach(AttachType.SOCK_OPS, ctx -> {
                if (ctx.op() == SockOp.ACTIVE_ESTABLISHED_CB || ctx.op() == SockOp.PASSIVE_ESTABLISHED_CB) {
                    before.add(ctx.congestion());
                    assertThat(ctx.setCongestion("hk_fixed")).isZero();
                    assertThat(ctx.setCongestion("no_such_cc")).isEqualTo(Errno.ENOENT.neg());
                }
                return Verdict.ALLOW;
            });
            Socket c = sock(t, "/");
            t.activeOpen(c, PORT);
            TcpSock tp = (TcpSock) c.sk;
            assertThat(before).containsExactly("cubic");
            assertThat(tp.ca.name()).isEqualTo("hk_fixed");
            assertThat(tp.caFlag(TcpSock.CA_INITIALIZED)).isTrue();
        }
    }

    @Test
    void anAcceptedConnectionBelongsToTheListenersScopeAndHearsPassiveEstablished() throws Exception {
        try (TcpScenario t = new TcpScenario()) {
            List<Heard> heard = record(t, "/srv", SockOp.STATE_CB_FLAG);
            List<Heard> rootHeard = record(t, "/", 0);
            Socket l = sock(t, "/srv");
            assertThat(l.ops.bind(l, new SockAddrIn(0, 80))).isZero();
            assertThat(l.ops.listen(l, 8)).isZero();
            t.inject(40000, 80, SYN, 1000, 0, 65535, null, 1200);
            TcpScenario.Seg synAck = t.expect();
            t.inject(40000, 80, ACK, 1001, synAck.seq() + 1, null);
            Socket child = StreamSockets.accept(l);
            assertThat(child.sk.scope).isSameAs(t.stack.scope("/srv"));
            // The listener hears nothing: it never asked for STATE_CB, and listen() does not go through tcp_set_state.
            assertThat(heard).containsExactly(
                    new Heard(SockOp.PASSIVE_ESTABLISHED_CB, TcpState.SYN_RECV, 0, 0, 0),
                    new Heard(SockOp.STATE_CB, TcpState.SYN_RECV, TcpState.SYN_RECV, TcpState.ESTABLISHED, 0));
            assertThat(rootHeard).as("the root's hooks run for /srv's sockets too (ALLOW_MULTI)").hasSameSizeAs(heard);
        }
    }

    /** SockOpsContext's counters name what a tcplife line prints; this pins they read the socket's. */
    @Test
    void theSockOpsViewReadsTheSocket() throws Exception {
        try (TcpScenario t = new TcpScenario()) {
            List<SockOpsContext> seen = new ArrayList<>();
            List<int[]> values = new ArrayList<>();
            t.stack.hooks().root().attach(AttachType.SOCK_OPS, ctx -> {
                if (ctx.op() == SockOp.ACTIVE_ESTABLISHED_CB) {
                    seen.add(ctx);
                    values.add(new int[] {ctx.localPort(), ctx.remoteIp4(), ctx.remotePort(), ctx.sndCwnd(),
                            ctx.mssCache(), ctx.srttUs() > 0 ? 1 : 0, ctx.cbFlags(),
                            ctx.nowNanos() == t.loop.clock().nanoTime() ? 1 : 0});
                }
                return Verdict.ALLOW;
            });
            Socket c = sock(t, "/");
            TcpScenario.Seg syn = t.activeOpen(c, PORT);
            assertThat(values).singleElement().satisfies(v -> assertThat(v).containsExactly(syn.sport(),
                    TcpScenario.REMOTE_ADDR, PORT, Tcp.TCP_INIT_CWND, 1460, 0, 0, 1));
        }
    }

    /** A security module that records each call it is asked about and refuses those named in {@code refuse}. */
    private static final class Recorder implements SocketSecurity {
        final List<String> calls = new ArrayList<>();
        final List<String> refuse = new ArrayList<>();

        /** A recorder stacked on {@code t}'s stack. */
        static Recorder on(TcpScenario t) {
            Recorder r = new Recorder();
            t.stack.hooks().addSecurity(r);
            return r;
        }

        private int ask(String call) {
            calls.add(call);
            return refuse.contains(call) ? Errno.EACCES.neg() : 0;
        }

        @Override
        public int socketCreate(Scope scope, int family, int type, int protocol, boolean kern) {
            return ask("create " + scope.path());
        }

        @Override public int socketBind(Socket sock, SockAddr address) { return ask("bind " + address); }

        @Override public int socketConnect(Socket sock, SockAddr address) { return ask("connect " + address); }

        @Override public int socketListen(Socket sock, int backlog) { return ask("listen " + backlog); }

        @Override public int socketAccept(Socket sock, Socket newSock) { return ask("accept"); }

        @Override public int socketSendmsg(Socket sock, MsgHdr msg) { return ask("sendmsg " + msg.data.remaining()); }

        @Override public int socketRecvmsg(Socket sock, MsgHdr msg, int flags) { return ask("recvmsg"); }
    }

    /** A listener of {@code scope} on port 80, bound and listening through the system-call layer. */
    private static Socket listenerThroughCalls(TcpScenario t, String scope) throws ErrnoException {
        Socket l = sock(t, scope);
        assertThat(SocketCalls.bind(l, new SockAddrIn(0, 80))).isZero();
        assertThat(SocketCalls.listen(l, 4)).isZero();
        return l;
    }

    @Test
    void securityModulesAreAskedAtEachCallBeforeTheOperation() throws Exception {
        try (TcpScenario t = new TcpScenario()) {
            Recorder lsm = Recorder.on(t);
            Socket l = listenerThroughCalls(t, "/srv");
            Socket n = new Socket(SockType.SOCK_STREAM);
            assertThat(SocketCalls.accept(l, n, 0).getAsInt()).isEqualTo(Errno.EAGAIN.neg());
            t.inject(40000, 80, SYN, 1000, 0, 65535, null, 1200);
            TcpScenario.Seg synAck = t.expect();
            t.inject(40000, 80, ACK, 1001, synAck.seq() + 1, "hi".getBytes());
            java.util.function.IntSupplier accept = SocketCalls.accept(l, n, 0);
            assertThat(accept.getAsInt()).isZero();
            assertThat(SocketCalls.sendmsg(n, new MsgHdr(ByteBuffer.wrap(new byte[3]), null), 0).getAsInt()).isEqualTo(3);
            assertThat(SocketCalls.recvmsg(n, new MsgHdr(ByteBuffer.allocate(10), null), 0).getAsInt()).isEqualTo(2);
            assertThat(lsm.calls).containsExactly("create /srv", "bind 0.0.0.0:80", "listen 4", "accept", "accept",
                    "sendmsg 3", "recvmsg");

            TcpScenario.Seg data = t.expect();
            while (data != null && data.len() == 0) data = t.expect();
            t.inject(40000, 80, ACK, 1003, data.seq() + 3, null);
            assertThat(t.silentFor(1)).isTrue();
            lsm.calls.clear();
            lsm.refuse.add("connect 10.0.0.2:8080");
            Socket c = sock(t, "/");
            assertThat(SocketCalls.connect(c, new SockAddrIn(TcpScenario.REMOTE_ADDR, PORT), 0)).isEqualTo(Errno.EACCES.neg());
            assertThat(t.silentFor(1)).as("refused before the operation: no SYN").isTrue();
            lsm.refuse.add("create /");
            assertThatThrownBy(() -> sock(t, "/")).satisfies(e -> assertThat(((ErrnoException) e).errno()).isEqualTo(Errno.EACCES));
            assertThat(lsm.calls).containsExactly("create /", "connect 10.0.0.2:8080", "create /");
        }
    }

    /** A blocking call retried after EAGAIN asks once, as one system call does. */
    @Test
    void aRetriedBlockingCallAsksTheModulesOnce() throws Exception {
        try (TcpScenario t = new TcpScenario()) {
            Recorder lsm = Recorder.on(t);
            Socket l = listenerThroughCalls(t, "/");
            java.util.function.IntSupplier accept = SocketCalls.accept(l, new Socket(SockType.SOCK_STREAM), 0);
            assertThat(accept.getAsInt()).isEqualTo(Errno.EAGAIN.neg());
            assertThat(accept.getAsInt()).isEqualTo(Errno.EAGAIN.neg());
            assertThat(lsm.calls).containsExactly("create /", "bind 0.0.0.0:80", "listen 4", "accept");
        }
    }
}
