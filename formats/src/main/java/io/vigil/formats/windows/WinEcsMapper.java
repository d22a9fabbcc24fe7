package io.vigil.formats.windows;

import static io.vigil.formats.windows.WinValues.present;

import io.vigil.model.ExtraFields;
import io.vigil.model.SecurityEvent;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps a {@link WinRecord} to ECS fields on an event builder, following Winlogbeat's conventions
 * (security and sysmon modules) so that rules written against Winlogbeat data read the same
 * fields here. Time, origin and {@code event.original} are the decoder's job, not this one's.
 */
public final class WinEcsMapper {

    /** ECS {@code winlog.logon.type} names of the LogonType ordinal (Winlogbeat's table). */
    private static final Map<String, String> LOGON_TYPES = Map.of(
            "2", "Interactive", "3", "Network", "4", "Batch", "5", "Service", "7", "Unlock",
            "8", "NetworkCleartext", "9", "NewCredentials", "10", "RemoteInteractive", "11", "CachedInteractive");

    /**
     * The 1102 "audit log was cleared" record carries its subject only as UserData, which some
     * shippers (the OTRF psexec file) drop, leaving it in the rendered Message alone.
     */
    private static final Pattern MSG_ACCOUNT = Pattern.compile("Account Name:[ \\t]*([^\\r\\n\\t]+)");
    private static final Pattern MSG_DOMAIN = Pattern.compile("(?:Domain Name|Account Domain):[ \\t]*([^\\r\\n\\t]+)");
    private static final Pattern MSG_SID = Pattern.compile("Security ID:[ \\t]*([^\\r\\n\\t]+)");
    private static final Pattern MSG_LOGON_ID = Pattern.compile("Logon ID:[ \\t]*([^\\r\\n\\t]+)");

    /** EventData fields per event: {@link ExtraFields#MAX_FIELDS} less room for the other extra fields. */
    static final int EVENT_DATA_BUDGET = ExtraFields.MAX_FIELDS - 24;

    private enum UserRole { TARGET, SUBJECT, SUBJECT_ON_USER, SUBJECT_ON_GROUP, SESSION, FALLBACK }

    private WinEcsMapper() {}

    /**
     * Fills {@code b} from {@code rec}.
     *
     * @param channel the record's channel
     * @param channelName the channel name to report
     * @param eventId the event id (already validated)
     */
    public static void map(WinRecord rec, Channel channel, String channelName, int eventId, SecurityEvent.Builder b) {
        b.eventKind("event")
                .eventCode(Integer.toString(eventId))
                .eventModule(channel.module)
                .eventDataset(channel.dataset)
                .eventProvider(present(rec.provider()))
                .message(rec.message);

        EventAction action = EventAction.of(channel, eventId);
        if (action != null) {
            b.eventAction(action.action());
            for (String c : action.categories()) b.addEventCategory(c);
            for (String t : action.types()) b.addEventType(t);
        }

        String computer = present(rec.computer());
        b.hostName(computer).hostHostname(computer);

        Long sequence = WinValues.number(rec.recordId);
        b.eventSequence(sequence);

        if (channel == Channel.SECURITY && (eventId == 1102 || eventId == 517)) {
            subjectFromMessage(rec);
        }

        switch (channel) {
            case SECURITY -> security(rec, eventId, b);
            case SYSMON -> sysmon(rec, eventId, b);
            case SYSTEM -> system(rec, eventId, b);
            default -> generic(rec, b);
        }
        b.eventOutcome(outcome(rec, channel, eventId));

        // winlog.* header fields, then the allow-listed EventData.
        b.field("winlog.channel", channelName)
                .field("winlog.event_id", Integer.toString(eventId))
                .field("winlog.provider_name", rec.provider())
                .field("winlog.computer_name", rec.computer())
                .field("winlog.record_id", rec.recordId)
                .field("winlog.keywords", rec.keywords)
                .field("winlog.level", present(rec.level))
                .field("winlog.user.identifier", present(rec.userSid));
        Map<String, String> data = rec.data;
        if (data.size() > EVENT_DATA_BUDGET) {
            // A crafted record could name every allow-listed field; keep a deterministic subset
            // so the event stays within ExtraFields.MAX_FIELDS, and say so.
            Map<String, String> kept = new TreeMap<>();
            for (Map.Entry<String, String> e : new TreeMap<>(data).entrySet()) {
                if (kept.size() == EVENT_DATA_BUDGET) break;
                kept.put(e.getKey(), e.getValue());
            }
            data = kept;
            b.tag("vigil_fields_dropped");
        }
        for (Map.Entry<String, String> e : data.entrySet()) {
            b.field(EventDataNames.field(e.getKey()), e.getValue());
        }
    }

