package io.inet4j.sysctl;

import io.inet4j.socket.Errno;
import java.util.BitSet;

/**
 * A set of ports written as comma-separated ports and ranges, like {@code net.ipv4.ip_local_reserved_ports}
 * ({@code 8080,9000-9100}); empty by default. Lookups are a bit test.
 */
public final class PortSetSysctl extends Sysctl {
    private volatile BitSet ports = new BitSet(65536);

    public PortSetSysctl(String name) { super(name); }

    public boolean contains(int port) { return ports.get(port); }

    @Override
    public String asString() {
        StringBuilder sb = new StringBuilder();
        BitSet p = ports;
        for (int i = p.nextSetBit(0); i >= 0; ) {
            int end = p.nextClearBit(i) - 1;
            if (sb.length() > 0) sb.append(',');
            sb.append(i);
            if (end > i) sb.append('-').append(end);
            i = p.nextSetBit(end + 1);
        }
        return sb.toString();
    }

    @Override
    public void set(String v) {
        BitSet p = new BitSet(65536);
        for (String part : v.trim().split(",")) {
            String s = part.trim();
            if (s.isEmpty()) continue;
            int dash = s.indexOf('-');
            try {
                int lo = Integer.parseInt(dash < 0 ? s : s.substring(0, dash).trim());
                int hi = dash < 0 ? lo : Integer.parseInt(s.substring(dash + 1).trim());
                if (lo < 0 || hi > 65535 || lo > hi) throw new SysctlException(Errno.EINVAL, name() + ": bad range " + s);
                p.set(lo, hi + 1);
            } catch (NumberFormatException e) {
                throw new SysctlException(Errno.EINVAL, name() + ": bad port " + s);
            }
        }
        ports = p;
    }
}
