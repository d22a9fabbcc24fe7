package io.vigil.formats.windows;

/**
 * The event log channel of a record, matched case-insensitively (one OTRF file carries both
 * {@code Security} and {@code security}), with the ECS module and dataset it maps to.
 */
public enum Channel {
    SECURITY("Security", "security", "windows.security"),
    SYSTEM("System", "system", "windows.system"),
    SYSMON("Microsoft-Windows-Sysmon/Operational", "sysmon", "windows.sysmon_operational"),
    POWERSHELL("Windows PowerShell", "windows", "windows.powershell"),
    POWERSHELL_OPERATIONAL("Microsoft-Windows-PowerShell/Operational", "windows", "windows.powershell_operational"),
    /** Any other channel: kept under its own name, module {@code windows}. */
    OTHER(null, "windows", "windows.other");

    public final String canonical;
    public final String module;
    public final String dataset;

    Channel(String canonical, String module, String dataset) {
        this.canonical = canonical;
        this.module = module;
        this.dataset = dataset;
    }

    /**
     * The channel named {@code name}; when the record names none, the one its provider writes
     * to (Security auditing, Sysmon), else {@link #OTHER}.
     */
    public static Channel of(String name, String provider) {
        if (name != null) {
            for (Channel c : values()) {
                if (c.canonical != null && c.canonical.equalsIgnoreCase(name)) {
                    return c;
                }
            }
            return OTHER;
        }
        if ("Microsoft-Windows-Security-Auditing".equalsIgnoreCase(provider)) {
            return SECURITY;
        }
        if ("Microsoft-Windows-Sysmon".equalsIgnoreCase(provider)) {
            return SYSMON;
        }
        return OTHER;
    }

    /** The channel name to report: the canonical spelling, or the record's own for {@link #OTHER}. */
    public String display(String recordName) {
        return canonical != null ? canonical : recordName;
    }
}
