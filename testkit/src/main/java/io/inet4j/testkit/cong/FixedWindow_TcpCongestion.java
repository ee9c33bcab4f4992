package io.inet4j.testkit.cong;

// TODO(lead): generated once the processor registry lands; delete at merge

import io.inet4j.tcp.cong.TcpCongestionOps;
import io.inet4j.tcp.cong.TcpCongestionTable;

/** The {@code tcp_cong_list} entry of {@link FixedWindow}, as the processor will write it from {@code @TcpCongestion}. */
public final class FixedWindow_TcpCongestion implements TcpCongestionTable {
    @Override public String name() { return "i4j_fixed"; }

    @Override public TcpCongestionOps newOps() { return new FixedWindow(); }
}
