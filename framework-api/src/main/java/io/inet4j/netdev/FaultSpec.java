package io.inet4j.netdev;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a {@link FaultInjectingLink} does to frames, parsed from the command line's
 * {@code loss=0.01,dup=0.01,reorder=0.01,corrupt=0.001,delay=2ms,seed=7}. Probabilities are per frame and per
 * direction; {@code delay} accepts {@code us}, {@code ms} and {@code s}.
 */
public record FaultSpec(double loss, double duplicate, double reorder, double corrupt, long delayNanos, long seed) {
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)\\s*(us|ms|s)?");

    public FaultSpec {
        check("loss", loss);
        check("dup", duplicate);
        check("reorder", reorder);
        check("corrupt", corrupt);
        if (delayNanos < 0) throw new IllegalArgumentException("delay must not be negative");
    }

    private static void check(String name, double p) {
        if (!(p >= 0 && p <= 1)) throw new IllegalArgumentException(name + " must be a probability in [0,1]: " + p);
    }

    public static FaultSpec parse(String spec) {
        double loss = 0, dup = 0, reorder = 0, corrupt = 0;
        long delay = 0, seed = 1;
        for (String part : spec.split(",")) {
            if (part.isBlank()) continue;
            int eq = part.indexOf('=');
            if (eq < 0) throw new IllegalArgumentException("expected key=value in fault spec: " + part);
            String key = part.substring(0, eq).trim().toLowerCase(Locale.ROOT);
            String val = part.substring(eq + 1).trim();
            try {
                switch (key) {
                    case "loss" -> loss = Double.parseDouble(val);
                    case "dup", "duplicate" -> dup = Double.parseDouble(val);
                    case "reorder" -> reorder = Double.parseDouble(val);
                    case "corrupt" -> corrupt = Double.parseDouble(val);
                    case "delay" -> delay = parseDuration(val);
                    case "seed" -> seed = Long.parseLong(val);
                    default -> throw new IllegalArgumentException("unknown fault '" + key
                            + "' (known: loss, dup, reorder, corrupt, delay, seed)");
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad value for " + key + ": " + val);
            }
        }
        return new FaultSpec(loss, dup, reorder, corrupt, delay, seed);
    }

    private static long parseDuration(String v) {
        // A plain decimal and a unit: Double.parseDouble alone would also take "2d" (a double literal, 2 ms here).
        Matcher m = DURATION.matcher(v.toLowerCase(Locale.ROOT));
        if (!m.matches()) throw new NumberFormatException(v);
        double n = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "ms" : m.group(2);
        return switch (unit) {
            case "us" -> (long) (n * 1e3);
            case "ms" -> (long) (n * 1e6);
            default -> (long) (n * 1e9);
        };
    }
}
