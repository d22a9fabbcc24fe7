package io.vigil.formats.windows;

import java.util.HashMap;
import java.util.Map;

/**
 * {@code event.action}, {@code event.category} and {@code event.type} of an event id in a channel.
 *
 * <p>Security actions follow Winlogbeat's security module (so queries written for Winlogbeat
 * data, e.g. {@code event.action:"logged-in"}, work on Vigil events); Sysmon actions are the
 * Sysmon task names, which is what Winlogbeat reports as {@code event.action} for that channel.
 * Categories and types use ECS allowed values only.
 *
 * @param action the action
 * @param categories ECS {@code event.category} values
 * @param types ECS {@code event.type} values
 */
public record EventAction(String action, String[] categories, String[] types) {

    private static final Map<Integer, EventAction> SECURITY = new HashMap<>();
    private static final Map<Integer, EventAction> SYSTEM = new HashMap<>();
    private static final Map<Integer, EventAction> SYSMON = new HashMap<>();

    /** The action of {@code eventId} in {@code channel}, or {@code null} for an id not in the tables. */
    public static EventAction of(Channel channel, int eventId) {
        return switch (channel) {
            case SECURITY -> SECURITY.get(eventId);
            case SYSTEM -> SYSTEM.get(eventId);
            case SYSMON -> SYSMON.get(eventId);
            default -> null;
        };
    }

    private static void sec(int id, String category, String types, String action) {
        SECURITY.put(id, new EventAction(action, new String[] {category}, types.split(",")));
    }

    private static void sys(int id, String category, String types, String action) {
        SYSTEM.put(id, new EventAction(action, new String[] {category}, types.split(",")));
    }

    private static void sysmon(int id, String categories, String types, String action) {
        SYSMON.put(id, new EventAction(action,
                categories.isEmpty() ? new String[0] : categories.split(","),
                types.isEmpty() ? new String[0] : types.split(",")));
    }

