package io.vigil.jobs.config;

import static org.apache.flink.configuration.ConfigOptions.key;

import io.vigil.connectors.elasticsearch.ElasticsearchSink;
import io.vigil.formats.DecoderOptions;
import io.vigil.jobs.detect.Detection;
import io.vigil.jobs.detect.MassActivityFunction;
import io.vigil.jobs.incident.IncidentAssembler;
import io.vigil.rules.RuleEvaluator;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.ConfigOption;

/**
 * Every key of {@code vigil.yaml}, typed, with its default and what it means. Secrets are never
 * values here: an option ending in {@code -env} names the environment variable that holds one.
 * A default that code outside the configuration also needs (replay, tests, benchmarks) is a named
 * constant of the class that uses it, read here: one default per key.
 */
public final class VigilOptions {

    private VigilOptions() {}

    // ------------------------------------------------------------------ Kafka in and out
    public static final ConfigOption<String> KAFKA_BOOTSTRAP = key("kafka.bootstrap-servers").stringType()
            .noDefaultValue().withDescription("Kafka bootstrap servers, host:port[,host:port…]. Required.");
    public static final ConfigOption<Map<String, String>> KAFKA_TOPICS = key("kafka.topics").mapType()
            .defaultValue(Map.of("vigil.raw.syslog", "syslog", "vigil.raw.windows", "windows",
                    "vigil.raw.access", "access", "vigil.raw.cloudtrail", "cloudtrail", "vigil.raw.zeek", "zeek",
                    "vigil.raw.ecs", "ecs"))
            .withDescription("Raw topics to read and the format of each (topic: format).");
    public static final ConfigOption<Map<String, String>> KAFKA_ZEEK_HEADERS = key("kafka.zeek-headers").mapType()
            .defaultValue(Map.of()).withDescription("Zeek TSV over Kafka: kafka.zeek-headers.TOPIC is the header of "
                    + "the log whose rows the topic carries: a file (a Zeek log of that kind, or the '#' lines at its "
                    + "top: #separator, #fields, #path, …), or those lines inline. Zeek JSON needs none.");
    public static final ConfigOption<Map<String, String>> KAFKA_ZEEK_PATHS = key("kafka.zeek-paths").mapType()
            .defaultValue(Map.of()).withDescription("Zeek JSON over Kafka: kafka.zeek-paths.TOPIC is the log (conn, "
                    + "dns, http, …) of the topic's entries that name none themselves (neither tagged {\"conn\": {…}} "
                    + "nor with a _path).");
    public static final ConfigOption<String> KAFKA_GROUP = key("kafka.group-id").stringType().defaultValue("vigil")
            .withDescription("Consumer group; offsets are committed with checkpoints.");
    public static final ConfigOption<String> KAFKA_DEAD_LETTER_TOPIC = key("kafka.dead-letter-topic").stringType()
            .defaultValue("vigil.dead-letters").withDescription("Where records that cannot be decoded go, and "
                    + "documents Elasticsearch refuses or will not take.");
    public static final ConfigOption<String> KAFKA_ALERTS_TOPIC = key("kafka.alerts-topic").stringType()
            .defaultValue("vigil.alerts").withDescription("Alerts as JSON keyed by alert id, for other consumers; "
                    + "empty to not publish.");
    public static final ConfigOption<String> KAFKA_SECURITY_PROTOCOL = key("kafka.security-protocol").stringType()
            .defaultValue("PLAINTEXT").withDescription("PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL.");
    public static final ConfigOption<String> KAFKA_SASL_MECHANISM = key("kafka.sasl-mechanism").stringType()
            .noDefaultValue().withDescription("PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512 with SASL_*.");
    public static final ConfigOption<String> KAFKA_USERNAME = key("kafka.username").stringType().noDefaultValue()
            .withDescription("SASL user name.");
    public static final ConfigOption<String> KAFKA_PASSWORD_ENV = key("kafka.password-env").stringType()
            .defaultValue("VIGIL_KAFKA_PASSWORD").withDescription("Environment variable holding the SASL password, "
                    + "read on the JobManager and TaskManagers (docs/security.md).");
    public static final ConfigOption<String> KAFKA_PASSWORD_FILE = key("kafka.password-file").stringType()
            .noDefaultValue().withDescription("File holding the SASL password, instead of kafka.password-env: "
                    + "read on the JobManager and TaskManagers, trailing line breaks dropped.");
    public static final ConfigOption<String> KAFKA_TRUSTSTORE = key("kafka.truststore").stringType().noDefaultValue()
            .withDescription("PKCS12/JKS truststore for SSL; TLS is verified.");
    public static final ConfigOption<String> KAFKA_TRUSTSTORE_PASSWORD_ENV = key("kafka.truststore-password-env")
            .stringType().noDefaultValue().withDescription("Environment variable holding the truststore's password "
                    + "(a PKCS12 truststore written by keytool has one; without it, a JKS truststore is read "
                    + "unchecked).");
    public static final ConfigOption<String> KAFKA_TRUSTSTORE_PASSWORD_FILE = key("kafka.truststore-password-file")
            .stringType().noDefaultValue().withDescription("File holding the truststore's password, instead of "
                    + "kafka.truststore-password-env.");

