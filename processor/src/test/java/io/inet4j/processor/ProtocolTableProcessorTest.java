package io.inet4j.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import io.inet4j.protocol.InetProtoswTable;
import io.inet4j.protocol.NetProtocolTable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.RoundEnvironment;
import javax.annotation.processing.SupportedAnnotationTypes;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.TypeElement;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the processor writes for well-formed protocols: golden sources, services files, and that they load. */
class ProtocolTableProcessorTest {
    private static final String INETSW_SERVICES = "META-INF/services/io.inet4j.protocol.InetProtoswTable";
    private static final String NET_PROTOCOL_SERVICES = "META-INF/services/io.inet4j.protocol.NetProtocolTable";

    /** Named constants and both constructors, of which the context one wins; the ops table has an INSTANCE. */
    private static final JavaFileObject STREAM_PROTO = JavaFileObjects.forSourceString("p.StreamProto", """
            package p;

            import io.inet4j.processor.fixtures.StubProto;
            import io.inet4j.protocol.InetProtosw;
            import io.inet4j.protocol.ProtocolContext;
            import io.inet4j.socket.IpProto;
            import io.inet4j.socket.SockType;

            @InetProtosw(type = SockType.SOCK_STREAM, protocol = IpProto.IPPROTO_TCP, ops = StreamOps.class,
                    flags = InetProtosw.PERMANENT | InetProtosw.ICSK)
            public class StreamProto extends StubProto {
                public StreamProto() {}

                public StreamProto(ProtocolContext ctx) {}
            }
            """);
    private static final JavaFileObject STREAM_OPS = JavaFileObjects.forSourceString("p.StreamOps", """
            package p;

            public final class StreamOps extends io.inet4j.processor.fixtures.StubOps {
                public static final StreamOps INSTANCE = new StreamOps();

                private StreamOps() {}
            }
            """);
    /** Nested, only the implicit no-arg constructor; the ops table is in another package and must be created. */
    private static final JavaFileObject OUTER = JavaFileObjects.forSourceString("p.Outer", """
            package p;

            import io.inet4j.processor.fixtures.StubProto;
            import io.inet4j.protocol.InetProtosw;

            public class Outer {
                @InetProtosw(type = 2, protocol = 253, ops = q.DgramOps.class)
                public static class DatagramProto extends StubProto {}
            }
            """);
    private static final JavaFileObject DGRAM_OPS = JavaFileObjects.forSourceString("q.DgramOps", """
            package q;

            public class DgramOps extends io.inet4j.processor.fixtures.StubOps {}
            """);
    /** Takes its family's own context, a subtype of the one the table is handed. */
    private static final JavaFileObject ECHO_HANDLER = JavaFileObjects.forSourceString("p.EchoHandler", """
            package p;

            import io.inet4j.processor.fixtures.FixtureContext;
            import io.inet4j.processor.fixtures.StubHandler;
            import io.inet4j.protocol.NetProtocol;
            import io.inet4j.socket.IpProto;

            @NetProtocol(protocol = IpProto.IPPROTO_EXPERIMENT1)
            public class EchoHandler extends StubHandler {
                public EchoHandler(FixtureContext ctx) {}
            }
            """);

    private static final JavaFileObject RENO = JavaFileObjects.forSourceString("p.Reno", """
            package p;

            import io.inet4j.tcp.cong.TcpCongestion;
            import io.inet4j.tcp.cong.TcpCongestionOps;

            @TcpCongestion("reno")
            public class Reno implements TcpCongestionOps {}
            """);

    private static Compilation compileAll() {
        return javac().withProcessors(new ProtocolTableProcessor())
                .compile(STREAM_PROTO, STREAM_OPS, OUTER, DGRAM_OPS, ECHO_HANDLER);
    }

    @Test
    void generatesInetswTablePreferringTheContextConstructorAndSharedInstance() throws IOException {
        Compilation compilation = compileAll();

        assertThat(compilation).succeededWithoutWarnings();
        assertThat(compilation).generatedSourceFile("p.StreamProto_Inetsw")
                .contentsAsUtf8String().isEqualTo(golden("StreamProto_Inetsw.java"));
    }

    @Test
    void generatesInetswTableForNestedClassWithNoArgConstructorAndCreatedOps() throws IOException {
        Compilation compilation = compileAll();

        assertThat(compilation).succeededWithoutWarnings();
        assertThat(compilation).generatedSourceFile("p.Outer_DatagramProto_Inetsw")
                .contentsAsUtf8String().isEqualTo(golden("Outer_DatagramProto_Inetsw.java"));
    }

    @Test
    void generatesNetProtocolTableCastingToTheSubtypeContext() throws IOException {
        Compilation compilation = compileAll();

        assertThat(compilation).succeededWithoutWarnings();
        assertThat(compilation).generatedSourceFile("p.EchoHandler_NetProtocol")
                .contentsAsUtf8String().isEqualTo(golden("EchoHandler_NetProtocol.java"));
    }

