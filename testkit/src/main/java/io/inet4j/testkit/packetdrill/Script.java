package io.inet4j.testkit.packetdrill;

import java.util.List;

/**
 * A parsed script (packetdrill's {@code struct script}): its events in order and the {@code --tolerance_usecs}
 * it sets for itself, or -1.
 */
public record Script(String name, List<Event> events, int toleranceUsecs) {}
