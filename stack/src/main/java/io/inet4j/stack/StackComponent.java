package io.inet4j.stack;

/**
 * What every stack's Dagger component gives: the assembled {@link InetStack}. Each assembly declares its own
 * component over the Dagger modules of the protocol modules it builds in ({@code CoreModule},
 * {@code Ipv4Module}, {@link StackModule}, and for the complete stack {@code TcpModule}).
 */
public interface StackComponent {
    InetStack stack();
}
