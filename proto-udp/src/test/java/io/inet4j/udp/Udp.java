package io.inet4j.udp;

import io.inet4j.socket.ErrnoException;
import io.inet4j.socket.IpProto;
import io.inet4j.socket.MsgHdr;
import io.inet4j.socket.SockAddr;
import io.inet4j.socket.SockAddrIn;
import io.inet4j.socket.SockOpt;
import io.inet4j.socket.SockType;
import io.inet4j.socket.Socket;
import io.inet4j.stack.InetStack;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Test helpers: UDP socket calls through the socket's ops, as the system calls make them on the loop. */
final class Udp {
    private Udp() {}

    static Socket open(InetStack stack) throws ErrnoException {
        return stack.socket(SockType.SOCK_DGRAM, IpProto.IPPROTO_UDP).socket();
    }

    static SockAddrIn addr(String ip, int port) { return new SockAddrIn(SockAddrIn.parseAddress(ip), port); }

    static int bind(Socket s, String ip, int port) { return s.ops.bind(s, addr(ip, port)); }

    static int connect(Socket s, SockAddr to) { return s.ops.connect(s, to, 0); }

    static int set(Socket s, int option, int value) { return s.ops.setsockopt(s, SockOpt.SOL_SOCKET, option, value); }

    static int sendto(Socket s, SockAddr to, byte[] data, int flags) {
        return s.ops.sendmsg(s, new MsgHdr(ByteBuffer.wrap(data), to), flags);
    }

    static int sendto(Socket s, SockAddr to, String text) {
        return sendto(s, to, text.getBytes(StandardCharsets.UTF_8), 0);
    }

    /** recvmsg into a {@code capacity}-byte buffer: the result, with the data flipped in {@code msg.data}. */
    static MsgHdr recv(Socket s, int capacity, int flags, int[] result) {
        MsgHdr msg = new MsgHdr(ByteBuffer.allocate(capacity), null);
        result[0] = s.ops.recvmsg(s, msg, flags);
        msg.data.flip();
        return msg;
    }

    /** One datagram as text, or null when none is queued. */
    static String recvText(Socket s) {
        int[] r = new int[1];
        MsgHdr msg = recv(s, 65536, 0, r);
        return r[0] < 0 ? null : StandardCharsets.UTF_8.decode(msg.data).toString();
    }

    static SockAddrIn name(Socket s, boolean peer, int[] result) {
        SockAddr.Holder h = new SockAddr.Holder();
        result[0] = s.ops.getname(s, h, peer);
        return (SockAddrIn) h.value;
    }

    static int poll(Socket s) { return s.ops.poll(s); }
}
