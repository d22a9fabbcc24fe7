package io.vigil.jobs.incident;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.Incident;
import io.vigil.model.TimelineEntry;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What one alert costs the assembler, counted in store operations (not time): the same with ten
 * or ten thousand open incidents.
 */
class IncidentAssemblerCostTest {

    private static final Instant T0 = Instant.parse("2024-06-01T10:00:00Z");

    /** Counts every store call, and every element a call returns as an iterable: a scan shows. */
    private static final class Counting implements InvocationHandler {
        private final IncidentStore target = IncidentStore.inMemory();
        long operations;

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            operations++;
            Object result;
            try {
                result = method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            if (result instanceof Iterable<?> items) {
                for (Object ignored : items) {
                    operations++;
                }
            }
            return result;
        }
    }

    private static final IncidentAssembler.Output DISCARD = new IncidentAssembler.Output() {
        @Override
        public void incident(Incident incident) {}

        @Override
        public void timeline(TimelineEntry entry) {}
    };

    /**
     * Opens {@code open} incidents (one attacking address each, an alert per millisecond, each
     * alert's timer firing as in the stream), then counts the operations of one more alert, its
     * timer, and the timer that closes the first incident.
     */
    private static long costOfOneAlertWith(int open) throws Exception {
        IncidentAssembler assembler = new IncidentAssembler(Duration.ofHours(24));
        Counting counting = new Counting();
        IncidentStore store = (IncidentStore) Proxy.newProxyInstance(IncidentStore.class.getClassLoader(),
                new Class<?>[] {IncidentStore.class}, counting);
        for (int i = 0; i <= open; i++) {
            if (i == open) {
                counting.operations = 0;
            }
            Instant at = T0.plusMillis(i);
            assembler.accept(IncidentAssemblerTest.alert("a" + i, "ssh-brute-force", at, "source.ip", "medium",
                    List.of("TA0006"), "source.ip", "10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255)),
                    store, DISCARD);
            assembler.expire(at.toEpochMilli(), store);
        }
        assembler.expire(assembler.closesAt(T0.toEpochMilli()), store);
        return counting.operations;
    }

    @Test
    void anAlertCostsAsManyStoreOperationsWithTenThousandOpenIncidentsAsWithTen() throws Exception {
        long few = costOfOneAlertWith(10);
        long many = costOfOneAlertWith(10_000);
        assertThat(many).isEqualTo(few).isLessThan(20);
    }
}
