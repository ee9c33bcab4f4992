package io.inet4j.processor;

import static javax.lang.model.element.Modifier.FINAL;
import static javax.lang.model.element.Modifier.PRIVATE;
import static javax.lang.model.element.Modifier.PUBLIC;
import static javax.lang.model.element.Modifier.STATIC;

import com.google.auto.service.AutoService;
import com.palantir.javapoet.AnnotationSpec;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.NestingKind;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Types;
import javax.tools.Diagnostic;
import javax.tools.FileObject;
import javax.tools.StandardLocation;

/**
 * Writes at compile time the registration tables Linux keeps as hand-written arrays, so any jar can add a row
 * without editing a central list. For an annotated class {@code Foo} (nested {@code Outer.Foo}: {@code Outer_Foo_...}):
 * <ul>
 *   <li>{@code @InetProtosw} gives {@code Foo_Inetsw implements InetProtoswTable}, a row of the AF_INET switch
 *       ({@code inetsw_array}, {@code inet_register_protosw});
 *   <li>{@code @NetProtocol} gives {@code Foo_NetProtocol implements NetProtocolTable}, a receive handler
 *       ({@code inet_protos[]}, {@code inet_add_protocol});
 *   <li>{@code @TcpCongestion} gives {@code Foo_TcpCongestion implements TcpCongestionTable}, a congestion control
 *       ({@code tcp_cong_list}, {@code tcp_register_congestion_control}).
 *   <li>{@code @InetHook} needs no table: {@code Foo} itself is the {@code HookFactory} a hook configuration names,
 *       as a BPF object offers its programs by name.
 * </ul>
 * Each table (or hook factory) is listed in its {@code META-INF/services} file for {@link java.util.ServiceLoader}.
 *
 * <p>Each registry is one {@link Registry} in {@link #registries}; one code path checks the annotated class,
 * builds the table with JavaPoet and collects the services lines, written once when processing is over. Framework
 * types are named by string because the processor runs against the user's class path and must not link against
 * framework-api or proto-tcp. Misuse is reported as a compile error on the annotated class, never thrown.
 */
@AutoService(Processor.class)
public final class ProtocolTableProcessor extends AbstractProcessor {
    private static final ClassName PROTOCOL_CONTEXT = ClassName.get("io.inet4j.protocol", "ProtocolContext");
    private static final ClassName PROTO_OPS = ClassName.get("io.inet4j.socket", "ProtoOps");
    private static final ClassName GENERATED = ClassName.get("javax.annotation.processing", "Generated");
    /** What {@code (Net)} constructors took before the context; named only to say what replaces them. */
    private static final String NET = "io.inet4j.net.Net";

    /** {@code SOCK_MAX}: socket types are 1..10. */
    private static final int SOCK_MAX = 11;
    /** Protocol numbers are one octet; 0 ({@code IPPROTO_IP}) means "any" to socket(), so it cannot be a row. */
    private static final int MAX_PROTOCOL = 255;
    /** {@code TCP_CA_NAME_MAX} is 16 bytes including the NUL. */
    private static final int MAX_CA_NAME = 15;
    /** Congestion control names are sysctl values ({@code net.ipv4.tcp_congestion_control}). */
    private static final Pattern CA_NAME = Pattern.compile("[a-z0-9_]*");
    /** Hook names are one word of a hook spec line: no blanks, no {@code =}. */
    private static final Pattern HOOK_NAME = Pattern.compile("[A-Za-z0-9_.:-]+");

    /** What the table's factory method hands the annotated class's constructor. */
    private enum Construct {
        /** {@code (ProtocolContext ctx)}: the class takes the context (or a subtype of it), or nothing. */
        FROM_CONTEXT,
        /** {@code ()}: a fresh instance per use, e.g. one congestion control state per socket. */
        NO_ARGUMENT
    }

    /**
     * One registry: its annotation, the table interface its generated classes implement (and whose services file
     * lists them), the generated name's suffix, the interface the annotated class implements and the factory
     * method returning a new one, the annotation members with the type of their resolved value, the table's
     * Javadoc ({@code $T} is the annotated class) and the registry's own checks and members. A registry without a
     * suffix generates nothing: the annotated class itself is listed as the service {@code table}.
     */
    private record Registry(String annotation, String table, String suffix, String product, String factory,
                            Construct construct, Map<String, Class<?>> members, String javadoc, Rows rows) {
        String display() {
            return "@" + annotation.substring(annotation.lastIndexOf('.') + 1);
        }
    }

