package io.vigil.context.travel;

import io.vigil.context.ContextAlert;
import io.vigil.context.ContextRule;
import io.vigil.model.Alert;
import java.util.List;

/** The alert of an impossible journey: both sign-ins as its events, the places, distance and speed as context. */
public final class TravelAlert {

    /** Initial access with valid accounts: the same account used from two places no one could travel between. */
    public static final ContextRule RULE = new ContextRule("impossible-travel", 1, "Impossible travel",
            "Successive successful sign-ins of one user from places farther apart than anyone could travel in "
                    + "the time between them: the account is likely used by someone else.",
            "high", 73, List.of("TA0001"), List.of("T1078"), List.of("context", "travel"));

    /** The group of the alert: the user ({@code user.domain} and {@code user.name} when there is a domain). */
    public static final String GROUP_BY = "user.name";

    private TravelAlert() {}

    public static Alert of(Journey j) {
        return ContextAlert.of(RULE, GROUP_BY, j.to().userKey(), List.of(j.from().asEvent(), j.to().asEvent()),
                TravelFields.of(j));
    }
}
