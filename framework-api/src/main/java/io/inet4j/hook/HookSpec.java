package io.inet4j.hook;

import io.inet4j.socket.ErrnoException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * One configured hook: which {@link InetHook}-named {@link HookFactory} to attach where, in the order of
 * {@code bpftool cgroup attach CGROUP ATTACH_TYPE PROG [multi|override]}, followed by the hook's arguments:
 * <pre>
 *   SCOPE ATTACH_TYPE NAME [multi|override] [KEY=VALUE ...]
 *   /services/web connect4 deny-connect multi deny=10.9.0.0/16,192.168.0.0/16
 * </pre>
 * ATTACH_TYPE is bpftool's name or the constant's ({@link AttachType#parse}); no flag word means NONE. A file
 * holds one spec a line; blank lines and lines starting with {@code #} are skipped.
 */
public record HookSpec(String scope, AttachType<?> type, String name, List<AttachFlag> flags, Map<String, String> args) {
    public HookSpec {
        flags = List.copyOf(flags);
        args = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(args));
    }

    /** Parses one spec line; IllegalArgumentException with the reason when it is malformed. */
    public static HookSpec parse(String line) {
        String[] w = line.trim().split("\\s+");
        if (w.length < 3 || w[0].isEmpty()) {
            throw new IllegalArgumentException("hook spec needs SCOPE ATTACH_TYPE NAME [multi|override] [KEY=VALUE ...]: " + line);
        }
        if (!w[0].startsWith("/")) throw new IllegalArgumentException("hook spec scope must start with /: " + line);
        AttachType<?> type = AttachType.parse(w[1]);
        List<AttachFlag> flags = new ArrayList<>();
        Map<String, String> args = new LinkedHashMap<>();
        for (int i = 3; i < w.length; i++) {
            int eq = w[i].indexOf('=');
            if (eq > 0) {
                if (args.put(w[i].substring(0, eq), w[i].substring(eq + 1)) != null) {
                    throw new IllegalArgumentException("hook spec argument " + w[i].substring(0, eq) + " given twice: " + line);
                }
                continue;
            }
            if (!args.isEmpty()) throw new IllegalArgumentException("hook spec flags go before the arguments: " + line);
            switch (w[i].toLowerCase(Locale.ROOT)) {
                case "multi", "allow_multi" -> flags.add(AttachFlag.ALLOW_MULTI);
                case "override", "allow_override" -> flags.add(AttachFlag.ALLOW_OVERRIDE);
                default -> throw new IllegalArgumentException("hook spec word " + w[i] + " is neither multi, override nor KEY=VALUE: " + line);
            }
        }
        return new HookSpec(w[0], type, w[2], flags, args);
    }

    /** The specs of {@code file}, one a line, skipping blank lines and {@code #} comments. */
    public static List<HookSpec> parseFile(Path file) throws IOException {
        List<HookSpec> out = new ArrayList<>();
        int n = 0;
        for (String line : Files.readAllLines(file)) {
            n++;
            String t = line.trim();
            if (t.isEmpty() || t.startsWith("#")) continue;
            try {
                out.add(parse(t));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + ":" + n + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    /**
     * Finds the factory named {@link #name} among {@code loader}'s {@link HookFactory} services, makes the hook and
     * attaches it. IllegalArgumentException when no factory has that name; ErrnoException as {@link Scope#attach}.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public HookLink attach(Hooks hooks, ClassLoader loader) throws ErrnoException {
        HookFactory factory = ServiceLoader.load(HookFactory.class, loader).stream()
                .filter(p -> {
                    InetHook a = p.type().getAnnotation(InetHook.class);
                    return a != null && a.value().equals(name);
                })
                .map(ServiceLoader.Provider::get)
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no @InetHook(\"" + name + "\") HookFactory on the class path"));
        Hook<?> hook = factory.create(type, args);
        if (hook == null) throw new IllegalArgumentException("hook factory " + name + " made no hook for " + type);
        return hooks.scope(scope).attach((AttachType) type, (Hook) hook, flags.toArray(AttachFlag[]::new));
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(scope).append(' ').append(type.bpftoolName()).append(' ').append(name);
        for (AttachFlag f : flags) sb.append(' ').append(f == AttachFlag.ALLOW_MULTI ? "multi" : "override");
        args.forEach((k, v) -> sb.append(' ').append(k).append('=').append(v));
        return sb.toString();
    }
}
