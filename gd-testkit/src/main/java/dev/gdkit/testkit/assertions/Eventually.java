package dev.gdkit.testkit.assertions;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waiting in tests for a condition that other threads or processes make true. */
public final class Eventually {
    private Eventually() {
    }

    /**
     * Polls {@code condition} (an exception counts as "not yet") until it holds; throws an
     * {@link AssertionError} naming {@code what} when {@code timeout} passes first.
     */
    public static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
            } catch (RuntimeException e) {
                // not yet
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what, e);
            }
        }
    }
}
