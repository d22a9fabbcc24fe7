package io.vigil.model.mask;

import java.io.Serializable;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What Vigil masks besides card numbers and cloud secrets (always masked): the URL and command-line
 * parameters whose values are secrets ({@code masking.secret-parameters}) and which failed
 * sign-ins' user names ({@code masking.failed-sign-in-user-names}). Serializable: it travels
 * with the job's masking operators.
 */
public record MaskingPolicy(UserNames failedSignInUserNames, List<String> secretParameters) implements Serializable {

    /** The longest parameter name looked for. */
    public static final int MAX_NAME_LENGTH = 64;

    /** The defaults of {@code masking.*} ({@code pwd} is not one: sudo logs the working directory as PWD=). */
    public static final MaskingPolicy DEFAULTS = new MaskingPolicy(UserNames.PASSWORD_LIKE, List.of("password",
            "passwd", "token", "secret", "api_key", "apikey", "access_token", "client_secret", "key"));

    /** Which user names of failed sign-ins are masked. */
    public enum UserNames {
        /** Those that look like a password ({@link PasswordLikeNames}). */
        PASSWORD_LIKE("password-like"),
        /** Every one. */
        ALL("all"),
        /** None. */
        OFF("off");

        private final String key;

        UserNames(String key) {
            this.key = key;
        }

        public String key() {
            return key;
        }

        /** The policy named {@code text} ({@code password-like}, {@code all}, {@code off}). */
        public static UserNames parse(String text) {
            for (UserNames u : values()) {
                if (u.key.equalsIgnoreCase(text == null ? "" : text.trim())) {
                    return u;
                }
            }
            throw new IllegalArgumentException("masking.failed-sign-in-user-names must be password-like, all or off, "
                    + "got '" + text + "'");
        }
    }

    public MaskingPolicy {
        Objects.requireNonNull(failedSignInUserNames, "failedSignInUserNames");
        Objects.requireNonNull(secretParameters, "secretParameters");
        secretParameters = secretParameters.stream().map(n -> n.trim().toLowerCase(Locale.ROOT))
                .filter(n -> !n.isEmpty()).distinct().toList();
        for (String n : secretParameters) {
            if (n.length() > MAX_NAME_LENGTH || !SecretParameters.isNameText(n)) {
                throw new IllegalArgumentException("masking.secret-parameters: '" + n + "' is not a parameter name "
                        + "(letters, digits, '_' and '-', at most " + MAX_NAME_LENGTH + " characters)");
            }
        }
    }
}
