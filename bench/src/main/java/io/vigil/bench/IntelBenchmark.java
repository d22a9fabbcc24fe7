package io.vigil.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.context.Enricher;
import io.vigil.context.intel.FeedResult;
import io.vigil.context.intel.IndicatorFeeds;
import io.vigil.context.intel.IntelFields;
import io.vigil.context.intel.IntelIndex;
import io.vigil.context.intel.IntelPart;
import io.vigil.model.Origin;
import io.vigil.model.SecurityEvent;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Threat intelligence at scale: N generated indicators (a mix of types, as CSV) loaded into one
 * feed's index, then events enriched against it on one thread.
 *
 * <p>Figures: load time (CSV parse, then index build); bytes per indicator two ways: the exact
 * element bytes of the index's arrays ({@link IntelIndex#arrayBytes}, no headers, no metadata
 * objects) and the retained heap (used heap after full GCs with the index held, minus after it is
 * dropped: {@link MemoryMXBean}, so metadata objects and strings are in); events/s of the
 * enrichment (the {@link Enricher} with the intel part: lookups, and the event rebuilt when it
 * matches) over a mix of sshd, web, DNS and Sysmon events of which about 2% match, against the
 * loaded index and against an empty one.
 *
 * <p>Arguments: indicators (1,000,000), events per run (1,000,000), runs (3); {@code --json FILE}.
 */
public final class IntelBenchmark {

    private static final Instant T = Instant.parse("2026-01-10T10:00:00Z");

    private IntelBenchmark() {}

    public static void main(String[] argv) throws Exception {
        List<String> args = BenchJson.mutable(argv);
        java.nio.file.Path json = BenchJson.jsonPath(args);
        int n = args.size() > 0 ? Integer.parseInt(args.get(0)) : 1_000_000;
        int events = args.size() > 1 ? Integer.parseInt(args.get(1)) : 1_000_000;
        int runs = args.size() > 2 ? Integer.parseInt(args.get(2)) : 3;
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();

        // the events first: they stay held through both heap measurements
        List<SecurityEvent> mix = events(Math.min(events, 200_000), n);
        byte[] csv = csv(n);
        long csvBytes = csv.length;
        long t0 = System.nanoTime();
        FeedResult feed = IndicatorFeeds.read("csv", csv, "bench");
        long t1 = System.nanoTime();
        IntelIndex index = IntelIndex.of(feed.indicators());
        long t2 = System.nanoTime();
        int refused = feed.refused();
        int size = index.size();
        int tuples = index.metadataCount();
        long arrayBytes = index.arrayBytes();
        feed = null;
        csv = null;
        long held = usedAfterGc(memory);

        IntelPart part = new IntelPart(Map.of("bench", index));
        double[] loaded = rate(new Enricher(List.of(part)), mix, events, runs);
        long matched = 0;
        for (SecurityEvent e : mix) {
            Map<String, String> f = new java.util.TreeMap<>();
            part.enrich(e, f);
            matched += f.containsKey(IntelFields.MATCHED_ATOMIC) ? 1 : 0;
        }
        part = null;
        index = null;
        long released = usedAfterGc(memory);
        long retained = held - released;
        double[] empty = rate(new Enricher(List.of(new IntelPart(Map.of()))), mix, events, runs);

        ObjectNode r = BenchJson.object();
        r.set("machine", BenchJson.machine());
        r.put("indicators", size);
        r.put("metadata_tuples", tuples);
        r.put("refused", refused);
        r.put("csv_bytes", csvBytes);
        r.put("parse_ms", (t1 - t0) / 1_000_000);
        r.put("index_ms", (t2 - t1) / 1_000_000);
        r.put("load_ms", (t2 - t0) / 1_000_000);
        r.put("array_bytes_per_indicator", Math.round((double) arrayBytes / size * 10) / 10.0);
        r.put("retained_bytes_per_indicator", Math.round((double) retained / size * 10) / 10.0);
        r.put("event_mix_matched_fraction", Math.round(1000.0 * matched / mix.size()) / 1000.0);
        r.set("enrich_eps_loaded", BenchJson.stats(loaded));
        r.set("enrich_eps_empty", BenchJson.stats(empty));
        System.out.println(io.vigil.model.EcsJson.toJson(r));
        BenchJson.write(json, r);
    }

    private static long usedAfterGc(MemoryMXBean memory) throws InterruptedException {
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return memory.getHeapMemoryUsage().getUsed();
    }

    private static double[] rate(Enricher enricher, List<SecurityEvent> mix, int events, int runs) {
        long sink = 0;
        // warm up
        for (SecurityEvent e : mix) {
            sink += enricher.enrich(e).fields().size();
        }
        double[] r = new double[runs];
        for (int run = 0; run < runs; run++) {
            long start = System.nanoTime();
            for (int i = 0; i < events; i++) {
                sink += enricher.enrich(mix.get(i % mix.size())).fields().size();
            }
            r[run] = events / ((System.nanoTime() - start) / 1e9);
        }
        if (sink == 42) {
            System.out.println();
        }
        return r;
    }

