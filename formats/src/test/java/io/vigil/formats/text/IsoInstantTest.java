package io.vigil.formats.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link IsoInstant#parse} gives what {@link Instant#parse} gives, value or exception. */
class IsoInstantTest {

    @Test
    void agreesWithInstantParseOnMutatedStamps() {
        String[] seeds = {"2020-09-14T00:44:23Z", "2020-09-14T00:44:23.000Z", "2024-02-29T23:59:59.123456789Z",
            "1970-01-01T00:00:00.5Z", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59Z"};
        String alphabet = "0123456789-:.TZtz+ 9";
        Random random = new Random(7);
        for (int round = 0; round < 200_000; round++) {
            char[] c = seeds[round % seeds.length].toCharArray();
            for (int k = random.nextInt(3); k >= 0; k--) {
                c[random.nextInt(c.length)] = alphabet.charAt(random.nextInt(alphabet.length()));
            }
            String s = new String(c);
            Object expected;
            try {
                expected = Instant.parse(s);
            } catch (DateTimeParseException e) {
                expected = "refused";
            }
            Object actual;
            try {
                actual = IsoInstant.parse(s);
            } catch (DateTimeParseException e) {
                actual = "refused";
            }
            assertThat(actual).as(s).isEqualTo(expected);
        }
    }

    @Test
    void theGeneralCasesGoToInstantParse() {
        assertThat(IsoInstant.parse("2024-03-01T24:00:00Z")).isEqualTo(Instant.parse("2024-03-02T00:00:00Z"));
        assertThat(IsoInstant.parse("2024-03-01T12:00:00+02:00")).isEqualTo(Instant.parse("2024-03-01T10:00:00Z"));
        assertThatThrownBy(() -> IsoInstant.parse("2024-02-30T12:00:00Z")).isInstanceOf(DateTimeParseException.class);
    }
}
