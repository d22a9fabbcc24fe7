package io.vigil.context;

import io.vigil.model.Alert;
import io.vigil.model.SecurityEvent;
import java.util.Map;

/**
 * One kind of context (threat intelligence, GeoIP, assets, identities): what it adds to an event
 * and to an alert, and how it takes a live update. A part is opened on each task from its
 * {@link ContextSource} and is used by one thread; it holds its tables in memory (or maps its
 * database file), never in Flink state: the sources and the updates are the truth, replayed on a
 * restore.
 *
 * <p>Every field a part adds has a name from Vigil's catalog ({@code extra-fields.txt}), never one
 * taken from the input (docs/architecture.md, invariant 6). A part must cost bounded time per event
 * whatever the event holds (invariant 8).
 */
public interface ContextPart {

    /** Adds this part's fields for {@code event} to {@code fields} (dotted ECS names); nothing when it knows nothing. */
    default void enrich(SecurityEvent event, Map<String, String> fields) {}

    /**
     * Adds this part's fields for {@code alert} to {@code fields} (from the alert's entities: the
     * host's criticality, the user's privileges, …).
     */
    default void enrich(Alert alert, Map<String, String> fields) {}

    /**
     * Whether this part owns the event field {@code name}: the input's value of it is never kept
     * (the {@link Enricher} removes it from every event before adding this part's fields, and
     * writes this part's value over it). For fields other parts or detections must be able to
     * trust, such as GeoIP's places; other fields keep the input's value when it has one.
     */
    default boolean replaces(String name) {
        return false;
    }

    /**
     * Takes a live update of the context control topic; returns {@code false} when the update is
     * not of this part's kind. An update replaces the table of the same kind and name whole.
     *
     * @throws IllegalArgumentException when the update is of this part's kind but cannot be read:
     *     the part keeps what it had
     */
    default boolean update(ContextUpdate update) {
        return false;
    }
}