    /** Indicator i's value: 40% IPv4, 10% IPv6, 5% CIDR, 25% domains, 10% URLs, 10% hashes. */
    static String[] indicator(int i) {
        int kind = i % 20;
        if (kind < 8) {
            return new String[] {"ipv4-addr", ipv4(i)};
        } else if (kind < 10) {
            return new String[] {"ipv6-addr", "2001:db8:" + Integer.toHexString(i >>> 16) + ":" + Integer.toHexString(i & 0xffff) + "::1"};
        } else if (kind < 11) {
            return new String[] {"cidr", (100 + i % 50) + "." + (i >>> 8 & 0xff) + "." + (i & 0xff) + ".0/24"};
        } else if (kind < 16) {
            return new String[] {"domain-name", "h" + Integer.toString(i, 36) + ".bad-" + (i % 97) + ".example"};
        } else if (kind < 18) {
            return new String[] {"url", "http://d" + Integer.toString(i, 36) + ".example/gate.php?id=" + i};
        }
        return new String[] {i % 3 == 0 ? "md5" : i % 3 == 1 ? "sha1" : "sha256", hash(i, i % 3 == 0 ? 32 : i % 3 == 1 ? 40 : 64)};
    }

    private static String ipv4(int i) {
        int v = (int) (i * 2654435761L); // spread over the address space
        return (1 + ((v >>> 24) & 0x7f)) + "." + ((v >>> 16) & 0xff) + "." + ((v >>> 8) & 0xff) + "." + (v & 0xff);
    }

    private static String hash(int i, int digits) {
        StringBuilder s = new StringBuilder(digits);
        SplittableRandom r = new SplittableRandom(i);
        while (s.length() < digits) {
            s.append(Character.forDigit(r.nextInt(16), 16));
        }
        return s.toString();
    }

    /** The feed as CSV: 12 providers × 9 confidences × 3 validities, as a few real feeds mixed would hold. */
    static byte[] csv(int n) {
        StringBuilder b = new StringBuilder(n * 60);
        b.append("type,value,confidence,valid_from,valid_until,description,provider\n");
        for (int i = 0; i < n; i++) {
            String[] v = indicator(i);
            b.append(v[0]).append(',').append(v[1]).append(',').append(10 + (i % 9) * 10).append(',')
                    .append("2026-01-0").append(1 + i % 3).append("T00:00:00Z,,")
                    .append(i % 2 == 0 ? "scanner" : "c2").append(",provider-").append(i % 12).append('\n');
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** sshd, web, DNS and Sysmon events in turn; one of each in 50 carries a value of the feed. */
    static List<SecurityEvent> events(int count, int indicators) {
        List<SecurityEvent> out = new ArrayList<>(count);
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < count; i++) {
            boolean hit = i / 4 % 50 == 0;
            // an indicator's number of the wanted kind (indicator(i) picks the kind by i % 20)
            int ind = r.nextInt(Math.max(1, indicators - 20));
            SecurityEvent.Builder b = SecurityEvent.builder().timestamp(T.plusSeconds(i))
                    .origin(Origin.file("bench.log", i)).hostName("host-" + (i % 20));
            switch (i % 4) {
                case 0 -> b.sourceIp(hit ? ipv4(ind - ind % 20) : "10." + r.nextInt(256) + "." + r.nextInt(256) + ".7")
                        .userName("root").eventAction("ssh_login").eventOutcome("failure");
                case 1 -> b.sourceIp("192.168." + r.nextInt(256) + "." + r.nextInt(256))
                        .urlOriginal(hit ? indicator(ind - ind % 20 + 16)[1] : "http://shop.example/item?id=" + r.nextInt())
                        .urlDomain(hit ? null : "shop.example").httpResponseStatusCode(200);
                case 2 -> b.sourceIp("10.0.0." + r.nextInt(256)).field("dns.question.name",
                        hit ? "www." + indicator(ind - ind % 20 + 11)[1] : "www.site" + r.nextInt(10_000) + ".example");
                default -> b.field("winlog.event_data.Hashes", "SHA1=" + hash(r.nextInt(), 40).toUpperCase() + ",MD5="
                        + (hit ? indicator(ind - ind % 20 + 18)[1] : hash(r.nextInt(), 32)).toUpperCase()
                        + ",SHA256=" + hash(r.nextInt(), 64).toUpperCase() + ",IMPHASH=" + hash(r.nextInt(), 32).toUpperCase());
            }
            out.add(b.build());
        }
        return out;
    }
}
