package io.vigil.rules.exceptions;

import io.vigil.model.SecurityEvent;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A list of {@link RuleException}s, as an exceptions file ({@code --exceptions FILE},
 * {@code detection.exceptions}) or a bundle's {@code exceptions.yml} gives them. Immutable;
 * shipped to the tasks with the rules.
 *
 * <p>CONTRACT (issue 16): the helper implementing exceptions fills in {@link #parse} and
 * {@link #covering}; the signatures stay.
 */
public final class RuleExceptions implements Serializable {

    private static final long serialVersionUID = 1L;

    public static final RuleExceptions NONE = new RuleExceptions(List.of());

    private final List<RuleException> entries;

    private RuleExceptions(List<RuleException> entries) {
        this.entries = List.copyOf(entries);
    }

    /**
     * Reads an exceptions document ({@code file} names it in errors). Throws
     * {@link IllegalArgumentException} naming the entry and key to fix.
     */
    public static RuleExceptions parse(String file, String yaml) {
        throw new UnsupportedOperationException("issue 16: exceptions not implemented yet");
    }

    /** Reads an exceptions file. */
    public static RuleExceptions load(Path file) throws IOException {
        return parse(file.toString(), java.nio.file.Files.readString(file));
    }

    /** These entries and then {@code other}'s. */
    public RuleExceptions plus(RuleExceptions other) {
        List<RuleException> all = new ArrayList<>(entries);
        all.addAll(other.entries);
        return new RuleExceptions(all);
    }

    public List<RuleException> entries() {
        return entries;
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /**
     * The first entry that covers a hit of {@code ruleId} on {@code event} at the event's time, or
     * null when the hit stands.
     */
    public RuleException covering(String ruleId, SecurityEvent event) {
        return null;
    }
}
