package io.inet4j.tcp;

import io.inet4j.tcp.cong.TcpCongestionTable;
import java.util.Collections;
import java.util.ServiceLoader;
import java.util.SortedSet;
import java.util.TreeMap;

/**
 * A stack's registered congestion controls ({@code tcp_cong_list} in {@code net/ipv4/tcp_cong.c}), loaded once
 * from the {@link TcpCongestionTable}s a class loader sees. The first table for a name wins, as
 * {@code tcp_register_congestion_control} refuses a second one (EEXIST).
 */
final class TcpCongList {
    private final TreeMap<String, TcpCongestionTable> byName = new TreeMap<>();
    private final SortedSet<String> names;

    TcpCongList(ClassLoader loader) {
        for (TcpCongestionTable t : ServiceLoader.load(TcpCongestionTable.class, loader)) byName.putIfAbsent(t.name(), t);
        names = Collections.unmodifiableSortedSet(byName.navigableKeySet());
    }

    /** The table called {@code name}, or null ({@code tcp_ca_find}). */
    TcpCongestionTable find(String name) { return byName.get(name); }

    /** Registered names in order ({@code tcp_get_available_congestion_control}). */
    SortedSet<String> names() { return names; }
}
