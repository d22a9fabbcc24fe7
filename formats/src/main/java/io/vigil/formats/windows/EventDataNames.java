package io.vigil.formats.windows;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The allow-list of EventData/UserData names the decoder keeps as {@code winlog.event_data.<Name>}.
 *
 * <p>These are field names defined by the Windows Security auditing, Service Control Manager, Event
 * Log and Sysmon manifests (what Sigma rules and analysts refer to). Any other key in a record is
 * ignored, so an attacker-controlled key can never become a field name (docs/architecture.md,
 * invariant 6) and documents stay within the field budget.
 */
public final class EventDataNames {

    private EventDataNames() {}

    /** Allowed EventData/UserData names. */
    public static final Set<String> ALLOWED = Set.of(
            // subject / target accounts
            "SubjectUserSid", "SubjectUserName", "SubjectDomainName", "SubjectLogonId",
            "TargetUserSid", "TargetUserName", "TargetDomainName", "TargetLogonId", "TargetSid",
            "TargetLinkedLogonId", "TargetLogonGuid", "TargetOutboundUserName", "TargetOutboundDomainName",
            "TargetServerName", "TargetInfo", "TargetName", "NewTargetUserName", "OldTargetUserName",
            "MemberName", "MemberSid", "AccountName", "AccountDomain", "SamAccountName", "UserPrincipalName",
            "DisplayName", "SidHistory", "PrivilegeList", "EnabledPrivilegeList", "DisabledPrivilegeList",
            "UserAccountControl", "OldUacValue", "NewUacValue", "PasswordLastSet", "AccountExpires",
            "PrimaryGroupId", "AllowedToDelegateTo", "HomeDirectory", "HomePath", "ScriptPath", "ProfilePath",
            "UserWorkstations", "LogonHours", "UserParameters",
            // logon / authentication
            "LogonType", "LogonProcessName", "AuthenticationPackageName", "LmPackageName", "KeyLength",
            "LogonGuid", "LogonId", "LogonID", "ElevatedToken", "ImpersonationLevel", "RestrictedAdminMode",
            "VirtualAccount", "TransmittedServices", "Status", "SubStatus", "FailureReason",
            "IpAddress", "IpPort", "WorkstationName", "Workstation", "ClientAddress", "ClientName",
            "SessionName", "PackageName", "TicketEncryptionType", "TicketOptions", "ServiceName", "ServiceSid",
            "PreAuthType", "CertIssuerName", "CertSerialNumber", "CertThumbprint",
            // audit policy
            "AuditPolicyChanges", "SubcategoryGuid", "SubcategoryId", "CategoryId",
            // processes
            "ProcessId", "ProcessName", "NewProcessId", "NewProcessName", "ParentProcessName", "CommandLine",
            "TokenElevationType", "MandatoryLabel", "CallerProcessId", "CallerProcessName", "ClientProcessId",
            // objects and shares
            "ObjectServer", "ObjectType", "ObjectName", "ObjectClass", "ObjectDN", "HandleId", "AccessList",
            "AccessMask", "AccessReason", "ResourceAttributes", "Properties", "AttributeLDAPDisplayName",
            "AttributeValue", "OperationType", "OldSd", "NewSd", "ShareName", "ShareLocalPath", "RelativeTargetName",
            // services and tasks
            "ServiceFileName", "ServiceType", "ServiceStartType", "ServiceAccount", "ImagePath", "StartType",
            "TaskName", "TaskContent", "TaskContentNew",
            // filtering platform
            "Application", "Direction", "SourceAddress", "SourcePort", "DestAddress", "DestPort", "Protocol",
            "LayerName", "LayerRTID", "FilterRTID", "RemoteUserID", "RemoteMachineID",
            // System channel (Service Control Manager inserts)
            "param1", "param2", "param3", "param4",
            // unnamed <Data> values of classic providers, joined (evtx_dump writes them under "Data")
            "Data",
            // Sysmon
            "RuleName", "UtcTime", "ProcessGuid", "Image", "FileVersion", "Description", "Product", "Company",
            "OriginalFileName", "CurrentDirectory", "User", "IntegrityLevel", "Hashes", "ParentProcessGuid",
            "ParentProcessId", "ParentImage", "ParentCommandLine", "ParentUser", "TerminalSessionId",
            "SourceProcessGUID", "SourceProcessGuid", "SourceProcessId", "SourceThreadId", "SourceImage",
            "TargetProcessGUID", "TargetProcessGuid", "TargetProcessId", "TargetImage", "GrantedAccess",
            "CallTrace", "TargetFilename", "CreationUtcTime", "PreviousCreationUtcTime", "TargetObject",
            "Details", "EventType", "NewName", "ImageLoaded", "Signed", "Signature", "SignatureStatus",
            "Initiated", "SourceIsIpv6", "SourceIp", "SourceHostname", "SourcePortName", "DestinationIsIpv6",
            "DestinationIp", "DestinationHostname", "DestinationPort", "DestinationPortName", "StartAddress",
            "StartModule", "StartFunction", "NewThreadId", "Device", "PipeName", "QueryName", "QueryStatus",
            "QueryResults", "Operation", "Consumer", "Filter", "Destination", "Query", "Archived", "IsExecutable",
            "State", "Version", "SchemaVersion", "Configuration", "ConfigurationFileHash",
            // other providers' fields that SigmaHQ's Windows rules read (PowerShell, Defender, WMI, AppX,
            // BITS, code integrity, NTLM, LDAP, OpenSSH, ...); SigmaWindowsFieldsTest keeps this complete
            "Action", "AdditionalInfo", "Address", "AppID", "AppName", "ApplicationPath", "AuditSourceName",
            "Binary", "CallingProcess", "Caption", "ClassName", "Contents", "ContextInfo", "DeviceDescription",
            "DeviceName", "DistinguishedName", "EncyptionUsed", "ErrorCode", "ExceptionCode", "Feature_Name",
            "FileName", "FileNameBuffer", "FilterName", "FilterOrigin", "Flags", "HasFullTrust", "Hash", "HiveName",
            "ImageName", "IsatapRouter", "LocalName", "ModifyingApplication", "Name", "NewTemplateContent",
            "NewValue", "ObjectValueName", "OldValue", "Origin", "PackageFullName", "PackagePath",
            "PackageSourceUri", "Path", "Payload", "PossibleCause", "ProcessNameBuffer", "ProcessPath", "Provider",
            "ProviderContextName", "Reason", "RemoteName", "RequestedPolicy", "ScriptBlockText", "SearchFilter",
            "ServerName", "Service", "ServicePrincipalNames", "SidList", "SigningUsed", "SourceCommandLine",
            "SourceFilename", "SourceName", "SourceParentImage", "SourceUser", "TargetParentProcessId",
            "TemplateContent", "Type", "UserName", "Value", "payload", "process", "processPath", "subjectName");

