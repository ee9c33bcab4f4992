package io.inet4j.hook;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names a {@link HookFactory} so a configuration can attach it ({@link HookSpec}): the inet4j annotation processor
 * writes the annotated class into {@code META-INF/services/io.inet4j.hook.HookFactory}, so a jar with hooks on the
 * class path offers them by name, as a BPF object file offers its programs to {@code bpftool}. The class must
 * implement {@link HookFactory} and have a public no-argument constructor.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface InetHook {
    /** The name a spec uses ({@code deny-connect}); unique on the class path. */
    String value();
}
