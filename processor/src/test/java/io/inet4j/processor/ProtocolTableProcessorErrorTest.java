package io.inet4j.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Each misuse is one compile error, with its message, on the line of the annotation or of the bad value. */
class ProtocolTableProcessorErrorTest {
    private static final String HEADER = """
            package p;

            import io.inet4j.net.Net;
            import io.inet4j.processor.fixtures.*;
            import io.inet4j.protocol.*;
            import io.inet4j.socket.*;
            import io.inet4j.tcp.cong.*;

            """;
    /** The line a {@link #source} body starts on, after {@link #HEADER}. */
    private static final int BODY = 9;

    @Test
    void rejectsAnInterface() {
        JavaFileObject foo = source("Foo", """
                @InetProtosw(type = 1, protocol = 6, ops = StubOps.class)
                public interface Foo extends Proto {}
                """);

        assertOnlyError(foo, "@InetProtosw belongs on a class, but Foo is an interface", BODY);
    }

    @Test
    void rejectsAnAbstractClass() {
        JavaFileObject foo = source("Foo", """
                @InetProtosw(type = 1, protocol = 6, ops = StubOps.class)
                public abstract class Foo extends StubProto {}
                """);

        assertOnlyError(foo, "@InetProtosw class Foo must not be abstract", BODY);
    }

    @Test
    void rejectsANonPublicClass() {
        JavaFileObject foo = source("Foo", """
                @InetProtosw(type = 1, protocol = 6, ops = StubOps.class)
                class Foo extends StubProto {}
                """);

        assertOnlyError(foo, "@InetProtosw class Foo must be public, and so must any class enclosing it", BODY);
    }

    @Test
    void rejectsAnInnerClass() {
        JavaFileObject foo = source("Foo", """
                public class Foo {
                    @InetProtosw(type = 1, protocol = 6, ops = StubOps.class)
                    public class Inner extends StubProto {}
                }
                """);

        assertOnlyError(foo, "@InetProtosw class Inner is an inner class; make it static", BODY + 1);
    }

    @Test
    void rejectsAClassThatIsNotAProto() {
        JavaFileObject foo = source("Foo", """
                @InetProtosw(type = 1, protocol = 6, ops = StubOps.class)
                public class Foo {}
                """);

        assertOnlyError(foo, "@InetProtosw class Foo must implement io.inet4j.socket.Proto", BODY);
    }

    @Test
    void rejectsANetProtocolThatIsNotAHandler() {
        JavaFileObject bar = source("Bar", """
                @NetProtocol(protocol = 6)
                public class Bar {}
                """);

        assertOnlyError(bar, "@NetProtocol class Bar must implement io.inet4j.protocol.NetProtocolHandler", BODY);
    }

    @Test
    void rejectsAClassWithoutAUsableConstructor() {
        JavaFileObject foo = source("Foo", """
                @InetProtosw(type = 1, protocol = 6, ops = StubOps.class)
                public class Foo extends StubProto {
                    public Foo(String name) {}

                    Foo() {}
                }
                """);

        assertOnlyError(foo, "@InetProtosw class Foo needs a public constructor taking () or "
                + "(io.inet4j.protocol.ProtocolContext or a subtype of it)", BODY);
    }

    /** The context replaced the (Net) constructor; the error says what to take instead. */
    @Test
    void rejectsANetConstructor() {
        JavaFileObject bar = source("Bar", """
                @NetProtocol(protocol = 6)
                public class Bar extends StubHandler {
                    public Bar(Net net) {}
                }
                """);

        assertOnlyError(bar, "@NetProtocol class Bar needs a public constructor taking () or "
                + "(io.inet4j.protocol.ProtocolContext or a subtype of it); (io.inet4j.net.Net) is no longer "
                + "accepted: take the context and ask it for net()", BODY);
    }

    @Test
    void rejectsMissingOps() {
        JavaFileObject foo = source("Foo", """
                @InetProtosw(type = 1, protocol = 6)
                public class Foo extends StubProto {}
                """);

        assertOnlyError(foo, "@InetProtosw on Foo is missing ops: name the socket-call table, "
                + "e.g. ops = InetStreamOps.class", BODY);
    }

    @Test
    void rejectsOpsThatIsAnInterface() {
        JavaFileObject foo = source("Foo", """
                @InetProtosw(type = 1, protocol = 6,
                        ops = Foo.Ops.class)
                public class Foo extends StubProto {
                    public interface Ops extends ProtoOps {}
                }
                """);

        assertOnlyError(foo, "@InetProtosw ops p.Foo.Ops is an interface; name a class", BODY + 1);
    }

    @Test
    void rejectsAbstractOps() {
        JavaFileObject foo = source("Foo", """
                @InetProtosw(type = 1, protocol = 6,
                        ops = Foo.Ops.class)
                public class Foo extends StubProto {
                    public abstract static class Ops extends StubOps {}
                }
                """);

        assertOnlyError(foo, "@InetProtosw ops p.Foo.Ops is abstract; name a concrete class", BODY + 1);
    }

    /** INSTANCE must have the ops type itself, so the table really is the class the annotation names. */
    @Test
    void rejectsOpsWithoutInstanceOrConstructor() {
        JavaFileObject foo = source("Foo", """
                @InetProtosw(type = 1, protocol = 6,
                        ops = Foo.Ops.class)
                public class Foo extends StubProto {
                    public static final class Ops extends StubOps {
                        public static final ProtoOps INSTANCE = new StubOps();

                        private Ops() {}
                    }
                }
                """);

        assertOnlyError(foo, "@InetProtosw ops p.Foo.Ops needs a public static final INSTANCE field of type "
                + "p.Foo.Ops or a public no-argument constructor", BODY + 1);
    }

