package io.inet4j.stack;

import io.inet4j.socket.Errno;
import io.inet4j.socket.MsgFlags;
import io.inet4j.socket.MsgHdr;
import io.inet4j.socket.PollEvents;
import io.inet4j.socket.SockAddr;
import io.inet4j.socket.SockAddrIn;
import io.inet4j.socket.SocketCalls;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.PortUnreachableException;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketOption;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.AlreadyBoundException;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.MembershipKey;
import java.nio.channels.NotYetConnectedException;
import java.nio.channels.SelectionKey;
import java.nio.channels.UnresolvedAddressException;
import java.nio.channels.UnsupportedAddressTypeException;
import java.util.Objects;
import java.util.Set;

/**
 * A UDP socket as a {@link DatagramChannel} ({@link InetSelectorProvider#openDatagramChannel()}), like the JDK's
 * {@code DatagramChannelImpl} on Linux: one datagram per {@link #send}/{@link #receive} (the sender returned, a
 * datagram longer than the buffer cut to it, the rest discarded), {@link #read}/{@link #write} with scatter/gather
 * once connected, blocking mode that sleeps on the socket's wait queue, readiness from {@code udp_poll} for
 * {@link InetSelector}, and the JDK's exceptions: an ICMP port unreachable for a connected channel's datagram is
 * a {@link PortUnreachableException} on its next call, as {@code ECONNREFUSED} reaches the JDK's channel on Linux.
 * Each call is the system call on {@code inet_dgram_ops} (through {@link SocketCalls}), run on the stack's loop.
 *
 * <p>The stack has no multicast (no IGMP, no multicast routes): {@code join} and the {@code IP_MULTICAST_*} options
 * are {@link UnsupportedOperationException}s. {@link #socket()} is a working {@link DatagramSocket}.
 */
final class InetDatagramChannel extends DatagramChannel implements InetChannel {
    /** What a datagram channel supports: the JDK's set without the multicast options. */
    static final Set<SocketOption<?>> OPTIONS = Set.of(java.net.StandardSocketOptions.SO_RCVBUF,
            java.net.StandardSocketOptions.SO_SNDBUF, java.net.StandardSocketOptions.SO_REUSEADDR,
            java.net.StandardSocketOptions.SO_REUSEPORT, java.net.StandardSocketOptions.SO_BROADCAST,
            java.net.StandardSocketOptions.IP_TOS);
    /** udp_sendmsg's limit: 65535 less the IP and UDP headers. */
    private static final int MAX_DATAGRAM = 65507;

    private final SocketHandle h;
    private final Object readLock = new Object();
    private final Object writeLock = new Object();
    private final Object stateLock = new Object();
    /** The connected peer, null while unconnected. */
    private volatile SockAddrIn remote;
    private InetSocketAddress remoteAddress;
    private DatagramSocket adaptor;
    private final Transfer reader;
    private final Transfer writer;
    /**
     * The last sender {@link #receive} reported and its java.net form, so a channel that keeps hearing from one peer
     * makes no address per datagram, as the JDK's datagram channel keeps its last sender. Guarded by {@code readLock}.
     */
    private SockAddrIn lastSender;
    private InetSocketAddress lastSenderAddress;

    InetDatagramChannel(InetSelectorProvider provider, SocketHandle h) {
        super(provider);
        this.h = h;
        this.reader = new Transfer(false);
        this.writer = new Transfer(true);
    }

    @Override
    public SocketHandle handle() { return h; }

    @Override
    public DatagramChannel bind(SocketAddress local) throws IOException {
        synchronized (readLock) {
            synchronized (writeLock) {
                synchronized (stateLock) {
                    ensureOpen();
                    if (boundName() != null) throw new AlreadyBoundException();
                    if (local != null) checkAddress(local);
                    h.bind(local);
                }
            }
        }
        return this;
    }

    /** The JDK binds a channel to the wildcard address before its first send, receive or connect. */
    private void ensureBound() throws IOException {
        synchronized (stateLock) {
            if (boundName() == null) h.bind(null);
        }
    }

