package io.inet4j.stack;

import io.inet4j.hook.Scope;
import io.inet4j.stack.javanet.InetServerSocketFactory;
import io.inet4j.stack.javanet.InetSocketFactory;
import io.inet4j.socket.ErrnoException;
import io.inet4j.socket.Socket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketException;

/**
 * An {@link InetStack} seen from one hook {@link Scope}: the sockets it makes belong to that scope ({@code
 * Sock.scope}), so its hooks and those it inherits run for them, as a process's sockets belong to its cgroup
 * ({@code cgroup_sk_alloc}). Connections a server socket accepts belong to the server's scope. From
 * {@link InetStack#in}; the stack's own {@code socket()} / {@code serverSocket()} are the root scope's.
 */
public final class StackScope {
    private final InetStack stack;
    private final Scope scope;

    StackScope(InetStack stack, Scope scope) {
        this.stack = stack;
        this.scope = scope;
    }

    public Scope scope() { return scope; }

    /** The stack this is a view of. */
    public InetStack stack() { return stack; }

    /** NIO channels and selectors whose sockets belong to this scope, as {@link InetStack#selectorProvider()}. */
    public InetSelectorProvider selectorProvider() { return new InetSelectorProvider(this); }

    /** java.net sockets of this scope for libraries that take a factory, as {@link InetStack#socketFactory()}. */
    public InetSocketFactory socketFactory() { return new InetSocketFactory(this); }

    /** java.net server sockets of this scope, as {@link InetStack#serverSocketFactory()}. */
    public InetServerSocketFactory serverSocketFactory() { return new InetServerSocketFactory(this); }

    /** socket(AF_INET, type, protocol) in this scope, as {@link InetStack#socket(int, int)}. */
    public SocketFd socket(int type, int protocol) throws ErrnoException {
        Socket[] out = new Socket[1];
        ErrnoException.check(stack.socketCreate(scope, type, protocol, out), "socket");
        return new SocketFd(new SocketHandle(stack, out[0]));
    }

    /** A new, unconnected stream socket in this scope, as {@link InetStack#socket()}. */
    public InetSocket socket() throws SocketException { return new InetSocket(SocketHandle.open(stack, scope)); }

    /** A TCP server socket of this scope listening on {@code port} (0: ephemeral) of every local address, backlog 50. */
    public InetServerSocket serverSocket(int port) throws IOException {
        return serverSocket(port, InetServerSocket.DEFAULT_BACKLOG, null);
    }

    public InetServerSocket serverSocket(int port, int backlog) throws IOException { return serverSocket(port, backlog, null); }

    /** A TCP server socket of this scope on {@code bindAddr} (an IPv4 literal, null for every address) and {@code port}. */
    public InetServerSocket serverSocket(int port, int backlog, String bindAddr) throws IOException {
        InetServerSocket s = serverSocket();
        try {
            s.bind(bindAddr == null ? new InetSocketAddress(port) : InetSocketAddress.createUnresolved(bindAddr, port), backlog);
            return s;
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /** An unbound TCP server socket of this scope. */
    public InetServerSocket serverSocket() throws SocketException {
        SocketHandle h = SocketHandle.open(stack, scope);
        try {
            return new InetServerSocket(h);
        } catch (SocketException | RuntimeException e) {
            h.close();
            throw e;
        }
    }

    @Override
    public String toString() { return stack.net().name() + " in " + scope.path(); }
}
