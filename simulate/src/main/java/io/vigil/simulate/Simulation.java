package io.vigil.simulate;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * Drives a {@link ScenarioGenerator} into a {@link RecordSink}: as fast as it can, or paced so
 * records leave at their event-time rate in real time (a load test), with progress lines.
 */
public final class Simulation {

    /**
     * What a run wrote.
     *
     * @param records records written
     * @param byFormat records per format
     * @param injected completed attacks per scenario id
     * @param attacksInProgress attacks started whose records were not all written when the run ended
     * @param first event time of the first record
     * @param last event time of the last record
     * @param elapsed wall-clock time of the run
     */
    public record Summary(long records, Map<String, Long> byFormat, Map<String, Integer> injected,
            int attacksInProgress, Instant first, Instant last, Duration elapsed) {

        public int attacks() {
            return injected.values().stream().mapToInt(Integer::intValue).sum();
        }

        /** The final line: records per format and scenarios injected. */
        public String line() {
            StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "Wrote %,d records in %.1f s (",
                    records, elapsed.toMillis() / 1000.0));
            String sep = "";
            for (Map.Entry<String, Long> e : byFormat.entrySet()) {
                b.append(sep).append(e.getKey()).append(' ').append(String.format(Locale.ROOT, "%,d", e.getValue()));
                sep = ", ";
            }
            b.append(String.format(Locale.ROOT, "); %d attack scenario(s) injected", attacks()));
            if (attacks() > 0) {
                b.append(": ");
                sep = "";
                for (Map.Entry<String, Integer> e : injected.entrySet()) {
                    if (e.getValue() > 0) {
                        b.append(sep).append(e.getKey()).append(' ').append(e.getValue());
                        sep = ", ";
                    }
                }
            }
            if (attacksInProgress > 0) {
                b.append(String.format(Locale.ROOT, " (%d more cut off at the end)", attacksInProgress));
            }
            return b.toString();
        }
    }

    private Simulation() {}

    /**
     * Writes {@code count} records of {@code generator} to {@code sink} (which it does not close).
     *
     * @param paced whether to hold each record until its event time, counted from the run's start, has come
     * @param progressEveryMs how often to print a progress line to {@code progress}; 0 for never
     */
    public static Summary run(ScenarioGenerator generator, RecordSink sink, long count, boolean paced,
            long progressEveryMs, PrintWriter progress) throws IOException {
        Map<String, Long> byFormat = new LinkedHashMap<>();
        byFormat.put(GeneratedRecord.SYSLOG, 0L);
        byFormat.put(GeneratedRecord.WINDOWS, 0L);
        byFormat.put(GeneratedRecord.ACCESS, 0L);
        long startNanos = System.nanoTime();
        long nextProgress = startNanos + progressEveryMs * 1_000_000L;
        Instant first = generator.nextTime();
        Instant last = null;
        for (long i = 0; i < count; i++) {
            GeneratedRecord r = generator.next();
            if (paced) {
                long due = startNanos + Duration.between(first, r.time()).toNanos();
                long wait;
                while ((wait = due - System.nanoTime()) > 200_000) {
                    LockSupport.parkNanos(wait);
                    if (Thread.interrupted()) {
                        throw new IOException("interrupted");
                    }
                }
            }
            sink.write(r);
            byFormat.merge(r.format(), 1L, Long::sum);
            last = r.time();
            if (progressEveryMs > 0 && (i & 0xff) == 0 && System.nanoTime() >= nextProgress) {
                long now = System.nanoTime();
                double seconds = (now - startNanos) / 1e9;
                progress.printf(Locale.ROOT, "simulate: %,d records (%,.0f/s), event time %s, %d attack(s) injected%n",
                        i + 1, (i + 1) / seconds, r.time(), generator.injected().size());
                progress.flush();
                nextProgress = now + progressEveryMs * 1_000_000L;
            }
        }
        Map<String, Integer> injected = new LinkedHashMap<>();
        generator.injectedCounts().forEach((s, n) -> injected.put(s.id(), n));
        return new Summary(count, byFormat, injected, generator.attacksInProgress(), first,
                last == null ? first : last, Duration.ofNanos(System.nanoTime() - startNanos));
    }
}
