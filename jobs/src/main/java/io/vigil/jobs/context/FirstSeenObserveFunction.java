package io.vigil.jobs.context;

import io.vigil.rules.firstseen.FirstSeenRule;
import io.vigil.rules.firstseen.Tuple;
import io.vigil.model.SecurityEvent;
import java.util.List;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/**
 * Takes, for each first-seen rule an event passes the filter of, its key and value tuples: one
 * observation per such rule (events lacking a key or value field are skipped). The cost per event
 * is the rules' filters and at most six bounded field values per rule.
 */
public final class FirstSeenObserveFunction implements FlatMapFunction<SecurityEvent, FirstSeenObservation> {

    private static final long serialVersionUID = 1L;

    private final List<FirstSeenRule> rules;

    public FirstSeenObserveFunction(List<FirstSeenRule> rules) {
        this.rules = List.copyOf(rules);
    }

    @Override
    public void flatMap(SecurityEvent event, Collector<FirstSeenObservation> out) {
        for (FirstSeenRule rule : rules) {
            if (!rule.accepts(event)) {
                continue;
            }
            Tuple key = rule.key(event);
            Tuple value = rule.value(event);
            if (key != null && value != null) {
                out.collect(new FirstSeenObservation(rule.id() + "/" + key.encoded(), rule.id(), key.display(),
                        value.encoded(), value.display(), event));
            }
        }
    }
}