    // ------------------------------------------------------------------ Elasticsearch out
    public static final ConfigOption<List<String>> ES_URLS = key("elasticsearch.urls").stringType().asList()
            .noDefaultValue().withDescription("Elasticsearch URLs (https://host:9200). Required.");
    public static final ConfigOption<String> ES_USERNAME_ENV = key("elasticsearch.username-env").stringType()
            .noDefaultValue().withDescription("Environment variable holding the basic-auth user (no auth when unset).");
    public static final ConfigOption<String> ES_PASSWORD_ENV = key("elasticsearch.password-env").stringType()
            .defaultValue("VIGIL_ES_PASSWORD").withDescription("Environment variable holding the password.");
    public static final ConfigOption<String> ES_PASSWORD_FILE = key("elasticsearch.password-file").stringType()
            .noDefaultValue().withDescription("File holding the password, instead of elasticsearch.password-env "
                    + "(the user still comes from elasticsearch.username-env).");
    public static final ConfigOption<String> ES_API_KEY_ENV = key("elasticsearch.api-key-env").stringType()
            .noDefaultValue().withDescription("Environment variable holding an API key (used instead of user and "
                    + "password).");
    public static final ConfigOption<String> ES_API_KEY_FILE = key("elasticsearch.api-key-file").stringType()
            .noDefaultValue().withDescription("File holding an API key, instead of elasticsearch.api-key-env; read "
                    + "where the client is made (the TaskManagers for the job's sinks).");
    public static final ConfigOption<String> ES_CA_CERT = key("elasticsearch.ca-cert").stringType().noDefaultValue()
            .withDescription("PEM CA certificate to trust; TLS is always verified.");
    public static final ConfigOption<Boolean> ES_WRITE_EVENTS = key("elasticsearch.write-events").booleanType()
            .defaultValue(false).withDescription("Also index every normalized event into vigil-events-*.");
    public static final ConfigOption<Integer> ES_BULK_ACTIONS = key("elasticsearch.bulk.max-actions").intType()
            .defaultValue(ElasticsearchSink.DEFAULT_MAX_ACTIONS).withDescription("Documents per bulk request at most.");
    public static final ConfigOption<Duration> ES_BULK_INTERVAL = key("elasticsearch.bulk.flush-interval")
            .durationType().defaultValue(Duration.ofMillis(100)).withDescription("A bulk request is sent at least "
                    + "this often while documents wait (and on every checkpoint).");
    public static final ConfigOption<Integer> ES_REFUSED_REQUEST_RETRIES = key("elasticsearch.refused-request-retries")
            .intType().defaultValue(ElasticsearchSink.DEFAULT_REFUSED_REQUEST_RETRIES).withDescription("Retries, with "
                    + "backoff, of a bulk request Elasticsearch refuses as a whole with a status other than 429 or 5xx "
                    + "(400, 401, 403, …) before its documents go to kafka.dead-letter-topic and the job goes on; "
                    + "429, 5xx and connection errors are retried without limit.");
    public static final ConfigOption<Integer> ES_RETRY_ON_CONFLICT = key("elasticsearch.retry-on-conflict").intType()
            .defaultValue(ElasticsearchSink.DEFAULT_RETRY_ON_CONFLICT).withDescription("retry_on_conflict of incident "
                    + "updates: how often Elasticsearch retries an update that raced another writer of the incident.");

