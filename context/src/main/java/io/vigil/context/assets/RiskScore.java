package io.vigil.context.assets;

import java.util.Map;

/**
 * An alert's risk score from its rule's and what it touches (docs/context.md gives the formula).
 * Contract of issue 18: the formula itself lands with the assets and identities tables.
 */
public final class RiskScore {

    private RiskScore() {}

    /** The risk score (0–100) of an alert whose rule says {@code base}, given its {@code context} fields. */
    public static int adjust(int base, Map<String, String> context) {
        return base;
    }
}
