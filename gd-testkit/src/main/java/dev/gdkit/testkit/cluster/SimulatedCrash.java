package dev.gdkit.testkit.cluster;

/** Thrown on a coordinator's thread when the testkit crashes its node at a {@link CrashPlan} point. */
public final class SimulatedCrash extends RuntimeException {
    public SimulatedCrash(String message) {
        super(message);
    }
}
