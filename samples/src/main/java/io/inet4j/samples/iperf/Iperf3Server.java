package io.inet4j.samples.iperf;

import static io.inet4j.samples.iperf.Iperf3Protocol.ACCESS_DENIED;
import static io.inet4j.samples.iperf.Iperf3Protocol.CLIENT_TERMINATE;
import static io.inet4j.samples.iperf.Iperf3Protocol.CREATE_STREAMS;
import static io.inet4j.samples.iperf.Iperf3Protocol.DISPLAY_RESULTS;
import static io.inet4j.samples.iperf.Iperf3Protocol.EXCHANGE_RESULTS;
import static io.inet4j.samples.iperf.Iperf3Protocol.IPERF_DONE;
import static io.inet4j.samples.iperf.Iperf3Protocol.JSON;
import static io.inet4j.samples.iperf.Iperf3Protocol.PARAM_EXCHANGE;
import static io.inet4j.samples.iperf.Iperf3Protocol.SERVER_ERROR;
import static io.inet4j.samples.iperf.Iperf3Protocol.TEST_END;
import static io.inet4j.samples.iperf.Iperf3Protocol.TEST_RUNNING;
import static io.inet4j.samples.iperf.Iperf3Protocol.TEST_START;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.inet4j.samples.io.Streams;
import io.inet4j.stack.InetServerSocket;
import io.inet4j.stack.InetSocket;
import io.inet4j.stack.InetSocketOptions;
import io.inet4j.stack.InetStack;
import io.inet4j.stack.ShardedServerSocket;
import io.inet4j.stack.ShardedStack;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;

/**
 * The server half of iperf3 (esnet/iperf's {@code iperf_server_api.c}) on an inet4j stack, so the stack is measured
 * with the stock {@code iperf3} client: TCP, the client sending or, with {@code -R}, the server; {@code -P} streams;
 * a test ended by the client's clock ({@code -t}) or by bytes or blocks ({@code -n}, {@code -k}, {@code -l});
 * {@code -O}, {@code -w}, {@code -N}, {@code -C} and {@code --get-server-output} honoured. UDP, SCTP, {@code --bidir}
 * and a paced server ({@code -R -b}) are refused with iperf's own error, which the client prints.
 *
 * <p>One test at a time, as {@code iperf3 -s}: the control connection and the test's streams arrive on one port;
 * each stream proves it belongs by the control connection's cookie; anyone else meanwhile gets
 * {@code ACCESS_DENIED} ("the server is busy"). Each stream has a thread that moves {@link Streams#BUFFER} bytes per
 * call: the stack's blocking calls are round trips to its loop, so fewer, larger calls move more. The bytes a
 * stream counts are those its calls took or queued until the client's {@code TEST_END}, data already received
 * included (a receiver drains what has arrived before it stops).
 *
 * <p>One line per test on {@code out} ({@code received N bytes ...} or {@code sent N bytes ...}, the figure the
 * client gets in its results); a test that fails is one line on {@code err} and the server goes on.
 */
public final class Iperf3Server implements Closeable {
    /** iperf3's port. */
    public static final int DEFAULT_PORT = 5201;
    /** How long each step before the test runs may take: the cookie, the parameters, every stream's arrival. */
    static final int HANDSHAKE_MILLIS = 10_000;
    /** iperf's grace past time and omit before a server gives up on a running test: 4 s of RTT x 10 state changes. */
    static final int GRACE_SECONDS = 40;
    private static final String NAME = "inet4j iperf3-server: ";

    private final Listener listener;
    private final PrintStream out;
    private final PrintStream err;
    private final Object lock = new Object();
    /** The test that has the server, or null when it is free; guarded by {@link #lock}. */
    private Session current;
    private volatile boolean closed;
    private int tests;

    /** What the server needs of its listener: one stack's, or every shard's of a {@link ShardedStack}. */
    private record Listener(Acceptor acceptor, IntSupplier port, Runnable closer) {
        InetSocket accept() throws IOException { return acceptor.accept(); }

        void close() { closer.run(); }
    }

    @FunctionalInterface
    private interface Acceptor {
        InetSocket accept() throws IOException;
    }

