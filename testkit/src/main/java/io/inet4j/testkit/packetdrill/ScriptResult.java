package io.inet4j.testkit.packetdrill;

import java.util.List;

/**
 * How one script ran: {@link Status#PASS} only when every line ran and matched. Each message names its script
 * line: a failure says what was expected and what the stack did, a skipped line says why it was not run.
 *
 * @param virtualUsecs the script time the run reached
 */
public record ScriptResult(String name, Status status, List<String> messages, long virtualUsecs) {
    /** PASS: every line ran and matched; FAIL: a line did not match; SKIP: lines were not run, the rest matched. */
    public enum Status { PASS, FAIL, SKIP }

}
