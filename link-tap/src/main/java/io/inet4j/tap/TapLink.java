package io.inet4j.tap;

import static io.inet4j.tap.Posix.C;

import io.inet4j.buffer.PacketBuffer;
import io.inet4j.netdev.BusyPoll;
import io.inet4j.netdev.Link;
import io.inet4j.netdev.LinkHost;
import io.inet4j.netdev.MacAddress;
import io.inet4j.netdev.NetdevFeatures;
import io.inet4j.tap.Posix.LibC;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import jnr.constants.platform.Errno;

/**
 * A {@link Link} over a Linux TAP device: the user-space end of {@code drivers/net/tun.c}. A frame the kernel
 * transmits through the device is one {@code read(2)} on our file descriptor; a frame we {@code write(2)} is,
 * to the kernel, a frame the device received ({@code tun_get_user} to {@code netif_rx}). The device is opened
 * with {@code IFF_TAP | IFF_NO_PI}: bare Ethernet frames, no packet-info prefix.
 *
 * <p>Offloads ({@link #open(String, int, MacAddress, boolean)}): with {@code IFF_VNET_HDR} and
 * {@code TUNSETOFFLOAD(TUN_F_CSUM | TUN_F_TSO4)} each frame leads with a {@link VirtioNetHdr}, the kernel hands us
 * TCP super-segments of up to 64 KiB with partial checksums, and takes ours ({@link NetdevFeatures#TSO},
 * {@link NetdevFeatures#HW_CSUM}): one system call and one trip through either stack per 64 KiB instead of per
 * 1500 bytes, and no checksum computed on either side for traffic that never leaves the host.
 *
 * <p>Threads: {@link #start} runs one daemon reader thread that polls the device and an eventfd, reads frames
 * straight into pooled direct buffers and hands them to {@link LinkHost#receive} on that thread. A thread about to
 * sleep in a blocking receive may take the descriptor from it ({@link #busyPoll}, {@link PollOwner}) and sleep in
 * poll(2) on the device itself, so the reply it waits for wakes it alone instead of waking the reader, which would
 * wake it in turn; one thread reads the descriptor at a time.
 * {@link #transmit} and {@link #xmit} write on the caller's thread: the owner of the stack's state, or whoever runs
 * the device's transmit queue after the owner let go. {@link #close} wakes the reader through
 * the eventfd, because a thread blocked in {@code read(2)} notices neither {@code close(2)} nor an interrupt,
 * joins it, then closes the descriptors, which removes a non-persistent device.
 *
 * <p>Queues ({@link #openQueues}): a device opened with {@code IFF_MULTI_QUEUE} has one descriptor per queue, each a
 * {@code TapLink} of its own with its own reader. For each frame the kernel sends us, {@code tun_select_queue}
 * ({@code tun_automq_select_queue}) picks the queue: the one user space last wrote the frame's flow on, from the
 * flow table {@code tun_get_user} updates on every write ({@code tun_flow_update}, keyed by the symmetric flow
 * hash, entries aged out after {@code TUN_FLOW_EXPIRE}, 3 s, without writes); else the flow hash scaled to the
 * number of queues. So a flow whose frames one queue writes comes back on that queue while it keeps talking,
 * which is what lets one stack shard per queue own it; a flow silent for 3 s may come back elsewhere.
 *
 * <p>The device is born in the caller's network namespace and may be moved to another one afterwards (see
 * {@link PeerNamespace}); the descriptor keeps working across the move.
 */
public final class TapLink implements Link {
    /** Where the tun driver's misc device lives. */
    public static final String DEVICE_PATH = "/dev/net/tun";
    /** ETH_MIN_MTU: the least an Ethernet device takes. */
    public static final int MIN_MTU = 68;
    /** A TAP device's max_mtu: 65535 less the Ethernet header (tun_net_initialize). */
    public static final int MAX_MTU = 65535 - 14;

    /** MAX_TAP_QUEUES: the most queues tun gives one device. */
    public static final int MAX_QUEUES = 256;