    @Test
    void generatesTcpCongestionTable() throws IOException {
        Compilation compilation = compileCongestion(RENO);

        assertThat(compilation).succeededWithoutWarnings();
        assertThat(compilation).generatedSourceFile("p.Reno_TcpCongestion")
                .contentsAsUtf8String().isEqualTo(golden("Reno_TcpCongestion.java"));
        assertThat(compilation).generatedFile(StandardLocation.CLASS_OUTPUT,
                        "META-INF/services/io.inet4j.tcp.cong.TcpCongestionTable")
                .contentsAsUtf8String().isEqualTo("p.Reno_TcpCongestion\n");
    }

    /** {@code TCP_CA_NAME_MAX} is 16 with the NUL. */
    @Test
    void acceptsACongestionControlNameOfFifteenCharacters() {
        JavaFileObject longest = JavaFileObjects.forSourceString("p.Longest", """
                package p;

                @io.inet4j.tcp.cong.TcpCongestion("abcdefghij_0123")
                public class Longest implements io.inet4j.tcp.cong.TcpCongestionOps {}
                """);

        assertThat(compileCongestion(longest)).succeededWithoutWarnings();
    }

    @Test
    void writesSortedServicesFiles() {
        Compilation compilation = compileAll();

        assertThat(compilation).generatedFile(StandardLocation.CLASS_OUTPUT, INETSW_SERVICES)
                .contentsAsUtf8String().isEqualTo("p.Outer_DatagramProto_Inetsw\np.StreamProto_Inetsw\n");
        assertThat(compilation).generatedFile(StandardLocation.CLASS_OUTPUT, NET_PROTOCOL_SERVICES)
                .contentsAsUtf8String().isEqualTo("p.EchoHandler_NetProtocol\n");
    }

    @Test
    void writesNothingWhenNothingIsAnnotated() {
        Compilation compilation = javac().withProcessors(new ProtocolTableProcessor()).compile(DGRAM_OPS);

        assertThat(compilation).succeededWithoutWarnings();
        assertThat(compilation.generatedFiles()).extracting(JavaFileObject::getName)
                .containsExactly("/CLASS_OUTPUT/q/DgramOps.class");
    }

    @Test
    void generatedTablesLoadThroughServiceLoader(@TempDir Path out) throws Exception {
        try (URLClassLoader loader = load(compileAll(), out)) {
            Map<String, InetProtoswTable> rows = byName(ServiceLoader.load(InetProtoswTable.class, loader),
                    InetProtoswTable::name);
            assertThat(rows).containsOnlyKeys("p.StreamProto", "p.Outer$DatagramProto");

            InetProtoswTable stream = rows.get("p.StreamProto");
            assertThat(List.of(stream.type(), stream.protocol(), stream.flags())).containsExactly(1, 6, 6);
            assertThat(stream.ops()).isSameAs(loader.loadClass("p.StreamOps").getField("INSTANCE").get(null));
            assertThat(stream.newProto(null)).isInstanceOf(loader.loadClass("p.StreamProto"));

            InetProtoswTable dgram = rows.get("p.Outer$DatagramProto");
            assertThat(List.of(dgram.type(), dgram.protocol(), dgram.flags())).containsExactly(2, 253, 0);
            assertThat(dgram.ops()).isInstanceOf(loader.loadClass("q.DgramOps")).isSameAs(dgram.ops());
            assertThat(dgram.newProto(null)).isInstanceOf(loader.loadClass("p.Outer$DatagramProto"))
                    .isNotSameAs(dgram.newProto(null));

            Map<String, NetProtocolTable> handlers = byName(ServiceLoader.load(NetProtocolTable.class, loader),
                    NetProtocolTable::name);
            assertThat(handlers).containsOnlyKeys("p.EchoHandler");
            assertThat(handlers.get("p.EchoHandler").protocol()).isEqualTo(253);
            assertThat(handlers.get("p.EchoHandler").newHandler(null)).isInstanceOf(loader.loadClass("p.EchoHandler"));
        }
    }

    /** Each socket gets its own congestion control state ({@code icsk_ca_priv}), so each call a new instance. */
    @Test
    void generatedCongestionTableLoadsAndCreatesFreshOps(@TempDir Path out) throws Exception {
        try (URLClassLoader loader = load(compileCongestion(RENO), out)) {
            Class<?> table = loader.loadClass("io.inet4j.tcp.cong.TcpCongestionTable");
            Object reno = ServiceLoader.load(table, loader).findFirst().orElseThrow();

            assertThat(table.getMethod("name").invoke(reno)).isEqualTo("reno");
            Method newOps = table.getMethod("newOps");
            assertThat(newOps.invoke(reno)).isInstanceOf(loader.loadClass("p.Reno"))
                    .isNotSameAs(newOps.invoke(reno));
        }
    }

    @Test
    void usesTheConstantOfAnEnumOpsTable() {
        JavaFileObject raw = JavaFileObjects.forSourceString("p.RawProto", """
                package p;

                import io.inet4j.processor.fixtures.EnumOps;
                import io.inet4j.processor.fixtures.StubProto;
                import io.inet4j.protocol.InetProtosw;

                @InetProtosw(type = 3, protocol = 255, ops = EnumOps.class)
                public class RawProto extends StubProto {}
                """);

        Compilation compilation = javac().withProcessors(new ProtocolTableProcessor()).compile(raw);

        assertThat(compilation).succeededWithoutWarnings();
        assertThat(compilation).generatedSourceFile("p.RawProto_Inetsw").contentsAsUtf8String()
                .contains("private static final ProtoOps OPS = EnumOps.INSTANCE;");
    }

