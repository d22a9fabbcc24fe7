package io.vigil.rules.sigma;

import io.vigil.rules.Shape;

/**
 * What a correlated rule gives one correlation when it matches an event: a hit of the
 * correlation keyed by the rule's values of the group-by fields (aliases applied), naming the
 * step, with the value of the condition's field for value shapes.
 *
 * @param correlationId the correlation's id
 * @param step the reference the correlation lists the rule under (its name or id)
 * @param groupBy how this rule reads each group-by field, in the correlation's order
 * @param value how this rule reads the condition's field, or null when the shape has none
 */
record CorrelationFeed(String correlationId, Shape shape, String step, FieldAccess[] groupBy, FieldAccess value) {}
