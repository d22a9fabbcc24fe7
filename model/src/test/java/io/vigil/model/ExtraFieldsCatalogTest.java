package io.vigil.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The catalog of extra field names is finite, well formed and free of clashes, and no name outside
 * it reaches an event: log content cannot add a field to an index mapping.
 */
class ExtraFieldsCatalogTest {

    /** A dotted name of lower-case namespaces, then identifier segments (EventData names keep their case). */
    private static final Pattern SHAPE = Pattern.compile("[a-z][a-z0-9_]*(\\.[A-Za-z][A-Za-z0-9_]{0,79}){1,5}");

    private static final Origin ORIGIN = Origin.kafka("vigil.raw.ecs", 0, 1);

    @Test
    void everyNameHasThePlainDottedShape() {
        assertThat(ExtraFields.CATALOG).isNotEmpty().allSatisfy(n -> assertThat(n).matches(SHAPE));
    }

    /**
     * A name that is another's parent ({@code a.b} and {@code a.b.c}) would be a keyword in one
     * document and an object in the next: Elasticsearch refuses whichever comes second.
     */
    @Test
    void noNameIsTheParentOfAnotherOrOfAModelledField() {
        Set<String> all = new HashSet<>(ExtraFields.CATALOG);
        List<String> modelled = new ArrayList<>();
        EcsJson.FIELDS.forEach(f -> modelled.add(f.name()));
        modelled.addAll(List.of(EcsJson.TIMESTAMP, "log.file.path", "log.offset", "vigil.origin.kind",
                "vigil.origin.source", "vigil.origin.partition", "vigil.origin.offset"));
        for (String name : ExtraFields.CATALOG) {
            assertThat(modelled).as("extra %s is a modelled field", name).doesNotContain(name);
            for (String other : concat(all, modelled)) {
                assertThat(other.startsWith(name + ".")).as("%s is the parent of %s", name, other).isFalse();
                assertThat(name.startsWith(other + ".")).as("%s is the parent of %s", other, name).isFalse();
            }
        }
    }

    private static List<String> concat(Set<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    /** Every catalog name of a context-owned namespace is recognised as such, and the {@code ecs} input drops them all. */
    @Test
    void contextOwnedNamesAreInTheCatalogButNeverTakenFromInput() throws Exception {
        List<String> owned = ExtraFields.CATALOG.stream().filter(ExtraFields::isContextOwned).toList();
        assertThat(owned).contains("threat.enrichments.matched.atomic", "host.asset.criticality",
                "user.target.asset.criticality", "vigil.identity.target.privileged");
        assertThat(ExtraFields.CATALOG).filteredOn(n -> n.startsWith("threat.") || n.contains(".asset.")
                || n.startsWith("vigil.identity.")).allSatisfy(n -> assertThat(ExtraFields.isContextOwned(n)).isTrue());
        ObjectNode doc = EcsJson.MAPPER.createObjectNode().put("@timestamp", "2024-01-02T03:04:05Z")
                .put("dns.question.name", "example.org");
        owned.forEach(n -> doc.put(n, "forged"));
        SecurityEvent e = EcsJson.read(doc, ORIGIN);
        assertThat(e.fields()).containsOnlyKeys("dns.question.name");
        assertThat(e.tags()).contains("vigil_fields_dropped");
    }

    @Test
    void namesOutsideTheCatalogAreRefusedWhenTheEventIsBuilt() {
        for (String name : List.of("winlog.event_data.Invented", "zeek.conn.invented", "host.os.name", "mystery.field",
                "winlog.event_data.$(rm -rf)")) {
            assertThat(ExtraFields.isAllowed(name)).as(name).isFalse();
            assertThatThrownBy(() -> SecurityEvent.builder().timestamp(Instant.EPOCH).origin(ORIGIN)
                    .field(name, "x").build()).as(name).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(name);
        }
    }

    /** Thousands of invented names in an ECS document: none is kept, the event says fields were dropped. */
    @Test
    void anEcsDocumentKeepsOnlyCatalogNames() {
        ObjectNode doc = EcsJson.MAPPER.createObjectNode();
        doc.put("@timestamp", "2024-06-01T10:00:00Z");
        ObjectNode eventData = doc.putObject("winlog").putObject("event_data");
        eventData.put("TargetUserName", "alice");
        for (int i = 0; i < 5_000; i++) {
            eventData.put("Invented" + i, "v");
            doc.put("aws.cloudtrail.invented_" + i, "v");
        }
        SecurityEvent e = EcsJson.read(doc, ORIGIN);
        assertThat(e.fields()).containsOnlyKeys("winlog.event_data.TargetUserName");
        assertThat(e.tags()).contains("vigil_fields_dropped");
    }
}