    // ------------------------------------------------------------------ decoding and detection
    public static final ConfigOption<String> TIMEZONE = key("decoding.timezone").stringType()
            .defaultValue(DecoderOptions.DEFAULT_ZONE)
            .withDescription("Zone of timestamps that carry none (syslog, NXLog EventTime).");
    public static final ConfigOption<Integer> MAX_RECORD_BYTES = key("decoding.max-record-bytes").intType()
            .defaultValue(DecoderOptions.DEFAULT_MAX_RECORD_BYTES).withDescription("Records (Kafka record values in the streaming job) longer than this"
                    + " are dead-lettered with their first bytes; vigil replay has --max-record-bytes.");
    public static final ConfigOption<String> RULES_DIR = key("detection.rules").stringType().noDefaultValue()
            .withDescription("Directory of DRL rules to run instead of the packaged pack (trusted locations only: "
                    + "refused when it, a directory below it or a file in it is group- or world-writable).");
    public static final ConfigOption<List<String>> SIGMA_DIRS = key("detection.sigma").stringType().asList()
            .noDefaultValue().withDescription("Directories of Sigma rules (*.yml, *.yaml, read recursively) to run "
                    + "besides the DRL rules; each must exist. vigil run --sigma adds to them. Trusted locations only: "
                    + "refused when group- or world-writable.");
    public static final ConfigOption<Duration> OUT_OF_ORDERNESS = key("detection.out-of-orderness").durationType()
            .defaultValue(Detection.DEFAULT_OUT_OF_ORDERNESS).withDescription("How late events may arrive and still correlate "
                    + "as if in order; alerts wait this long. Later events still count, in arrival order.");
    public static final ConfigOption<Integer> RULE_QUARANTINE_AFTER = key("detection.rule-quarantine-after")
            .intType().defaultValue(RuleEvaluator.DEFAULT_QUARANTINE_AFTER).withDescription("A rule one part of which (a condition, or its "
                    + "consequence) fails this many times in a row, with no success of that part in between, is "
                    + "quarantined in that task: it stops running and is reported as a rule problem, the other "
                    + "rules go on. 0: never. Each failure is a rule-error dead letter either way.");
    public static final ConfigOption<Duration> MAX_FUTURE_SKEW = key("detection.max-future-skew").durationType()
            .defaultValue(Duration.ofMinutes(5)).withDescription("A record whose event time is more than this after "
                    + "its ingest time (its Kafka timestamp, or the clock when that is later) is an event-time dead "
                    + "letter: a forged future time never moves the watermark or names an index.");
    public static final ConfigOption<Duration> MAX_EVENT_AGE = key("detection.max-event-age").durationType()
            .defaultValue(Duration.ofDays(30)).withDescription("A record whose event time is more than this before "
                    + "its ingest time is an event-time dead letter (no index per forged old day). To replay old "
                    + "logs through Kafka, give each record its event time as timestamp, or raise this.");
    public static final ConfigOption<Duration> IDLE_TIMEOUT = key("detection.idle-timeout").durationType()
            .defaultValue(Duration.ofSeconds(5)).withDescription("A subtask that sees no event this long (a silent "
                    + "partition) stops holding alerts back until its next event; 0 turns idleness off.");
    public static final ConfigOption<Duration> STATE_TTL = key("detection.state-ttl").durationType()
            .defaultValue(Detection.DEFAULT_STATE_TTL).withDescription("Correlation state of a key unused this long is "
                    + "dropped (a backstop: timers clear state when windows end).");
    public static final ConfigOption<Integer> MAX_KEYS = key("detection.max-keys").intType()
            .defaultValue(Detection.DEFAULT_MAX_KEYS).withDescription("Correlation keys (rule "
                    + "and group key) holding state on one subtask, at most (about 0.9 kB of heap each with "
                    + "state.backend hashmap). Beyond, a hit for a new key is correlated alone and nothing kept: "
                    + "single-event rules still alert, windowed rules miss it; counted in keyLimitRefusedHits.");
    public static final ConfigOption<Integer> MASS_ACTIVITY_MAX_NEW_KEYS = key(
            "detection.mass-activity.max-new-keys-per-minute").intType()
            .defaultValue(MassActivityFunction.DEFAULT_MAX_NEW_KEYS_PER_MINUTE)
            .withDescription("Distinct group keys one rule alerts for one by one within an event-time minute; the "
                    + "alerts of further keys are aggregated into one mass-activity alert (and incident) per rule and "
                    + "minute, with their exact count and a sample of keys. 0 turns aggregation off.");

