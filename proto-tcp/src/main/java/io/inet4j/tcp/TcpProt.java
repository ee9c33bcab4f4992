package io.inet4j.tcp;

import java.util.ArrayList;
import java.util.List;

import io.inet4j.buffer.PacketBuffer;
import io.inet4j.hook.SockAddrContext;
import io.inet4j.hook.SockOp;
import io.inet4j.ipv4.InetContext;
import io.inet4j.ipv4.af.InetStreamOps;
import io.inet4j.ipv4.ip.Ipv4;
import io.inet4j.mib.TcpExtMib;
import io.inet4j.mib.TcpMib;
import io.inet4j.net.Net;
import io.inet4j.protocol.InetProtosw;
import io.inet4j.socket.AddressFamily;
import io.inet4j.socket.Errno;
import io.inet4j.socket.IpProto;
import io.inet4j.socket.MsgFlags;
import io.inet4j.socket.MsgHdr;
import io.inet4j.socket.Orphans;
import io.inet4j.socket.PollEvents;
import io.inet4j.socket.Proto;
import io.inet4j.socket.Sock;
import io.inet4j.socket.SockAddr;
import io.inet4j.socket.SockAddrIn;
import io.inet4j.socket.SockIoctl;
import io.inet4j.socket.SockOpt;
import io.inet4j.socket.SockType;
import io.inet4j.tcp.cong.TcpCongestionOps;
import java.nio.charset.StandardCharsets;

/**
 * {@code tcp_prot}: the TCP socket calls, registered as the permanent SOCK_STREAM entry of the inet switch.
 * {@link #connect} is {@code tcp_v4_connect}; {@link #sendmsg}/{@link #recvmsg} are {@code tcp_sendmsg} and
 * {@code tcp_recvmsg}; {@link #close} is {@code tcp_close} with its orderly release or abort.
 */
@InetProtosw(type = SockType.SOCK_STREAM, protocol = IpProto.IPPROTO_TCP, ops = InetStreamOps.class,
        flags = InetProtosw.PERMANENT | InetProtosw.ICSK)
public final class TcpProt implements Proto {
    /** {@code TCP_CA_NAME_MAX}: a congestion control's name and its NUL. */
    static final int TCP_CA_NAME_MAX = 16;
    /** Limits of the per-socket TCP_KEEP* and TCP_SYNCNT values ({@code include/net/tcp.h}). */
    private static final int MAX_TCP_KEEPIDLE = 32767;
    private static final int MAX_TCP_KEEPINTVL = 32767;
    private static final int MAX_TCP_KEEPCNT = 127;
    private static final int MAX_TCP_SYNCNT = 127;
    /** {@code TCP_FIN_TIMEOUT_MAX} in seconds: the most TCP_LINGER2 takes. */
    private static final int TCP_FIN_TIMEOUT_MAX = 120;
    private final Net net;
    private final Tcp tcp;

    public TcpProt(InetContext ctx) {
        this.net = ctx.net();
        this.tcp = Tcp.of(ctx);
    }

    @Override public String name() { return "TCP"; }

    @Override public boolean noAutobind() { return true; }

    /** tcp_set_keepalive: arm the keepalive timer on a connection in any state but CLOSE and LISTEN, or stop it. */
    @Override
    public void keepalive(Sock sk, boolean on) {
        TcpSock tp = (TcpSock) sk;
        if (tp.state == TcpState.CLOSE || tp.state == TcpState.LISTEN) return;
        if (on) TcpTimers.resetKeepalive(tp);
        else tp.cancel(tp.keepaliveTimer);
    }

    /** sk_stream_closing: our FIN is not yet acknowledged, so a lingering close keeps waiting. */
    @Override
    public boolean closing(Sock sk) {
        int st = sk.state;
        return st == TcpState.FIN_WAIT1 || st == TcpState.CLOSING || st == TcpState.LAST_ACK;
    }

    /** Orphans whose data or FIN the peer has not acknowledged yet (not FIN_WAIT2, CLOSE, TIME_WAIT). */
    @Override
    public Orphans orphans() {
        Orphans o = Orphans.NONE;
        for (TcpSock tp : tcp.sockets()) if (unfinished(tp)) o = o.plus(new Orphans(1, unackedBytes(tp)));
        return o;
    }

    @Override
    public List<String> describeOrphans() {
        List<String> lines = new ArrayList<>();
        for (TcpSock tp : tcp.sockets()) {
            if (!unfinished(tp)) continue;
            boolean finUnacked = tp.finQueued && tp.sndUna != tp.writeSeq;
            lines.add(tp + ": " + unackedBytes(tp) + " byte(s)" + (finUnacked ? " and the FIN" : "")
                    + " unacknowledged, " + tp.retransmits + " retransmission(s), rto " + tp.rto.rto() / 1_000_000 + " ms");
        }
        return lines;
    }

    private static boolean unfinished(TcpSock tp) {
        int st = tp.state;
        return tp.orphan && st != TcpState.FIN_WAIT2 && st != TcpState.CLOSE && st != TcpState.TIME_WAIT;
    }

