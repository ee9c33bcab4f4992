package io.inet4j.netdev;

import io.inet4j.buffer.PacketBuffer;
import io.inet4j.loop.Clock;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A {@link PacketTap} that writes classic pcap ({@code LINKTYPE_ETHERNET}), readable by tcpdump and Wireshark.
 * Timestamps come from the stack's clock, offset to wall time at creation, so a simulated run yields the same
 * file every time.
 */
public final class PcapWriter implements PacketTap {
    private static final int SNAPLEN = 65535;

    private final OutputStream out;
    private final Clock clock;
    private final long epochOffsetNanos;
    private final byte[] scratch = new byte[SNAPLEN];
    private final java.nio.ByteBuffer scratchView = java.nio.ByteBuffer.wrap(scratch);
    private final byte[] record = new byte[16];
    private boolean closed;

    public PcapWriter(Path file, Clock clock, long wallClockAtStartNanos) throws IOException {
        this.out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
        this.clock = clock;
        this.epochOffsetNanos = wallClockAtStartNanos - clock.nanoTime();
        byte[] hdr = new byte[24];
        putLe(hdr, 0, 0xa1b2c3d4);
        putLe(hdr, 4, 2 | (4 << 16)); // version 2.4
        putLe(hdr, 16, SNAPLEN);
        putLe(hdr, 20, 1); // LINKTYPE_ETHERNET
        out.write(hdr);
    }

    /** A writer stamping packets with the system's wall time. */
    public static PcapWriter open(Path file, Clock clock) throws IOException {
        return new PcapWriter(file, clock, System.currentTimeMillis() * 1_000_000L);
    }

    @Override
    public synchronized void frame(NetDevice dev, PacketBuffer frame, boolean outgoing) {
        if (closed) return;
        long t = clock.nanoTime() + epochOffsetNanos;
        int len = Math.min(frame.length(), SNAPLEN);
        putLe(record, 0, (int) (t / 1_000_000_000L));
        putLe(record, 4, (int) (t % 1_000_000_000L / 1000));
        putLe(record, 8, len);
        putLe(record, 12, frame.length());
        frame.copyBits(0, scratchView, 0, len); // fragments too: a capture shows the packet, not its layout
        try {
            out.write(record);
            out.write(scratch, 0, len);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public synchronized void flush() {
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void putLe(byte[] b, int at, int v) {
        b[at] = (byte) v;
        b[at + 1] = (byte) (v >>> 8);
        b[at + 2] = (byte) (v >>> 16);
        b[at + 3] = (byte) (v >>> 24);
    }
}
