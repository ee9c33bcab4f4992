package io.inet4j.tap.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;

/**
 * Names for TAP devices and network namespaces that no other run, parallel or earlier, is using: a fixed
 * {@code i4j} stem (so leftovers are easy to find and delete), the caller's prefix and random base-36 digits,
 * checked against what exists and what this JVM already handed out.
 */
public final class TapNames {
    /** Interface names are at most IFNAMSIZ - 1 bytes. */
    public static final int MAX_INTERFACE_NAME = 15;
    private static final String STEM = "i4j";
    private static final int RANDOM_DIGITS = 6;
    private static final String DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Set<String> ISSUED = new HashSet<>();

    private TapNames() {}

    /**
     * A fresh interface name such as {@code i4jt1a2b3c} for {@code prefix "t"}; the prefix may have up to 6
     * characters so the name fits 15.
     */
    public static String unique(String prefix) {
        check(prefix);
        int max = MAX_INTERFACE_NAME - STEM.length() - RANDOM_DIGITS;
        if (prefix.length() > max) {
            throw new IllegalArgumentException("prefix '" + prefix + "' longer than " + max
                    + " characters: the interface name would exceed " + MAX_INTERFACE_NAME);
        }
        return fresh(STEM + prefix, Path.of("/sys/class/net"));
    }

    /** A fresh network namespace name such as {@code i4j-ns-1a2b3c} for {@code prefix "ns"}. */
    public static String namespace(String prefix) {
        check(prefix);
        return fresh(STEM + "-" + prefix + "-", Path.of("/run/netns"));
    }

    private static void check(String prefix) {
        if (!prefix.matches("[a-z0-9-]*")) {
            throw new IllegalArgumentException("prefix '" + prefix + "' may hold only a-z, 0-9 and '-'");
        }
    }

    private static synchronized String fresh(String start, Path existing) {
        while (true) {
            StringBuilder sb = new StringBuilder(start);
            for (int i = 0; i < RANDOM_DIGITS; i++) sb.append(DIGITS.charAt(RANDOM.nextInt(DIGITS.length())));
            String name = sb.toString();
            if (!Files.exists(existing.resolve(name)) && ISSUED.add(name)) return name;
        }
    }
}
