package io.vigil.formats.zeek;

import io.vigil.model.SecurityEvent;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What Vigil knows about one Zeek log ({@code conn}, {@code dns}, …): its ECS classification,
 * the Zeek columns kept as {@code zeek.<log>.<column>} extra fields (an allow-list: a column
 * not listed is never turned into a field name), and the log's own ECS mapping.
 */
public final class ZeekLog {

    /** Sets the ECS fields a log's columns map to. */
    @FunctionalInterface
    public interface Mapper {
        void map(ZeekRow row, SecurityEvent.Builder b);
    }

    private final String name;
    private final String action;
    private final List<String> categories;
    private final List<String> types;
    private final Map<String, String> extraNames = new HashMap<>();
    private final Mapper mapper;

    ZeekLog(String name, String action, List<String> categories, List<String> types, List<String> extras,
            Mapper mapper) {
        this.name = name;
        this.action = action;
        this.categories = categories;
        this.types = types;
        this.mapper = mapper;
        for (String column : extras) {
            extraNames.put(column, "zeek." + name + "." + column);
        }
    }

    public String name() { return name; }
    public String dataset() { return "zeek." + name; }
    public String action() { return action; }
    public List<String> categories() { return categories; }
    public List<String> types() { return types; }
    public Mapper mapper() { return mapper; }

    /** {@code zeek.<log>.<column>} when the column is allow-listed, else {@code null}. */
    public String extraName(String column) {
        return extraNames.get(column);
    }

    /** Every {@code zeek.<log>.<column>} name this log may write (each in the model's catalog of extra fields). */
    public java.util.Collection<String> extraNames() {
        return java.util.Collections.unmodifiableCollection(extraNames.values());
    }
}