    private static final System.Logger LOG = System.getLogger(TapLink.class.getName());
    private static final int ETH_HLEN = 14;
    /** Room for the 802.1Q tag the kernel may insert in front of the payload (tun_put_user's vlan_hlen). */
    private static final int VLAN_HLEN = 4;
    /** How often the reader re-checks for close should the eventfd wake-up ever be lost. */
    private static final int POLL_TIMEOUT_MS = 1000;
    /**
     * While callers poll the device, how long the reader leaves it to them before it looks itself: the most a frame
     * waits when it arrives between two callers' polls ({@code gro_flush_timeout} while busy pollers keep the
     * device's interrupt off). poll(2) counts milliseconds.
     */
    private static final int DEFER_MS = 1;
    /**
     * The longest one sleep of a polling caller: an interrupt does not end a poll(2), so a caller looks at its
     * interrupt this often.
     */
    private static final int CALLER_SLICE_MS = 10;
    /**
     * How long a caller that asked the reader for the descriptor waits for it before it withdraws and sleeps without
     * polling (the reader, still on the descriptor, then serves it): the reader answers within one of its turns.
     */
    private static final long HAND_OFF_WAIT_NANOS = 1_000_000;
    /** Frames a polling caller reads before it looks at its socket again: Linux's {@code BUSY_POLL_BUDGET}. */
    private static final int CALLER_BUDGET = 8;
    private static final long JOIN_TIMEOUT_MS = 1000;
    private static final int EAGAIN = Errno.EAGAIN.intValue();
    private static final int EINTR = Errno.EINTR.intValue();
    private static final int EIO = Errno.EIO.intValue();
    /** sizeof(struct iovec) on a 64-bit Linux: base and length. */
    private static final int IOVEC_SIZE = 16;

    private final String name;
    /** Which queue of the device this descriptor is, or -1 for a single-queue device. */
    private final int queue;
    private final int mtu;
    private final MacAddress mac;
    private final int tunFd;
    private final int eventFd;
    /** Wakes a caller that polls the device ({@link CallerPoll}) for anything else than a frame. */
    private final int pollerEventFd;
    private final boolean offload;
    /** The offload header of the frame being written, or null without offloads. */
    private final ByteBuffer txHdr;
    /**
     * The iovecs of one {@code writev(2)}: the offload header (with offloads), the frame's linear part, then each
     * of its fragments ({@link NetdevFeatures#SG}); made once, so a gathered write allocates nothing.
     */
    private final ByteBuffer txIov;
    private final long txIovAddress;
    private final TapStats stats = new TapStats();
    /** The threads inside a system call on the descriptors; they are closed once none is. */
    private final FdRefs fdRefs = new FdRefs();
    private volatile boolean closed; // written under "this"
    /** Reading failed for good (the reader stopped, or a caller's poll saw the device go): callers park again. */
    private volatile boolean failed;
    private Thread reader; // guarded by "this"
    /** Who reads the descriptor now: the reader or a caller waiting for its socket. */
    private final PollOwner pollOwner = new PollOwner();
    /** The reader stepped aside for polling callers and looks only every {@value #DEFER_MS} ms; written by the reader. */
    private volatile boolean readerDeferred;
    /** Made in the constructor, once the descriptors it polls are set. */
    private final BusyPoll callerPoll;
    /** The value an eventfd write adds; never changed, so any thread may write from it. */
    private final ByteBuffer one = ByteBuffer.allocateDirect(8).order(ByteOrder.nativeOrder()).putLong(0, 1);
    private final BooleanSupplier isClosed = () -> closed;
    /** Where the reader reads its eventfd into; a field, so the memory lives as long as its address is used. */
    private final ByteBuffer readerScratch = ByteBuffer.allocateDirect(8);
    /** Set by {@link #start}, before the reader runs; read by the reader and by whichever caller polls. */
    private volatile TapReceiver rx;
    private volatile LinkHost host;

    private TapLink(String name, int queue, int mtu, MacAddress mac, int tunFd, int eventFd, int pollerEventFd,
                    boolean offload) {
        this.name = name;
        this.queue = queue;
        this.mtu = mtu;
        this.mac = mac;
        this.tunFd = tunFd;
        this.eventFd = eventFd;
        this.pollerEventFd = pollerEventFd;
        this.offload = offload;
        this.callerPoll = new CallerPoll();
        txIov = ByteBuffer.allocateDirect(IOVEC_SIZE * (2 + PacketBuffer.MAX_FRAGS)).order(ByteOrder.nativeOrder());
        txIovAddress = Posix.address(txIov);
        if (offload) {
            txHdr = ByteBuffer.allocateDirect(VirtioNetHdr.LENGTH);
            txIov.putLong(0, Posix.address(txHdr)).putLong(8, VirtioNetHdr.LENGTH);
        } else {
            txHdr = null;
        }
    }

