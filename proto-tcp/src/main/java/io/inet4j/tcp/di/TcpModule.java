package io.inet4j.tcp.di;

import dagger.Module;
import dagger.Provides;
import dagger.multibindings.IntoSet;
import io.inet4j.protocol.InetProtoswTable;
import io.inet4j.protocol.NetProtocolTable;
import io.inet4j.tcp.TcpProt_Inetsw;
import io.inet4j.tcp.TcpV4Rcv_NetProtocol;

/**
 * Dagger bindings of TCP for a stack that builds it in ({@code CONFIG_INET} with TCP, as Linux always does):
 * {@code tcp_prot} as the SOCK_STREAM row of the inet switch and {@code tcp_v4_rcv} as {@code inet_protos[6]},
 * through the same generated tables the class path would find (the stack registers each table once).
 */
@Module
public interface TcpModule {
    @Provides
    @IntoSet
    static InetProtoswTable tcpProt() { return new TcpProt_Inetsw(); }

    @Provides
    @IntoSet
    static NetProtocolTable tcpV4Rcv() { return new TcpV4Rcv_NetProtocol(); }
}
