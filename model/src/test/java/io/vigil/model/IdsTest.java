package io.vigil.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IdsTest {

    @Test
    void sameGivesSameDifferentGivesDifferent() {
        assertThat(Ids.of("ssh-brute-force", "203.0.113.9")).isEqualTo(Ids.of("ssh-brute-force", "203.0.113.9"))
                .hasSize(32).matches("[0-9a-f]{32}");
        assertThat(Ids.of("ssh-brute-force", "203.0.113.9")).isNotEqualTo(Ids.of("ssh-brute-force", "203.0.113.8"));
        // parts are separated: moving a boundary changes the id
        assertThat(Ids.of("ab", "c")).isNotEqualTo(Ids.of("a", "bc")).isNotEqualTo(Ids.of("abc"));
    }
}