    private static long unackedBytes(TcpSock tp) {
        return Math.max(0, tp.writeSeq - tp.sndUna - (tp.finQueued ? 1 : 0));
    }

    @Override
    public Sock newSock(int type, int protocol) {
        TcpSock tp = new TcpSock(this, tcp, type);
        tcp.track(tp);
        return tp;
    }

    /** tcp_v4_init_sock / tcp_init_sock: buffer sizes from tcp_rmem/tcp_wmem, the initial cwnd and congestion control. */
    @Override
    public int init(Sock sk) {
        initSock((TcpSock) sk);
        return 0;
    }

    static void initSock(TcpSock tp) {
        TcpSysctls s = tp.tcp.sysctls;
        tp.rcvbuf = s.rmem.get(1);
        tp.sndbuf = s.wmem.get(1);
        tp.reordering = s.reordering.get();
        tp.sndCwnd = Tcp.TCP_INIT_CWND;
        TcpCong.assign(tp);
    }

    /** tcp_v4_pre_connect: after the address check, the INET4_CONNECT hooks, which may rewrite the destination. */
    @Override
    public int preConnect(Sock sk, SockAddr.Holder addr) { return SockAddrContext.runConnect(sk, addr); }

    /** tcp_v4_connect. */
    @Override
    public int connect(Sock sk, SockAddr addr) {
        TcpSock tp = (TcpSock) sk;
        if (!(addr instanceof SockAddrIn in)) return addr.family() == AddressFamily.AF_INET ? Errno.EINVAL.neg() : Errno.EAFNOSUPPORT.neg();
        int daddr = in.address();
        if (daddr == -1 || Ipv4.isMulticast(daddr)) return Errno.ENETUNREACH.neg();
        int[] src = new int[1];
        int err = tcp.ipv4.routeConnect(daddr, tp.saddr, src);
        if (err < 0) return err;
        if (tp.saddr == 0) tp.saddr = src[0];
        if (tp.rcvSaddr == 0) tp.rcvSaddr = tp.saddr;
        tp.daddr = daddr;
        tp.dport = in.port();
        TcpSock.setState(tp, TcpState.SYN_SENT);
        err = tcp.hashes.hashConnect(tp);
        if (err < 0) {
            tp.state = TcpState.CLOSE;
            tp.daddr = 0;
            tp.dport = 0;
            return err;
        }
        tp.iss = tcp.isn.secureTcpSeq(tp.saddr, tp.daddr, tp.num, tp.dport);
        // tcp_connect: the hooks hear of it before tcp_connect_init sizes the MSS and window, so options they set
        // (SO_RCVBUF, TCP_MAXSEG) shape the SYN.
        TcpSockOps.call(tp, SockOp.TCP_CONNECT_CB);
        TcpCong.dstInit(tp); // tcp_connect_init: tcp_ca_dst_init
        tp.pmtuCookie = tcp.ipv4.routeMtu(daddr);
        tp.advmss = (char) TcpOutput.advmss(tp, daddr);
        tp.rxOpt.tsOffset = TcpOutput.secureTsOff(tcp, tp.saddr, tp.daddr);
        // tcp_connect_init: the window, its clamp and our shift, from the buffer as the user left it.
        TcpOutput.InitialWindow iw = TcpOutput.selectInitialWindow(tcp, TcpOutput.rcvSpace(tp), tp.advmss,
                TcpOutput.rcvbufLockedClamp(tp, tp.windowClamp), tcp.sysctls.windowScaling.get() != 0);
        tp.rcvWnd = iw.rcvWnd();
        tp.windowClamp = iw.windowClamp();
        tp.rxOpt.rcvWscale = (byte) iw.rcvWscale();
        tp.rcvSsthresh = tp.rcvWnd;
        tp.rcvNxt = 0;
        tcp.mib.inc(TcpMib.ActiveOpens);
        TcpOutput.connect(tp);
        return 0;
    }

