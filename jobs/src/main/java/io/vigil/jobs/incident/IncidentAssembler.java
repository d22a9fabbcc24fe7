package io.vigil.jobs.incident;

import io.vigil.model.mask.Masker;
import io.vigil.connectors.elasticsearch.IndexTemplates;
import io.vigil.model.Alert;
import io.vigil.model.Ids;
import io.vigil.model.Incident;
import io.vigil.model.KeyEvent;
import io.vigil.model.MassActivity;
import io.vigil.model.TimelineEntry;
import io.vigil.rules.Attack;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Groups alerts into incidents by the entities they share, within a window, and writes each
 * incident's timeline. Alerts must be given in time order (the Flink function sorts them by
 * watermark); the result is then the same in the stream and in a replay.
 *
 * <p><b>Which entities link alerts.</b> An alert links through its subject: the entity fields it
 * was grouped by ({@code source.ip}, {@code user.name}, {@code user.target.name},
 * {@code host.name}). When the subject includes a source address the alert is an attack from
 * the network, and the host it targeted does not link (every attacker of one SSH server would
 * otherwise become one incident); otherwise the host does link, even when it is not in the
 * subject, because activity on one host (a backdoor account, then a cleared log) is one story.
 * An alert with none of these fields links through its group key.
 *
 * <p><b>Merging.</b> An alert whose keys point at two or more open incidents merges them: the
 * oldest (first seen, then id) absorbs the others, which keep their id, point to it with
 * {@code mergedInto}, and are no longer updated. An incident stays open for new alerts until
 * {@code window} after its last alert.
 *
 * <p><b>Closed incidents.</b> Analysts close incidents in Elasticsearch, where the stream does not
 * look by itself. When an alert would join an incident, the assembler asks {@link ClosedIncidents}
 * (with a cache and failing open, see {@link CachedIncidentStatus}); an incident closed before the
 * alert came takes no more alerts. The alert goes to another open incident it joins, or starts a
 * new one, which lists the closed one in {@code linkedTo}; a {@value #REOPEN} entry on both
 * timelines names the alert. The closed incident's document is not touched: its status, assignee
 * and close reason stay the analysts'.
 *
 * <p><b>Cost.</b> An alert costs a bounded number of point reads and writes of the
 * {@link IncidentStore}, however many incidents are open: incidents are filed under the time they
 * close, and {@link #expire} looks only at those filed under its time. What one incident lists is
 * capped ({@link IncidentState}); its counts stay exact.
 */
public final class IncidentAssembler implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The ECS entity fields of incidents. */
    public static final List<String> ENTITY_FIELDS = List.of("source.ip", "user.name", "user.target.name", "host.name");

    /** The default incident window in hours: an int so that command-line defaults can be built from it. */
    public static final int DEFAULT_WINDOW_HOURS = 24;
    /** How long after its last alert an incident takes further alerts of its entities, unless configured. */
    public static final Duration DEFAULT_WINDOW = Duration.ofHours(DEFAULT_WINDOW_HOURS);

    /** The timeline action of an alert that came after its incident was closed. */
    public static final String REOPEN = "reopen";

    /** Who the stream's own timeline actions are by. */
    static final String ACTOR = "vigil";

    /** What the assembler produces: incident versions and timeline entries. */
    public interface Output {
        void incident(Incident incident);

        void timeline(TimelineEntry entry);
    }

    /** {@code before} of a new incident: not filed under any closing time yet. */
    private static final long NOT_FILED = Long.MIN_VALUE;

    private final long windowMs;

    public IncidentAssembler(Duration window) {
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("the incident window must be positive, not " + window);
        }
        this.windowMs = window.toMillis();
    }

    /** Adds one alert (in time order), knowing nothing of analysts: every incident is open. */
    public void accept(Alert alert, IncidentStore store, Output out) throws Exception {
        accept(alert, store, ClosedIncidents.NONE, out);
    }

    /**
     * Adds one alert (in time order). An incident it would join that analysts closed before it
     * came ({@code closedIncidents}) takes it no more: the alert goes to another incident it
     * joins, or opens a new one, which names the closed one in {@code linkedTo}; both timelines say
     * which alert did it.
     */
    public void accept(Alert alert, IncidentStore store, ClosedIncidents closedIncidents, Output out)
            throws Exception {
        long t = alert.timestamp().toEpochMilli();
        String known = store.incidentOfAlert(alert.id());
        if (known != null) {
            // the same alert again (its suppression ended): refresh its timeline line and the last-seen time
            IncidentState inc = resolve(store, known);
            if (inc != null) {
                out.timeline(alertEntry(inc.id, alert));
                if (t > inc.lastSeen) {
                    long before = inc.lastSeen;
                    inc.lastSeen = t;
                    inc.version++;
                    fileClosing(store, inc, before);
                    store.put(inc);
                    out.incident(toIncident(inc));
                }
            }
            return;
        }
        Set<String> keys = linkingKeys(alert);
        Map<String, IncidentState> candidates = new LinkedHashMap<>();
        for (String key : keys) {
            String id = store.incidentOfKey(key);
            IncidentState inc = id == null ? null : resolve(store, id);
            if (inc != null && inc.lastSeen + windowMs >= t) {
                candidates.putIfAbsent(inc.id, inc);
            }
        }
        List<IncidentState> closed = new ArrayList<>();
        for (java.util.Iterator<IncidentState> it = candidates.values().iterator(); it.hasNext(); ) {
            IncidentState inc = it.next();
            if (closedBefore(inc, t, closedIncidents, store)) {
                closed.add(inc);
                it.remove();
            }
        }
        IncidentState target;
        long before;
        if (candidates.isEmpty()) {
            target = new IncidentState();
            target.id = Ids.of("incident", alert.id());
            target.firstSeen = alert.firstEventTime() != null ? alert.firstEventTime().toEpochMilli() : t;
            target.lastSeen = t;
            before = NOT_FILED;
        } else {
            List<IncidentState> open = new ArrayList<>(candidates.values());
            open.sort(Comparator.comparingLong((IncidentState i) -> i.firstSeen).thenComparing(i -> i.id));
            target = open.get(0);
            before = target.lastSeen;
            for (IncidentState absorbed : open.subList(1, open.size())) {
                merge(target, absorbed, alert.timestamp(), store, out);
            }
        }
        add(target, alert, keys);
        if (!closed.isEmpty()) {
            continues(target, closed, alert, out);
        }
        target.version++;
        // only this alert's keys: the keys of merged incidents were moved over by merge
        for (String key : keys) {
            store.link(key, target.id);
        }
        store.alertAssigned(alert.id(), target.id);
        fileClosing(store, target, before);
        store.put(target);
        out.incident(toIncident(target));
        out.timeline(alertEntry(target.id, alert));
        for (KeyEvent e : alert.keyEvents()) {
            out.timeline(eventEntry(target.id, alert, e));
        }
    }

    /**
     * Forgets the incidents filed to close at {@code time} (the event-time timer of that time
     * fired): their keys and alerts start new incidents. Each is checked against its current
     * last-seen time; one seen again since is filed under its new closing time instead. The cost
     * is that of the incidents closing then, not of every open incident.
     */
    public void expire(long time, IncidentStore store) throws Exception {
        for (String id : store.takeClosingAt(time)) {
            IncidentState inc = store.incident(id);
            if (inc == null) {
                continue;
            }
            if (inc.mergedInto == null && closesAt(inc.lastSeen) > time) {
                store.closesAt(closesAt(inc.lastSeen), id);
                continue;
            }
            for (String key : inc.keys) {
                if (inc.id.equals(store.incidentOfKey(key))) {
                    store.unlink(key);
                }
            }
            for (String alertId : inc.alertIds) {
                if (inc.id.equals(store.incidentOfAlert(alertId))) {
                    store.alertForgotten(alertId);
                }
            }
            store.remove(inc.id);
        }
    }

    /**
     * Whether analysts closed {@code inc} before an alert of time {@code t}: known from state once
     * learnt, else asked. An alert no later than what the closed incident held is no news (a
     * replay of it) and joins it as before.
     */
    private static boolean closedBefore(IncidentState inc, long t, ClosedIncidents closedIncidents,
                                        IncidentStore store) throws Exception {
        if (inc.closed) {
            return true;
        }
        ClosedIncidents.Closed c = closedIncidents.closed(inc.id);
        if (c == null || t <= c.lastSeen()) {
            return false;
        }
        inc.closed = true;
        store.put(inc);
        return true;
    }

    /** {@code target} takes {@code alert} instead of the closed incidents: linked, and said on both timelines. */
    private static void continues(IncidentState target, List<IncidentState> closed, Alert alert, Output out) {
        closed.sort(Comparator.comparingLong((IncidentState i) -> i.firstSeen).thenComparing(i -> i.id));
        for (IncidentState c : closed) {
            if (!target.linkedTo.contains(c.id) && target.linkedTo.size() < Incident.MAX_LINKED) {
                target.linkedTo.add(c.id);
                target.linkedTo.sort(null);
            }
            String alertName = "alert " + alert.id() + " (" + alert.ruleName() + ")";
            out.timeline(new TimelineEntry(Ids.of("timeline", "reopen", c.id, alert.id()), target.id,
                    alert.timestamp(), TimelineEntry.ACTION, alertName + " came from the entities of incident "
                    + c.id + " after it was closed: this incident continues it", alert.ruleId(), alert.ruleName(),
                    alert.severity(), alert.tactics(), entities(alert.entities()), IndexTemplates.INCIDENTS, c.id,
                    null, REOPEN, ACTOR, null));
            out.timeline(new TimelineEntry(Ids.of("timeline", "reopened", c.id, alert.id()), c.id,
                    alert.timestamp(), TimelineEntry.ACTION, alertName + " came after this incident was closed: "
                    + "incident " + target.id + " continues it", alert.ruleId(), alert.ruleName(), alert.severity(),
                    alert.tactics(), entities(alert.entities()),
                    IndexTemplates.dailyIndex(IndexTemplates.ALERTS, alert.timestamp()), alert.id(), null, REOPEN,
                    ACTOR, null));
        }
    }

    /** Files {@code inc} under its closing time, out of the one it had when last seen at {@code before}. */
    private void fileClosing(IncidentStore store, IncidentState inc, long before) throws Exception {
        long at = closesAt(inc.lastSeen);
        if (before != NOT_FILED) {
            long was = closesAt(before);
            if (was == at) {
                return;
            }
            store.notClosingAt(was, inc.id);
        }
        store.closesAt(at, inc.id);
    }

    /** When the incident, last seen at {@code lastSeen}, closes for new alerts. */
    public long closesAt(long lastSeen) {
        return lastSeen + windowMs + 1;
    }

    private static IncidentState resolve(IncidentStore store, String id) throws Exception {
        IncidentState inc = store.incident(id);
        // follow merges; a chain is short, and bounded in case of a cycle
        for (int hops = 0; inc != null && inc.mergedInto != null && hops < 100; hops++) {
            inc = store.incident(inc.mergedInto);
        }
        return inc;
    }

    private void merge(IncidentState target, IncidentState absorbed, Instant when, IncidentStore store, Output out)
            throws Exception {
        target.firstSeen = Math.min(target.firstSeen, absorbed.firstSeen);
        target.lastSeen = Math.max(target.lastSeen, absorbed.lastSeen);
        target.alertCount += absorbed.alertCount;
        target.maxRisk = Math.max(target.maxRisk, absorbed.maxRisk);
        target.maxSeverity = higher(target.maxSeverity, absorbed.maxSeverity);
        union(target.users, absorbed.users);
        union(target.targetUsers, absorbed.targetUsers);
        union(target.hosts, absorbed.hosts);
        union(target.sourceIps, absorbed.sourceIps);
        union(target.ruleIds, absorbed.ruleIds);
        unionTactics(target.tacticIds, absorbed.tacticIds);
        unionCapped(target.linkedTo, absorbed.linkedTo, Incident.MAX_LINKED);
        // the absorbed incident's listed keys and alerts now point at the target (listed there up to the caps)
        unionCapped(target.keys, absorbed.keys, IncidentState.MAX_LISTED_KEYS);
        for (String key : absorbed.keys) {
            store.link(key, target.id);
        }
        for (String alertId : absorbed.alertIds) {
            if (target.alertIds.size() < IncidentState.MAX_LISTED_ALERTS) {
                target.alertIds.add(alertId);
            }
            store.alertAssigned(alertId, target.id);
        }
        absorbed.mergedInto = target.id;
        absorbed.version++;
        absorbed.keys = new ArrayList<>();
        absorbed.alertIds = new ArrayList<>();
        store.put(absorbed);
        out.incident(toIncident(absorbed));
        out.timeline(new TimelineEntry(Ids.of("timeline", "merge", absorbed.id, target.id), target.id, when,
                TimelineEntry.ACTION, "merged incident " + absorbed.id + " (" + absorbed.alertCount
                + " alerts) into this one: an alert shared their entities",
                null, null, null, List.of(), Map.of(), IndexTemplates.INCIDENTS, absorbed.id, null, "merge", "vigil",
                null));
    }

    private static void add(IncidentState inc, Alert alert, Set<String> keys) {
        long t = alert.timestamp().toEpochMilli();
        inc.lastSeen = Math.max(inc.lastSeen, t);
        if (alert.firstEventTime() != null) {
            inc.firstSeen = Math.min(inc.firstSeen, alert.firstEventTime().toEpochMilli());
        }
        inc.alertCount++;
        inc.maxRisk = Math.max(inc.maxRisk, alert.riskScore());
        inc.maxSeverity = higher(inc.maxSeverity, alert.severity());
        Map<String, String> e = alert.entities();
        addValue(inc.sourceIps, e.get("source.ip"));
        addValue(inc.users, e.get("user.name"));
        addValue(inc.targetUsers, e.get("user.target.name"));
        addValue(inc.hosts, e.get("host.name"));
        union(inc.ruleIds, List.of(alert.ruleId()));
        unionTactics(inc.tacticIds, alert.tactics());
        unionCapped(inc.keys, keys, IncidentState.MAX_LISTED_KEYS);
        if (inc.alertIds.size() < IncidentState.MAX_LISTED_ALERTS) {
            inc.alertIds.add(alert.id());
        }
    }

    /** The keys through which {@code alert} joins incidents (see the class comment). */
    static Set<String> linkingKeys(Alert alert) {
        Set<String> subject = new LinkedHashSet<>();
        for (String f : alert.groupBy() == null ? new String[0] : alert.groupBy().split(",")) {
            subject.add(f.trim());
        }
        Map<String, String> e = alert.entities();
        Set<String> keys = new TreeSet<>();
        boolean fromNetwork = subject.contains("source.ip") && e.get("source.ip") != null;
        for (String field : ENTITY_FIELDS) {
            String value = e.get(field);
            // a masked value (a password typed as user name) is shared by unrelated alerts: no identity
            if (value == null || value.isBlank() || value.contains(Masker.MASK)) {
                continue;
            }
            boolean links = field.equals("host.name") ? !fromNetwork : subject.contains(field);
            if (links) {
                keys.add(field + "=" + value);
            }
        }
        if (keys.isEmpty()) {
            keys.add(alert.groupKey() != null && alert.groupKey().contains(Masker.MASK) ? "alert:" + alert.id()
                    : "group:" + alert.groupBy() + "=" + alert.groupKey());
        }
        return keys;
    }

    static Incident toIncident(IncidentState s) {
        int risk = riskScore(s);
        return new Incident(s.id, title(s), Incident.OPEN, null, null, Instant.ofEpochMilli(s.firstSeen),
                Instant.ofEpochMilli(s.lastSeen), s.users, s.targetUsers, s.hosts, s.sourceIps, s.alertCount, s.ruleIds,
                higher(s.maxSeverity, severityOf(risk)), risk, s.tacticIds, s.mergedInto, s.version, s.linkedTo);
    }

    /**
     * The highest alert risk, plus 2 per further alert (at most 10) and 10 per further ATT&CK
     * tactic (an attack moving along the kill chain), at most 100.
     */
    static int riskScore(IncidentState s) {
        long more = Math.min(5, Math.max(0, s.alertCount - 1));
        int tactics = Math.max(0, s.tacticIds.size() - 1);
        return (int) Math.min(100, s.maxRisk + 2 * more + 10L * tactics);
    }

    static String severityOf(int risk) {
        return risk >= 90 ? "critical" : risk >= 70 ? "high" : risk >= 40 ? "medium" : "low";
    }

    private static final List<String> SEVERITY_ORDER = List.of("low", "medium", "high", "critical");

    static String higher(String a, String b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return SEVERITY_ORDER.indexOf(a) >= SEVERITY_ORDER.indexOf(b) ? a : b;
    }

    static String title(IncidentState s) {
        StringBuilder t = new StringBuilder();
        List<String> rules = s.ruleIds;
        t.append(String.join(", ", rules.subList(0, Math.min(3, rules.size()))));
        if (rules.size() > 3) {
            t.append(" +").append(rules.size() - 3).append(" more");
        }
        if (!s.sourceIps.isEmpty()) {
            t.append(" from ").append(s.sourceIps.get(0));
        } else if (!s.hosts.isEmpty()) {
            t.append(" on ").append(s.hosts.get(0));
        } else if (!s.users.isEmpty()) {
            t.append(" by ").append(s.users.get(0));
        }
        int entities = s.sourceIps.size() + (s.sourceIps.isEmpty() ? s.hosts.size() : 0);
        if (entities > 1) {
            t.append(" (+").append(entities - 1).append(")");
        }
        return t.toString();
    }

    static TimelineEntry alertEntry(String incidentId, Alert a) {
        MassActivity m = a.massActivity();
        String attribution = a.provenance().attribution();
        String summary = (m != null
                ? a.ruleName() + ": " + m.alerts() + " alert" + (m.alerts() == 1 ? "" : "s") + " for " + m.keys() + " "
                        + m.groupBy() + " value" + (m.keys() == 1 ? "" : "s") + " aggregated in the minute from "
                        + m.windowStart() + (a.suppressedCount() > 0 ? " (+" + a.suppressedCount() + " suppressed)" : "")
                        + " — e.g. " + String.join(", ", m.sampleKeys().subList(0, Math.min(5, m.sampleKeys().size())))
                : a.ruleName() + ": " + a.count() + " event" + (a.count() == 1 ? "" : "s")
                + (a.suppressedCount() > 0 ? " (+" + a.suppressedCount() + " suppressed)" : "")
                + " — " + a.groupBy() + " " + a.groupKey())
                // a rule from elsewhere says whose it is, on the timeline an analyst reads
                + (attribution == null ? "" : " [" + attribution + "]");
        return new TimelineEntry(Ids.of("timeline", "alert", a.id()), incidentId, a.timestamp(), TimelineEntry.ALERT,
                summary, a.ruleId(), a.ruleName(), a.severity(), a.tactics(), entities(a.entities()),
                IndexTemplates.dailyIndex(IndexTemplates.ALERTS, a.timestamp()), a.id(), null, null, null, null);
    }

    static TimelineEntry eventEntry(String incidentId, Alert a, KeyEvent e) {
        String summary = "contributed to " + a.ruleId() + (e.value() == null ? "" : ": " + e.value());
        return new TimelineEntry(Ids.of("timeline", "event", a.id(), e.origin().toString()), incidentId, e.time(),
                TimelineEntry.EVENT, summary, a.ruleId(), a.ruleName(), null, List.of(), entities(a.entities()), null,
                a.id(), e.origin().toString(), null, null, null);
    }

    private static Map<String, String> entities(Map<String, String> all) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String f : ENTITY_FIELDS) {
            if (all.get(f) != null) {
                out.put(f, all.get(f));
            }
        }
        return out;
    }

    private static void addValue(List<String> sorted, String value) {
        if (value != null && !value.isBlank() && sorted.size() < Incident.MAX_ENTITIES) {
            union(sorted, List.of(value));
        }
    }

    private static void union(List<String> sorted, Collection<String> more) {
        TreeSet<String> all = new TreeSet<>(sorted);
        all.addAll(more);
        if (all.size() != sorted.size()) {
            sorted.clear();
            sorted.addAll(all);
        }
    }

    /** Adds the values of {@code more} that {@code sorted} lacks while it holds fewer than {@code cap}; keeps it sorted. */
    private static void unionCapped(List<String> sorted, Collection<String> more, int cap) {
        boolean added = false;
        for (String v : more) {
            if (sorted.size() >= cap) {
                break;
            }
            if (!sorted.contains(v)) {
                sorted.add(v);
                added = true;
            }
        }
        if (added) {
            sorted.sort(null);
        }
    }

    private static void unionTactics(List<String> ordered, Collection<String> more) {
        TreeSet<String> all = new TreeSet<>(Comparator.comparingInt(Attack::order).thenComparing(x -> x));
        all.addAll(ordered);
        all.addAll(more);
        ordered.clear();
        ordered.addAll(all);
    }
}
