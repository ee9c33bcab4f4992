package io.inet4j.testkit.packetdrill;

import io.inet4j.ipv4.af.InetStreamOps;
import io.inet4j.socket.Errno;
import io.inet4j.socket.ErrnoException;
import io.inet4j.socket.IpProto;
import io.inet4j.socket.MsgFlags;
import io.inet4j.socket.MsgHdr;
import io.inet4j.socket.PollEvents;
import io.inet4j.socket.SockAddrIn;
import io.inet4j.socket.SockIoctl;
import io.inet4j.socket.SockOpt;
import io.inet4j.socket.SockType;
import io.inet4j.socket.Socket;
import io.inet4j.socket.TcpInfo;
import io.inet4j.stack.InetStack;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * The system call lines of a script against the stack's socket layer (packetdrill's {@code run_system_call.c}):
 * a file descriptor table numbered like Linux's (lowest free, from 3), each call made on the simulated loop with
 * {@code MSG_DONTWAIT}, and blocking emulated: a call on a blocking socket that would sleep stays pending while
 * later packet lines run, is retried as the stack makes progress, and must return at the time the script gives.
 */
final class Syscalls {
    private static final int WOULD_BLOCK = Integer.MIN_VALUE;
    private static final int O_RDWR = 2;
    private static final int F_GETFL = 3;
    private static final int F_SETFL = 4;
    private static final Map<String, Integer> LEVELS = Map.of("SOL_SOCKET", SockOpt.SOL_SOCKET,
            "IPPROTO_TCP", SockOpt.SOL_TCP, "SOL_TCP", SockOpt.SOL_TCP, "IPPROTO_IP", SockOpt.SOL_IP, "SOL_IP", SockOpt.SOL_IP);
    private static final Map<String, Integer> OPTIONS = Map.ofEntries(
            Map.entry("SO_REUSEADDR", SockOpt.SO_REUSEADDR), Map.entry("SO_REUSEPORT", SockOpt.SO_REUSEPORT),
            Map.entry("SO_KEEPALIVE", SockOpt.SO_KEEPALIVE), Map.entry("SO_SNDBUF", SockOpt.SO_SNDBUF),
            Map.entry("SO_RCVBUF", SockOpt.SO_RCVBUF), Map.entry("SO_LINGER", SockOpt.SO_LINGER),
            Map.entry("SO_ERROR", SockOpt.SO_ERROR), Map.entry("SO_TYPE", SockOpt.SO_TYPE),
            Map.entry("SO_BROADCAST", SockOpt.SO_BROADCAST), Map.entry("SO_OOBINLINE", SockOpt.SO_OOBINLINE), Map.entry("TCP_NODELAY", SockOpt.TCP_NODELAY),
            Map.entry("TCP_MAXSEG", SockOpt.TCP_MAXSEG), Map.entry("TCP_KEEPIDLE", SockOpt.TCP_KEEPIDLE),
            Map.entry("TCP_KEEPINTVL", SockOpt.TCP_KEEPINTVL), Map.entry("TCP_KEEPCNT", SockOpt.TCP_KEEPCNT),
            Map.entry("TCP_SYNCNT", SockOpt.TCP_SYNCNT), Map.entry("TCP_INFO", SockOpt.TCP_INFO), Map.entry("TCP_USER_TIMEOUT", SockOpt.TCP_USER_TIMEOUT), Map.entry("TCP_QUICKACK", SockOpt.TCP_QUICKACK), Map.entry("TCP_CORK", SockOpt.TCP_CORK), Map.entry("TCP_DEFER_ACCEPT", SockOpt.TCP_DEFER_ACCEPT), Map.entry("TCP_NOTSENT_LOWAT", SockOpt.TCP_NOTSENT_LOWAT), Map.entry("TCP_LINGER2", SockOpt.TCP_LINGER2), Map.entry("IP_TOS", SockOpt.IP_TOS),
            Map.entry("IP_TTL", SockOpt.IP_TTL));
    /** Names packetdrill scripts use for {@code tcpi_state} and {@code tcpi_ca_state} values. */
    private static final Map<String, Integer> TCP_INFO_WORDS = Map.ofEntries(
            Map.entry("TCP_ESTABLISHED", 1), Map.entry("TCP_SYN_SENT", 2), Map.entry("TCP_SYN_RECV", 3),
            Map.entry("TCP_FIN_WAIT1", 4), Map.entry("TCP_FIN_WAIT2", 5), Map.entry("TCP_TIME_WAIT", 6),
            Map.entry("TCP_CLOSE", 7), Map.entry("TCP_CLOSE_WAIT", 8), Map.entry("TCP_LAST_ACK", 9),
            Map.entry("TCP_LISTEN", 10), Map.entry("TCP_CLOSING", 11), Map.entry("TCP_CA_Open", 0),
            Map.entry("TCP_CA_Disorder", 1), Map.entry("TCP_CA_CWR", 2), Map.entry("TCP_CA_Recovery", 3),
            Map.entry("TCP_CA_Loss", 4));
    private static final Map<String, Integer> WORDS = Map.ofEntries(
            Map.entry("O_RDWR", O_RDWR), Map.entry("O_NONBLOCK", MsgFlags.O_NONBLOCK), Map.entry("F_GETFL", F_GETFL),
            Map.entry("F_SETFL", F_SETFL), Map.entry("SHUT_RD", 0), Map.entry("SHUT_WR", 1), Map.entry("SHUT_RDWR", 2),
            Map.entry("POLLIN", PollEvents.POLLIN), Map.entry("POLLOUT", PollEvents.POLLOUT),
            Map.entry("POLLPRI", PollEvents.POLLPRI), Map.entry("POLLERR", PollEvents.POLLERR),
            Map.entry("POLLHUP", PollEvents.POLLHUP), Map.entry("POLLRDNORM", PollEvents.POLLRDNORM),
            Map.entry("POLLWRNORM", PollEvents.POLLWRNORM), Map.entry("POLLRDHUP", PollEvents.POLLRDHUP),
            Map.entry("MSG_DONTWAIT", MsgFlags.MSG_DONTWAIT), Map.entry("MSG_PEEK", MsgFlags.MSG_PEEK),
            Map.entry("MSG_WAITALL", MsgFlags.MSG_WAITALL), Map.entry("MSG_NOSIGNAL", MsgFlags.MSG_NOSIGNAL),
            Map.entry("MSG_OOB", MsgFlags.MSG_OOB));