    @Override
    public <T> DatagramChannel setOption(SocketOption<T> name, T value) throws IOException {
        if (name == java.net.StandardSocketOptions.IP_TOS && value instanceof Integer tos && (tos < 0 || tos > 255)) {
            throw new IllegalArgumentException("Invalid IP_TOS value");
        }
        ChannelOptions.set(this, OPTIONS, name, value);
        return this;
    }

    @Override
    public <T> T getOption(SocketOption<T> name) throws IOException { return ChannelOptions.get(this, OPTIONS, name); }

    @Override
    public Set<SocketOption<?>> supportedOptions() { return OPTIONS; }

    /** The channel as a {@link DatagramSocket}: {@link ChannelDatagramSocket}. */
    @Override
    public DatagramSocket socket() {
        synchronized (stateLock) {
            if (adaptor == null) adaptor = ChannelDatagramSocket.of(this);
            return adaptor;
        }
    }

    @Override
    public boolean isConnected() { return remote != null; }

    /**
     * connect(2) on {@code inet_dgram_ops}: fixes the peer (only its datagrams are received from now on) and, as
     * the JDK does, discards what was queued before, which may come from anyone.
     */
    @Override
    public DatagramChannel connect(SocketAddress endpoint) throws IOException {
        SockAddrIn addr = checkAddress(Objects.requireNonNull(endpoint));
        synchronized (readLock) {
            synchronized (writeLock) {
                synchronized (stateLock) {
                    ensureOpen();
                    if (remote != null) throw new AlreadyConnectedException();
                    if (addr.port() == 0) throw new SocketException("Can't connect to port 0");
                    ensureBound();
                    h.check(() -> {
                        int r = SocketCalls.connect(h.sock, addr, 0);
                        if (r == 0) flushReceived();
                        return r;
                    });
                    remoteAddress = SocketHandle.toSocketAddress(addr);
                    remote = addr;
                }
            }
        }
        return this;
    }

    /** On the loop: drops every queued datagram (the JDK's flush after connect). */
    private void flushReceived() {
        MsgHdr m = new MsgHdr(ByteBuffer.allocate(0), null);
        while (h.sock.ops.recvmsg(h.sock, m, MsgFlags.MSG_DONTWAIT) >= 0) m.data.clear();
    }

    /**
     * connect(2) with AF_UNSPEC. Linux then forgets a local port the kernel picked ({@code __udp_disconnect}); the
     * JDK binds the channel to the port it had again, and so does this.
     */
    @Override
    public DatagramChannel disconnect() throws IOException {
        synchronized (readLock) {
            synchronized (writeLock) {
                synchronized (stateLock) {
                    if (!isOpen() || remote == null) return this;
                    SockAddrIn before = h.name(false);
                    h.check(() -> SocketCalls.connect(h.sock, SockAddr.UNSPEC, 0));
                    remote = null;
                    remoteAddress = null;
                    SockAddrIn after = h.name(false);
                    if (before != null && (after == null || after.port() != before.port())) {
                        h.check(() -> SocketCalls.bind(h.sock, new SockAddrIn(SockAddrIn.INADDR_ANY, before.port())));
                    }
                }
            }
        }
        return this;
    }

    @Override
    public SocketAddress getRemoteAddress() throws IOException {
        ensureOpen();
        return remoteAddress;
    }

    @Override
    public SocketAddress getLocalAddress() throws IOException {
        ensureOpen();
        return SocketHandle.toSocketAddress(boundName());
    }

    private SockAddrIn boundName() {
        SockAddrIn l = h.name(false);
        return l == null || l.port() == 0 ? null : l;
    }

    /**
     * recvmsg(2): the next datagram into {@code dst} (cut to what fits) and its sender; null in non-blocking mode
     * when none is queued.
     */
    @Override
    public SocketAddress receive(ByteBuffer dst) throws IOException { return receive(dst, 0); }

