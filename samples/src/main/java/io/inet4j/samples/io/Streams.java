package io.inet4j.samples.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** The byte pump the sample tools share: bodies and relays move through a fixed buffer, never whole. */
public final class Streams {
    /** 64 KiB: a 50 MB file costs this much heap, and one read takes what a TCP window delivers. */
    public static final int BUFFER = 64 * 1024;

    private Streams() {}

    /**
     * Copies up to {@code max} bytes and returns how many there were before the end of {@code in}. With
     * {@code flushEach} every read is flushed at once, for interactive streams (netcat's stdout).
     */
    public static long copy(InputStream in, OutputStream out, long max, boolean flushEach) throws IOException {
        byte[] buf = new byte[BUFFER];
        long n = 0;
        while (n < max) {
            int r = in.read(buf, 0, (int) Math.min(buf.length, max - n));
            if (r < 0) break;
            out.write(buf, 0, r);
            if (flushEach) out.flush();
            n += r;
        }
        return n;
    }
}
