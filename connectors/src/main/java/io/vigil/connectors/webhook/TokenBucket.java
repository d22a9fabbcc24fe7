package io.vigil.connectors.webhook;

/**
 * A rate limit: {@code rate} tokens a second, bursts of up to one second's worth (at least one).
 * Not thread-safe: used by the thread that sends.
 */
final class TokenBucket {

    private final double rate;
    private final double capacity;
    private double tokens;
    private long last = Long.MIN_VALUE;

    /** @param ratePerSecond 0 for no limit */
    TokenBucket(double ratePerSecond) {
        this.rate = ratePerSecond;
        this.capacity = Math.max(1, ratePerSecond);
        this.tokens = capacity;
    }

    /** Takes a token at {@code now}: 0 when taken, otherwise the milliseconds until one is there. */
    long take(long now) {
        if (rate <= 0) {
            return 0;
        }
        if (last != Long.MIN_VALUE && now > last) {
            tokens = Math.min(capacity, tokens + (now - last) * rate / 1000.0);
        }
        last = Math.max(last, now);
        if (tokens >= 1) {
            tokens -= 1;
            return 0;
        }
        return Math.max(1, (long) Math.ceil((1 - tokens) * 1000.0 / rate));
    }
}