    /**
     * {@link #receive(ByteBuffer)} waiting at most {@code timeoutNanos} (0: no limit) in blocking mode, for the
     * socket adaptor's SO_TIMEOUT: a {@link SocketTimeoutException} when the time ran out.
     */
    SocketAddress receive(ByteBuffer dst, long timeoutNanos) throws IOException {
        Objects.requireNonNull(dst);
        if (dst.isReadOnly()) throw new IllegalArgumentException("Read-only buffer");
        synchronized (readLock) {
            ensureOpen();
            ensureBound();
            int r = reader.run(dst, null, timeoutNanos);
            if (r == Errno.EAGAIN.neg()) {
                if (isBlocking()) throw new SocketTimeoutException("Receive timed out");
                return null;
            }
            check(r);
            SockAddrIn from = (SockAddrIn) reader.msg.name;
            if (!Objects.equals(from, lastSender)) {
                lastSenderAddress = SocketHandle.toSocketAddress(from);
                lastSender = from;
            }
            return lastSenderAddress;
        }
    }

    /**
     * sendmsg(2) of one datagram to {@code target}: all of {@code src} or, in non-blocking mode when the socket
     * cannot take it now, nothing (0). A connected channel sends only to its peer.
     */
    @Override
    public int send(ByteBuffer src, SocketAddress target) throws IOException {
        Objects.requireNonNull(src);
        SockAddrIn to = checkAddress(Objects.requireNonNull(target));
        synchronized (writeLock) {
            ensureOpen();
            SockAddrIn peer = remote;
            if (peer != null && !peer.equals(to)) throw new AlreadyConnectedException();
            ensureBound();
            int r = writer.run(src, peer != null ? null : to, 0);
            if (r == Errno.EAGAIN.neg()) return 0;
            return check(r);
        }
    }

    /** recv(2) of one datagram from the peer; 0 when none is queued (non-blocking). */
    @Override
    public int read(ByteBuffer dst) throws IOException {
        Objects.requireNonNull(dst);
        if (dst.isReadOnly()) throw new IllegalArgumentException("Read-only buffer");
        synchronized (readLock) {
            ensureOpen();
            if (remote == null) throw new NotYetConnectedException();
            int r = reader.run(dst);
            return r == Errno.EAGAIN.neg() ? 0 : check(r);
        }
    }