    /** tcp_disconnect: back to CLOSE from any state, resetting a live connection. */
    @Override
    public int disconnect(Sock sk, int flags) {
        TcpSock tp = (TcpSock) sk;
        int old = tp.state;
        if (old == TcpState.LISTEN) {
            closeListener(tp);
        } else if (old != TcpState.CLOSE && old != TcpState.SYN_SENT) {
            TcpOutput.sendActiveReset(tp);
        }
        if (old != TcpState.CLOSE) {
            boolean orphan = tp.orphan;
            tp.orphan = false;
            TcpSock.done(tp);
            tp.orphan = orphan;
        }
        TcpSock.purgeReceive(tp);
        // Out-of-order data of the old connection would otherwise land in the next one's stream.
        TcpSock.purgeOfo(tp);
        tp.urgData = 0;
        // inet_csk_delack_init: the next connection's delayed-ACK engine starts afresh.
        tp.ackPending = tp.ackNow = false;
        tp.ackQuick = 0;
        tp.pingpong = 0;
        tp.lastSegSize = 0;
        tp.ackAtoUs = 0;
        tp.finQueued = false;
        // tcp_disconnect: the next connection starts like a new socket's, with no RTT samples, backoff,
        // probes or retransmission episode of this one, and a fresh algorithm with an infinite ssthresh.
        tp.rto.reset();
        tp.retransmits = 0;
        tp.retransStamp = 0;
        tp.probesOut = 0;
        tp.probeBackoff = 0;
        TcpCong.release(tp);
        tp.caState = TcpCongestionOps.TCP_CA_OPEN;
        tp.sndSsthresh = Integer.MAX_VALUE;
        tp.sndCwnd = Tcp.TCP_INIT_CWND;
        tp.sndCwndCnt = 0;
        tp.priorCwnd = 0;
        tp.sackedOut = 0;
        // tcp_disconnect: no option of this connection carries over (rx_opt cleared, window_clamp 0).
        tp.rxOpt.clear();
        tp.windowClamp = 0;
        tp.tcpHeaderLen = io.inet4j.tcp.wire.TcpHeader.MIN_LENGTH;
        tp.isCwndLimited = false;
        tp.maxPacketsOut = 0;
        tp.shutdown = 0;
        tp.daddr = tp.dport = 0;
        tp.bytesAcked = tp.bytesReceived = 0;
        tp.segsIn = tp.segsOut = tp.ownLoss().totalRetrans = 0;
        tp.dataSegsIn = tp.dataSegsOut = tp.delivered = tp.ownLoss().rcvOoopack = 0;
        tp.windowClamp = tp.rcvRttEstRttUs = tp.rcvqSpace = 0;
        tp.rcvRttEstTime = tp.rcvqSpaceTime = 0;
        tp.bytesSent = tp.ownLoss().bytesRetrans = 0;
        tp.ownLoss().totalRto = tp.ownLoss().totalRtoRecoveries = 0;
        tp.ownLoss().totalRtoTime = tp.ownLoss().rtoStamp = 0;
        WinMinmax.reset(tp, tcp.now(), -1);
        // tcp_disconnect: RACK starts afresh (rack.mstamp, advanced, reo_wnd_steps, last_delivered, persist,
        // dsack_seen, reord_seen); no loss probe is outstanding.
        tp.rackMstamp = 0;
        tp.rackAdvanced = false;
        tp.ownLoss().rackReoWndSteps = 1;
        tp.ownLoss().rackLastDelivered = tp.ownLoss().rackReoWndPersist = tp.ownLoss().reordSeen = tp.ownLoss().tlpHighSeq = 0;
        tp.ownLoss().rackDsackSeen = false;
        // tcp_clear_retrans, dsack_dups, duplicate_sack: no undo state, D-SACK count (which would make the next
        // connection's D-SACKs look dubious) or D-SACK to send carries over.
        tp.ownLoss().undoMarker = 0;
        tp.ownLoss().undoRetrans = -1;
        tp.ownLoss().dsackDups = 0;
        TcpSackRcv.reset(tp);
        tp.done = false;
        tp.err = 0;
        return 0;
    }

    @Override
    public Sock accept(Sock sk, int flags, int[] err) {
        return ((TcpSock) sk).inetCskAccept(err);
    }

    /** hash for a socket becoming a listener (inet_csk_listen_start). */
    @Override
    public int hash(Sock sk) {
        TcpSock tp = (TcpSock) sk;
        tp.state = TcpState.LISTEN;
        int err = tcp.hashes.listenStart(tp);
        if (err < 0) {
            tp.state = TcpState.CLOSE;
            return err;
        }
        return 0;
    }

    @Override
    public int getPort(Sock sk, int port) { return tcp.hashes.getPort((TcpSock) sk, port); }

    @Override
    public void putPort(Sock sk) { tcp.hashes.putPort((TcpSock) sk); }

    @Override
    public void unhash(Sock sk) { tcp.hashes.unhash((TcpSock) sk); }

    /** tcp_close: orderly release with a FIN, or an abort with a RST when data would be lost. */
    @Override
    public void close(Sock sk, long timeoutNanos) {
        TcpSock tp = (TcpSock) sk;
        tp.shutdown = Sock.SHUTDOWN_MASK;
        if (tp.state == TcpState.LISTEN) {
            closeListener(tp);
            TcpSock.setState(tp, TcpState.CLOSE);
            TcpSock.destroy(tp);
            return;
        }
        int unread = tp.rcvQueued;
        tp.orphan = true;
        tcp.orphanCount++;
        tp.socket = null;
        if (tp.state == TcpState.CLOSE) {
            TcpSock.destroy(tp);
            return;
        }
        if (unread > 0) {
            // RFC 2525 2.17: unread data is lost, so tell the peer with a RST rather than a FIN.
            resetOnClose(tp, TcpExtMib.TCPAbortOnClose);
        } else if (tp.lingerSeconds == 0) {
            tcp.ext.inc(TcpExtMib.TCPAbortOnLinger);
            if (tp.state != TcpState.SYN_SENT) TcpOutput.sendActiveReset(tp);
            TcpSock.done(tp);
        } else if (closeState(tp)) {
            TcpOutput.sendFin(tp);
        }
        // tcp_close: shutdown(SHUT_WR) already took the socket to FIN_WAIT2, where no ACK of our FIN will come
        // to start the orphan's FIN timeout, so start it here; TCP_LINGER2 < 0 asks for a reset instead.
        if (tp.state == TcpState.FIN_WAIT2) {
            if (tp.opts.linger2 < 0) {
                resetOnClose(tp, TcpExtMib.TCPAbortOnLinger);
            } else {
                TcpTimers.resetFinWait2(tp);
            }
        }
        // Too many orphans, or no memory for one that still holds data (tcp_check_oom): it goes now, with a RST.
        if (tp.state != TcpState.CLOSE && TcpMem.checkOom(tp, 0)) resetOnClose(tp, TcpExtMib.TCPAbortOnMemory);
    }

