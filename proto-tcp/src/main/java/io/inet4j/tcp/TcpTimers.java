package io.inet4j.tcp;

import io.inet4j.hook.SockOp;
import io.inet4j.mib.TcpExtMib;
import io.inet4j.socket.Errno;

/**
 * TCP's timers ({@code net/ipv4/tcp_timer.c}): retransmission with exponential backoff and Linux's
 * time-based give-up rule ({@code tcp_write_timeout}), zero-window probes, delayed ACKs, keepalive, and the
 * FIN_WAIT2 timeout of orphans. Each socket owns its timers; arming never allocates.
 */
final class TcpTimers {
    /** What the retransmit timer is doing ({@code ICSK_TIME_RETRANS}, {@code ICSK_TIME_PROBE0}). */
    static final int RETRANS = 1;
    static final int PROBE = 3;
    /** RACK's reordering timer and the tail loss probe share it too ({@code ICSK_TIME_REO_TIMEOUT}, {@code ICSK_TIME_LOSS_PROBE}). */
    static final int REO_TIMEOUT = 4;
    static final int LOSS_PROBE = 5;
    /** {@code TCP_TIMEOUT_MIN}: two jiffies, the least a timer waits (user timeout, RACK's and TLP's slack). */
    static final long TCP_TIMEOUT_MIN = 2_000_000L;

    private TcpTimers() {}

    static void resetRetransmit(TcpSock tp, long delay) { resetXmitTimer(tp, RETRANS, delay); }

    /** inet_csk_reset_xmit_timer: the one timer armed for {@code what}, capped at {@code TCP_RTO_MAX}. */
    static void resetXmitTimer(TcpSock tp, int what, long delay) {
        tp.timerPending = (byte) what;
        tp.net.loop().schedule(tp.retransmitTimer(), Math.min(delay, RtoEstimator.TCP_RTO_MAX));
    }

    /** tcp_rto_delta_us: how far in the future the RTO of the head lies, counted from its last transmission. */
    static long rtoDelta(TcpSock tp) {
        TcpSkb head = tp.rtxQueue.peek();
        return head == null ? tp.rto.rto() : tp.rto.rto() - (tp.tcp.now() - head.txNanos);
    }

    /**
     * tcp_rearm_rto: nothing out stops the timer; otherwise a full RTO, or, replacing a reordering timer or a loss
     * probe, what is left of the head's RTO (at least a microsecond).
     */
    static void rearmRto(TcpSock tp) {
        if (tp.packetsOut == 0) {
            if (tp.timerPending != PROBE) tp.cancel(tp.retransmitTimer);
            return;
        }
        long rto = tp.rto.rto();
        if (tp.timerPending == REO_TIMEOUT || tp.timerPending == LOSS_PROBE) rto = Math.max(rtoDelta(tp), 1000L);
        resetRetransmit(tp, rto);
    }

    static void resetProbe(TcpSock tp) {
        tp.timerPending = PROBE;
        tp.net.loop().schedule(tp.retransmitTimer(), probeWhen(tp));
    }

    /** tcp_probe0_when: the RTO shifted by the probe backoff, capped at {@code TCP_RTO_MAX}. */
    private static long probeWhen(TcpSock tp) {
        return Math.min(tp.rto.rto() << Math.min(tp.probeBackoff, 20), RtoEstimator.TCP_RTO_MAX);
    }

    static void resetKeepalive(TcpSock tp) {
        tp.net.loop().schedule(tp.keepaliveTimer(), keepaliveTimeWhen(tp));
    }

    /** keepalive_time_when: TCP_KEEPIDLE, else {@code tcp_keepalive_time}, in nanoseconds. */
    static long keepaliveTimeWhen(TcpSock tp) {
        return (tp.opts.keepaliveTime != 0 ? tp.opts.keepaliveTime : tp.tcp.sysctls.keepaliveTime.get()) * 1_000_000_000L;
    }

    /** keepalive_intvl_when: TCP_KEEPINTVL, else {@code tcp_keepalive_intvl}, in nanoseconds. */
    static long keepaliveIntvlWhen(TcpSock tp) {
        return (tp.opts.keepaliveIntvl != 0 ? tp.opts.keepaliveIntvl : tp.tcp.sysctls.keepaliveIntvl.get()) * 1_000_000_000L;
    }

    /** keepalive_probes: TCP_KEEPCNT, else {@code tcp_keepalive_probes}. */
    static int keepaliveProbes(TcpSock tp) {
        return tp.opts.keepaliveProbes != 0 ? tp.opts.keepaliveProbes : tp.tcp.sysctls.keepaliveProbes.get();
    }

