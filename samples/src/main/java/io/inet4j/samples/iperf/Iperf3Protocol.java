package io.inet4j.samples.iperf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * iperf3's control channel as esnet/iperf 3.x speaks it ({@code src/iperf_api.h}, {@code iperf_api.c}): the
 * 37-byte cookie each connection of a test opens with, one signed byte per state change, and JSON objects framed
 * by a 4-byte big-endian length ({@code JSON_write} / {@code JSON_read}).
 */
final class Iperf3Protocol {
    private Iperf3Protocol() {}

    /** {@code COOKIE_SIZE}: 36 characters of an ASCII id and a NUL. */
    static final int COOKIE_SIZE = 37;

    static final byte TEST_START = 1;
    static final byte TEST_RUNNING = 2;
    static final byte TEST_END = 4;
    static final byte PARAM_EXCHANGE = 9;
    static final byte CREATE_STREAMS = 10;
    static final byte CLIENT_TERMINATE = 12;
    static final byte EXCHANGE_RESULTS = 13;
    static final byte DISPLAY_RESULTS = 14;
    static final byte IPERF_DONE = 16;
    static final byte ACCESS_DENIED = -1;
    /** Followed by two 4-byte big-endian numbers: iperf's {@code i_errno}, then {@code errno}. */
    static final byte SERVER_ERROR = -2;

    /** {@code i_errno} values the client turns into its message ({@code iperf_error.c}). */
    static final int IENUMSTREAMS = 6;
    static final int IEUNIMP = 13;

    /** {@code MAX_STREAMS}: the client refuses more with {@code -P}. */
    static final int MAX_STREAMS = 128;

    /** A parameters or results object far larger than iperf ever sends is a broken or hostile peer. */
    static final int MAX_JSON = 1 << 20;

    /**
     * The stream ids iperf gives in creation order, 1, 3, 4, 5, ... ({@code iperf_add_stream} starts counting the
     * second at 3; it is kept "since changing it would break multi-stream tests between old and new versions"). The
     * client matches the results it gets by these ids.
     */
    static int streamId(int index) { return index == 0 ? 1 : index + 2; }

    static final ObjectMapper JSON = new ObjectMapper();

    static byte[] readCookie(InputStream in) throws IOException {
        byte[] cookie = new byte[COOKIE_SIZE];
        new DataInputStream(in).readFully(cookie);
        return cookie;
    }

    /** One state byte; {@link EOFException} when the peer closed instead. */
    static byte readState(InputStream in) throws IOException {
        int b = in.read();
        if (b < 0) throw new EOFException("the peer closed the control connection");
        return (byte) b;
    }

    static JsonNode readJson(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        int len = data.readInt();
        if (len < 0 || len > MAX_JSON) throw new IOException("a JSON object of " + Integer.toUnsignedString(len) + " bytes");
        byte[] text = new byte[len];
        data.readFully(text);
        JsonNode node = JSON.readTree(text);
        if (node == null || !node.isObject()) throw new IOException("not a JSON object: " + new String(text, 0, Math.min(len, 80)));
        return node;
    }

    /** The length and the text in one write, so the peer never waits on a lone length (Nagle). */
    static void writeJson(OutputStream out, JsonNode node) throws IOException {
        byte[] text = JSON.writeValueAsBytes(node);
        out.write(ByteBuffer.allocate(4 + text.length).putInt(text.length).put(text).array());
    }
}
