package io.vigil.context.assets;

import java.util.Objects;

/**
 * One row of the identities table.
 *
 * @param user the account name as the table writes it
 * @param domain its domain, or {@code null} for an account matched by name alone
 * @param privileged whether it holds administrative rights
 * @param serviceAccount whether it is used by software rather than a person
 * @param department the department it belongs to, or {@code null}
 * @param criticality how much it matters, or {@code null} when the table does not say
 */
public record Identity(String user, String domain, boolean privileged, boolean serviceAccount, String department,
                       Criticality criticality) {

    public Identity {
        Objects.requireNonNull(user, "user");
    }
}