    /**
     * Creates the TAP device {@code name}, or attaches to an existing one nobody holds, and sets its MTU.
     * Our side gets a random locally administered MAC. {@code name} may be a template such as
     * {@code "i4j%d"}; {@link #name()} tells the one the kernel chose.
     *
     * @throws IllegalArgumentException if {@code name} is not a valid interface name (at most 15 bytes) or
     *     {@code mtu} is outside {@link #MIN_MTU}..{@link #MAX_MTU}
     * @throws TapUnavailableException with a message saying what is missing: the tun module, root or
     *     CAP_NET_ADMIN, or a free device
     */
    public static TapLink open(String name, int mtu) throws TapUnavailableException {
        return open(DEVICE_PATH, name, mtu, null, false);
    }

    /** As {@link #open(String, int)}, with our side's MAC, or null for a random locally administered one. */
    public static TapLink open(String name, int mtu, MacAddress mac) throws TapUnavailableException {
        return open(DEVICE_PATH, name, mtu, mac, false);
    }

    /**
     * As {@link #open(String, int, MacAddress)}, with the kernel's offloads when {@code offload}: TCP super-segments
     * and partial checksums both ways ({@link #features()}).
     */
    public static TapLink open(String name, int mtu, MacAddress mac, boolean offload) throws TapUnavailableException {
        return open(DEVICE_PATH, name, mtu, mac, offload);
    }

    /** As {@link #open(String, int, MacAddress, boolean)} on another path, so tests can pin what a missing device says. */
    static TapLink open(String devicePath, String name, int mtu, MacAddress mac, boolean offload)
            throws TapUnavailableException {
        Ifreq.checkName(name);
        checkMtu(mtu);
        TapLink link = attach(devicePath, name, -1, 0, mtu, mac != null ? mac : MacAddress.random(ThreadLocalRandom.current()), offload);
        try {
            setKernelMtu(link.name, mtu);
        } catch (TapUnavailableException e) {
            link.close();
            throw e;
        }
        return link;
    }

    /**
     * Opens {@code queues} queues of one device ({@code IFF_MULTI_QUEUE}): one descriptor, one {@code TapLink} and,
     * once started, one reader thread each, all with the same MAC, as one NIC with several RX/TX rings. Otherwise
     * as {@link #open(String, int, MacAddress, boolean)}; the device goes away when the last queue closes. An
     * existing device attaches only if it was made multi-queue, and every queue must agree on {@code offload}.
     *
     * @throws IllegalArgumentException if {@code queues} is outside 1..{@value #MAX_QUEUES}, besides what open throws
     */
    public static List<TapLink> openQueues(String name, int mtu, MacAddress mac, boolean offload, int queues)
            throws TapUnavailableException {
        if (queues < 1 || queues > MAX_QUEUES) throw new IllegalArgumentException("queues " + queues + " outside 1.." + MAX_QUEUES);
        Ifreq.checkName(name);
        checkMtu(mtu);
        MacAddress ours = mac != null ? mac : MacAddress.random(ThreadLocalRandom.current());
        List<TapLink> opened = new ArrayList<>(queues);
        try {
            for (int q = 0; q < queues; q++) {
                // The first TUNSETIFF expands a name template; the others must name the device it made.
                String n = q == 0 ? name : opened.get(0).name;
                opened.add(attach(DEVICE_PATH, n, q, Ifreq.IFF_MULTI_QUEUE, mtu, ours, offload));
            }
            setKernelMtu(opened.get(0).name, mtu);
            return List.copyOf(opened);
        } catch (TapUnavailableException | RuntimeException e) {
            opened.forEach(TapLink::close);
            throw e;
        }
    }

    private static void checkMtu(int mtu) {
        if (mtu < MIN_MTU || mtu > MAX_MTU) {
            throw new IllegalArgumentException("MTU " + mtu + " outside " + MIN_MTU + ".." + MAX_MTU);
        }
    }

