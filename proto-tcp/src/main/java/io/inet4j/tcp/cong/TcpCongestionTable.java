package io.inet4j.tcp.cong;

/**
 * One entry of {@code tcp_cong_list}, found with {@link java.util.ServiceLoader} when a stack starts; generated
 * from {@link TcpCongestion}.
 */
public interface TcpCongestionTable {
    /** The algorithm's name ({@code tcp_congestion_ops.name}). */
    String name();

    /** A fresh instance for one socket: its private state is the socket's {@code icsk_ca_priv}. */
    TcpCongestionOps newOps();
}
