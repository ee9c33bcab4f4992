package io.inet4j.tcp;

import static io.inet4j.tcp.wire.TcpHeader.ACK;
import static io.inet4j.tcp.wire.TcpHeader.RST;
import static io.inet4j.tcp.wire.TcpHeader.SYN;
import static org.assertj.core.api.Assertions.assertThat;

import io.inet4j.mib.TcpExtMib;
import io.inet4j.socket.Socket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** SYN cookies (net/ipv4/syncookies.c and the cookie paths of tcp_conn_request and tcp_v4_do_rcv). */
class TcpSyncookiesTest {
    private static final int PORT = 80;
    private static final int PEER = 0x0a00_0002;
    private static final int LOCAL = 0x0a00_0001;
    /** A listener with listen(fd, 1) holds 16 requests (the classic SYN table's minimum). */
    private static final int QUEUE = 16;

    private static long ext(TcpScenario t, TcpExtMib m) { return t.stack.net().mibs().tcpExt.get(m); }

    /** The next segment to the peer's {@code port} within {@code seconds}, past the queued requests' SYN-ACKs. */
    private static TcpScenario.Seg expectTo(TcpScenario t, int port, double seconds) {
        double end = t.now() + seconds;
        TcpScenario.Seg s;
        while ((s = t.expect(Math.max(end - t.now(), 0))) != null) {
            if (s.dport() == port) return s;
        }
        return null;
    }

    /** Fills the SYN queue of a listen(fd, 1) listener with requests nobody completes; their SYN-ACKs are eaten. */
    private static Socket fullListener(TcpScenario t) throws Exception {
        Socket l = StreamSockets.listener(t.stack, PORT, 1);
        for (int i = 0; i < QUEUE; i++) {
            t.inject(30000 + i, PORT, SYN, 1000, 0, null);
            assertThat(t.expect().flags()).isEqualTo(SYN | ACK);
        }
        return l;
    }

    @ParameterizedTest
    @CsvSource({"0, 536", "535, 536", "536, 536", "1299, 536", "1300, 1300", "1452, 1440", "1460, 1460", "9000, 1460"})
    void theCookieRemembersTheLargestTableMssNotAboveThePeers(int peerMss, int cookieMss) {
        assertThat(TcpSyncookies.MSSTAB[TcpSyncookies.mssIndex(peerMss)]).isEqualTo(cookieMss);
    }

    @Test
    void aCookieDecodesToItsDataForTwoMinutesAndNotForAnotherFlow() throws Exception {
        try (TcpScenario t = new TcpScenario()) {
            TcpSyncookies c = t.tcp().syncookies;
            t.run(59.5);
            for (int data = 0; data < 4; data++) {
                int cookie = c.secureTcpSynCookie(PEER, LOCAL, 40000, PORT, 1000 + data, data);
                assertThat(c.checkTcpSynCookie(cookie, PEER, LOCAL, 40000, PORT, 1000 + data)).isEqualTo(data);
                assertThat(c.checkTcpSynCookie(cookie, PEER, LOCAL, 40001, PORT, 1000 + data)).isNotEqualTo(data);
                assertThat(c.checkTcpSynCookie(cookie, PEER, LOCAL, 40000, PORT, 1001 + data)).isNotEqualTo(data);
            }
            int cookie = c.secureTcpSynCookie(PEER, LOCAL, 40000, PORT, 7, 3);
            t.run(1); // the next minute: one minute old
            assertThat(c.checkTcpSynCookie(cookie, PEER, LOCAL, 40000, PORT, 7)).isEqualTo(3);
            t.run(60); // two minutes old: MAX_SYNCOOKIE_AGE
            assertThat(c.checkTcpSynCookie(cookie, PEER, LOCAL, 40000, PORT, 7)).isEqualTo(-1);
        }
    }

    @Test
    void forgedCookiesAlmostNeverPass() throws Exception {
        try (TcpScenario t = new TcpScenario()) {
            TcpSyncookies c = t.tcp().syncookies;
            java.util.Random r = new java.util.Random(7);
            int passed = 0;
            for (int i = 0; i < 100_000; i++) {
                int mss = c.checkTcpSynCookie(r.nextInt(), PEER, LOCAL, 40000, PORT, 1000);
                if (Integer.compareUnsigned(mss, TcpSyncookies.MSSTAB.length) < 0) passed++;
            }
            // Two minutes of 2^24 values each, four of which are valid data: about 1 in 2^21 guesses passes.
            assertThat(passed).isLessThanOrEqualTo(2);
        }
    }

