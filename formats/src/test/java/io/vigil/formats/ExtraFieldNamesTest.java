package io.vigil.formats;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.formats.windows.EventDataNames;
import io.vigil.formats.zeek.ZeekLog;
import io.vigil.formats.zeek.ZeekLogs;
import io.vigil.model.ExtraFields;
import org.junit.jupiter.api.Test;

/**
 * The rule every decoder follows for extra field names: each comes from a fixed list in the
 * decoder's code, never from the record, and is in the model's catalog ({@code extra-fields.txt}).
 * The allow-lists are checked here; names written literally are exercised by each decoder's tests
 * and dataset tests (an event refuses a name outside the catalog).
 */
class ExtraFieldNamesTest {

    @Test
    void everyWindowsEventDataNameIsInTheCatalog() {
        assertThat(EventDataNames.ALLOWED).isNotEmpty().allSatisfy(name ->
                assertThat(ExtraFields.CATALOG).contains(EventDataNames.field(name)));
    }

    @Test
    void everyZeekColumnKeptIsInTheCatalog() {
        assertThat(ZeekLogs.all()).isNotEmpty();
        for (ZeekLog log : ZeekLogs.all()) {
            assertThat(log.extraNames()).as(log.name()).isNotEmpty()
                    .allSatisfy(name -> assertThat(ExtraFields.CATALOG).contains(name));
        }
    }
}
