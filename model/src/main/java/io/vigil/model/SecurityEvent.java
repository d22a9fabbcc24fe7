package io.vigil.model;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The normalized security event: one immutable, ECS-aligned record per thing that happened.
 *
 * <p>Fields are flat here (one component per ECS field, named after it) so that rules and
 * operators read them without null-chasing through nested objects; {@link EcsJson} writes them as
 * the nested ECS document ({@code source.ip}, {@code event.action}, …). Every component except
 * {@code timestamp}, {@code origin} and the collections may be {@code null} when the source does
 * not carry it.
 *
 * <p>{@code fields} holds the format-specific fields that have no component of their own
 * ({@code winlog.event_data.TicketEncryptionType}, {@code aws.cloudtrail.user_identity.arn},
 * {@code zeek.conn.service}, …) under their dotted ECS name. Their names come from each decoder's
 * allow-list, never from log content (docs/architecture.md, invariant 6), and every name is in
 * Vigil's finite catalog of extra fields: {@link ExtraFields#check} refuses any other, so log
 * content can never add a field to an index mapping.
 *
 * <p>{@code sourceIp}, {@code destinationIp} and {@code relatedIp} hold IP literals only: a value
 * that is not one is moved to {@code vigil.invalid.*} when the event is built ({@link IpFields}).
 */