    // ------------------------------------------------------------------ incidents
    public static final ConfigOption<Boolean> INCIDENTS_ENABLED = key("incidents.enabled").booleanType()
            .defaultValue(true).withDescription("Assemble alerts into incidents (vigil-incidents) with timelines "
                    + "(vigil-timeline-*).");
    public static final ConfigOption<Duration> INCIDENT_WINDOW = key("incidents.window").durationType()
            .defaultValue(IncidentAssembler.DEFAULT_WINDOW).withDescription("Alerts sharing an entity (source address, user, "
                    + "host) join one incident until this long after its last alert.");
    public static final ConfigOption<Duration> INCIDENT_STATUS_CACHE_TTL = key("incidents.status.cache-ttl")
            .durationType().defaultValue(Duration.ofSeconds(10)).withDescription("How long the stream trusts an "
                    + "incident's status read from Elasticsearch, to learn that analysts closed it (a later alert then "
                    + "opens a new incident linked to it); after a failed read, statuses are not read for this long "
                    + "and incidents count as open (metric incidentStatusAssumedOpen).");
    public static final ConfigOption<Duration> INCIDENT_STATUS_TIMEOUT = key("incidents.status.timeout")
            .durationType().defaultValue(Duration.ofSeconds(1)).withDescription("How long one read of an incident's "
                    + "status may take before the incident counts as open.");

    public static final ConfigOption<String> EXCEPTIONS_FILE = key("detection.exceptions").stringType()
            .noDefaultValue().withDescription("File of exceptions (allowlist entries: rule, field, values and/or "
                    + "cidr, reason, author, expires): excepted hits are counted per entry, never alerted. vigil run "
                    + "--exceptions sets it; live bundles carry their own.");

    // ------------------------------------------------------------------ live rules
    public static final ConfigOption<String> RULES_PUBLIC_KEY = key("rules.public-key").stringType()
            .noDefaultValue().withDescription("Ed25519 public key file (PEM) that rule bundles must be signed "
                    + "with. When set, the job reads rules.control-topic and runs the bundles pushed there "
                    + "(vigil rules push); unset, it runs only the local rules.");
    public static final ConfigOption<String> RULES_CONTROL_TOPIC = key("rules.control-topic").stringType()
            .defaultValue("vigil.rules").withDescription("Compacted Kafka topic of rule bundle records "
                    + "(push, promote, rollback): the history of live and shadow bundles.");
    public static final ConfigOption<Duration> RULES_ACTIVATION_DELAY = key("rules.activation-delay")
            .durationType().defaultValue(Duration.ofSeconds(30)).withDescription("A pushed bundle applies to "
                    + "events from this long after the push (event time), so every subtask has it, checked and "
                    + "compiled, before the first event it applies to; vigil rules push --effective-at overrides.");
    public static final ConfigOption<String> RULES_SIGNING_KEY_ENV = key("rules.signing-key-env").stringType()
            .defaultValue("VIGIL_RULES_SIGNING_KEY").withDescription("Environment variable holding the Ed25519 "
                    + "private key (PEM) vigil rules bundle signs with; never the key itself.");

