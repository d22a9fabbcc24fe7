package io.vigil.context.travel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.vigil.model.Origin;
import io.vigil.model.SecurityEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pure logic of impossible travel: distance, speed, the decision and what a sign-in is. */
class ImpossibleTravelTest {

    private static final String LONDON = "51.5074,-0.1278";
    private static final String NEW_YORK = "40.7128,-74.006";
    private static final String PARIS = "48.8566,2.3522";
    private static final Instant T = Instant.parse("2024-06-01T10:00:00Z");
    private static final ImpossibleTravel RULE = new ImpossibleTravel(900, 500);

    private static SignIn at(String location, Instant when) {
        return new SignIn(when.toEpochMilli(), "alice", null, "81.2.69.160", "GB", "London", location, Origin.file("auth.log", 1));
    }

    @Test
    void haversineDistancesMatchKnownGreatCircles() {
        GeoPoint london = GeoPoint.parse(LONDON);
        assertThat(london.distanceKm(GeoPoint.parse(NEW_YORK))).isCloseTo(5570, within(5.0));
        assertThat(london.distanceKm(GeoPoint.parse(PARIS))).isCloseTo(344, within(2.0));
        assertThat(london.distanceKm(london)).isZero();
        // antipodes: half the circumference, without NaN from rounding
        assertThat(new GeoPoint(0, 0).distanceKm(new GeoPoint(0, 180))).isCloseTo(GeoPoint.MAX_DISTANCE_KM, within(1e-6));
    }

    @Test
    void locationTextIsReadOnlyWhenItIsAPlace() {
        assertThat(GeoPoint.parse("51.5,-0.12")).isEqualTo(new GeoPoint(51.5, -0.12));
        assertThat(GeoPoint.parse("91,0")).isNull();
        assertThat(GeoPoint.parse("0,181")).isNull();
        assertThat(GeoPoint.parse("NaN,0")).isNull();
        assertThat(GeoPoint.parse("51.5")).isNull();
        assertThat(GeoPoint.parse("x,y")).isNull();
        assertThat(GeoPoint.parse("1" + "0".repeat(100) + ",0")).isNull();
    }

    @Test
    void londonToNewYorkInOneHourIsImpossibleAndInSevenIsNot() {
        Journey j = RULE.judge(at(LONDON, T), at(NEW_YORK, T.plus(Duration.ofHours(1))));
        assertThat(j).isNotNull();
        assertThat(j.distanceKm()).isCloseTo(5570, within(5.0));
        assertThat(j.speedKmh()).isCloseTo(5570, within(5.0));
        assertThat(RULE.judge(at(LONDON, T), at(NEW_YORK, T.plus(Duration.ofHours(7))))).isNull();
    }

    @Test
    void shortJourneysNeverCountHoweverFast() {
        // London to Paris in a minute: 20,000 km/h, but under the minimum distance
        assertThat(RULE.judge(at(LONDON, T), at(PARIS, T.plusSeconds(60)))).isNull();
        assertThat(new ImpossibleTravel(900, 300).judge(at(LONDON, T), at(PARIS, T.plusSeconds(60)))).isNotNull();
    }

    @Test
    void signInsInTheSameInstantAreOneSecondApartForTheSpeed() {
        Journey j = RULE.judge(at(LONDON, T), at(NEW_YORK, T));
        assertThat(j.speedKmh()).isCloseTo(j.distanceKm() * 3600, within(1e-6));
    }

    @Test
    void theHorizonIsTheLongestJourneyAtTheMaximumSpeed() {
        // 20,015 km at 900 km/h: a little over 22 hours; past it nothing is impossible
        Duration h = RULE.horizon();
        assertThat(h).isBetween(Duration.ofHours(22), Duration.ofHours(23));
        assertThat(RULE.judge(new SignIn(T.toEpochMilli(), "alice", null, "1.1.1.1", null, null, "0,0", null),
                new SignIn(T.plus(h).toEpochMilli(), "alice", null, "1.1.1.2", null, null, "0,180", null))).isNull();
    }

