package io.inet4j.hook;

/**
 * What a hook answers: a BPF program's return value 1 (allow) or 0 (deny) of {@code bpf_prog_run_array_cg}. A
 * call any hook denies fails with EPERM.
 */
public enum Verdict {
    ALLOW,
    DENY
}
