package io.vigil.simulate;

import static io.vigil.simulate.RecordShapes.access;
import static io.vigil.simulate.RecordShapes.quote;
import static io.vigil.simulate.RecordShapes.syslog;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * A deterministic, endless stream of raw log records as real tools write them: sshd/auth syslog
 * lines (RFC 3164, year-less timestamps), Windows Security/System events as NXLog-style flat JSON,
 * and Apache combined access-log lines. Mostly benign traffic, with one attack {@link Scenario}
 * started after every {@code attackEvery} benign records, the scenarios taken in turn.
 *
 * <p>Record {@code i} (from 0) is written at {@code start + i / rate} seconds of event time. An
 * attack's records are due at fixed event-time offsets from the moment it starts (a brute force
 * tries every two seconds, a backdoor account is deleted minutes after it was created) and each
 * takes the first record slot at or after its due time, so attacks interleave with benign traffic
 * and keep their pace whatever the rate (when slots are scarce they stretch a little, and no new
 * attack starts while earlier ones still have records due).
 *
 * <p>The same seed, start, rate and attack interval give the same records, byte for byte. Not
 * thread-safe.
 */
public final class ScenarioGenerator implements Iterator<GeneratedRecord> {

    /** One attack per this many benign records unless told otherwise. */
    public static final int DEFAULT_ATTACK_EVERY = 1000;

