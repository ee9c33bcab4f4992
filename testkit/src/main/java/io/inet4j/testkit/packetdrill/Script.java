package io.inet4j.testkit.packetdrill;

import java.util.List;

/**
 * A parsed script (packetdrill's {@code struct script}): its events in order and the options it sets for itself:
 * {@code --tolerance_usecs} (or -1), {@code --tcp_ts_tick_usecs} (microseconds per TS val tick, 0 when outbound TS
 * vals are not checked, packetdrill's default) and {@code --tcp_ts_ecr_scaled} (an inbound ecr that names no
 * outbound TS val is interpolated instead of failing).
 */
public record Script(String name, List<Event> events, int toleranceUsecs, int tsTickUsecs, boolean tsEcrScaled) {}