    @Test
    void rejectsOpsTheGeneratedTableCannotSee() {
        JavaFileObject outer = source("Outer", """
                public class Outer {
                    @InetProtosw(type = 1, protocol = 6,
                            ops = Outer.Ops.class)
                    public static class Foo extends StubProto {}

                    private static class Ops extends StubOps {}
                }
                """);

        assertOnlyError(outer, "@InetProtosw ops p.Outer.Ops is not accessible from the generated "
                + "Outer_Foo_Inetsw; make it public", BODY + 2);
    }

    @Test
    void rejectsASecondEntryForTheSameTypeAndProtocol() {
        JavaFileObject dup = source("Dup", """
                public class Dup {
                    @InetProtosw(type = 1, protocol = 6, ops = StubOps.class)
                    public static class First extends StubProto {}

                    @InetProtosw(type = 1, protocol = 6, ops = StubOps.class)
                    public static class Second extends StubProto {}
                }
                """);

        assertOnlyError(dup, "duplicate @InetProtosw(type = 1, protocol = 6): p.Dup.First already registers it",
                BODY + 4);
    }

    @Test
    void rejectsASecondHandlerForTheSameProtocol() {
        JavaFileObject dup = source("Dup", """
                public class Dup {
                    @NetProtocol(protocol = 6)
                    public static class First extends StubHandler {}

                    @NetProtocol(protocol = 6)
                    public static class Second extends StubHandler {}
                }
                """);

        assertOnlyError(dup, "duplicate @NetProtocol(protocol = 6): p.Dup.First already registers it", BODY + 4);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 256})
    void rejectsAnInetProtoswProtocolOutOfRange(int protocol) {
        JavaFileObject foo = source("Foo", """
                @InetProtosw(type = 1,
                        protocol = %d, ops = StubOps.class)
                public class Foo extends StubProto {}
                """.formatted(protocol));

        assertOnlyError(foo, "@InetProtosw protocol " + protocol + " is out of range 1..255 "
                + "(0 is IPPROTO_IP, the wildcard in socket())", BODY + 1);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 256})
    void rejectsANetProtocolOutOfRange(int protocol) {
        JavaFileObject bar = source("Bar", """
                @NetProtocol(
                        protocol = %d)
                public class Bar extends StubHandler {}
                """.formatted(protocol));

        assertOnlyError(bar, "@NetProtocol protocol " + protocol + " is out of range 1..255", BODY + 1);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 11})
    void rejectsATypeOutOfRange(int type) {
        JavaFileObject foo = source("Foo", """
                @InetProtosw(protocol = 6,
                        type = %d, ops = StubOps.class)
                public class Foo extends StubProto {}
                """.formatted(type));

        assertOnlyError(foo, "@InetProtosw type " + type + " is out of range: socket types are 1..10 "
                + "(SOCK_MAX is 11)", BODY + 1);
    }

    /** The checks every registry shares, here through the one whose product is not in framework-api. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "class Reno implements TcpCongestionOps {} | must be public, and so must any class enclosing it",
            "public abstract class Reno implements TcpCongestionOps {} | must not be abstract",
            "public class Reno {} | must implement io.inet4j.tcp.cong.TcpCongestionOps",
            "public class Reno implements TcpCongestionOps { public Reno(ProtocolContext ctx) {} } "
                    + "| needs a public no-argument constructor"})
    void rejectsAnUnusableCongestionControlClass(String declaration, String problem) {
        JavaFileObject reno = source("Reno", "@TcpCongestion(\"reno\")\n" + declaration + "\n");

        assertOnlyError(reno, "@TcpCongestion class Reno " + problem, BODY);
    }

    @Test
    void rejectsAnInnerCongestionControl() {
        JavaFileObject outer = source("Outer", """
                public class Outer {
                    @TcpCongestion("reno")
                    public class Reno implements TcpCongestionOps {}
                }
                """);

        assertOnlyError(outer, "@TcpCongestion class Reno is an inner class; make it static", BODY + 1);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''                    | is empty",
            "reno_with_a_long_name | is 21 characters long; at most 15 fit TCP_CA_NAME_MAX (16 with the NUL)",
            "Reno                  | may use only a-z, 0-9 and _",
            "new-reno              | may use only a-z, 0-9 and _"})
    void rejectsACongestionControlName(String name, String problem) {
        JavaFileObject reno = source("Reno", """
                @TcpCongestion(
                        "%s")
                public class Reno implements TcpCongestionOps {}
                """.formatted(name));

        assertOnlyError(reno, "@TcpCongestion name \"" + name + "\" " + problem, BODY + 1);
    }

    @Test
    void rejectsASecondCongestionControlWithTheSameName() {
        JavaFileObject dup = source("Dup", """
                public class Dup {
                    @TcpCongestion("reno")
                    public static class First implements TcpCongestionOps {}

                    @TcpCongestion("reno")
                    public static class Second implements TcpCongestionOps {}
                }
                """);

        assertOnlyError(dup, "duplicate @TcpCongestion(\"reno\"): p.Dup.First already registers it", BODY + 4);
    }

    private static JavaFileObject source(String simpleName, String body) {
        return JavaFileObjects.forSourceString("p." + simpleName, HEADER + body);
    }

    private static void assertOnlyError(JavaFileObject file, String message, int line) {
        Compilation compilation = javac().withProcessors(new ProtocolTableProcessor())
                .compile(CongestionStubs.with(file));
        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation).hadErrorContaining(message).inFile(file).onLine(line);
    }
}
