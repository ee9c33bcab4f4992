package io.inet4j.ipv4.testing;

import io.inet4j.ipv4.wire.IcmpHeader;
import io.inet4j.socket.ErrnoException;
import io.inet4j.socket.IpProto;
import io.inet4j.socket.MsgFlags;
import io.inet4j.socket.MsgHdr;
import io.inet4j.socket.PollEvents;
import io.inet4j.socket.SockAddrIn;
import io.inet4j.socket.SockType;
import io.inet4j.socket.Socket;
import io.inet4j.stack.InetStack;
import java.nio.ByteBuffer;

/** Test helpers around ping sockets: send one echo request, read one reply or error. */
public final class PingSockets {
    private PingSockets() {}

    public static Socket open(InetStack stack) throws ErrnoException {
        return stack.socket(SockType.SOCK_DGRAM, IpProto.IPPROTO_ICMP).socket();
    }

    /** Sends an echo request with {@code size} payload bytes; returns sendmsg's result. */
    public static int sendEcho(Socket s, String dest, int seq, int size) {
        ByteBuffer req = ByteBuffer.allocate(IcmpHeader.LENGTH + size);
        req.put((byte) IcmpHeader.ECHO).put((byte) 0).putShort((short) 0).putShort((short) 0).putShort((short) seq);
        for (int i = 0; i < size; i++) req.put((byte) i);
        req.flip();
        return s.ops.sendmsg(s, new MsgHdr(req, new SockAddrIn(SockAddrIn.parseAddress(dest), 0)), 0);
    }

    public static boolean readable(Socket s) { return (s.ops.poll(s) & PollEvents.POLLIN) != 0; }

    public static boolean hasError(Socket s) { return (s.ops.poll(s) & PollEvents.POLLERR) != 0; }

    /** Reads one reply into a new buffer (flipped), with the sender in {@code msg.name}; null when none. */
    public static MsgHdr recv(Socket s, int capacity) {
        MsgHdr msg = new MsgHdr(ByteBuffer.allocate(capacity), null);
        int r = s.ops.recvmsg(s, msg, 0);
        if (r < 0) return null;
        msg.data.flip();
        return msg;
    }

    /** Reads one queued ICMP error: data is (type, code), name is the reporting host; null when none. */
    public static MsgHdr recvError(Socket s) {
        MsgHdr msg = new MsgHdr(ByteBuffer.allocate(2), null);
        int r = s.ops.recvmsg(s, msg, MsgFlags.MSG_ERRQUEUE);
        if (r < 0) return null;
        msg.data.flip();
        return msg;
    }
}