    private Iperf3Server(Listener listener, PrintStream out, PrintStream err) {
        this.listener = listener;
        this.out = out;
        this.err = err;
    }

    /** Listens on {@code port} of every address of {@code stack}; serving starts with {@link #serve} or {@link #serveOne}. */
    public static Iperf3Server open(InetStack stack, int port, PrintStream out, PrintStream err) throws IOException {
        InetServerSocket l = stack.serverSocket(port, 128);
        return new Iperf3Server(new Listener(l::accept, l::getLocalPort, l::close), out, err);
    }

    /**
     * Listens on {@code port} of every shard of {@code shards}: a test's streams may belong to different shards, and
     * so run on different loops and cores.
     */
    public static Iperf3Server open(ShardedStack shards, int port, PrintStream out, PrintStream err) throws IOException {
        ShardedServerSocket l = shards.serverSocket(port, 128);
        return new Iperf3Server(new Listener(l::accept, l::getLocalPort, l::close), out, err);
    }

    /** The port it listens on. */
    public int port() { return listener.port().getAsInt(); }

    /** Serves tests one after another on this thread until {@link #close}, as {@code iperf3 -s} does. */
    public void serve() throws IOException { run(false); }

    /**
     * Serves one test, as {@code iperf3 -s -1}: whether it completed (the results exchanged and the client's
     * {@code IPERF_DONE} received). Connections refused as busy meanwhile do not count.
     */
    public boolean serveOne() throws IOException { return run(true); }

    /** Stops serving: the listener closes and a test under way ends unreported. */
    @Override
    public void close() {
        closed = true;
        listener.close();
        Session s;
        synchronized (lock) {
            s = current;
        }
        if (s != null) s.abort();
    }

    /**
     * The accept loop, iperf's {@code iperf_accept} and {@code iperf_tcp_accept}: a connection while the server is
     * free opens a test (on a thread of its own); while that test waits for its streams one with its cookie joins
     * it; any other gets ACCESS_DENIED without a read, so it cannot stall the test.
     */
    private boolean run(boolean oneOff) throws IOException {
        Session first = null;
        try {
            while (true) {
                InetSocket s;
                try {
                    s = listener.accept();
                } catch (IOException e) {
                    if (closed) break;
                    throw e;
                }
                Session busy;
                synchronized (lock) {
                    busy = current;
                    if (busy == null && (first == null || !oneOff)) {
                        current = new Session(++tests, s, oneOff);
                        if (first == null) first = current;
                        current.thread.start();
                        continue;
                    }
                }
                if (busy == null || !busy.offerStream(s)) deny(s);
            }
        } finally {
            listener.close();
        }
        if (first == null) return false;
        Stream.joinUninterruptibly(first.thread);
        return first.completed;
    }

    private static void deny(InetSocket s) {
        try {
            s.getOutputStream().write(ACCESS_DENIED);
        } catch (IOException e) {
            // It is gone already; nothing to tell it.
        } finally {
            s.close();
        }
    }

    /** One test: its control connection, its streams, and the thread that runs the exchange. */
    private final class Session implements Runnable {
        final int number;
        final InetSocket control;
        final boolean last;
        final Thread thread;
        final BlockingQueue<InetSocket> arrived = new LinkedBlockingQueue<>();
        final List<Stream> streams = new ArrayList<>();
        /** The control connection's cookie, which each stream must present; set before the streams are asked for. */
        private byte[] cookie;
        /** Streams still expected; 0 outside CREATE_STREAMS. Guarded by this. */
        private int wanted;
        volatile boolean completed;
        /**
         * The test's last line, written before the client can be done with us and printed once the server is free:
         * a cold JVM can take tens of milliseconds over the first formatting of a line, in which a client starting
         * its next test would be told "busy".
         */
        private String report;

        Session(int number, InetSocket control, boolean last) {
            this.number = number;
            this.control = control;
            this.last = last;
            this.thread = new Thread(this, "iperf3-test-" + number);
            thread.setDaemon(true);
        }