    /**
     * NXLog/Logstash record metadata that share the top level with EventData in the flat shape.
     * They are never taken as EventData there (NXLog's {@code EventType} is the audit result, its
     * {@code Version} the record version), though Winlogbeat's {@code winlog.event_data} may hold
     * fields of the same name.
     */
    public static final Set<String> NXLOG_METADATA = Set.of(
            "EventType", "Version", "Category", "Task", "Opcode", "OpcodeValue", "Severity", "SeverityValue",
            "ExecutionProcessID", "ThreadID", "SourceModuleName", "SourceModuleType", "EventReceivedTime",
            "ProviderGuid", "ActivityID", "Level", "Domain", "AccountType", "UserID");

    /**
     * The ECS field of each allowed name, {@code winlog.event_data.<Name>}, made once: the mapper
     * would otherwise build (and the event hash) a new string per field per record.
     */
    private static final Map<String, String> FIELDS = fields();

    private static Map<String, String> fields() {
        Map<String, String> m = new HashMap<>();
        for (String name : ALLOWED) {
            m.put(name, "winlog.event_data." + name);
        }
        return m;
    }

    /** The ECS field name of the EventData value {@code name}. */
    public static String field(String name) {
        String f = FIELDS.get(name);
        return f != null ? f : "winlog.event_data." + name;
    }

    /**
     * The allowed name an EventData key stands for: the key itself, or the key without its spaces or
     * with them as underscores (Defender writes {@code Source Name} and {@code Feature Name}, which
     * Sigma rules read as {@code SourceName} and {@code Feature_Name}); {@code null} when none is
     * allowed. The result is always an allow-listed name, never the record's text.
     */
    public static String canonical(String key) {
        if (ALLOWED.contains(key)) {
            return key;
        }
        if (key.length() > 64 || key.indexOf(' ') < 0) {
            return null;
        }
        String compact = key.replace(" ", "");
        if (ALLOWED.contains(compact)) {
            return compact;
        }
        String underscored = key.replace(' ', '_');
        return ALLOWED.contains(underscored) ? underscored : null;
    }

    /** Whether {@code name} is kept when it appears at the top level of an NXLog record. */
    public static boolean allowedFlat(String name) {
        return ALLOWED.contains(name) && !NXLOG_METADATA.contains(name);
    }
}