    /** A registry's own part: checks the annotation's resolved values and turns them into the table's members. */
    @FunctionalInterface
    private interface Rows {
        /** The row, or null after reporting each wrong value. */
        Row row(TypeElement cls, AnnotationMirror mirror, Map<String, Object> values);
    }

    /** A checked row: the key no two classes may share (as the duplicate error shows it) and the table's members. */
    private record Row(String key, List<FieldSpec> fields, List<MethodSpec> methods) {}

    private final List<Registry> registries = List.of(
            new Registry("io.inet4j.protocol.InetProtosw", "io.inet4j.protocol.InetProtoswTable", "_Inetsw",
                    "io.inet4j.socket.Proto", "newProto", Construct.FROM_CONTEXT,
                    Map.of("type", Integer.class, "protocol", Integer.class, "flags", Integer.class,
                            "ops", DeclaredType.class),
                    "The AF_INET switch table row ({@code inetsw_array}) for {@link $T}, from its "
                            + "{@code @InetProtosw}.",
                    this::inetProtoswRow),
            new Registry("io.inet4j.protocol.NetProtocol", "io.inet4j.protocol.NetProtocolTable", "_NetProtocol",
                    "io.inet4j.protocol.NetProtocolHandler", "newHandler", Construct.FROM_CONTEXT,
                    Map.of("protocol", Integer.class),
                    "The {@code inet_protos[]} entry for {@link $T}, from its {@code @NetProtocol}.",
                    this::netProtocolRow),
            new Registry("io.inet4j.tcp.cong.TcpCongestion", "io.inet4j.tcp.cong.TcpCongestionTable",
                    "_TcpCongestion", "io.inet4j.tcp.cong.TcpCongestionOps", "newOps", Construct.NO_ARGUMENT,
                    Map.of("value", String.class),
                    "The {@code tcp_cong_list} entry for {@link $T}, from its {@code @TcpCongestion}.",
                    this::tcpCongestionRow),
            new Registry("io.inet4j.hook.InetHook", "io.inet4j.hook.HookFactory", null, "io.inet4j.hook.HookFactory",
                    null, Construct.NO_ARGUMENT, Map.of("value", String.class), null, this::inetHookRow));

    /** An annotated class seen in an earlier round whose types were not yet generated. */
    private record Pending(Registry registry, String className) {}

    /** Service interface to generated class names, gathered over all rounds and written once at the end. */
    private final Map<String, Set<String>> providers = new TreeMap<>();
    /** Row key to the class that claimed it first, as {@code inet_register_protosw} would see them. */
    private final Map<String, String> owners = new HashMap<>();
    private Set<Pending> pending = new LinkedHashSet<>();

