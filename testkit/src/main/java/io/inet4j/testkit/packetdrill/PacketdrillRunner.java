package io.inet4j.testkit.packetdrill;

import io.inet4j.buffer.PacketBuffer;
import io.inet4j.buffer.PacketBufferPool;
import io.inet4j.hook.HookLink;
import io.inet4j.hook.HookSpec;
import io.inet4j.ipv4.wire.ArpHeader;
import io.inet4j.ipv4.wire.IcmpHeader;
import io.inet4j.ipv4.wire.Ipv4Header;
import io.inet4j.loop.EventLoop;
import io.inet4j.loop.SimulatedEventLoop;
import io.inet4j.netdev.EthernetHeader;
import io.inet4j.netdev.InMemoryLink;
import io.inet4j.netdev.LinkHost;
import io.inet4j.socket.IpProto;
import io.inet4j.socket.SockAddrIn;
import io.inet4j.stack.InetStack;
import io.inet4j.tcp.wire.TcpHeader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Runs a packetdrill script against one fresh inet4j stack on a simulated loop (packetdrill's {@code run.c} and
 * {@code run_packet.c}). The stack is packetdrill's local host, 192.168.0.1/16, and reaches the remote host
 * 192.0.2.1 through the gateway 192.168.0.2, as packetdrill's tun setup does; the runner stands behind an in-memory
 * link as gateway and remote at once, answering ARP itself. Inbound packets are injected at their script time;
 * every packet the stack sends must match the next outbound line within the tolerance, and a packet no line
 * expects fails the run. Sequence and ack numbers are relative, as in packetdrill: the remote's to its ISN
 * (injected as {@link #REMOTE_ISN} plus the script's number), the stack's to the ISN of its SYN or SYN-ACK.
 * Timestamps too are handled as packetdrill does ({@link TsMapping}): the stack's TS val is not compared unless the
 * script sets {@code --tcp_ts_tick_usecs}, an inbound {@code ecr} names the script TS val of an outbound packet
 * and is sent as the live one; unlike packetdrill, an outbound {@code ecr} is compared, with the peer's TS vals
 * as the script wrote them (they are injected unchanged). Backquoted {@code sysctl} writes set the stack's
 * sysctl table; one the table refuses fails the script.
 */
public final class PacketdrillRunner {
    /** packetdrill's default {@code --tolerance_usecs}. */
    public static final int DEFAULT_TOLERANCE_USECS = 4000;
    /** Where script sequence number 0 of the remote host lands on the wire, so relative numbering is exercised. */
    static final int REMOTE_ISN = 1_000_000;
    private static final String LOCAL = "192.168.0.1";
    private static final String REMOTE = "192.0.2.1";
    /** The router towards {@link #REMOTE}: where ICMP errors come from. */
    private static final String GATEWAY = "192.168.0.2";
    private static final long PEER_MAC = 0x02_00_00_00_00_02L;
    /** The script's time 0 comes after the stack's own start-up chatter (gratuitous ARP). */
    private static final long SETTLE_NANOS = 1_000_000L;
    /** How long {@code *} waits for an outbound packet. */
    private static final long ANY_TIME_USECS = 600_000_000L;

    /** What a runner does to each script's stack before the script starts (attach hooks, say). */
    @FunctionalInterface
    public interface StackSetup {
        void setUp(InetStack stack) throws IOException;
    }

    private final int toleranceUsecs;
    private final StackSetup setup;

    /** A runner with {@code toleranceUsecs} of slack on timings; a script's own {@code --tolerance_usecs} may widen it. */
    public PacketdrillRunner(int toleranceUsecs) { this(toleranceUsecs, stack -> {}); }

    /** A runner that hands each script's new stack to {@code setup} before the script runs. */
    public PacketdrillRunner(int toleranceUsecs, StackSetup setup) {
        this.toleranceUsecs = toleranceUsecs;
        this.setup = setup;
    }

    /** Reads and runs a script file. */
    public ScriptResult run(Path file) throws IOException {
        return run(ScriptParser.parse(file.toString(), Files.readString(file, StandardCharsets.UTF_8)));
    }

    /** Runs a parsed script on a new stack; what the setup throws comes out as UncheckedIOException. */
    public ScriptResult run(Script script) {
        try (Run r = new Run(Math.max(toleranceUsecs, script.toleranceUsecs()), setup)) {
            return r.execute(script);
        }
    }

    /** The hosts' addresses and the ports packets use, learned as the script runs (packetdrill's socket tuple). */
    static final class Addresses {
        final int local = SockAddrIn.parseAddress(LOCAL);
        final int remote = SockAddrIn.parseAddress(REMOTE);
        /** packetdrill's {@code --bind_port} and {@code --connect_port}. */
        final int bindPort = 8080;
        final int connectPort = 8080;
        int localPort = bindPort;
        int remotePort = 40000;
    }

    /** A TCP segment the stack sent, as seen on the wire. */
    private record Sent(int flags, int seq, int ack, int window, int urgent, int length, byte[] options, int ecn,
                        long atUsecs) {}

    static String seconds(long usecs) { return String.format("%.6f", usecs / 1e6); }

    /** One script against one stack. */
    private static final class Run implements AutoCloseable {
        private final SimulatedEventLoop loop = new SimulatedEventLoop();
        private final PacketBufferPool pool = PacketBufferPool.standard();
        private final ArrayDeque<Sent> sent = new ArrayDeque<>();
        private final Addresses addrs = new Addresses();
        private final int tol;
        private final InetStack stack;
        private final LinkHost wireToStack;
        private final long stackMac;
        private final long startNanos;
        private final Syscalls sys;
        private int localIsn;
        private final TsMapping ts = new TsMapping();
        private int tsTickUsecs;
        private boolean tsEcrScaled;
        private long lastStartUsecs;
        /** Hooks the script attached, by scope, attach type and name. */
        private final Map<String, HookLink> hooks = new HashMap<>();

        Run(int tol, StackSetup setup) {
            this.tol = tol;
            InMemoryLink[] wire = InMemoryLink.pair("tun0", "peer", 1500);
            wire[1].start(host(this::fromStack));
            stack = InetStack.builder().name("packetdrill").seed(7).loop(loop).link(wire[0], LOCAL + "/16")
                    .route("192.0.2.0/24", GATEWAY).build();
            try {
                setup.setUp(stack);
            } catch (IOException e) {
                stack.close();
                throw new java.io.UncheckedIOException(e);
            } catch (RuntimeException e) {
                stack.close();
                throw e;
            }
            stackMac = stack.device("tun0").mac().bits();
            wireToStack = host(f -> stack.device("tun0").receive(f));
            loop.runFor(SETTLE_NANOS);
            sent.clear();
            startNanos = loop.clock().nanoTime();
            sys = new Syscalls(stack, this::nowUsecs, addrs, tol);
        }

        private LinkHost host(Consumer<PacketBuffer> receiver) {
            return new LinkHost() {
                @Override public void receive(PacketBuffer frame) { receiver.accept(frame); }
                @Override public PacketBufferPool pool() { return pool; }
                @Override public EventLoop loop() { return loop; }
            };
        }

        long nowUsecs() { return (loop.clock().nanoTime() - startNanos) / 1000; }

        private long live(long usecs) { return startNanos + usecs * 1000; }

        ScriptResult execute(Script script) {
            tsTickUsecs = script.tsTickUsecs();
            tsEcrScaled = script.tsEcrScaled();
            List<String> skipped = new ArrayList<>();
            int line = 0;
            try {
                for (Event e : script.events()) {
                    line = e.line();
                    if (e instanceof Event.Skipped s) {
                        skipped.add(skip(s.line(), s.reason(), s.text()));
                    } else if (e instanceof Event.Packet p) {
                        packet(p);
                    } else if (e instanceof Event.Hook h) {
                        hook(h);
                    } else if (e instanceof Event.Sysctl c) {
                        sysctl(c);
                    } else if (e instanceof Event.Icmp i) {
                        advanceTo(i.line(), times(i.timing())[0]);
                        injectIcmp(i);
                    } else if (e instanceof Event.Syscall c) {
                        try {
                            syscall(c);
                        } catch (UnsupportedOperationException u) {
                            skipped.add(skip(c.line(), u.getMessage(), c.text()));
                        }
                    }
                }
                Event.Syscall blocked = sys.pending();
                if (blocked != null) {
                    line = blocked.line();
                    runTo(live(sys.pendingLatestUsecs()));
                    if (sys.pending() != null) {
                        throw new ScriptFailure(blocked.line(), blocked.name() + " still blocked at "
                                + seconds(nowUsecs()) + " s, expected it to return by " + seconds(sys.pendingLatestUsecs()) + " s");
                    }
                }
            } catch (ScriptFailure f) {
                return failed(script, f.getMessage(), skipped);
            } catch (RuntimeException bug) {
                // A stack (or runner) bug must still name the line and let the other scripts run.
                return failed(script, "line " + line + ": " + bug, skipped);
            }
            return new ScriptResult(script.name(), skipped.isEmpty() ? ScriptResult.Status.PASS : ScriptResult.Status.SKIP,
                    skipped, nowUsecs());
        }

        /** bpftool cgroup attach / detach: the hook of that name, found on the class path, from now on. */
        private void hook(Event.Hook h) {
            HookSpec spec = HookSpec.parse(h.spec());
            String key = spec.scope() + " " + spec.type().name() + " " + spec.name();
            try {
                if (h.attach()) {
                    hooks.put(key, spec.attach(stack.hooks(), PacketdrillRunner.class.getClassLoader()));
                } else {
                    HookLink link = hooks.remove(key);
                    if (link == null) throw new ScriptFailure(h.line(), "nothing attached as " + key + " to detach");
                    link.close();
                }
            } catch (io.inet4j.socket.ErrnoException | IllegalArgumentException e) {
                throw new ScriptFailure(h.line(), h.text() + ": " + e.getMessage());
            }
        }

        /** {@code sysctl -q NAME=VALUE}: written to the stack's table, as the shell writes the kernel's. */
        private void sysctl(Event.Sysctl c) {
            for (Map.Entry<String, String> w : c.settings()) {
                try {
                    stack.net().sysctls().set(w.getKey(), w.getValue());
                } catch (io.inet4j.sysctl.SysctlException e) {
                    throw new ScriptFailure(c.line(), "sysctl " + w.getKey() + "=" + w.getValue() + " refused ("
                            + e.errno() + "): " + e.getMessage());
                }
            }
        }

        private ScriptResult failed(Script script, String message, List<String> skipped) {
            List<String> m = new ArrayList<>();
            m.add(message);
            m.addAll(skipped);
            return new ScriptResult(script.name(), ScriptResult.Status.FAIL, m, nowUsecs());
        }

        private static String skip(int line, String reason, String text) {
            return "line " + line + ": skipped (" + reason + "): " + text;
        }

        /** Start (and end) of an event in script time: packetdrill's {@code adjust_relative_event_times}. */
        private long[] times(Timing t) {
            long offset = t.type() == Timing.Type.ANY ? nowUsecs() : t.relative() ? lastStartUsecs : 0;
            long start = t.usecs() + offset;
            long end = t.range() ? t.endUsecs() + offset : start;
            lastStartUsecs = start;
            return new long[] {start, end};
        }

        private void packet(Event.Packet p) {
            long[] t = times(p.timing());
            if (p.inbound()) {
                advanceTo(p.line(), t[0]);
                inject(p);
                return;
            }
            long latest = p.timing().type() == Timing.Type.ANY ? t[0] + ANY_TIME_USECS : t[1] + tol;
            while (sent.isEmpty()) {
                runTo(live(latest));
                if (sent.isEmpty() && nowUsecs() >= latest) {
                    throw new ScriptFailure(p.line(), "expected " + p.text().substring(p.text().indexOf('>'))
                            + " by " + seconds(latest) + " s, the stack sent nothing");
                }
            }
            Sent s = sent.poll();
            if (p.timing().type() != Timing.Type.ANY && s.atUsecs() < t[0] - tol) {
                throw new ScriptFailure(p.line(), "outbound packet sent at " + seconds(s.atUsecs()) + " s, expected at "
                        + seconds(t[0]) + " s (tolerance " + tol + " us): " + render(s));
            }
            if ((p.flags() & TcpHeader.SYN) != 0 && (s.flags() & TcpHeader.SYN) != 0) {
                localIsn = s.seq() - p.seq();
                ts.reset();
            }
            List<String> diff = new ArrayList<>();
            if (s.flags() != p.flags()) diff.add("flags " + flags(p.flags()) + " != " + flags(s.flags()));
            if (s.seq() - localIsn != p.seq()) diff.add("seq " + Integer.toUnsignedString(p.seq()) + " != " + Integer.toUnsignedString(s.seq() - localIsn));
            if (s.length() != p.length()) diff.add("length " + p.length() + " != " + s.length());
            if ((p.flags() & TcpHeader.ACK) != 0 && s.ack() - REMOTE_ISN != p.ack()) {
                diff.add("ack " + Integer.toUnsignedString(p.ack()) + " != " + Integer.toUnsignedString(s.ack() - REMOTE_ISN));
            }
            if (p.window() >= 0 && s.window() != p.window()) diff.add("win " + p.window() + " != " + s.window());
            if (p.urgent() >= 0 && s.urgent() != p.urgent()) diff.add("urg " + p.urgent() + " != " + s.urgent());
            if (p.ecn() == Event.Packet.ECN_ECT01 ? s.ecn() != 1 && s.ecn() != 2 : p.ecn() >= 0 && s.ecn() != p.ecn()) {
                diff.add("ecn " + ECN_NAMES[p.ecn()] + " != " + ECN_NAMES[s.ecn()]);
            }
            if (p.options() != null) {
                byte[] live = TcpOptionList.offsetSack(s.options(), -REMOTE_ISN);
                String sentOpts = TcpOptionList.render(scriptSpaceOptions(p.options(), live));
                if (!TcpOptionList.render(p.options()).equals(sentOpts)) {
                    diff.add("options " + TcpOptionList.render(p.options()) + " != " + sentOpts);
                }
            }
            if (!diff.isEmpty()) {
                throw new ScriptFailure(p.line(), "expected " + p.text().substring(p.text().indexOf('>')) + ", the stack sent "
                        + render(s) + " at " + seconds(s.atUsecs()) + " s (" + String.join(", ", diff) + ")");
            }
            // adjust_relative_event_times: after a packet allowed a range, later relative times count from when
            // it really went.
            if (p.timing().range()) lastStartUsecs = s.atUsecs();
        }

        /**
         * The stack's options with its TS val in script space (packetdrill's {@code map_outbound_live_packet}),
         * learning the script-to-live pair for later inbound ecrs. The value is the script's own unless
         * {@code --tcp_ts_tick_usecs} is set and the two differ by more than the tolerance
         * ({@code verify_outbound_tcp_option}); the ecr is left as sent, so it is compared.
         */
        private byte[] scriptSpaceOptions(byte[] script, byte[] live) {
            int at = TcpOptionList.timestamp(live);
            int sat = TcpOptionList.timestamp(script);
            if (at < 0 || sat < 0) return live;
            long scriptVal = TcpOptionList.tsVal(script, sat);
            long mapped = ts.outbound(scriptVal, TcpOptionList.tsVal(live, at));
            boolean close = tsTickUsecs == 0 || Math.abs((long) (int) (mapped - scriptVal)) * tsTickUsecs <= tol;
            byte[] o = live.clone();
            TcpOptionList.setTsVal(o, at, close ? scriptVal : mapped);
            return o;
        }

        private void syscall(Event.Syscall c) {
            long[] t = times(c.timing());
            advanceTo(c.line(), t[0]);
            long end = c.timing().blockingEndUsecs();
            long expect = end == Timing.NON_BLOCKING ? t[0] : end + (c.timing().relative() ? t[0] - c.timing().usecs() : 0);
            sys.run(c, expect);
        }

        /** Runs the stack to script time {@code usecs}; a packet sent meanwhile was not expected by any line. */
        private void advanceTo(int line, long usecs) {
            runTo(live(usecs));
            if (!sent.isEmpty()) {
                Sent s = sent.peek();
                throw new ScriptFailure(line, "the stack sent " + render(s) + " at " + seconds(s.atUsecs())
                        + " s, but the script expects no packet before this line");
            }
        }

        /** Runs the loop until {@code deadline} or a packet, retrying a blocked call as the stack moves. */
        private void runTo(long deadline) {
            for (;;) {
                long until = Math.min(deadline, sys.pendingDeadlineNanos());
                loop.runUntil(until, () -> {
                    sys.retry();
                    return !sent.isEmpty();
                });
                sys.retry();
                if (!sent.isEmpty() || loop.clock().nanoTime() >= deadline) return;
            }
        }

        private void fromStack(PacketBuffer f) {
            try {
                int at = f.data();
                int type = EthernetHeader.etherType(f, at);
                if (type == EthernetHeader.ETH_P_ARP) {
                    int arp = at + EthernetHeader.LENGTH;
                    if (ArpHeader.oper(f, arp) == ArpHeader.OP_REQUEST && ArpHeader.targetIp(f, arp) != addrs.local) {
                        arpReply(ArpHeader.targetIp(f, arp));
                    }
                    return;
                }
                int ip = at + EthernetHeader.LENGTH;
                if (type != EthernetHeader.ETH_P_IP || Ipv4Header.protocol(f, ip) != IpProto.IPPROTO_TCP) return;
                int th = ip + Ipv4Header.headerLength(f, ip);
                int hl = TcpHeader.headerLength(f, th);
                byte[] opts = new byte[hl - TcpHeader.MIN_LENGTH];
                f.read(th + TcpHeader.MIN_LENGTH, opts, 0, opts.length);
                sent.add(new Sent(TcpHeader.flags(f, th), TcpHeader.seq(f, th), TcpHeader.ackSeq(f, th),
                        TcpHeader.window(f, th), TcpHeader.urgentPointer(f, th), Ipv4Header.totalLength(f, ip) - Ipv4Header.headerLength(f, ip) - hl,
                        opts, Ipv4Header.tos(f, ip) & 3, nowUsecs()));
                if ((TcpHeader.flags(f, th) & (TcpHeader.SYN | TcpHeader.ACK)) == TcpHeader.SYN) {
                    addrs.localPort = TcpHeader.sourcePort(f, th);
                    addrs.remotePort = TcpHeader.destPort(f, th);
                }
            } finally {
                f.release();
            }
        }

        private void arpReply(int ipAddr) {
            PacketBuffer b = pool.allocate(ArpHeader.LENGTH);
            ArpHeader.write(b, b.put(ArpHeader.LENGTH), ArpHeader.OP_REPLY, PEER_MAC, ipAddr, stackMac, addrs.local);
            EthernetHeader.push(b, stackMac, PEER_MAC, EthernetHeader.ETH_P_ARP);
            loop.execute(() -> wireToStack.receive(b));
        }

        private void inject(Event.Packet p) {
            byte[] opts = TcpOptionList.offsetSack(p.options(), localIsn);
            int tsAt = TcpOptionList.timestamp(opts);
            if ((p.flags() & TcpHeader.ACK) != 0 && tsAt >= 0) {
                long scriptEcr = TcpOptionList.tsEcr(opts, tsAt);
                long liveEcr = ts.inboundEcr(scriptEcr, tsEcrScaled);
                if (liveEcr < 0) {
                    throw new ScriptFailure(p.line(), "unable to infer live TS ecr for script TS ecr " + scriptEcr
                            + "; no matching or preceding outbound TS val");
                }
                TcpOptionList.setTsEcr(opts, tsAt, liveEcr);
            }
            int optLen = (opts.length + 3) & ~3;
            PacketBuffer b = pool.allocate(p.length());
            if (p.length() > 0) b.write(b.put(p.length()), new byte[p.length()], 0, p.length());
            int hl = TcpHeader.MIN_LENGTH + optLen;
            int th = b.push(hl);
            int ack = (p.flags() & TcpHeader.ACK) != 0 ? p.ack() + localIsn : 0;
            TcpHeader.write(b, th, addrs.remotePort, addrs.localPort, p.seq() + REMOTE_ISN, ack, hl, p.flags(),
                    p.window() < 0 ? 65535 : p.window(), Math.max(p.urgent(), 0));
            for (int i = 0; i < optLen; i++) b.setByte(th + TcpHeader.MIN_LENGTH + i, i < opts.length ? opts[i] : 0);
            TcpHeader.updateChecksum(b, th, b.length(), addrs.remote, addrs.local);
            int ip = b.push(Ipv4Header.MIN_LENGTH);
            Ipv4Header.write(b, ip, Math.max(p.ecn(), 0), b.length(), 1, 0, 64, IpProto.IPPROTO_TCP, addrs.remote,
                    addrs.local);
            EthernetHeader.push(b, stackMac, PEER_MAC, EthernetHeader.ETH_P_IP);
            wireToStack.receive(b);
            loop.runPending();
            sys.retry();
        }

        /**
         * An ICMP error from the gateway ({@link #GATEWAY}) quoting the IPv4 header and first 8 TCP bytes of the
         * stack's segment {@code [seq:end(len)]} (relative to the stack's ISN), as a router on the path sends it.
         */
        private void injectIcmp(Event.Icmp e) {
            int len = IcmpHeader.LENGTH + Ipv4Header.MIN_LENGTH + 8;
            PacketBuffer b = pool.allocate(len);
            int at = b.put(len);
            IcmpHeader.setType(b, at, e.type());
            IcmpHeader.setCode(b, at, e.code());
            IcmpHeader.setRest(b, at, e.mtu());
            int inner = at + IcmpHeader.LENGTH;
            Ipv4Header.write(b, inner, 0, Ipv4Header.MIN_LENGTH + TcpHeader.MIN_LENGTH + e.length(), 1,
                    Ipv4Header.FLAG_DF, 63, IpProto.IPPROTO_TCP, addrs.local, addrs.remote);
            int th = inner + Ipv4Header.MIN_LENGTH;
            b.setShort(th, addrs.localPort);
            b.setShort(th + 2, addrs.remotePort);
            b.setInt(th + 4, e.seq() + localIsn);
            IcmpHeader.updateChecksum(b, at, len);
            int ip = b.push(Ipv4Header.MIN_LENGTH);
            Ipv4Header.write(b, ip, 0, b.length(), 1, 0, 64, IpProto.IPPROTO_ICMP, SockAddrIn.parseAddress(GATEWAY),
                    addrs.local);
            EthernetHeader.push(b, stackMac, PEER_MAC, EthernetHeader.ETH_P_IP);
            wireToStack.receive(b);
            loop.runPending();
            sys.retry();
        }

        /** A sent segment in script syntax with script-relative numbers. */
        private String render(Sent s) {
            long seq = Integer.toUnsignedLong(s.seq() - localIsn);
            StringBuilder b = new StringBuilder("> ");
            if (s.ecn() != 0) b.append('[').append(ECN_NAMES[s.ecn()]).append("] ");
            b.append(flags(s.flags())).append(' ')
                    .append(seq).append(':').append(seq + s.length()).append('(').append(s.length()).append(')');
            if ((s.flags() & TcpHeader.ACK) != 0) b.append(" ack ").append(Integer.toUnsignedString(s.ack() - REMOTE_ISN));
            b.append(" win ").append(s.window());
            if ((s.flags() & TcpHeader.URG) != 0) b.append(" urg ").append(s.urgent());
            return b.append(' ').append(TcpOptionList.render(TcpOptionList.offsetSack(s.options(), -REMOTE_ISN))).toString();
        }

        /** Script names of the ECN field's values, and of {@link Event.Packet#ECN_ECT01}. */
        private static final String[] ECN_NAMES = {"noecn", "ect1", "ect0", "ce", "ect01"};

        private static String flags(int f) {
            StringBuilder b = new StringBuilder();
            if ((f & TcpHeader.SYN) != 0) b.append('S');
            if ((f & TcpHeader.FIN) != 0) b.append('F');
            if ((f & TcpHeader.RST) != 0) b.append('R');
            if ((f & TcpHeader.PSH) != 0) b.append('P');
            if ((f & TcpHeader.URG) != 0) b.append('U');
            if ((f & TcpHeader.ECE) != 0) b.append('E');
            if ((f & TcpHeader.CWR) != 0) b.append('W');
            if ((f & TcpHeader.ACK) != 0) b.append('.');
            return b.isEmpty() ? "-" : b.toString();
        }

        @Override
        public void close() {
            stack.close();
            loop.runPending();
        }
    }
}