    /** The calls whose first argument is a file descriptor: EBADF when it is not an open socket. */
    private static final Set<String> FD_CALLS = Set.of("bind", "listen", "accept", "connect", "read", "recv",
            "recvfrom", "write", "send", "sendto", "close", "shutdown", "setsockopt", "getsockopt", "fcntl");

    /** A call that can sleep: retried until it returns something other than {@link #WOULD_BLOCK}. */
    private interface Call {
        int attempt();
    }

    /** The blocking call in progress (packetdrill allows one at a time). */
    private record Pending(Event.Syscall ev, long expectUsecs, Call call, long deadlineNanos) {}

    private final InetStack stack;
    private final LongSupplier nowUsecs;
    private final PacketdrillRunner.Addresses addrs;
    private final int tolUsecs;
    private final Map<Integer, Socket> fds = new TreeMap<>();
    private Pending pending;

    Syscalls(InetStack stack, LongSupplier nowUsecs, PacketdrillRunner.Addresses addrs, int tolUsecs) {
        this.stack = stack;
        this.nowUsecs = nowUsecs;
        this.addrs = addrs;
        this.tolUsecs = tolUsecs;
    }

    /**
     * Makes the call at the current time; it returns at once and is checked, or stays pending. Throws
     * {@link UnsupportedOperationException} for a call or argument this runner does not know.
     */
    void run(Event.Syscall ev, long expectUsecs) {
        if (pending != null) {
            throw new ScriptFailure(ev.line(), "a system call while line " + pending.ev().line()
                    + " (" + pending.ev().name() + ") is still blocked");
        }
        Call c = prepare(ev);
        int r = c.attempt();
        if (r == WOULD_BLOCK) {
            long deadline = Long.MAX_VALUE;
            if (ev.name().equals("poll")) {
                long ms = number(ev, 2);
                if (ms > 0) deadline = stack.loop().clock().nanoTime() + ms * 1_000_000L;
            }
            pending = new Pending(ev, expectUsecs, c, deadline);
        } else {
            finish(ev, expectUsecs, r);
        }
    }

