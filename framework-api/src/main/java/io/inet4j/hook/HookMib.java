package io.inet4j.hook;

/**
 * Counters of hooks that failed rather than answered ({@link Hooks#counters()}). Linux has no such counters: a
 * BPF program can neither throw nor run unbounded, the verifier sees to it. Here a hook is ordinary Java, so its
 * failures are contained and counted.
 */
public enum HookMib {
    /** A hook (or security hook) threw; the call failed with ECANCELED. */
    HookErrors,
    /** A hook (or security hook) ran longer than the time budget; the call failed with ETIME. */
    HookOverBudget
}
