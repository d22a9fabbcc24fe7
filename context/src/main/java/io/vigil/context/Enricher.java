package io.vigil.context;

import io.vigil.model.Alert;
import io.vigil.model.SecurityEvent;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Applies every {@link ContextPart} to an event or an alert: the parts' fields are collected once
 * and the event rebuilt once. An event no part knows anything of is returned as it is.
 */
public final class Enricher {

    private final List<ContextPart> parts;
    private long failures;

    public Enricher(List<ContextPart> parts) {
        this.parts = List.copyOf(parts);
    }

    public List<ContextPart> parts() {
        return parts;
    }

    /**
     * {@code event} with the parts' fields added: existing fields of the same name are kept as they
     * are, except those a part {@link ContextPart#replaces replaces}, which are removed first
     * (whether or not the part has a value for the event) and get the part's value.
     */
    public SecurityEvent enrich(SecurityEvent event) {
        List<String> replaced = replaced(event);
        Map<String, String> fields = null;
        for (ContextPart part : parts) {
            Map<String, String> mine = fields == null ? new TreeMap<>() : fields;
            try {
                part.enrich(event, mine);
            } catch (RuntimeException e) {
                // a part failing on one event costs that event this part's fields, never the job
                // (docs/architecture.md, invariant 8)
                failures++;
            }
            if (!mine.isEmpty()) {
                fields = mine;
            }
        }
        if (fields == null && replaced.isEmpty()) {
            return event;
        }
        SecurityEvent.Builder b = event.toBuilder();
        for (String name : replaced) {
            b.removeField(name);
        }
        if (fields != null) {
            for (Map.Entry<String, String> f : fields.entrySet()) {
                if (event.field(f.getKey()) == null || replaced.contains(f.getKey())) {
                    b.field(f.getKey(), f.getValue());
                }
            }
        }
        return b.build();
    }

    /** The event's fields some part replaces (one pass over the event's fields, bounded by the decoder). */
    private List<String> replaced(SecurityEvent event) {
        List<String> out = null;
        for (String name : event.fields().keySet()) {
            for (ContextPart part : parts) {
                if (part.replaces(name)) {
                    if (out == null) {
                        out = new java.util.ArrayList<>();
                    }
                    out.add(name);
                    break;
                }
            }
        }
        return out == null ? List.of() : out;
    }

    /** The context fields of {@code alert} from every part (empty when none knows anything). */
    public Map<String, String> context(Alert alert) {
        Map<String, String> fields = new TreeMap<>();
        for (ContextPart part : parts) {
            try {
                part.enrich(alert, fields);
            } catch (RuntimeException e) {
                failures++;
            }
        }
        return fields;
    }

    /** Events and alerts a part failed on so far (each lost that part's fields only). */
    public long failures() {
        return failures;
    }

    /** Offers {@code update} to every part; returns whether one took it. */
    public boolean update(ContextUpdate update) {
        boolean taken = false;
        for (ContextPart part : parts) {
            taken |= part.update(update);
        }
        return taken;
    }
}