    // ------------------------------------------------------------------ context (docs/context.md)
    public static final ConfigOption<List<String>> ENRICH_INTEL = key("enrich.intel").stringType().asList()
            .noDefaultValue().withDescription("Threat intelligence feed files matched against every event's addresses, "
                    + "domains, URLs and hashes: STIX 2.1 bundles, MISP event JSON or CSV, the format told by the content, "
                    + "each a feed named after its file (docs/intel.md); vigil run --intel adds to them.");
    public static final ConfigOption<Duration> ENRICH_INTEL_SUPPRESSION = key("enrich.intel.suppression")
            .durationType().defaultValue(Duration.ofHours(1)).withDescription("A threat-intel-match alert for one "
                    + "indicator value and host is raised once per this period (event time); later matches are counted "
                    + "on it, and it is emitted again with their count when the period ends; 0 raises one per matching event.");
    public static final ConfigOption<Duration> ENRICH_RETRO_HUNT = key("enrich.retro-hunt.lookback").durationType()
            .defaultValue(Duration.ofDays(30)).withDescription("A new indicator from the context control topic is also "
                    + "matched against the events of this long before it (vigil-events-*, needs "
                    + "elasticsearch.write-events); 0 turns retro-hunting off.");
    public static final ConfigOption<Integer> ENRICH_RETRO_HUNT_MAX_HITS = key("enrich.retro-hunt.max-hits").intType()
            .defaultValue(100).withDescription("Past events read per new indicator in a retro-hunt (the earliest; "
                    + "indicators with more are counted in the retroHunt.indicatorsWithHitsCut metric); also the "
                    + "default of vigil intel hunt --max-hits.");
    public static final ConfigOption<Integer> ENRICH_RETRO_HUNT_MAX_INDICATORS = key("enrich.retro-hunt.max-indicators")
            .intType().defaultValue(100_000).withDescription("New indicators hunted per context update (a feed's "
                    + "first version is all new); more are not hunted and are counted in retroHunt.indicatorsCut.");
    public static final ConfigOption<List<String>> ENRICH_GEOIP = key("enrich.geoip").stringType().asList()
            .noDefaultValue().withDescription("MaxMind DB format files (.mmdb: city or country, and ASN) giving "
                    + "source.geo.*, destination.geo.*, source.as.*, destination.as.*; vigil run --geoip adds to them.");
    public static final ConfigOption<String> ENRICH_ASSETS = key("enrich.assets").stringType().noDefaultValue()
            .withDescription("Table of hosts (CSV or JSON: name, criticality, owner, environment, zone).");
    public static final ConfigOption<String> ENRICH_IDENTITIES = key("enrich.identities").stringType()
            .noDefaultValue().withDescription("Table of identities (CSV or JSON: user name, privileged, service "
                    + "account, department).");
    public static final ConfigOption<String> ENRICH_CONTROL_TOPIC = key("enrich.control-topic").stringType()
            .defaultValue("vigil.context").withDescription("Compacted Kafka topic of live context tables (intel feeds, "
                    + "assets, identities: vigil intel push); empty to use the files only.");
    public static final ConfigOption<Boolean> TRAVEL_ENABLED = key("detection.impossible-travel.enabled")
            .booleanType().defaultValue(true).withDescription("Alert on successive successful sign-ins of one user "
                    + "from places too far apart for the time between them (needs enrich.geoip with locations).");
    public static final ConfigOption<Double> TRAVEL_MAX_SPEED = key("detection.impossible-travel.max-speed-kmh")
            .doubleType().defaultValue(900.0).withDescription("Speed over which a journey between two sign-ins is "
                    + "impossible, km/h.");
    public static final ConfigOption<Double> TRAVEL_MIN_DISTANCE = key("detection.impossible-travel.min-distance-km")
            .doubleType().defaultValue(500.0).withDescription("Journeys shorter than this never alert (GeoIP places "
                    + "are approximate), km.");
    public static final ConfigOption<Duration> FIRST_SEEN_RETENTION = key("detection.first-seen.retention")
            .durationType().defaultValue(Duration.ofDays(30)).withDescription("How long a value seen stays known to "
                    + "first-seen rules after it was last seen (event time), for rules that set no retention of their "
                    + "own; a key none of whose values was seen this long is forgotten. 0 turns first-seen rules off.");
    public static final ConfigOption<String> MASK_FAILED_SIGN_IN_USERS = key("masking.failed-sign-in-user-names")
            .stringType().defaultValue("password-like").withDescription("Which user names of failed sign-ins are "
                    + "masked (in the event's user.name, related.user, message and event.original): password-like "
                    + "(those that look like a password typed into the user field, see docs/masking.md), all or off. "
                    + "Card numbers and cloud secrets are always masked.");
    public static final ConfigOption<List<String>> MASK_SECRET_PARAMETERS = key("masking.secret-parameters")
            .stringType().asList().defaultValues("password", "passwd", "token", "secret", "api_key", "apikey",
                    "access_token", "client_secret", "key").withDescription("Names of URL, command-line and JSON "
                    + "parameters whose values are masked, case-insensitive (name=value, name:value, \"name\": "
                    + "\"value\", --name value, -name value), also as the last _ or - separated word of a longer "
                    + "name (key only after secret, private, api, access, …); Authorization header credentials and "
                    + "URL user-info passwords are always masked.");

