package io.inet4j.testkit.packetdrill;

/** Ends a run at a script line that did not match; the message says what was expected and what happened. */
final class ScriptFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ScriptFailure(int line, String message) { super("line " + line + ": " + message, null, false, false); }
}