    /** TCP_SYNCNT, else {@code tcp_syn_retries}. */
    static int synRetries(TcpSock tp) {
        return tp.opts.synRetries != 0 ? tp.opts.synRetries : tp.tcp.sysctls.synRetries.get();
    }

    /**
     * An orphan in FIN_WAIT2 waits for the peer's FIN, then goes: tcp_fin_time, TCP_LINGER2 or
     * {@code tcp_fin_timeout}, but never less than 3.5 RTOs.
     */
    static void resetFinWait2(TcpSock tp) {
        long finTimeout = (tp.opts.linger2 > 0 ? tp.opts.linger2 : tp.tcp.sysctls.finTimeout.get()) * 1_000_000_000L;
        long rto = tp.rto.rto();
        tp.net.loop().schedule(tp.keepaliveTimer(), Math.max(finTimeout, (rto << 2) - (rto >> 1)));
    }

    /** tcp_write_timer_handler. */
    static void writeTimer(TcpSock tp) {
        if (tp.state == TcpState.CLOSE) return;
        switch (tp.timerPending) {
            case PROBE -> probeTimer(tp);
            case REO_TIMEOUT -> TcpRack.reoTimeout(tp);
            case LOSS_PROBE -> TcpTlp.sendLossProbe(tp);
            default -> retransmitTimer(tp);
        }
    }

    /** tcp_retransmit_timer: the head was not acknowledged in time. */
    private static void retransmitTimer(TcpSock tp) {
        if (tp.rtxQueue.isEmpty()) return;
        tp.ownLoss().tlpHighSeq = 0;
        if (tp.sndWnd == 0 && !tp.orphan && tp.state != TcpState.SYN_SENT && tp.state != TcpState.SYN_RECV) {
            shrunkWindowTimer(tp);
            return;
        }
        if (writeTimeout(tp)) return;
        tp.tcp.ext.inc(TcpExtMib.TCPTimeouts);
        if (tp.retransmits == 0 && tp.rxOpt.sackOk) TcpSack.timeoutMib(tp);
        TcpCong.enterLoss(tp);
        updateRtoStats(tp);
        TcpOutput.retransmitHead(tp);
        tp.rto.backoff();
        resetRetransmit(tp, clampRtoToUserTimeout(tp));
    }

    /**
     * tcp_clamp_rto_to_user_timeout: with TCP_USER_TIMEOUT the next timeout comes no later than the moment it
     * runs out, measured from the first retransmission; at once (1 ms) when it already has.
     */
    private static long clampRtoToUserTimeout(TcpSock tp) {
        if (tp.opts.userTimeout == 0) return tp.rto.rto();
        long remaining = tp.opts.userTimeout * 1_000_000L - TcpSock.sinceJiffies(tp.tcp.now(), tp.retransStamp);
        return remaining <= 0 ? 1_000_000L : Math.min(tp.rto.rto(), remaining);
    }

    /**
     * tcp_update_rto_stats: one more timeout ({@code icsk_retransmits}, {@code total_rto}); the first of an episode
     * starts a timeout recovery and its clock ({@code total_rto_recoveries}, {@code rto_stamp}).
     */
    private static void updateRtoStats(TcpSock tp) {
        if (tp.retransmits == 0) {
            tp.ownLoss().totalRtoRecoveries++;
            tp.ownLoss().rtoStamp = tp.tcp.now();
        }
        tp.retransmits++;
        tp.ownLoss().totalRto++;
    }

    /** tcp_update_rto_time: a timeout recovery ended; its time joins {@code total_rto_time}. */
    static void updateRtoTime(TcpSock tp) {
        if (tp.loss.rtoStamp != 0) {
            tp.ownLoss().totalRtoTime += tp.tcp.now() - tp.loss.rtoStamp;
            tp.ownLoss().rtoStamp = 0;
        }
    }

    /**
     * tcp_retransmit_timer when the receiver shrank its window to zero under data in flight: the retransmissions
     * are zero-window probes, so, as for those (RFC 1122 4.2.2.17), the connection is not given up while the peer
     * answers; only when it has neither answered nor been answered for {@code 2 * TCP_RTO_MAX}
     * ({@code tcp_rtx_probe0_timed_out}). The backoff doubles the RTO without counting retransmits.
     */
    private static void shrunkWindowTimer(TcpSock tp) {
        long now = tp.tcp.now();
        long limit = 2 * RtoEstimator.TCP_RTO_MAX;
        long sinceFirst = tp.retransStamp != 0 ? TcpSock.sinceJiffies(now, tp.retransStamp)
                : now - tp.rtxQueue.peek().firstTxNanos;
        if (TcpSock.sinceJiffies(now, tp.lastReceived()) > limit && sinceFirst > limit) {
            writeErr(tp);
            return;
        }
        TcpCong.enterLoss(tp);
        TcpOutput.retransmitHead(tp);
        tp.rto.backoff();
        resetRetransmit(tp, tp.rto.rto());
    }

