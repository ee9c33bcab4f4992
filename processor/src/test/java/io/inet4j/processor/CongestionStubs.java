package io.inet4j.processor;

import com.google.testing.compile.JavaFileObjects;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.JavaFileObject;

/**
 * Stand-ins for proto-tcp's congestion control types ({@code tcp_congestion_ops} and its registration), which the
 * processor's tests cannot depend on since proto-tcp runs this processor: same names, only what the processor
 * reads, compiled along with each test source.
 */
final class CongestionStubs {
    private static final List<JavaFileObject> SOURCES = List.of(
            JavaFileObjects.forSourceString("io.inet4j.tcp.cong.TcpCongestion", """
                    package io.inet4j.tcp.cong;

                    public @interface TcpCongestion {
                        String value();
                    }
                    """),
            JavaFileObjects.forSourceString("io.inet4j.tcp.cong.TcpCongestionOps", """
                    package io.inet4j.tcp.cong;

                    public interface TcpCongestionOps {}
                    """),
            JavaFileObjects.forSourceString("io.inet4j.tcp.cong.TcpCongestionTable", """
                    package io.inet4j.tcp.cong;

                    public interface TcpCongestionTable {
                        String name();

                        TcpCongestionOps newOps();
                    }
                    """));

    private CongestionStubs() {}

    /** {@code sources} and the stubs, to compile together. */
    static List<JavaFileObject> with(JavaFileObject... sources) {
        return Stream.concat(Stream.of(sources), SOURCES.stream()).toList();
    }
}
