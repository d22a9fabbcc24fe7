package io.vigil.context.travel;

/**
 * Two successive sign-ins of one user and what lies between them.
 *
 * @param from the earlier sign-in
 * @param to the later one
 * @param distanceKm great-circle distance between their places
 * @param speedKmh the speed the journey needs ({@link ImpossibleTravel#speedKmh})
 */
public record Journey(SignIn from, SignIn to, double distanceKm, double speedKmh) {}
