package io.inet4j.testkit.cong;

import io.inet4j.tcp.cong.TcpAckSample;
import io.inet4j.tcp.cong.TcpCongestion;
import io.inet4j.tcp.cong.TcpCongestionOps;
import io.inet4j.tcp.cong.TcpCongestionSock;
import java.util.ArrayList;
import java.util.List;

/**
 * A congestion control for tests, {@code i4j_fixed}: the window stays at {@link #CWND} segments whatever
 * happens, so a test can see an algorithm from outside the core drive the sender. Written only against the
 * {@link TcpCongestionSock} view, as any plug-in must be. Each instance remembers what it saw, and the class
 * remembers its instances ({@link #made}) so a test can find the one its socket got.
 */
@TcpCongestion("i4j_fixed")
public final class FixedWindow implements TcpCongestionOps {
    /** The window it holds, in segments. */
    public static final int CWND = 4;

    private static final List<FixedWindow> MADE = new ArrayList<>();

    private int maxInFlight;
    private long samples;
    private long samplesWithinWindow;
    private long ackedSegments;
    private boolean released;

    public FixedWindow() {
        synchronized (MADE) {
            MADE.add(this);
        }
    }

    /** Every instance made so far, oldest first. */
    public static List<FixedWindow> made() {
        synchronized (MADE) {
            return List.copyOf(MADE);
        }
    }

    @Override public String name() { return "i4j_fixed"; }

    @Override public int flags() { return TCP_CONG_NON_RESTRICTED; }

    @Override
    public void init(TcpCongestionSock tp) {
        tp.setSndCwnd(CWND);
        tp.setSndSsthresh(CWND);
    }

    @Override public void release(TcpCongestionSock tp) { released = true; }

    @Override public int ssthresh(TcpCongestionSock tp) { return CWND; }

    @Override public void congAvoid(TcpCongestionSock tp, int ack, int acked) { tp.setSndCwnd(CWND); }

    @Override public int undoCwnd(TcpCongestionSock tp) { return CWND; }

    @Override
    public void pktsAcked(TcpCongestionSock tp, TcpAckSample sample) {
        maxInFlight = Math.max(maxInFlight, sample.inFlight());
        samples++;
        if (sample.inFlight() <= CWND) samplesWithinWindow++;
        ackedSegments += sample.pktsAcked();
    }

    /** The most segments in flight any ACK found. */
    public int maxInFlight() { return maxInFlight; }

    /** ACKs of new data it was told about ({@link #pktsAcked} calls). */
    public long samples() { return samples; }

    /**
     * Of those, the ACKs that found at most {@link #CWND} segments in flight; the others follow a fast
     * retransmit, whose window inflation (RFC 6582) is TCP's own, not the algorithm's.
     */
    public long samplesWithinWindow() { return samplesWithinWindow; }

    /** Segments acknowledged while it ran. */
    public long ackedSegments() { return ackedSegments; }

    /** Whether TCP called {@link #release}. */
    public boolean released() { return released; }
}
