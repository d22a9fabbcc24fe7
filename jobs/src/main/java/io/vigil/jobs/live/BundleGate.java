package io.vigil.jobs.live;

import io.vigil.rules.RuleMeta;
import io.vigil.rules.bundle.BundleKeys;
import io.vigil.rules.bundle.RuleBundle;
import java.io.IOException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one gate every rule bundle passes before any task runs it (parallelism 1): it reads each
 * control record, checks its bundle ({@link BundleCheck}: signature, exceptions, compilation,
 * fixtures, regression samples) and broadcasts an accepted one as a numbered {@link PackUpdate}.
 * A refused record changes nothing: the pack in force stays. Every record, accepted or refused,
 * leaves a {@link RuleOutcome} on {@link #OUTCOMES}.
 *
 * <p>A version names one content: a bundle whose version was accepted before with another digest
 * is refused (a rollback to that version must be unambiguous). The update counter and the versions
 * seen are operator state, so numbering resumes after a restore.
 */
public final class BundleGate extends ProcessFunction<ControlInput, PackUpdate> implements CheckpointedFunction {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(BundleGate.class);

    public static final OutputTag<RuleOutcome> OUTCOMES = new OutputTag<>("rule-outcomes") {};

    private final byte[] publicKey;

    private transient PublicKey key;
    private transient long seq;
    private transient Map<String, String> digests;
    private transient ListState<Long> seqState;
    private transient ListState<String> digestState;
    private transient Counter accepted;
    private transient Counter refused;

    /** @param publicKey the X.509 encoding of the Ed25519 key bundles must be signed with */
    public BundleGate(PublicKey publicKey) {
        this.publicKey = publicKey.getEncoded();
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        seqState = context.getOperatorStateStore().getListState(new ListStateDescriptor<>("bundle-seq", Types.LONG));
        digestState = context.getOperatorStateStore().getListState(
                new ListStateDescriptor<>("bundle-digests", Types.STRING));
        seq = 0;
        digests = new HashMap<>();
        for (Long s : seqState.get()) {
            seq = Math.max(seq, s);
        }
        for (String entry : digestState.get()) {
            int tab = entry.indexOf('\t');
            digests.put(entry.substring(0, tab), entry.substring(tab + 1));
        }
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        seqState.update(List.of(seq));
        List<String> entries = new ArrayList<>();
        digests.forEach((v, d) -> entries.add(v + "\t" + d));
        digestState.update(entries);
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        key = BundleKeys.publicKey(java.util.Base64.getEncoder().encodeToString(publicKey), "rules.public-key");
        accepted = getRuntimeContext().getMetricGroup().counter("bundlesAccepted");
        refused = getRuntimeContext().getMetricGroup().counter("bundlesRefused");
    }

    @Override
    public void processElement(ControlInput input, Context ctx, Collector<PackUpdate> out) {
        ControlRecord record;
        try {
            record = ControlRecord.fromJson(input.value());
        } catch (IOException e) {
            String id = "bad-" + input.source().replace('/', '-') + "-" + input.offset();
            refuse(ctx, new RuleOutcome(id, "push", ControlRecord.LIVE, "?", null, null, null, null, 0, 0,
                    RuleOutcome.REFUSED, "record", e.getMessage(), List.of(), 0));
            return;
        }
        if ("clear".equals(record.kind())) {
            emit(ctx, out, record, null, new RuleOutcome(record.id(), record.kind(), record.slot(), record.version(),
                    null, null, null, record.actor(), record.at().toEpochMilli(), record.effectiveAt().toEpochMilli(),
                    RuleOutcome.ACTIVE, null, null, List.of(), 0));
            return;
        }
        BundleCheck.Outcome check = BundleCheck.check(record.bundle(), key);
        String step = check.step();
        String reason = check.reason();
        if (check.accepted() && !check.manifest().version().equals(record.version())) {
            step = "record";
            reason = "the record names version " + record.version() + " but carries bundle "
                    + check.manifest().version();
        } else if (check.accepted() && digests.containsKey(record.version())
                && !digests.get(record.version()).equals(check.digest())) {
            step = "version";
            reason = "version " + record.version() + " was accepted before with other content (digest "
                    + digests.get(record.version()) + "): give the changed bundle a new version";
        }
        boolean ok = check.accepted() && step == null;
        List<String> rules = new ArrayList<>();
        if (ok) {
            for (RuleMeta r : check.rules().active().values()) {
                rules.add(r.id() + "@" + r.version());
            }
        }
        RuleOutcome outcome = new RuleOutcome(record.id(), record.kind(), record.slot(), record.version(),
                check.digest(), check.manifest() == null ? null : check.manifest().author(),
                check.manifest() == null ? null : check.manifest().description(), record.actor(),
                record.at().toEpochMilli(), record.effectiveAt().toEpochMilli(),
                ok ? RuleOutcome.ACTIVE : RuleOutcome.REFUSED, step, reason, rules,
                ok ? check.exceptions().entries().size() : 0);
        if (!ok) {
            refuse(ctx, outcome);
            return;
        }
        digests.put(record.version(), check.digest());
        LivePack pack = new LivePack(record.version(), check.digest(), check.rules(), check.exceptions());
        emit(ctx, out, record, pack, outcome);
    }

    private void emit(Context ctx, Collector<PackUpdate> out, ControlRecord record, LivePack pack, RuleOutcome outcome) {
        seq++;
        out.collect(new PackUpdate(seq, record.slot(), record.id(), record.version(),
                record.effectiveAt().toEpochMilli(), pack == null ? null : pack.toBytes()));
        ctx.output(OUTCOMES, outcome);
        accepted.inc();
        LOG.info("rule bundle {} ({} {}) active in slot {} from event time {}", outcome.version(), outcome.kind(),
                outcome.recordId(), outcome.slot(), record.effectiveAt());
    }

    private void refuse(Context ctx, RuleOutcome outcome) {
        ctx.output(OUTCOMES, outcome);
        refused.inc();
        LOG.warn("rule bundle record {} refused at step {}: {}", outcome.recordId(), outcome.step(),
                io.vigil.model.text.SafeText.escape(String.valueOf(outcome.reason())));
    }
}
