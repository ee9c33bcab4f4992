package io.inet4j.net;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a stack is made of beyond its protocols: a name for logs, the seed of its random numbers (ISN keys, port
 * offsets, MAC addresses; fixed in tests so runs repeat) and sysctl values that differ from Linux's defaults.
 */
public record NetConfig(String name, long seed, Map<String, String> sysctls) {
    public NetConfig {
        sysctls = Map.copyOf(sysctls);
    }

    public static NetConfig named(String name) { return new NetConfig(name, System.nanoTime(), Map.of()); }

    public NetConfig withSeed(long seed) { return new NetConfig(name, seed, sysctls); }

    public NetConfig withSysctl(String key, String value) {
        Map<String, String> m = new LinkedHashMap<>(sysctls);
        m.put(key, value);
        return new NetConfig(name, seed, m);
    }
}
