package io.vigil.jobs.context;

import io.vigil.model.SecurityEvent;

/**
 * An event one first-seen rule looks at, with the key and value tuples it took from it.
 *
 * @param stateKey what the history is keyed by: the rule id and the key's encoding
 * @param ruleId the rule
 * @param key the key tuple, for the alert
 * @param value the value tuple's encoding (the history's map key)
 * @param valueText the value tuple, for the alert
 * @param event the event
 */
public record FirstSeenObservation(String stateKey, String ruleId, String key, String value, String valueText,
                                   SecurityEvent event) {}