    /** One descriptor attached to the device by TUNSETIFF, with its offloads and its eventfd. */
    private static TapLink attach(String devicePath, String name, int queue, int extraFlags, int mtu, MacAddress mac,
                                  boolean offload) throws TapUnavailableException {
        byte[] ifr = Ifreq.withFlags(name, Ifreq.IFF_TAP | Ifreq.IFF_NO_PI | extraFlags | (offload ? Ifreq.IFF_VNET_HDR : 0));
        int fd = C.open(devicePath, LibC.O_RDWR | LibC.O_NONBLOCK | LibC.O_CLOEXEC);
        if (fd < 0) throw TapUnavailableException.openFailed(devicePath, Posix.errno());
        try {
            if (C.ioctl(fd, LibC.TUNSETIFF, ifr) < 0) throw TapUnavailableException.setIffFailed(name, Posix.errno());
            String actual = Ifreq.name(ifr);
            if (offload && C.ioctl(fd, LibC.TUNSETOFFLOAD, LibC.TUN_F_CSUM | LibC.TUN_F_TSO4) < 0) {
                throw TapUnavailableException.callFailed("turn on offloads (TUNSETOFFLOAD) on " + actual, Posix.errno());
            }
            int efd = C.eventfd(0, LibC.EFD_NONBLOCK | LibC.EFD_CLOEXEC);
            if (efd < 0) throw TapUnavailableException.callFailed("create an eventfd", Posix.errno());
            int pefd = C.eventfd(0, LibC.EFD_NONBLOCK | LibC.EFD_CLOEXEC);
            if (pefd < 0) {
                int e = Posix.errno();
                C.close(efd);
                throw TapUnavailableException.callFailed("create an eventfd", e);
            }
            return new TapLink(actual, queue, mtu, mac, fd, efd, pefd, offload);
        } catch (TapUnavailableException | RuntimeException e) {
            C.close(fd);
            throw e;
        }
    }

    /** SIOCSIFMTU through a throwaway socket: the tun descriptor itself does not take interface ioctls. */
    private static void setKernelMtu(String name, int mtu) throws TapUnavailableException {
        int sock = C.socket(LibC.AF_INET, LibC.SOCK_DGRAM | LibC.SOCK_CLOEXEC, 0);
        if (sock < 0) throw TapUnavailableException.callFailed("open a socket to set the MTU of " + name, Posix.errno());
        try {
            if (C.ioctl(sock, LibC.SIOCSIFMTU, Ifreq.withInt(name, mtu)) < 0) {
                throw TapUnavailableException.callFailed("set MTU " + mtu + " on " + name, Posix.errno());
            }
        } finally {
            C.close(sock);
        }
    }

    /** The device's name as the kernel knows it ({@code ip link show NAME}). */
    @Override public String name() { return name; }
    @Override public int mtu() { return mtu; }
    /** Our side's MAC; the kernel's side of the device has its own. */
    @Override public MacAddress mac() { return mac; }
    /** Scatter-gather always ({@code writev(2)}); TSO and checksum offload when opened with offloads. */
    @Override public int features() {
        return NetdevFeatures.SG | (offload ? NetdevFeatures.TSO | NetdevFeatures.HW_CSUM : 0);
    }
    public TapStats stats() { return stats; }

    /** Which queue of a multi-queue device ({@link #openQueues}) this is, or -1 for a single-queue device. */
    public int queue() { return queue; }

    /** The reader thread, or null before {@link #start}; tests check it is gone after close. */
    synchronized Thread readerThread() { return reader; }

    /** Who reads the descriptor now ({@link PollOwner#state}); tests wait for the reader to yield it. */
    int pollOwnerState() { return pollOwner.state(); }

    @Override
    public void start(LinkHost host) {
        Objects.requireNonNull(host, "host");
        synchronized (this) {
            if (closed) throw new IllegalStateException(name + " is closed");
            if (reader != null) throw new IllegalStateException(name + " already started");
            this.host = host;
            rx = new TapReceiver(name, mtu + ETH_HLEN + VLAN_HLEN, offload, this::readFrame, host.pool()::allocateRaw,
                    stats, EAGAIN, EINTR);
            reader = new Thread(() -> readLoop(host), "tap-rx-" + name + (queue < 0 ? "" : "-q" + queue));
            reader.setDaemon(true);
            reader.start();
        }
    }

