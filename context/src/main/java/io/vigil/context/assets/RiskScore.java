package io.vigil.context.assets;

import java.util.Map;

/**
 * An alert's risk score from its rule's and what it touches (docs/assets.md gives the formula and
 * worked examples):
 *
 * <pre>
 *   risk = min(100, round(base × H × U))
 * </pre>
 *
 * {@code H}, the host factor, is 0.8, 1.0, 1.25 or 1.5 for a host of low, medium, high or critical
 * criticality, and 1 for an unknown host. {@code U}, the identity factor, is the larger of the
 * user's and the target user's: each the larger of its criticality's factor (the same four), 1.25
 * when privileged and 1.1 when a service account, 1 when the table knows nothing of it. So an
 * alert on unknown assets keeps its rule's score exactly; only a table saying a host or an account
 * is of low criticality lowers it.
 *
 * <p>Multiplying keeps the rule's ordering (a low-severity rule on a critical host stays below a
 * critical rule on it) and composes (a privileged account on a critical host counts both).
 */
public final class RiskScore {

    static final double PRIVILEGED = 1.25;
    static final double SERVICE_ACCOUNT = 1.1;

    private RiskScore() {}

    /** The risk score (0–100) of an alert whose rule says {@code base}, given its {@code context} fields. */
    public static int adjust(int base, Map<String, String> context) {
        double h = factor(Criticality.parse(context.get(AssetFields.HOST_CRITICALITY)));
        double u = Math.max(identity(context, AssetFields.USER_CRITICALITY, AssetFields.PRIVILEGED,
                AssetFields.SERVICE_ACCOUNT), identity(context, AssetFields.TARGET_CRITICALITY,
                AssetFields.TARGET_PRIVILEGED, AssetFields.TARGET_SERVICE_ACCOUNT));
        if (u == 0) {
            u = 1;   // neither account is known
        }
        long risk = Math.round(base * h * u);
        return (int) Math.max(0, Math.min(100, risk));
    }

    /** The factor of a criticality (1 when unknown). */
    static double factor(Criticality c) {
        if (c == null) {
            return 1;
        }
        return switch (c) {
            case LOW -> 0.8;
            case MEDIUM -> 1.0;
            case HIGH -> 1.25;
            case CRITICAL -> 1.5;
        };
    }

    /** One account's factor, or 0 when the context says nothing of it. */
    private static double identity(Map<String, String> context, String criticality, String privileged,
                                   String serviceAccount) {
        Criticality c = Criticality.parse(context.get(criticality));
        boolean known = c != null || context.containsKey(privileged) || context.containsKey(serviceAccount);
        if (!known) {
            return 0;
        }
        double f = factor(c);
        if ("true".equals(context.get(privileged))) {
            f = Math.max(f, PRIVILEGED);
        }
        if ("true".equals(context.get(serviceAccount))) {
            f = Math.max(f, SERVICE_ACCOUNT);
        }
        return f;
    }
}