    /** tcp_close's abort: the socket goes to CLOSE, the peer is told with a RST, and it is counted under {@code why}. */
    private static void resetOnClose(TcpSock tp, TcpExtMib why) {
        tp.tcp.ext.inc(why);
        // Linux sets CLOSE first and sends from inet_sport, which outlives inet_put_port; our header's source port
        // is the bound port itself, which leaving the bind hash clears: so the RST goes out first.
        TcpOutput.sendActiveReset(tp);
        TcpSock.setState(tp, TcpState.CLOSE);
        TcpSock.done(tp);
    }

    /** tcp_close_state: the state after the application's close or shutdown(SHUT_WR); true when a FIN goes out. */
    private static boolean closeState(TcpSock tp) {
        switch (tp.state) {
            case TcpState.ESTABLISHED, TcpState.SYN_RECV -> {
                TcpSock.setState(tp, TcpState.FIN_WAIT1);
                return true;
            }
            case TcpState.CLOSE_WAIT -> {
                TcpSock.setState(tp, TcpState.LAST_ACK);
                return true;
            }
            case TcpState.SYN_SENT -> {
                TcpSock.done(tp);
                return false;
            }
            default -> {
                return false;
            }
        }
    }

    /** inet_csk_listen_stop: pending requests go; children nobody accepted are aborted. */
    private void closeListener(TcpSock tp) {
        for (TcpRequestSock req : tp.synq.table.values()) req.drop();
        tp.synq.table.clear();
        io.inet4j.ipv4.af.InetConnectionSock child;
        while ((child = tp.acceptQueue.poll()) != null) {
            TcpSock c = (TcpSock) child;
            c.parent = null;
            close(c, 0);
        }
    }

    @Override
    public void shutdown(Sock sk, int how) {
        TcpSock tp = (TcpSock) sk;
        if ((how & Sock.SEND_SHUTDOWN) != 0 && !tp.finQueued && closeState(tp)) TcpOutput.sendFin(tp);
    }

    @Override
    public int setsockopt(Sock sk, int level, int optname, int value) {
        TcpSock tp = (TcpSock) sk;
        if (level != SockOpt.SOL_TCP) return Errno.ENOPROTOOPT.neg();
        switch (optname) {
            case SockOpt.TCP_NODELAY -> {
                tp.nodelay = value != 0;
                if (tp.nodelay) TcpOutput.push(tp, true);
            }
            case SockOpt.TCP_MAXSEG -> {
                if (value != 0 && (value < 88 || value > 32767)) return Errno.EINVAL.neg();
                tp.ownOpts().userMss = value;
            }
            case SockOpt.TCP_KEEPIDLE -> {
                if (value < 1 || value > MAX_TCP_KEEPIDLE) return Errno.EINVAL.neg();
                tp.ownOpts().keepaliveTime = value;
                // tcp_sock_set_keepidle_locked: a running keepalive clock is re-armed for the new idle time.
                if (tp.keepOpen && tp.state != TcpState.CLOSE && tp.state != TcpState.LISTEN) {
                    long left = TcpTimers.keepaliveTimeWhen(tp) - TcpSock.sinceJiffies(tp.tcp.now(), tp.lastReceived());
                    tp.net.loop().schedule(tp.keepaliveTimer(), Math.max(left, 0));
                }
            }
            case SockOpt.TCP_KEEPINTVL -> {
                if (value < 1 || value > MAX_TCP_KEEPINTVL) return Errno.EINVAL.neg();
                tp.ownOpts().keepaliveIntvl = value;
            }
            case SockOpt.TCP_KEEPCNT -> {
                if (value < 1 || value > MAX_TCP_KEEPCNT) return Errno.EINVAL.neg();
                tp.ownOpts().keepaliveProbes = value;
            }
            case SockOpt.TCP_SYNCNT -> {
                if (value < 1 || value > MAX_TCP_SYNCNT) return Errno.EINVAL.neg();
                tp.ownOpts().synRetries = value;
            }
            case SockOpt.TCP_LINGER2 -> tp.ownOpts().linger2 = value < 0 ? -1 : Math.min(value, TCP_FIN_TIMEOUT_MAX);
            case SockOpt.TCP_USER_TIMEOUT -> {
                if (value < 0) return Errno.EINVAL.neg(); // tcp_sock_set_user_timeout
                tp.ownOpts().userTimeout = value;
            }
            case SockOpt.TCP_QUICKACK -> TcpDelack.setQuickack(tp, value);
            case SockOpt.TCP_DEFER_ACCEPT -> tp.ownOpts().deferAccept = TcpListen.secsToRetrans(value);
            case SockOpt.TCP_NOTSENT_LOWAT -> {
                tp.ownOpts().notsentLowat = value;
                // do_tcp_setsockopt calls sk_write_space: a writer the old mark held back may go on now.
                if (tp.nospace && streamIsWriteable(tp)) {
                    tp.nospace = false;
                    tp.writeSpace();
                }
            }
            case SockOpt.TCP_CORK -> {
                // __tcp_sock_set_cork: uncorking pushes what waited, with Nagle as TCP_NODELAY leaves it.
                tp.cork = value != 0;
                if (!tp.cork) TcpOutput.push(tp, false);
            }
            default -> {
                return Errno.ENOPROTOOPT.neg();
            }
        }
        return 0;
    }