    /**
     * The reader: holding the descriptor it polls it with its eventfd and drains it, as a NAPI poll driven by the
     * interrupt. Once a caller asks for the descriptor ({@link CallerPoll}) it hands it over and defers: it sleeps on
     * its eventfd alone and looks every {@value #DEFER_MS} ms, draining what waits when nobody polls, and takes the
     * descriptor back for good at a look that finds no caller came since the last one, or a caller turned away
     * ({@link PollOwner}). While one caller holds the descriptor throughout, it dozes until that caller leaves and
     * kicks it.
     */
    private void readLoop(LinkHost host) {
        try {
            // The eventfd first, so a deferred reader polls it alone.
            ByteBuffer pollfds = ByteBuffer.allocateDirect(16).order(ByteOrder.nativeOrder());
            pollfds.putInt(0, eventFd).putShort(4, LibC.POLLIN).putInt(8, tunFd).putShort(12, LibC.POLLIN);
            long pollfdsAddress = Posix.address(pollfds);
            long scratchAddress = Posix.address(readerScratch);
            TapReceiver rx = this.rx;
            boolean deferred = false;
            long lastTakes = 0;
            int timeout = POLL_TIMEOUT_MS;
            while (!closed && !failed) {
                if (C.poll(pollfdsAddress, deferred ? 1 : 2, timeout) < 0) {
                    int e = Posix.errno();
                    if (e == EINTR) continue;
                    stop(host, "poll failed: " + Posix.describe(e), null);
                    return;
                }
                if (pollfds.getShort(6) != 0) {
                    C.read(eventFd, scratchAddress, 8); // a kick: close, a caller wanting the descriptor or leaving it
                    if (closed) return;
                }
                if (!deferred) {
                    short revents = pollfds.getShort(14);
                    if ((revents & LibC.POLLIN) != 0 && !drain(rx, host)) return;
                    if ((revents & (LibC.POLLERR | LibC.POLLHUP | LibC.POLLNVAL)) != 0) {
                        stop(host, "the device went away (poll revents 0x" + Integer.toHexString(revents) + ")", null);
                        return;
                    }
                    if (pollOwner.handOff()) {
                        kick(pollerEventFd);
                        deferred = readerDeferred = true;
                        lastTakes = pollOwner.takes();
                        timeout = DEFER_MS;
                    }
                    continue;
                }
                pollOwner.readerAwake();
                long takes = pollOwner.takes();
                if (pollOwner.tryReader()) {
                    if (!drain(rx, host)) return;
                    // Back to reading on every frame when no caller came for a whole deferral, or when one sleeps
                    // without polling because another had the descriptor.
                    if (pollOwner.takeContended() || takes == lastTakes) {
                        deferred = readerDeferred = false;
                        timeout = POLL_TIMEOUT_MS;
                    } else {
                        if (pollOwner.releaseReader()) kick(pollerEventFd);
                        lastTakes = pollOwner.takes();
                        timeout = DEFER_MS;
                    }
                } else if (takes == lastTakes) {
                    timeout = pollOwner.readerDozes() ? POLL_TIMEOUT_MS : 0;
                } else {
                    lastTakes = takes;
                    timeout = DEFER_MS;
                }
            }
        } catch (Throwable t) {
            // Whatever it is (no memory for the reader's own buffers, a bug), a reader that dies quietly leaves the
            // stack deaf for good: say so, and tell the device.
            stop(host, "the reader failed: " + t, t);
        } finally {
            if (closed) closeFds(); // close() gave up waiting for us, so the descriptors are ours to close
        }
    }

    /** The reader drains the device; false after a read failed, when receiving has stopped. */
    private boolean drain(TapReceiver rx, LinkHost host) {
        int e = rx.drain(host, isClosed);
        if (e == 0) return true;
        stop(host, "read failed: " + Posix.describe(e), null);
        return false;
    }

    /** One read(2) into the direct buffer: the count, or -errno. */
    private long readFrame(ByteBuffer into) {
        long n = C.read(tunFd, Posix.address(into), into.capacity());
        return n < 0 ? -Posix.errno() : n;
    }