    static {
        // Event log service
        sec(1100, "process", "end", "logging-service-shutdown");
        sec(1102, "iam", "admin,change", "audit-log-cleared");
        sec(1104, "iam", "admin", "logging-full");
        sec(1105, "iam", "admin", "auditlog-archieved"); // sic: Winlogbeat's spelling
        sec(1108, "iam", "admin", "logging-processing-error");
        // Logon / logoff
        sec(4624, "authentication", "start", "logged-in");
        sec(4625, "authentication", "start", "logon-failed");
        sec(4634, "authentication", "end", "logged-out");
        sec(4647, "authentication", "end", "logged-out");
        sec(4648, "authentication", "start", "logged-in-explicit");
        sec(4672, "iam", "admin", "logged-in-special");
        sec(4673, "iam", "admin", "privileged-service-called");
        sec(4674, "iam", "admin", "privileged-operation");
        sec(4964, "iam", "admin,group", "logged-in-special");
        // Processes, services, scheduled tasks
        sec(4688, "process", "start", "created-process");
        sec(4689, "process", "end", "exited-process");
        sec(4697, "iam", "admin,change", "service-installed");
        sec(4698, "iam", "creation,admin", "scheduled-task-created");
        sec(4699, "iam", "deletion,admin", "scheduled-task-deleted");
        sec(4700, "iam", "change,admin", "scheduled-task-enabled");
        sec(4701, "iam", "change,admin", "scheduled-task-disabled");
        sec(4702, "iam", "change,admin", "scheduled-task-updated");
        // Audit policy
        sec(4719, "iam", "admin,change", "changed-audit-config");
        // User accounts
        sec(4720, "iam", "creation,user", "added-user-account");
        sec(4722, "iam", "creation,user", "enabled-user-account");
        sec(4723, "iam", "change,user", "changed-password");
        sec(4724, "iam", "change,user", "reset-password");
        sec(4725, "iam", "deletion,user", "disabled-user-account");
        sec(4726, "iam", "deletion,user", "deleted-user-account");
        sec(4738, "iam", "change,user", "modified-user-account");
        sec(4740, "iam", "change,user", "locked-out-user-account");
        sec(4767, "iam", "change,user", "unlocked-user-account");
        sec(4781, "iam", "change,user", "renamed-user-account");
        // Groups
        sec(4727, "iam", "creation,group", "added-group-account");
        sec(4728, "iam", "change,group", "added-member-to-group");
        sec(4729, "iam", "change,group", "removed-member-from-group");
        sec(4730, "iam", "deletion,group", "deleted-group-account");
        sec(4731, "iam", "creation,group", "added-group-account");
        sec(4732, "iam", "change,group", "added-member-to-group");
        sec(4733, "iam", "change,group", "removed-member-from-group");
        sec(4734, "iam", "deletion,group", "deleted-group-account");
        sec(4735, "iam", "change,group", "modified-group-account");
        sec(4737, "iam", "change,group", "modified-group-account");
        sec(4744, "iam", "creation,group", "added-distribution-group-account");
        sec(4745, "iam", "change,group", "changed-distribution-group-account");
        sec(4746, "iam", "change,group", "added-member-to-distribution-group");
        sec(4747, "iam", "change,group", "removed-member-from-distribution-group");
        sec(4748, "iam", "deletion,group", "deleted-distribution-group-account");
        sec(4749, "iam", "creation,group", "added-distribution-group-account");
        sec(4750, "iam", "change,group", "changed-distribution-group-account");
        sec(4751, "iam", "change,group", "added-member-to-distribution-group");
        sec(4752, "iam", "change,group", "removed-member-from-distribution-group");
        sec(4753, "iam", "deletion,group", "deleted-distribution-group-account");
        sec(4754, "iam", "creation,group", "added-group-account");
        sec(4755, "iam", "change,group", "modified-group-account");
        sec(4756, "iam", "change,group", "added-member-to-group");
        sec(4757, "iam", "change,group", "removed-member-from-group");
        sec(4758, "iam", "deletion,group", "deleted-group-account");
        sec(4759, "iam", "creation,group", "added-distribution-group-account");
        sec(4760, "iam", "change,group", "changed-distribution-group-account");
        sec(4761, "iam", "change,group", "added-member-to-distribution-group");
        sec(4762, "iam", "change,group", "removed-member-from-distribution-group");
        sec(4763, "iam", "deletion,group", "deleted-distribution-group-account");
        sec(4764, "iam", "change,group", "type-changed-group-account");
        sec(4798, "iam", "info,user", "group-membership-enumerated");
        sec(4799, "iam", "info,group", "user-member-enumerated");
        // Computer accounts
        sec(4741, "iam", "creation,admin", "added-computer-account");
        sec(4742, "iam", "change,admin", "changed-computer-account");
        sec(4743, "iam", "deletion,admin", "deleted-computer-account");
        // Kerberos / NTLM
        sec(4768, "authentication", "start", "kerberos-authentication-ticket-requested");
        sec(4769, "authentication", "start", "kerberos-service-ticket-requested");
        sec(4770, "authentication", "start", "kerberos-service-ticket-renewed");
        sec(4771, "authentication", "start", "kerberos-preauth-failed");
        sec(4776, "authentication", "start", "credential-validated");
        // Sessions
        sec(4778, "authentication", "start", "session-reconnected");
        sec(4779, "authentication", "end", "session-disconnected");

        // System channel: Winlogbeat has no module for it; the actions mirror their Security
        // counterparts so one rule can match 7045 and 4697, or 104 next to 1102.
        sys(104, "iam", "admin,change", "log-cleared");
        sys(7045, "iam", "admin,change", "service-installed");
        sys(7040, "configuration", "change", "service-start-type-changed");
        sys(7036, "process", "info", "service-state-changed");

        // Sysmon: the task names (what Winlogbeat reports), categories as its sysmon module.
        sysmon(1, "process", "start", "Process Create (rule: ProcessCreate)");
        sysmon(2, "file", "change", "File creation time changed (rule: FileCreateTime)");
        sysmon(3, "network", "connection,start", "Network connection detected (rule: NetworkConnect)");
        sysmon(4, "process", "change", "Sysmon service state changed");
        sysmon(5, "process", "end", "Process terminated (rule: ProcessTerminate)");
        sysmon(6, "driver", "start", "Driver loaded (rule: DriverLoad)");
        sysmon(7, "process", "change", "Image loaded (rule: ImageLoad)");
        sysmon(8, "process", "change", "CreateRemoteThread detected (rule: CreateRemoteThread)");
        sysmon(9, "process", "access", "RawAccessRead detected (rule: RawAccessRead)");
        sysmon(10, "process", "access", "Process accessed (rule: ProcessAccess)");
        sysmon(11, "file", "creation", "File created (rule: FileCreate)");
        sysmon(12, "configuration,registry", "change", "Registry object added or deleted (rule: RegistryEvent)");
        sysmon(13, "configuration,registry", "change", "Registry value set (rule: RegistryEvent)");
        sysmon(14, "configuration,registry", "change", "Registry object renamed (rule: RegistryEvent)");
        sysmon(15, "file", "access", "File stream created (rule: FileCreateStreamHash)");
        sysmon(16, "configuration", "change", "Sysmon config state changed");
        sysmon(17, "file", "creation", "Pipe Created (rule: PipeEvent)");
        sysmon(18, "file", "access", "Pipe Connected (rule: PipeEvent)");
        sysmon(19, "", "", "WmiEventFilter activity detected (rule: WmiEvent)");
        sysmon(20, "", "", "WmiEventConsumer activity detected (rule: WmiEvent)");
        sysmon(21, "", "", "WmiEventConsumerToFilter activity detected (rule: WmiEvent)");
        sysmon(22, "network", "connection,protocol,info", "Dns query (rule: DnsQuery)");
        sysmon(23, "file", "deletion", "File Delete archived (rule: FileDelete)");
        sysmon(24, "", "", "Clipboard changed (rule: ClipboardChange)");
        sysmon(25, "process", "change", "Process Tampering (rule: ProcessTampering)");
        sysmon(26, "file", "deletion", "File Delete logged (rule: FileDeleteDetected)");
        sysmon(255, "", "error", "Error report");
    }
}