    /** tcp_ioctl: SIOCINQ ({@code tcp_inq}); EINVAL on a listener. */
    @Override
    public int ioctl(Sock sk, int cmd, int[] arg) {
        if (cmd != SockIoctl.SIOCINQ) return Errno.ENOTTY.neg();
        TcpSock tp = (TcpSock) sk;
        if (tp.state == TcpState.LISTEN) return Errno.EINVAL.neg();
        arg[0] = inq(tp);
        return 0;
    }

    /**
     * tcp_inq: what a read could take now. Linux counts rcv_nxt - copied_seq less a received FIN, which is the
     * bytes queued in order; with an urgent byte ahead that is not read inline, only the bytes before it.
     */
    private static int inq(TcpSock tp) {
        if (tp.state == TcpState.SYN_SENT || tp.state == TcpState.SYN_RECV) return 0;
        if (tp.urginline || tp.urgData == 0 || TcpSeq.before(tp.urgSeq, tp.copiedSeq) || !TcpSeq.before(tp.urgSeq, tp.rcvNxt)) {
            return tp.rcvQueued;
        }
        return tp.urgSeq - tp.copiedSeq;
    }

    @Override
    public int getsockopt(Sock sk, int level, int optname, int[] value) {
        TcpSock tp = (TcpSock) sk;
        if (level != SockOpt.SOL_TCP) return Errno.ENOPROTOOPT.neg();
        switch (optname) {
            case SockOpt.TCP_NODELAY -> value[0] = tp.nodelay ? 1 : 0;
            case SockOpt.TCP_MAXSEG -> value[0] = tp.state == TcpState.CLOSE || tp.state == TcpState.LISTEN
                    ? (tp.opts.userMss > 0 ? tp.opts.userMss : Tcp.TCP_MSS_DEFAULT) : tp.mssCache;
            case SockOpt.TCP_KEEPIDLE -> value[0] = (int) (TcpTimers.keepaliveTimeWhen(tp) / 1_000_000_000L);
            case SockOpt.TCP_KEEPINTVL -> value[0] = (int) (TcpTimers.keepaliveIntvlWhen(tp) / 1_000_000_000L);
            case SockOpt.TCP_KEEPCNT -> value[0] = TcpTimers.keepaliveProbes(tp);
            case SockOpt.TCP_SYNCNT -> value[0] = TcpTimers.synRetries(tp);
            case SockOpt.TCP_LINGER2 -> value[0] = tp.opts.linger2 < 0 ? -1
                    : tp.opts.linger2 != 0 ? tp.opts.linger2 : tp.tcp.sysctls.finTimeout.get();
            case SockOpt.TCP_USER_TIMEOUT -> value[0] = tp.opts.userTimeout;
            case SockOpt.TCP_QUICKACK -> value[0] = TcpDelack.inPingpongMode(tp) ? 0 : 1;
            case SockOpt.TCP_CORK -> value[0] = tp.cork ? 1 : 0;
            case SockOpt.TCP_DEFER_ACCEPT -> value[0] = TcpListen.retransToSecs(tp.opts.deferAccept);
            case SockOpt.TCP_NOTSENT_LOWAT -> value[0] = tp.opts.notsentLowat;
            default -> {
                return Errno.ENOPROTOOPT.neg();
            }
        }
        return 0;
    }

    /** TCP_CONGESTION: the name up to a NUL, at most 15 bytes as Linux reads it; ENOENT for an unknown name. */
    @Override
    public int setsockopt(Sock sk, int level, int optname, byte[] optval) {
        if (level != SockOpt.SOL_TCP || optname != SockOpt.TCP_CONGESTION) return Errno.ENOPROTOOPT.neg();
        int len = 0;
        while (len < Math.min(optval.length, TCP_CA_NAME_MAX - 1) && optval[len] != 0) len++;
        return TcpCong.set((TcpSock) sk, new String(optval, 0, len, StandardCharsets.US_ASCII));
    }