    @Override
    public Set<String> getSupportedAnnotationTypes() {
        return registries.stream().map(Registry::annotation).collect(Collectors.toSet());
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
        return SourceVersion.latestSupported();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment roundEnv) {
        try {
            if (roundEnv.processingOver()) {
                // Left-over pending classes refer to types that never appeared; javac reports those itself.
                writeServiceFiles();
            } else {
                processRound(roundEnv);
            }
        } catch (IOException | RuntimeException e) {
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR,
                    "inet4j processor failed: " + e + "\n" + trace);
        }
        return false;
    }

    private void processRound(RoundEnvironment roundEnv) throws IOException {
        Set<Pending> work = pending;
        pending = new LinkedHashSet<>();
        for (Registry registry : registries) {
            TypeElement annotation = typeElement(registry.annotation());
            if (annotation == null) {
                continue; // not on this class path (proto-tcp's annotation in a build without proto-tcp)
            }
            for (TypeElement cls : ElementFilter.typesIn(roundEnv.getElementsAnnotatedWith(annotation))) {
                work.add(new Pending(registry, cls.getQualifiedName().toString()));
            }
        }
        for (Pending p : work) {
            if (!register(p.registry(), typeElement(p.className()))) {
                pending.add(p);
            }
        }
    }

    /** Returns false to retry next round: a type or constant it uses has yet to be generated by some processor. */
    private boolean register(Registry registry, TypeElement cls) throws IOException {
        AnnotationMirror mirror = mirror(cls, registry.annotation());
        Map<String, Object> values = resolvedValues(registry, mirror);
        if (!resolved(cls) || values == null) {
            return false;
        }
        if (!checkClass(cls, mirror, registry)) {
            return true;
        }
        Row row = registry.rows().row(cls, mirror, values);
        CodeBlock construction = construction(cls, mirror, registry);
        if (row == null || construction == null) {
            return true;
        }
        String first = owners.putIfAbsent(row.key(), cls.getQualifiedName().toString());
        if (first != null) {
            error(cls, mirror, "duplicate " + row.key() + ": " + first + " already registers it");
            return true;
        }
        if (registry.suffix() == null) {
            providers.computeIfAbsent(registry.table(), s -> new TreeSet<>()).add(binaryName(cls));
        } else {
            writeTable(cls, registry, row, construction);
        }
        return true;
    }

    private Row inetProtoswRow(TypeElement cls, AnnotationMirror mirror, Map<String, Object> values) {
        int type = (Integer) values.get("type");
        int protocol = (Integer) values.get("protocol");
        boolean ok = true;
        if (type < 1 || type >= SOCK_MAX) {
            error(cls, mirror, "type", "@InetProtosw type " + type + " is out of range: socket types are 1.."
                    + (SOCK_MAX - 1) + " (SOCK_MAX is " + SOCK_MAX + ")");
            ok = false;
        }
        if (protocol < 1 || protocol > MAX_PROTOCOL) {
            error(cls, mirror, "protocol", "@InetProtosw protocol " + protocol + " is out of range 1.."
                    + MAX_PROTOCOL + " (0 is IPPROTO_IP, the wildcard in socket())");
            ok = false;
        }
        CodeBlock ops = opsInstance(cls, mirror, (TypeElement) ((DeclaredType) values.get("ops")).asElement());
        if (!ok || ops == null) {
            return null;
        }
        return new Row("@InetProtosw(type = " + type + ", protocol = " + protocol + ")",
                List.of(FieldSpec.builder(PROTO_OPS, "OPS", PRIVATE, STATIC, FINAL).initializer(ops).build()),
                List.of(constant("type", type), constant("protocol", protocol),
                        constant("flags", (Integer) values.get("flags")), constant("name", binaryName(cls)),
                        constant("ops", PROTO_OPS, CodeBlock.of("OPS"))));
    }

    private Row netProtocolRow(TypeElement cls, AnnotationMirror mirror, Map<String, Object> values) {
        int protocol = (Integer) values.get("protocol");
        if (protocol < 1 || protocol > MAX_PROTOCOL) {
            error(cls, mirror, "protocol", "@NetProtocol protocol " + protocol + " is out of range 1.." + MAX_PROTOCOL);
            return null;
        }
        return new Row("@NetProtocol(protocol = " + protocol + ")", List.of(),
                List.of(constant("protocol", protocol), constant("name", binaryName(cls))));
    }

    private Row tcpCongestionRow(TypeElement cls, AnnotationMirror mirror, Map<String, Object> values) {
        String name = (String) values.get("value");
        String problem = name.isEmpty() ? "is empty"
                : name.length() > MAX_CA_NAME ? "is " + name.length() + " characters long; at most " + MAX_CA_NAME
                        + " fit TCP_CA_NAME_MAX (16 with the NUL)"
                : !CA_NAME.matcher(name).matches() ? "may use only a-z, 0-9 and _"
                : null;
        if (problem != null) {
            error(cls, mirror, "value", "@TcpCongestion name \"" + name + "\" " + problem);
            return null;
        }
        return new Row("@TcpCongestion(\"" + name + "\")", List.of(), List.of(constant("name", name)));
    }

    private Row inetHookRow(TypeElement cls, AnnotationMirror mirror, Map<String, Object> values) {
        String name = (String) values.get("value");
        if (!HOOK_NAME.matcher(name).matches()) {
            error(cls, mirror, "value", "@InetHook name \"" + name + "\" " + (name.isEmpty() ? "is empty"
                    : "must be one word of a hook spec: letters, digits and _ . : - only"));
            return null;
        }
        return new Row("@InetHook(\"" + name + "\")", List.of(), List.of());
    }

    /** The annotated class must be a public, concrete, instantiable implementation of the registry's product. */
    private boolean checkClass(TypeElement cls, AnnotationMirror mirror, Registry registry) {
        String annotation = registry.display();
        if (cls.getKind() != ElementKind.CLASS) {
            error(cls, mirror, annotation + " belongs on a class, but " + cls.getSimpleName() + " is "
                    + article(cls.getKind()));
            return false;
        }
        boolean ok = true;
        if (!publicAlongEnclosing(cls)) {
            error(cls, mirror, annotation + " class " + cls.getSimpleName()
                    + " must be public, and so must any class enclosing it");
            ok = false;
        }
        if (cls.getModifiers().contains(Modifier.ABSTRACT)) {
            error(cls, mirror, annotation + " class " + cls.getSimpleName() + " must not be abstract");
            ok = false;
        }
        if (isInner(cls)) {
            error(cls, mirror, annotation + " class " + cls.getSimpleName() + " is an inner class; make it static");
            ok = false;
        }
        TypeElement product = typeElement(registry.product());
        if (product == null || !types().isAssignable(erasure(cls), erasure(product))) {
            error(cls, mirror, annotation + " class " + cls.getSimpleName() + " must implement " + registry.product());
            ok = false;
        }
        return ok;
    }

    /**
     * {@code new Foo(ctx)} (with a cast when the constructor takes a subtype of the context: the family that
     * calls the table hands its own) or {@code new Foo()}; or null after reporting that neither exists. The context
     * constructor wins when both do.
     */
    private CodeBlock construction(TypeElement cls, AnnotationMirror mirror, Registry registry) {
        ClassName name = ClassName.get(cls);
        // A diamond keeps a generic class free of raw-type warnings.
        String diamond = cls.getTypeParameters().isEmpty() ? "" : "<>";
        TypeElement context = typeElement(PROTOCOL_CONTEXT.canonicalName());
        boolean fromContext = registry.construct() == Construct.FROM_CONTEXT && context != null;
        boolean noArg = false;
        boolean takesNet = false;
        for (ExecutableElement ctor : ElementFilter.constructorsIn(cls.getEnclosedElements())) {
            List<? extends VariableElement> params = ctor.getParameters();
            if (!ctor.getModifiers().contains(Modifier.PUBLIC) || params.size() > 1) {
                continue;
            }
            if (params.isEmpty()) {
                noArg = true;
                continue;
            }
            TypeMirror param = types().erasure(params.get(0).asType());
            takesNet |= param.toString().equals(NET);
            if (fromContext && types().isSameType(param, erasure(context))) {
                return CodeBlock.of("new $T$L(ctx)", name, diamond);
            }
            if (fromContext && types().isAssignable(param, erasure(context))) {
                return CodeBlock.of("new $T$L(($T) ctx)", name, diamond, TypeName.get(param));
            }
        }
        if (noArg) {
            return CodeBlock.of("new $T$L()", name, diamond);
        }
        String prefix = registry.display() + " class " + cls.getSimpleName() + " needs a public ";
        if (registry.construct() == Construct.NO_ARGUMENT) {
            error(cls, mirror, prefix + "no-argument constructor");
        } else {
            error(cls, mirror, prefix + "constructor taking () or (" + PROTOCOL_CONTEXT + " or a subtype of it)"
                    + (takesNet ? "; (" + NET + ") is no longer accepted: take the context and ask it for net()" : ""));
        }
        return null;
    }

    /**
     * {@code Ops.INSTANCE} or {@code new Ops()}, or null after reporting why the ops class cannot be used. One
     * instance per table is enough: a {@code proto_ops} table is stateless.
     */
    private CodeBlock opsInstance(TypeElement cls, AnnotationMirror mirror, TypeElement ops) {
        String name = ops.getQualifiedName().toString();
        if (name.equals(PROTO_OPS.canonicalName())) {
            error(cls, mirror, "ops", "@InetProtosw on " + cls.getSimpleName() + " is missing ops: name the "
                    + "socket-call table, e.g. ops = InetStreamOps.class");
            return null;
        }
        if (ops.getKind().isInterface()) {
            error(cls, mirror, "ops", "@InetProtosw ops " + name + " is an interface; name a class");
            return null;
        }
        // An enum whose constants have bodies is abstract in its class file, yet its constants are instances.
        if (ops.getKind() == ElementKind.CLASS && ops.getModifiers().contains(Modifier.ABSTRACT)) {
            error(cls, mirror, "ops", "@InetProtosw ops " + name + " is abstract; name a concrete class");
            return null;
        }
        if (!accessibleFrom(ops, packageName(cls))) {
            error(cls, mirror, "ops", "@InetProtosw ops " + name + " is not accessible from the generated "
                    + generatedName(cls, "_Inetsw") + "; make it public");
            return null;
        }
        for (VariableElement field : ElementFilter.fieldsIn(ops.getEnclosedElements())) {
            if (field.getSimpleName().contentEquals("INSTANCE")
                    && field.getModifiers().containsAll(Set.of(PUBLIC, STATIC, FINAL))
                    && types().isAssignable(field.asType(), erasure(ops))) {
                return CodeBlock.of("$T.INSTANCE", ClassName.get(ops));
            }
        }
        if (!isInner(ops)) {
            for (ExecutableElement ctor : ElementFilter.constructorsIn(ops.getEnclosedElements())) {
                if (ctor.getModifiers().contains(PUBLIC) && ctor.getParameters().isEmpty()) {
                    return CodeBlock.of("new $T$L()", ClassName.get(ops),
                            ops.getTypeParameters().isEmpty() ? "" : "<>");
                }
            }
        }
        error(cls, mirror, "ops", "@InetProtosw ops " + name + " needs a public static final INSTANCE field of type "
                + name + " or a public no-argument constructor" + (isInner(ops) ? " in a static class" : ""));
        return null;
    }

    private static MethodSpec constant(String name, int value) {
        return constant(name, TypeName.INT, CodeBlock.of("$L", value));
    }

    private static MethodSpec constant(String name, String value) {
        return constant(name, ClassName.get(String.class), CodeBlock.of("$S", value));
    }

    private static MethodSpec constant(String name, TypeName type, CodeBlock value) {
        return MethodSpec.methodBuilder(name).addAnnotation(Override.class).addModifiers(PUBLIC).returns(type)
                .addStatement("return $L", value).build();
    }

    /** Writes the table class and lists it under the registry's services file. */
    private void writeTable(TypeElement cls, Registry registry, Row row, CodeBlock construction) throws IOException {
        MethodSpec.Builder factory = MethodSpec.methodBuilder(registry.factory()).addAnnotation(Override.class)
                .addModifiers(PUBLIC).returns(ClassName.bestGuess(registry.product()))
                .addStatement("return $L", construction);
        if (registry.construct() == Construct.FROM_CONTEXT) {
            factory.addParameter(PROTOCOL_CONTEXT, "ctx");
        }
        String simpleName = generatedName(cls, registry.suffix());
        TypeSpec table = TypeSpec.classBuilder(simpleName)
                .addOriginatingElement(cls)
                .addJavadoc(registry.javadoc(), ClassName.get(cls))
                .addAnnotation(AnnotationSpec.builder(GENERATED).addMember("value", "$S", getClass().getName()).build())
                .addModifiers(PUBLIC, FINAL)
                .addSuperinterface(ClassName.bestGuess(registry.table()))
                .addFields(row.fields())
                .addMethods(row.methods())
                .addMethod(factory.build())
                .build();
        String pkg = packageName(cls);
        JavaFile.builder(pkg, table).indent("    ").skipJavaLangImports(true).build()
                .writeTo(processingEnv.getFiler());
        providers.computeIfAbsent(registry.table(), s -> new TreeSet<>())
                .add(pkg.isEmpty() ? simpleName : pkg + "." + simpleName);
    }

    /**
     * Merges with the file an earlier (incremental) compilation left in the output, as AutoService does: the
     * compiler only sees the classes of this run, and rewriting the file from them alone would drop the rest.
     */
    private void writeServiceFiles() throws IOException {
        for (Map.Entry<String, Set<String>> e : providers.entrySet()) {
            String path = "META-INF/services/" + e.getKey();
            Set<String> lines = existingLines(path);
            if (!lines.addAll(e.getValue())) {
                continue;
            }
            FileObject file = processingEnv.getFiler().createResource(StandardLocation.CLASS_OUTPUT, "", path);
            try (Writer out = file.openWriter()) {
                for (String line : lines) {
                    out.write(line + "\n");
                }
            }
        }
    }

    private Set<String> existingLines(String path) {
        Set<String> lines = new TreeSet<>();
        try (BufferedReader in = new BufferedReader(processingEnv.getFiler()
                .getResource(StandardLocation.CLASS_OUTPUT, "", path).openReader(true))) {
            for (String line; (line = in.readLine()) != null; ) {
                int comment = line.indexOf('#');
                String entry = (comment < 0 ? line : line.substring(0, comment)).trim();
                if (!entry.isEmpty()) {
                    lines.add(entry);
                }
            }
        } catch (IOException absentOnACleanBuild) {
            return new TreeSet<>();
        }
        return lines;
    }

    /**
     * The annotation's values by member name, or null while one is still an error type or unresolved constant,
     * i.e. not generated yet.
     */
    private Map<String, Object> resolvedValues(Registry registry, AnnotationMirror mirror) {
        Map<String, Object> all = new HashMap<>();
        processingEnv.getElementUtils().getElementValuesWithDefaults(mirror)
                .forEach((k, v) -> all.put(k.getSimpleName().toString(), v.getValue()));
        Map<String, Object> values = new HashMap<>();
        for (Map.Entry<String, Class<?>> member : registry.members().entrySet()) {
            Object value = all.get(member.getKey());
            if (!member.getValue().isInstance(value)
                    || value instanceof DeclaredType type && type.getKind() == TypeKind.ERROR) {
                return null;
            }
            values.put(member.getKey(), value);
        }
        return values;
    }

    /** False when a supertype is still an error type, i.e. not generated yet. */
    private boolean resolved(TypeElement cls) {
        for (TypeMirror supertype : types().directSupertypes(cls.asType())) {
            if (supertype.getKind() == TypeKind.ERROR
                    || !resolved((TypeElement) ((DeclaredType) supertype).asElement())) {
                return false;
            }
        }
        return true;
    }

    /** {@code Outer_Inner_Suffix}: the enclosing classes' names keep nested classes apart. */
    private static String generatedName(TypeElement cls, String suffix) {
        StringBuilder name = new StringBuilder(cls.getSimpleName()).append(suffix);
        for (Element e = cls.getEnclosingElement(); e instanceof TypeElement t; e = e.getEnclosingElement()) {
            name.insert(0, t.getSimpleName() + "_");
        }
        return name.toString();
    }

    private String binaryName(TypeElement cls) {
        return processingEnv.getElementUtils().getBinaryName(cls).toString();
    }

    private String packageName(TypeElement cls) {
        return processingEnv.getElementUtils().getPackageOf(cls).getQualifiedName().toString();
    }

    private static boolean isInner(TypeElement cls) {
        return cls.getNestingKind() == NestingKind.MEMBER && !cls.getModifiers().contains(STATIC);
    }

    private static boolean publicAlongEnclosing(TypeElement cls) {
        for (Element e = cls; e instanceof TypeElement; e = e.getEnclosingElement()) {
            if (!e.getModifiers().contains(PUBLIC)) {
                return false;
            }
        }
        return true;
    }

    private boolean accessibleFrom(TypeElement cls, String pkg) {
        boolean samePackage = packageName(cls).equals(pkg);
        for (Element e = cls; e instanceof TypeElement; e = e.getEnclosingElement()) {
            Set<Modifier> modifiers = e.getModifiers();
            if (modifiers.contains(PRIVATE) || (!samePackage && !modifiers.contains(PUBLIC))) {
                return false;
            }
        }
        return true;
    }

    private static String article(ElementKind kind) {
        return switch (kind) {
            case INTERFACE -> "an interface";
            case ENUM -> "an enum";
            case ANNOTATION_TYPE -> "an annotation type";
            default -> "a " + kind.toString().toLowerCase(Locale.ROOT);
        };
    }

    private TypeElement typeElement(String name) {
        return processingEnv.getElementUtils().getTypeElement(name);
    }

    private Types types() {
        return processingEnv.getTypeUtils();
    }

    private TypeMirror erasure(TypeElement cls) {
        return types().erasure(cls.asType());
    }

    private static AnnotationMirror mirror(TypeElement cls, String annotation) {
        for (AnnotationMirror m : cls.getAnnotationMirrors()) {
            if (((TypeElement) m.getAnnotationType().asElement()).getQualifiedName().contentEquals(annotation)) {
                return m;
            }
        }
        throw new IllegalStateException(cls + " lost its @" + annotation);
    }

    private void error(TypeElement cls, AnnotationMirror mirror, String message) {
        processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR, message, cls, mirror);
    }

    /** Points at the offending value when it is written out, else at the annotation. */
    private void error(TypeElement cls, AnnotationMirror mirror, String member, String message) {
        mirror.getElementValues().entrySet().stream()
                .filter(e -> e.getKey().getSimpleName().contentEquals(member))
                .findFirst()
                .ifPresentOrElse(
                        e -> processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR, message, cls, mirror,
                                e.getValue()),
                        () -> error(cls, mirror, message));
    }
}
