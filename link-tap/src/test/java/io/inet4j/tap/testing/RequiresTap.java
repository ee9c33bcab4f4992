package io.inet4j.tap.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test class or method that talks to the Linux kernel over a TAP device in a network namespace
 * (DESIGN §7, layer 4). It runs as root with {@code /dev/net/tun} and iproute2; elsewhere it is skipped, unless
 * the system property {@code inet4j.interop.required=true} (CI) turns the skip into a failure that says what is
 * missing. See {@link TapAvailableCondition}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@ExtendWith(TapAvailableCondition.class)
public @interface RequiresTap {}
