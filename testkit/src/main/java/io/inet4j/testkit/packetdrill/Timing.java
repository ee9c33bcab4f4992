package io.inet4j.testkit.packetdrill;

/**
 * When a script line happens, as packetdrill's {@code event_time} and {@code opt_end_time} productions write it:
 * {@code 0.1} (absolute), {@code +.1} (after the previous line's start), {@code *} (any time), {@code 0.1~0.2}
 * and {@code +0.1~+0.2} (anywhere in a range), and for a blocking system call {@code +0...0.2}, whose end is in
 * the same frame as its start. All times are in microseconds of script time.
 */
public record Timing(Type type, long usecs, long endUsecs, long blockingEndUsecs) {
    /** packetdrill's {@code enum event_time_t}. */
    public enum Type { ABSOLUTE, RELATIVE, ANY, ABSOLUTE_RANGE, RELATIVE_RANGE }

    /** {@link #blockingEndUsecs} of a call written without {@code ...}. */
    public static final long NON_BLOCKING = -1;

    boolean relative() { return type == Type.RELATIVE || type == Type.RELATIVE_RANGE || type == Type.ANY; }

    boolean range() { return type == Type.ABSOLUTE_RANGE || type == Type.RELATIVE_RANGE; }
}