    /**
     * tcp_write_timeout: gives up once the time since the first retransmission exceeds what the retry limit
     * allows under exponential backoff from the base RTO ({@code retransmits_timed_out}): with
     * {@code tcp_syn_retries} = 6 a SYN is abandoned after 127 s, with {@code tcp_retries2} = 15 data after
     * about 924 s.
     */
    private static boolean writeTimeout(TcpSock tp) {
        int retries;
        long base;
        if (tp.state == TcpState.SYN_SENT || tp.state == TcpState.SYN_RECV) {
            retries = synRetries(tp);
            base = RtoEstimator.TCP_TIMEOUT_INIT;
        } else {
            boolean alive = tp.rto.rto() < RtoEstimator.TCP_RTO_MAX;
            retries = tp.orphan ? orphanRetries(tp, alive) : tp.tcp.sysctls.retries2.get();
            base = RtoEstimator.TCP_RTO_MIN;
            // An orphan the peer still answers, or whose retries are not used up, hears a RST if it must go.
            if (tp.orphan && TcpMem.outOfResources(tp, alive || !retransmitsTimedOut(tp, retries, base))) return true;
        }
        boolean expired = retransmitsTimedOut(tp, retries, base);
        if (TcpSockOps.wanted(tp, SockOp.RTO_CB_FLAG)) {
            TcpSockOps.call(tp, SockOp.RTO_CB, tp.retransmits, (int) (tp.rto.rto() / 1_000_000), expired ? 1 : 0);
        }
        if (!expired) return false;
        writeErr(tp);
        return true;
    }

    /**
     * tcp_orphan_retries: for an orphan whose timer has not backed off to the cap ({@code alive}), 0 means 8,
     * Linux's "about 100 s"; one at the cap, or told by ICMP that something is wrong, gets what the sysctl says.
     */
    private static int orphanRetries(TcpSock tp, boolean alive) {
        int r = tp.tcp.sysctls.orphanRetries.get();
        if (tp.errSoft != 0 && !alive) r = 0;
        return r == 0 && alive ? 8 : r;
    }

    /** retransmits_timed_out: never before this timer has itself retransmitted, whatever the stamp says. */
    private static boolean retransmitsTimedOut(TcpSock tp, int retries, long base) {
        // Never before this timer has itself retransmitted, whatever the stamp says. Past the handshake
        // TCP_USER_TIMEOUT replaces the modelled time; during it, it can only end the attempt sooner.
        long userTimeout = tp.opts.userTimeout * 1_000_000L;
        boolean syn = tp.state == TcpState.SYN_SENT || tp.state == TcpState.SYN_RECV;
        long timeout = userTimeout != 0 && !syn ? userTimeout : modelTimeout(retries, base);
        if (syn && userTimeout != 0) timeout = Math.min(timeout, userTimeout);
        return tp.retransmits != 0 && tp.retransStamp != 0 && TcpSock.sinceJiffies(tp.tcp.now(), tp.retransStamp) >= timeout;
    }

    /** tcp_model_timeout: total time of {@code boundary} backoffs starting at {@code base}, capped per step. */
    static long modelTimeout(int boundary, long base) {
        int thresh = 63 - Long.numberOfLeadingZeros(RtoEstimator.TCP_RTO_MAX / base);
        if (boundary <= thresh) return ((2L << boundary) - 1) * base;
        return ((2L << thresh) - 1) * base + (boundary - thresh) * RtoEstimator.TCP_RTO_MAX;
    }

    /** tcp_done_with_error: report {@code errno} and close. */
    static void abort(TcpSock tp, int errno) {
        tp.err = errno;
        tp.errorReport();
        TcpSock.done(tp);
    }

    /**
     * tcp_write_err: a timer gave up, in any state; the error is the last ICMP soft error, if one came, else
     * ETIMEDOUT.
     */
    private static void writeErr(TcpSock tp) {
        abort(tp, tp.errSoft != 0 ? tp.errSoft : Errno.ETIMEDOUT.number());
        tp.tcp.ext.inc(TcpExtMib.TCPAbortOnTimeout);
    }

