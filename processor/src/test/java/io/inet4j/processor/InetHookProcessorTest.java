package io.inet4j.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import io.inet4j.hook.AttachType;
import io.inet4j.hook.HookFactory;
import io.inet4j.hook.InetHook;
import java.io.IOException;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Map;
import java.util.ServiceLoader;
import javax.tools.JavaFileObject;
import javax.tools.StandardLocation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code @InetHook}: the class itself is listed as a {@code HookFactory} service, loadable by its name. */
class InetHookProcessorTest {
    private static final String SERVICES = "META-INF/services/io.inet4j.hook.HookFactory";
    private static final String HEADER = """
            package p;

            import io.inet4j.hook.*;
            import java.util.Map;

            """;
    /** The line a {@link #source} body starts on, after {@link #HEADER}. */
    private static final int BODY = 6;

    private static final JavaFileObject DENY = source("Deny", """
            @InetHook("deny-all")
            public class Deny implements HookFactory {
                @Override
                public Hook<?> create(AttachType<?> type, Map<String, String> args) { return ctx -> Verdict.DENY; }
            }
            """);
    private static final JavaFileObject OUTER = source("Outer", """
            public class Outer {
                @InetHook("allow.all")
                public static class Allow implements HookFactory {
                    @Override
                    public Hook<?> create(AttachType<?> type, Map<String, String> args) { return ctx -> Verdict.ALLOW; }
                }
            }
            """);

    @Test
    void listsTheAnnotatedClassesThemselvesAndGeneratesNoTable(@TempDir Path out) throws IOException {
        Compilation compilation = javac().withProcessors(new ProtocolTableProcessor()).compile(DENY, OUTER);

        assertThat(compilation).succeededWithoutWarnings();
        assertThat(compilation).generatedFile(StandardLocation.CLASS_OUTPUT, SERVICES)
                .contentsAsUtf8String().isEqualTo("p.Deny\np.Outer$Allow\n");
        assertThat(compilation.generatedSourceFiles()).isEmpty();
        try (URLClassLoader loader = ProtocolTableProcessorTest.load(compilation, out)) {
            Map<String, HookFactory> byName = new java.util.TreeMap<>();
            ServiceLoader.load(HookFactory.class, loader).stream()
                    .forEach(p -> byName.put(p.type().getAnnotation(InetHook.class).value(), p.get()));
            assertThat(byName).containsOnlyKeys("deny-all", "allow.all");
            assertThat(byName.get("deny-all").create(AttachType.INET4_CONNECT, Map.of())).isNotNull();
        }
    }

    @Test
    void rejectsAClassThatIsNotAHookFactory() {
        assertOnlyError(source("Foo", """
                @InetHook("foo")
                public class Foo {}
                """), "@InetHook class Foo must implement io.inet4j.hook.HookFactory", BODY);
    }

    @Test
    void rejectsANameThatIsNotOneSpecWord() {
        assertOnlyError(source("Foo", """
                @InetHook("deny connect")
                public class Foo implements HookFactory {
                    public Hook<?> create(AttachType<?> type, Map<String, String> args) { return null; }
                }
                """), "@InetHook name \"deny connect\" must be one word of a hook spec", BODY);
    }

    @Test
    void rejectsAFactoryWithoutANoArgumentConstructor() {
        assertOnlyError(source("Foo", """
                @InetHook("foo")
                public class Foo implements HookFactory {
                    public Foo(int x) {}

                    public Hook<?> create(AttachType<?> type, Map<String, String> args) { return null; }
                }
                """), "@InetHook class Foo needs a public no-argument constructor", BODY);
    }

    @Test
    void rejectsTwoFactoriesOfOneName() {
        assertOnlyError(source("Dup", """
                public class Dup {
                    @InetHook("same")
                    public static class First implements HookFactory {
                        public Hook<?> create(AttachType<?> type, Map<String, String> args) { return null; }
                    }

                    @InetHook("same")
                    public static class Second implements HookFactory {
                        public Hook<?> create(AttachType<?> type, Map<String, String> args) { return null; }
                    }
                }
                """), "duplicate @InetHook(\"same\"): p.Dup.First already registers it", BODY + 6);
    }

    private static JavaFileObject source(String simpleName, String body) {
        return JavaFileObjects.forSourceString("p." + simpleName, HEADER + body);
    }

    private static void assertOnlyError(JavaFileObject file, String message, int line) {
        Compilation compilation = javac().withProcessors(new ProtocolTableProcessor()).compile(file);
        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation).hadErrorContaining(message).inFile(file).onLine(line);
    }
}