    /** Retries the pending call, if any; checks it when it returned. */
    void retry() {
        if (pending == null) return;
        int r = pending.call().attempt();
        if (r == WOULD_BLOCK) return;
        Pending p = pending;
        pending = null;
        finish(p.ev(), p.expectUsecs(), r);
    }

    /** When a pending poll times out, else {@link Long#MAX_VALUE}. */
    long pendingDeadlineNanos() { return pending == null ? Long.MAX_VALUE : pending.deadlineNanos(); }

    /** The pending call, or null. */
    Event.Syscall pending() { return pending == null ? null : pending.ev(); }

    /** The script time by which the pending call must have returned. */
    long pendingLatestUsecs() { return pending.expectUsecs() + tolUsecs; }

    private void finish(Event.Syscall ev, long expectUsecs, int r) {
        long now = nowUsecs.getAsLong();
        String got = r >= 0 ? Integer.toString(r) : "-1 " + errno(-r);
        String want = ev.result() + (ev.errno() == null ? "" : " " + ev.errno());
        if (ev.errno() != null ? r >= 0 || !Errno.of(-r).name().equals(ev.errno()) : r != ev.result()) {
            throw new ScriptFailure(ev.line(), ev.name() + " returned " + got + ", expected " + want);
        }
        if (Math.abs(now - expectUsecs) > tolUsecs) {
            throw new ScriptFailure(ev.line(), ev.name() + " returned at " + PacketdrillRunner.seconds(now) + " s, expected at "
                    + PacketdrillRunner.seconds(expectUsecs) + " s (tolerance " + tolUsecs + " us)");
        }
    }

    private static String errno(int n) {
        Errno e = Errno.of(n);
        return e == null ? "errno " + n : e.name() + " (" + e.message() + ")";
    }

    private Call prepare(Event.Syscall ev) {
        List<String> a = ev.args();
        if (FD_CALLS.contains(ev.name()) && !fds.containsKey((int) number(ev, 0))) return () -> Errno.EBADF.neg();
        return switch (ev.name()) {
            case "socket" -> socket(ev);
            case "bind" -> {
                Socket s = fd(ev);
                addrs.localPort = addrs.bindPort;
                yield () -> s.ops.bind(s, new SockAddrIn(addrs.local, addrs.bindPort));
            }
            case "listen" -> {
                Socket s = fd(ev);
                int backlog = (int) number(ev, 1);
                yield () -> s.ops.listen(s, backlog);
            }
            case "accept" -> accept(ev);
            case "connect" -> connect(ev);
            case "read", "recv", "recvfrom" -> read(ev, a.size() > 3 ? (int) number(ev, 3) : 0);
            case "write", "send", "sendto" -> write(ev, a.size() > 3 ? (int) number(ev, 3) : 0);
            case "close" -> {
                int fd = (int) number(ev, 0);
                Socket s = fd(ev);
                yield () -> {
                    fds.remove(fd);
                    return s.ops.release(s);
                };
            }
            case "shutdown" -> {
                Socket s = fd(ev);
                int how = (int) number(ev, 1);
                yield () -> s.ops.shutdown(s, how);
            }
            case "setsockopt" -> setsockopt(ev);
            case "getsockopt" -> getsockopt(ev);
            case "fcntl" -> fcntl(ev);
            case "poll" -> poll(ev);
            case "ioctl" -> ioctl(ev);
            default -> throw new UnsupportedOperationException("system call " + ev.name() + " not supported");
        };
    }

    private Call socket(Event.Syscall ev) {
        if (!ev.args().get(1).equals("SOCK_STREAM") || !List.of("IPPROTO_TCP", "0").contains(ev.args().get(2))) {
            throw new UnsupportedOperationException("only socket(..., SOCK_STREAM, IPPROTO_TCP) is supported");
        }
        return () -> {
            try {
                return install(stack.socket(SockType.SOCK_STREAM, IpProto.IPPROTO_TCP).socket());
            } catch (ErrnoException e) {
                return e.errno().neg();
            }
        };
    }

