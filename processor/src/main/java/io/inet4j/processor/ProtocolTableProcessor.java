package io.inet4j.processor;

import com.google.auto.service.AutoService;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
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
import javax.tools.Diagnostic;
import javax.tools.FileObject;
import javax.tools.StandardLocation;

/**
 * Writes the protocol registration tables at compile time: for each {@code @InetProtosw} class {@code Foo} a
 * {@code Foo_Inetsw} ({@code InetProtoswTable}), for each {@code @NetProtocol} class {@code Bar} a
 * {@code Bar_NetProtocol} ({@code NetProtocolTable}), and the {@code META-INF/services} lines that let
 * {@link java.util.ServiceLoader} find them. Linux keeps the same tables as hand-written arrays in
 * {@code net/ipv4/af_inet.c} ({@code inetsw_array}, and {@code inet_protos[]} filled by
 * {@code inet_add_protocol}); here any jar can add a row without editing a central list.
 *
 * <p>The framework types are named by string because the processor runs against the user's class path and must
 * not link against framework-api itself. Misuse is reported as a compile error on the annotated class.
 */
@AutoService(Processor.class)
public final class ProtocolTableProcessor extends AbstractProcessor {
    private static final String INET_PROTOSW = "io.inet4j.protocol.InetProtosw";
    private static final String NET_PROTOCOL = "io.inet4j.protocol.NetProtocol";
    private static final String INET_PROTOSW_TABLE = "io.inet4j.protocol.InetProtoswTable";
    private static final String NET_PROTOCOL_TABLE = "io.inet4j.protocol.NetProtocolTable";
    private static final String PROTO = "io.inet4j.socket.Proto";
    private static final String PROTO_OPS = "io.inet4j.socket.ProtoOps";
    private static final String NET_PROTOCOL_HANDLER = "io.inet4j.protocol.NetProtocolHandler";
    private static final String CONTEXT = "io.inet4j.protocol.ProtocolContext";

    /** {@code SOCK_MAX}: socket types are 1..10. */
    private static final int SOCK_MAX = 11;
    /** Protocol numbers are one octet; 0 ({@code IPPROTO_IP}) means "any" to socket(), so it cannot be a row. */
    private static final int MAX_PROTOCOL = 255;

    /** An annotated class seen in an earlier round whose types were not yet generated. */
    private record Pending(String annotation, String className) {}

    /** Service interface to generated class names, gathered over all rounds and written once at the end. */
    private final Map<String, Set<String>> providers = new TreeMap<>();
    /** (type, protocol) to the class that claimed it first, as {@code inet_register_protosw} would see them. */
    private final Map<List<Integer>, String> protoswOwners = new HashMap<>();
    private final Map<Integer, String> netProtocolOwners = new HashMap<>();
    private Set<Pending> pending = new LinkedHashSet<>();

