package io.inet4j.tcp;

import io.inet4j.socket.Sock;

/**
 * Receive-buffer auto-tuning, Linux's dynamic right-sizing ({@code net/ipv4/tcp_input.c}): the receiver estimates
 * the round-trip time from how long the sender takes to fill the window it was offered ({@code tcp_rcv_rtt_measure},
 * {@code tcp_rcv_rtt_update}), counts what the application read per such RTT ({@code rcvq_space}) and, when that
 * grows, grows {@code rcvbuf} to hold twice it plus the sender's growth, up to {@code tcp_rmem[2]}, with
 * {@code window_clamp} following ({@code tcp_rcv_space_adjust}); unless {@code tcp_moderate_rcvbuf} is 0 or the
 * application fixed SO_RCVBUF. The timestamp-based estimate ({@code tcp_rcv_rtt_measure_ts}) is left to the
 * timestamp option's work: without it the estimate is the window-based one, which only ever takes lower samples.
 */
final class TcpRcvSpace {
    private TcpRcvSpace() {}

    /**
     * The receive half of tcp_init_buffer_space: the clamp is at most what the whole buffer offers, the window we
     * let ourselves offer at most the clamp, and autotuning's first measure starts with the initial window. (Linux
     * also keeps one segment in reserve by {@code tcp_app_win}, which is not built: tcp_app_win = 0.)
     */
    static void initBufferSpace(TcpSock tp) {
        // tcp_select_initial_window's clamp for an unscaled window, unless the handshake chose one.
        if (tp.windowClamp == 0) tp.windowClamp = TcpOutput.maxWindowField(tp);
        tp.rcvqSpaceTime = tp.tcp.now();
        tp.rcvqSpaceSeq = tp.copiedSeq;
        int maxwin = TcpOutput.rcvSpace(tp);
        if (tp.windowClamp >= maxwin) tp.windowClamp = maxwin;
        tp.rcvSsthresh = Math.min(tp.rcvSsthresh, tp.windowClamp);
        tp.rcvqSpace = Math.min(Math.min(tp.rcvSsthresh, tp.rcvWnd), Tcp.TCP_INIT_CWND * tp.advmss);
    }

    /**
     * tcp_rcv_rtt_measure, from tcp_event_data_recv: the time it takes rcv_nxt to pass the right edge of the window
     * offered when the measure began is one round trip of a sender that fills the window, at least.
     */
    static void rttMeasure(TcpSock tp) {
        long now = tp.tcp.now();
        if (tp.rcvRttEstTime != 0) {
            if (TcpSeq.before(tp.rcvNxt, tp.rcvRttEstSeq)) return;
            rttUpdate(tp, Math.max((now - tp.rcvRttEstTime) / 1000, 1), true);
        }
        tp.rcvRttEstSeq = tp.rcvNxt + tp.rcvWnd;
        tp.rcvRttEstTime = now;
    }

    /**
     * tcp_rcv_rtt_update: {@code sampleUs} feeds the estimate, kept as 8 x microseconds. A window-bound sample
     * ({@code winDep}) may only lower it, since a sender that is not filling the window makes it look longer.
     */
    static void rttUpdate(TcpSock tp, long sampleUs, boolean winDep) {
        long old = tp.rcvRttEstRttUs & 0xffff_ffffL;
        long m = sampleUs << 3;
        long next;
        if (old == 0 || m < old) {
            next = m;
        } else {
            if (winDep) return;
            next = old - (old >> 3) + sampleUs;
        }
        tp.rcvRttEstRttUs = (int) Math.min(next, 0xffff_ffffL);
    }

    /**
     * tcp_rcv_space_adjust, after each read: once a receiver RTT has passed since the last measure, the bytes read
     * in it are the new base; more than before grows the buffer to {@code 2 x copied + 16 segments}, plus twice
     * that times the growth rate for a sender still in slow start, as buffer space at the current overhead ratio.
     */
    static void spaceAdjust(TcpSock tp) {
        long now = tp.tcp.now();
        long rttUs8 = tp.rcvRttEstRttUs & 0xffff_ffffL;
        long timeUs = (now - tp.rcvqSpaceTime) / 1000;
        if (rttUs8 == 0 || timeUs < rttUs8 >> 3) return;
        long copied = (tp.copiedSeq - tp.rcvqSpaceSeq) & 0xffff_ffffL;
        if (copied > tp.rcvqSpace) {
            if (tp.tcp.sysctls.moderateRcvbuf.get() != 0 && (tp.userlocks & Sock.SOCK_RCVBUF_LOCK) == 0) {
                long rcvwin = (copied << 1) + 16L * tp.advmss;
                long grow = rcvwin * (copied - tp.rcvqSpace) / Math.max(tp.rcvqSpace, 1);
                rcvwin += grow << 1;
                int rcvbuf = (int) Math.min(spaceFromWin(tp, rcvwin), tp.tcp.sysctls.rmem.get(2));
                if (rcvbuf > tp.rcvbuf) {
                    tp.rcvbuf = rcvbuf;
                    tp.windowClamp = TcpOutput.winFromSpace(tp, rcvbuf); // the clamp follows along
                }
            }
            tp.rcvqSpace = (int) Math.min(copied, Integer.MAX_VALUE);
        }
        tp.rcvqSpaceSeq = tp.copiedSeq;
        tp.rcvqSpaceTime = now;
    }

    /**
     * tcp_space_from_win: the buffer that offers {@code win} bytes of window at {@code tcp_adv_win_scale}'s ratio,
     * the inverse of {@link TcpOutput#winFromSpace}.
     */
    static long spaceFromWin(TcpSock tp, long win) {
        int scale = tp.tcp.sysctls.advWinScale.get();
        if (scale <= 0) return win << -scale;
        long unit = 1L << scale;
        return (win * unit + unit - 2) / (unit - 1);
    }
}
