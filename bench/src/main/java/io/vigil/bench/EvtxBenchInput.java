package io.vigil.bench;

import io.vigil.formats.evtx.EvtxEvent;
import io.vigil.formats.evtx.EvtxTypedValue;
import io.vigil.formats.evtx.EvtxWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Iterator;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * A large Windows event log for the EVTX figures of the decode benchmark, written with
 * {@link EvtxWriter} in memory: Sysmon 1 (process creation), 3 (network connection), 11 (file
 * created) and Security 4624, 4625, 4688, with the EventData names and value types those providers
 * write, of one computer as a collected log is (each event id is its own template, as in Windows'
 * own logs, shared by every record of that id in a chunk), thousands of distinct users, processes,
 * addresses and paths. Deterministic for a seed; iterating again gives the same
 * events (the writer goes through them twice).
 */
final class EvtxBenchInput implements Iterable<EvtxEvent> {

    static final UUID SYSMON = UUID.fromString("5770385f-c22a-43e0-bf4c-06f5698ffbd9");
    static final UUID SECURITY = UUID.fromString("54849625-5478-4994-a5ba-3e3b0328c30d");
    private static final Instant START = Instant.parse("2026-03-02T08:00:00Z");
    /** One machine's log, as a collected file is: its templates name the computer. */
    private static final String COMPUTER = "WS-0117.corp.example.com";
    private static final String[] IMAGES = {"C:\\Windows\\System32\\cmd.exe", "C:\\Windows\\System32\\svchost.exe",
        "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe", "C:\\Windows\\explorer.exe",
        "C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe", "C:\\Windows\\System32\\rundll32.exe",
        "C:\\Windows\\System32\\conhost.exe", "C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE",
        "C:\\Windows\\System32\\wbem\\WmiPrvSE.exe", "C:\\Windows\\System32\\schtasks.exe"};
    private static final String[] VERBS = {"/c echo", "-NoProfile -Command Get-Item", "/S /Q", "--type=renderer",
        "-k netsvcs -p -s", "/create /tn", "-ExecutionPolicy Bypass -File", "/query"};
    private static final String[] EXTENSIONS = {".tmp", ".log", ".docx", ".ps1", ".dll", ".dat", ".exe", ".json"};

    private static final DateTimeFormatter SYSMON_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS", Locale.ROOT).withZone(ZoneOffset.UTC);

    private final long count;
    private final long seed;

    EvtxBenchInput(long count, long seed) {
        this.count = count;
        this.seed = seed;
    }

    /** The whole log as the bytes of an {@code .evtx} file. */
    byte[] toBytes() {
        return EvtxWriter.toBytes(this);
    }

