package io.inet4j.hook;

import io.inet4j.socket.ErrnoException;
import java.util.List;

/**
 * A hook to attach at stack start, contributed to a Dagger {@code Set<HookBinding>} multibinding by any module of
 * the stack's component ({@code @Provides @IntoSet static HookBinding policy() { return HookBinding.of(...); }}).
 */
public final class HookBinding {
    private final String scope;
    private final AttachType<?> type;
    private final Hook<?> hook;
    private final AttachFlag[] flags;

    private HookBinding(String scope, AttachType<?> type, Hook<?> hook, AttachFlag[] flags) {
        this.scope = scope;
        this.type = type;
        this.hook = hook;
        this.flags = flags.clone();
    }

    /** {@code hook} for scope {@code scope} ({@code /services/web}) at {@code type} with {@code flags}. */
    public static <C> HookBinding of(String scope, AttachType<C> type, Hook<? super C> hook, AttachFlag... flags) {
        return new HookBinding(scope, type, hook, flags);
    }

    public String scope() { return scope; }

    public AttachType<?> type() { return type; }

    public Hook<?> hook() { return hook; }

    public List<AttachFlag> flags() { return List.of(flags); }

    /** Attaches to {@code hooks}' scope (created if missing). */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public HookLink attach(Hooks hooks) throws ErrnoException {
        return hooks.scope(scope).attach((AttachType) type, (Hook) hook, flags);
    }

    @Override
    public String toString() { return scope + " " + type.bpftoolName() + " " + hook + " " + List.of(flags); }
}