public record SecurityEvent(
        Instant timestamp,
        String message,
        List<String> tags,
        // event.*
        String eventKind,
        List<String> eventCategory,
        List<String> eventType,
        String eventAction,
        String eventOutcome,
        String eventCode,
        String eventProvider,
        String eventDataset,
        String eventModule,
        Long eventSequence,
        String eventOriginal,
        // source.* / destination.*
        String sourceIp,
        Integer sourcePort,
        String sourceDomain,
        String destinationIp,
        Integer destinationPort,
        String destinationDomain,
        // user.*
        String userName,
        String userDomain,
        String userId,
        String userTargetName,
        // host.*
        String hostName,
        String hostHostname,
        // process.*
        String processName,
        Long processPid,
        String processCommandLine,
        String processExecutable,
        String processParentExecutable,
        // url.* / http.* / user_agent.*
        String urlOriginal,
        String urlPath,
        String urlQuery,
        String urlDomain,
        String httpRequestMethod,
        String httpRequestReferrer,
        Integer httpResponseStatusCode,
        Long httpResponseBodyBytes,
        String httpVersion,
        String userAgentOriginal,
        // cloud.*
        String cloudProvider,
        String cloudRegion,
        String cloudAccountId,
        // related.*
        List<String> relatedIp,
        List<String> relatedUser,
        // format-specific fields under allow-listed dotted names
        Map<String, String> fields,
        // where the raw record came from
        Origin origin) {

    public SecurityEvent {
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(origin, "origin");
        tags = immutable(tags);
        eventCategory = immutable(eventCategory);
        eventType = immutable(eventType);
        relatedUser = immutable(relatedUser);
        // fields mapped as ip hold IP literals only: anything else moves to vigil.invalid.* (IpFields)
        Map<String, String> invalid = IpFields.keepInvalid(null, IpFields.INVALID_SOURCE_IP, sourceIp);
        invalid = IpFields.keepInvalid(invalid, IpFields.INVALID_DESTINATION_IP, destinationIp);
        sourceIp = IpLiteral.isIp(sourceIp) ? sourceIp : null;
        destinationIp = IpLiteral.isIp(destinationIp) ? destinationIp : null;
        if (relatedIp != null && !IpFields.allValid(relatedIp)) {
            String bad = IpFields.invalidAsJson(relatedIp);
            if (bad != null) {
                invalid = invalid == null ? new TreeMap<>() : invalid;
                invalid.put(IpFields.INVALID_RELATED_IP, bad);
            }
            relatedIp = IpFields.validOnly(relatedIp);
        }
        relatedIp = immutable(relatedIp);
        if (invalid != null) {
            Map<String, String> all = fields == null ? new TreeMap<>() : new TreeMap<>(fields);
            all.putAll(invalid);
            fields = all;
        }
        fields = fields == null || fields.isEmpty()
                ? Collections.emptyMap()
                : Collections.unmodifiableMap(new TreeMap<>(ExtraFields.check(fields)));
    }

    private static List<String> immutable(List<String> values) {
        return values == null || values.isEmpty()
                ? Collections.emptyList()
                : Collections.unmodifiableList(new ArrayList<>(values));
    }

    /** A format-specific field by its dotted name, or {@code null}. */
    public String field(String name) {
        return fields.get(name);
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Builds events; {@link #build()} fills {@code related.ip}/{@code related.user} from the entity fields. */
    public static final class Builder {
        private Instant timestamp;
        private String message;
        private final List<String> tags = new ArrayList<>();
        private String eventKind = "event";
        private final List<String> eventCategory = new ArrayList<>();
        private final List<String> eventType = new ArrayList<>();
        private String eventAction;
        private String eventOutcome;
        private String eventCode;
        private String eventProvider;
        private String eventDataset;
        private String eventModule;
        private Long eventSequence;
        private String eventOriginal;
        private String sourceIp;
        private Integer sourcePort;
        private String sourceDomain;
        private String destinationIp;
        private Integer destinationPort;
        private String destinationDomain;
        private String userName;
        private String userDomain;
        private String userId;
        private String userTargetName;
        private String hostName;
        private String hostHostname;
        private String processName;
        private Long processPid;
        private String processCommandLine;
        private String processExecutable;
        private String processParentExecutable;
        private String urlOriginal;
        private String urlPath;
        private String urlQuery;
        private String urlDomain;
        private String httpRequestMethod;
        private String httpRequestReferrer;
        private Integer httpResponseStatusCode;
        private Long httpResponseBodyBytes;
        private String httpVersion;
        private String userAgentOriginal;
        private String cloudProvider;
        private String cloudRegion;
        private String cloudAccountId;
        private final LinkedHashSet<String> relatedIp = new LinkedHashSet<>();
        private final LinkedHashSet<String> relatedUser = new LinkedHashSet<>();
        private final Map<String, String> fields = new TreeMap<>();
        private Origin origin;

        private Builder() {}

        private Builder(SecurityEvent e) {
            timestamp = e.timestamp;
            message = e.message;
            tags.addAll(e.tags);
            eventKind = e.eventKind;
            eventCategory.addAll(e.eventCategory);
            eventType.addAll(e.eventType);
            eventAction = e.eventAction;
            eventOutcome = e.eventOutcome;
            eventCode = e.eventCode;
            eventProvider = e.eventProvider;
            eventDataset = e.eventDataset;
            eventModule = e.eventModule;
            eventSequence = e.eventSequence;
            eventOriginal = e.eventOriginal;
            sourceIp = e.sourceIp;
            sourcePort = e.sourcePort;
            sourceDomain = e.sourceDomain;
            destinationIp = e.destinationIp;
            destinationPort = e.destinationPort;
            destinationDomain = e.destinationDomain;
            userName = e.userName;
            userDomain = e.userDomain;
            userId = e.userId;
            userTargetName = e.userTargetName;
            hostName = e.hostName;
            hostHostname = e.hostHostname;
            processName = e.processName;
            processPid = e.processPid;
            processCommandLine = e.processCommandLine;
            processExecutable = e.processExecutable;
            processParentExecutable = e.processParentExecutable;
            urlOriginal = e.urlOriginal;
            urlPath = e.urlPath;
            urlQuery = e.urlQuery;
            urlDomain = e.urlDomain;
            httpRequestMethod = e.httpRequestMethod;
            httpRequestReferrer = e.httpRequestReferrer;
            httpResponseStatusCode = e.httpResponseStatusCode;
            httpResponseBodyBytes = e.httpResponseBodyBytes;
            httpVersion = e.httpVersion;
            userAgentOriginal = e.userAgentOriginal;
            cloudProvider = e.cloudProvider;
            cloudRegion = e.cloudRegion;
            cloudAccountId = e.cloudAccountId;
            relatedIp.addAll(e.relatedIp);
            relatedUser.addAll(e.relatedUser);
            fields.putAll(e.fields);
            origin = e.origin;
        }

        public Builder timestamp(Instant v) { timestamp = v; return this; }
        public Builder message(String v) { message = v; return this; }
        public Builder tag(String v) { if (v != null && !tags.contains(v)) tags.add(v); return this; }
        public Builder eventKind(String v) { eventKind = v; return this; }
        public Builder eventCategory(String... v) { eventCategory.clear(); eventCategory.addAll(List.of(v)); return this; }
        public Builder eventType(String... v) { eventType.clear(); eventType.addAll(List.of(v)); return this; }
        public Builder addEventCategory(String v) { if (v != null && !eventCategory.contains(v)) eventCategory.add(v); return this; }
        public Builder addEventType(String v) { if (v != null && !eventType.contains(v)) eventType.add(v); return this; }
        public Builder eventAction(String v) { eventAction = v; return this; }
        public Builder eventOutcome(String v) { eventOutcome = v; return this; }
        public Builder eventCode(String v) { eventCode = v; return this; }
        public Builder eventProvider(String v) { eventProvider = v; return this; }
        public Builder eventDataset(String v) { eventDataset = v; return this; }
        public Builder eventModule(String v) { eventModule = v; return this; }
        public Builder eventSequence(Long v) { eventSequence = v; return this; }
        public Builder eventOriginal(String v) { eventOriginal = v; return this; }
        public Builder sourceIp(String v) { sourceIp = v; return this; }
        public Builder sourcePort(Integer v) { sourcePort = v; return this; }
        public Builder sourceDomain(String v) { sourceDomain = v; return this; }
        public Builder destinationIp(String v) { destinationIp = v; return this; }
        public Builder destinationPort(Integer v) { destinationPort = v; return this; }
        public Builder destinationDomain(String v) { destinationDomain = v; return this; }
        public Builder userName(String v) { userName = v; return this; }
        public Builder userDomain(String v) { userDomain = v; return this; }
        public Builder userId(String v) { userId = v; return this; }
        public Builder userTargetName(String v) { userTargetName = v; return this; }
        public Builder hostName(String v) { hostName = v; return this; }
        public Builder hostHostname(String v) { hostHostname = v; return this; }
        public Builder processName(String v) { processName = v; return this; }
        public Builder processPid(Long v) { processPid = v; return this; }
        public Builder processCommandLine(String v) { processCommandLine = v; return this; }
        public Builder processExecutable(String v) { processExecutable = v; return this; }
        public Builder processParentExecutable(String v) { processParentExecutable = v; return this; }
        public Builder urlOriginal(String v) { urlOriginal = v; return this; }
        public Builder urlPath(String v) { urlPath = v; return this; }
        public Builder urlQuery(String v) { urlQuery = v; return this; }
        public Builder urlDomain(String v) { urlDomain = v; return this; }
        public Builder httpRequestMethod(String v) { httpRequestMethod = v; return this; }
        public Builder httpRequestReferrer(String v) { httpRequestReferrer = v; return this; }
        public Builder httpResponseStatusCode(Integer v) { httpResponseStatusCode = v; return this; }
        public Builder httpResponseBodyBytes(Long v) { httpResponseBodyBytes = v; return this; }
        public Builder httpVersion(String v) { httpVersion = v; return this; }
        public Builder userAgentOriginal(String v) { userAgentOriginal = v; return this; }
        public Builder cloudProvider(String v) { cloudProvider = v; return this; }
        public Builder cloudRegion(String v) { cloudRegion = v; return this; }
        public Builder cloudAccountId(String v) { cloudAccountId = v; return this; }
        public Builder relatedIp(String v) { if (v != null && !v.isEmpty()) relatedIp.add(v); return this; }
        public Builder relatedUser(String v) { if (v != null && !v.isEmpty()) relatedUser.add(v); return this; }
        /** Sets a format-specific field; {@code null} or empty values are left out. */
        public Builder field(String name, String value) {
            if (value != null && !value.isEmpty()) fields.put(name, value);
            return this;
        }
        /** Removes a format-specific field (a context part replacing what the input said). */
        public Builder removeField(String name) { fields.remove(name); return this; }
        public Builder origin(Origin v) { origin = v; return this; }

        public SecurityEvent build() {
            // a value that is not an IP literal goes to vigil.invalid.* once, not to related.ip as well
            if (IpLiteral.isIp(sourceIp)) {
                relatedIp(sourceIp);
            }
            if (IpLiteral.isIp(destinationIp)) {
                relatedIp(destinationIp);
            }
            relatedUser(userName);
            relatedUser(userTargetName);
            return new SecurityEvent(timestamp, message, tags, eventKind, eventCategory, eventType, eventAction,
                    eventOutcome, eventCode, eventProvider, eventDataset, eventModule, eventSequence, eventOriginal,
                    sourceIp, sourcePort, sourceDomain, destinationIp, destinationPort, destinationDomain, userName,
                    userDomain, userId, userTargetName, hostName, hostHostname, processName, processPid,
                    processCommandLine, processExecutable, processParentExecutable, urlOriginal, urlPath, urlQuery,
                    urlDomain, httpRequestMethod, httpRequestReferrer, httpResponseStatusCode, httpResponseBodyBytes,
                    httpVersion, userAgentOriginal, cloudProvider, cloudRegion, cloudAccountId,
                    new ArrayList<>(relatedIp), new ArrayList<>(relatedUser), fields, origin);
        }
    }
}
