package dev.gdkit.core.node;

import dev.gdkit.api.error.GdException;
import java.time.Duration;

/**
 * How a joining node retries when the cluster does not speak its protocol yet, or the member it
 * joins through is unreachable for a while (both happen while the cluster is being upgraded): up
 * to {@code attempts} tries, waiting a jittered, doubling backoff between them.
 *
 * @param attempts total tries, at least 1 (1 = no retry)
 * @param initialBackoff the first wait
 * @param maxBackoff the longest wait
 */
public record JoinRetry(int attempts, Duration initialBackoff, Duration maxBackoff) {
    public static final JoinRetry NONE = new JoinRetry(1, Duration.ofMillis(100), Duration.ofMillis(100));

    public JoinRetry {
        if (attempts < 1) {
            throw GdException.invalid("join retry attempts must be at least 1, got " + attempts, "use 1 for no retry");
        }
        if (initialBackoff == null || initialBackoff.isNegative() || initialBackoff.isZero()
                || maxBackoff == null || maxBackoff.compareTo(initialBackoff) < 0) {
            throw GdException.invalid("join retry backoff must be positive with max >= initial, got "
                    + initialBackoff + " and " + maxBackoff, "use for example 200 ms and 10 s");
        }
    }

    /** The wait before try {@code n} (from 2), with +-50% jitter. */
    public Duration backoff(int n, java.util.Random random) {
        long base = Math.min(maxBackoff.toMillis(), initialBackoff.toMillis() << Math.min(20, n - 2));
        long jittered = base / 2 + (long) (random.nextDouble() * base);
        return Duration.ofMillis(Math.max(1, jittered));
    }
}
