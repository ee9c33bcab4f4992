package io.inet4j.tcp.cong;

// TODO(lead): generated once the processor registry lands; delete at merge

/** The {@code tcp_cong_list} entry of {@link Reno}, as the processor will write it from {@code @TcpCongestion}. */
public final class Reno_TcpCongestion implements TcpCongestionTable {
    @Override public String name() { return "reno"; }

    @Override public TcpCongestionOps newOps() { return new Reno(); }
}