    // ---------------------------------------------------------------- Security

    private static void security(WinRecord rec, int id, SecurityEvent.Builder b) {
        switch (role(id)) {
            case TARGET -> targetUser(rec, b);
            case SUBJECT -> subjectUser(rec, b);
            case SUBJECT_ON_USER -> {
                subjectUser(rec, b);
                String target = present(rec.get("TargetUserName"));
                if (target == null) target = present(rec.get("NewTargetUserName"));
                b.userTargetName(target);
            }
            case SUBJECT_ON_GROUP -> {
                subjectUser(rec, b);
                b.field("group.name", present(rec.get("TargetUserName")))
                        .field("group.domain", present(rec.get("TargetDomainName")))
                        .field("group.id", present(firstOf(rec.get("TargetSid"), rec.get("TargetUserSid"))));
                b.userTargetName(memberName(rec.get("MemberName")));
            }
            case SESSION -> {
                b.userName(present(rec.get("AccountName"))).userDomain(present(rec.get("AccountDomain")));
                b.sourceIp(WinValues.ip(rec.get("ClientAddress"))).sourceDomain(present(rec.get("ClientName")));
            }
            case FALLBACK -> {
                if (present(rec.get("SubjectUserName")) != null) {
                    subjectUser(rec, b);
                } else {
                    targetUser(rec, b);
                }
            }
        }

        // Who else took part: the subject of a logon, the account a new process runs as.
        if (id == 4624 || id == 4648) {
            b.relatedUser(present(rec.get("SubjectUserName")));
        } else if (id == 4688) {
            b.relatedUser(present(rec.get("TargetUserName")));
        }

        // Network origin of authentication events (Winlogbeat's renameCommonAuthFields).
        if (rec.get("IpAddress") != null) {
            b.sourceIp(WinValues.ip(rec.get("IpAddress")));
            b.sourcePort(WinValues.port(rec.get("IpPort")));
        }
        String workstation = present(rec.get("WorkstationName"));
        if (workstation == null && id == 4776) {
            // NTLM validation names the client computer "Workstation"; spray detection groups by it.
            workstation = present(rec.get("Workstation"));
        }
        if (workstation != null) {
            b.sourceDomain(workstation);
        }

        String logonType = present(rec.get("LogonType"));
        if (logonType != null) {
            b.field("winlog.logon.type", LOGON_TYPES.get(logonType));
        }
        String logonId = role(id) == UserRole.TARGET ? rec.get("TargetLogonId") : rec.get("SubjectLogonId");
        b.field("winlog.logon.id", present(logonId));

        if (id == 4688) {
            process(b, rec.get("NewProcessName"), rec.get("NewProcessId"), rec.get("CommandLine"));
            b.processParentExecutable(present(rec.get("ParentProcessName")));
            b.field("process.parent.name", WinValues.baseName(present(rec.get("ParentProcessName"))));
            Long parentPid = WinValues.number(rec.get("ProcessId"));
            b.field("process.parent.pid", parentPid == null ? null : parentPid.toString());
        } else {
            process(b, rec.get("ProcessName"), rec.get("ProcessId"), rec.get("CommandLine"));
        }
        if (id == 4697) {
            b.field("service.name", present(rec.get("ServiceName")));
        }
    }

