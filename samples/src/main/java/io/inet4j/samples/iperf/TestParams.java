package io.inet4j.samples.iperf;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The parameters an iperf3 client sends at {@code PARAM_EXCHANGE}, as the server's {@code get_parameters} reads
 * them: a flag is its key's presence, a number 0 when absent. Those a TCP server does not need (title, TOS,
 * client_version, ...) are not kept.
 *
 * @param time seconds the client runs the test ({@code -t}); 0 when it ends by bytes or blocks
 * @param omit seconds at the start left out of the results ({@code -O})
 * @param bytes the test's byte count ({@code -n}), 0 for none
 * @param blocks the test's block count ({@code -k}), 0 for none
 * @param blockSize the client's block length ({@code -l}); blocks times this is the byte count the server sends
 * @param parallel streams ({@code -P})
 * @param reverse the server sends ({@code -R})
 * @param window socket buffer size for the streams ({@code -w}), 0 for the default
 * @param noDelay {@code TCP_NODELAY} on the streams ({@code -N})
 * @param congestion the congestion control for the streams ({@code -C}), or null
 * @param serverOutput the client wants the server's report in the results ({@code --get-server-output})
 */
record TestParams(String protocol, boolean bidirectional, long bandwidth, int time, int omit, long bytes, long blocks,
        int blockSize, int parallel, boolean reverse, int window, boolean noDelay, String congestion,
        boolean serverOutput) {

    static TestParams of(JsonNode j) {
        String protocol = j.has("udp") ? "UDP" : j.has("sctp") ? "SCTP" : "TCP";
        return new TestParams(protocol, j.has("bidirectional"), j.path("bandwidth").asLong(), j.path("time").asInt(),
                j.path("omit").asInt(), j.path("num").asLong(), j.path("blockcount").asLong(), j.path("len").asInt(),
                j.path("parallel").asInt(1), j.has("reverse"), j.path("window").asInt(), j.has("nodelay"),
                j.hasNonNull("congestion") ? j.get("congestion").asText() : null, j.has("get_server_output"));
    }

    /** Why this server cannot run a test: iperf's {@code i_errno}, which the client prints, and our own words. */
    record Refusal(int iErrno, String why) {}

    /** The refusal of a test this server cannot run, or null: it speaks TCP, one direction at a time, unpaced. */
    Refusal refusal() {
        if (!protocol.equals("TCP")) return new Refusal(Iperf3Protocol.IEUNIMP, "the client asked for " + protocol + "; this server speaks TCP only");
        if (bidirectional) return new Refusal(Iperf3Protocol.IEUNIMP, "the client asked for --bidir; this server runs one direction at a time (-R for the other)");
        if (reverse && bandwidth > 0) return new Refusal(Iperf3Protocol.IEUNIMP, "the client asked the server to pace its sending (-R with -b); this server sends as fast as TCP goes");
        if (parallel < 1 || parallel > Iperf3Protocol.MAX_STREAMS) {
            return new Refusal(Iperf3Protocol.IENUMSTREAMS, "the client asked for " + parallel + " streams (1-" + Iperf3Protocol.MAX_STREAMS + ")");
        }
        return null;
    }

    /**
     * What the server sends in all when it is the sender, as iperf's {@code iperf_send} stops: the byte count, else
     * whole blocks, else no limit (the client's clock ends the test).
     */
    long sendBudget() {
        if (bytes > 0) return bytes;
        if (blocks > 0 && blockSize > 0) return blocks * blockSize;
        return Long.MAX_VALUE;
    }
}