    @Override
    public Set<String> getSupportedAnnotationTypes() {
        return Set.of(INET_PROTOSW, NET_PROTOCOL);
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
                processRound(annotations, roundEnv);
            }
        } catch (IOException | RuntimeException e) {
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR,
                    "inet4j processor failed: " + e + "\n" + trace);
        }
        return false;
    }

    private void processRound(Set<? extends TypeElement> annotations, RoundEnvironment roundEnv) throws IOException {
        Set<Pending> work = pending;
        pending = new LinkedHashSet<>();
        for (TypeElement annotation : annotations) {
            String name = annotation.getQualifiedName().toString();
            for (TypeElement cls : ElementFilter.typesIn(roundEnv.getElementsAnnotatedWith(annotation))) {
                work.add(new Pending(name, cls.getQualifiedName().toString()));
            }
        }
        for (Pending p : work) {
            TypeElement cls = processingEnv.getElementUtils().getTypeElement(p.className());
            AnnotationMirror mirror = mirror(cls, p.annotation());
            boolean done = p.annotation().equals(INET_PROTOSW) ? inetProtosw(cls, mirror) : netProtocol(cls, mirror);
            if (!done) {
                pending.add(p);
            }
        }
    }

    /** Returns false to retry next round: a type or constant it uses has yet to be generated by some processor. */
    private boolean inetProtosw(TypeElement cls, AnnotationMirror mirror) throws IOException {
        Map<String, AnnotationValue> values = values(mirror);
        Object opsValue = values.get("ops").getValue();
        if (!resolved(cls) || !(opsValue instanceof DeclaredType ops) || ops.getKind() == TypeKind.ERROR
                || !(values.get("type").getValue() instanceof Integer type)
                || !(values.get("protocol").getValue() instanceof Integer protocol)
                || !(values.get("flags").getValue() instanceof Integer flags)) {
            return false;
        }
        if (!checkClass(cls, mirror, "@InetProtosw", PROTO)) {
            return true;
        }
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
        String opsExpression = opsExpression(cls, mirror, (TypeElement) ops.asElement());
        String newProto = construction(cls, mirror, "@InetProtosw");
        if (!ok || opsExpression == null || newProto == null) {
            return true;
        }
        String first = protoswOwners.putIfAbsent(List.of(type, protocol), cls.getQualifiedName().toString());
        if (first != null) {
            processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR, "duplicate @InetProtosw(type = " + type
                    + ", protocol = " + protocol + "): " + first + " already registers it", cls, mirror);
            return true;
        }
        String opsField = opsExpression.startsWith("new ")
                ? "    private static final io.inet4j.socket.ProtoOps OPS = " + opsExpression + ";\n\n"
                : "";
        String opsReturn = opsField.isEmpty() ? opsExpression : "OPS";
        writeTable(cls, "_Inetsw", INET_PROTOSW_TABLE, """
                /**
                 * The AF_INET switch table row ({@code inetsw_array}) for {@link %s}, from its {@code @InetProtosw}.
                 */
                @javax.annotation.processing.Generated("%s")
                public final class %s implements io.inet4j.protocol.InetProtoswTable {
                %s    @java.lang.Override
                    public int type() {
                        return %d;
                    }

                    @java.lang.Override
                    public int protocol() {
                        return %d;
                    }

                    @java.lang.Override
                    public int flags() {
                        return %d;
                    }

                    @java.lang.Override
                    public java.lang.String name() {
                        return "%s";
                    }

                    @java.lang.Override
                    public io.inet4j.socket.Proto newProto(io.inet4j.protocol.ProtocolContext ctx) {
                        return %s;
                    }

                    @java.lang.Override
                    public io.inet4j.socket.ProtoOps ops() {
                        return %s;
                    }
                }
                """, opsField, type, protocol, flags, binaryName(cls), newProto, opsReturn);
        return true;
    }

    /** Returns false to retry next round: a type or constant it uses has yet to be generated by some processor. */
    private boolean netProtocol(TypeElement cls, AnnotationMirror mirror) throws IOException {
        if (!resolved(cls) || !(values(mirror).get("protocol").getValue() instanceof Integer protocol)) {
            return false;
        }
        if (!checkClass(cls, mirror, "@NetProtocol", NET_PROTOCOL_HANDLER)) {
            return true;
        }
        boolean ok = true;
        if (protocol < 1 || protocol > MAX_PROTOCOL) {
            error(cls, mirror, "protocol", "@NetProtocol protocol " + protocol + " is out of range 1.." + MAX_PROTOCOL);
            ok = false;
        }
        String newHandler = construction(cls, mirror, "@NetProtocol");
        if (!ok || newHandler == null) {
            return true;
        }
        String first = netProtocolOwners.putIfAbsent(protocol, cls.getQualifiedName().toString());
        if (first != null) {
            processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR, "duplicate @NetProtocol(protocol = "
                    + protocol + "): " + first + " already registers it", cls, mirror);
            return true;
        }
        writeTable(cls, "_NetProtocol", NET_PROTOCOL_TABLE, """
                /** The {@code inet_protos[]} entry for {@link %s}, from its {@code @NetProtocol}. */
                @javax.annotation.processing.Generated("%s")
                public final class %s implements io.inet4j.protocol.NetProtocolTable {
                    @java.lang.Override
                    public int protocol() {
                        return %d;
                    }

                    @java.lang.Override
                    public java.lang.String name() {
                        return "%s";
                    }

                    @java.lang.Override
                    public io.inet4j.protocol.NetProtocolHandler newHandler(io.inet4j.protocol.ProtocolContext ctx) {
                        return %s;
                    }
                }
                """, protocol, binaryName(cls), newHandler);
        return true;
    }

    /** The annotated class must be a public, concrete, instantiable implementation of {@code required}. */
    private boolean checkClass(TypeElement cls, AnnotationMirror mirror, String annotation, String required) {
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
        if (!processingEnv.getTypeUtils().isAssignable(erasure(cls), erasure(typeElement(required)))) {
            error(cls, mirror, annotation + " class " + cls.getSimpleName() + " must implement " + required);
            ok = false;
        }
        return ok;
    }

    /**
     * {@code new Foo(ctx)} (cast to the family's context type the constructor names) or {@code new Foo()}, or null
     * after reporting that neither constructor exists.
     */
    private String construction(TypeElement cls, AnnotationMirror mirror, String annotation) {
        TypeMirror context = typeElement(CONTEXT).asType();
        boolean noArg = false;
        for (ExecutableElement ctor : ElementFilter.constructorsIn(cls.getEnclosedElements())) {
            if (!ctor.getModifiers().contains(Modifier.PUBLIC)) {
                continue;
            }
            List<? extends VariableElement> params = ctor.getParameters();
            if (params.size() == 1 && processingEnv.getTypeUtils().isAssignable(params.get(0).asType(), context)) {
                TypeMirror wanted = params.get(0).asType();
                return "new " + sourceName(cls) + "("
                        + (processingEnv.getTypeUtils().isSameType(wanted, context) ? "ctx" : "(" + wanted + ") ctx") + ")";
            }
            noArg |= params.isEmpty();
        }
        if (noArg) {
            return "new " + sourceName(cls) + "()";
        }
        error(cls, mirror, annotation + " class " + cls.getSimpleName()
                + " needs a public constructor taking () or a context (" + CONTEXT + " or a subtype)");
        return null;
    }

    /**
     * {@code Ops.INSTANCE} or {@code new Ops()}, or null after reporting why the ops class cannot be used. A shared
     * instance is enough: a {@code proto_ops} table is stateless.
     */
    private String opsExpression(TypeElement cls, AnnotationMirror mirror, TypeElement ops) {
        String name = ops.getQualifiedName().toString();
        if (name.equals(PROTO_OPS)) {
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
                    && field.getModifiers().containsAll(Set.of(Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL))
                    && processingEnv.getTypeUtils().isAssignable(field.asType(), erasure(ops))) {
                return sourceName(ops) + ".INSTANCE";
            }
        }
        if (!isInner(ops)) {
            for (ExecutableElement ctor : ElementFilter.constructorsIn(ops.getEnclosedElements())) {
                if (ctor.getModifiers().contains(Modifier.PUBLIC) && ctor.getParameters().isEmpty()) {
                    return "new " + sourceName(ops) + "()";
                }
            }
        }
        error(cls, mirror, "ops", "@InetProtosw ops " + name + " needs a public static final INSTANCE field of type "
                + name + " or a public no-argument constructor" + (isInner(ops) ? " in a static class" : ""));
        return null;
    }

    /**
     * Fills {@code template}, whose first three {@code %s} are the annotated class, this processor and the generated
     * class's simple name, then {@code args}; and lists the generated class under {@code service}.
     */
    private void writeTable(TypeElement cls, String suffix, String service, String template, Object... args)
            throws IOException {
        String simpleName = generatedName(cls, suffix);
        String pkg = packageName(cls);
        String qualifiedName = pkg.isEmpty() ? simpleName : pkg + "." + simpleName;
        List<Object> all = new ArrayList<>(List.of(cls.getQualifiedName(), getClass().getName(), simpleName));
        all.addAll(List.of(args));
        String body = String.format(Locale.ROOT, template, all.toArray());
        try (Writer out = processingEnv.getFiler().createSourceFile(qualifiedName, cls).openWriter()) {
            out.write(pkg.isEmpty() ? body : "package " + pkg + ";\n\n" + body);
        }
        providers.computeIfAbsent(service, s -> new TreeSet<>()).add(qualifiedName);
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

    /** False when a supertype is still an error type, i.e. not generated yet. */
    private boolean resolved(TypeElement cls) {
        for (TypeMirror supertype : processingEnv.getTypeUtils().directSupertypes(cls.asType())) {
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

    /** How generated code names the class; a diamond keeps a generic class free of raw-type warnings. */
    private static String sourceName(TypeElement cls) {
        return cls.getQualifiedName() + (cls.getTypeParameters().isEmpty() ? "" : "<>");
    }

    private String binaryName(TypeElement cls) {
        return processingEnv.getElementUtils().getBinaryName(cls).toString();
    }

    private String packageName(TypeElement cls) {
        return processingEnv.getElementUtils().getPackageOf(cls).getQualifiedName().toString();
    }

    private static boolean isInner(TypeElement cls) {
        return cls.getNestingKind() == NestingKind.MEMBER && !cls.getModifiers().contains(Modifier.STATIC);
    }

    private static boolean publicAlongEnclosing(TypeElement cls) {
        for (Element e = cls; e instanceof TypeElement; e = e.getEnclosingElement()) {
            if (!e.getModifiers().contains(Modifier.PUBLIC)) {
                return false;
            }
        }
        return true;
    }

    private boolean accessibleFrom(TypeElement cls, String pkg) {
        boolean samePackage = packageName(cls).equals(pkg);
        for (Element e = cls; e instanceof TypeElement; e = e.getEnclosingElement()) {
            Set<Modifier> modifiers = e.getModifiers();
            if (modifiers.contains(Modifier.PRIVATE) || (!samePackage && !modifiers.contains(Modifier.PUBLIC))) {
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

    private TypeMirror erasure(TypeElement cls) {
        return processingEnv.getTypeUtils().erasure(cls.asType());
    }

    private static AnnotationMirror mirror(TypeElement cls, String annotation) {
        for (AnnotationMirror m : cls.getAnnotationMirrors()) {
            if (((TypeElement) m.getAnnotationType().asElement()).getQualifiedName().contentEquals(annotation)) {
                return m;
            }
        }
        throw new IllegalStateException(cls + " lost its @" + annotation);
    }

    private Map<String, AnnotationValue> values(AnnotationMirror mirror) {
        Map<String, AnnotationValue> values = new HashMap<>();
        processingEnv.getElementUtils().getElementValuesWithDefaults(mirror)
                .forEach((k, v) -> values.put(k.getSimpleName().toString(), v));
        return values;
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
