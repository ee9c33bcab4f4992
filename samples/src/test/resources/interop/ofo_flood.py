#!/usr/bin/env python3
"""One-byte out-of-order flood for TcpMemoryInteropTest.

Usage: ofo_flood.py HOST PORT CONNECTIONS SEGMENTS

Opens CONNECTIONS kernel TCP connections to HOST:PORT, reads each one's next sequence number and rcv_nxt
with TCP_REPAIR (root), then sends SEGMENTS one-byte segments on each through a raw socket, interleaved
across the connections, every one out of order: islands two bytes apart in a scrambled order within the
first 64000 bytes past the hole at snd_nxt. The kernel sockets stay open (their peer holds the state) and
are closed, with a FIN at snd_nxt, at the end. Prints one summary line.
"""
import errno
import socket
import struct
import sys
import time

TCP_REPAIR, TCP_REPAIR_QUEUE, TCP_QUEUE_SEQ = 19, 20, 21
TCP_RECV_QUEUE, TCP_SEND_QUEUE = 1, 2
TCP_REPAIR_OFF_NO_WP = -1
ACK = 0x10


def queue_seq(s, queue):
    s.setsockopt(socket.IPPROTO_TCP, TCP_REPAIR_QUEUE, queue)
    return struct.unpack("I", s.getsockopt(socket.IPPROTO_TCP, TCP_QUEUE_SEQ, 4))[0]


def fold(x):
    while x >> 16:
        x = (x & 0xFFFF) + (x >> 16)
    return x


def words(b):
    if len(b) % 2:
        b += b"\0"
    return sum(struct.unpack("!%dH" % (len(b) // 2), b))


def main():
    host, port, n, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    dst = socket.inet_aton(host)
    conns = []
    for _ in range(n):
        s = socket.create_connection((host, port), timeout=10)
        s.setsockopt(socket.IPPROTO_TCP, TCP_REPAIR, 1)
        snd = queue_seq(s, TCP_SEND_QUEUE)
        rcv = queue_seq(s, TCP_RECV_QUEUE)
        s.setsockopt(socket.IPPROTO_TCP, TCP_REPAIR, TCP_REPAIR_OFF_NO_WP)
        src_ip, sport = s.getsockname()
        src = socket.inet_aton(src_ip)
        # The checksum of everything but the sequence number and the payload byte.
        fixed = struct.pack("!4s4sBBH", src, dst, 0, socket.IPPROTO_TCP, 21) + struct.pack(
            "!HHIIBBHHH", sport, port, 0, rcv, 5 << 4, ACK, 65535, 0, 0)
        conns.append((s, src, sport, snd, rcv, words(fixed)))

    raw = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    sent = nobufs = 0
    t0 = time.monotonic()
    for i in range(count):
        off = 2 + (i * 2 * 7919) % 64000
        byte = i & 0xFF
        for (s, src, sport, snd, rcv, base) in conns:
            seq = (snd + off) & 0xFFFFFFFF
            csum = ~fold(base + (seq >> 16) + (seq & 0xFFFF) + (byte << 8)) & 0xFFFF
            pkt = struct.pack("!BBHHHBBH4s4sHHIIBBHHHB", 0x45, 0, 41, 0, 0, 64, socket.IPPROTO_TCP, 0, src, dst,
                              sport, port, seq, rcv, 5 << 4, ACK, 65535, csum, 0, byte)
            while True:
                try:
                    raw.sendto(pkt, (host, 0))
                    break
                except OSError as e:
                    if e.errno != errno.ENOBUFS:
                        raise
                    nobufs += 1
                    time.sleep(0.0002)
            sent += 1
    elapsed = time.monotonic() - t0
    for c in conns:
        c[0].close()
    print("flooded %d connections x %d segments: %d sent in %.1f s, %d ENOBUFS retries" % (n, count, sent, elapsed, nobufs),
          flush=True)


if __name__ == "__main__":
    main()