    /** Receiving stops for good: counted, logged at ERROR, and the device is told so it can mark itself failed. */
    private void stop(LinkHost host, String why, Throwable cause) {
        failed = true;
        stats.rxErrors.incrementAndGet();
        try {
            LOG.log(System.Logger.Level.ERROR, "TAP " + name + ": " + why + "; receiving stops", cause);
        } finally {
            host.linkFailed("TAP " + name + ": " + why);
        }
    }

    /** Writes the frame ({@link #xmit}) and releases it. */
    @Override
    public void transmit(PacketBuffer frame) {
        try {
            xmit(frame);
        } finally {
            frame.release();
        }
    }

    @Override public boolean xmitsUnowned() { return true; }

    /** Callers waiting for their sockets poll this device themselves when nobody else does. */
    @Override public BusyPoll busyPoll() { return callerPoll; }

    /**
     * The device polled by a caller waiting for its socket: it sleeps in poll(2) on the device and
     * {@link #pollerEventFd}, so the frame it waits for wakes it alone, and it hands frames up in its own thread as the
     * reader would ({@link TapReceiver} is used by whoever holds the descriptor). The descriptors stay open while it
     * polls (it holds a reference, {@link FdRefs}); {@link #close} kicks it out first.
     */
    private final class CallerPoll implements BusyPoll {
        /** The caller's eventfd, then tun; used only by the caller holding or asking for the descriptor. */
        private final ByteBuffer fds = ByteBuffer.allocateDirect(16).order(ByteOrder.nativeOrder());
        private final long fdsAddress = Posix.address(fds);
        /** Where the caller's eventfd is read into; kept reachable, or the address would outlive the memory. */
        private final ByteBuffer scratch = ByteBuffer.allocateDirect(8);
        private final long scratchAddress = Posix.address(scratch);

        CallerPoll() {
            fds.putInt(0, pollerEventFd).putShort(4, LibC.POLLIN).putInt(8, tunFd).putShort(12, LibC.POLLIN);
        }

        @Override
        public boolean tryStartPoll() {
            if (closed || failed || rx == null) return false;
            int r = pollOwner.tryCaller(System.nanoTime());
            if (r != PollOwner.ASK) return r == PollOwner.TAKEN;
            kick(eventFd);
            awaitHandOff();
            return pollOwner.askAnswered();
        }

        /** Sleeps on the caller's eventfd until the reader hands the descriptor over, or for a moment at most. */
        private void awaitHandOff() {
            long end = System.nanoTime() + HAND_OFF_WAIT_NANOS;
            if (!fdRefs.get()) return;
            try {
                while (pollOwner.state() == PollOwner.ASKED && !closed && System.nanoTime() - end < 0) {
                    if (C.poll(fdsAddress, 1, 1) > 0) C.read(pollerEventFd, scratchAddress, 8);
                }
            } finally {
                fdRefs.put();
            }
        }

        @Override
        public boolean pollOnce(long nanos) {
            if (!fdRefs.get()) return false;
            try {
                if (closed || failed) return false;
                int ms = nanos <= 0 ? CALLER_SLICE_MS : (int) Math.min(CALLER_SLICE_MS, (nanos + 999_999) / 1_000_000);
                if (C.poll(fdsAddress, 2, ms) < 0) return Posix.errno() == EINTR;
                if (fds.getShort(6) != 0) C.read(pollerEventFd, scratchAddress, 8);
                short revents = fds.getShort(14);
                // Receiving stops for good, as when the reader fails: reported here, since the reader will not read
                // again (it leaves when it sees the failure).
                int e = (revents & LibC.POLLIN) != 0 ? rx.drain(host, isClosed, CALLER_BUDGET) : 0;
                if (e != 0) {
                    stop(host, "read failed: " + Posix.describe(e), null);
                } else if ((revents & (LibC.POLLERR | LibC.POLLHUP | LibC.POLLNVAL)) != 0) {
                    stop(host, "the device went away (poll revents 0x" + Integer.toHexString(revents) + ")", null);
                } else {
                    return true;
                }
                kick(eventFd);
                return false;
            } finally {
                fdRefs.put();
            }
        }