    /**
     * tcp_probe_timer: the peer's window stayed closed; ask again. Gives up after {@code tcp_retries2} probes
     * in a row go unanswered; an orphan also once its probes have backed off to the cap for
     * {@code tcp_orphan_retries}, answered or not, since nobody will ever read its connection again.
     */
    private static void probeTimer(TcpSock tp) {
        if (!tp.rtxQueue.isEmpty() || tp.writeQueue.isEmpty()) {
            tp.probesOut = 0;
            tp.probeBackoff = 0;
            tp.probesTstamp = 0;
            return;
        }
        // A peer that keeps answering probes of a closed window is kept (RFC 1122 4.2.2.17), unless
        // TCP_USER_TIMEOUT says how long the window may stay closed.
        long now = tp.tcp.now();
        if (tp.probesTstamp == 0) {
            tp.probesTstamp = TcpSock.jiffies32(now);
        } else if (tp.opts.userTimeout != 0
                && TcpSock.sinceJiffies(now, tp.probesTstamp) >= tp.opts.userTimeout * 1_000_000L) {
            writeErr(tp);
            return;
        }
        int retries2 = tp.tcp.sysctls.retries2.get();
        int max = retries2;
        if (tp.orphan) {
            boolean alive = probeWhen(tp) < RtoEstimator.TCP_RTO_MAX;
            max = orphanRetries(tp, alive);
            if (TcpMem.outOfResources(tp, alive)) return;
            if (!alive && tp.probeBackoff >= max) {
                writeErr(tp);
                return;
            }
        }
        if (tp.probesOut >= max) {
            writeErr(tp);
            return;
        }
        if (TcpSeq.before(tp.writeQueue.peek().seq, tp.sndUna + tp.sndWnd)) {
            // tcp_send_probe0 through tcp_write_wakeup: the window is open, so data goes instead of a probe,
            // and with data in flight probing is over.
            TcpOutput.writeWakeup(tp);
            tp.probesOut = 0;
            tp.probeBackoff = 0;
            tp.probesTstamp = 0;
            return;
        }
        // tcp_send_probe0.
        tp.tcp.ext.inc(TcpExtMib.TCPWinProbe);
        TcpOutput.sendProbe(tp);
        tp.probesOut++;
        if (tp.probeBackoff < retries2) tp.probeBackoff++;
        tp.timerPending = PROBE;
        tp.net.loop().schedule(tp.retransmitTimer(), clampProbe0ToUserTimeout(tp, probeWhen(tp)));
    }

    /** tcp_clamp_probe0_to_user_timeout: no probe later than TCP_USER_TIMEOUT's end, nor sooner than 2 ms. */
    private static long clampProbe0ToUserTimeout(TcpSock tp, long when) {
        if (tp.opts.userTimeout == 0 || tp.probesTstamp == 0) return when;
        long elapsed = TcpSock.sinceJiffies(tp.tcp.now(), tp.probesTstamp);
        long remaining = Math.max(tp.opts.userTimeout * 1_000_000L - elapsed, TCP_TIMEOUT_MIN);
        return Math.min(remaining, when);
    }

    /** tcp_delack_timer_handler. */
    static void delackTimer(TcpSock tp) { TcpDelack.timer(tp); }

    /** tcp_keepalive_timer: keepalive probes, and the FIN_WAIT2 timeout of orphans. */
    static void keepaliveTimer(TcpSock tp) {
        if (tp.state == TcpState.FIN_WAIT2 && tp.orphan) {
            TcpSock.done(tp);
            return;
        }
        // tcp_keepalive_timer: every synchronized state is watched, a half-closed connection (FIN_WAIT2 while
        // owned) too, whose peer may die without ever sending its FIN.
        if (!tp.keepOpen || tp.state == TcpState.CLOSE || tp.state == TcpState.SYN_SENT) return;
        long idle = TcpSock.sinceJiffies(tp.tcp.now(), tp.lastReceived());
        long time = keepaliveTimeWhen(tp);
        if (idle < time) {
            tp.net.loop().schedule(tp.keepaliveTimer(), time - idle);
            return;
        }
        if (!tp.rtxQueue.isEmpty() || !tp.writeQueue.isEmpty()) {
            tp.net.loop().schedule(tp.keepaliveTimer(), time);
            return;
        }
        // With TCP_USER_TIMEOUT, the silence it allows ends the connection once a probe went unanswered.
        if (tp.opts.userTimeout != 0 ? idle >= tp.opts.userTimeout * 1_000_000L && tp.probesOut > 0
                : tp.probesOut >= keepaliveProbes(tp)) {
            // tcp_keepalive_timer resets the peer, which may still believe the connection open.
            TcpOutput.sendActiveReset(tp);
            writeErr(tp);
            return;
        }
        tp.tcp.ext.inc(TcpExtMib.TCPKeepAlive);
        TcpOutput.sendProbe(tp);
        tp.probesOut++;
        tp.net.loop().schedule(tp.keepaliveTimer(), keepaliveIntvlWhen(tp));
    }
}