    private int install(Socket s) {
        int fd = 3;
        while (fds.containsKey(fd)) fd++;
        fds.put(fd, s);
        return fd;
    }

    private Call accept(Event.Syscall ev) {
        Socket l = fd(ev);
        Socket n = new Socket(SockType.SOCK_STREAM);
        return blocking(l, () -> {
            int r = l.ops.accept(l, n, 0);
            return r == 0 ? install(n) : r;
        });
    }

    private Call connect(Event.Syscall ev) {
        Socket s = fd(ev);
        SockAddrIn to = new SockAddrIn(addrs.remote, addrs.connectPort);
        boolean[] started = {false};
        return () -> {
            if (!started[0]) {
                started[0] = true;
                int r = s.ops.connect(s, to, 0);
                return r == Errno.EINPROGRESS.neg() && !s.nonBlocking ? WOULD_BLOCK : r;
            }
            return InetStreamOps.connecting(s) ? WOULD_BLOCK : s.ops.connect(s, to, 0);
        };
    }

    private Call read(Event.Syscall ev, int flags) {
        Socket s = fd(ev);
        int len = (int) number(ev, 2);
        return blocking(s, flags, () -> s.ops.recvmsg(s, new MsgHdr(ByteBuffer.allocate(len), null), flags | MsgFlags.MSG_DONTWAIT));
    }

    /** A blocking write returns when all of it is queued (or an error ends it), as Linux's tcp_sendmsg does. */
    private Call write(Event.Syscall ev, int flags) {
        Socket s = fd(ev);
        int len = (int) number(ev, 2);
        boolean wait = (flags & MsgFlags.MSG_DONTWAIT) == 0;
        int[] sent = {0};
        return () -> {
            int r = s.ops.sendmsg(s, new MsgHdr(ByteBuffer.allocate(len - sent[0]), null), flags | MsgFlags.MSG_DONTWAIT);
            if (r > 0) sent[0] += r;
            if (sent[0] == len) return len;
            if (r >= 0 || r == Errno.EAGAIN.neg()) {
                if (wait && !s.nonBlocking) return WOULD_BLOCK;
                return sent[0] > 0 ? sent[0] : Errno.EAGAIN.neg();
            }
            return sent[0] > 0 ? sent[0] : r;
        };
    }

    private Call blocking(Socket s, Call c) { return blocking(s, 0, c); }

    private Call blocking(Socket s, int flags, Call c) {
        boolean dontWait = (flags & MsgFlags.MSG_DONTWAIT) != 0;
        return () -> {
            int r = c.attempt();
            return r == Errno.EAGAIN.neg() && !s.nonBlocking && !dontWait ? WOULD_BLOCK : r;
        };
    }

    private Call setsockopt(Event.Syscall ev) {
        Socket s = fd(ev);
        int[] opt = option(ev);
        int value = optionValue(ev, ev.args().get(3));
        return () -> s.ops.setsockopt(s, opt[0], opt[1], value);
    }

    private Call getsockopt(Event.Syscall ev) {
        Socket s = fd(ev);
        int[] opt = option(ev);
        if (opt[1] == SockOpt.TCP_INFO && opt[0] == SockOpt.SOL_TCP) return tcpInfo(ev, s);
        int expected = optionValue(ev, ev.args().get(3));
        return () -> {
            int[] v = new int[1];
            int r = s.ops.getsockopt(s, opt[0], opt[1], v);
            if (r == 0 && v[0] != expected) {
                throw new ScriptFailure(ev.line(), "getsockopt " + ev.args().get(2) + " gave " + v[0] + ", expected " + expected);
            }
            return r;
        };
    }

