package io.vigil.jobs.context.retro;

import io.vigil.context.ContextUpdate;
import io.vigil.context.intel.Indicator;
import io.vigil.context.intel.IntelAlert;
import io.vigil.context.intel.IntelFields;
import io.vigil.model.Alert;
import io.vigil.model.SecurityEvent;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retro-hunt of one intel feed (keyed by the update's {@link ContextUpdate#key()}): the indicators
 * an update brings that the feed's previous version did not have are hunted in the past events
 * ({@link RetroSearch}) of {@code [update.at - lookback, update.at]}, and each past event that
 * carries one becomes a {@code threat-intel-match} alert marked {@code vigil.alert.retro}
 * ({@link IntelAlert#of}: the id and document a live match of that event gives).
 *
 * <p>State per feed: the hashes of the last version fully hunted ({@link IndicatorHashes}), the
 * update being hunted and how far. The hunt goes one batch per processing-time timer, so the
 * operator answers checkpoints between batches; a failed search is retried after
 * {@link RetroHuntSettings#retryDelay()} and never fails the job. A newer update of the feed
 * replaces one being hunted: it is hunted against the last version fully hunted, so nothing new in
 * either is missed. No TTL: the state is one entry per feed, dropped only with the feed.
 */
public final class RetroHuntFunction extends KeyedProcessFunction<String, ContextUpdate, Alert> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(RetroHuntFunction.class);

    private final RetroHuntSettings settings;
    private final RetroSearch.Factory searches;
    private final IndicatorParser parser;

    private transient ValueState<long[]> known;
    private transient ValueState<ContextUpdate> pending;
    private transient ValueState<Integer> done;
    private transient RetroSearch search;
    /** The new indicators of the update being hunted, per feed: parsed once, not on every batch. */
    private transient Map<String, Hunt> hunts;
    private transient Counter alerts;
    private transient Counter failures;
    private transient Counter hitsCut;
    private transient Counter indicatorsCut;

    public RetroHuntFunction(RetroHuntSettings settings, RetroSearch.Factory searches, IndicatorParser parser) {
        this.settings = settings;
        this.searches = searches;
        this.parser = parser;
    }

    /** The indicators to hunt of one update. */
    private record Hunt(List<Indicator> indicators, long[] all) {}

    @Override
    public void open(OpenContext context) {
        known = getRuntimeContext().getState(new ValueStateDescriptor<>("retro-known",
                PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO));
        pending = getRuntimeContext().getState(new ValueStateDescriptor<>("retro-pending",
                TypeInformation.of(ContextUpdate.class)));
        done = getRuntimeContext().getState(new ValueStateDescriptor<>("retro-done", Types.INT));
        search = searches.open();
        hunts = new LinkedHashMap<>();
        var metrics = getRuntimeContext().getMetricGroup().addGroup("retroHunt");
        alerts = metrics.counter("alerts");
        failures = metrics.counter("searchFailures");
        hitsCut = metrics.counter("indicatorsWithHitsCut");
        indicatorsCut = metrics.counter("indicatorsCut");
    }

    @Override
    public void processElement(ContextUpdate update, Context ctx, Collector<Alert> out) throws IOException {
        if (!ContextUpdate.INTEL.equals(update.kind())) {
            return;
        }
        pending.update(update);
        done.update(0);
        hunts.remove(ctx.getCurrentKey());
        ctx.timerService().registerProcessingTimeTimer(ctx.timerService().currentProcessingTime());
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) throws IOException {
        ContextUpdate update = pending.value();
        if (update == null) {
            return; // a timer of a hunt already finished (a retry and a next batch both registered)
        }
        Hunt hunt = hunts.get(ctx.getCurrentKey());
        if (hunt == null) { // first batch, or the first after a restore
            hunt = prepare(update);
            if (hunt == null) {
                clear();
                return;
            }
            hunts.put(ctx.getCurrentKey(), hunt);
        }
        int from = done.value() == null ? 0 : done.value();
        int to = Math.min(hunt.indicators().size(), from + settings.batchSize());
        Instant end = update.at();
        Instant start = end.minus(settings.lookback());
        RetroSearch.Result result;
        try {
            result = search.hunt(hunt.indicators().subList(from, to), start, end, settings.maxHitsPerIndicator());
        } catch (IOException | RuntimeException e) {
            failures.inc();
            LOG.warn("retro-hunt of {}: indicators {} to {} of {} not searched, retrying in {}: {}",
                    ctx.getCurrentKey(), from, to, hunt.indicators().size(), settings.retryDelay(), e.getMessage());
            ctx.timerService().registerProcessingTimeTimer(
                    ctx.timerService().currentProcessingTime() + settings.retryDelay().toMillis());
            return;
        }
        hitsCut.inc(result.indicatorsCut());
        for (RetroHit hit : result.hits()) {
            out.collect(alert(hit));
            alerts.inc();
        }
        if (to < hunt.indicators().size()) {
            done.update(to);
            ctx.timerService().registerProcessingTimeTimer(ctx.timerService().currentProcessingTime());
            return;
        }
        LOG.info("retro-hunt of {} ({}): {} new indicator(s) hunted over {}", ctx.getCurrentKey(), update.at(),
                hunt.indicators().size(), settings.lookback());
        known.update(hunt.all());
        clear();
        hunts.remove(ctx.getCurrentKey());
    }

    private void clear() {
        pending.clear();
        done.clear();
    }

    /** The indicators of {@code update} not in the last version hunted, in a fixed order; {@code null} when it cannot be read. */
    private Hunt prepare(ContextUpdate update) throws IOException {
        List<Indicator> indicators;
        try {
            indicators = parser.parse(update);
        } catch (IOException | RuntimeException e) {
            // the enrich stage refuses it too and keeps the feed's previous table
            LOG.warn("retro-hunt: {} of {} is not a readable feed, not hunted: {}", update.key(), update.at(),
                    e.getMessage());
            return null;
        }
        long[] before = known.value();
        Map<Long, Indicator> fresh = new LinkedHashMap<>();
        for (Indicator i : indicators) {
            long h = IndicatorHashes.of(i);
            if (!IndicatorHashes.contains(before, h)) {
                fresh.putIfAbsent(h, i);
            }
        }
        List<Indicator> hunted = new ArrayList<>(fresh.values());
        hunted.sort(Comparator.comparing((Indicator i) -> i.type().name()).thenComparing(Indicator::value));
        if (hunted.size() > settings.maxIndicatorsPerUpdate()) {
            int cut = hunted.size() - settings.maxIndicatorsPerUpdate();
            indicatorsCut.inc(cut);
            LOG.warn("retro-hunt of {}: {} new indicators, {} not hunted (enrich.retro-hunt.max-indicators)",
                    update.key(), hunted.size(), cut);
            hunted = new ArrayList<>(hunted.subList(0, settings.maxIndicatorsPerUpdate()));
        }
        return new Hunt(hunted, IndicatorHashes.sorted(indicators));
    }

    /** The alert of one past event: the event with the match's fields, as the live match writes them. */
    public static Alert alert(RetroHit hit) {
        SecurityEvent.Builder b = hit.event().toBuilder();
        IntelFields.of(hit.indicator(), hit.field(), hit.atomic(), "indicator_retro_hunt").forEach(b::field);
        return IntelAlert.of(List.of(b.build()), true);
    }

    @Override
    public void close() throws Exception {
        if (search != null) {
            search.close();
        }
    }
}
