package io.inet4j.samples.dns;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The wire format of the name-lookup sample, a DNS in miniature (RFC 1035's idea, not its format). A query is
 * {@code id(2) length(1) name(length, ASCII)}; an answer is {@code id(2) rcode(1) address(4)}, where rcode 0 is
 * an answer and 3 ({@link #NXDOMAIN}, as in DNS) says the name does not exist (then the address is 0). The id
 * pairs an answer with its query, so a late answer to an earlier try is told apart.
 */
public final class NameQuery {
    public static final int NOERROR = 0;
    public static final int NXDOMAIN = 3;
    public static final int ANSWER_LENGTH = 7;
    public static final int MAX_NAME = 255;

    private NameQuery() {}

    static ByteBuffer query(int id, String name) {
        byte[] n = name.getBytes(StandardCharsets.US_ASCII);
        if (n.length > MAX_NAME) throw new IllegalArgumentException("name longer than " + MAX_NAME + " bytes");
        return ByteBuffer.allocate(3 + n.length).putShort((short) id).put((byte) n.length).put(n).flip();
    }

    /** The name a query asks for, or null when {@code q} (position to limit) is not a well-formed query. */
    static String name(ByteBuffer q) {
        if (q.remaining() < 3) return null;
        int len = q.get(q.position() + 2) & 0xff;
        if (q.remaining() != 3 + len) return null;
        byte[] n = new byte[len];
        q.get(q.position() + 3, n);
        return new String(n, StandardCharsets.US_ASCII);
    }

    static int id(ByteBuffer m) { return m.getShort(m.position()) & 0xffff; }

    static ByteBuffer answer(int id, int rcode, int address) {
        return ByteBuffer.allocate(ANSWER_LENGTH).putShort((short) id).put((byte) rcode).putInt(address).flip();
    }
}