    /**
     * {@code getsockopt(fd, SOL_TCP, TCP_INFO, {tcpi_state=TCP_ESTABLISHED, tcpi_snd_cwnd=10}, [...])}: each named
     * field must hold the value given (a number or a TCP state or CA state name); the others are not checked.
     */
    private Call tcpInfo(Event.Syscall ev, Socket s) {
        String v = ev.args().get(3);
        if (!v.startsWith("{")) throw new UnsupportedOperationException("TCP_INFO wants {tcpi_name=value, ...}, not " + v);
        Map<TcpInfo.Field, Long> want = new java.util.LinkedHashMap<>();
        for (String f : ScriptParser.split(v.substring(1, v.length() - 1))) {
            String[] kv = f.split("=");
            TcpInfo.Field field = kv.length == 2 ? TcpInfo.Field.byLinuxName(kv[0].trim()) : null;
            if (field == null) throw new UnsupportedOperationException("tcp_info field " + f + " not known");
            String val = kv[1].trim();
            want.put(field, TCP_INFO_WORDS.containsKey(val) ? (long) TCP_INFO_WORDS.get(val) : value(ev, val));
        }
        return () -> {
            byte[] b = new byte[TcpInfo.SIZE];
            int r = s.ops.getsockopt(s, SockOpt.SOL_TCP, SockOpt.TCP_INFO, b);
            if (r < 0) return r;
            TcpInfo info = TcpInfo.of(b, r);
            for (Map.Entry<TcpInfo.Field, Long> e : want.entrySet()) {
                if (info.get(e.getKey()) != e.getValue()) {
                    throw new ScriptFailure(ev.line(), "getsockopt TCP_INFO " + e.getKey().linuxName() + " was "
                            + info.get(e.getKey()) + ", expected " + e.getValue());
                }
            }
            return 0;
        };
    }

    /** {@code ioctl(fd, SIOCINQ, [bytes])}: the count must be what the stack answers. */
    private Call ioctl(Event.Syscall ev) {
        Socket s = fd(ev);
        if (!ev.args().get(1).equals("SIOCINQ")) throw new UnsupportedOperationException("ioctl " + ev.args().get(1) + " not supported");
        int expected = optionValue(ev, ev.args().get(2));
        return () -> {
            int[] v = new int[1];
            int r = s.ops.ioctl(s, SockIoctl.SIOCINQ, v);
            if (r == 0 && v[0] != expected) throw new ScriptFailure(ev.line(), "ioctl SIOCINQ gave " + v[0] + ", expected " + expected);
            return r;
        };
    }

    private int[] option(Event.Syscall ev) {
        Integer level = LEVELS.get(ev.args().get(1));
        Integer name = OPTIONS.get(ev.args().get(2));
        if (level == null || name == null) {
            throw new UnsupportedOperationException("socket option " + ev.args().get(1) + " " + ev.args().get(2) + " not supported");
        }
        return new int[] {level, name};
    }

    /** {@code [1]}, {@code [ECONNREFUSED]}, or {@code {onoff=1, linger=0}} (inet4j's SO_LINGER value: seconds or -1). */
    private static int optionValue(Event.Syscall ev, String v) {
        if (v.startsWith("{")) {
            int onoff = -1;
            int linger = -1;
            for (String f : ScriptParser.split(v.substring(1, v.length() - 1))) {
                String[] kv = f.split("=");
                if (kv.length != 2) throw new UnsupportedOperationException("option value " + v + " not supported");
                if (kv[0].trim().equals("onoff")) onoff = Integer.parseInt(kv[1].trim());
                else if (kv[0].trim().equals("linger")) linger = Integer.parseInt(kv[1].trim());
            }
            if (onoff < 0 || linger < 0) throw new UnsupportedOperationException("option value " + v + " not supported");
            return onoff == 0 ? -1 : linger;
        }
        String inner = v.startsWith("[") && v.endsWith("]") ? v.substring(1, v.length() - 1).trim() : v;
        if (inner.matches("E[A-Z0-9]+")) {
            try {
                return Errno.valueOf(inner).number();
            } catch (IllegalArgumentException e) {
                throw new UnsupportedOperationException("errno " + inner + " unknown", e);
            }
        }
        return (int) value(ev, inner);
    }

    private Call fcntl(Event.Syscall ev) {
        Socket s = fd(ev);
        long cmd = number(ev, 1);
        if (cmd == F_GETFL) return () -> O_RDWR | (s.nonBlocking ? MsgFlags.O_NONBLOCK : 0);
        if (cmd != F_SETFL) throw new UnsupportedOperationException("fcntl command " + ev.args().get(1) + " not supported");
        long fl = number(ev, 2);
        return () -> {
            s.nonBlocking = (fl & MsgFlags.O_NONBLOCK) != 0;
            return 0;
        };
    }

