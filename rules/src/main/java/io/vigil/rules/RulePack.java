package io.vigil.rules;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.kie.api.KieBase;
import org.kie.api.builder.Message;
import org.kie.api.builder.Results;
import org.kie.api.definition.KiePackage;
import org.kie.api.definition.rule.Rule;
import org.kie.internal.conf.ConsequenceExceptionHandlerOption;
import org.kie.internal.concurrent.ExecutorProviderFactory;
import org.kie.internal.utils.KieHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A compiled and validated rule pack. Each DRL file is compiled on its own first: a file that
 * does not compile is left out whole and reported (file, line, rule); a rule whose metadata is
 * invalid is reported and never activated. The rest form one Drools knowledge base, whose
 * conditions and consequences are guarded ({@link GuardedNetwork}, {@link ConsequenceGuard}) so
 * that what a rule throws on one event is that rule's error, never the evaluation's.
 */
public final class RulePack {

    private static final Logger LOG = LoggerFactory.getLogger(RulePack.class);

    private final KieBase kieBase;
    private final GuardedNetwork network;
    private final Map<String, RuleMeta> rules;
    private final List<RuleProblem> problems;
    /** The compiled Sigma rules, or null when the sources hold none. */
    private final SigmaRuleSet sigma;

    private RulePack(KieBase kieBase, GuardedNetwork network, Map<String, RuleMeta> rules, List<RuleProblem> problems,
                     SigmaRuleSet sigma) {
        this.sigma = sigma;
        this.kieBase = kieBase;
        this.network = network;
        this.rules = Collections.unmodifiableMap(rules);
        this.problems = List.copyOf(problems);
    }

    /** Compiles the pack shipped with Vigil. */
    public static RulePack packaged() {
        return compile(RuleSource.packaged());
    }

    /**
     * Compiles {@code sources}, or returns the pack compiled from equal sources before in this
     * class loader. A pack is immutable and its knowledge base makes sessions for any thread, so
     * the client that verified the rules and the tasks of a local job (replay, the embedded
     * default) share one compilation, and on a cluster each task manager compiles once for all its
     * slots. Compiling the packaged rules takes seconds: a short replay spent a third of its time
     * compiling the same DRL twice.
     */
    public static RulePack compile(Collection<RuleSource> sources) {
        List<RuleSource> key = List.copyOf(sources);
        synchronized (COMPILED) {
            RulePack pack = COMPILED.get(key);
            if (pack == null) {
                pack = compileUncached(key);
                COMPILED.put(key, pack);
            }
            return pack;
        }
    }

    /** Most rule sets kept compiled; a job has one, tests and `rules test` a few. */
    static final int MAX_COMPILED = 4;