    // ------------------------------------------------------------------ webhooks
    public static final ConfigOption<Map<String, String>> WEBHOOK_ENDPOINTS = key("webhooks.endpoints").mapType()
            .defaultValue(Map.of()).withDescription("Responders to deliver signed alerts and incident changes to: "
                    + "webhooks.endpoints.NAME.KEY, KEY one of the webhook endpoint keys (url, secret-env, format, "
                    + "send, min-severity, …).");

    // ------------------------------------------------------------------ Flink
    public static final ConfigOption<Integer> PARALLELISM = key("parallelism").intType().defaultValue(1)
            .withDescription("Parallelism of the job.");
    public static final ConfigOption<Duration> CHECKPOINT_INTERVAL = key("checkpoints.interval").durationType()
            .defaultValue(Duration.ofSeconds(10)).withDescription("Checkpoint interval (on by default).");
    public static final ConfigOption<StateBackendKind> STATE_BACKEND = key("state.backend")
            .enumType(StateBackendKind.class).defaultValue(StateBackendKind.HASHMAP).withDescription("Where Flink "
                    + "state lives: hashmap (the JVM heap, fastest; about 0.9 kB per correlation key) or rocksdb "
                    + "(local disk, with incremental checkpoints: for more keys than the heap holds, at a lower rate).");
    public static final ConfigOption<String> CHECKPOINT_DIR = key("checkpoints.dir").stringType()
            .defaultValue("data/checkpoints").withDescription("Where checkpoints go (a path or a URI such as "
                    + "s3://…); a restart resumes from the latest one.");

    public static final ConfigOption<String> FLINK_REST_URL = key("flink.rest-url").stringType()
            .defaultValue("http://localhost:8081").withDescription("The REST API of the Flink cluster the job runs "
                    + "on (its JobManager): what `vigil status` asks (docs/cluster.md). The job itself never uses it.");

    // ------------------------------------------------------------------ Metrics
    public static final ConfigOption<String> METRICS_PROMETHEUS_PORT = key("metrics.prometheus.port").stringType()
            .defaultValue("").withDescription("Port, or range of ports (9249-9259: the first free one), where "
                    + "`vigil run` serves the job's metrics for Prometheus at /metrics "
                    + "(docs/metrics.md); empty: no endpoint. On a Flink cluster the reporter is the cluster's own "
                    + "configuration (metrics.reporter.prom.*), not this key.");
    public static final ConfigOption<String> METRICS_STAGE_TRACE_TOPIC = key("metrics.stage-trace-topic").stringType()
            .defaultValue("").withDescription("Kafka topic where the job writes when each alert passed each stage "
                    + "(docs/metrics.md#latency-by-stage): the processing time at which every event that hit a rule was "
                    + "evaluated (keyed by its origin), and when each alert left correlation and reached the alert "
                    + "outputs (keyed by its id); with it, histograms of the read and decoded lag behind the Kafka "
                    + "append time. For the latency benchmark and diagnosis; empty: off, and nothing of it is in the job.");

    /** The options a streaming job cannot run without (they have no default). */
    public static List<ConfigOption<?>> required() {
        return List.of(KAFKA_BOOTSTRAP, ES_URLS);
    }

    /** Every option, for validation and documentation. */
    public static List<ConfigOption<?>> all() {
        return declaredIn(VigilOptions.class);
    }

    /** The {@code public static} options a holder class declares. */
    public static List<ConfigOption<?>> declaredIn(Class<?> holder) {
        List<ConfigOption<?>> all = new ArrayList<>();
        for (Field f : holder.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && ConfigOption.class.isAssignableFrom(f.getType())) {
                try {
                    all.add((ConfigOption<?>) f.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return all;
    }
}
