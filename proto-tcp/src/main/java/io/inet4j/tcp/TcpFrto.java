package io.inet4j.tcp;

import static io.inet4j.tcp.TcpSack.FLAG_DATA_SACKED;
import static io.inet4j.tcp.TcpSack.FLAG_ORIG_SACK_ACKED;
import static io.inet4j.tcp.TcpSack.FLAG_SND_UNA_ADVANCED;
import static io.inet4j.tcp.TcpSack.REXMIT_LOST;
import static io.inet4j.tcp.TcpSack.REXMIT_NEW;
import static io.inet4j.tcp.TcpSack.REXMIT_NONE;
import static io.inet4j.tcp.TcpSeq.after;

/**
 * F-RTO, forward RTO recovery (RFC 5682), as Linux runs it ({@code tp->frto} in {@code net/ipv4/tcp_input.c}):
 * a timeout retransmits only the head (step 1, {@code tcp_enter_loss}); when the ACK of it advances snd_una,
 * new data goes instead of more retransmissions (step 2b, {@code tcp_process_loss}'s {@code REXMIT_NEW} and
 * {@code tcp_xmit_recovery}); an ACK that then (S)ACKs data never retransmitted shows the timeout was spurious
 * and the reduction is undone (step 3b, {@code tcp_try_undo_loss} with {@code frto_undo}: TCPLossUndo,
 * TCPSpuriousRTOs), while a duplicate ACK or a SACK of the new data shows the loss was real (step 3a): the
 * conventional go-back-N recovery goes on. With a SACK peer this is the RFC's SACK-enhanced variant; without, the
 * duplicate ACKs are NewReno's ({@link TcpCong}). {@code tcp_frto} = 0 turns it off.
 */
final class TcpFrto {
    private TcpFrto() {}

    /**
     * The end of tcp_enter_loss (RFC 5682 3.1 step 1, 3.2): F-RTO runs for a timeout that starts a loss
     * episode ({@code newRecovery}: it came in Open, Disorder or CWR) or recurs on the same snd_una, not for one
     * ending a fast recovery. (Linux also keeps it off while probing the path MTU, which is not built.)
     */
    static void enterLoss(TcpSock tp, boolean newRecovery) {
        tp.ownLoss().frto = tp.tcp.sysctls.frto.get() != 0 && (newRecovery || tp.retransmits != 0);
    }

    /**
     * tcp_process_loss's F-RTO part, for an ACK in Loss ({@code recovered}: it reached high_seq). Returns
     * {@code REXMIT_NONE} when the timeout proved spurious and was undone, {@code REXMIT_NEW} when new data is to
     * go (step 2b), {@code REXMIT_LOST} when the conventional recovery goes on.
     */
    static int processLoss(TcpSock tp, int flag, boolean dupack, boolean recovered) {
        // Step 3b: not everything was lost, data never retransmitted arrived.
        if ((flag & FLAG_ORIG_SACK_ACKED) != 0 && TcpSack.tryUndoLoss(tp, true)) return REXMIT_NONE;
        if (after(tp.sndNxt, tp.highSeq)) {
            // Step 3a: the new data of step 2b was SACKed, or made a duplicate ACK: the loss was real.
            if ((flag & FLAG_DATA_SACKED) != 0 || dupack) tp.ownLoss().frto = false;
        } else if ((flag & FLAG_SND_UNA_ADVANCED) != 0 && !recovered) {
            tp.highSeq = tp.sndNxt;
            // Step 2b: new data, sent once the ACK has opened cwnd; with none to send or no window, step 2a.
            if (!tp.writeQueue.isEmpty() && after(tp.sndUna + tp.sndWnd, tp.sndNxt)) return REXMIT_NEW;
            tp.ownLoss().frto = false;
        }
        return REXMIT_LOST;
    }

    /**
     * {@link #processLoss} for a NewReno ACK that advanced snd_una in Loss: FLAG_ORIG_SACK_ACKED comes from the
     * cumulative ACK alone ({@code tcp_clean_rtx_queue}).
     */
    static int renoAck(TcpSock tp, boolean recovered) {
        int flag = FLAG_SND_UNA_ADVANCED | (tp.tcp.ackSample.origAcked ? FLAG_ORIG_SACK_ACKED : 0);
        return processLoss(tp, flag, false, recovered);
    }

    /**
     * tcp_process_loss for a NewReno duplicate ACK in Loss: once data was sent beyond high_seq (step 2b's, or
     * new data after the retransmissions) it means that data arrived past a hole; with F-RTO the loss was real
     * (step 3a). Counted as a delivered segment ({@code tcp_add_reno_sack}), it lets a lost segment go again.
     */
    static void renoDupAck(TcpSock tp) {
        if (!after(tp.sndNxt, tp.highSeq)) return;
        tp.ownLoss().frto = false;
        TcpCong.addRenoSack(tp);
        TcpOutput.xmitRetransmitQueue(tp);
    }

    /**
     * tcp_xmit_recovery's {@code REXMIT_NEW}: step 2b's new data goes, Nagle aside. False when none could, which
     * ends F-RTO: the lost segments go instead.
     */
    static boolean sendNewData(TcpSock tp) {
        TcpOutput.writeXmit(tp, true);
        if (after(tp.sndNxt, tp.highSeq)) return true;
        tp.ownLoss().frto = false;
        return false;
    }
}