    /**
     * TCP_CONGESTION: the name, NUL-padded to the buffer, at most {@code TCP_CA_NAME_MAX} bytes. TCP_INFO: the
     * {@link io.inet4j.socket.TcpInfo} bytes, as many as fit ({@code min(optlen, sizeof(struct tcp_info))}).
     */
    @Override
    public int getsockopt(Sock sk, int level, int optname, byte[] optval) {
        if (level == SockOpt.SOL_TCP && optname == SockOpt.TCP_INFO) {
            byte[] info = new byte[io.inet4j.socket.TcpInfo.SIZE];
            TcpGetInfo.fill((TcpSock) sk, info);
            int len = Math.min(optval.length, info.length);
            System.arraycopy(info, 0, optval, 0, len);
            return len;
        }
        if (level != SockOpt.SOL_TCP || optname != SockOpt.TCP_CONGESTION) return Errno.ENOPROTOOPT.neg();
        byte[] name = ((TcpSock) sk).ca.name().getBytes(StandardCharsets.US_ASCII);
        int len = Math.min(optval.length, TCP_CA_NAME_MAX);
        java.util.Arrays.fill(optval, 0, len, (byte) 0);
        System.arraycopy(name, 0, optval, 0, Math.min(name.length, len));
        return len;
    }

    /**
     * tcp_sendmsg: copies as much as the send buffer takes into skbs of up to the size goal (many segments,
     * {@link #sizeGoal}) and pushes them; EAGAIN when none fits or the handshake is still running, EPIPE after
     * shutdown or close.
     */
    @Override
    public int sendmsg(Sock sk, MsgHdr msg, int flags) {
        TcpSock tp = (TcpSock) sk;
        if (tp.err != 0) return tp.takeError();
        if ((tp.shutdown & Sock.SEND_SHUTDOWN) != 0) return Errno.EPIPE.neg();
        if (tp.state == TcpState.SYN_SENT || tp.state == TcpState.SYN_RECV) return Errno.EAGAIN.neg();
        // sk_stream_wait_connect: anything but a live connection is a broken pipe, even one never made.
        if (tp.state != TcpState.ESTABLISHED && tp.state != TcpState.CLOSE_WAIT) return Errno.EPIPE.neg();
        TcpRate.checkAppLimited(tp);
        int copied = 0;
        int mss = TcpOutput.currentMss(tp);
        int goal = sizeGoal(tp, mss);
        // What each segment's worth is charged, whatever buffer holds it: a buffer of one segment's truesize.
        int segTruesize = tcp.net.pool().truesizeFor(mss);
        while (msg.data.hasRemaining()) {
            int room = tp.sndbuf - tp.wmemQueued;
            if (room <= 0) {
                tp.nospace = true; // tcp_sendmsg's wait_for_space
                break;
            }
            TcpSkb tail = tp.writeQueue.peekLast();
            // The tail grows to the goal, or to the last whole segment its buffer holds: skbs start on segment
            // boundaries, so the wire carries the same segments whatever buffers held them.
            int fill = tail == null || tail.has(io.inet4j.tcp.wire.TcpHeader.FIN) ? 0
                    : Math.min(goal, (tail.length() + tail.tailroom()) / mss * mss) - tail.length();
            int n;
            int charge = 0; // TCP memory the new segments take
            if (fill > 0 && tail.length() % mss != 0) {
                n = Math.min(Math.min(fill, mss - tail.length() % mss), Math.min(room, msg.data.remaining()));
            } else {
                // Each new segment is admitted as Linux admits each page it copies into: below TCP_NOTSENT_LOWAT
                // and within TCP memory. Below tcp_mem[0], with the unsent bytes low enough at the last segment's
                // start, every one of them would be: they are taken together; otherwise one at a time.
                int want = Math.min(fill > 0 ? fill : goal, Math.min(room, msg.data.remaining()));
                int segs = (want + mss - 1) / mss;
                if (segs > 1 && TcpMem.belowLow(tcp, segs * segTruesize)
                        && Integer.compareUnsigned(tp.writeSeq + (segs - 1) * mss - tp.sndNxt, notsentLowat(tp)) < 0) {
                    n = want;
                } else {
                    n = Math.min(want, mss);
                    segs = 1;
                    // sk_stream_memory_free: Linux has sent the full segments before it (tcp_push_one), so they go
                    // first and only what remains counts.
                    if (!streamMemoryFree(tp, 0)) {
                        TcpOutput.push(tp, false);
                        if (!streamMemoryFree(tp, 0)) {
                            tp.nospace = true;
                            break;
                        }
                        continue; // what was the tail may be on its way now
                    }
                }
                if (!TcpMem.wmemSchedule(tp, segs * segTruesize, n)) {
                    tp.nospace = true; // sk_stream_wait_memory: woken as ACKs free buffers
                    break;
                }
                charge = segs * segTruesize;
                if (fill > 0) tcp.chargeSkb(tail, charge);
            }
            if (fill > 0) {
                tail.append(msg.data, n);
            } else {
                // A buffer for the whole segments this write can queue now, up to the goal, not always the goal's
                // 64 KiB: a write of two segments would pin 17 times what they are charged until they are acked.
                // The next write fills what the last segment left, or starts an skb of its own.
                int queueable = Math.min(room, msg.data.remaining());
                int capacity = queueable > mss ? Math.min(goal, (queueable + mss - 1) / mss * mss) : mss;
                TcpSkb skb = tcp.allocSendSkb(capacity, tp.writeSeq, charge);
                skb.append(msg.data, n);
                if (tp.writeQueue.isEmpty()) TcpChrono.start(tp, TcpChrono.BUSY); // tcp_add_write_queue_tail
                tp.writeQueue().add(skb);
                TcpCong.slowStartAfterIdleCheck(tp); // tcp_skb_entail
            }
            tp.writeSeq += n;
            tp.wmemQueued += n;
            copied += n;
        }
        if (copied == 0) return Errno.EAGAIN.neg();
        TcpOutput.push(tp, false);
        return copied;
    }

