package io.vigil.formats;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.formats.windows.EventDataNames;
import io.vigil.formats.windows.WinTime;
import io.vigil.formats.windows.WinValues;
import io.vigil.model.ExtraFields;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The time and value conversions of the Windows decoder ({@code io.vigil.formats.windows}). */
class WindowsTimeAndValuesTest {

    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    @Test
    void parsesIsoAndWindowsLocalLayouts() {
        assertThat(WinTime.parse("2020-09-14T12:06:03.907Z").in(NEW_YORK)).isEqualTo(Instant.parse("2020-09-14T12:06:03.907Z"));
        assertThat(WinTime.parse("2020-09-14T08:06:03.907-04:00").in(ZoneOffset.UTC)).isEqualTo(Instant.parse("2020-09-14T12:06:03.907Z"));
        assertThat(WinTime.parse("2020-09-14T14:06:03+0200").in(ZoneOffset.UTC)).isEqualTo(Instant.parse("2020-09-14T12:06:03Z"));
        assertThat(WinTime.parse("2020-09-14T12:06:03.123456789Z").in(ZoneOffset.UTC)).isEqualTo(Instant.parse("2020-09-14T12:06:03.123456789Z"));
        assertThat(WinTime.parse("2020-09-14T12:06:03.1234567891Z").in(ZoneOffset.UTC)).as("digits past nanoseconds dropped")
                .isEqualTo(Instant.parse("2020-09-14T12:06:03.123456789Z"));
        WinTime.Stamp local = WinTime.parse("2020-10-19 03:30:41.104");
        assertThat(local.zoned()).isFalse();
        assertThat(local.in(NEW_YORK)).isEqualTo(Instant.parse("2020-10-19T07:30:41.104Z"));
        assertThat(WinTime.parse("2020-09-14 08:05:43").in(NEW_YORK)).isEqualTo(Instant.parse("2020-09-14T12:05:43Z"));
        assertThat(WinTime.parse("2020-01-14 08:05:43").in(NEW_YORK)).as("EST in winter").isEqualTo(Instant.parse("2020-01-14T13:05:43Z"));
    }

    @Test
    void rejectsWhatIsNotATimestamp() {
        for (String bad : new String[] {null, "", "yesterday", "2020-09-14", "2020-13-14 08:05:43", "2020-02-30 08:05:43",
                "2020-09-14 25:05:43", "2020-09-14 08:05:43.", "2020-09-14 08:05:43 UTC", "2020-09-14T08:05:43+5",
                "2020-09-14T08:05:43Zjunk", "２０２０-09-14 08:05:43"}) {
            assertThat(WinTime.parse(bad)).as("'%s'", bad).isNull();
        }
    }

    @Test
    void ipAddresses() {
        assertThat(WinValues.ip("::ffff:172.18.39.5")).isEqualTo("172.18.39.5");
        assertThat(WinValues.ip("::FFFF:10.0.0.1")).isEqualTo("10.0.0.1");
        assertThat(WinValues.ip("::1")).isEqualTo("::1");
        assertThat(WinValues.ip("fe80::c86e:cb04:bc03:d64f")).isEqualTo("fe80::c86e:cb04:bc03:d64f");
        assertThat(WinValues.ip("fe80::1%12")).isEqualTo("fe80::1%12");
        assertThat(WinValues.ip("127.0.0.1")).isEqualTo("127.0.0.1");
        assertThat(WinValues.ip(" 1.2.3.4 ")).isEqualTo("1.2.3.4");
        assertThat(WinValues.ip("-")).isNull();
        assertThat(WinValues.ip("")).isNull();
        assertThat(WinValues.ip("256.1.1.1")).isNull();
        assertThat(WinValues.ip("1.2.3")).isNull();
        assertThat(WinValues.ip("WORKSTATION5")).isNull();
        assertThat(WinValues.ip("::ffff:not-ip")).isNull();
    }

    @Test
    void numbersPortsAndStatus() {
        assertThat(WinValues.number("0x4d8")).isEqualTo(1240L);
        assertThat(WinValues.number("0X4D8")).isEqualTo(1240L);
        assertThat(WinValues.number("3676")).isEqualTo(3676L);
        assertThat(WinValues.number("-")).isNull();
        assertThat(WinValues.number("-5")).isNull();
        assertThat(WinValues.number("0xZZ")).isNull();
        assertThat(WinValues.port("0")).isNull();
        assertThat(WinValues.port("65536")).isNull();
        assertThat(WinValues.port("49722")).isEqualTo(49722);
        assertThat(WinValues.statusIsZero("0x0")).isTrue();
        assertThat(WinValues.statusIsZero("0xc000006a")).isFalse();
        assertThat(WinValues.statusIsZero("-")).isNull();
    }

    @Test
    void keywordsInEveryForm() {
        assertThat(WinValues.keywordBits("-9214364837600034816")).isEqualTo(0x8020000000000000L);
        assertThat(WinValues.keywordBits("0x8020000000000000")).isEqualTo(0x8020000000000000L);
        assertThat(WinValues.keywordBits("9232379236109516800")).as("unsigned decimal").isEqualTo(0x8020000000000000L);
        assertThat(WinValues.auditResult("-9214364837600034816")).isEqualTo("success");
        assertThat(WinValues.auditResult("-9218868437227405312")).isEqualTo("failure");
        assertThat(WinValues.auditResult("0x8010000000000000")).isEqualTo("failure");
        assertThat(WinValues.auditResult("0x8000000000000000")).as("classic, no audit bit").isNull();
        assertThat(WinValues.auditResult("Audit Failure")).isEqualTo("failure");
        assertThat(WinValues.auditResult("Audit Success, Classic")).isEqualTo("success");
        assertThat(WinValues.auditResult(null)).isNull();
    }

    @Test
    void everyAllowListedNameIsAValidExtraFieldName() {
        for (String name : EventDataNames.ALLOWED) {
            assertThat(ExtraFields.isAllowed("winlog.event_data." + name)).as(name).isTrue();
        }
        assertThat(EventDataNames.allowedFlat("EventType")).as("NXLog's audit result, not Sysmon's EventType").isFalse();
        assertThat(EventDataNames.allowedFlat("TargetUserName")).isTrue();
    }
}
