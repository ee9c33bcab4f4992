package io.inet4j.stack;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.SocketAddress;
import java.net.SocketImpl;

/**
 * The placeholder {@link SocketImpl} the socket adaptors hand to their superclass constructor, which insists on
 * one (the JDK's {@code sun.nio.ch.DummySocketImpl}): the adaptors override every public method, so nothing
 * reaches it, and everything here fails if something does.
 */
final class NoSocketImpl extends SocketImpl {
    private static UnsupportedOperationException unused() {
        return new UnsupportedOperationException("an inet4j socket adaptor does not use a SocketImpl");
    }

    @Override
    protected void create(boolean stream) { throw unused(); }

    @Override
    protected void connect(String host, int port) { throw unused(); }

    @Override
    protected void connect(InetAddress address, int port) { throw unused(); }

    @Override
    protected void connect(SocketAddress address, int timeout) { throw unused(); }

    @Override
    protected void bind(InetAddress host, int port) { throw unused(); }

    @Override
    protected void listen(int backlog) { throw unused(); }

    @Override
    protected void accept(SocketImpl s) { throw unused(); }

    @Override
    protected InputStream getInputStream() { throw unused(); }

    @Override
    protected OutputStream getOutputStream() { throw unused(); }

    @Override
    protected int available() { throw unused(); }

    @Override
    protected void close() { throw unused(); }

    @Override
    protected void sendUrgentData(int data) { throw unused(); }

    @Override
    public void setOption(int optID, Object value) { throw unused(); }

    @Override
    public Object getOption(int optID) { throw unused(); }
}
