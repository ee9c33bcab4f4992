package io.inet4j.tcp;

import io.inet4j.mib.TcpExtMib;

/**
 * TCP's share of the stack's buffer memory, {@code net.ipv4.tcp_mem} ({@code tcp_memory_allocated},
 * {@code tcp_memory_pressure} and {@code __sk_mem_raise_allocated} in {@code net/core/sock.c}): every buffer a TCP
 * socket holds, received or queued to send, is charged by its truesize, across all sockets of the stack. Below
 * {@code tcp_mem[0]} pages all is well; above {@code tcp_mem[1]} TCP is under memory pressure and receive windows
 * shrink ({@code rcv_ssthresh} at most four segments) until it falls below {@code tcp_mem[0]} again; above
 * {@code tcp_mem[2]} no socket receives more (what arrives is pruned or dropped) and an orphan that still holds
 * data is reset when closed or at its next timeout. A socket holding less than {@code tcp_rmem[0]} is given room below the hard
 * limit, and under pressure so is one using less than its fair share ({@code tcp_mem[2]} over the number of
 * sockets), as in Linux.
 *
 * <p>Linux charges whole pages through a per-socket forward allocation; here the charge is exact in bytes and
 * compared in pages of {@link #PAGE_SIZE}, which the loop's single thread makes cheap.
 */
final class TcpMem {
    static final int PAGE_SIZE = 4096;
    /** {@code SOCK_MIN_SNDBUF}: two minimal buffers. */
    private static final int SOCK_MIN_SNDBUF = 4608;

    private TcpMem() {}

    /**
     * Charges {@code bytes} of buffers to TCP ({@code sk_memory_allocated_add}): a queued segment's directly
     * ({@code sk_wmem_queued_add}), a received one's through {@link #rcharge}.
     */
    static void charge(Tcp tcp, int bytes) { tcp.memoryAllocated += bytes; }

    /** Uncharges freed buffers ({@code sk_mem_reclaim}); the pressure ends below tcp_mem[0]. */
    static void uncharge(Tcp tcp, int bytes) {
        tcp.memoryAllocated -= bytes;
        if (tcp.memoryPressure && pages(tcp.memoryAllocated) < tcp.sysctls.mem.get(0)) tcp.memoryPressure = false;
    }

    /** Charges {@code bytes} of receive buffers to {@code tp} and to TCP ({@code skb_set_owner_r}). */
    static void rcharge(TcpSock tp, int bytes) {
        tp.rmemAlloc += bytes;
        charge(tp.tcp, bytes);
    }

    /** Uncharges freed receive buffers ({@code sock_rfree}, {@code sk_mem_reclaim}); pressure ends below tcp_mem[0]. */
    static void runcharge(TcpSock tp, int bytes) {
        tp.rmemAlloc -= bytes;
        uncharge(tp.tcp, bytes);
    }

    /**
     * sk_rmem_schedule: may {@code tp} take {@code size} more bytes of receive buffers? Enters memory pressure past
     * {@code tcp_mem[1]} (TCPMemoryPressures) and leaves it under {@code tcp_mem[0]}.
     */
    static boolean rmemSchedule(TcpSock tp, int size) { return raiseAllocated(tp, size, true); }

    /**
     * sk_wmem_schedule for a new send buffer of {@code size} bytes that would queue {@code payload} more bytes: as
     * {@link #rmemSchedule}, with {@code tcp_wmem[0]} guaranteed; refused, the send buffer is moderated to half of
     * what is queued ({@code sk_stream_moderate_sndbuf}), and a socket under its (new) buffer must wait for memory
     * to be freed, while one at it is let through, so it is slowed, never stuck.
     */
    static boolean wmemSchedule(TcpSock tp, int size, int payload) {
        if (raiseAllocated(tp, size, false)) return true;
        if ((tp.userlocks & io.inet4j.socket.Sock.SOCK_SNDBUF_LOCK) == 0) {
            tp.sndbuf = Math.max(Math.min(tp.sndbuf, tp.wmemQueued >> 1), SOCK_MIN_SNDBUF);
        }
        return tp.wmemQueued + payload >= tp.sndbuf;
    }

    /** Whether {@code size} more bytes keep TCP's memory at or below {@code tcp_mem[0]}, where nothing is refused. */
    static boolean belowLow(Tcp tcp, int size) { return pages(tcp.memoryAllocated + size) <= tcp.sysctls.mem.get(0); }

