package dev.gdkit.bench.vsglusterd;

import java.util.Arrays;
import java.util.List;

/** Latencies of one kind of operation, in nanoseconds. */
record Sample(long[] nanos) {
    static Sample of(List<Long> values) {
        long[] a = values.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(a);
        return new Sample(a);
    }

    /** The q-quantile in milliseconds (nearest rank). */
    double quantileMs(double q) {
        if (nanos.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(q * nanos.length);
        return nanos[Math.max(0, Math.min(nanos.length - 1, rank - 1))] / 1e6;
    }
}