        /** A connection while this test runs: taken as a stream if it is one we wait for and has our cookie. */
        boolean offerStream(InetSocket s) {
            synchronized (this) {
                if (wanted == 0) return false;
            }
            byte[] c;
            try {
                s.setSoTimeout(HANDSHAKE_MILLIS);
                c = Iperf3Protocol.readCookie(s.getInputStream());
            } catch (IOException e) {
                return false;
            }
            synchronized (this) {
                if (wanted == 0 || !Arrays.equals(c, cookie)) return false;
                wanted--;
                arrived.add(s);
                return true;
            }
        }

        void abort() {
            control.close();
            thread.interrupt();
        }

        @Override
        public void run() {
            Exception failure = null;
            try {
                completed = exchange();
            } catch (IOException | RuntimeException e) {
                if (!closed) failure = e;
            } catch (InterruptedException e) {
                // close() ended the test.
            } finally {
                // Free first: a client that starts its next test as soon as this one ended must not find us busy.
                synchronized (lock) {
                    current = null;
                }
                synchronized (this) {
                    wanted = 0;
                }
                if (failure != null) err.println(NAME + "test " + number + ": " + describe(failure));
                else if (completed) out.println(report);
                stopStreams();
                for (Stream st : streams) st.socket.close();
                for (InetSocket s; (s = arrived.poll()) != null; ) s.close();
                control.close();
                if (last) {
                    closed = true;
                    listener.close();
                }
            }
        }

        /** The server's side of a test, state by state as {@code iperf_run_server} and the client's messages take it. */
        private boolean exchange() throws IOException, InterruptedException {
            InputStream in = control.getInputStream();
            OutputStream ctl = control.getOutputStream();
            control.setTcpNoDelay(true);
            control.setSoTimeout(HANDSHAKE_MILLIS);
            cookie = Iperf3Protocol.readCookie(in);
            ctl.write(PARAM_EXCHANGE);
            TestParams p = TestParams.of(Iperf3Protocol.readJson(in));
            String who = "test " + number + " from " + control.getInetAddress().getHostAddress() + " port " + control.getPort();
            TestParams.Refusal refusal = p.refusal();
            if (refusal != null) {
                ctl.write(ByteBuffer.allocate(9).put(SERVER_ERROR).putInt(refusal.iErrno()).putInt(0).array());
                err.println(NAME + who + ": refused: " + refusal.why());
                return false;
            }
            out.println(NAME + who + ": " + p.parallel() + (p.parallel() == 1 ? " stream, " : " streams, ")
                    + (p.reverse() ? "the server sends (-R)" : "the client sends") + ", "
                    + (p.time() > 0 ? p.time() + " s" : p.bytes() > 0 ? p.bytes() + " bytes" : p.blocks() + " blocks")
                    + (p.omit() > 0 ? " after " + p.omit() + " s omitted" : ""));
            synchronized (this) {
                wanted = p.parallel();
            }
            ctl.write(CREATE_STREAMS);
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(HANDSHAKE_MILLIS);
            AtomicLong budget = new AtomicLong(p.sendBudget());
            for (int i = 0; i < p.parallel(); i++) {
                InetSocket s = arrived.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (s == null) throw new IOException("only " + i + " of " + p.parallel() + " streams connected within " + HANDSHAKE_MILLIS / 1000 + " s");
                streams.add(new Stream(Iperf3Protocol.streamId(i), s, p, budget, number));
            }
            String congestion = configure(p);

            ctl.write(TEST_START);
            CpuTimes cpu0 = CpuTimes.now();
            ctl.write(TEST_RUNNING);
            long start = System.nanoTime();
            for (Stream st : streams) st.start(start);
            // iperf's server_timer_proc: a test the client's clock should have ended long ago is over.
            control.setSoTimeout(p.time() > 0 ? (p.time() + p.omit() + GRACE_SECONDS) * 1000 : 0);
            byte state = Iperf3Protocol.readState(in);
            if (state == CLIENT_TERMINATE) throw new IOException("the client terminated the test");
            if (state != TEST_END) throw new IOException("message " + state + " from the client while the test ran");
            long end = System.nanoTime();
            stopStreams();
            // As iperf at TEST_END: the client may sit in a blocking read of a whole block that will never be
            // finished; our FIN ends it.
            for (Stream st : streams) st.socket.close();
            CpuUse cpu = CpuTimes.now().since(cpu0);
            double seconds = Math.max(0, end - start - TimeUnit.SECONDS.toNanos(p.omit())) / 1e9;
            long total = 0;
            for (Stream st : streams) total += st.counted();
            String summary = String.format("%s: %s %d bytes on %d stream%s in %.3f s, %.2f Gbit/s", who,
                    p.reverse() ? "sent" : "received", total, streams.size(), streams.size() == 1 ? "" : "s", seconds,
                    seconds > 0 ? total * 8 / seconds / 1e9 : 0.0);

            control.setSoTimeout(HANDSHAKE_MILLIS);
            ctl.write(EXCHANGE_RESULTS);
            long theirs = clientBytes(Iperf3Protocol.readJson(in));
            report = NAME + summary + (p.reverse() ? "; the client received " : "; the client sent ") + theirs;
            Iperf3Protocol.writeJson(ctl, results(p, cpu, congestion, seconds, summary));
            ctl.write(DISPLAY_RESULTS);
            state = Iperf3Protocol.readState(in);
            if (state != IPERF_DONE) throw new IOException("message " + state + " from the client instead of IPERF_DONE");
            return true;
        }

