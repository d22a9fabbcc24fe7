package io.vigil.model;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Guards the names of {@link SecurityEvent#fields()}: each must be in {@link #CATALOG}, the finite
 * list of names Vigil's decoders write ({@code extra-fields.txt} next to this class). Decoders
 * choose names from their own allow-lists; this check is the backstop that keeps log content from
 * ever shaping a field name (docs/architecture.md, invariant 6), so the set of fields an index can
 * map is Vigil's own and bounded, whatever the input. The {@code ecs} input keeps only catalog
 * names, and none the context stage owns ({@link #CONTEXT_OWNED_PREFIXES}).
 */
public final class ExtraFields {

    /** The catalog resource, one name per line. */
    static final String CATALOG_RESOURCE = "extra-fields.txt";

    /** Every name an extra field may have. */
    public static final Set<String> CATALOG = load();

    /** Most fields a decoder may set on one event. */
    public static final int MAX_FIELDS = 128;

    /** Most extra fields one event holds: a decoder's, and Vigil's {@code vigil.invalid.*} ones ({@link IpFields}). */
    public static final int MAX_PER_EVENT = MAX_FIELDS + IpFields.INVALID_NAMES.size();

    /**
     * Prefixes of the catalog names only the context stage sets (docs/intel.md, docs/context.md):
     * the indicator an event matched and the asset and identity facts. They are in the catalog so an
     * enriched event may carry them, but no input may: a log document carrying
     * {@code threat.enrichments.matched.atomic} would otherwise forge an intel match, or, since
     * enrichment keeps the fields an event already has, hide a real one. The {@code ecs} input drops
     * them as it drops names outside the catalog; the other decoders never write them.
     */
    public static final List<String> CONTEXT_OWNED_PREFIXES = List.of(
            "threat.", "host.asset.", "user.asset.", "user.target.asset.", "vigil.identity.");

    private ExtraFields() {}

    /** Whether only the context stage may set {@code name} (it starts with one of {@link #CONTEXT_OWNED_PREFIXES}). */
    public static boolean isContextOwned(String name) {
        for (String prefix : CONTEXT_OWNED_PREFIXES) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /** Whether an input may carry {@code name}: in the catalog and not owned by the context stage. */
    public static boolean isAllowedFromInput(String name) {
        return isAllowed(name) && !isContextOwned(name);
    }

    /** Returns {@code fields} when every name is in the catalog and they are not too many, otherwise throws. */
    public static Map<String, String> check(Map<String, String> fields) {
        if (fields.size() > MAX_PER_EVENT) {
            throw new IllegalArgumentException("an event carries at most " + MAX_PER_EVENT + " extra fields, got "
                    + fields.size());
        }
        for (String name : fields.keySet()) {
            if (!isAllowed(name)) {
                throw new IllegalArgumentException("not an extra field name of Vigil's catalog (" + CATALOG_RESOURCE
                        + "): " + name);
            }
        }
        return fields;
    }

    public static boolean isAllowed(String name) {
        return name != null && CATALOG.contains(name);
    }

    private static Set<String> load() {
        Set<String> names = new LinkedHashSet<>();
        try (InputStream in = ExtraFields.class.getResourceAsStream(CATALOG_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + CATALOG_RESOURCE + " is missing from the classpath");
            }
            BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                int comment = line.indexOf('#');
                String name = (comment >= 0 ? line.substring(0, comment) : line).strip();
                if (!name.isEmpty()) {
                    names.add(name);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Set.copyOf(names);
    }
}