        @Override
        public void wakePoller(Thread poller) {
            if (poller == Thread.currentThread()) return;
            kick(pollerEventFd);
            LockSupport.unpark(poller); // in case it parks: the device closed or failed under it
        }

        @Override
        public void endPoll() {
            if (pollOwner.releaseCaller()) kick(eventFd);
        }

        /**
         * A sleeper that will not poll: while the reader defers, the first such sleeper since its last look kicks it,
         * and the reader takes the descriptor back for good (when a caller holds it, as soon as that caller leaves).
         * Without it a connect waiting for its SYN-ACK waited out the deferral, up to 1 ms a connection.
         */
        @Override
        public void sleeperWithoutPoll() {
            if (readerDeferred && pollOwner.sleeperWithoutPoll()) kick(eventFd);
        }
    }

    /** Adds one to an eventfd, while the descriptors are open. */
    private void kick(int fd) {
        if (!fdRefs.get()) return;
        try {
            C.write(fd, Posix.address(one), 8);
        } finally {
            fdRefs.put();
        }
    }

    /**
     * Writes the frame in one {@code write(2)} from its direct buffer, or in one {@code writev(2)} gathering its
     * offload header (when offloads are on), its linear part and its fragments; the caller keeps the buffer. One
     * call at a time (the device's transmit queue, or the owner of the stack's state, sees to it), so the header
     * buffers need no lock. Never throws: a link that is down (EIO until the device is up), a full queue (EAGAIN)
     * or a closed link counts a drop.
     */
    @Override
    public void xmit(PacketBuffer frame) {
        int len = frame.length();
        if (!fdRefs.get()) {
            stats.txDropped.incrementAndGet();
            return;
        }
        try {
            if (closed) {
                stats.txDropped.incrementAndGet();
                return;
            }
            long frameAddress = Posix.address(frame.buffer()) + frame.data();
            long n;
            if (offload || frame.nrFrags() != 0) {
                int iov = 0;
                if (offload) {
                    VirtioNetHdr.fromPacket(frame, txHdr);
                    iov = 1;
                }
                txIov.putLong(iov * IOVEC_SIZE, frameAddress).putLong(iov * IOVEC_SIZE + 8, frame.headLength());
                iov++;
                for (int i = 0; i < frame.nrFrags(); i++, iov++) {
                    txIov.putLong(iov * IOVEC_SIZE, Posix.address(frame.fragBuffer(i).buffer()) + frame.fragOffset(i))
                            .putLong(iov * IOVEC_SIZE + 8, frame.fragLength(i));
                }
                n = C.writev(tunFd, txIovAddress, iov) - (offload ? VirtioNetHdr.LENGTH : 0);
            } else {
                n = C.write(tunFd, frameAddress, len);
            }
            int e = n < 0 ? Posix.errno() : 0;
            if (n == len) {
                stats.txFrames.incrementAndGet();
                stats.txBytes.addAndGet(len);
                if (frame.gsoSize() > 0) stats.txGsoBytes.addAndGet(len);
            } else if (e == EAGAIN || e == EIO) {
                stats.txDropped.incrementAndGet();
            } else {
                stats.txErrors.incrementAndGet();
            }
        } finally {
            fdRefs.put();
        }
    }

    /** Stops the reader (waiting up to a second for it), then closes the descriptors. Idempotent. */
    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            if (closed) return;
            closed = true;
            t = reader;
        }
        kick(pollerEventFd); // a caller polling the device looks at closed and leaves
        if (t != null) {
            kick(eventFd);
            if (t == Thread.currentThread()) return; // closed from receive(): the reader closes the fds on its way out
            try {
                t.join(JOIN_TIMEOUT_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (t.isAlive()) {
                LOG.log(System.Logger.Level.WARNING, "TAP " + name + ": reader still busy after "
                        + JOIN_TIMEOUT_MS + " ms; it closes the device when it returns");
                return;
            }
        }
        closeFds();
    }

    private void closeFds() {
        fdRefs.closeWhenIdle(() -> {
            C.close(tunFd);
            C.close(eventFd);
            C.close(pollerEventFd);
        });
    }

    @Override
    public String toString() {
        return "TapLink[" + name + (queue < 0 ? "" : " queue " + queue) + " mtu " + mtu + " mac " + mac + (closed ? " closed" : "") + "]";
    }
}