        /** The client's options on each stream (iperf sets them on its listener and streams); the congestion control in use. */
        private String configure(TestParams p) throws SocketException {
            String used = null;
            for (Stream st : streams) {
                if (p.window() > 0) {
                    st.socket.setReceiveBufferSize(p.window());
                    st.socket.setSendBufferSize(p.window());
                }
                if (p.noDelay()) st.socket.setTcpNoDelay(true);
                if (p.congestion() != null) {
                    try {
                        st.socket.setOption(InetSocketOptions.TCP_CONGESTION, p.congestion());
                    } catch (SocketException e) {
                        // As iperf on ENOENT: a warning, and the test runs with the default.
                        if (used == null) err.println(NAME + "test " + number + ": congestion control " + p.congestion() + ": " + e.getMessage());
                    }
                }
                used = st.socket.getOption(InetSocketOptions.TCP_CONGESTION);
            }
            return used;
        }

        private void stopStreams() {
            for (Stream st : streams) st.stop();
            for (Stream st : streams) st.join();
        }

        /** What {@code send_results} sends: the server's CPU use and, per stream, the bytes it counted. */
        private ObjectNode results(TestParams p, CpuUse cpu, String congestion, double seconds, String summary) {
            ObjectNode r = JSON.createObjectNode();
            r.put("cpu_util_total", cpu.total());
            r.put("cpu_util_user", cpu.user());
            r.put("cpu_util_system", cpu.system());
            r.put("sender_has_retransmits", p.reverse() ? 1 : -1);
            if (congestion != null) r.put("congestion_used", congestion);
            if (p.serverOutput()) r.put("server_output_text", NAME + summary + "\n");
            ArrayNode a = r.putArray("streams");
            for (Stream st : streams) {
                ObjectNode o = a.addObject();
                o.put("id", st.id);
                o.put("bytes", st.counted());
                o.put("retransmits", p.reverse() ? st.retransmits : -1);
                o.put("jitter", 0);
                o.put("errors", 0);
                o.put("packets", 0);
                o.put("start_time", 0);
                o.put("end_time", seconds);
            }
            return r;
        }
    }

    /** The bytes the client's results say it moved, its streams summed. */
    private static long clientBytes(JsonNode results) {
        long n = 0;
        for (JsonNode s : results.path("streams")) n += s.path("bytes").asLong();
        return n;
    }

    /** An exception as one line: a parser's message goes on with the input's location. */
    private static String describe(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m.lines().findFirst().orElse(m).strip();
    }

    /** One stream of a test and the thread that moves its data. */
    private static final class Stream implements Runnable {
        final int id;
        final InetSocket socket;
        private final boolean sends;
        private final long omitNanos;
        private final AtomicLong budget;
        private final Thread thread;
        private volatile boolean stopped;
        private long start;
        /** Written by the stream's thread, read once it has ended. */
        private long bytes;
        private long omitted = -1;
        long retransmits;