    /** recv(2) of one datagram from the peer, spread over the buffers in turn; 0 when none is queued (non-blocking). */
    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, dsts.length);
        if (length == 1) return read(dsts[offset]);
        synchronized (readLock) {
            ensureOpen();
            if (remote == null) throw new NotYetConnectedException();
            ByteBuffer into = reader.scratch(remaining(dsts, offset, length));
            int r = reader.run(into);
            if (r == Errno.EAGAIN.neg()) return 0;
            check(r);
            into.flip();
            for (int i = offset; i < offset + length && into.hasRemaining(); i++) {
                ByteBuffer d = dsts[i];
                int n = Math.min(d.remaining(), into.remaining());
                d.put(d.position(), into, into.position(), n).position(d.position() + n);
                into.position(into.position() + n);
            }
            return r;
        }
    }

    /** send(2) of one datagram to the peer; 0 when the socket cannot take it now (non-blocking). */
    @Override
    public int write(ByteBuffer src) throws IOException {
        Objects.requireNonNull(src);
        synchronized (writeLock) {
            ensureOpen();
            if (remote == null) throw new NotYetConnectedException();
            int r = writer.run(src, null, 0);
            return r == Errno.EAGAIN.neg() ? 0 : check(r);
        }
    }

    /** send(2) of one datagram to the peer, gathered from the buffers in turn. */
    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, srcs.length);
        if (length == 1) return write(srcs[offset]);
        synchronized (writeLock) {
            ensureOpen();
            if (remote == null) throw new NotYetConnectedException();
            int total = remaining(srcs, offset, length);
            if (total > MAX_DATAGRAM) throw SocketErrors.socketException(Errno.EMSGSIZE);
            ByteBuffer from = writer.scratch(total);
            for (int i = offset; i < offset + length; i++) {
                ByteBuffer b = srcs[i];
                from.put(from.position(), b, b.position(), b.remaining()).position(from.position() + b.remaining());
            }
            from.flip();
            int r = writer.run(from, null, 0);
            if (r == Errno.EAGAIN.neg()) return 0;
            check(r);
            for (int i = offset; i < offset + length; i++) srcs[i].position(srcs[i].limit());
            return r;
        }
    }

    private static int remaining(ByteBuffer[] bufs, int offset, int length) {
        long n = 0;
        for (int i = offset; i < offset + length; i++) n += bufs[i].remaining();
        return (int) Math.min(n, Integer.MAX_VALUE);
    }

    /** The JDK on Linux: ECONNREFUSED (the ICMP port unreachable of a connected socket) is PortUnreachableException. */
    private static int check(int r) throws IOException {
        if (r == Errno.ECONNREFUSED.neg()) throw new PortUnreachableException("ICMP Port Unreachable");
        return SocketErrors.check(r);
    }

    /** No multicast in this stack (no IGMP). */
    @Override
    public MembershipKey join(InetAddress group, NetworkInterface interf) {
        throw new UnsupportedOperationException("inet4j has no multicast (no IGMP)");
    }

    @Override
    public MembershipKey join(InetAddress group, NetworkInterface interf, InetAddress source) { return join(group, interf); }

    private static SockAddrIn checkAddress(SocketAddress a) throws IOException {
        if (!(a instanceof InetSocketAddress isa)) throw new UnsupportedAddressTypeException();
        if (isa.isUnresolved()) throw new UnresolvedAddressException();
        if (!(isa.getAddress() instanceof Inet4Address)) throw new UnsupportedAddressTypeException();
        return SocketHandle.toSockAddr(isa);
    }

    /**
     * One direction's datagram call on its reusable {@link MsgCall}, with the buffer a scattered read or gathered
     * write goes through.
     */
    private final class Transfer extends MsgCall {
        private ByteBuffer scratch;

        Transfer(boolean send) { super(InetDatagramChannel.this.h, send); }

        /** A cleared buffer of {@code size} bytes (at most one datagram's worth). */
        ByteBuffer scratch(int size) {
            size = Math.min(size, MAX_DATAGRAM);
            if (scratch == null || scratch.capacity() < size) scratch = ByteBuffer.allocate(size);
            return scratch.clear().limit(size);
        }

        /**
         * One call on the loop with {@code b} and, for a send, {@code to}; blocking mode sleeps until it is done
         * (or {@code timeoutNanos} passed, EAGAIN), with the JDK's close rules (AsynchronousCloseException, ClosedByInterruptException).
         */
        int run(ByteBuffer b, SockAddrIn to, long timeoutNanos) throws IOException {
            msg.data = b;
            // A receive leaves the last sender in place: the protocol hands the same address back when the next
            // datagram comes from the same peer (and clears it at end of input).
            if (send) msg.name = to;
            newCall();
            try {
                if (!isBlocking()) return callNow();
                int r = Errno.EBADF.neg();
                begin();
                try {
                    r = await(timeoutNanos);
                } finally {
                    end(r != Errno.EBADF.neg() && r != Errno.EINTR.neg());
                }
                return r;
            } finally {
                msg.data = null;
            }
        }

        int run(ByteBuffer b) throws IOException { return run(b, null, 0); }

        @Override
        int perform() { return transfer(msg.data); }
    }

    /** The JDK's translateReadyOps for a datagram channel: POLLERR or POLLHUP make every wanted operation ready. */
    @Override
    public int readyOps(int mask, int interest) {
        if ((mask & (PollEvents.POLLERR | PollEvents.POLLHUP)) != 0) return interest;
        int ready = 0;
        if ((mask & PollEvents.POLLIN) != 0) ready |= SelectionKey.OP_READ;
        if ((mask & PollEvents.POLLOUT) != 0) ready |= SelectionKey.OP_WRITE;
        return ready & interest;
    }

    @Override
    protected void implConfigureBlocking(boolean block) { h.sock.nonBlocking = !block; }

    /** close(2): threads blocked in a receive or send get {@link java.nio.channels.AsynchronousCloseException}. */
    @Override
    protected void implCloseSelectableChannel() { h.close(); }

    private void ensureOpen() throws ClosedChannelException {
        if (!isOpen()) throw new ClosedChannelException();
    }

    @Override
    public String toString() {
        SockAddrIn r = remote;
        return "InetDatagramChannel[" + (!isOpen() ? "closed" : r == null ? "unconnected"
                : "connected remote=" + SockAddrIn.formatAddress(r.address()) + ":" + r.port()) + "]";
    }
}
