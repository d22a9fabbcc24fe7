package io.vigil.simulate;

import java.time.Instant;

/**
 * One attack scenario the generator injected.
 *
 * @param scenario what was injected
 * @param actor the attacker's identity in the records (source address, workstation or account)
 * @param target the host or account attacked
 * @param started the time of its first record
 * @param records how many records it has
 */
public record Injection(Scenario scenario, String actor, String target, Instant started, int records) {}