    private static UserRole role(int id) {
        return switch (id) {
            case 4624, 4625, 4634, 4647, 4648, 4768, 4769, 4770, 4771, 4776, 4964 -> UserRole.TARGET;
            case 4720, 4722, 4723, 4724, 4725, 4726, 4738, 4740, 4767, 4781, 4741, 4742, 4743 ->
                    UserRole.SUBJECT_ON_USER;
            case 4727, 4728, 4729, 4730, 4731, 4732, 4733, 4734, 4735, 4737, 4744, 4745, 4746, 4747, 4748, 4749,
                    4750, 4751, 4752, 4753, 4754, 4755, 4756, 4757, 4758, 4759, 4760, 4761, 4762, 4763, 4764, 4799 ->
                    UserRole.SUBJECT_ON_GROUP;
            case 4778, 4779 -> UserRole.SESSION;
            case 1102, 517, 4672, 4673, 4674, 4688, 4689, 4697, 4698, 4699, 4700, 4701, 4702, 4719, 4798 ->
                    UserRole.SUBJECT;
            default -> UserRole.FALLBACK;
        };
    }

    /** The account a logon or ticket is for; Kerberos writes it {@code user@REALM}. */
    private static void targetUser(WinRecord rec, SecurityEvent.Builder b) {
        String name = present(rec.get("TargetUserName"));
        if (name != null) {
            int at = name.indexOf('@');
            if (at > 0) {
                name = name.substring(0, at);
            }
        }
        b.userName(name)
                .userDomain(present(rec.get("TargetDomainName")))
                .userId(present(rec.get("TargetUserSid")));
    }

    /** The account that performed the action. */
    private static void subjectUser(WinRecord rec, SecurityEvent.Builder b) {
        b.userName(present(rec.get("SubjectUserName")))
                .userDomain(present(rec.get("SubjectDomainName")))
                .userId(present(rec.get("SubjectUserSid")));
    }

    /** The account of a group member: the CN of a distinguished name, or the name as given. */
    private static String memberName(String member) {
        String m = present(member);
        if (m == null) {
            return null;
        }
        if (m.regionMatches(true, 0, "CN=", 0, 3)) {
            int comma = m.indexOf(',');
            return comma > 3 ? m.substring(3, comma) : m.substring(3);
        }
        return m;
    }

    /** Fills the 1102 subject from the Message when the record has no SubjectUserName. */
    private static void subjectFromMessage(WinRecord rec) {
        if (rec.get("SubjectUserName") != null || rec.message == null) {
            return;
        }
        putFromMessage(rec, "SubjectUserName", MSG_ACCOUNT);
        putFromMessage(rec, "SubjectDomainName", MSG_DOMAIN);
        putFromMessage(rec, "SubjectUserSid", MSG_SID);
        putFromMessage(rec, "SubjectLogonId", MSG_LOGON_ID);
    }

    private static void putFromMessage(WinRecord rec, String name, Pattern pattern) {
        Matcher m = pattern.matcher(rec.message);
        if (m.find()) {
            String v = m.group(1).trim();
            if (!v.isEmpty()) {
                rec.data.put(name, v);
            }
        }
    }

    // ---------------------------------------------------------------- Sysmon / System / others