    @ParameterizedTest
    @CsvSource({"true, 7, true", "true, 0, false", "true, 14, true", "false, 0, true", "false, 0, false"})
    void optionsRideInTheLowBitsOfTheTimestamp(boolean wscaleOk, int sndWscale, boolean sackOk) {
        TcpRxOpt req = new TcpRxOpt();
        req.wscaleOk = wscaleOk;
        req.sndWscale = (byte) sndWscale;
        req.sackOk = sackOk;
        for (int tsNow : new int[] {0x1000_0000, 0x1000_003f, 0x1000_0040, 5, -1}) {
            int ts = TcpSyncookies.initTimestamp(req, false, tsNow);
            assertThat(tsNow - ts).as("never ahead of the clock, at most 63 behind").isBetween(0, 63);
            TcpRxOpt ack = new TcpRxOpt();
            ack.sawTstamp = true;
            ack.rcvTsecr = ts;
            assertThat(TcpSyncookies.timestampDecode(ack, true, true, true)).isTrue();
            assertThat(ack.tstampOk).isTrue();
            assertThat(ack.sackOk).isEqualTo(sackOk);
            assertThat(ack.wscaleOk).isEqualTo(wscaleOk);
            assertThat((int) ack.sndWscale).isEqualTo(wscaleOk ? sndWscale : 0);
        }
    }

    @Test
    void decodingRefusesWhatTheStackDoesNotDoAndClearsWithoutATimestamp() {
        TcpRxOpt req = new TcpRxOpt();
        req.wscaleOk = true;
        req.sndWscale = 2;
        req.sackOk = true;
        int ts = TcpSyncookies.initTimestamp(req, false, 123456);
        TcpRxOpt ack = new TcpRxOpt();
        ack.sawTstamp = true;
        ack.rcvTsecr = ts;
        assertThat(TcpSyncookies.timestampDecode(ack, false, true, true)).as("tcp_timestamps = 0").isFalse();
        assertThat(TcpSyncookies.timestampDecode(ack, true, false, true)).as("tcp_sack = 0").isFalse();
        assertThat(TcpSyncookies.timestampDecode(ack, true, true, false)).as("tcp_window_scaling = 0").isFalse();
        TcpRxOpt none = new TcpRxOpt();
        none.sackOk = none.wscaleOk = none.tstampOk = true;
        none.sndWscale = 7;
        assertThat(TcpSyncookies.timestampDecode(none, true, true, true)).isTrue();
        assertThat(none.sackOk || none.wscaleOk || none.tstampOk).isFalse();
        assertThat(none.sndWscale).isZero();
    }

    @Test
    void aFullSynQueueAnswersWithACookieWhoseAckMakesTheConnection() throws Exception {
        try (TcpScenario t = new TcpScenario()) {
            Socket listener = fullListener(t);
            TcpSock l = (TcpSock) listener.sk;
            assertThat(ext(t, TcpExtMib.SyncookiesSent)).isZero();
            t.inject(40000, PORT, SYN, 5000, 0, 65535, null, 1400);
            TcpScenario.Seg synAck = t.expect();
            assertThat(synAck.flags()).isEqualTo(SYN | ACK);
            assertThat(synAck.ack()).isEqualTo(5001);
            assertThat(synAck.mss()).isEqualTo(1460);
            assertThat(l.synq.table).as("nothing kept for it").hasSize(QUEUE);
            assertThat(ext(t, TcpExtMib.SyncookiesSent)).isEqualTo(1);
            assertThat(ext(t, TcpExtMib.TCPReqQFullDoCookies)).isEqualTo(1);
            assertThat(ext(t, TcpExtMib.TCPReqQFullDrop)).isZero();
            assertThat(ext(t, TcpExtMib.ListenDrops)).isZero();
            assertThat(expectTo(t, 40000, 30)).as("no request, no SYN-ACK retransmission").isNull();

            t.inject(40000, PORT, ACK, 5001, synAck.seq() + 1, "hello".getBytes());
            assertThat(ext(t, TcpExtMib.SyncookiesRecv)).isEqualTo(1);
            Socket s = StreamSockets.accept(listener);
            assertThat(s).isNotNull();
            TcpSock c = (TcpSock) s.sk;
            assertThat(c.state).isEqualTo(TcpState.ESTABLISHED);
            assertThat(c.dport).isEqualTo(40000);
            assertThat(c.peerMss).as("msstab[2]: the largest not above 1400").isEqualTo(1300);
            assertThat(c.sndUna).isEqualTo(synAck.seq() + 1);
            assertThat(c.rcvNxt).isEqualTo(5006);
        }
    }

