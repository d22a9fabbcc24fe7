package io.vigil.context.assets;

import io.vigil.model.IpLiteral;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The hosts table, looked up by name or address.
 *
 * <p>Names match case-insensitively, a trailing dot ignored. A name also matches by its short name
 * (the first label of a fully qualified name) when one side is short: the table's
 * {@code web01.corp.example} is found for an event's {@code WEB01}, and the table's {@code web01}
 * for an event's {@code web01.corp.example}. Two qualified names never match on their first label
 * alone ({@code web01.corp.example} is not {@code web01.lab.example}), and a short name shared by
 * two qualified rows matches neither (it is ambiguous).
 */
public final class HostTable {

    /** No hosts. */
    public static final HostTable EMPTY = new HostTable(Map.of(), Map.of(), Map.of());

    /** The columns the hosts table reads (others are skipped as the table is read). */
    static final Set<String> COLUMNS = Set.of("name", "criticality", "owner", "environment", "zone", "ip");

    private static final Host AMBIGUOUS = new Host("(ambiguous)", null, null, null, null, List.of());

    private final Map<String, Host> byName;
    private final Map<String, Host> byShortName;
    private final Map<String, Host> byIp;

    private HostTable(Map<String, Host> byName, Map<String, Host> byShortName, Map<String, Host> byIp) {
        this.byName = byName;
        this.byShortName = byShortName;
        this.byIp = byIp;
    }

    /**
     * The table of {@code body}.
     *
     * @param origin the file or table name, for errors
     * @param format {@code csv} or {@code json}
     * @throws IllegalArgumentException naming {@code origin}, the line and column, and what is wrong
     */
    public static HostTable parse(String origin, String format, byte[] body) {
        List<TableRow> rows = TableReader.read(origin, format, body, COLUMNS);
        Map<String, Host> byName = new HashMap<>();
        Map<String, String> nameWhere = new HashMap<>();
        Map<String, Host> byShortName = new HashMap<>();
        Map<String, Host> byIp = new HashMap<>();
        Map<String, String> ipWhere = new HashMap<>();
        for (TableRow row : rows) {
            Host h = new Host(Cells.required(origin, row, "name"), Cells.criticality(origin, row),
                    Cells.text(origin, row, "owner"), Cells.lower(origin, row, "environment"),
                    Cells.lower(origin, row, "zone"), Cells.ips(origin, row, "ip"));
            String key = key(h.name());
            if (key.isEmpty()) {
                throw Cells.error(origin, row.where("name"), "no name");
            }
            String before = nameWhere.putIfAbsent(key, row.where("name"));
            if (before != null) {
                throw Cells.error(origin, row.where("name"), "host " + h.name() + " is already at " + before);
            }
            byName.put(key, h);
            int dot = key.indexOf('.');
            if (dot > 0) {
                byShortName.merge(key.substring(0, dot), h, (a, b) -> AMBIGUOUS);
            }
            for (String ip : h.ips()) {
                String ipBefore = ipWhere.putIfAbsent(ip, row.where("ip"));
                if (ipBefore != null) {
                    throw Cells.error(origin, row.where("ip"), "address " + ip + " is already at " + ipBefore);
                }
                byIp.put(ip, h);
            }
        }
        return new HostTable(Map.copyOf(byName), Map.copyOf(byShortName), Map.copyOf(byIp));
    }

    /** The host named {@code name} (see the class comment), or {@code null}. */
    public Host byName(String name) {
        if (name == null || name.isEmpty() || name.length() > Cells.MAX_VALUE_CHARS) {
            return null;
        }
        String key = key(name);
        Host h = byName.get(key);
        if (h != null) {
            return h;
        }
        if (IpLiteral.isIpv4(key)) {
            return null;   // an address written as a name has no short name
        }
        int dot = key.indexOf('.');
        if (dot > 0) {
            // a qualified name in the event, a short one in the table
            return byName.get(key.substring(0, dot));
        }
        h = byShortName.get(key);
        return h == AMBIGUOUS ? null : h;
    }

    /** The host with address {@code ip}, or {@code null}. */
    public Host byIp(String ip) {
        if (byIp.isEmpty()) {
            return null;
        }
        String canonical = Cells.canonicalIp(ip);
        return canonical == null ? null : byIp.get(canonical);
    }

    /** How many hosts. */
    public int size() {
        return byName.size();
    }

    private static String key(String name) {
        String k = name.trim().toLowerCase(Locale.ROOT);
        return k.endsWith(".") ? k.substring(0, k.length() - 1) : k;
    }
}
