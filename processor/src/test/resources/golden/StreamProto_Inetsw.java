package p;

import io.inet4j.protocol.InetProtoswTable;
import io.inet4j.protocol.ProtocolContext;
import io.inet4j.socket.Proto;
import io.inet4j.socket.ProtoOps;
import javax.annotation.processing.Generated;

/**
 * The AF_INET switch table row ({@code inetsw_array}) for {@link StreamProto}, from its {@code @InetProtosw}.
 */
@Generated("io.inet4j.processor.ProtocolTableProcessor")
public final class StreamProto_Inetsw implements InetProtoswTable {
    private static final ProtoOps OPS = StreamOps.INSTANCE;

    @Override
    public int type() {
        return 1;
    }

    @Override
    public int protocol() {
        return 6;
    }

    @Override
    public int flags() {
        return 6;
    }

    @Override
    public String name() {
        return "p.StreamProto";
    }

    @Override
    public ProtoOps ops() {
        return OPS;
    }

    @Override
    public Proto newProto(ProtocolContext ctx) {
        return new StreamProto(ctx);
    }
}