    /** __sk_mem_raise_allocated's decision, without its charge (charges are exact here, made as buffers queue). */
    private static boolean raiseAllocated(TcpSock tp, int size, boolean recv) {
        Tcp tcp = tp.tcp;
        long allocated = pages(tcp.memoryAllocated + size);
        if (allocated <= tcp.sysctls.mem.get(0)) {
            tcp.memoryPressure = false;
            return true;
        }
        if (allocated > tcp.sysctls.mem.get(1) && !tcp.memoryPressure) {
            tcp.memoryPressure = true;
            tcp.ext.inc(TcpExtMib.TCPMemoryPressures);
        }
        if (allocated > tcp.sysctls.mem.get(2)) return false;
        // The guaranteed minimum (RFC 7323's features need a few segments), but not past the hard limit.
        if (recv ? tp.rmemAlloc < tcp.sysctls.rmem.get(0) : tp.wmemQueued < tcp.sysctls.wmem.get(0)) return true;
        if (!tcp.memoryPressure) return true;
        // Fair share: a socket below the average a hard limit allows may still grow.
        return (long) tcp.sysctls.mem.get(2) > (long) tcp.socketCount() * pages(tp.wmemQueued + tp.rmemAlloc);
    }

    /**
     * tcp_out_of_resources for an orphan whose timer fired: when {@link #checkOom} finds too many orphans or TCP out
     * of memory, nobody will ever read or write its connection again, so it goes (TCPAbortOnMemory), with a RST
     * when {@code reset} or when the peer may still be listening: it sent recently, or its window is closed with
     * nothing in flight. An orphan whose peer has been silent or whose path is dubious counts double or fourfold
     * against {@code tcp_max_orphans}.
     */
    static boolean outOfResources(TcpSock tp, boolean reset) {
        Tcp tcp = tp.tcp;
        long sinceSend = TcpSock.sinceJiffies(tcp.now(), tp.lsndtime);
        int shift = 0;
        if (sinceSend > 2 * RtoEstimator.TCP_RTO_MAX || !reset) shift++;
        if (tp.errSoft != 0) shift++;
        if (!checkOom(tp, shift)) return false;
        if (sinceSend <= Tcp.TCP_TIMEWAIT_LEN || (tp.sndWnd == 0 && tp.packetsOut == 0)) reset = true;
        if (reset) TcpOutput.sendActiveReset(tp);
        TcpSock.done(tp);
        tcp.ext.inc(TcpExtMib.TCPAbortOnMemory);
        return true;
    }

    /**
     * tcp_check_oom: more orphans than {@code tcp_max_orphans} (each counting {@code 1 << shift},
     * {@code tcp_too_many_orphans}), or TCP past {@code tcp_mem[2]} while {@code tp} still holds more than
     * {@code SOCK_MIN_SNDBUF} of send buffers ({@code tcp_out_of_memory}).
     */
    static boolean checkOom(TcpSock tp, int shift) {
        Tcp tcp = tp.tcp;
        boolean tooManyOrphans = (long) tcp.orphanCount << shift > tcp.sysctls.maxOrphans.get();
        boolean outOfMemory = tp.wmemQueued > SOCK_MIN_SNDBUF && pages(tcp.memoryAllocated) > tcp.sysctls.mem.get(2);
        return tooManyOrphans || outOfMemory;
    }

    /** Whether TCP holds {@code tcp_mem[0]} pages or more: then no send buffer grows ({@code tcp_should_expand_sndbuf}). */
    static boolean aboveLow(Tcp tcp) { return pages(tcp.memoryAllocated) >= tcp.sysctls.mem.get(0); }

    /** tcp_under_memory_pressure. */
    static boolean underPressure(TcpSock tp) { return tp.tcp.memoryPressure; }

    /** tcp_adjust_rcv_ssthresh: under memory pressure the window stops at four segments. */
    static void adjustRcvSsthresh(TcpSock tp) { tp.rcvSsthresh = Math.min(tp.rcvSsthresh, 4 * tp.advmss); }

    /** Pages of {@link #PAGE_SIZE} that {@code bytes} take ({@code sk_mem_pages}). */
    static long pages(long bytes) { return (bytes + PAGE_SIZE - 1) / PAGE_SIZE; }
}
