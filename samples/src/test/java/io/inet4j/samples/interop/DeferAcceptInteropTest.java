package io.inet4j.samples.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.inet4j.mib.TcpExtMib;
import io.inet4j.stack.InetServerSocket;
import io.inet4j.stack.InetSocket;
import io.inet4j.stack.InetSocketOptions;
import io.inet4j.tap.testing.RequiresTap;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * TCP_DEFER_ACCEPT on a stack listener with Linux's {@code nc} connecting over a TAP device: Linux's handshake
 * ACK is dropped (TCPDeferAcceptDrop) and accept() returns once the data came, with the data already there; a
 * client that never writes gets the SYN-ACK again at the end of the defer period and its ACK to that one makes
 * the connection (syn_ack_recalc, tcp_check_req), as a Linux listener would.
 */
@RequiresTap
class DeferAcceptInteropTest {
    private static final String STACK = "10.112.1.2";
    private static final String LINUX = "10.112.1.1";

    @RegisterExtension
    static final Interop.Lab lab = new Interop.Lab("dfa", STACK, LINUX);

    private static long ext(TcpExtMib m) { return lab.stack().net().mibs().tcpExt.get(m); }

    @Test
    void linuxsConnectionIsAcceptedWithItsFirstData() throws Exception {
        try (InetServerSocket server = lab.stack().serverSocket(5201)) {
            server.setOption(InetSocketOptions.TCP_DEFER_ACCEPT, 5);
            long drops = ext(TcpExtMib.TCPDeferAcceptDrop);
            Process nc = lab.peer().start("sh", "-c", "(sleep 1; echo hello; sleep 3) | exec nc " + STACK + " 5201");
            try (InetSocket s = server.accept()) {
                assertThat(s.available()).as("the data came with the connection").isEqualTo(6);
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
                assertThat(in.readLine()).isEqualTo("hello");
                assertThat(ext(TcpExtMib.TCPDeferAcceptDrop) - drops).isEqualTo(1);
            } finally {
                stop(nc);
            }
        }
    }

    @Test
    void aSilentLinuxClientIsAcceptedAfterTheDeferPeriodsSynAck() throws Exception {
        try (InetServerSocket server = lab.stack().serverSocket(5202)) {
            server.setOption(InetSocketOptions.TCP_DEFER_ACCEPT, 1);
            long drops = ext(TcpExtMib.TCPDeferAcceptDrop);
            long synRetrans = ext(TcpExtMib.TCPSynRetrans);
            Process nc = lab.peer().start("sh", "-c", "sleep 5 | exec nc " + STACK + " 5202");
            try (InetSocket s = server.accept()) {
                assertThat(s.available()).isZero();
                assertThat(ext(TcpExtMib.TCPDeferAcceptDrop) - drops).isEqualTo(1);
                assertThat(ext(TcpExtMib.TCPSynRetrans) - synRetrans).isEqualTo(1);
            } finally {
                stop(nc);
            }
        }
    }

    /** Ends a shell pipeline and what it started ({@code nc} outlives its shell otherwise). */
    private static void stop(Process p) {
        p.descendants().forEach(ProcessHandle::destroy);
        p.destroy();
    }
}
