package io.inet4j.samples.cli;

import io.inet4j.netdev.FaultSpec;
import io.inet4j.netdev.MacAddress;
import io.inet4j.samples.hooks.ConnectPolicy;
import io.inet4j.samples.http.HttpGet;
import io.inet4j.socket.SockAddrIn;
import io.inet4j.stack.StackConfig;
import io.inet4j.tap.TapLink;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The command line's picocli converters: each checks a value where it is parsed, so a bad one is reported in one
 * line against the option that carried it ({@code Invalid value for option '--addr': ...}) before anything is
 * created, and the command exits with status 2.
 */
final class Values {
    private Values() {}

    /** {@code A.B.C.D/N}, as {@code ip addr add} takes it; the text is kept as written. */
    static final class Prefixed implements ITypeConverter<String> {
        @Override
        public String convert(String s) {
            int slash = s.indexOf('/');
            if (slash < 0) throw new TypeConversionException("'" + s + "' has no prefix length (write A.B.C.D/N, e.g. " + s + "/24)");
            address(s.substring(0, slash));
            prefix(s.substring(slash + 1));
            return s;
        }
    }

    /** {@code ip route add}'s arguments: {@code DEST [via GW] [congctl [lock] NAME]}. */
    static final class Route implements ITypeConverter<StackConfig.RouteSpec> {
        @Override
        public StackConfig.RouteSpec convert(String s) {
            StackConfig.RouteSpec r;
            try {
                r = StackConfig.RouteSpec.parse(s);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("'" + s + "' is not a route (write DEST [via GW] [congctl [lock] NAME], "
                        + "e.g. 10.9.0.0/16 via 10.77.1.1 congctl reno): " + e.getMessage());
            }
            String dst = r.destination();
            int slash = dst.indexOf('/');
            address(slash < 0 ? dst : dst.substring(0, slash));
            if (slash >= 0) prefix(dst.substring(slash + 1));
            if (r.gateway() != null) address(r.gateway());
            return r;
        }
    }

    /** A bare {@code A.B.C.D}. */
    static final class Address implements ITypeConverter<String> {
        @Override
        public String convert(String s) {
            address(s);
            return s;
        }
    }

    /** {@code 02:00:00:00:00:01}. */
    static final class Mac implements ITypeConverter<String> {
        @Override
        public String convert(String s) {
            try {
                MacAddress.parse(s);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("'" + s + "' is not a MAC address (write six hex pairs, e.g. 02:00:00:00:00:01)");
            }
            return s;
        }
    }

    /** A {@link FaultSpec}, e.g. {@code loss=0.01,seed=7}. */
    static final class Fault implements ITypeConverter<String> {
        @Override
        public String convert(String s) {
            try {
                FaultSpec.parse(s);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
            return s;
        }
    }

    /** {@code name=value}; whether the stack takes the value is its own answer, given when the stack is built. */
    static final class Sysctl implements ITypeConverter<String> {
        @Override
        public String convert(String s) {
            int eq = s.indexOf('=');
            if (eq <= 0 || eq == s.length() - 1) {
                throw new TypeConversionException("'" + s + "' is not name=value (e.g. net.ipv4.ip_default_ttl=32)");
            }
            return s;
        }
    }