    /**
     * tcp_xmit_size_goal: how large an skb {@code tcp_sendmsg} builds at {@code mss}: as many whole segments as one
     * super-segment carries ({@link TcpTso#maxPayload}), at most half the largest window the peer offered
     * ({@code tcp_bound_to_half_wnd}), at least one segment. Linux builds them whether or not the device takes
     * super-segments (software GSO cuts them otherwise); so does this stack, which cuts them in
     * {@link TcpOutput} when the device does not.
     */
    static int sizeGoal(TcpSock tp, int mss) {
        int goal = TcpTso.maxPayload(mss);
        int cutoff = tp.maxWindow > Tcp.TCP_MSS_DEFAULT ? tp.maxWindow >> 1 : tp.maxWindow;
        if (cutoff > 0 && goal > cutoff) goal = cutoff / mss * mss;
        return Math.max(goal, mss);
    }

    /**
     * tcp_recvmsg: in-order bytes to the caller; 0 at end of stream; EAGAIN when nothing is there yet. A read
     * stops at the urgent mark; without SO_OOBINLINE the urgent byte is stepped over, MSG_OOB reads it.
     */
    @Override
    public int recvmsg(Sock sk, MsgHdr msg, int flags) {
        TcpSock tp = (TcpSock) sk;
        if (tp.state == TcpState.LISTEN) return Errno.ENOTCONN.neg();
        if ((flags & MsgFlags.MSG_OOB) != 0) return recvUrg(tp, msg, flags);
        boolean peek = (flags & MsgFlags.MSG_PEEK) != 0;
        int copied = 0;
        int off = 0; // how far past copied_seq this call has got, urgent byte included
        while (msg.data.hasRemaining() && off < tp.rcvQueued) {
            int used = tp.rcvQueued - off;
            if (tp.urgData != 0) {
                int urgOffset = tp.urgSeq - (tp.copiedSeq + off);
                if (urgOffset == 0) {
                    if (copied > 0) break;
                    if (!tp.urginline) {
                        off++;
                        continue;
                    }
                } else if (urgOffset > 0 && urgOffset < used) {
                    used = urgOffset;
                }
            }
            int n = Math.min(used, msg.data.remaining());
            copyOut(tp, off, msg, n);
            off += n;
            copied += n;
        }
        if (!peek && off > 0) {
            consume(tp, off);
            if (tp.urgData != 0 && TcpSeq.after(tp.copiedSeq, tp.urgSeq)) tp.urgData = 0;
        }
        if (copied > 0) return copied;
        if (tp.err != 0) return tp.takeError();
        if ((tp.shutdown & Sock.RCV_SHUTDOWN) != 0) return 0;
        if (tp.state == TcpState.CLOSE) return tp.done ? 0 : Errno.ENOTCONN.neg();
        return Errno.EAGAIN.neg();
    }

    /** Copies {@code n} bytes lying {@code off} bytes past copied_seq in the receive queue. */
    private static void copyOut(TcpSock tp, int off, MsgHdr msg, int n) {
        // Indexed, not for-each: every read walks here, and an iterator the JIT fails to scalar-replace is garbage.
        for (int i = 0; i < tp.receiveQueue.size(); i++) {
            PacketBuffer skb = tp.receiveQueue.get(i);
            if (n == 0) return;
            if (off >= skb.length()) {
                off -= skb.length();
                continue;
            }
            int m = Math.min(skb.length() - off, n);
            skb.read(skb.data() + off, msg.data, m);
            off = 0;
            n -= m;
        }
    }