    @Override
    public Iterator<EvtxEvent> iterator() {
        SplittableRandom random = new SplittableRandom(seed);
        return new Iterator<>() {
            private long next = 1;
            private long ticks;

            @Override
            public boolean hasNext() {
                return next <= count;
            }

            @Override
            public EvtxEvent next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                ticks += 1 + random.nextInt(20_000_000); // up to 2 s apart, to the 100 ns tick
                Instant time = START.plusNanos(ticks * 100);
                return event(random, next++, time);
            }
        };
    }

    private static EvtxEvent event(SplittableRandom r, long recordId, Instant time) {
        int kind = r.nextInt(100);
        String computer = COMPUTER;
        if (kind < 20) {
            return sysmonProcess(r, time, sysmon(r, 1, recordId, time, computer));
        } else if (kind < 45) {
            return sysmonNetwork(r, time, sysmon(r, 3, recordId, time, computer));
        } else if (kind < 60) {
            return sysmonFile(r, time, sysmon(r, 11, recordId, time, computer));
        } else if (kind < 80) {
            return logon(r, security(4624, 12544, recordId, time, computer), true);
        } else if (kind < 85) {
            return logon(r, security(4625, 12544, recordId, time, computer), false);
        }
        return processCreation(r, security(4688, 13312, recordId, time, computer));
    }

    private static EvtxEvent.Builder sysmon(SplittableRandom r, int eventId, long recordId, Instant time, String computer) {
        return EvtxEvent.builder().provider("Microsoft-Windows-Sysmon", SYSMON).eventId(eventId)
                .version(eventId == 1 ? 5 : 2).level(4).task(eventId).opcode(0).keywords(0x8000000000000000L)
                .timeCreated(time).recordId(recordId).execution(3120, 4000 + r.nextInt(200))
                .channel("Microsoft-Windows-Sysmon/Operational").computer(computer).userId("S-1-5-18");
    }

    private static EvtxEvent.Builder security(int eventId, int task, long recordId, Instant time, String computer) {
        return EvtxEvent.builder().provider("Microsoft-Windows-Security-Auditing", SECURITY).eventId(eventId)
                .version(eventId == 4624 ? 2 : eventId == 4688 ? 2 : 0).level(0).task(task).opcode(0)
                .keywords(eventId == 4625 ? 0x8010000000000000L : 0x8020000000000000L)
                .timeCreated(time).recordId(recordId).execution(636, 700 + (int) (recordId % 64))
                .channel("Security").computer(computer);
    }

    private static EvtxEvent sysmonProcess(SplittableRandom r, Instant time, EvtxEvent.Builder b) {
        String image = image(r);
        String parent = image(r);
        String user = "CORP\\" + user(r);
        return b.data("RuleName", text("-"))
                .data("UtcTime", text(utc(time)))
                .data("ProcessGuid", EvtxTypedValue.guid(guid(r)))
                .data("ProcessId", EvtxTypedValue.uint32(pid(r)))
                .data("Image", text(image))
                .data("FileVersion", text("10.0.19041." + r.nextInt(5000) + " (WinBuild.160101.0800)"))
                .data("Description", text("Windows Command Processor"))
                .data("Product", text("Microsoft® Windows® Operating System"))
                .data("Company", text("Microsoft Corporation"))
                .data("OriginalFileName", text(image.substring(image.lastIndexOf('\\') + 1)))
                .data("CommandLine", text(commandLine(r, image)))
                .data("CurrentDirectory", text("C:\\Users\\" + user(r) + "\\"))
                .data("User", text(user))
                .data("LogonGuid", EvtxTypedValue.guid(guid(r)))
                .data("LogonId", EvtxTypedValue.hexInt64(logonId(r)))
                .data("TerminalSessionId", EvtxTypedValue.uint32(r.nextInt(4)))
                .data("IntegrityLevel", text(r.nextBoolean() ? "Medium" : "High"))
                .data("Hashes", text("SHA1=" + hex(r, 40) + ",MD5=" + hex(r, 32) + ",SHA256=" + hex(r, 64)
                        + ",IMPHASH=" + hex(r, 32)))
                .data("ParentProcessGuid", EvtxTypedValue.guid(guid(r)))
                .data("ParentProcessId", EvtxTypedValue.uint32(pid(r)))
                .data("ParentImage", text(parent))
                .data("ParentCommandLine", text(commandLine(r, parent)))
                .data("ParentUser", text(user))
                .build();
    }

    private static EvtxEvent sysmonNetwork(SplittableRandom r, Instant time, EvtxEvent.Builder b) {
        boolean out = r.nextInt(10) < 8;
        String local = "10.20." + r.nextInt(40) + "." + (1 + r.nextInt(254));
        String remote = r.nextInt(3) == 0 ? "10.20." + r.nextInt(40) + "." + (1 + r.nextInt(254))
                : (20 + r.nextInt(180)) + "." + r.nextInt(256) + "." + r.nextInt(256) + "." + (1 + r.nextInt(254));
        int[] ports = {443, 80, 445, 3389, 53, 135, 5985, 22};
        int service = ports[r.nextInt(ports.length)];
        int ephemeral = 49152 + r.nextInt(16000);
        return b.data("RuleName", text("-"))
                .data("UtcTime", text(utc(time)))
                .data("ProcessGuid", EvtxTypedValue.guid(guid(r)))
                .data("ProcessId", EvtxTypedValue.uint32(pid(r)))
                .data("Image", text(image(r)))
                .data("User", text("CORP\\" + user(r)))
                .data("Protocol", text(service == 53 ? "udp" : "tcp"))
                .data("Initiated", EvtxTypedValue.bool(out))
                .data("SourceIsIpv6", EvtxTypedValue.bool(false))
                .data("SourceIp", text(out ? local : remote))
                .data("SourceHostname", text(out ? "ws-" + r.nextInt(500) + ".corp.example.com" : "-"))
                .data("SourcePort", EvtxTypedValue.uint16(out ? ephemeral : service))
                .data("SourcePortName", text("-"))
                .data("DestinationIsIpv6", EvtxTypedValue.bool(false))
                .data("DestinationIp", text(out ? remote : local))
                .data("DestinationHostname", text(out ? "host" + r.nextInt(3000) + ".example.net" : "-"))
                .data("DestinationPort", EvtxTypedValue.uint16(out ? service : ephemeral))
                .data("DestinationPortName", text(service == 443 ? "https" : service == 80 ? "http" : "-"))
                .build();
    }

    private static EvtxEvent sysmonFile(SplittableRandom r, Instant time, EvtxEvent.Builder b) {
        return b.data("RuleName", text("-"))
                .data("UtcTime", text(utc(time)))
                .data("ProcessGuid", EvtxTypedValue.guid(guid(r)))
                .data("ProcessId", EvtxTypedValue.uint32(pid(r)))
                .data("Image", text(image(r)))
                .data("TargetFilename", text("C:\\Users\\" + user(r) + "\\AppData\\Local\\Temp\\"
                        + Long.toHexString(r.nextLong() >>> 24) + EXTENSIONS[r.nextInt(EXTENSIONS.length)]))
                .data("CreationUtcTime", text(utc(time.minusSeconds(r.nextInt(86_400)))))
                .data("User", text("CORP\\" + user(r)))
                .build();
    }

    private static EvtxEvent logon(SplittableRandom r, EvtxEvent.Builder b, boolean success) {
        String user = user(r);
        b.data("SubjectUserSid", EvtxTypedValue.sid("S-1-5-18"))
                .data("SubjectUserName", text("DC01$"))
                .data("SubjectDomainName", text("CORP"))
                .data("SubjectLogonId", EvtxTypedValue.hexInt64(0x3e7))
                .data("TargetUserSid", EvtxTypedValue.sid(success ? userSid(r) : "S-1-0-0"))
                .data("TargetUserName", text(user))
                .data("TargetDomainName", text("CORP"));
        if (success) {
            b.data("TargetLogonId", EvtxTypedValue.hexInt64(logonId(r)));
        } else {
            b.data("Status", EvtxTypedValue.hexInt32(0xc000006d))
                    .data("FailureReason", text("%%2313"))
                    .data("SubStatus", EvtxTypedValue.hexInt32(r.nextBoolean() ? 0xc000006a : 0xc0000064));
        }
        b.data("LogonType", EvtxTypedValue.uint32(new int[] {2, 3, 3, 3, 10, 5}[r.nextInt(6)]))
                .data("LogonProcessName", text(r.nextBoolean() ? "NtLmSsp " : "Kerberos"))
                .data("AuthenticationPackageName", text(r.nextBoolean() ? "NTLM" : "Kerberos"))
                .data("WorkstationName", text("WS-" + r.nextInt(1000)));
        if (success) {
            b.data("LogonGuid", EvtxTypedValue.guid(guid(r)));
        }
        b.data("TransmittedServices", text("-"))
                .data("LmPackageName", text(r.nextBoolean() ? "NTLM V2" : "-"))
                .data("KeyLength", EvtxTypedValue.uint32(r.nextBoolean() ? 128 : 0))
                .data("ProcessId", EvtxTypedValue.hexInt64(0x264 + r.nextInt(4000)))
                .data("ProcessName", text("C:\\Windows\\System32\\lsass.exe"))
                .data("IpAddress", text("10.20." + r.nextInt(40) + "." + (1 + r.nextInt(254))))
                .data("IpPort", text(Integer.toString(49152 + r.nextInt(16000))));
        if (success) {
            b.data("ImpersonationLevel", text("%%1833"))
                    .data("RestrictedAdminMode", text("-"))
                    .data("TargetOutboundUserName", text("-"))
                    .data("TargetOutboundDomainName", text("-"))
                    .data("VirtualAccount", text("%%1843"))
                    .data("TargetLinkedLogonId", EvtxTypedValue.hexInt64(0))
                    .data("ElevatedToken", text("%%1842"));
        }
        return b.build();
    }

    private static EvtxEvent processCreation(SplittableRandom r, EvtxEvent.Builder b) {
        String image = image(r);
        return b.data("SubjectUserSid", EvtxTypedValue.sid(userSid(r)))
                .data("SubjectUserName", text(user(r)))
                .data("SubjectDomainName", text("CORP"))
                .data("SubjectLogonId", EvtxTypedValue.hexInt64(logonId(r)))
                .data("NewProcessId", EvtxTypedValue.hexInt64(pid(r)))
                .data("NewProcessName", text(image))
                .data("TokenElevationType", text("%%1938"))
                .data("ProcessId", EvtxTypedValue.hexInt64(pid(r)))
                .data("CommandLine", text(commandLine(r, image)))
                .data("TargetUserSid", EvtxTypedValue.sid("S-1-0-0"))
                .data("TargetUserName", text("-"))
                .data("TargetDomainName", text("-"))
                .data("TargetLogonId", EvtxTypedValue.hexInt64(0))
                .data("ParentProcessName", text(image(r)))
                .data("MandatoryLabel", EvtxTypedValue.sid("S-1-16-8192"))
                .build();
    }

    private static EvtxTypedValue text(String s) {
        return EvtxTypedValue.wstring(s);
    }

    private static String user(SplittableRandom r) {
        return "user" + r.nextInt(3000);
    }

    private static String userSid(SplittableRandom r) {
        return "S-1-5-21-1004336348-1177238915-682003330-" + (1000 + r.nextInt(3000));
    }

    private static String image(SplittableRandom r) {
        return r.nextInt(4) == 0
                ? "C:\\Users\\" + user(r) + "\\AppData\\Local\\Temp\\tool" + r.nextInt(2000) + ".exe"
                : IMAGES[r.nextInt(IMAGES.length)];
    }

    private static String commandLine(SplittableRandom r, String image) {
        return "\"" + image + "\" " + VERBS[r.nextInt(VERBS.length)] + " C:\\ProgramData\\job" + r.nextInt(5000)
                + EXTENSIONS[r.nextInt(EXTENSIONS.length)];
    }

    private static long pid(SplittableRandom r) {
        return 4 * (1 + r.nextInt(16000));
    }

    private static long logonId(SplittableRandom r) {
        return 0x10000L + r.nextInt(1 << 24);
    }

    private static UUID guid(SplittableRandom r) {
        return new UUID(r.nextLong(), r.nextLong());
    }

    /** Sysmon's own time fields: UTC, to the millisecond, with a space. */
    private static String utc(Instant t) {
        return SYSMON_TIME.format(t);
    }

    private static String hex(SplittableRandom r, int digits) {
        StringBuilder s = new StringBuilder(digits);
        for (int i = 0; i < digits; i++) {
            s.append(Character.toUpperCase(Character.forDigit(r.nextInt(16), 16)));
        }
        return s.toString();
    }
}
