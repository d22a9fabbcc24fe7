package io.vigil.context.travel;

import io.vigil.model.Origin;
import io.vigil.model.SecurityEvent;
import java.time.Instant;

/**
 * A successful sign-in with a place: what impossible travel keeps of it (the last one per user is
 * Flink keyed state, so only the fields the alert reports).
 *
 * @param at when (epoch ms, event time)
 * @param userName {@code user.name}
 * @param userDomain {@code user.domain}, or null
 * @param ip the source address
 * @param country its {@code source.geo.country_iso_code}, or null
 * @param city its {@code source.geo.city_name}, or null
 * @param location its {@code source.geo.location} ({@code "lat,lon"})
 * @param origin where the event came from (for the alert's id, origins and timeline)
 */
public record SignIn(long at, String userName, String userDomain, String ip, String country, String city, String location, Origin origin) {

    /**
     * The sign-in {@code event} is, or {@code null} when it is not a successful sign-in
     * ({@code event.category} authentication, {@code event.type} start, {@code event.outcome}
     * success: sshd Accepted, Windows 4624, a CloudTrail ConsoleLogin that succeeded, …) of a named
     * user from a located address.
     */
    public static SignIn of(SecurityEvent event) {
        if (!isSuccessfulSignIn(event) || userKey(event) == null) {
            return null;
        }
        String location = event.field("source.geo.location");
        if (GeoPoint.parse(location) == null || event.sourceIp() == null) {
            return null;
        }
        return new SignIn(event.timestamp().toEpochMilli(), event.userName(), event.userDomain(), event.sourceIp(), event.field("source.geo.country_iso_code"),
                event.field("source.geo.city_name"), location, event.origin());
    }

    static boolean isSuccessfulSignIn(SecurityEvent e) {
        return e.eventCategory().contains("authentication") && e.eventType().contains("start")
                && "success".equals(e.eventOutcome());
    }

    /**
     * Whose sign-in it is: {@code user.name}, or {@code user.domain} and {@code user.name} joined by
     * a backslash when the domain is known (two domains' "administrator" are two people);
     * {@code null} without a user name. Taken as written, case and all (sshd's names are
     * case-sensitive).
     */
    public static String userKey(SecurityEvent e) {
        return userKey(e.userName(), e.userDomain());
    }

    /** The user key of this sign-in ({@link #userKey(SecurityEvent)}). */
    public String userKey() {
        return userKey(userName, userDomain);
    }

    private static String userKey(String name, String domain) {
        if (name == null || name.isEmpty()) {
            return null;
        }
        return domain == null || domain.isEmpty() ? name : domain + "\\" + name;
    }

    public Instant time() {
        return Instant.ofEpochMilli(at);
    }

    public GeoPoint place() {
        return GeoPoint.parse(location);
    }

    /** An event standing for this sign-in in an alert (its time, origin, address and user). */
    public SecurityEvent asEvent() {
        return SecurityEvent.builder().timestamp(time()).sourceIp(ip).userName(userName).userDomain(userDomain)
                .eventCategory("authentication").eventType("start").eventOutcome("success").origin(origin).build();
    }
}
