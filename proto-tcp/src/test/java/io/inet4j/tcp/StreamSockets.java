package io.inet4j.tcp;

import io.inet4j.socket.ErrnoException;
import io.inet4j.socket.IpProto;
import io.inet4j.socket.MsgHdr;
import io.inet4j.socket.SockAddrIn;
import io.inet4j.socket.SockType;
import io.inet4j.socket.Socket;
import io.inet4j.stack.InetStack;
import java.nio.ByteBuffer;

/** Kernel-level stream socket calls for tests on a simulated loop (every call runs at once on the test thread). */
final class StreamSockets {
    private StreamSockets() {}

    static Socket socket(InetStack s) throws ErrnoException { return s.socket(SockType.SOCK_STREAM, IpProto.IPPROTO_TCP).socket(); }

    static SockAddrIn addr(String a, int port) { return new SockAddrIn(SockAddrIn.parseAddress(a), port); }

    static Socket listener(InetStack s, int port, int backlog) throws ErrnoException {
        Socket l = socket(s);
        ErrnoException.check(l.ops.bind(l, new SockAddrIn(0, port)), "bind");
        ErrnoException.check(l.ops.listen(l, backlog), "listen");
        return l;
    }

    static int connect(Socket s, String a, int port) { return s.ops.connect(s, addr(a, port), 0); }

    static Socket accept(Socket l) {
        Socket n = new Socket(SockType.SOCK_STREAM);
        return l.ops.accept(l, n, 0) == 0 ? n : null;
    }

    static int write(Socket s, byte[] data, int off, int len) {
        return s.ops.sendmsg(s, new MsgHdr(ByteBuffer.wrap(data, off, len), null), 0);
    }

    /** Reads up to {@code max} bytes: the count, 0 at end of stream, or -errno. */
    static int read(Socket s, byte[] into, int off, int max) {
        return s.ops.recvmsg(s, new MsgHdr(ByteBuffer.wrap(into, off, max), null), 0);
    }
}
