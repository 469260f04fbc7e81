package dev.gdkit.bench.vsglusterd;

/**
 * One figure of the run.
 *
 * @param system glusterd or gdd
 * @param nodes pool size
 * @param metric what was measured (see {@link Metric})
 * @param value the figure, in the metric's unit
 */
record Result(String system, int nodes, Metric metric, double value) {

    /** The figures the run reports, with their unit and which way is better. */
    enum Metric {
        FORMATION_S("pool formation: N daemons started, peered, all connected", "s", true),
        STARTUP_S("  of which: daemons start, until every API answers", "s", true),
        PEERING_S("  of which: peer adds until node 1 sees all connected", "s", true),
        CREATE_S("volume create, one brick per node", "s", true),
        SET_P50_MS("volume set p50 (network.ping-timeout: client graphs)", "ms", true),
        SET_P99_MS("volume set p99 (network.ping-timeout: client graphs)", "ms", true),
        SET_BRICK_P50_MS("volume set p50 (performance.io-thread-count: brick graphs)", "ms", true),
        SET_BRICK_P99_MS("volume set p99 (performance.io-thread-count: brick graphs)", "ms", true),
        CONCURRENT_OPS_S("concurrent volume set, 8 clients on 8 volumes", "ops/s", false),
        CONCURRENT_FAILED("concurrent volume set refused or failed", "ops", true),
        START_S("volume start with real bricks", "s", true),
        STOP_S("volume stop", "s", true),
        IDLE_RSS_MB("idle RSS per daemon (mean)", "MB", true),
        VOLFILES_LATE("operations answered before every node had the volfiles", "ops", true);

        final String label;
        final String unit;
        final boolean lowerIsBetter;

        Metric(String label, String unit, boolean lowerIsBetter) {
            this.label = label;
            this.unit = unit;
            this.lowerIsBetter = lowerIsBetter;
        }
    }
}