    /** An ops table written by another processor only exists from the second round on. */
    @Test
    void waitsForOpsGeneratedInALaterRound() {
        JavaFileObject late = JavaFileObjects.forSourceString("p.Late", """
                package p;

                import io.inet4j.processor.fixtures.StubProto;
                import io.inet4j.protocol.InetProtosw;

                @InetProtosw(type = 2, protocol = 254, ops = LateOps.class)
                public class Late extends StubProto {}
                """);

        Compilation compilation = javac().withProcessors(new LateOpsGenerator(), new ProtocolTableProcessor())
                .compile(late);

        assertThat(compilation).succeededWithoutWarnings();
        assertThat(compilation).generatedSourceFile("p.Late_Inetsw").contentsAsUtf8String()
                .contains("private static final ProtoOps OPS = new LateOps();");
    }

    @Test
    void leavesAnOpsClassThatNeverAppearsToJavac() {
        JavaFileObject typo = JavaFileObjects.forSourceString("p.Typo", """
                package p;

                import io.inet4j.processor.fixtures.StubProto;
                import io.inet4j.protocol.InetProtosw;

                @InetProtosw(type = 2, protocol = 254, ops = NoSuchOps.class)
                public class Typo extends StubProto {}
                """);

        Compilation compilation = javac().withProcessors(new ProtocolTableProcessor()).compile(typo);

        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation).hadErrorContaining("cannot find symbol").inFile(typo).onLine(6);
    }

    /** An incremental build compiles only what changed; the entries of the untouched classes must survive. */
    @Test
    void mergesServicesFileLeftByAnEarlierBuild(@TempDir Path out) throws IOException {
        Path services = out.resolve(INETSW_SERVICES);
        Files.createDirectories(services.getParent());
        Files.writeString(services, "# from the last build\nz.Kept_Inetsw\np.StreamProto_Inetsw  # already here\n");

        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        try (StandardJavaFileManager files = javac.getStandardFileManager(null, null, StandardCharsets.UTF_8)) {
            files.setLocationFromPaths(StandardLocation.CLASS_OUTPUT, List.of(out));
            files.setLocationFromPaths(StandardLocation.SOURCE_OUTPUT, List.of(out));
            JavaCompiler.CompilationTask task = javac.getTask(null, files, null,
                    List.of("-classpath", System.getProperty("java.class.path")), null,
                    List.of(STREAM_PROTO, STREAM_OPS, OUTER, DGRAM_OPS));
            task.setProcessors(List.of(new ProtocolTableProcessor()));
            assertThat(task.call()).isTrue();
        }

        assertThat(Files.readString(services))
                .isEqualTo("p.Outer_DatagramProto_Inetsw\np.StreamProto_Inetsw\nz.Kept_Inetsw\n");
    }

    /** A class loader over the compilation's class output, copied to {@code out}. */
    static URLClassLoader load(Compilation compilation, Path out) throws IOException {
        for (JavaFileObject file : compilation.generatedFiles()) {
            String name = file.toUri().getPath();
            if (name.startsWith("/CLASS_OUTPUT/")) {
                Path target = out.resolve(name.substring("/CLASS_OUTPUT/".length()));
                Files.createDirectories(target.getParent());
                try (InputStream in = file.openInputStream()) {
                    Files.copy(in, target);
                }
            }
        }
        return new URLClassLoader(new URL[] {out.toUri().toURL()}, ProtocolTableProcessorTest.class.getClassLoader());
    }

    private static Compilation compileCongestion(JavaFileObject source) {
        return javac().withProcessors(new ProtocolTableProcessor()).compile(CongestionStubs.with(source));
    }

    private static <T> Map<String, T> byName(ServiceLoader<T> loader, Function<T, String> name) {
        return loader.stream().map(ServiceLoader.Provider::get)
                .collect(Collectors.toMap(name, t -> t, (a, b) -> a, TreeMap::new));
    }

    private static String golden(String name) throws IOException {
        try (InputStream in = ProtocolTableProcessorTest.class.getResourceAsStream("/golden/" + name)) {
            return new String(Objects.requireNonNull(in, name).readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Stands in for another processor (Dagger, AutoValue) whose output a protocol refers to. */
    @SupportedAnnotationTypes("io.inet4j.protocol.InetProtosw")
    private static final class LateOpsGenerator extends AbstractProcessor {
        private boolean done;

        @Override
        public SourceVersion getSupportedSourceVersion() {
            return SourceVersion.latestSupported();
        }

        @Override
        public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment roundEnv) {
            if (!done) {
                done = true;
                try (var out = processingEnv.getFiler().createSourceFile("p.LateOps").openWriter()) {
                    out.write("package p;\n\npublic class LateOps extends io.inet4j.processor.fixtures.StubOps {}\n");
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return false;
        }
    }
}
