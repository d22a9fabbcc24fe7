package io.vigil.context.intel;

import io.vigil.context.ContextPart;
import io.vigil.context.ContextUpdate;
import io.vigil.model.SecurityEvent;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Threat intelligence matching: every event's addresses, domains, URLs and file hashes are looked
 * up in the feeds' indexes (the files' and the live ones, together), and the most confident
 * indicator valid at the event's time is written on the event as {@link IntelFields} (one match per
 * event; among equals the first field in the order below).
 *
 * <p>Fields looked at: {@code source.ip}, {@code destination.ip}, {@code related.ip} (the first
 * {@link #MAX_RELATED_IPS}), {@code source.domain}, {@code destination.domain}, {@code url.domain},
 * the host of {@code url.original}, {@code url.original}, {@code dns.question.name},
 * {@code zeek.dns.query}, every {@code *.hash.*} field, and Sysmon's {@code winlog.event_data.Hashes}
 * ({@code SHA1=..,MD5=..,SHA256=..,IMPHASH=..}). A domain matches an indicator of itself or of any
 * parent domain. Work per event: a bounded number of hash probes per value, per feed.
 */
public final class IntelPart implements ContextPart {

    public static final String MATCH_TYPE = "indicator_match_rule";
    /** Most {@code related.ip} values looked up per event. */
    public static final int MAX_RELATED_IPS = 16;
    /** Most live feeds (from the context feed) held at once: each costs memory and a lookup per event. */
    public static final int MAX_LIVE_FEEDS = 16;
    /** Most hashes read from one Sysmon {@code Hashes} value. */
    static final int MAX_SYSMON_HASHES = 8;

    static final String SYSMON_HASHES = "winlog.event_data.Hashes";
    static final List<String> DOMAIN_FIELDS = List.of("source.domain", "destination.domain", "url.domain",
            "dns.question.name", "zeek.dns.query");

    private final Map<String, IntelIndex> files;
    private final Map<String, IntelIndex> live = new LinkedHashMap<>();
    private final IntelIndex.Match match = new IntelIndex.Match();
    private List<IntelIndex> all;

    /** @param files the file feeds' indexes by feed name */
    public IntelPart(Map<String, IntelIndex> files) {
        this.files = new LinkedHashMap<>(files);
        this.all = matched(this.files.values(), List.of());
    }

    /** The indexes to look up: the files' then the live ones, without the empty ones (nothing to probe). */
    private static List<IntelIndex> matched(java.util.Collection<IntelIndex> files, java.util.Collection<IntelIndex> live) {
        List<IntelIndex> a = new ArrayList<>();
        for (IntelIndex i : files) {
            if (i.size() > 0) {
                a.add(i);
            }
        }
        for (IntelIndex i : live) {
            if (i.size() > 0) {
                a.add(i);
            }
        }
        return List.copyOf(a);
    }

    /** Indicator values held, over all feeds. */
    public long size() {
        long n = 0;
        for (IntelIndex i : all) {
            n += i.size();
        }
        return n;
    }

    /** The live feeds' names, in the order they arrived. */
    public List<String> liveFeeds() {
        return List.copyOf(live.keySet());
    }

    @Override
    public boolean update(ContextUpdate update) {
        if (!ContextUpdate.INTEL.equals(update.kind())) {
            return false;
        }
        if (update.body().length == 0) {
            // an empty body removes the live feed of that name
            live.remove(update.name());
            all = matched(files.values(), live.values());
            return true;
        }
        if (!live.containsKey(update.name()) && live.size() == MAX_LIVE_FEEDS) {
            throw new IllegalArgumentException("intel feed " + update.name() + " refused: at most " + MAX_LIVE_FEEDS
                    + " live intel feeds; replace or remove (empty body) one of " + live.keySet());
        }
        FeedResult r;
        try {
            r = IndicatorFeeds.read(update.format(), update.body(), update.name());
        } catch (IOException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        live.put(update.name(), IntelIndex.of(r.indicators()));
        all = matched(files.values(), live.values());
        return true;
    }

    @Override
    public void enrich(SecurityEvent event, Map<String, String> fields) {
        if (all.isEmpty()) {
            return;
        }
        IntelIndex.Match best = match;
        best.clear();
        Instant t = event.timestamp();
        address("source.ip", event.sourceIp(), t, best);
        address("destination.ip", event.destinationIp(), t, best);
        List<String> related = event.relatedIp();
        for (int i = 0; i < related.size() && i < MAX_RELATED_IPS; i++) {
            address("related.ip", related.get(i), t, best);
        }
        domain("source.domain", event.sourceDomain(), t, best);
        domain("destination.domain", event.destinationDomain(), t, best);
        domain("url.domain", event.urlDomain(), t, best);
        String url = event.urlOriginal();
        if (url != null && event.urlDomain() == null) {
            String host = IndicatorValues.urlHost(url);
            if (host != null) {
                for (IntelIndex i : all) {
                    i.matchDomain(host, "url.original", url, t, best);
                }
            }
        }
        String normalUrl = IndicatorValues.url(url);
        if (normalUrl != null) {
            for (IntelIndex i : all) {
                i.matchUrl(normalUrl, "url.original", url, t, best);
            }
        }
        domain("dns.question.name", event.field("dns.question.name"), t, best);
        domain("zeek.dns.query", event.field("zeek.dns.query"), t, best);
        for (Map.Entry<String, String> f : event.fields().entrySet()) {
            // names come from the catalog (a bounded set), never from the log
            if (f.getKey().contains(".hash.")) {
                hash(f.getKey(), f.getValue(), t, best);
            }
        }
        sysmonHashes(event.field(SYSMON_HASHES), t, best);
        if (best.indicator != null) {
            fields.putAll(IntelFields.of(best.indicator, best.field, best.atomic, MATCH_TYPE));
        }
    }

    private void address(String field, String value, Instant t, IntelIndex.Match best) {
        byte[] a = value == null ? null : IndicatorValues.address(value);
        if (a == null) {
            return;
        }
        for (IntelIndex i : all) {
            i.matchAddress(a, field, value, t, best);
        }
    }

    private void domain(String field, String value, Instant t, IntelIndex.Match best) {
        String d = value == null ? null : IndicatorValues.domain(value);
        if (d == null) {
            return;
        }
        for (IntelIndex i : all) {
            i.matchDomain(d, field, value, t, best);
        }
    }

    private void hash(String field, String value, Instant t, IntelIndex.Match best) {
        if (value == null || value.length() > 64) {
            return;
        }
        String v = value.strip();
        for (IntelIndex i : all) {
            i.matchHash(v, field, v, t, best);
        }
    }

    /** Sysmon's {@code Hashes}: {@code ALGO=hex} pairs separated by commas; IMPHASH and unknown ones are not file hashes. */
    private void sysmonHashes(String value, Instant t, IntelIndex.Match best) {
        if (value == null) {
            return;
        }
        int at = 0;
        for (int n = 0; n < MAX_SYSMON_HASHES && at < value.length(); n++) {
            int comma = value.indexOf(',', at);
            int end = comma < 0 ? value.length() : comma;
            int eq = value.indexOf('=', at);
            if (eq > at && eq < end) {
                String algo = value.substring(at, eq).strip();
                if (algo.equalsIgnoreCase("MD5") || algo.equalsIgnoreCase("SHA1") || algo.equalsIgnoreCase("SHA256")) {
                    String hex = value.substring(eq + 1, end).strip();
                    for (IntelIndex i : all) {
                        i.matchHash(hex, SYSMON_HASHES, hex, t, best);
                    }
                }
            }
            at = end + 1;
        }
    }
}