    private static void sysmon(WinRecord rec, int id, SecurityEvent.Builder b) {
        String user = present(rec.get("User"));
        if (user != null) {
            int slash = user.indexOf('\\');
            if (slash > 0) {
                b.userDomain(user.substring(0, slash)).userName(user.substring(slash + 1));
            } else {
                b.userName(user);
            }
        }
        b.userId(present(rec.userSid));
        if (id == 8 || id == 10) {
            process(b, rec.get("SourceImage"), rec.get("SourceProcessId"), null);
        } else {
            process(b, rec.get("Image"), rec.get("ProcessId"), rec.get("CommandLine"));
        }
        if (id == 1) {
            b.processParentExecutable(present(rec.get("ParentImage")));
            b.field("process.parent.name", WinValues.baseName(present(rec.get("ParentImage"))));
            Long ppid = WinValues.number(rec.get("ParentProcessId"));
            b.field("process.parent.pid", ppid == null ? null : ppid.toString());
            b.field("process.parent.command_line", present(rec.get("ParentCommandLine")));
        }
        if (id == 3) {
            b.sourceIp(WinValues.ip(rec.get("SourceIp")))
                    .sourcePort(WinValues.port(rec.get("SourcePort")))
                    .sourceDomain(present(rec.get("SourceHostname")))
                    .destinationIp(WinValues.ip(rec.get("DestinationIp")))
                    .destinationPort(WinValues.port(rec.get("DestinationPort")))
                    .destinationDomain(present(rec.get("DestinationHostname")));
        }
        switch (id) {
            case 2, 11, 15, 23, 26 -> b.field("file.path", present(rec.get("TargetFilename")));
            case 6, 7 -> b.field("file.path", present(rec.get("ImageLoaded")));
            case 9 -> b.field("file.path", present(rec.get("Device")));
            case 17, 18 -> b.field("file.name", present(rec.get("PipeName")));
            case 22 -> b.field("dns.question.name", present(rec.get("QueryName")));
            default -> { }
        }
        b.field("rule.name", present(rec.get("RuleName")));
    }

    private static void system(WinRecord rec, int id, SecurityEvent.Builder b) {
        if (id == 7045) {
            b.field("service.name", present(rec.get("ServiceName")));
        }
        process(b, rec.get("ProcessName"), rec.get("ProcessId"), null);
    }

    private static void generic(WinRecord rec, SecurityEvent.Builder b) {
        if (present(rec.get("SubjectUserName")) != null) {
            subjectUser(rec, b);
        } else if (present(rec.get("TargetUserName")) != null) {
            targetUser(rec, b);
        }
        process(b, firstOf(rec.get("Image"), rec.get("ProcessName")), rec.get("ProcessId"), rec.get("CommandLine"));
    }

    private static void process(SecurityEvent.Builder b, String executable, String pid, String commandLine) {
        String exe = present(executable);
        b.processExecutable(exe).processName(WinValues.baseName(exe));
        b.processPid(WinValues.number(pid));
        b.processCommandLine(present(commandLine));
    }

    // ---------------------------------------------------------------- outcome

    /**
     * {@code event.outcome}: what the event id says (a 4625 is a failure whatever its keywords),
     * then the audit result in Keywords / NXLog EventType, then a shipper's own outcome.
     */
    static String outcome(WinRecord rec, Channel channel, int id) {
        if (channel == Channel.SECURITY) {
            switch (id) {
                case 4625, 4771 -> {
                    return "failure";
                }
                case 4624 -> {
                    return "success";
                }
                case 4768, 4769, 4776 -> {
                    Boolean zero = WinValues.statusIsZero(rec.get("Status"));
                    if (zero != null) {
                        return zero ? "success" : "failure";
                    }
                }
                default -> { }
            }
        }
        String fromKeywords = WinValues.auditResult(rec.keywords);
        if (fromKeywords != null) {
            return fromKeywords;
        }
        if ("AUDIT_FAILURE".equalsIgnoreCase(rec.auditType)) {
            return "failure";
        }
        if ("AUDIT_SUCCESS".equalsIgnoreCase(rec.auditType)) {
            return "success";
        }
        String hint = rec.outcomeHint;
        if ("success".equals(hint) || "failure".equals(hint) || "unknown".equals(hint)) {
            return hint;
        }
        return null;
    }

    private static String firstOf(String a, String b) {
        return a != null ? a : b;
    }
}
