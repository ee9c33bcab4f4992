package io.inet4j.samples.iperf;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.inet4j.socket.TcpInfo;
import io.inet4j.stack.InetSocket;
import io.inet4j.stack.InetSocketOptions;
import io.inet4j.stack.InetStack;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The client half of iperf3's control protocol, after esnet/iperf's {@code iperf_client_api.c}, driven step by step
 * by a test so it can check each message the server sends and misbehave where a test needs it.
 */
final class Iperf3TestClient implements Closeable {
    private final InetStack stack;
    private final String host;
    private final int port;
    final InetSocket control;
    final InputStream in;
    final OutputStream out;
    final byte[] cookie;
    final List<InetSocket> streams = new ArrayList<>();

    private Iperf3TestClient(InetStack stack, String host, int port, InetSocket control, byte[] cookie) throws IOException {
        this.stack = stack;
        this.host = host;
        this.port = port;
        this.control = control;
        this.in = control.getInputStream();
        this.out = control.getOutputStream();
        this.cookie = cookie;
    }

    /** Connects the control connection and sends {@code cookie} ({@code iperf_connect}). */
    static Iperf3TestClient connect(InetStack stack, String host, int port, String cookie) throws IOException {
        InetSocket s = stack.socket();
        s.connect(host, port, 5000);
        s.setSoTimeout(20_000);
        byte[] c = cookie(cookie);
        s.getOutputStream().write(c);
        return new Iperf3TestClient(stack, host, port, s, c);
    }

    /** {@code make_cookie}'s shape: 36 characters and a NUL. */
    static byte[] cookie(String text) {
        return Arrays.copyOf(text.getBytes(StandardCharsets.US_ASCII), Iperf3Protocol.COOKIE_SIZE);
    }

    /** What iperf 3.12's {@code send_parameters} sends for a TCP test, before the test's own keys. */
    static ObjectNode params(int parallel) {
        ObjectNode p = Iperf3Protocol.JSON.createObjectNode();
        p.put("tcp", true);
        p.put("omit", 0);
        p.put("time", 0);
        p.put("num", 0);
        p.put("blockcount", 0);
        p.put("parallel", parallel);
        p.put("len", 131072);
        p.put("pacing_timer", 1000);
        p.put("client_version", "3.12");
        return p;
    }

    void expect(byte state) throws IOException { assertThat(Iperf3Protocol.readState(in)).isEqualTo(state); }

    void send(byte state) throws IOException { out.write(state); }

    void sendJson(JsonNode j) throws IOException { Iperf3Protocol.writeJson(out, j); }

    JsonNode readJson() throws IOException { return Iperf3Protocol.readJson(in); }

    /** Opens a stream with {@code withCookie} ({@code iperf_tcp_connect}). */
    InetSocket openStream(byte[] withCookie) throws IOException {
        InetSocket s = stack.socket();
        s.connect(host, port, 5000);
        s.setSoTimeout(20_000);
        s.getOutputStream().write(withCookie);
        return s;
    }

    /** The handshake up to TEST_RUNNING: parameters, {@code parallel} streams with our cookie, the test's start. */
    void start(ObjectNode params) throws IOException {
        expect(Iperf3Protocol.PARAM_EXCHANGE);
        sendJson(params);
        expect(Iperf3Protocol.CREATE_STREAMS);
        for (int i = 0; i < params.get("parallel").asInt(); i++) streams.add(openStream(cookie));
        expect(Iperf3Protocol.TEST_START);
        expect(Iperf3Protocol.TEST_RUNNING);
    }

    /** TEST_END, then the results both ways; the server's, after its DISPLAY_RESULTS, answered with IPERF_DONE. */
    JsonNode finish(long[] ourBytes) throws IOException {
        send(Iperf3Protocol.TEST_END);
        expect(Iperf3Protocol.EXCHANGE_RESULTS);
        ObjectNode r = Iperf3Protocol.JSON.createObjectNode();
        r.put("cpu_util_total", 1.0);
        r.put("cpu_util_user", 0.5);
        r.put("cpu_util_system", 0.5);
        r.put("sender_has_retransmits", 0);
        ArrayNode a = r.putArray("streams");
        for (int i = 0; i < ourBytes.length; i++) {
            ObjectNode o = a.addObject();
            o.put("id", Iperf3Protocol.streamId(i));
            o.put("bytes", ourBytes[i]);
            o.put("retransmits", -1);
            o.put("jitter", 0);
            o.put("errors", 0);
            o.put("packets", 0);
        }
        sendJson(r);
        JsonNode theirs = readJson();
        expect(Iperf3Protocol.DISPLAY_RESULTS);
        send(Iperf3Protocol.IPERF_DONE);
        return theirs;
    }

    /** Until every byte written on {@code s} is acknowledged, so it sits in the server's receive queue at least. */
    static void awaitAcked(InetSocket s) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            TcpInfo i = s.getOption(InetSocketOptions.TCP_INFO);
            if (i.get(TcpInfo.Field.TCPI_UNACKED) == 0 && i.get(TcpInfo.Field.TCPI_NOTSENT_BYTES) == 0) return;
            if (System.nanoTime() > deadline) throw new IOException("not all acknowledged: " + i);
            Thread.sleep(1);
        }
    }

    @Override
    public void close() {
        for (InetSocket s : streams) s.close();
        control.close();
    }
}