    /** A TCP or UDP port, 1-65535. */
    static final class Port implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String s) { return port(s); }
    }

    /** A TAP device's MTU, {@link TapLink#MIN_MTU}-{@link TapLink#MAX_MTU}. */
    static final class Mtu implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String s) { return range(s, TapLink.MIN_MTU, TapLink.MAX_MTU, "an MTU (" + TapLink.MIN_MTU + "-" + TapLink.MAX_MTU + ")"); }
    }

    /** How many queues of a TAP device, 1-{@link TapLink#MAX_QUEUES}. */
    static final class Queues implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String s) { return range(s, 1, TapLink.MAX_QUEUES, "a queue count (1-" + TapLink.MAX_QUEUES + ")"); }
    }

    /** A network device name as the kernel takes it: 1-15 characters, no '/', ':' or white space (dev_valid_name). */
    static final class DeviceName implements ITypeConverter<String> {
        @Override
        public String convert(String s) {
            if (s.isEmpty() || s.length() > 15 || s.equals(".") || s.equals("..")
                    || s.chars().anyMatch(c -> c == '/' || c == ':' || Character.isWhitespace(c))) {
                throw new TypeConversionException("'" + s + "' is not a device name (1-15 characters, no '/', ':' or spaces)");
            }
            return s;
        }
    }

    /** A whole number of at least 0 (seconds, say). */
    static final class NonNegative implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String s) { return range(s, 0, Integer.MAX_VALUE, "a whole number >= 0"); }
    }

    /** A whole number of at least 1 (a count). */
    static final class Positive implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String s) { return range(s, 1, Integer.MAX_VALUE, "a whole number >= 1"); }
    }

    /** Seconds, more than 0, fractions allowed. */
    static final class Seconds implements ITypeConverter<Double> {
        @Override
        public Double convert(String s) {
            double d;
            try {
                d = Double.parseDouble(s);
            } catch (NumberFormatException e) {
                throw new TypeConversionException("'" + s + "' is not a number of seconds");
            }
            if (!(d > 0) || Double.isInfinite(d)) throw new TypeConversionException("'" + s + "' is not a number of seconds > 0");
            return d;
        }
    }

    /** A directory that exists. */
    static final class Directory implements ITypeConverter<Path> {
        @Override
        public Path convert(String s) {
            Path p = Path.of(s);
            if (!Files.isDirectory(p)) {
                throw new TypeConversionException("'" + s + "' is not a directory" + (Files.exists(p) ? "" : " (it does not exist)"));
            }
            return p;
        }
    }

    /** A file to write, in a directory that exists. */
    static final class OutputFile implements ITypeConverter<Path> {
        @Override
        public Path convert(String s) {
            Path p = Path.of(s).toAbsolutePath();
            if (Files.isDirectory(p)) throw new TypeConversionException("'" + s + "' is a directory, not a file");
            if (p.getParent() != null && !Files.isDirectory(p.getParent())) {
                throw new TypeConversionException("'" + s + "': directory " + p.getParent() + " does not exist");
            }
            return Path.of(s);
        }
    }

    /** {@code http://A.B.C.D[:PORT]/PATH}, the only URLs {@code http-get} fetches (the stack has no resolver). */
    static final class HttpUrl implements ITypeConverter<String> {
        @Override
        public String convert(String s) {
            try {
                HttpGet.parse(s);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
            return s;
        }
    }

    /** {@code CIDR[,CIDR...]}: networks, each {@code A.B.C.D/N} or a bare address; the text is kept as written. */
    static final class CidrList implements ITypeConverter<String> {
        @Override
        public String convert(String s) {
            try {
                ConnectPolicy.parseDeny(s);
                return s;
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("'" + s + "': " + e.getMessage());
            }
        }
    }

    /** {@code IP:PORT=IP:PORT}: connects to the first go to the second; the text is kept as written. */
    static final class Redirect implements ITypeConverter<String> {
        @Override
        public String convert(String s) {
            try {
                ConnectPolicy.parseRedirect(s);
                return s;
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("'" + s + "': " + e.getMessage());
            }
        }
    }

    /** {@code s} as an IPv4 address, or a conversion error naming it. */
    static int address(String s) {
        try {
            return SockAddrIn.parseAddress(s);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException("'" + s + "' is not an IPv4 address (write A.B.C.D)");
        }
    }

    static int prefix(String s) { return range(s, 0, 32, "a prefix length (0-32)"); }

    static int port(String s) { return range(s, 1, 65535, "a port (1-65535)"); }

    private static int range(String s, int min, int max, String what) {
        int v;
        try {
            v = Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + s + "' is not " + what);
        }
        if (v < min || v > max) throw new TypeConversionException("'" + s + "' is not " + what);
        return v;
    }
}