    private static final Map<List<RuleSource>, RulePack> COMPILED = new LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<List<RuleSource>, RulePack> eldest) {
            return size() > MAX_COMPILED;
        }
    };

    private static RulePack compileUncached(Collection<RuleSource> sources) {
        // Drools compiles DRL functions against the thread's context class loader; inside a Flink
        // task that is the job's user-code loader, where it cannot resolve them. Vigil's own
        // loader sees the model and the rules runtime.
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(RulePack.class.getClassLoader());
        try {
            letIdleDroolsWorkersEnd();
            return compileWithLoader(sources);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /** How long an idle thread of Drools' compiler pool lives ({@link #letIdleDroolsWorkersEnd()}). */
    static final long DROOLS_WORKER_IDLE_SECONDS = 2;

    /**
     * Lets the threads of Drools' shared pool ({@code drools-worker-N}, which compiles a knowledge
     * base in parallel) end once idle. Drools keeps them forever (core threads of a static pool),
     * and a live thread pins the class loader that made it: on a Flink cluster that is the job's
     * user-code loader, so every job submission (the JobManager runs the job's main, which
     * compiles the rules, in a new loader each time) left one loader with all its classes in
     * metaspace, and the JobManager died of {@code OutOfMemoryError: Metaspace} after a few
     * submissions (docs/cluster.md). Threads that end free the loader; a later compilation
     * starts new ones.
     */
    static void letIdleDroolsWorkersEnd() {
        if (ExecutorProviderFactory.getExecutorProvider().getExecutor() instanceof ThreadPoolExecutor pool
                && !pool.allowsCoreThreadTimeOut()) {
            pool.setKeepAliveTime(DROOLS_WORKER_IDLE_SECONDS, TimeUnit.SECONDS);
            pool.allowCoreThreadTimeOut(true);
        }
    }

    private static RulePack compileWithLoader(Collection<RuleSource> sources) {
        List<RuleProblem> problems = new ArrayList<>();
        List<RuleSource> good = new ArrayList<>();
        List<RuleSource> sigmaSources = new ArrayList<>();
        for (RuleSource source : sources) {
            if (source.isSigma()) {
                sigmaSources.add(source); // the Sigma compiler's (io.vigil.rules.sigma), not Drools'
                continue;
            }
            KieHelper helper = new KieHelper();
            helper.addContent(source.drl(), source.file());
            Results results = helper.verify();
            List<Message> errors = new ArrayList<>(results.getMessages(Message.Level.ERROR));
            // Drools follows a parse error with a line-less "Parser returned a null Package": noise
            if (errors.size() > 1) {
                errors.removeIf(m -> m.getLine() <= 0 && m.getText().contains("null Package"));
            }
            if (errors.isEmpty()) {
                good.add(source);
            } else {
                for (Message m : errors) {
                    problems.add(new RuleProblem(source.file(), m.getLine(), source.ruleAt(m.getLine()),
                            "does not compile: " + m.getText().strip() + " (no rule of this file is active)"));
                }
            }
        }
        KieHelper helper = new KieHelper();
        for (RuleSource source : good) {
            helper.addContent(source.drl(), source.file());
        }
        // a consequence that throws is that rule's error for the event, not the session's
        ConsequenceExceptionHandlerOption consequences = ConsequenceExceptionHandlerOption.get(ConsequenceGuard.class);
        KieBase kieBase = good.isEmpty() ? new KieHelper().build(consequences) : helper.build(consequences);
        GuardedNetwork network = GuardedNetwork.install(kieBase);
        Map<String, RuleMeta> rules = new LinkedHashMap<>();
        for (KiePackage pkg : kieBase.getKiePackages()) {
            for (Rule rule : pkg.getRules()) {
                String file = fileOf(rule, good);
                List<String> found = new ArrayList<>();
                RuleMeta meta = RuleMeta.parse(rule.getName(), rule.getMetaData(), file, found);
                if (rules.containsKey(rule.getName())) {
                    found.add("duplicate rule id (also in " + rules.get(rule.getName()).file() + ")");
                }
                if (meta != null && found.isEmpty()) {
                    rules.put(meta.id(), meta);
                } else {
                    found.forEach(msg -> problems.add(new RuleProblem(file, 0, rule.getName(),
                            msg + " (rule not active)")));
                }
            }
        }
        SigmaRuleSet sigma = compileSigma(sigmaSources, problems);
        if (sigma != null) {
            sigma.rules().forEach((id, meta) -> {
                if (rules.containsKey(id)) {
                    problems.add(new RuleProblem(meta.file(), 0, id, "duplicate rule id (also in "
                            + rules.get(id).file() + ") (rule not active)"));
                } else {
                    rules.put(id, meta);
                }
            });
        }
        Map<String, RuleMeta> sorted = new LinkedHashMap<>();
        rules.values().stream().sorted(java.util.Comparator.comparing(RuleMeta::file).thenComparing(RuleMeta::id))
                .forEach(m -> sorted.put(m.id(), m));
        problems.forEach(p -> LOG.debug("rule problem: {}", p));
        return new RulePack(kieBase, network, sorted, problems, sigma);
    }

    /** The Sigma sources compiled (their problems added to {@code problems}), or null when there are none. */
    private static SigmaRuleSet compileSigma(List<RuleSource> sources, List<RuleProblem> problems) {
        if (sources.isEmpty()) {
            return null;
        }
        SigmaCompiler compiler = SigmaCompiler.find();
        if (compiler == null) {
            sources.forEach(s -> problems.add(new RuleProblem(s.file(), 0, null,
                    "no Sigma compiler on the classpath (no rule of this file is active)")));
            return null;
        }
        SigmaRuleSet set = compiler.compile(sources);
        problems.addAll(set.problems());
        return set;
    }

    private static String fileOf(Rule rule, List<RuleSource> sources) {
        for (RuleSource s : sources) {
            if (s.drl().contains("rule \"" + rule.getName() + "\"")) {
                return s.file();
            }
        }
        return rule.getPackageName();
    }

    /**
     * What became of every Sigma document of the sources (compiled, unsupported with the reason,
     * or a problem), with its log source as {@code product/category/service}; empty without Sigma.
     */
    public List<SigmaStatus> sigmaStatuses() {
        return sigma == null ? List.of() : sigma.statuses();
    }

    /** The compiled Sigma rules, or null when the sources hold none. */
    SigmaRuleSet sigmaRules() {
        return sigma;
    }

    /** The Sigma documents Vigil does not run (their log source has no mapping, or a feature is not supported). */
    public List<SigmaStatus> sigmaUnsupported() {
        return sigmaStatuses().stream().filter(s -> s.state() == SigmaStatus.State.UNSUPPORTED).toList();
    }

    /** The active rules by id, in file then id order. */
    public Map<String, RuleMeta> rules() {
        return rules;
    }

    /** Why some rules or files are not active; empty when the whole pack is. */
    public List<RuleProblem> problems() {
        return problems;
    }

    public RuleMeta rule(String id) {
        return rules.get(id);
    }

    /**
     * A new evaluator over the active rules; one per thread. Close it: its session belongs to the
     * knowledge base, which a compiled pack shares for the life of the class loader.
     */
    public RuleEvaluator newEvaluator() {
        return newEvaluator(rules.keySet());
    }

    /** The compiled network (the prefilter reads it; tests build evaluators without it). */
    KieBase kieBase() {
        return kieBase;
    }

    /** The guards installed in the network. */
    GuardedNetwork network() {
        return network;
    }

    /** A new evaluator over only {@code ids} (for fixtures that test one rule). */
    public RuleEvaluator newEvaluator(Set<String> ids) {
        return newEvaluator(ids, RuleEvaluator.DEFAULT_QUARANTINE_AFTER);
    }

    /**
     * A new evaluator over only {@code ids}, quarantining a rule after {@code quarantineAfter}
     * consecutive failures ({@link Quarantine}; 0: never).
     */
    public RuleEvaluator newEvaluator(Set<String> ids, int quarantineAfter) {
        Map<String, RuleMeta> only = new LinkedHashMap<>();
        ids.forEach(id -> {
            if (rules.containsKey(id)) {
                only.put(id, rules.get(id));
            }
        });
        boolean anySigma = only.values().stream().anyMatch(m -> RuleMeta.SIGMA.equals(m.ruleset()));
        return new RuleEvaluator(kieBase, network, only, true, quarantineAfter,
                anySigma ? sigma.newMatcher() : null);
    }

}
