package io.vigil.bench.peers;

import com.espertech.esper.common.client.EPCompiled;
import com.espertech.esper.common.client.EventBean;
import com.espertech.esper.common.client.configuration.Configuration;
import com.espertech.esper.compiler.client.CompilerArguments;
import com.espertech.esper.compiler.client.EPCompiler;
import com.espertech.esper.compiler.client.EPCompilerProvider;
import com.espertech.esper.runtime.client.EPDeployment;
import com.espertech.esper.runtime.client.EPEventService;
import com.espertech.esper.runtime.client.EPRuntime;
import com.espertech.esper.runtime.client.EPRuntimeProvider;
import com.espertech.esper.runtime.client.EPStatement;
import io.vigil.model.SecurityEvent;
import io.vigil.rules.RuleMeta;
import java.util.ArrayList;
import java.util.List;

/**
 * The two detections in Esper 9 EPL, on the standalone runtime, on this thread: every event is
 * sent in order as an object-array {@code Auth} event after the runtime's external clock is
 * advanced to the event's time ({@link EPEventService#advanceTime}). Compiling and deploying are
 * start-up and not timed; the clock runs from the first event to the last.
 *
 * <p>Each detection is {@code match_recognize} partitioned by the group key over a time window as
 * long as the rule's, and Vigil's suppression period is reproduced with a table of the time each
 * key's suppression ends (see {@link #epl}). GPL v2: this class, like Esper, stays in the bench
 * module.
 */
final class EsperPeer {

    static final String[] FIELDS = {"t", "ip", "usr", "action", "outcome", "pam", "logonType"};

    private EsperPeer() {}

    /**
     * The EPL module. Per detection:
     *
     * <ol>
     *   <li>{@code insert into …Hit}: the rule's events (the rule's condition is the stream's
     *       filter) whose key is not in a suppression period ({@code t >= endsAt});
     *   <li>{@code match_recognize} over {@code …Hit#time(window)} partitioned by the key: an event
     *       leaving the time window (time difference {@code >= window}) drops the partial matches
     *       holding it, and after a match Esper resumes past its last row (its only skip mode),
     *       which clears the window as Vigil does. {@code ssh-brute-force} is {@code F{5}};
     *       {@code brute-force-then-success} is {@code F (X* F){4} S}: five failures, successes
     *       between them ignored, then a success. The measure {@code F.firstOf().t as t0} is
     *       needed, not decoration: without a measure that reads the {@code F} rows, Esper 9 does not keep
     *       them in the partial match, and a failure leaving the time window no longer drops the
     *       partial matches it began (the sequence then alerts on failures older than the window;
     *       scenario D of {@code --check} shows it);
     *   <li>{@code on …Alert merge}: the key's suppression ends at the alert's time plus the
     *       rule's suppression (omitted when the rule has none).
     * </ol>
     */
    static String epl(RuleMeta bruteForce, RuleMeta thenSuccess) {
        String failed = "outcome = 'failure' and (action in ('ssh_login', 'logon-failed', 'ConsoleLogin')"
                + " or (action = 'pam_auth_failure' and (pam is null or pam != 'sshd')))";
        String success = "outcome = 'success' and (action in ('ssh_login', 'ConsoleLogin')"
                + " or (action = 'logged-in' and (logonType is null or logonType not in ('Service', 'Batch'))"
                + " and not AuthLogic.noiseAccount(usr)))";
        StringBuilder epl = new StringBuilder();
        // ssh-brute-force
        boolean bfSuppress = bruteForce.suppressMs() > 0;
        if (bfSuppress) {
            epl.append("create table BfSuppressed(k string primary key, endsAt long);\n");
        }
        epl.append("insert into BfHit select a.t as t, a.ip as k from Auth(action = 'ssh_login', outcome = 'failure',"
                        + " ip is not null) as a")
                .append(bfSuppress ? " where a.t >= coalesce(BfSuppressed[a.ip].endsAt, 0L)" : "").append(";\n");
        epl.append("insert into BfAlert select * from BfHit#time(").append(bruteForce.windowMs()).append(" msec)")
                .append(" match_recognize (partition by k")
                .append(" measures F.lastOf().k as k, F.lastOf().t as t, F.firstOf().t as t0")
                .append(" pattern (F{").append(bruteForce.threshold()).append("}) define F as true);\n");
        if (bfSuppress) {
            epl.append(merge("BfAlert", "BfSuppressed", bruteForce.suppressMs()));
        }
        epl.append("@name('").append(bruteForce.id()).append("') select k, t from BfAlert;\n");
        // brute-force-then-success
        boolean seqSuppress = thenSuccess.suppressMs() > 0;
        if (seqSuppress) {
            epl.append("create table SeqSuppressed(k string primary key, endsAt long);\n");
        }
        epl.append("insert into SeqHit select a.t as t, AuthLogic.authKey(a.ip, a.usr) as k,")
                .append(" a.outcome = 'failure' as failed")
                .append(" from Auth((").append(failed).append(") or (").append(success).append(")) as a")
                .append(" where AuthLogic.authKey(a.ip, a.usr) is not null")
                .append(seqSuppress
                        ? " and a.t >= coalesce(SeqSuppressed[AuthLogic.authKey(a.ip, a.usr)].endsAt, 0L)" : "")
                .append(";\n");
        int n = thenSuccess.threshold();
        String pattern = n == 1 ? "F S" : "F (X* F){" + (n - 1) + "} S";
        epl.append("insert into SeqAlert select * from SeqHit#time(").append(thenSuccess.windowMs()).append(" msec)")
                .append(" match_recognize (partition by k measures S.k as k, S.t as t, F.firstOf().t as t0 pattern (")
                .append(pattern)
                .append(") define F as F.failed, X as not X.failed, S as not S.failed);\n");
        if (seqSuppress) {
            epl.append(merge("SeqAlert", "SeqSuppressed", thenSuccess.suppressMs()));
        }
        epl.append("@name('").append(thenSuccess.id()).append("') select k, t from SeqAlert;\n");
        return epl.toString();
    }

