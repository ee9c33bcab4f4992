package io.inet4j.stack.javanet;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketImpl;

/**
 * The {@link SocketImpl} handed to {@code java.net.Socket}'s and {@code ServerSocket}'s constructors by the
 * adaptors, which override every public method and never reach it: the JDK's {@code sun.nio.ch.DummySocketImpl}.
 * ServerSocket refuses a null one, and should a future JDK add a method the adaptors do not override, it fails
 * here, loudly, instead of opening a host socket.
 */
final class DetachedSocketImpl extends SocketImpl {
    private static SocketException detached() {
        return new SocketException("an inet4j socket has no java.net.SocketImpl");
    }

    @Override protected void create(boolean stream) throws SocketException { throw detached(); }
    @Override protected void connect(String host, int port) throws SocketException { throw detached(); }
    @Override protected void connect(InetAddress address, int port) throws SocketException { throw detached(); }
    @Override protected void connect(SocketAddress address, int timeout) throws SocketException { throw detached(); }
    @Override protected void bind(InetAddress host, int port) throws SocketException { throw detached(); }
    @Override protected void listen(int backlog) throws SocketException { throw detached(); }
    @Override protected void accept(SocketImpl s) throws SocketException { throw detached(); }
    @Override protected InputStream getInputStream() throws SocketException { throw detached(); }
    @Override protected OutputStream getOutputStream() throws SocketException { throw detached(); }
    @Override protected int available() throws SocketException { throw detached(); }
    @Override protected void close() {}
    @Override protected void sendUrgentData(int data) throws SocketException { throw detached(); }
    @Override public void setOption(int optID, Object value) throws SocketException { throw detached(); }
    @Override public Object getOption(int optID) throws SocketException { throw detached(); }
}