    private static final DateTimeFormatter ISO_MILLIS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter NXLOG_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);

    private static final String SECURITY_AUDITING = "Microsoft-Windows-Security-Auditing";
    private static final String SECURITY_GUID = "{54849625-5478-4994-A5BA-3E3B0328C30D}";
    private static final String AUDIT_SUCCESS = "0x8020000000000000";
    private static final String AUDIT_FAILURE = "0x8010000000000000";
    private static final String DOMAIN = "CORP";
    private static final String DNS_DOMAIN = "corp.example";
    private static final String DOMAIN_SID = "S-1-5-21-3623811015-3361044348-30300820";

    // ---------------------------------------------------------------- the simulated estate

    private static final String[] USERS = {"alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi"};
    private static final String[] LINUX_HOSTS = {"bastion", "web01", "db01"};
    private static final String[] WIN_SERVERS = {"DC01." + DNS_DOMAIN, "FS01." + DNS_DOMAIN, "APP01." + DNS_DOMAIN};
    private static final String[] SUDO_COMMANDS = {
        "/usr/bin/systemctl restart nginx", "/usr/bin/systemctl status postgresql", "/usr/bin/apt-get update",
        "/usr/bin/journalctl -u nginx --since today", "/usr/bin/tail -n 200 /var/log/syslog",
        "/usr/bin/docker ps", "/usr/sbin/logrotate -f /etc/logrotate.conf"};
    private static final String[] CRON_COMMANDS = {
        "cd / && run-parts --report /etc/cron.hourly", "command -v debian-sa1 > /dev/null && debian-sa1 1 1",
        "/usr/local/bin/backup.sh --incremental", "[ -x /usr/lib/php/sessionclean ] && /usr/lib/php/sessionclean"};
    private static final String[] SYSTEMD_MESSAGES = {
        "Started Daily apt download activities.", "Starting Clean php session files...",
        "Finished Rotate log files.", "Started Session %d of user %s.", "Reloading The nginx HTTP and reverse proxy server."};
    private static final String[] PAGES = {
        "/", "/index.html", "/about", "/contact", "/products", "/products/widget-pro", "/products/widget-mini",
        "/blog/", "/blog/2024/05/release-notes", "/blog/2024/06/roadmap", "/search?q=widget&page=2",
        "/docs/getting-started", "/docs/api?version=2", "/pricing", "/login", "/account/orders"};
    private static final String[] ASSETS = {
        "/css/site.css", "/js/app.js", "/js/vendor.min.js", "/images/logo.png", "/images/hero.jpg",
        "/fonts/inter.woff2"};
    private static final String[] USER_AGENTS = {
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
        "Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"};
    private static final String[] SCAN_PATHS = {
        "/.env", "/.git/config", "/wp-login.php", "/admin/", "/phpmyadmin/", "/server-status", "/backup.zip",
        "/config.php.bak", "/.aws/credentials", "/cgi-bin/test.cgi", "/actuator/env", "/console/", "/manager/html",
        "/.DS_Store", "/db.sql", "/old/", "/test.php", "/info.php", "/shell.php", "/api/v1/debug", "/xmlrpc.php",
        "/.svn/entries", "/web.config", "/install.php", "/solr/admin/", "/jenkins/", "/.htpasswd",
        "/wp-config.php.bak", "/administrator/", "/login.jsp"};
    private static final String[] ENUM_USERS = {
        "admin", "oracle", "test", "postgres", "ubuntu", "guest", "ftpuser", "git", "pi", "support", "user", "nagios"};
    private static final String[] SPRAY_USERS = {
        "administrator", "svc_backup", "svc_sql", "helpdesk", "j.smith", "m.jones", "a.wilson", "k.brown",
        "scanner", "printer"};
    private static final String[] BACKDOOR_NAMES = {"backdoor", "svc-update", "support_tmp", "sqlsvc", "helpdesk2"};

    // ---------------------------------------------------------------- state

    private final SplittableRandom random;
    private final Instant start;
    private final long rate;
    private final int attackEvery;

    private final PriorityQueue<Step> pending = new PriorityQueue<>();
    private final List<Injection> completed = new ArrayList<>();
    private final Map<String, Long> recordNumbers = new HashMap<>();
    private long index;
    private long benign;
    private long stepSequence;
    private int nextScenario;
    private int pid = 4000;
    private int session = 100;

    /**
     * @param seed the seed of every random choice
     * @param start the event time of the first record
     * @param rate records per second of event time (at least 1)
     * @param attackEvery one attack scenario per this many benign records; 0 for benign traffic only
     */
    public ScenarioGenerator(long seed, Instant start, long rate, int attackEvery) {
        if (rate < 1) {
            throw new IllegalArgumentException("rate must be at least 1 record per second, got " + rate);
        }
        if (attackEvery < 0) {
            throw new IllegalArgumentException("attackEvery must be 0 (no attacks) or more, got " + attackEvery);
        }
        this.random = new SplittableRandom(seed);
        this.start = Objects.requireNonNull(start, "start");
        this.rate = rate;
        this.attackEvery = attackEvery;
    }

    /** Always true: the stream is endless; stop after a count or a duration. */
    @Override
    public boolean hasNext() {
        return true;
    }

    @Override
    public GeneratedRecord next() {
        long offset = offsetNanos(index);
        Instant time = start.plusNanos(offset);
        index++;
        Step due = pending.peek();
        if (due != null && due.due <= offset) {
            pending.poll();
            Running run = due.run;
            if (run.started == null) {
                run.started = time;
            }
            if (--run.left == 0) {
                completed.add(new Injection(run.scenario, run.actor, run.target, run.started, run.total));
            }
            return record(due.format, time, due.render.apply(time));
        }
        GeneratedRecord r = benign(time);
        benign++;
        if (attackEvery > 0 && benign % attackEvery == 0) {
            Scenario s = Scenario.values()[nextScenario];
            nextScenario = (nextScenario + 1) % Scenario.values().length;
            inject(s, offset);
        }
        return r;
    }

    /** The event time of record {@code i} (from 0), as nanoseconds after the start. */
    private long offsetNanos(long i) {
        return (i / rate) * 1_000_000_000L + (i % rate) * 1_000_000_000L / rate;
    }

    /** Records generated so far. */
    public long records() {
        return index;
    }

    /** Benign records generated so far. */
    public long benignRecords() {
        return benign;
    }

    /** The time of the next record. */
    public Instant nextTime() {
        return start.plusNanos(offsetNanos(index));
    }

    /** Attacks whose every record has been generated, in the order they completed. */
    public List<Injection> injected() {
        return Collections.unmodifiableList(completed);
    }

    /** How many attacks of each scenario completed (every scenario present, 0 when none). */
    public Map<Scenario, Integer> injectedCounts() {
        Map<Scenario, Integer> counts = new EnumMap<>(Scenario.class);
        for (Scenario s : Scenario.values()) {
            counts.put(s, 0);
        }
        for (Injection i : completed) {
            counts.merge(i.scenario(), 1, Integer::sum);
        }
        return counts;
    }

    /** Attacks started whose records are not all generated yet (they would be, were the stream continued). */
    public int attacksInProgress() {
        return (int) pending.stream().map(s -> s.run).distinct().count();
    }

    private static GeneratedRecord record(String format, Instant time, String text) {
        return new GeneratedRecord(format, time, text.getBytes(StandardCharsets.UTF_8));
    }

    // ---------------------------------------------------------------- benign traffic

    private GeneratedRecord benign(Instant t) {
        int r = random.nextInt(100);
        if (r < 40) {
            return record(GeneratedRecord.SYSLOG, t, benignSyslog(t));
        } else if (r < 65) {
            return record(GeneratedRecord.WINDOWS, t, benignWindows(t));
        }
        return record(GeneratedRecord.ACCESS, t, benignAccess(t));
    }

    private String benignSyslog(Instant t) {
        String host = pick(LINUX_HOSTS);
        int u = random.nextInt(USERS.length);
        String user = USERS[u];
        String ip = userIp(u);
        return switch (random.nextInt(9)) {
            case 0 -> syslog(t, host, "sshd[" + nextPid() + "]", "Accepted publickey for " + user + " from " + ip
                    + " port " + port() + " ssh2: ED25519 SHA256:" + fingerprint(u));
            case 1 -> syslog(t, host, "sshd[" + nextPid() + "]",
                    "pam_unix(sshd:session): session opened for user " + user + " by (uid=0)");
            case 2 -> syslog(t, host, "sshd[" + nextPid() + "]", "pam_unix(sshd:session): session closed for user " + user);
            case 3 -> syslog(t, host, "CRON[" + nextPid() + "]",
                    "pam_unix(cron:session): session " + (random.nextBoolean() ? "opened for user root by (uid=0)"
                            : "closed for user root"));
            case 4 -> syslog(t, host, "CRON[" + nextPid() + "]", "(root) CMD (" + pick(CRON_COMMANDS) + ")");
            case 5 -> syslog(t, host, "sudo", String.format(Locale.ROOT,
                    "%8s : TTY=pts/%d ; PWD=/home/%s ; USER=root ; COMMAND=%s", user, random.nextInt(4), user,
                    pick(SUDO_COMMANDS)));
            case 6 -> syslog(t, host, "sudo", "pam_unix(sudo:session): session opened for user root by " + user
                    + "(uid=" + (1000 + u) + ")");
            case 7 -> syslog(t, host, "sshd[" + nextPid() + "]", "Received disconnect from " + ip + " port " + port()
                    + ":11: disconnected by user");
            default -> syslog(t, host, "systemd[1]", String.format(Locale.ROOT, pick(SYSTEMD_MESSAGES),
                    session++, user));
        };
    }

    private String benignWindows(Instant t) {
        String server = pick(WIN_SERVERS);
        int u = random.nextInt(USERS.length + 3);
        boolean machine = u >= USERS.length; // a workstation's computer account, as real logs are full of
        int ws = random.nextInt(12);
        String user = machine ? workstation(ws) + "$" : USERS[u];
        String ip = machine ? workstationIp(ws) : userWorkstationIp(u);
        if (random.nextInt(4) == 0) {
            Map<String, Object> e = security(t, server, 4634, "Logoff", AUDIT_SUCCESS, "An account was logged off.");
            e.put("TargetUserSid", userSid(u));
            e.put("TargetUserName", user);
            e.put("TargetDomainName", DOMAIN);
            e.put("TargetLogonId", logonId());
            e.put("LogonType", "3");
            return json(e);
        }
        String logonType = machine || random.nextInt(5) > 0 ? "3" : "10";
        Map<String, Object> e = security(t, server, 4624, "Logon", AUDIT_SUCCESS,
                "An account was successfully logged on.");
        e.put("SubjectUserSid", "S-1-0-0");
        e.put("SubjectUserName", "-");
        e.put("SubjectDomainName", "-");
        e.put("SubjectLogonId", "0x0");
        e.put("TargetUserSid", userSid(u));
        e.put("TargetUserName", user);
        e.put("TargetDomainName", DOMAIN);
        e.put("TargetLogonId", logonId());
        e.put("LogonType", logonType);
        e.put("LogonProcessName", logonType.equals("3") ? "Kerberos" : "User32 ");
        e.put("AuthenticationPackageName", logonType.equals("3") ? "Kerberos" : "Negotiate");
        e.put("WorkstationName", logonType.equals("3") ? "-" : workstation(ws));
        e.put("LogonGuid", "{" + uuid() + "}");
        e.put("ProcessId", logonType.equals("3") ? "0x0" : "0x2d4");
        e.put("ProcessName", logonType.equals("3") ? "-" : "C:\\Windows\\System32\\svchost.exe");
        e.put("IpAddress", ip);
        e.put("IpPort", Integer.toString(port()));
        e.put("ImpersonationLevel", "%%1833");
        e.put("ElevatedToken", "%%1843");
        return json(e);
    }

    private String benignAccess(Instant t) {
        int client = random.nextInt(40);
        String ip = "192.0.2." + (20 + client);
        String ua = USER_AGENTS[client % USER_AGENTS.length];
        int r = random.nextInt(100);
        String path;
        int status;
        long bytes;
        String referrer;
        if (r < 55) {
            path = pick(PAGES);
            status = 200;
            bytes = 2_000 + random.nextInt(30_000);
            referrer = random.nextBoolean() ? "-" : "https://www.example.com" + pick(PAGES);
        } else if (r < 97) {
            path = pick(ASSETS);
            boolean cached = random.nextInt(3) == 0;
            status = cached ? 304 : 200;
            bytes = cached ? 0 : 500 + random.nextInt(200_000);
            referrer = "https://www.example.com" + pick(PAGES);
        } else {
            path = "/favicon.ico"; // one missing path, as on most sites
            status = 404;
            bytes = 196;
            referrer = "-";
        }
        return access(t, ip, "GET", path, status, bytes, referrer, ua);
    }

    // ---------------------------------------------------------------- attacks

    private void inject(Scenario s, long now) {
        Running run = new Running(s);
        Plan p = new Plan(run, now);
        switch (s) {
            case SSH_BRUTE_FORCE -> sshBruteForce(p);
            case SSH_USER_ENUMERATION -> sshEnumeration(p);
            case PASSWORD_SPRAY -> passwordSpray(p);
            case WINDOWS_BACKDOOR_ACCOUNT -> windowsBackdoor(p);
            case LINUX_BACKDOOR_ACCOUNT -> linuxBackdoor(p);
            case SECURITY_LOG_CLEARED -> logCleared(p);
            case PSEXEC_SERVICE_INSTALLED -> psexec(p);
            case WEB_SCAN -> webScan(p);
            case WEB_ATTACK -> webAttack(p);
        }
        run.total = run.left;
    }

    private void sshBruteForce(Plan p) {
        String host = pick(LINUX_HOSTS);
        String ip = attackerIp();
        p.run.actor = ip;
        p.run.target = host;
        String[] users = {"root", "root", "root", "admin", "deploy", "deploy", "deploy"};
        int sshd = nextPid();
        int port = port();
        double at = 0;
        for (String user : users) {
            String who = user.equals("admin") ? "invalid user admin" : user;
            int pp = port;
            p.at(at, GeneratedRecord.SYSLOG, t -> syslog(t, host, "sshd[" + sshd + "]",
                    "Failed password for " + who + " from " + ip + " port " + pp + " ssh2"));
            at += 2;
            if (at % 6 == 0) {
                port += 6; // a new connection after a few tries, as sshd's MaxAuthTries forces
            }
        }
        int pp = port;
        p.at(at, GeneratedRecord.SYSLOG, t -> syslog(t, host, "sshd[" + sshd + "]",
                "Accepted password for deploy from " + ip + " port " + pp + " ssh2"));
        p.at(at + 0.01, GeneratedRecord.SYSLOG, t -> syslog(t, host, "sshd[" + sshd + "]",
                "pam_unix(sshd:session): session opened for user deploy by (uid=0)"));
    }

    private void sshEnumeration(Plan p) {
        String host = pick(LINUX_HOSTS);
        String ip = attackerIp();
        p.run.actor = ip;
        p.run.target = host;
        int first = random.nextInt(ENUM_USERS.length);
        for (int i = 0; i < 7; i++) {
            String user = ENUM_USERS[(first + i) % ENUM_USERS.length];
            int sshd = nextPid();
            int port = port();
            p.at(i * 3, GeneratedRecord.SYSLOG, t -> syslog(t, host, "sshd[" + sshd + "]",
                    "Invalid user " + user + " from " + ip + " port " + port));
            p.at(i * 3 + 0.5, GeneratedRecord.SYSLOG, t -> syslog(t, host, "sshd[" + sshd + "]",
                    "Connection closed by invalid user " + user + " " + ip + " port " + port + " [preauth]"));
        }
    }

    private void passwordSpray(Plan p) {
        String dc = WIN_SERVERS[0];
        String workstation = "WKS-" + (100 + random.nextInt(900));
        p.run.actor = workstation;
        p.run.target = dc;
        int first = random.nextInt(SPRAY_USERS.length);
        for (int i = 0; i < 6; i++) {
            String user = SPRAY_USERS[(first + i) % SPRAY_USERS.length];
            p.at(i * 1.5, GeneratedRecord.WINDOWS, t -> {
                Map<String, Object> e = security(t, dc, 4625, "Logon", AUDIT_FAILURE, "An account failed to log on.");
                e.put("SubjectUserSid", "S-1-0-0");
                e.put("SubjectUserName", "-");
                e.put("SubjectDomainName", "-");
                e.put("SubjectLogonId", "0x0");
                e.put("TargetUserSid", "S-1-0-0");
                e.put("TargetUserName", user);
                e.put("TargetDomainName", DOMAIN);
                e.put("Status", "0xc000006d");
                e.put("FailureReason", "%%2313");
                e.put("SubStatus", "0xc000006a");
                e.put("LogonType", "3");
                e.put("LogonProcessName", "NtLmSsp ");
                e.put("AuthenticationPackageName", "NTLM");
                e.put("WorkstationName", workstation);
                e.put("TransmittedServices", "-");
                e.put("LmPackageName", "-");
                e.put("KeyLength", "0");
                e.put("ProcessId", "0x0");
                e.put("ProcessName", "-");
                e.put("IpAddress", "-");
                e.put("IpPort", "-");
                return json(e);
            });
        }
    }

    private void windowsBackdoor(Plan p) {
        String host = WIN_SERVERS[1 + random.nextInt(WIN_SERVERS.length - 1)];
        String computer = host.substring(0, host.indexOf('.'));
        String account = pick(BACKDOOR_NAMES) + (10 + random.nextInt(90));
        String rid = Integer.toString(1100 + random.nextInt(800));
        String admin = "helpdesk-adm";
        p.run.actor = DOMAIN + "\\" + admin;
        p.run.target = computer + "\\" + account;
        String sid = "S-1-5-21-1969843730-2406867588-1543852148-" + rid;
        p.at(0, GeneratedRecord.WINDOWS, t -> {
            Map<String, Object> e = security(t, host, 4720, "User Account Management", AUDIT_SUCCESS,
                    "A user account was created.");
            subject(e, admin);
            e.put("TargetUserName", account);
            e.put("TargetDomainName", computer);
            e.put("TargetSid", sid);
            e.put("SamAccountName", account);
            e.put("DisplayName", "%%1793");
            e.put("UserPrincipalName", "-");
            e.put("PrimaryGroupId", "513");
            e.put("OldUacValue", "0x0");
            e.put("NewUacValue", "0x15");
            e.put("PrivilegeList", "-");
            return json(e);
        });
        p.at(150 + random.nextInt(60), GeneratedRecord.WINDOWS, t -> {
            Map<String, Object> e = security(t, host, 4726, "User Account Management", AUDIT_SUCCESS,
                    "A user account was deleted.");
            subject(e, admin);
            e.put("TargetUserName", account);
            e.put("TargetDomainName", computer);
            e.put("TargetSid", sid);
            e.put("PrivilegeList", "-");
            return json(e);
        });
    }

    private void linuxBackdoor(Plan p) {
        String host = pick(LINUX_HOSTS);
        String account = pick(BACKDOOR_NAMES) + (10 + random.nextInt(90));
        int uid = 1005 + random.nextInt(50);
        p.run.actor = "deploy";
        p.run.target = host + "\\" + account;
        int add = nextPid();
        int del = nextPid();
        p.at(0, GeneratedRecord.SYSLOG, t -> syslog(t, host, "sudo",
                "  deploy : TTY=pts/1 ; PWD=/home/deploy ; USER=root ; COMMAND=/usr/sbin/useradd -m -s /bin/bash "
                        + account));
        p.at(0.05, GeneratedRecord.SYSLOG, t -> syslog(t, host, "useradd[" + add + "]",
                "new group: name=" + account + ", GID=" + uid));
        p.at(0.06, GeneratedRecord.SYSLOG, t -> syslog(t, host, "useradd[" + add + "]",
                "new user: name=" + account + ", UID=" + uid + ", GID=" + uid + ", home=/home/" + account
                        + ", shell=/bin/bash, from=/dev/pts/1"));
        double later = 120 + random.nextInt(120);
        p.at(later, GeneratedRecord.SYSLOG, t -> syslog(t, host, "sudo",
                "  deploy : TTY=pts/1 ; PWD=/home/deploy ; USER=root ; COMMAND=/usr/sbin/userdel -r " + account));
        p.at(later + 0.05, GeneratedRecord.SYSLOG, t -> syslog(t, host, "userdel[" + del + "]",
                "delete user '" + account + "'"));
        p.at(later + 0.06, GeneratedRecord.SYSLOG, t -> syslog(t, host, "userdel[" + del + "]",
                "removed group '" + account + "' owned by '" + account + "'"));
    }

    private void logCleared(Plan p) {
        String host = pick(WIN_SERVERS);
        String admin = "helpdesk-adm";
        p.run.actor = DOMAIN + "\\" + admin;
        p.run.target = host;
        String logon = logonId();
        p.at(0, GeneratedRecord.WINDOWS, t -> {
            Map<String, Object> e = windowsHeader(t, host, 1102, "Security", "Microsoft-Windows-Eventlog",
                    "{fc65ddd8-d6ef-4962-83d5-6e5cfe9ce148}", "Log clear", "0x4020000000000000", "AUDIT_SUCCESS",
                    "The audit log was cleared.\r\nSubject:\r\n\tSecurity ID:\t" + DOMAIN_SID + "-1109\r\n\tAccount Name:\t"
                            + admin + "\r\n\tDomain Name:\t" + DOMAIN + "\r\n\tLogon ID:\t" + logon);
            e.put("SubjectUserSid", DOMAIN_SID + "-1109");
            e.put("SubjectUserName", admin);
            e.put("SubjectDomainName", DOMAIN);
            e.put("SubjectLogonId", logon);
            return json(e);
        });
    }

    private void psexec(Plan p) {
        String host = WIN_SERVERS[1 + random.nextInt(WIN_SERVERS.length - 1)];
        int ws = random.nextInt(12);
        String ip = workstationIp(ws);
        String admin = "helpdesk-adm";
        p.run.actor = ip;
        p.run.target = host;
        p.at(0, GeneratedRecord.WINDOWS, t -> {
            Map<String, Object> e = security(t, host, 4624, "Logon", AUDIT_SUCCESS,
                    "An account was successfully logged on.");
            e.put("SubjectUserSid", "S-1-0-0");
            e.put("SubjectUserName", "-");
            e.put("SubjectDomainName", "-");
            e.put("SubjectLogonId", "0x0");
            e.put("TargetUserSid", DOMAIN_SID + "-1109");
            e.put("TargetUserName", admin);
            e.put("TargetDomainName", DOMAIN);
            e.put("TargetLogonId", logonId());
            e.put("LogonType", "3");
            e.put("LogonProcessName", "NtLmSsp ");
            e.put("AuthenticationPackageName", "NTLM");
            e.put("WorkstationName", workstation(ws));
            e.put("IpAddress", ip);
            e.put("IpPort", Integer.toString(port()));
            return json(e);
        });
        p.at(0.4, GeneratedRecord.WINDOWS, t -> {
            Map<String, Object> e = windowsHeader(t, host, 7045, "System", "Service Control Manager",
                    "{555908d1-a6d7-4695-8e1e-26931d2012f4}", null, "0x8080000000000000", "INFO",
                    "A service was installed in the system.\r\n\r\nService Name:  PSEXESVC\r\nService File Name:  "
                            + "%SystemRoot%\\PSEXESVC.exe\r\nService Type:  user mode service\r\nService Start Type:  "
                            + "demand start\r\nService Account:  LocalSystem");
            e.put("ServiceName", "PSEXESVC");
            e.put("ImagePath", "%SystemRoot%\\PSEXESVC.exe");
            e.put("ServiceType", "user mode service");
            e.put("StartType", "demand start");
            e.put("AccountName", "LocalSystem");
            return json(e);
        });
    }

    private void webScan(Plan p) {
        String ip = attackerIp();
        p.run.actor = ip;
        p.run.target = "www.example.com";
        String ua = "Mozilla/5.00 (Nikto/2.1.6) (Evasions:None) (Test:00" + (1000 + random.nextInt(9000)) + ")";
        List<String> paths = new ArrayList<>(List.of(SCAN_PATHS));
        for (int i = paths.size() - 1; i > 0; i--) {
            Collections.swap(paths, i, random.nextInt(i + 1));
        }
        for (int i = 0; i < 24; i++) {
            String path = paths.get(i);
            int status = path.startsWith("/.ht") || path.equals("/server-status") ? 403 : 404;
            p.at(i * 0.5, GeneratedRecord.ACCESS, t -> access(t, ip, "GET", path, status, status == 403 ? 199 : 196,
                    "-", ua));
        }
    }

    private void webAttack(Plan p) {
        String ip = attackerIp();
        p.run.actor = ip;
        p.run.target = "www.example.com";
        String ua = "sqlmap/1.7.2#stable (https://sqlmap.org)";
        p.at(0, GeneratedRecord.ACCESS, t -> access(t, ip, "GET", "/products?id=7", 200, 8_412, "-", ua));
        p.at(1, GeneratedRecord.ACCESS, t -> access(t, ip, "GET",
                "/products?id=7%27%20UNION%20ALL%20SELECT%20username%2Cpassword%20FROM%20users--%20-", 500, 612, "-", ua));
        p.at(2, GeneratedRecord.ACCESS, t -> access(t, ip, "GET",
                "/search?q=widget%27%20OR%20%271%27%3D%271", 200, 14_220, "-", ua));
        p.at(3, GeneratedRecord.ACCESS, t -> access(t, ip, "GET",
                "/download?file=..%2F..%2F..%2F..%2Fetc%2Fpasswd", 403, 199, "-", ua));
    }

    // ---------------------------------------------------------------- record shapes

    private Map<String, Object> security(Instant t, String host, int id, String category, String keywords,
            String message) {
        return windowsHeader(t, host, id, "Security", SECURITY_AUDITING, SECURITY_GUID, category, keywords,
                keywords.equals(AUDIT_FAILURE) ? "AUDIT_FAILURE" : "AUDIT_SUCCESS", message);
    }

    /** The NXLog im_msvistalog header, in the order NXLog writes it; EventData follows. */
    private Map<String, Object> windowsHeader(Instant t, String host, int id, String channel, String source,
            String guid, String category, String keywords, String eventType, String message) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("EventTime", NXLOG_TIME.format(t));
        e.put("Hostname", host);
        e.put("Keywords", keywords);
        e.put("EventType", eventType);
        e.put("SeverityValue", 2);
        e.put("Severity", "INFO");
        e.put("EventID", id);
        e.put("SourceName", source);
        e.put("ProviderGuid", guid);
        e.put("Version", 0);
        e.put("OpcodeValue", 0);
        e.put("RecordNumber", recordNumbers.merge(host + "/" + channel, 1L, Long::sum));
        e.put("ExecutionProcessID", channel.equals("Security") ? 740 : 652);
        e.put("ThreadID", 3000 + random.nextInt(2000));
        e.put("Channel", channel);
        e.put("Message", message);
        if (category != null) {
            e.put("Category", category);
        }
        e.put("Opcode", "Info");
        e.put("EventReceivedTime", NXLOG_TIME.format(t.plusSeconds(1)));
        e.put("SourceModuleName", "eventlog");
        e.put("SourceModuleType", "im_msvistalog");
        e.put("@timestamp", ISO_MILLIS.format(t));
        return e;
    }

    private static void subject(Map<String, Object> e, String admin) {
        e.put("SubjectUserSid", DOMAIN_SID + "-1109");
        e.put("SubjectUserName", admin);
        e.put("SubjectDomainName", DOMAIN);
        e.put("SubjectLogonId", "0x551686");
    }

    /** One JSON object on one line: string and number values only, as NXLog's to_json writes. */
    static String json(Map<String, Object> fields) {
        StringBuilder b = new StringBuilder(1024).append('{');
        boolean first = true;
        for (Map.Entry<String, Object> f : fields.entrySet()) {
            if (!first) {
                b.append(',');
            }
            first = false;
            quote(b, f.getKey()).append(':');
            Object v = f.getValue();
            if (v instanceof Number) {
                b.append(v);
            } else {
                quote(b, String.valueOf(v));
            }
        }
        return b.append('}').toString();
    }

    // ---------------------------------------------------------------- small random things

    private String pick(String[] values) {
        return values[random.nextInt(values.length)];
    }

    private int nextPid() {
        pid += 1 + random.nextInt(7);
        if (pid > 99_000) {
            pid = 4000;
        }
        return pid;
    }

    private int port() {
        return 32_768 + random.nextInt(28_000);
    }

    /** Addresses from the documentation ranges: attackers from outside. */
    private String attackerIp() {
        return (random.nextBoolean() ? "203.0.113." : "198.51.100.") + (1 + random.nextInt(254));
    }

    private static String userIp(int user) {
        return "10.0.1." + (10 + user);
    }

    private static String userWorkstationIp(int user) {
        return "10.0.2." + (10 + user);
    }

    private static String workstation(int ws) {
        return String.format(Locale.ROOT, "WKS-%02d", ws + 1);
    }

    private static String workstationIp(int ws) {
        return "10.0.2." + (10 + ws);
    }

    private static String userSid(int user) {
        return DOMAIN_SID + "-" + (1104 + user);
    }

    private static String fingerprint(int user) {
        String base = "q1Vb3dZ0sE6sT0k2YxM0kYb2y8rQ2mN6m3nKQm5xw7A";
        return base.substring(user) + base.substring(0, user);
    }

    private String logonId() {
        return "0x" + Long.toHexString(0x100000L + random.nextInt(0xFFFFFF));
    }

    private String uuid() {
        return String.format(Locale.ROOT, "%08x-%04x-%04x-%04x-%012x", random.nextInt() & 0xffffffffL,
                random.nextInt(0x10000), random.nextInt(0x10000), random.nextInt(0x10000),
                random.nextLong() & 0xffffffffffffL);
    }

    // ---------------------------------------------------------------- attack bookkeeping

    private static final class Running {
        final Scenario scenario;
        String actor;
        String target;
        Instant started;
        int total;
        int left;

        Running(Scenario scenario) {
            this.scenario = scenario;
        }
    }

    private static final class Step implements Comparable<Step> {
        final long due;
        final long sequence;
        final String format;
        final Function<Instant, String> render;
        final Running run;

        Step(long due, long sequence, String format, Function<Instant, String> render, Running run) {
            this.due = due;
            this.sequence = sequence;
            this.format = format;
            this.render = render;
            this.run = run;
        }

        @Override
        public int compareTo(Step o) {
            int c = Long.compare(due, o.due);
            return c != 0 ? c : Long.compare(sequence, o.sequence);
        }
    }

    /** Adds an attack's records, each due a number of seconds after the attack starts. */
    private final class Plan {
        final Running run;
        final long now;

        Plan(Running run, long now) {
            this.run = run;
            this.now = now;
        }

        void at(double seconds, String format, Function<Instant, String> render) {
            pending.add(new Step(now + Math.round(seconds * 1e9), stepSequence++, format, render, run));
            run.left++;
        }
    }
}