    @Test
    void aForgedCookieIsResetAndAnAckWithoutRecentCookiesIsNotEvenChecked() throws Exception {
        try (TcpScenario t = new TcpScenario()) {
            StreamSockets.listener(t.stack, PORT, 8);
            t.inject(40000, PORT, ACK, 5001, 0x12345678, null);
            assertThat(t.expect().flags()).isEqualTo(RST);
            assertThat(ext(t, TcpExtMib.SyncookiesFailed)).as("tcp_synq_no_recent_overflow").isZero();
        }
        try (TcpScenario t = new TcpScenario()) {
            fullListener(t);
            t.inject(40000, PORT, SYN, 5000, 0, null);
            TcpScenario.Seg synAck = t.expect();
            // Not ack + 1: the MSS index sits in the cookie's low bits, so a cookie one above a good one is good too.
            t.inject(40000, PORT, ACK, 5001, synAck.seq() + 1 + (1 << 20), null);
            TcpScenario.Seg rst = expectTo(t, 40000, 0.01);
            assertThat(rst.flags()).isEqualTo(RST);
            assertThat(rst.seq()).isEqualTo(synAck.seq() + 1 + (1 << 20));
            t.inject(40001, PORT, ACK, 5001, synAck.seq() + 1, null);
            assertThat(expectTo(t, 40001, 0.01).flags()).as("another port's cookie").isEqualTo(RST);
            assertThat(ext(t, TcpExtMib.SyncookiesFailed)).isEqualTo(2);
            assertThat(ext(t, TcpExtMib.SyncookiesRecv)).isZero();
        }
    }

    @Test
    void aCookieOlderThanTwoMinutesIsRefused() throws Exception {
        try (TcpScenario t = new TcpScenario()) {
            t.tcp().sysctls.syncookies.set("2");
            StreamSockets.listener(t.stack, PORT, 8);
            t.inject(40000, PORT, SYN, 5000, 0, null);
            TcpScenario.Seg old = t.expect();
            t.run(150);
            t.inject(40001, PORT, SYN, 9000, 0, null); // a fresh cookie keeps the listener "under flood"
            assertThat(expectTo(t, 40001, 0.01).flags()).isEqualTo(SYN | ACK);
            t.inject(40000, PORT, ACK, 5001, old.seq() + 1, null);
            assertThat(expectTo(t, 40000, 0.01).flags()).isEqualTo(RST);
            assertThat(ext(t, TcpExtMib.SyncookiesFailed)).isEqualTo(1);
        }
    }

    @Test
    void withSyncookiesZeroAFullQueueDropsTheSyn() throws Exception {
        try (TcpScenario t = new TcpScenario()) {
            t.tcp().sysctls.syncookies.set("0");
            fullListener(t);
            t.inject(40000, PORT, SYN, 5000, 0, null);
            assertThat(t.expect()).isNull();
            assertThat(ext(t, TcpExtMib.TCPReqQFullDrop)).isEqualTo(1);
            assertThat(ext(t, TcpExtMib.ListenDrops)).isEqualTo(1);
            assertThat(ext(t, TcpExtMib.SyncookiesSent)).isZero();
        }
    }

    @Test
    void withSyncookiesTwoEverySynGetsACookieAndNoRequestIsKept() throws Exception {
        try (TcpScenario t = new TcpScenario()) {
            t.tcp().sysctls.syncookies.set("2");
            Socket l = StreamSockets.listener(t.stack, PORT, 8);
            t.inject(40000, PORT, SYN, 5000, 0, null);
            TcpScenario.Seg synAck = t.expect();
            assertThat(synAck.flags()).isEqualTo(SYN | ACK);
            assertThat(((TcpSock) l.sk).synq.table).isEmpty();
            assertThat(ext(t, TcpExtMib.SyncookiesSent)).isEqualTo(1);
            assertThat(((TcpSock) l.sk).synq.synfloodWarned).as("tcp_syncookies = 2 is no flood").isFalse();
            t.inject(40000, PORT, ACK, 5001, synAck.seq() + 1, null);
            Socket s = StreamSockets.accept(l);
            assertThat(s).isNotNull();
            assertThat(((TcpSock) s.sk).peerMss).as("no MSS option: 536").isEqualTo(536);
        }
    }

    @Test
    void aCookieAckFindingTheAcceptQueueFullIsDropped() throws Exception {
        try (TcpScenario t = new TcpScenario()) {
            t.tcp().sysctls.syncookies.set("2");
            StreamSockets.listener(t.stack, PORT, 0); // the accept queue holds one
            t.inject(40000, PORT, SYN, 5000, 0, null);
            TcpScenario.Seg a = t.expect();
            t.inject(40001, PORT, SYN, 7000, 0, null);
            TcpScenario.Seg b = t.expect();
            t.inject(40000, PORT, ACK, 5001, a.seq() + 1, null);
            t.inject(40001, PORT, ACK, 7001, b.seq() + 1, null);
            assertThat(t.silentFor(0.5)).isTrue();
            assertThat(ext(t, TcpExtMib.SyncookiesRecv)).isEqualTo(2);
            assertThat(ext(t, TcpExtMib.ListenOverflows)).isEqualTo(1);
            assertThat(ext(t, TcpExtMib.ListenDrops)).isEqualTo(1);
        }
    }
}
