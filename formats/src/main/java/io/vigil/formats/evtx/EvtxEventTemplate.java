package io.vigil.formats.evtx;

import io.vigil.formats.evtx.EvtxTypedValue.Type;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * The template of one event shape and the substitution values of one event of that shape.
 *
 * <p>A shape is what this writer's templates hold literally: provider name and GUID, channel,
 * computer, event id, and the EventData names and types (or UserData's element and children):
 * events of the same shape share one template definition per chunk. The System values are
 * substitutions numbered as in the System templates of Windows' own files (those of the SigmaHQ
 * samples): 0 Level, 1 Opcode, 2 Task, 3 EventID, 4 Qualifiers, 5 Keywords, 6 TimeCreated,
 * 7 ActivityID, 8 ProcessID, 9 ThreadID, 10 EventRecordID, 11 Version, 12 UserID,
 * 13 RelatedActivityID; EventData values follow from 14 on. Windows also substitutes the provider
 * and the channel (14 to 16) and carries EventData as a nested binary XML value (17), where this
 * writer has literal text and the Data elements in the one template: a reader renders both alike.
 * What may be absent is an optional substitution (0x0e), the rest normal ones (0x0d).
 */
final class EvtxEventTemplate {

    static final String EVENT_NAMESPACE = "http://schemas.microsoft.com/win/2004/08/events/event";
    static final int LEVEL = 0;
    static final int OPCODE = 1;
    static final int TASK = 2;
    static final int EVENT_ID = 3;
    static final int QUALIFIERS = 4;
    static final int KEYWORDS = 5;
    static final int TIME_CREATED = 6;
    static final int ACTIVITY_ID = 7;
    static final int PROCESS_ID = 8;
    static final int THREAD_ID = 9;
    static final int RECORD_ID = 10;
    static final int VERSION = 11;
    static final int USER_ID = 12;
    static final int RELATED_ACTIVITY_ID = 13;
    private static final int SYSTEM_VALUES = 14;

