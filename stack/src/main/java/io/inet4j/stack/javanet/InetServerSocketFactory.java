package io.inet4j.stack.javanet;

import io.inet4j.stack.InetStack;
import io.inet4j.stack.StackScope;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Objects;
import javax.net.ServerSocketFactory;

/**
 * A {@link ServerSocketFactory} whose server sockets listen on the inet4j stack ({@link InetServerSocketAdaptor}):
 * a server written against {@code ServerSocket} that takes a factory serves the stack's network. The overloads
 * are the JDK's {@code new ServerSocket(port, backlog, bindAddr)}: port 0 is ephemeral, a backlog below 1 is 50,
 * a null address is every local address, and a failed bind closes the socket.
 */
public final class InetServerSocketFactory extends ServerSocketFactory {
    private final StackScope scope;

    /** Sockets of {@code stack}'s root scope. */
    public InetServerSocketFactory(InetStack stack) { this(Objects.requireNonNull(stack, "stack").in(stack.hooks().root())); }

    /** Sockets of one hook scope ({@link InetStack#in}). */
    public InetServerSocketFactory(StackScope scope) { this.scope = Objects.requireNonNull(scope, "scope"); }

    /** An unbound server socket, for options that must be set before bind. */
    @Override
    public ServerSocket createServerSocket() throws IOException { return new InetServerSocketAdaptor(scope.serverSocket()); }

    @Override
    public ServerSocket createServerSocket(int port) throws IOException { return createServerSocket(port, 50, null); }

    @Override
    public ServerSocket createServerSocket(int port, int backlog) throws IOException { return createServerSocket(port, backlog, null); }

    @Override
    public ServerSocket createServerSocket(int port, int backlog, InetAddress ifAddress) throws IOException {
        InetSocketAddress local = new InetSocketAddress(ifAddress, port);
        ServerSocket s = createServerSocket();
        try {
            s.bind(local, backlog);
            return s;
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }
}