    private static String merge(String alerts, String table, long suppressMs) {
        return "on " + alerts + " a merge " + table + " s where s.k = a.k"
                + " when matched then update set endsAt = a.t + " + suppressMs
                + " when not matched then insert select a.k as k, a.t + " + suppressMs + " as endsAt;\n";
    }

    static Configuration configuration() {
        Configuration c = new Configuration();
        c.getRuntime().getThreading().setInternalTimerEnabled(false); // the events' time drives the clock
        c.getCommon().addEventType("Auth", FIELDS, new Object[] {Long.class, String.class, String.class,
                String.class, String.class, String.class, String.class});
        c.getCommon().addImport(AuthLogic.class);
        return c;
    }

    static EPCompiled compile(RuleMeta bruteForce, RuleMeta thenSuccess) throws Exception {
        Configuration c = configuration();
        EPCompiler compiler = EPCompilerProvider.getCompiler();
        return compiler.compile(epl(bruteForce, thenSuccess), new CompilerArguments(c));
    }

    static EngineRun run(AuthStream stream, RuleMeta bruteForce, RuleMeta thenSuccess, int runNumber) throws Exception {
        EPCompiled compiled = compile(bruteForce, thenSuccess);
        EPRuntime runtime = EPRuntimeProvider.getRuntime("correlation-peers-" + runNumber, configuration());
        try {
            EPEventService events = runtime.getEventService();
            long n = stream.size();
            if (n > 0) {
                events.advanceTime(stream.event(0).timestamp().toEpochMilli());
            }
            EPDeployment deployment = runtime.getDeploymentService().deploy(compiled);
            List<PeerAlert> alerts = new ArrayList<>();
            for (EPStatement statement : deployment.getStatements()) {
                String rule = statement.getName();
                if (rule.equals(bruteForce.id()) || rule.equals(thenSuccess.id())) {
                    statement.addListener((in, out, st, rt) -> {
                        for (EventBean b : in) {
                            alerts.add(new PeerAlert(rule, (String) b.get("k"), (Long) b.get("t")));
                        }
                    });
                }
            }
            long start = System.nanoTime();
            for (long i = 0; i < n; i++) {
                SecurityEvent e = stream.event(i);
                long t = e.timestamp().toEpochMilli();
                events.advanceTime(t);
                events.sendEventObjectArray(new Object[] {t, e.sourceIp(), e.userName(), e.eventAction(),
                        e.eventOutcome(), e.field("system.auth.pam.service"), e.field("winlog.logon.type")}, "Auth");
            }
            long nanos = System.nanoTime() - start;
            return new EngineRun(n, nanos, alerts, 0);
        } finally {
            runtime.destroy();
        }
    }
}
