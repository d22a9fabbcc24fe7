package io.vigil.simulate;

import static io.vigil.simulate.RecordShapes.jsonString;
import static io.vigil.simulate.RecordShapes.syslog;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Valid logs of every format with hostile and faulty records mixed in, for the hostile-input suite
 * (the tests and {@code ./vigil bench --only hostile}). The same seed gives the same records.
 *
 * <p>The valid part is the attack scenarios of {@link ScenarioGenerator} (sshd and auth.log, Windows
 * Security, access logs) plus CloudTrail, Zeek (TSV and JSON) and ECS records made here. The hostile
 * part is one {@link Kind} per way input has hurt log pipelines: random bytes, invalid UTF-8, NUL
 * bytes, megabyte lines, JSON nested ten thousand deep or with a hundred thousand keys, input shaped
 * against each rule's patterns, forged times, {@code message repeated 10000 times}, 100 KB user
 * names, control characters in names, invalid addresses in address fields, invented field names,
 * alert floods and times ahead of the record's ingest time.
 *
 * <p>Hostile records use entities of their own (addresses in 198.18.0.0/15, host {@value #HOST},
 * users starting with {@value #USER_PREFIX}), so the alerts raised by the valid records can be
 * compared with a run without the hostile ones ({@link #isHostileEntity}). Records are in the order
 * of their ingest times (the Kafka timestamps of a stream): a hostile record arrives at a time inside
 * the valid traffic, whatever time it claims; the alert flood comes ten minutes after it.
 */
public final class HostileCorpus {

    /** What a record is. */
    public enum Kind {
        VALID,
        RANDOM_BYTES,
        INVALID_UTF8,
        NUL_BYTES,
        MEGABYTE_LINE,
        DEEP_JSON,
        WIDE_JSON,
        PATTERN_ATTACK,
        FORGED_TIME,
        MESSAGE_REPEATED,
        HUGE_USER_NAME,
        CONTROL_CHARACTERS,
        INVALID_ADDRESS,
        INVENTED_FIELDS,
        ALERT_FLOOD,
        FUTURE_TIME;

        /** The name used in reports: {@code random-bytes}. */
        public String id() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** The formats of the corpus, in the order of {@link #FILES}. */
    public static final String SYSLOG = "syslog";
    public static final String WINDOWS = "windows";
    public static final String ACCESS = "access";
    public static final String CLOUDTRAIL = "cloudtrail";
    public static final String ZEEK = "zeek";
    public static final String ZEEK_JSON = "zeek-json";
    public static final String ECS = "ecs";

    /** The file of each format in a replay directory; {@value #ZEEK_JSON} is the {@code zeek} format too. */
    public static final Map<String, String> FILES = orderedFiles();

    /** The Vigil format that decodes records of corpus format {@code format} ({@value #ZEEK_JSON} is {@code zeek}). */
    public static String vigilFormat(String format) {
        if (!FILES.containsKey(format)) {
            throw new IllegalArgumentException("no corpus format " + format + "; one of " + FILES.keySet());
        }
        return format.equals(ZEEK_JSON) ? ZEEK : format;
    }

    /** The Zeek TSV header of the corpus's conn rows (a file starts with it; a Kafka topic is given it). */
    public static final String ZEEK_CONN_HEADER = String.join("\n",
            "#separator \\x09",
            "#set_separator\t,",
            "#empty_field\t(empty)",
            "#unset_field\t-",
            "#path\tconn",
            "#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tduration\torig_bytes"
                    + "\tresp_bytes\tconn_state",
            "#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tinterval\tcount\tcount\tstring");

    /** How many source addresses hostile records (but the flood) come from. */
    public static final int ATTACKERS = 20;

    /** The host name of hostile records. */
    public static final String HOST = "hostile-host";
    /** User names of hostile records start with this. */
    public static final String USER_PREFIX = "h-";

    /**
     * One record.
     *
     * @param kind what it is
     * @param format its format (a key of {@link #FILES})
     * @param time the event time it claims (for hostile records possibly forged or absent)
     * @param ingest when it reaches Vigil: the Kafka record timestamp in a stream
     * @param bytes the record, without a line terminator
     */
    public record Item(Kind kind, String format, Instant time, Instant ingest, byte[] bytes) {
        public Item {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(format, "format");
            Objects.requireNonNull(time, "time");
            Objects.requireNonNull(ingest, "ingest");
            Objects.requireNonNull(bytes, "bytes");
        }

        public boolean hostile() {
            return kind != Kind.VALID;
        }
    }

    private static final DateTimeFormatter ISO =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final String USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64)";

    private final SplittableRandom random;
    private final Instant start;
    private final int validRecords;
    private final int hostilePerKind;
    private final List<Item> valid = new ArrayList<>();
    private final List<Item> mixed = new ArrayList<>();
    private final Map<Kind, Integer> counts = new EnumMap<>(Kind.class);
    private Instant validEnd;
    private int hostileHosts;

    /**
     * @param seed the seed of every choice
     * @param start the event time of the first valid record
     * @param validRecords how many valid records (at least 1000)
     * @param hostilePerKind about how many records of each hostile kind (the megabyte kinds and the
     *     alert flood have sizes of their own; at least 1)
     */
    public HostileCorpus(long seed, Instant start, int validRecords, int hostilePerKind) {
        if (validRecords < 1000) {
            throw new IllegalArgumentException("validRecords must be at least 1000, got " + validRecords);
        }
        if (hostilePerKind < 1) {
            throw new IllegalArgumentException("hostilePerKind must be at least 1, got " + hostilePerKind);
        }
        this.random = new SplittableRandom(seed);
        this.start = Objects.requireNonNull(start, "start");
        this.validRecords = validRecords;
        this.hostilePerKind = hostilePerKind;
        generate(seed);
    }

    /** Valid and hostile records, interleaved. */
    public List<Item> mixed() {
        return Collections.unmodifiableList(mixed);
    }

    /** The valid records alone, in the same order as in {@link #mixed()}. */
    public List<Item> validOnly() {
        return Collections.unmodifiableList(valid);
    }

    /** Records of each kind in {@link #mixed()}. */
    public Map<Kind, Integer> counts() {
        return Collections.unmodifiableMap(counts);
    }

    /** The event time after the last valid record. */
    public Instant validEnd() {
        return validEnd;
    }

    /**
     * Whether an alert's group key or entity value belongs to a hostile record: a 198.18.0.0/15
     * address, the hostile host, a hostile user name (or one carrying control characters or NULs).
     */
    public static boolean isHostileEntity(String value) {
        if (value == null) {
            return false;
        }
        return value.startsWith("198.18.") || value.startsWith("198.19.") || value.contains(HOST)
                || value.startsWith(USER_PREFIX) || value.length() > 256
                || value.chars().anyMatch(c -> c < 0x20 || c == 0x7f || c == 0xfffd);
    }

    /**
     * Writes {@code items} into {@code dir}, one file per format ({@link #FILES}), one record a line:
     * the Zeek TSV file starts with {@link #ZEEK_CONN_HEADER}, each file's first record is a valid one
     * (so a replay detects its format), and each file's modification time is its last valid record's
     * time (so a replay places year-less syslog times). Returns the files written.
     */
    public static List<java.nio.file.Path> writeFiles(java.nio.file.Path dir, List<Item> items)
            throws java.io.IOException {
        java.nio.file.Files.createDirectories(dir);
        Map<String, java.io.OutputStream> out = new LinkedHashMap<>();
        Map<String, List<Item>> waiting = new LinkedHashMap<>();
        Map<String, Instant> last = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, String> f : FILES.entrySet()) {
                java.io.OutputStream s = new java.io.BufferedOutputStream(
                        java.nio.file.Files.newOutputStream(dir.resolve(f.getValue())), 1 << 16);
                out.put(f.getKey(), s);
                waiting.put(f.getKey(), new ArrayList<>());
                if (f.getKey().equals(ZEEK)) {
                    s.write((ZEEK_CONN_HEADER + "\n").getBytes(StandardCharsets.UTF_8));
                }
            }
            for (Item item : items) {
                java.io.OutputStream s = out.get(item.format());
                if (s == null) {
                    throw new IllegalArgumentException("no file for format " + item.format());
                }
                if (!item.hostile()) {
                    last.put(item.format(), item.time());
                    for (Item held : waiting.get(item.format())) {
                        writeLine(s, held);
                    }
                    waiting.get(item.format()).clear();
                    writeLine(s, item);
                } else if (!last.containsKey(item.format())) {
                    waiting.get(item.format()).add(item); // until the file's first valid record
                } else {
                    writeLine(s, item);
                }
            }
            for (Map.Entry<String, List<Item>> w : waiting.entrySet()) {
                for (Item held : w.getValue()) {
                    writeLine(out.get(w.getKey()), held);
                }
            }
        } finally {
            for (java.io.OutputStream s : out.values()) {
                s.close();
            }
        }
        List<java.nio.file.Path> files = new ArrayList<>();
        for (Map.Entry<String, String> f : FILES.entrySet()) {
            java.nio.file.Path p = dir.resolve(f.getValue());
            Instant t = last.get(f.getKey());
            if (t != null) {
                java.nio.file.Files.setLastModifiedTime(p, java.nio.file.attribute.FileTime.from(t));
            }
            files.add(p);
        }
        return files;
    }

    private static void writeLine(java.io.OutputStream s, Item item) throws java.io.IOException {
        s.write(item.bytes());
        s.write('\n');
    }

    /** The entity fields of an alert document that can hold a hostile record's entity. */
    private static final List<String> ALERT_ENTITIES = List.of("/source/ip", "/source/domain", "/destination/ip",
            "/user/name", "/user/domain", "/user/target/name", "/host/name", "/cloud/account/id",
            "/vigil/alert/group_key");

    /**
     * What identifies an alert document raised by valid records, whatever else was in the input: its
     * rule, group key, time and event count ({@code rule|key|time|count}); {@code null} for an alert of
     * hostile records (an entity or group key of theirs, {@link #isHostileEntity}) or a mass-activity
     * alert. Origins are left out: they name lines and offsets, which hostile records shift.
     */
    public static String validAlertSignature(com.fasterxml.jackson.databind.JsonNode alert) {
        if (alert.at("/vigil/alert/mass_activity").isObject()) {
            return null;
        }
        for (String pointer : ALERT_ENTITIES) {
            com.fasterxml.jackson.databind.JsonNode v = alert.at(pointer);
            if (v.isTextual() && isHostileEntity(v.asText())) {
                return null;
            }
        }
        return alert.at("/rule/id").asText() + "|" + alert.at("/vigil/alert/group_key").asText() + "|"
                + alert.path("@timestamp").asText() + "|" + alert.at("/vigil/alert/count").asLong();
    }

    // ---------------------------------------------------------------- generation

    private void generate(long seed) {
        ScenarioGenerator scenarios = new ScenarioGenerator(seed, start, 200, 400);
        Duration rateStep = Duration.ofMillis(5);
        int other = validRecords / 10; // cloudtrail, zeek and ecs records: a tenth of the valid ones
        int fromScenarios = validRecords - other;
        List<Item> generated = new ArrayList<>(validRecords);
        for (int i = 0; i < fromScenarios; i++) {
            GeneratedRecord r = scenarios.next();
            generated.add(new Item(Kind.VALID, r.format(), r.time(), r.time(), r.bytes()));
        }
        Instant end = scenarios.nextTime();
        for (int i = 0; i < other; i++) {
            Instant t = start.plus(rateStep.multipliedBy((long) i * fromScenarios / Math.max(1, other)));
            generated.add(otherValid(i, t));
        }
        generated.sort((a, b) -> a.time().compareTo(b.time()));
        validEnd = end.plusSeconds(1);
        valid.addAll(generated);

        // hostile records go between valid ones in the order of their ingest times, as they would reach
        // a stream; the flood comes after the valid traffic, in time as in place
        List<Item> hostile = new ArrayList<>(hostileRecords());
        List<Item> flood = new ArrayList<>();
        hostile.removeIf(x -> x.kind() == Kind.ALERT_FLOOD && flood.add(x));
        hostile.sort((a, b) -> a.ingest().compareTo(b.ingest()));
        int h = 0;
        for (Item v : valid) {
            while (h < hostile.size() && hostile.get(h).ingest().isBefore(v.ingest())) {
                add(hostile.get(h++));
            }
            add(v);
        }
        while (h < hostile.size()) {
            add(hostile.get(h++));
        }
        flood.forEach(this::add);
    }

    private void add(Item item) {
        mixed.add(item);
        counts.merge(item.kind(), 1, Integer::sum);
    }

    /** A valid CloudTrail, Zeek or ECS record at {@code t}. */
    private Item otherValid(int i, Instant t) {
        String ip = "10.0.3." + (10 + i % 40);
        return switch (i % 4) {
            case 0 -> item(Kind.VALID, CLOUDTRAIL, t, cloudTrail(t, "arn:aws:iam::123456789012:user/ops",
                    "IAMUser", "GetObject", "s3.amazonaws.com", ip, "aws-cli/2.15.0 Python/3.11"));
            case 1 -> item(Kind.VALID, ZEEK, t, zeekConn(t, "C" + i, ip, "10.0.0.53", 53, "udp", "dns"));
            case 2 -> item(Kind.VALID, ZEEK_JSON, t, zeekJson(t, "CJ" + i, ip, "10.0.0.80", 80, "tcp", "http"));
            default -> item(Kind.VALID, ECS, t, "{\"@timestamp\":\"" + ISO.format(t) + "\",\"event\":{\"kind\":\"event\","
                    + "\"category\":[\"network\"],\"action\":\"flow\"},\"source\":{\"ip\":\"" + ip + "\"},"
                    + "\"destination\":{\"ip\":\"10.0.0.1\",\"port\":443},\"host\":{\"name\":\"gw01\"}}");
        };
    }

    /** The hostile records, each with a time inside the valid traffic (or forged). */
    private List<Item> hostileRecords() {
        List<Item> out = new ArrayList<>();
        long spanMs = Math.max(1, Duration.between(start, validEnd).toMillis());
        int n = hostilePerKind;
        for (int i = 0; i < n; i++) {
            Instant t = start.plusMillis(random.nextLong(spanMs));
            out.add(randomBytes(t, i));
            out.add(invalidUtf8(t, i));
            out.add(nulBytes(t, i));
            out.add(deepJson(t, i));
            out.add(patternAttack(t, i));
            out.add(forgedTime(t, i));
            out.add(controlCharacters(t, i));
            out.add(invalidAddress(t, i));
            out.add(futureTime(t, i));
            if (i % 10 == 0) {
                out.add(wideJson(t, i));
                out.add(hugeUserName(t, i));
                out.add(inventedFields(t, i));
            }
            if (i % 100 == 0) {
                out.add(messageRepeated(t, i));
            }
        }
        // a few records of a megabyte, of three formats
        for (int i = 0; i < 3; i++) {
            Instant t = start.plusMillis(random.nextLong(spanMs));
            out.add(megabyteLine(t, i));
        }
        // one rule raising alerts for thousands of new keys within a minute, after the valid traffic
        Instant flood = validEnd.plus(Duration.ofMinutes(10));
        for (int i = 0; i < 3_000; i++) {
            Instant t = flood.plusMillis(i * 10L);
            out.add(item(Kind.ALERT_FLOOD, ACCESS, t, access(t, floodSource(i), "GET",
                    "/item?id=1%27%20UNION%20SELECT%20password%20FROM%20users--", 200, 512, USER_AGENT)));
        }
        return out;
    }

    private Item randomBytes(Instant t, int i) {
        String[] formats = FILES.keySet().toArray(String[]::new);
        String format = formats[i % formats.length];
        byte[] b = new byte[1 + random.nextInt(2_000)];
        for (int k = 0; k < b.length; k++) {
            int v;
            do {
                v = random.nextInt(256);
            } while (v == '\n' || v == '\r'); // a file line stays one record
            b[k] = (byte) v;
        }
        if (format.equals(ZEEK) || format.equals(ZEEK_JSON)) {
            b[0] = 'x'; // not a '#' header line nor a '{': one record either way
        }
        return new Item(Kind.RANDOM_BYTES, format, t, t, b);
    }

    private Item invalidUtf8(Instant t, int i) {
        byte[] bad = {(byte) 0xC3, (byte) 0x28, (byte) 0xFF, (byte) 0xFE, (byte) 0xED, (byte) 0xA0, (byte) 0x80};
        String user = USER_PREFIX + "utf" + i;
        String line = switch (i % 3) {
            case 0 -> syslog(t, HOST, "sshd[" + (1000 + i) + "]", "Failed password for " + user + "@@ from "
                    + attacker(i) + " port 22 ssh2");
            case 1 -> access(t, attacker(i), "GET", "/p@@" + i, 404, 0, USER_AGENT);
            default -> windows(t, 4625, user + "@@", attacker(i));
        };
        String format = i % 3 == 0 ? SYSLOG : i % 3 == 1 ? ACCESS : WINDOWS;
        return new Item(Kind.INVALID_UTF8, format, t, t, splice(line, "@@", bad));
    }

    private Item nulBytes(Instant t, int i) {
        String user = USER_PREFIX + "nul" + i;
        String line = i % 2 == 0
                ? syslog(t, HOST, "sshd[" + (2000 + i) + "]", "Failed password for " + user + "@@x from "
                        + attacker(i) + " port 22 ssh2")
                : access(t, attacker(i), "GET", "/index.php?f=@@/etc/passwd", 200, 10, USER_AGENT);
        return new Item(Kind.NUL_BYTES, i % 2 == 0 ? SYSLOG : ACCESS, t, t, splice(line, "@@", new byte[] {0, 0, 0}));
    }

    private Item megabyteLine(Instant t, int i) {
        int size = 1 << 20;
        return switch (i % 3) {
            case 0 -> item(Kind.MEGABYTE_LINE, ACCESS, t, access(t, attacker(i), "GET", "/" + "a".repeat(size), 414,
                    0, USER_AGENT));
            case 1 -> item(Kind.MEGABYTE_LINE, SYSLOG, t, syslog(t, HOST, "sshd[1]", "Failed password for "
                    + USER_PREFIX + "x".repeat(size) + " from " + attacker(i) + " port 22 ssh2"));
            default -> item(Kind.MEGABYTE_LINE, ECS, t, "{\"@timestamp\":\"" + ISO.format(t) + "\",\"message\":\""
                    + "m".repeat(size) + "\"}");
        };
    }

    private Item deepJson(Instant t, int i) {
        int depth = 10_000;
        String format = switch (i % 3) {
            case 0 -> WINDOWS;
            case 1 -> CLOUDTRAIL;
            default -> ECS;
        };
        StringBuilder b = new StringBuilder(depth * 6 + 64);
        b.append("{\"@timestamp\":\"").append(ISO.format(t)).append("\",\"a\":");
        if (i % 2 == 0) {
            b.append("{\"a\":".repeat(depth)).append("1").append("}".repeat(depth));
        } else {
            b.append("[".repeat(depth)).append("1").append("]".repeat(depth));
        }
        b.append('}');
        return item(Kind.DEEP_JSON, format, t, b.toString());
    }

    private Item wideJson(Instant t, int i) {
        // 100k keys is over a megabyte (cut at the record limit); 4k keys fits and is parsed
        int keys = i % 20 == 0 ? 100_000 : 4_000;
        StringBuilder b = new StringBuilder(keys * 12 + 64);
        b.append("{\"@timestamp\":\"").append(ISO.format(t)).append('"');
        for (int k = 0; k < keys; k++) {
            b.append(",\"k").append(k).append("\":").append(k);
        }
        b.append('}');
        return item(Kind.WIDE_JSON, i % 2 == 0 ? ECS : WINDOWS, t, b.toString());
    }

    /** Input shaped against the rules' regular expressions (catastrophic backtracking, deep recursion). */
    private Item patternAttack(Instant t, int i) {
        String ip = attacker(i);
        return switch (i % 9) {
            case 0 -> item(Kind.PATTERN_ATTACK, ACCESS, t, access(t, ip, "GET", "/index.php?q=union" + "+".repeat(8_000)
                    + "x", 200, 10, USER_AGENT));
            case 1 -> item(Kind.PATTERN_ATTACK, ACCESS, t, access(t, ip, "GET", "/q?u=union/*" + "*/".repeat(3_000)
                    + "x", 200, 10, USER_AGENT));
            case 2 -> item(Kind.PATTERN_ATTACK, ACCESS, t, access(t, ip, "GET", "/f?p=" + "..%2f".repeat(4_000) + "x",
                    404, 10, USER_AGENT));
            case 3 -> item(Kind.PATTERN_ATTACK, ACCESS, t, access(t, ip, "GET", "/s?q=%27" + "%20or%20%27a".repeat(2_000)
                    + "%3C" + "svg%20a%3D1".repeat(1_000), 200, 10, USER_AGENT));
            case 4 -> item(Kind.PATTERN_ATTACK, SYSLOG, t, syslog(t, HOST, "sudo", USER_PREFIX + "s" + i
                    + " : TTY=pts/0 ; PWD=/tmp ; USER=root ; COMMAND=/bin/bash" + " -".repeat(8_000) + "x"));
            case 5 -> item(Kind.PATTERN_ATTACK, SYSLOG, t, syslog(t, HOST, "sudo", USER_PREFIX + "p" + i
                    + " : TTY=pts/0 ; PWD=/tmp ; USER=root ; COMMAND=/usr/bin/python3 -c '" + "exec( ".repeat(3_000)
                    + "'"));
            case 6 -> item(Kind.PATTERN_ATTACK, CLOUDTRAIL, t, cloudTrail(t, "arn:aws:sts::" + "1".repeat(20_000)
                    + ":assumed-role/r/i-" + "0".repeat(20_000), "AssumedRole", "GetObject", "s3.amazonaws.com", ip,
                    "aws-cli/2.15.0"));
            case 7 -> item(Kind.PATTERN_ATTACK, WINDOWS, t, windowsEventData(t, 4769, Map.of(
                    "TargetUserName", USER_PREFIX + "k" + i, "ServiceName", "svc-" + i,
                    "TicketEncryptionType", "0x" + "0".repeat(20_000) + "x", "Status", "0x" + "0".repeat(20_000) + "1",
                    "IpAddress", "::ffff:" + ip)));
            default -> item(Kind.PATTERN_ATTACK, WINDOWS, t, windowsEventData(t, 4719, Map.of(
                    "SubjectUserName", USER_PREFIX + "a" + i, "AuditPolicyChanges", "%%84".repeat(10_000) + "4")));
        };
    }

    private Item forgedTime(Instant t, int i) {
        Instant[] forged = {Instant.parse("0001-01-01T00:00:00Z"), Instant.parse("2099-12-31T23:59:59Z"),
                Instant.parse("1970-01-01T00:00:00Z"), t.minus(Duration.ofDays(400)), t.plus(Duration.ofDays(3))};
        Instant f = forged[i % forged.length];
        String ip = attacker(i);
        Item made = switch (i % 4) {
            case 0 -> item(Kind.FORGED_TIME, ACCESS, t, access(f, ip, "GET", "/forged" + i, 200, 10, USER_AGENT));
            case 1 -> item(Kind.FORGED_TIME, ECS, t, "{\"@timestamp\":\"" + ISO.format(f) + "\",\"event\":{\"action\":"
                    + "\"forged\"},\"source\":{\"ip\":\"" + ip + "\"},\"host\":{\"name\":\"" + HOST + "\"}}");
            case 2 -> item(Kind.FORGED_TIME, CLOUDTRAIL, t, cloudTrail(f, "arn:aws:iam::123456789012:user/" + USER_PREFIX
                    + i, "IAMUser", "ListBuckets", "s3.amazonaws.com", ip, "aws-cli/2.15.0"));
            default -> item(Kind.FORGED_TIME, WINDOWS, t, windows(f, 4625, USER_PREFIX + "t" + i, ip));
        };
        // it claims the forged time and arrives at t
        return new Item(made.kind(), made.format(), f, t, made.bytes());
    }

    private Item messageRepeated(Instant t, int i) {
        return item(Kind.MESSAGE_REPEATED, SYSLOG, t, syslog(t, HOST, "sshd[3000]", "message repeated 10000 times: "
                + "[ Failed password for root from " + attacker(i) + " port 22 ssh2]"));
    }

    private Item hugeUserName(Instant t, int i) {
        // 100 KB: over the record limit; 40 KB: decoded, a user name far beyond any real one
        int size = i % 20 == 0 ? 100 * 1024 : 40 * 1024;
        String user = USER_PREFIX + "u".repeat(size);
        return item(Kind.HUGE_USER_NAME, SYSLOG, t, syslog(t, HOST, "sshd[" + (4000 + i) + "]", "Failed password for "
                + user + " from " + attacker(i) + " port 22 ssh2"));
    }

    private Item controlCharacters(Instant t, int i) {
        String[] names = {"\r12:00:00.000 INFO  Fake - all clear", "\u001b[2J\u001b[H", "\u001b]0;owned\u0007",
                "evil\u202egnp.exe", "\u009b31mred", "tab\tbell\u0007"};
        String user = USER_PREFIX + names[i % names.length];
        String ip = attacker(i);
        return switch (i % 3) {
            case 0 -> item(Kind.CONTROL_CHARACTERS, SYSLOG, t, syslog(t, HOST, "sshd[" + (5000 + i) + "]",
                    "Failed password for " + user + " from " + ip + " port 22 ssh2"));
            // in JSON a line feed can be written escaped and arrives in the value
            case 1 -> item(Kind.CONTROL_CHARACTERS, WINDOWS, t, windows(t, 4625, user + "\n" + user, ip));
            default -> item(Kind.CONTROL_CHARACTERS, ECS, t, "{\"@timestamp\":\"" + ISO.format(t) + "\",\"user\":"
                    + "{\"name\":" + jsonString(user + "\n2024-01-01 fake line") + "},\"source\":{\"ip\":\"" + ip
                    + "\"},\"host\":{\"name\":\"" + HOST + "\"}}");
        };
    }

    private Item invalidAddress(Instant t, int i) {
        String[] bad = {"999.1.2.3", "not-an-address", "::zz::1", "<script>alert(1)</script>", "1.2.3.4.5",
                "fe80::1%eth0;rm -rf /", ""};
        String addr = bad[i % bad.length];
        return switch (i % 2) {
            case 0 -> item(Kind.INVALID_ADDRESS, ECS, t, "{\"@timestamp\":\"" + ISO.format(t) + "\",\"source\":{\"ip\":"
                    + jsonString(addr) + "},\"destination\":{\"ip\":" + jsonString(addr) + "},\"related\":{\"ip\":["
                    + jsonString(addr) + "]},\"user\":{\"name\":\"" + USER_PREFIX + "ip" + i + "\"},\"host\":{\"name\":\""
                    + HOST + "\"}}");
            default -> item(Kind.INVALID_ADDRESS, WINDOWS, t, windows(t, 4625, USER_PREFIX + "ip" + i, addr));
        };
    }

    private Item inventedFields(Instant t, int i) {
        StringBuilder b = new StringBuilder(64 * 1024);
        b.append("{\"@timestamp\":\"").append(ISO.format(t)).append("\",\"host\":{\"name\":\"").append(HOST)
                .append("\"},\"user\":{");
        for (int k = 0; k < 2_000; k++) {
            b.append(k == 0 ? "" : ",").append("\"f").append(i).append('_').append(k).append("\":\"v\"");
        }
        b.append("}}");
        return item(Kind.INVENTED_FIELDS, ECS, t, b.toString());
    }

    /** A valid record whose event time is an hour after its ingest time (a forged clock, or a skewed one). */
    private Item futureTime(Instant t, int i) {
        Instant ahead = t.plus(Duration.ofHours(1));
        String ip = attacker(i);
        byte[] bytes = (i % 2 == 0
                ? access(ahead, ip, "GET", "/ahead" + i, 200, 10, USER_AGENT)
                : "{\"@timestamp\":\"" + ISO.format(ahead) + "\",\"event\":{\"action\":\"ahead\"},\"source\":{\"ip\":\""
                        + ip + "\"},\"host\":{\"name\":\"" + HOST + "\"}}").getBytes(StandardCharsets.UTF_8);
        return new Item(Kind.FUTURE_TIME, i % 2 == 0 ? ACCESS : ECS, ahead, t, bytes);
    }

    // ---------------------------------------------------------------- record shapes

    private static Item item(Kind kind, String format, Instant t, String text) {
        return new Item(kind, format, t, t, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The source of hostile record {@code i}: one of {@value #ATTACKERS} addresses, so that hostile records
     * raise a few alerts per rule and minute, far below the mass-activity limit, and never crowd the
     * valid records' alerts out.
     */
    private static String attacker(int i) {
        return "198.18.0." + (1 + Math.floorMod(i, ATTACKERS));
    }

    /** The sources of the alert flood: a new address for every record, from 198.19.0.0/16. */
    private static String floodSource(int i) {
        return "198.19." + ((i / 250) % 256) + "." + (1 + i % 250);
    }

    private static String access(Instant t, String ip, String method, String target, int status, long bytes,
                                 String userAgent) {
        return RecordShapes.access(t, ip, method, target, status, bytes, "-", userAgent);
    }

    private static String windows(Instant t, int id, String user, String ip) {
        Map<String, String> data = new LinkedHashMap<>();
        data.put("TargetUserName", user);
        data.put("TargetDomainName", "HOSTILE");
        data.put("LogonType", "3");
        data.put("IpAddress", ip);
        data.put("IpPort", "4444");
        data.put("Status", "0xc000006d");
        return windowsEventData(t, id, data);
    }

    /** A Winlogbeat-shaped Security event. */
    private static String windowsEventData(Instant t, int id, Map<String, String> data) {
        StringBuilder b = new StringBuilder(256);
        b.append("{\"@timestamp\":\"").append(iso(t)).append("\",\"winlog\":{\"channel\":\"Security\",")
                .append("\"provider_name\":\"Microsoft-Windows-Security-Auditing\",\"event_id\":").append(id)
                .append(",\"computer_name\":\"").append(HOST).append("\",\"event_data\":{");
        boolean first = true;
        for (Map.Entry<String, String> e : data.entrySet()) {
            b.append(first ? "" : ",").append(jsonString(e.getKey())).append(':').append(jsonString(e.getValue()));
            first = false;
        }
        return b.append("}}}").toString();
    }

    private static String cloudTrail(Instant t, String arn, String type, String eventName, String source, String ip,
                                     String userAgent) {
        return "{\"eventVersion\":\"1.08\",\"userIdentity\":{\"type\":" + jsonString(type) + ",\"arn\":"
                + jsonString(arn) + ",\"accountId\":\"123456789012\"},\"eventTime\":\"" + iso(t) + "\",\"eventSource\":"
                + jsonString(source) + ",\"eventName\":" + jsonString(eventName) + ",\"awsRegion\":\"us-east-1\","
                + "\"sourceIPAddress\":" + jsonString(ip) + ",\"userAgent\":" + jsonString(userAgent)
                + ",\"eventID\":\"" + Integer.toHexString(arn.hashCode() ^ t.hashCode()) + "\",\"readOnly\":true,"
                + "\"eventType\":\"AwsApiCall\",\"recipientAccountId\":\"123456789012\"}";
    }

    private static String zeekConn(Instant t, String uid, String orig, String resp, int port, String proto,
                                   String service) {
        return String.join("\t", zeekTime(t), uid, orig, "49152", resp, Integer.toString(port), proto, service,
                "0.010000", "40", "120", "SF");
    }

    private static String zeekJson(Instant t, String uid, String orig, String resp, int port, String proto,
                                   String service) {
        return "{\"conn\":{\"ts\":" + zeekTime(t) + ",\"uid\":\"" + uid + "\",\"id.orig_h\":\"" + orig
                + "\",\"id.orig_p\":49152,\"id.resp_h\":\"" + resp + "\",\"id.resp_p\":" + port + ",\"proto\":\"" + proto
                + "\",\"service\":\"" + service + "\",\"duration\":0.01,\"orig_bytes\":40,\"resp_bytes\":120,"
                + "\"conn_state\":\"SF\"}}";
    }

    private static String zeekTime(Instant t) {
        return t.getEpochSecond() + "." + String.format(Locale.ROOT, "%06d", t.getNano() / 1000);
    }

    private static String iso(Instant t) {
        try {
            return ISO.format(t);
        } catch (java.time.DateTimeException e) {
            return t.toString();
        }
    }

    /** {@code text} as UTF-8 with each {@code marker} replaced by {@code raw} bytes. */
    private static byte[] splice(String text, String marker, byte[] raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length() + raw.length);
        int from = 0;
        int at;
        while ((at = text.indexOf(marker, from)) >= 0) {
            out.writeBytes(text.substring(from, at).getBytes(StandardCharsets.UTF_8));
            out.writeBytes(raw);
            from = at + marker.length();
        }
        out.writeBytes(text.substring(from).getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private static Map<String, String> orderedFiles() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(SYSLOG, "auth.log");
        m.put(WINDOWS, "security.json");
        m.put(ACCESS, "access.log");
        m.put(CLOUDTRAIL, "cloudtrail.json");
        m.put(ZEEK, "conn.log");
        m.put(ZEEK_JSON, "zeek.json");
        m.put(ECS, "events.ndjson");
        return Collections.unmodifiableMap(m);
    }
}
