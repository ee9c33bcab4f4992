package io.inet4j.hook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one-line hook configuration: bpftool's word order, flags, then the hook's arguments. */
class HookSpecTest {
    @Test
    void parsesScopeTypeNameFlagAndArguments() {
        HookSpec s = HookSpec.parse("  /services/web connect4 deny-connect multi deny=10.9.0.0/16,192.168.0.0/16 log=yes ");
        assertThat(s.scope()).isEqualTo("/services/web");
        assertThat(s.type()).isSameAs(AttachType.INET4_CONNECT);
        assertThat(s.name()).isEqualTo("deny-connect");
        assertThat(s.flags()).containsExactly(AttachFlag.ALLOW_MULTI);
        assertThat(s.args()).containsExactly(Map.entry("deny", "10.9.0.0/16,192.168.0.0/16"), Map.entry("log", "yes"));
        assertThat(HookSpec.parse(s.toString())).isEqualTo(s);
    }

    @Test
    void takesTheConstantNamesAndNoFlagIsNone() {
        HookSpec s = HookSpec.parse("/ SOCK_OPS tracer");
        assertThat(s.type()).isSameAs(AttachType.SOCK_OPS);
        assertThat(s.flags()).isEmpty();
        assertThat(s.args()).isEmpty();
        assertThat(HookSpec.parse("/ post_bind4 x override").flags()).containsExactly(AttachFlag.ALLOW_OVERRIDE);
        for (AttachType<?> t : AttachType.values()) {
            assertThat(AttachType.parse(t.bpftoolName())).isSameAs(t);
            assertThat(AttachType.parse(t.name())).isSameAs(t);
        }
    }

    @Test
    void saysWhatIsWrong() {
        assertThatThrownBy(() -> HookSpec.parse("/a connect4")).hasMessageContaining("SCOPE ATTACH_TYPE NAME");
        assertThatThrownBy(() -> HookSpec.parse("a connect4 x")).hasMessageContaining("must start with /");
        assertThatThrownBy(() -> HookSpec.parse("/a connect9 x")).hasMessageContaining("no attach type connect9");
        assertThatThrownBy(() -> HookSpec.parse("/a connect4 x sometimes")).hasMessageContaining("sometimes");
        assertThatThrownBy(() -> HookSpec.parse("/a connect4 x k=v multi")).hasMessageContaining("flags go before");
        assertThatThrownBy(() -> HookSpec.parse("/a connect4 x k=1 k=2")).hasMessageContaining("given twice");
    }

    @Test
    void aFileHoldsOneSpecALineWithComments(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("hooks.conf");
        Files.writeString(f, "# policy\n\n/ connect4 a\n  # indented comment\n/b sock_ops c multi\n");
        assertThat(HookSpec.parseFile(f)).extracting(HookSpec::name).containsExactly("a", "c");
        Files.writeString(f, "/ connect4 a\n/ nowhere b\n");
        assertThatThrownBy(() -> HookSpec.parseFile(f)).hasMessageContaining("hooks.conf:2");
    }

    @Test
    void aNameNoFactoryHasIsRefused() {
        HookSpec s = HookSpec.parse("/ connect4 nobody-has-this");
        Hooks hooks = new Hooks(new io.inet4j.loop.VirtualClock());
        assertThatThrownBy(() -> s.attach(hooks, getClass().getClassLoader()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nobody-has-this");
        assertThat(List.of(hooks.root().effective(AttachType.INET4_CONNECT))).containsExactly(List.of());
    }
}
