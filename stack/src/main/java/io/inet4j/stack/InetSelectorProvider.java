package io.inet4j.stack;

import io.inet4j.socket.SockType;
import java.io.IOException;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.nio.channels.Pipe;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.AbstractSelector;
import java.nio.channels.spi.SelectorProvider;

/**
 * The {@link SelectorProvider} of one {@link InetStack} ({@link InetStack#selectorProvider()}, or of one hook scope
 * of it, {@link StackScope#selectorProvider()}): its
 * {@link SocketChannel}s, {@link ServerSocketChannel}s, {@link DatagramChannel}s and {@link java.nio.channels.Selector}s run on the stack
 * instead of the host's kernel, so NIO code that takes a provider (Netty's NIO transport, for one) runs on inet4j
 * unchanged. The analog of the JDK's {@code sun.nio.ch.DefaultSelectorProvider} with epoll underneath: see
 * {@link InetSelector}.
 */
public final class InetSelectorProvider extends SelectorProvider {
    private final StackScope scope;

    InetSelectorProvider(StackScope scope) { this.scope = scope; }

    /** The stack whose sockets the channels are. */
    public InetStack stack() { return scope.stack(); }

    @Override
    public AbstractSelector openSelector() { return new InetSelector(this); }

    /** A TCP socket channel, unconnected, in blocking mode (as the JDK's). */
    @Override
    public SocketChannel openSocketChannel() throws IOException { return new InetSocketChannel(this, SocketHandle.open(scope.stack(), scope.scope())); }

    /** A TCP listening channel, unbound, with SO_REUSEADDR on (as the JDK's on Linux). */
    @Override
    public ServerSocketChannel openServerSocketChannel() throws IOException {
        SocketHandle h = SocketHandle.open(scope.stack(), scope.scope());
        try {
            return new InetServerSocketChannel(this, h);
        } catch (IOException | RuntimeException e) {
            h.close();
            throw e;
        }
    }

    /** A UDP channel, unbound, unconnected, in blocking mode (as the JDK's): {@link InetDatagramChannel}. */
    @Override
    public DatagramChannel openDatagramChannel() throws IOException {
        return new InetDatagramChannel(this, SocketHandle.open(scope.stack(), scope.scope(), SockType.SOCK_DGRAM));
    }

    /** {@link #openDatagramChannel()} for {@link StandardProtocolFamily#INET}; the stack has no other family. */
    @Override
    public DatagramChannel openDatagramChannel(ProtocolFamily family) throws IOException {
        if (family != StandardProtocolFamily.INET) throw new UnsupportedOperationException("IPv4 only: " + family);
        return openDatagramChannel();
    }

    /** A pipe is the host's business, not a network stack's. */
    @Override
    public Pipe openPipe() { throw new UnsupportedOperationException("inet4j has no pipes"); }
}
