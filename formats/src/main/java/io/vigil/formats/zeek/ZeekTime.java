package io.vigil.formats.zeek;

import io.vigil.formats.text.IsoInstant;
import java.time.DateTimeException;
import java.time.Instant;

/**
 * Zeek {@code time} and {@code interval} values: decimal seconds, read exactly (no double
 * rounding); for JSON logs also the other renderings of {@code JSON::TimestampFormat}.
 */
public final class ZeekTime {

    private ZeekTime() {}

    /** {@code 1692161622.036086} as an instant, or {@code null} when it is not such a number. */
    public static Instant epoch(String v) {
        long[] secNanos = secondsAndNanos(v);
        return secNanos == null ? null : Instant.ofEpochSecond(secNanos[0], secNanos[1]);
    }

    /**
     * Epoch milliseconds, as Zeek's JSON writer renders times with {@code JSON::TS_MILLIS}
     * ({@code 1692161622036}), or {@code null} when {@code v} is not such a number.
     */
    public static Instant epochMillis(String v) {
        if (v == null || v.isEmpty() || v.length() > 15) {
            return null;
        }
        long millis = 0;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
            millis = millis * 10 + (c - '0');
        }
        return Instant.ofEpochMilli(millis);
    }

    /**
     * An ISO 8601 time, as Zeek's JSON writer renders times with {@code JSON::TS_ISO8601}
     * ({@code 2023-08-16T04:53:42.036086Z}), or {@code null}.
     */
    public static Instant iso(String v) {
        if (v == null || v.length() < 20 || v.length() > 40) {
            return null;
        }
        try {
            return IsoInstant.parse(v);
        } catch (DateTimeException e) {
            return null;
        }
    }

    /** An interval in seconds as nanoseconds, or {@code null}. */
    public static Long intervalNanos(String v) {
        long[] secNanos = secondsAndNanos(v);
        if (secNanos == null || secNanos[0] > Long.MAX_VALUE / 1_000_000_000L - 1) {
            return null;
        }
        return secNanos[0] * 1_000_000_000L + secNanos[1];
    }

    private static long[] secondsAndNanos(String v) {
        if (v == null || v.isEmpty() || v.length() > 30) {
            return null;
        }
        int dot = v.indexOf('.');
        int intEnd = dot < 0 ? v.length() : dot;
        if (intEnd == 0 || intEnd > 12) {
            return null;
        }
        long seconds = 0;
        for (int i = 0; i < intEnd; i++) {
            char c = v.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
            seconds = seconds * 10 + (c - '0');
        }
        long nanos = 0;
        if (dot >= 0) {
            int digits = 0;
            for (int i = dot + 1; i < v.length(); i++) {
                char c = v.charAt(i);
                if (c < '0' || c > '9') {
                    return null;
                }
                if (digits < 9) {
                    nanos = nanos * 10 + (c - '0');
                    digits++;
                }
            }
            for (; digits < 9; digits++) {
                nanos *= 10;
            }
        }
        return new long[] {seconds, nanos};
    }
}
