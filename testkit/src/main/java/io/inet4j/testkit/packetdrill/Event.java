package io.inet4j.testkit.packetdrill;

import java.util.List;

/**
 * One line of a script (packetdrill's {@code struct event}): a packet, an ICMP error, a system call, or a line this
 * runner skips.
 */
public sealed interface Event {
    /** The script line the event starts on (1-based). */
    int line();

    /** The line as written, for messages. */
    String text();

    /**
     * A TCP packet line ({@code struct packet} from {@code tcp_packet_spec}); sequence numbers as the script wrote
     * them, relative to each side's ISN.
     *
     * @param inbound {@code <}: injected as if from the remote host; otherwise {@code >}, expected from the stack
     * @param ack the ack field when the script wrote {@code ack N}, else 0
     * @param window the window when written, else -1 (outbound: not checked; inbound: sent as 65535)
     * @param urgent the urgent pointer when the script wrote {@code urg N}, else -1 (outbound: not checked; inbound:
     *     sent as 0)
     * @param options the option bytes, or null for {@code <...>} (outbound: not checked)
     * @param ecn the IP header's ECN field written in brackets before the flags ({@code [noecn]} 0,
     *     {@code [ect1]} 1, {@code [ect0]} 2, {@code [ce]} 3, {@code [ect01]} {@link #ECN_ECT01}: either ECT), or
     *     -1 when not written (outbound: not checked; inbound: Not-ECT)
     */
    record Packet(int line, String text, Timing timing, boolean inbound, int flags, int seq, int length, int ack,
                  int window, int urgent, byte[] options, int ecn) implements Event {
        /** {@code [ect01]}: an outbound packet may carry ECT(0) or ECT(1). */
        static final int ECN_ECT01 = 4;
    }

    /**
     * An inbound ICMP error line ({@code < icmp unreachable frag_needed mtu 1200 [1:1461(1460)]}): sent by the
     * router on the way to the remote host, quoting a TCP segment of the stack whose relative sequence range is in
     * brackets.
     *
     * @param mtu the next-hop MTU for {@code frag_needed}, else 0
     */
    record Icmp(int line, String text, Timing timing, int type, int code, int mtu, int seq, int length)
            implements Event {}

    /**
     * A system call line ({@code struct syscall_spec}): {@code name(args) = result [ERRNO (text)]}, each argument
     * kept as written.
     *
     * @param errno the expected errno name when the result is -1, else null
     */
    record Syscall(int line, String text, Timing timing, String name, List<String> args, long result, String errno)
            implements Event {}

    /**
     * A shell command the runner understands: {@code `bpftool cgroup attach|detach CGROUP ATTACH_TYPE name NAME
     * [multi|override]`} attaches (or detaches) the {@code @InetHook} named NAME to the stack's scope CGROUP, where
     * the script's sockets live when it is {@code /}.
     *
     * @param attach true for attach, false for detach
     * @param spec the hook spec ({@code io.inet4j.hook.HookSpec}) the command names
     */
    record Hook(int line, String text, boolean attach, String spec) implements Event {}

    /**
     * A shell line made only of sysctl writes, {@code `sysctl -q net.ipv4.tcp_timestamps=0; sysctl -w net.ipv4.X=V`}
     * ({@code -q} or {@code -w}, several assignments per command, several commands separated by {@code ;}): each
     * is applied to the stack's sysctl table in order, as the shell would to the kernel's.
     *
     * @param settings the name (dotted, as {@code sysctl} accepts it with slashes too) and value of each write
     */
    record Sysctl(int line, String text, List<java.util.Map.Entry<String, String>> settings) implements Event {}

    /** A line the runner does not run (shell commands, Python blocks, unsupported syntax), and why. */
    record Skipped(int line, String text, String reason) implements Event {}
}
