package io.vigil.rules;

import io.vigil.model.RuleProvenance;

/** The provenance an alert of a rule carries, from the rule's metadata. */
public final class AlertProvenance {

    /**
     * The author of the rule pack shipped with Vigil. Rules an operator loads from a directory
     * ({@code --rules}) name no author: Vigil cannot know who wrote them. The project declares no
     * licence of its own (no LICENSE file, none in the build), so Vigil rules carry none.
     */
    public static final String VIGIL_AUTHOR = "Vigil";

    private AlertProvenance() {}

    public static RuleProvenance of(RuleMeta rule) {
        return new RuleProvenance(rule.ruleset(), RuleProvenance.splitAuthors(rule.author()), rule.license(),
                rule.references(), rule.status());
    }

    /** The author of a DRL rule read from {@code file}: {@link #VIGIL_AUTHOR} for the shipped pack. */
    static String drlAuthor(String file) {
        return file != null && file.startsWith(RuleSource.PACKAGED_ROOT + "/") ? VIGIL_AUTHOR : null;
    }
}
