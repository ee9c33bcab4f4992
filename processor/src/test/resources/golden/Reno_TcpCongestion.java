package p;

import io.inet4j.tcp.cong.TcpCongestionOps;
import io.inet4j.tcp.cong.TcpCongestionTable;
import javax.annotation.processing.Generated;

/**
 * The {@code tcp_cong_list} entry for {@link Reno}, from its {@code @TcpCongestion}.
 */
@Generated("io.inet4j.processor.ProtocolTableProcessor")
public final class Reno_TcpCongestion implements TcpCongestionTable {
    @Override
    public String name() {
        return "reno";
    }

    @Override
    public TcpCongestionOps newOps() {
        return new Reno();
    }
}