    @Test
    void aSignInIsASuccessfulAuthenticationStartOfANamedUserFromALocatedAddress() {
        SecurityEvent.Builder ok = SecurityEvent.builder().timestamp(T).eventCategory("authentication")
                .eventType("start").eventOutcome("success").userName("alice").sourceIp("81.2.69.160")
                .field("source.geo.location", LONDON).field("source.geo.country_iso_code", "GB")
                .origin(Origin.file("auth.log", 7));
        SignIn s = SignIn.of(ok.build());
        assertThat(s).isEqualTo(new SignIn(T.toEpochMilli(), "alice", null, "81.2.69.160", "GB", null, LONDON,
                Origin.file("auth.log", 7)));
        assertThat(SignIn.of(ok.eventOutcome("failure").build())).isNull();
        assertThat(SignIn.of(ok.eventOutcome("success").eventType("end").build())).isNull();
        assertThat(SignIn.of(ok.eventType("start").userName(null).build())).isNull();
        SecurityEvent noPlace = SecurityEvent.builder().timestamp(T).eventCategory("authentication")
                .eventType("start").eventOutcome("success").userName("alice").sourceIp("10.0.0.1")
                .origin(Origin.file("auth.log", 8)).build();
        assertThat(SignIn.of(noPlace)).isNull();
    }

    @Test
    void theUserKeyHasTheDomainWhenThereIsOne() {
        SecurityEvent.Builder b = SecurityEvent.builder().timestamp(T).userName("Administrator")
                .origin(Origin.file("sec.evtx", 1));
        assertThat(SignIn.userKey(b.build())).isEqualTo("Administrator");
        assertThat(SignIn.userKey(b.userDomain("CORP").build())).isEqualTo("CORP\\Administrator");
    }

    @Test
    void theAlertFieldsHoldBothPlacesTheDistanceAndTheSpeed() {
        SignIn from = at(LONDON, T);
        SignIn to = new SignIn(T.plusSeconds(3600).toEpochMilli(), "alice", null, "8.8.8.8", "US", null, NEW_YORK,
                Origin.file("auth.log", 2));
        Map<String, String> f = TravelFields.of(RULE.judge(from, to));
        assertThat(f).containsEntry("vigil.travel.from.ip", "81.2.69.160")
                .containsEntry("vigil.travel.from.country_iso_code", "GB")
                .containsEntry("vigil.travel.from.city_name", "London")
                .containsEntry("vigil.travel.from.location", LONDON)
                .containsEntry("vigil.travel.from.timestamp", "2024-06-01T10:00:00Z")
                .containsEntry("vigil.travel.to.ip", "8.8.8.8")
                .containsEntry("vigil.travel.to.location", NEW_YORK)
                .containsEntry("vigil.travel.to.timestamp", "2024-06-01T11:00:00Z")
                .doesNotContainKey("vigil.travel.to.city_name");
        assertThat(Double.parseDouble(f.get("vigil.travel.distance_km"))).isCloseTo(5570, within(5.0));
        assertThat(f.get("vigil.travel.speed_kmh")).isEqualTo(f.get("vigil.travel.distance_km"));
    }

    @Test
    void theAlertIsOfTheUserWithBothSignInsAsItsEvents() {
        SignIn from = new SignIn(T.toEpochMilli(), "alice", "CORP", "81.2.69.160", "GB", "London", LONDON,
                Origin.file("auth.log", 1));
        SignIn to = new SignIn(T.plusSeconds(3600).toEpochMilli(), "alice", "CORP", "8.8.8.8", "US", null, NEW_YORK,
                Origin.file("auth.log", 2));
        io.vigil.model.Alert a = TravelAlert.of(RULE.judge(from, to));
        assertThat(a.ruleId()).isEqualTo("impossible-travel");
        assertThat(a.severity()).isEqualTo("high");
        assertThat(a.tactics()).containsExactly("TA0001");
        assertThat(a.techniques()).containsExactly("T1078");
        assertThat(a.groupKey()).isEqualTo("CORP\\alice");
        assertThat(a.timestamp()).isEqualTo(T.plusSeconds(3600));
        assertThat(a.firstEventTime()).isEqualTo(T);
        assertThat(a.origins()).containsExactly(Origin.file("auth.log", 1), Origin.file("auth.log", 2));
        assertThat(a.entities()).containsEntry("source.ip", "8.8.8.8").containsEntry("user.name", "alice")
                .containsEntry("user.domain", "CORP");
        assertThat(a.context()).containsEntry("vigil.travel.from.ip", "81.2.69.160")
                .containsEntry("vigil.travel.to.ip", "8.8.8.8");
        assertThat(a.id()).isEqualTo(TravelAlert.of(RULE.judge(from, to)).id());
    }

    @Test
    void aMaximumSpeedSoSmallTheHorizonGrowsAbsurdIsRefusedNamingTheKey() {
        assertThatThrownBy(() -> new ImpossibleTravel(5, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("max-speed-kmh").hasMessageContaining("5.0 km/h");
        assertThat(new ImpossibleTravel(ImpossibleTravel.MIN_SPEED_KMH, 0).horizon().toDays()).isLessThan(17);
    }
}
