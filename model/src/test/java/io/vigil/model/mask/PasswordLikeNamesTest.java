package io.vigil.model.mask;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PasswordLikeNamesTest {

    @Test
    void passwordsTypedIntoTheUserField() {
        assertThat(PasswordLikeNames.test("Summer2024!")).isTrue();
        assertThat(PasswordLikeNames.test("Tr0ub4dor&3")).isTrue();
        assertThat(PasswordLikeNames.test("hunter2 hunter2")).isTrue(); // a space: no account has one
        assertThat(PasswordLikeNames.test("P4ssw0rdXy")).isTrue(); // three classes, not an account name
    }

    @Test
    void accountNamesAreNot() {
        assertThat(PasswordLikeNames.test("root")).isFalse();
        assertThat(PasswordLikeNames.test("Administrator")).isFalse();
        assertThat(PasswordLikeNames.test("john.smith")).isFalse();
        assertThat(PasswordLikeNames.test("svc_backup01")).isFalse();
        assertThat(PasswordLikeNames.test("WORKSTATION7$")).isFalse();
        assertThat(PasswordLikeNames.test("CORP\\Jane.Doe")).isFalse();
        assertThat(PasswordLikeNames.test("Jane.Doe2@corp.example")).isFalse();
        assertThat(PasswordLikeNames.test("ab!")).isFalse(); // too short to tell
        assertThat(PasswordLikeNames.test("a!".repeat(40))).isFalse(); // too long to be typed
        assertThat(PasswordLikeNames.test(null)).isFalse();
    }
}
