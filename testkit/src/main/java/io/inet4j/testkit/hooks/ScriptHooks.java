package io.inet4j.testkit.hooks;

import io.inet4j.hook.AttachType;
import io.inet4j.hook.Hook;
import io.inet4j.hook.HookFactory;
import io.inet4j.hook.InetHook;
import io.inet4j.hook.SockOp;
import io.inet4j.hook.Verdict;
import io.inet4j.socket.SockOpt;
import java.util.Map;

/**
 * Hooks that packetdrill scripts attach by name ({@code `bpftool cgroup attach / connect4 name i4j_deny`}), the
 * way kernel scripts attach a BPF program before the system calls they test.
 */
public final class ScriptHooks {
    private ScriptHooks() {}

    /** {@code i4j_deny}: denies every call at the attach type it is attached to (not SOCK_OPS, which has no verdict). */
    @InetHook("i4j_deny")
    public static final class Deny implements HookFactory {
        @Override
        public Hook<?> create(AttachType<?> type, Map<String, String> args) {
            if (type == AttachType.SOCK_OPS) throw new IllegalArgumentException("i4j_deny has nothing to deny at sock_ops");
            return ctx -> Verdict.DENY;
        }
    }

    /** {@code i4j_maxseg_1000}: a SOCK_OPS hook that sets TCP_MAXSEG 1000 from TCP_CONNECT_CB, so the SYN says so. */
    @InetHook("i4j_maxseg_1000")
    public static final class MaxSeg1000 implements HookFactory {
        @Override
        public Hook<?> create(AttachType<?> type, Map<String, String> args) {
            if (type != AttachType.SOCK_OPS) throw new IllegalArgumentException("i4j_maxseg_1000 is a sock_ops hook");
            Hook<io.inet4j.hook.SockOpsContext> h = ctx -> {
                if (ctx.op() == SockOp.TCP_CONNECT_CB) ctx.setsockopt(SockOpt.SOL_TCP, SockOpt.TCP_MAXSEG, 1000);
                return Verdict.ALLOW;
            };
            return h;
        }
    }
}
