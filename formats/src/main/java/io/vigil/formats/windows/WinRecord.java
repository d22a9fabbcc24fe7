package io.vigil.formats.windows;

import java.util.HashMap;
import java.util.Map;

/**
 * The parts of one Windows event record that the decoder uses, whichever shape it came in
 * (NXLog/Logstash flat keys, Winlogbeat {@code winlog.*} or evtx_dump {@code Event.System}). Every value is kept as the text it
 * had in the record (numbers included), so 64-bit values such as {@code Keywords} stay exact.
 *
 * <p>{@link #data} holds EventData/UserData values under their Windows names, but only names on
 * the {@link EventDataNames} allow-list ever get there: log content never picks a field name.
 */
public final class WinRecord {

    public String eventId;
    public String eventCode;
    public String channel;
    public String sourceName;
    public String providerName;
    public String hostname;
    public String computerName;
    public String hostFallback;
    public String recordId;
    public String keywords;
    public String message;
    public String atTimestamp;
    public String utcTime;
    public String timeCreated;
    public String eventTime;
    /** NXLog's {@code EventType}: AUDIT_SUCCESS, AUDIT_FAILURE, INFO, … */
    public String auditType;
    /** {@code event.outcome} when a shipper already set one (Winlogbeat). */
    public String outcomeHint;
    /** SID of the account the record was logged under (NXLog {@code UserID}, {@code winlog.user.identifier}). */
    public String userSid;
    /** The event's level as Windows writes it in {@code System/Level} (4 = information); evtx_dump only. */
    public String level;
    /** {@code System/TimeCreated/@SystemTime}, always UTC (evtx_dump). */
    public String systemTime;
    /** Whether the record was an evtx_dump {@code {"Event": …}} document, and whether it had a System object. */
    public boolean evtxShape;
    public boolean evtxSystem;

    public final Map<String, String> data = new HashMap<>(64);

    public String get(String name) {
        return data.get(name);
    }

    /** The provider: NXLog {@code SourceName}, else {@code ProviderName}/{@code winlog.provider_name}. */
    public String provider() {
        return sourceName != null ? sourceName : providerName;
    }

    /** The computer that logged the event (not the collector that forwarded it). */
    public String computer() {
        if (hostname != null) return hostname;
        if (computerName != null) return computerName;
        return hostFallback;
    }
}