        Stream(int id, InetSocket socket, TestParams p, AtomicLong budget, int test) {
            this.id = id;
            this.socket = socket;
            this.sends = p.reverse();
            this.omitNanos = TimeUnit.SECONDS.toNanos(p.omit());
            this.budget = budget;
            this.thread = new Thread(this, "iperf3-test-" + test + "-stream-" + id);
            thread.setDaemon(true);
        }

        void start(long startNanos) {
            start = startNanos;
            if (omitNanos == 0) omitted = 0;
            thread.start();
        }

        /** The bytes after the omitted start. */
        long counted() { return omitted < 0 ? 0 : bytes - omitted; }

        /**
         * Ends the stream's calls: an interrupted receive still returns what it took, and goes on taking what has
         * arrived until the queue is empty; an interrupted send says how much it queued.
         */
        void stop() {
            stopped = true;
            thread.interrupt();
        }

        void join() { joinUninterruptibly(thread); }

        /** Waits for {@code t} to end, an interrupt meanwhile kept for the caller: the counts are read after it. */
        static void joinUninterruptibly(Thread t) {
            boolean interrupted = false;
            while (t.isAlive()) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) Thread.currentThread().interrupt();
        }

        @Override
        public void run() {
            byte[] buf = new byte[Streams.BUFFER];
            try {
                if (sends) send(buf);
                else receive(buf);
            } catch (IOException e) {
                // The test ended (an interrupt) or the client dropped the stream: the control connection decides.
            }
            if (sends) {
                try {
                    retransmits = socket.getOption(InetSocketOptions.TCP_INFO).totalRetrans();
                } catch (IOException e) {
                    retransmits = 0;
                }
            }
        }

        private void receive(byte[] buf) throws IOException {
            InputStream in = socket.getInputStream();
            try {
                for (int r; (r = in.read(buf)) >= 0; ) {
                    bytes += r;
                    omitCheck();
                }
            } catch (InterruptedIOException e) {
                // Stopped, with nothing more queued.
            }
        }

        private void send(byte[] buf) throws IOException {
            OutputStream o = socket.getOutputStream();
            while (!stopped) {
                int n = (int) claim(buf.length);
                if (n == 0) return;
                try {
                    o.write(buf, 0, n);
                } catch (InterruptedIOException e) {
                    bytes += e.bytesTransferred;
                    return;
                }
                bytes += n;
                omitCheck();
            }
        }

        /** Up to {@code max} bytes of what the test may still send, taken from the streams' shared budget. */
        private long claim(long max) {
            while (true) {
                long left = budget.get();
                long n = Math.min(max, left);
                if (n == 0 || budget.compareAndSet(left, left - n)) return n;
            }
        }

        /** iperf's omit timer resets the counts once {@code -O} seconds have passed. */
        private void omitCheck() {
            if (omitted < 0 && System.nanoTime() - start >= omitNanos) omitted = bytes;
        }
    }

    /** iperf's {@code cpu_util}: the process's user and system time as percentages of the wall-clock time. */
    private record CpuUse(double total, double user, double system) {}

    /**
     * The process's CPU time so far, as iperf takes it from {@code getrusage}: from {@code /proc/self/stat}, in clock
     * ticks of Linux's fixed USER_HZ; zeros where there is no such file.
     */
    private record CpuTimes(long wallNanos, long userTicks, long systemTicks) {
        private static final int USER_HZ = 100;

        static CpuTimes now() {
            long wall = System.nanoTime();
            try {
                String stat = Files.readString(Path.of("/proc/self/stat"), StandardCharsets.US_ASCII);
                // The fields after the command name, which is in parentheses and may hold spaces: utime is field 14.
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                return new CpuTimes(wall, Long.parseLong(f[11]), Long.parseLong(f[12]));
            } catch (IOException | RuntimeException e) {
                return new CpuTimes(wall, 0, 0);
            }
        }

        CpuUse since(CpuTimes t0) {
            double wallSeconds = Math.max(1, wallNanos - t0.wallNanos) / 1e9;
            double user = (userTicks - t0.userTicks) * 100.0 / USER_HZ / wallSeconds;
            double system = (systemTicks - t0.systemTicks) * 100.0 / USER_HZ / wallSeconds;
            return new CpuUse(user + system, user, system);
        }
    }
}