    /**
     * What makes two events share a template.
     *
     * @param dataNames EventData names, or UserData's children's names
     * @param dataTypes their declared template types
     */
    record Shape(String providerName, UUID providerGuid, String channel, String computer, int eventId,
            String userDataName, String userDataNamespace, List<String> dataNames, List<Integer> dataTypes) {

        static Shape of(EvtxEvent e) {
            List<EvtxEvent.Data> data = e.userData() == null ? e.eventData() : e.userData().children();
            List<String> names = new ArrayList<>(data.size());
            List<Integer> types = new ArrayList<>(data.size());
            for (EvtxEvent.Data d : data) {
                names.add(d.name());
                types.add(d.value().templateType());
            }
            String udName = e.userData() == null ? null : e.userData().name();
            String udNamespace = e.userData() == null ? null : e.userData().namespace();
            return new Shape(e.providerName(), e.providerGuid(), e.channel(), e.computer(), e.eventId(), udName,
                    udNamespace, names, types);
        }

        /** The template's GUID, derived from the shape so that equal shapes get equal GUIDs. */
        UUID guid() {
            return UUID.nameUUIDFromBytes(toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    private EvtxEventTemplate() {}

    /** Writes the template's content: fragment header, the Event element, end of stream. */
    static void writeDefinition(EvtxBinXmlWriter w, Shape shape) {
        w.fragmentHeader();
        int[] event = w.openElement("Event", true);
        w.attribute("xmlns", false);
        w.text(EVENT_NAMESPACE);
        w.closeStart(event);
        writeSystem(w, shape);
        if (shape.userDataName() != null) {
            writeUserData(w, shape);
        } else {
            writeEventData(w, shape);
        }
        w.endElement(event);
        w.u8(EvtxBinXmlWriter.EOF);
    }

    private static void writeSystem(EvtxBinXmlWriter w, Shape shape) {
        int[] system = w.openElement("System", false);
        w.closeStart(system);

        int[] provider = w.openElement("Provider", true);
        w.attribute("Name", shape.providerGuid() != null);
        w.text(shape.providerName());
        if (shape.providerGuid() != null) {
            w.attribute("Guid", false);
            w.text("{" + shape.providerGuid().toString().toUpperCase(Locale.ROOT) + "}");
        }
        w.closeEmpty(provider);

        int[] eventId = w.openElement("EventID", true);
        w.attribute("Qualifiers", false);
        w.substitution(true, QUALIFIERS, Type.UINT16.code);
        w.closeStart(eventId);
        w.substitution(false, EVENT_ID, Type.UINT16.code);
        w.endElement(eventId);

        substitutedElement(w, "Version", true, VERSION, Type.UINT8);
        substitutedElement(w, "Level", false, LEVEL, Type.UINT8);
        substitutedElement(w, "Task", false, TASK, Type.UINT16);
        substitutedElement(w, "Opcode", false, OPCODE, Type.UINT8);
        substitutedElement(w, "Keywords", false, KEYWORDS, Type.HEX_INT64);

        int[] timeCreated = w.openElement("TimeCreated", true);
        w.attribute("SystemTime", false);
        w.substitution(false, TIME_CREATED, Type.FILETIME.code);
        w.closeEmpty(timeCreated);

        substitutedElement(w, "EventRecordID", false, RECORD_ID, Type.UINT64);

        int[] correlation = w.openElement("Correlation", true);
        w.attribute("ActivityID", true);
        w.substitution(true, ACTIVITY_ID, Type.GUID.code);
        w.attribute("RelatedActivityID", false);
        w.substitution(true, RELATED_ACTIVITY_ID, Type.GUID.code);
        w.closeEmpty(correlation);

        int[] execution = w.openElement("Execution", true);
        w.attribute("ProcessID", true);
        w.substitution(false, PROCESS_ID, Type.UINT32.code);
        w.attribute("ThreadID", false);
        w.substitution(false, THREAD_ID, Type.UINT32.code);
        w.closeEmpty(execution);

        textElement(w, "Channel", shape.channel());
        textElement(w, "Computer", shape.computer());

        int[] security = w.openElement("Security", true);
        w.attribute("UserID", false);
        w.substitution(true, USER_ID, Type.SID.code);
        w.closeEmpty(security);

        w.endElement(system);
    }

    private static void writeEventData(EvtxBinXmlWriter w, Shape shape) {
        int[] eventData = w.openElement("EventData", false);
        w.closeStart(eventData);
        for (int i = 0; i < shape.dataNames().size(); i++) {
            int[] data = w.openElement("Data", true);
            w.attribute("Name", false);
            w.text(shape.dataNames().get(i));
            w.closeStart(data);
            w.substitution(true, SYSTEM_VALUES + i, shape.dataTypes().get(i));
            w.endElement(data);
        }
        w.endElement(eventData);
    }

    private static void writeUserData(EvtxBinXmlWriter w, Shape shape) {
        int[] userData = w.openElement("UserData", false);
        w.closeStart(userData);
        boolean withNamespace = shape.userDataNamespace() != null;
        int[] named = w.openElement(shape.userDataName(), withNamespace);
        if (withNamespace) {
            w.attribute("xmlns", false);
            w.text(shape.userDataNamespace());
        }
        w.closeStart(named);
        for (int i = 0; i < shape.dataNames().size(); i++) {
            substitutedElement(w, shape.dataNames().get(i), true, SYSTEM_VALUES + i, shape.dataTypes().get(i));
        }
        w.endElement(named);
        w.endElement(userData);
    }

    private static void substitutedElement(EvtxBinXmlWriter w, String name, boolean optional, int index, Type type) {
        substitutedElement(w, name, optional, index, type.code);
    }

    private static void substitutedElement(EvtxBinXmlWriter w, String name, boolean optional, int index, int type) {
        int[] element = w.openElement(name, false);
        w.closeStart(element);
        w.substitution(optional, index, type);
        w.endElement(element);
    }

    private static void textElement(EvtxBinXmlWriter w, String name, String text) {
        int[] element = w.openElement(name, false);
        w.closeStart(element);
        w.text(text);
        w.endElement(element);
    }

    /** The substitution values of {@code e}, in substitution order. */
    static List<EvtxTypedValue> values(EvtxEvent e) {
        List<EvtxEvent.Data> data = e.userData() == null ? e.eventData() : e.userData().children();
        EvtxTypedValue[] system = new EvtxTypedValue[SYSTEM_VALUES];
        system[LEVEL] = EvtxTypedValue.uint8(e.level());
        system[OPCODE] = EvtxTypedValue.uint8(e.opcode());
        system[TASK] = EvtxTypedValue.uint16(e.task());
        system[EVENT_ID] = EvtxTypedValue.uint16(e.eventId());
        system[QUALIFIERS] = e.qualifiers() == null
                ? EvtxTypedValue.absent(Type.UINT16)
                : EvtxTypedValue.uint16(e.qualifiers());
        system[KEYWORDS] = EvtxTypedValue.hexInt64(e.keywords());
        system[TIME_CREATED] = EvtxTypedValue.fileTime(e.timeCreated());
        system[ACTIVITY_ID] = e.activityId() == null
                ? EvtxTypedValue.absent(Type.GUID)
                : EvtxTypedValue.guid(e.activityId());
        system[PROCESS_ID] = EvtxTypedValue.uint32(e.processId());
        system[THREAD_ID] = EvtxTypedValue.uint32(e.threadId());
        system[RECORD_ID] = EvtxTypedValue.uint64(e.recordId());
        system[VERSION] = EvtxTypedValue.uint8(e.version());
        system[USER_ID] = e.userId() == null ? EvtxTypedValue.absent(Type.SID) : EvtxTypedValue.sid(e.userId());
        system[RELATED_ACTIVITY_ID] = e.relatedActivityId() == null
                ? EvtxTypedValue.absent(Type.GUID)
                : EvtxTypedValue.guid(e.relatedActivityId());
        List<EvtxTypedValue> values = new ArrayList<>(SYSTEM_VALUES + data.size());
        values.addAll(List.of(system));
        for (EvtxEvent.Data d : data) {
            values.add(d.value());
        }
        return values;
    }
}
