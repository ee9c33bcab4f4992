package io.inet4j.stack.javanet;

import io.inet4j.socket.SockAddrIn;
import io.inet4j.stack.InetStack;
import io.inet4j.stack.StackScope;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.util.Objects;
import javax.net.SocketFactory;

/**
 * A {@link SocketFactory} whose sockets are inet4j's ({@link InetSocketAdaptor}): give it to a library that takes
 * one (OkHttp's {@code socketFactory}, a JDBC driver's {@code socketFactory} property, Apache HttpClient's
 * connection socket factory) and its connections run over the stack instead of the host's. The five
 * {@code createSocket} overloads do what the JDK's default factory's {@code new Socket(...)} does: the
 * unconnected one for the library to connect itself, the others bind (when a local address is given) and
 * connect, closing the socket if that fails.
 *
 * <p>Names: the stack has no resolver, and the host's would answer for another network, so a host given as a
 * string must be an IPv4 literal (null means loopback, as for {@link InetAddress#getByName}); anything else is
 * the {@link UnknownHostException} the JDK throws for a name it cannot resolve. Libraries that resolve names
 * themselves (OkHttp's {@code Dns}) connect with addresses and never reach this.
 */
public final class InetSocketFactory extends SocketFactory {
    private final StackScope scope;

    /** Sockets of {@code stack}'s root scope. */
    public InetSocketFactory(InetStack stack) { this(Objects.requireNonNull(stack, "stack").in(stack.hooks().root())); }

    /** Sockets of one hook scope ({@link InetStack#in}). */
    public InetSocketFactory(StackScope scope) { this.scope = Objects.requireNonNull(scope, "scope"); }

    /** An unconnected socket. */
    @Override
    public Socket createSocket() throws IOException { return new InetSocketAdaptor(scope.socket()); }

    @Override
    public Socket createSocket(String host, int port) throws IOException { return open(resolve(host), port, null, 0); }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return open(resolve(host), port, localHost, localPort);
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException { return open(host, port, null, 0); }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        return open(address, port, localAddress, localPort);
    }

    /** {@code new Socket(address, port, localAddress, localPort)}: a null local address binds any address. */
    private Socket open(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        InetSocketAddress remote = new InetSocketAddress(Objects.requireNonNull(address), port);
        InetSocketAddress local = new InetSocketAddress(localAddress, localPort);
        Socket s = createSocket();
        try {
            s.bind(local);
            s.connect(remote);
            return s;
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /** An IPv4 literal, or loopback for null; the JDK's UnknownHostException for a name. */
    static InetAddress resolve(String host) throws UnknownHostException {
        if (host == null) return InetAddress.getByAddress("localhost", new byte[] {127, 0, 0, 1});
        int a;
        try {
            a = SockAddrIn.parseAddress(host);
        } catch (IllegalArgumentException notLiteral) {
            throw new UnknownHostException(host + ": inet4j has no resolver; give an IPv4 address");
        }
        return InetAddress.getByAddress(new byte[] {(byte) (a >>> 24), (byte) (a >>> 16), (byte) (a >>> 8), (byte) a});
    }
}