    /**
     * tcp_recv_urg: the urgent byte, once (EINVAL when there is none, it was read, or it stays inline); never
     * blocks (EAGAIN until the byte arrives).
     */
    private static int recvUrg(TcpSock tp, MsgHdr msg, int flags) {
        if (tp.urginline || tp.urgData == 0 || tp.urgData == TcpSock.TCP_URG_READ) return Errno.EINVAL.neg();
        if (tp.state == TcpState.CLOSE && !tp.done) return Errno.ENOTCONN.neg();
        if ((tp.urgData & TcpSock.TCP_URG_VALID) != 0) {
            byte c = (byte) tp.urgData;
            if ((flags & MsgFlags.MSG_PEEK) == 0) tp.urgData = TcpSock.TCP_URG_READ;
            msg.flags |= MsgFlags.MSG_OOB;
            if (!msg.data.hasRemaining()) {
                msg.flags |= MsgFlags.MSG_TRUNC;
                return 0;
            }
            msg.data.put(c);
            return 1;
        }
        if (tp.state == TcpState.CLOSE || (tp.shutdown & Sock.RCV_SHUTDOWN) != 0) return 0;
        return Errno.EAGAIN.neg();
    }

    /**
     * Frees what was read and, like tcp_cleanup_rbuf, tells the peer when the window opened up a lot: by two segments,
     * or from zero by one. (Linux asks for the window to double; this looser rule has kept bulk receivers' windows
     * moving and is kept.) The window is the one we would offer now ({@code __tcp_select_window}, within
     * {@code rcv_ssthresh}), not all the free space: compared with the free space, a buffer autotuning had grown past
     * {@code rcv_ssthresh} sent a pure ACK announcing the same window after every read of an interactive connection.
     */
    private static void consume(TcpSock tp, int n) {
        int left = n;
        while (left > 0) {
            PacketBuffer skb = tp.receiveQueue.peek();
            int take = Math.min(left, skb.length());
            skb.pull(take);
            left -= take;
            if (skb.length() == 0) TcpSock.rfree(tp, tp.receiveQueue.poll());
        }
        tp.rcvQueued -= n;
        tp.copiedSeq += n;
        TcpRcvSpace.spaceAdjust(tp);
        if (tp.state == TcpState.ESTABLISHED || tp.state == TcpState.FIN_WAIT1 || tp.state == TcpState.FIN_WAIT2) {
            int advertised = TcpOutput.receiveWindow(tp);
            int win = TcpOutput.newWindow(tp);
            if (win - advertised >= 2 * tp.advmss || advertised == 0 && win >= tp.advmss) TcpOutput.sendAck(tp);
        }
    }

    /** tcp_notsent_lowat: the socket's TCP_NOTSENT_LOWAT, else the sysctl's; unsigned. */
    static int notsentLowat(TcpSock tp) {
        return tp.opts.notsentLowat != 0 ? tp.opts.notsentLowat : tp.tcp.sysctls.notsentLowat.get();
    }

    /**
     * __tcp_stream_memory_free: are the unsent bytes ({@code write_seq - snd_nxt}) below TCP_NOTSENT_LOWAT? A
     * wakeup or poll ({@code wake} = 1) asks for them below half of it, so a woken writer has room to fill.
     */
    static boolean streamMemoryFree(TcpSock tp, int wake) {
        if (tp.state == TcpState.LISTEN) return true;
        return Integer.compareUnsigned((tp.writeSeq - tp.sndNxt) << wake, notsentLowat(tp)) < 0;
    }

    /** __sk_stream_is_writeable(sk, 1): a third of the send buffer free and the unsent bytes low enough. */
    static boolean streamIsWriteable(TcpSock tp) {
        return tp.sndbuf - tp.wmemQueued >= tp.wmemQueued >> 1 && streamMemoryFree(tp, 1);
    }

    /** tcp_poll. */
    @Override
    public int poll(Sock sk) {
        TcpSock tp = (TcpSock) sk;
        if (tp.state == TcpState.LISTEN) {
            return tp.acceptQueue.isEmpty() ? 0 : PollEvents.POLLIN | PollEvents.POLLRDNORM;
        }
        int mask = 0;
        // An urgent byte kept out of band at the read position is not readable data (tcp_poll's target++).
        boolean urgAtMark = tp.urgData != 0 && tp.urgSeq == tp.copiedSeq && !tp.urginline;
        if (tp.rcvQueued > (urgAtMark ? 1 : 0)) mask |= PollEvents.POLLIN | PollEvents.POLLRDNORM;
        if ((tp.urgData & TcpSock.TCP_URG_VALID) != 0) mask |= PollEvents.POLLPRI;
        if (tp.state == TcpState.CLOSE) mask |= PollEvents.POLLHUP;
        if (tp.state != TcpState.SYN_SENT && tp.state != TcpState.SYN_RECV) {
            if ((tp.shutdown & Sock.SEND_SHUTDOWN) != 0 || tp.wmemQueued < tp.sndbuf && streamMemoryFree(tp, 1)) {
                mask |= PollEvents.POLLOUT | PollEvents.POLLWRNORM;
            } else {
                tp.nospace = true; // a poller waits for space like a writer does
            }
        }
        return mask;
    }
}
