package io.vigil.rules.sigma;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.model.EcsJson;
import io.vigil.model.ExtraFields;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every log source mapping: the packaged files ({@link #PACKAGED}, under this package's resource
 * directory), then the {@code vigil-logsources:} documents of the user's Sigma directories on
 * top (an entry for the same product/category/service overrides and extends the packaged one).
 */
final class LogSources {

    /** The packaged mapping files, one per family. */
    static final List<String> PACKAGED = List.of("windows.yml", "linux.yml", "webserver.yml", "aws.yml", "zeek.yml");

    /** Where keywords are searched when no mapping says otherwise. */
    static final List<String> DEFAULT_KEYWORDS = List.of("event.original", "message");

    /** What alerts group by when no mapping says otherwise. */
    static final List<String> DEFAULT_GROUP_BY = List.of("host.name");

    private final Map<LogSourceKey, LogSourceMapping> entries = new LinkedHashMap<>();

    /** The packaged mappings. */
    static LogSources packaged() {
        LogSources s = new LogSources();
        for (String name : PACKAGED) {
            try (InputStream in = LogSources.class.getResourceAsStream(name)) {
                if (in == null) {
                    throw new IllegalStateException("packaged log source mapping " + name + " is missing");
                }
                String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                for (JsonNode doc : SigmaYaml.documents(text)) {
                    s.add(doc.get(SigmaYaml.LOGSOURCES), "packaged:" + name);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (SigmaException e) {
                throw new IllegalStateException("packaged log source mapping " + name + ": " + e.getMessage());
            }
        }
        return s;
    }

    /** Adds (or lays over the existing ones) the entries of a {@code vigil-logsources:} list. */
    void add(JsonNode list, String file) throws SigmaException {
        if (list == null || !list.isArray()) {
            throw SigmaException.problem(SigmaYaml.LOGSOURCES + " is a list of log source entries");
        }
        for (JsonNode entry : list) {
            LogSourceMapping m = LogSourceMapping.parse(entry, file);
            entries.merge(m.key(), m, LogSourceMapping::overriddenBy);
        }
    }

    /** The mapping that selects events for {@code key}, or null when Vigil has none. */
    LogSourceMapping selecting(LogSourceKey key) {
        LogSourceMapping m = entries.get(key);
        return m != null && m.when() != null ? m : null;
    }

    /** The Vigil field sources of Sigma field {@code name} under {@code key}; unsupported when none. */
    List<FieldSource> resolve(LogSourceKey key, String name) throws SigmaException {
        LogSourceMapping exact = entries.get(key);
        LogSourceMapping product = key.product() == null ? null : entries.get(key.productOnly());
        for (LogSourceMapping m : new LogSourceMapping[] {exact, product}) {
            if (m != null && m.fields().containsKey(name)) {
                return m.fields().get(name);
            }
        }
        // `prefix.*: field#` maps every name under the prefix to a JSON lookup into the field
        for (LogSourceMapping m : new LogSourceMapping[] {exact, product}) {
            if (m == null) {
                continue;
            }
            for (Map.Entry<String, List<FieldSource>> e : m.fields().entrySet()) {
                String k = e.getKey();
                if (k.endsWith(".*") && name.startsWith(k.substring(0, k.length() - 1))) {
                    String rest = name.substring(k.length() - 1);
                    List<FieldSource> out = new ArrayList<>();
                    for (FieldSource f : e.getValue()) {
                        String path = f.jsonPath() == null || f.jsonPath().isEmpty() ? rest : f.jsonPath() + "." + rest;
                        out.add(new FieldSource(f.field(), path));
                    }
                    return out;
                }
            }
        }
        if (isVigilField(name)) {
            return List.of(new FieldSource(name, null)); // already a Vigil (ECS) name
        }
        for (LogSourceMapping m : new LogSourceMapping[] {exact, product}) {
            if (m != null && m.unmapped() != null) {
                String field = m.unmapped() + name;
                if (m.unmappedKnownOnly() && !isVigilField(field)) {
                    break;
                }
                return List.of(new FieldSource(field, null));
            }
        }
        throw SigmaException.unsupported("field '" + name + "' is not mapped for log source " + key);
    }

    static boolean isVigilField(String name) {
        return EcsJson.isModelled(name) || ExtraFields.isAllowed(name);
    }

    List<String> keywords(LogSourceKey key) {
        return setting(key, LogSourceMapping::keywords, DEFAULT_KEYWORDS);
    }

    List<String> groupBy(LogSourceKey key) {
        return setting(key, LogSourceMapping::groupBy, DEFAULT_GROUP_BY);
    }

    private List<String> setting(LogSourceKey key, java.util.function.Function<LogSourceMapping, List<String>> get,
                                 List<String> otherwise) {
        LogSourceMapping exact = entries.get(key);
        if (exact != null && get.apply(exact) != null) {
            return get.apply(exact);
        }
        LogSourceMapping product = key.product() == null ? null : entries.get(key.productOnly());
        return product != null && get.apply(product) != null ? get.apply(product) : otherwise;
    }

    /** A copy to lay user entries over (the packaged set stays as loaded). */
    LogSources copy() {
        LogSources c = new LogSources();
        c.entries.putAll(entries);
        return c;
    }

    /** The Sigma field names → sources that every entry maps (for the docs' tables and tests). */
    Map<LogSourceKey, LogSourceMapping> entries() {
        return new HashMap<>(entries);
    }

    /** The field resolver of one rule's log source, registering slots in {@code table}. */
    ValueCompiler.Fields fieldsOf(LogSourceKey key, FieldTable table) {
        return new ValueCompiler.Fields() {
            @Override
            public FieldAccess field(String sigmaName) throws SigmaException {
                List<FieldSource> sources = resolve(key, sigmaName);
                int[] slots = new int[sources.size()];
                for (int i = 0; i < slots.length; i++) {
                    slots[i] = table.slot(sources.get(i));
                }
                return new FieldAccess(sigmaName, slots);
            }

            @Override
            public List<FieldAccess> keywordFields() {
                List<FieldAccess> out = new ArrayList<>();
                for (String f : keywords(key)) {
                    out.add(new FieldAccess(f, new int[] {table.slot(FieldSource.parse(f))}));
                }
                return out;
            }
        };
    }

    /** The resolver of selection conditions ({@code when}): Vigil field names as they are. */
    static ValueCompiler.Fields vigilFields(FieldTable table) {
        return new ValueCompiler.Fields() {
            @Override
            public FieldAccess field(String name) {
                return new FieldAccess(name, new int[] {table.slot(FieldSource.parse(name))});
            }

            @Override
            public List<FieldAccess> keywordFields() {
                List<FieldAccess> out = new ArrayList<>();
                for (String f : DEFAULT_KEYWORDS) {
                    out.add(field(f));
                }
                return out;
            }
        };
    }
}
