package io.vigil.formats.evtx;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * One event for {@link EvtxWriter}: the System part Windows writes for every event, and either
 * EventData (named, typed values in order) or UserData (one named element with named children).
 * Build with {@link #builder()}.
 *
 * @param providerName {@code Provider/@Name}
 * @param providerGuid {@code Provider/@Guid}, or null to leave the attribute out
 * @param eventId {@code EventID} (16 bits)
 * @param qualifiers {@code EventID/@Qualifiers} (16 bits), or null
 * @param version {@code Version} (8 bits)
 * @param level {@code Level} (8 bits)
 * @param task {@code Task} (16 bits)
 * @param opcode {@code Opcode} (8 bits)
 * @param keywords {@code Keywords}, the 64 bits as written
 * @param timeCreated {@code TimeCreated/@SystemTime}, kept to the 100 ns tick
 * @param written the record header's written time
 * @param recordId the record identifier and {@code EventRecordID}
 * @param activityId {@code Correlation/@ActivityID}, or null
 * @param relatedActivityId {@code Correlation/@RelatedActivityID}, or null
 * @param processId {@code Execution/@ProcessID} (32 bits)
 * @param threadId {@code Execution/@ThreadID} (32 bits)
 * @param channel {@code Channel}
 * @param computer {@code Computer}
 * @param userId {@code Security/@UserID} as a SID string, or null
 * @param eventData EventData's {@code Data} elements, in order (empty with UserData)
 * @param userData the UserData element, or null for EventData
 */
public record EvtxEvent(
        String providerName,
        UUID providerGuid,
        int eventId,
        Integer qualifiers,
        int version,
        int level,
        int task,
        int opcode,
        long keywords,
        Instant timeCreated,
        Instant written,
        long recordId,
        UUID activityId,
        UUID relatedActivityId,
        long processId,
        long threadId,
        String channel,
        String computer,
        String userId,
        List<Data> eventData,
        UserData userData) {

    /** One {@code <Data Name="name">value</Data>} (or a UserData child {@code <name>value</name>}). */
    public record Data(String name, EvtxTypedValue value) {
        public Data {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
        }
    }

    /** UserData's one element, {@code <name xmlns="namespace">children</name>}. */
    public record UserData(String name, String namespace, List<Data> children) {
        public UserData {
            Objects.requireNonNull(name, "name");
            children = List.copyOf(children);
        }
    }

    public EvtxEvent {
        Objects.requireNonNull(providerName, "providerName");
        Objects.requireNonNull(timeCreated, "timeCreated");
        Objects.requireNonNull(written, "written");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(computer, "computer");
        eventData = List.copyOf(eventData);
        if (userData != null && !eventData.isEmpty()) {
            throw new IllegalArgumentException("an event has EventData or UserData, not both");
        }
        if (recordId <= 0) {
            throw new IllegalArgumentException("record id must be positive, got " + recordId);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds an event; fields left unset are 0, null or empty. */
    public static final class Builder {
        private String providerName;
        private UUID providerGuid;
        private int eventId;
        private Integer qualifiers;
        private int version;
        private int level;
        private int task;
        private int opcode;
        private long keywords;
        private Instant timeCreated;
        private Instant written;
        private long recordId;
        private UUID activityId;
        private UUID relatedActivityId;
        private long processId;
        private long threadId;
        private String channel = "";
        private String computer = "";
        private String userId;
        private final List<Data> eventData = new ArrayList<>();
        private UserData userData;

        private Builder() {}

        public Builder provider(String name, UUID guid) {
            this.providerName = name;
            this.providerGuid = guid;
            return this;
        }

        public Builder eventId(int eventId) {
            this.eventId = eventId;
            return this;
        }

        public Builder qualifiers(Integer qualifiers) {
            this.qualifiers = qualifiers;
            return this;
        }

        public Builder version(int version) {
            this.version = version;
            return this;
        }

        public Builder level(int level) {
            this.level = level;
            return this;
        }

        public Builder task(int task) {
            this.task = task;
            return this;
        }

        public Builder opcode(int opcode) {
            this.opcode = opcode;
            return this;
        }

        public Builder keywords(long keywords) {
            this.keywords = keywords;
            return this;
        }

        /** The event's time; also the record's written time unless {@link #written} is set. */
        public Builder timeCreated(Instant timeCreated) {
            this.timeCreated = timeCreated;
            return this;
        }

        public Builder written(Instant written) {
            this.written = written;
            return this;
        }

        public Builder recordId(long recordId) {
            this.recordId = recordId;
            return this;
        }

        public Builder activityId(UUID activityId) {
            this.activityId = activityId;
            return this;
        }

        public Builder relatedActivityId(UUID relatedActivityId) {
            this.relatedActivityId = relatedActivityId;
            return this;
        }

        public Builder execution(long processId, long threadId) {
            this.processId = processId;
            this.threadId = threadId;
            return this;
        }

        public Builder channel(String channel) {
            this.channel = channel;
            return this;
        }

        public Builder computer(String computer) {
            this.computer = computer;
            return this;
        }

        public Builder userId(String sid) {
            this.userId = sid;
            return this;
        }

        public Builder data(String name, EvtxTypedValue value) {
            eventData.add(new Data(name, value));
            return this;
        }

        public Builder userData(UserData userData) {
            this.userData = userData;
            return this;
        }

        public EvtxEvent build() {
            return new EvtxEvent(providerName, providerGuid, eventId, qualifiers, version, level, task, opcode,
                    keywords, timeCreated, written == null ? timeCreated : written, recordId, activityId,
                    relatedActivityId, processId, threadId, channel, computer, userId, eventData, userData);
        }
    }
}