    /** {@code poll([{fd=4, events=POLLIN, revents=POLLIN}, ...], n, timeout)}; each revents is checked on return. */
    private Call poll(Event.Syscall ev) {
        String list = ev.args().get(0);
        if (!list.startsWith("[") || !list.endsWith("]")) throw new UnsupportedOperationException("poll list " + list + " not supported");
        List<String> entries = ScriptParser.split(list.substring(1, list.length() - 1));
        int n = entries.size();
        Socket[] socks = new Socket[n];
        int[] events = new int[n];
        int[] revents = new int[n];
        for (int i = 0; i < n; i++) {
            String e = entries.get(i);
            if (!e.startsWith("{")) throw new UnsupportedOperationException("poll entry " + e + " not supported");
            for (String f : ScriptParser.split(e.substring(1, e.length() - 1))) {
                String[] kv = f.split("=", 2);
                long v = value(ev, kv[1].trim());
                switch (kv[0].trim()) {
                    case "fd" -> socks[i] = socketOf(ev, (int) v);
                    case "events" -> events[i] = (int) v;
                    case "revents" -> revents[i] = (int) v;
                    default -> throw new UnsupportedOperationException("poll field " + kv[0] + " not supported");
                }
            }
        }
        long timeoutMs = number(ev, 2);
        long[] deadline = {0};
        return () -> {
            long now = stack.loop().clock().nanoTime();
            if (deadline[0] == 0) deadline[0] = timeoutMs < 0 ? Long.MAX_VALUE : now + timeoutMs * 1_000_000L;
            int ready = 0;
            int[] got = new int[n];
            for (int i = 0; i < n; i++) {
                got[i] = socks[i].ops.poll(socks[i]) & (events[i] | PollEvents.POLLERR | PollEvents.POLLHUP);
                if (got[i] != 0) ready++;
            }
            if (ready == 0 && now < deadline[0]) return WOULD_BLOCK;
            for (int i = 0; i < n; i++) {
                if (got[i] != revents[i]) {
                    throw new ScriptFailure(ev.line(), "poll revents " + pollWords(got[i]) + ", expected " + pollWords(revents[i])
                            + " (entry " + (i + 1) + ")");
                }
            }
            return ready;
        };
    }

    private static String pollWords(int mask) {
        StringBuilder s = new StringBuilder();
        for (String w : new String[] {"POLLIN", "POLLPRI", "POLLOUT", "POLLERR", "POLLHUP", "POLLRDNORM", "POLLWRNORM", "POLLRDHUP"}) {
            if ((mask & WORDS.get(w)) != 0) s.append(s.isEmpty() ? "" : "|").append(w);
        }
        return s.isEmpty() ? "0" : s.toString();
    }

    private Socket fd(Event.Syscall ev) { return socketOf(ev, (int) number(ev, 0)); }

    private Socket socketOf(Event.Syscall ev, int fd) {
        Socket s = fds.get(fd);
        if (s == null) throw new ScriptFailure(ev.line(), "fd " + fd + " is not an open socket");
        return s;
    }

    private static long number(Event.Syscall ev, int i) { return value(ev, arg(ev, i)); }

    private static String arg(Event.Syscall ev, int i) {
        if (i >= ev.args().size()) throw new UnsupportedOperationException(ev.name() + " needs argument " + (i + 1));
        return ev.args().get(i);
    }

    /** An integer, a hex number, or names such as {@code O_RDWR|O_NONBLOCK} and {@code POLLIN|POLLOUT}. */
    private static long value(Event.Syscall ev, String v) {
        long out = 0;
        for (String w : v.split("\\|")) {
            String t = w.trim();
            if (t.matches("-?\\d+")) out |= Long.parseLong(t);
            else if (t.matches("0x[0-9a-fA-F]+")) out |= Long.parseLong(t.substring(2), 16);
            else if (WORDS.containsKey(t)) out |= WORDS.get(t);
            else throw new UnsupportedOperationException("'" + t + "' in " + ev.name() + " not supported");
        }
        return out;
    }
}
