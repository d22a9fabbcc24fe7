package io.vigil.jobs.context;

import io.vigil.context.ContextPart;
import io.vigil.context.ContextSource;
import io.vigil.context.ContextUpdate;
import io.vigil.model.Alert;
import io.vigil.model.SecurityEvent;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * A small context source for the stage's tests: hosts' criticality from {@code assets} updates whose
 * body is {@code host=criticality} lines, and from the hosts given at build time.
 */
record HostsByUpdate(Map<String, String> initial) implements ContextSource {

    @Override
    public String describe() {
        return "test hosts";
    }

    @Override
    public ContextPart open() {
        Map<String, String> hosts = new HashMap<>(initial);
        return new ContextPart() {
            @Override
            public void enrich(SecurityEvent event, Map<String, String> fields) {
                String c = event.hostName() == null ? null : hosts.get(event.hostName());
                if (c != null) {
                    fields.put("host.asset.criticality", c);
                }
            }

            @Override
            public void enrich(Alert alert, Map<String, String> fields) {
                String c = hosts.get(alert.entities().get("host.name"));
                if (c != null) {
                    fields.put("host.asset.criticality", c);
                }
            }

            @Override
            public boolean update(ContextUpdate update) {
                if (!ContextUpdate.ASSETS.equals(update.kind())) {
                    return false;
                }
                Map<String, String> table = new HashMap<>();
                for (String line : new String(update.body(), StandardCharsets.UTF_8).split("\n")) {
                    int eq = line.indexOf('=');
                    if (eq <= 0) {
                        throw new IllegalArgumentException("not host=criticality: " + line);
                    }
                    table.put(line.substring(0, eq), line.substring(eq + 1));
                }
                hosts.clear();
                hosts.putAll(table);
                return true;
            }
        };
    }
}
