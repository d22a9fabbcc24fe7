package io.vigil.context.assets;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The identities table, looked up by account name and domain.
 *
 * <p>Names and domains match case-insensitively; a domain is compared by its first label, so the
 * NetBIOS {@code CORP} and the DNS {@code corp.example.com} are one domain. A row without a domain
 * matches the name in any domain (and without one). A name without a domain (an sshd log) finds
 * the row without a domain, else the only row of that name; when several domains have the name,
 * it finds none (it is ambiguous).
 */
public final class IdentityTable {

    /** No identities. */
    public static final IdentityTable EMPTY = new IdentityTable(Map.of(), Map.of());

    /** The columns the identities table reads (others are skipped as the table is read). */
    static final Set<String> COLUMNS = Set.of("user", "domain", "privileged", "service_account", "department",
            "criticality");

    private static final Identity AMBIGUOUS = new Identity("(ambiguous)", null, false, false, null, null);

    /** By {@code name} (rows without a domain) and {@code name\domain}. */
    private final Map<String, Identity> byKey;
    /** By name, the only row of that name with a domain ({@link #AMBIGUOUS} when several). */
    private final Map<String, Identity> byNameInAnyDomain;

    private IdentityTable(Map<String, Identity> byKey, Map<String, Identity> byNameInAnyDomain) {
        this.byKey = byKey;
        this.byNameInAnyDomain = byNameInAnyDomain;
    }

    /**
     * The table of {@code body}.
     *
     * @param origin the file or table name, for errors
     * @param format {@code csv} or {@code json}
     * @throws IllegalArgumentException naming {@code origin}, the line and column, and what is wrong
     */
    public static IdentityTable parse(String origin, String format, byte[] body) {
        List<TableRow> rows = TableReader.read(origin, format, body, COLUMNS);
        Map<String, Identity> byKey = new HashMap<>();
        Map<String, String> keyWhere = new HashMap<>();
        Map<String, Identity> byNameInAnyDomain = new HashMap<>();
        for (TableRow row : rows) {
            Identity id = new Identity(Cells.required(origin, row, "user"), Cells.text(origin, row, "domain"),
                    Cells.bool(origin, row, "privileged"), Cells.bool(origin, row, "service_account"),
                    Cells.text(origin, row, "department"), Cells.criticality(origin, row));
            String key = key(id.user(), id.domain());
            String before = keyWhere.putIfAbsent(key, row.where("user"));
            if (before != null) {
                throw Cells.error(origin, row.where("user"), "user " + id.user()
                        + (id.domain() == null ? "" : " of domain " + id.domain()) + " is already at " + before);
            }
            byKey.put(key, id);
            if (id.domain() != null) {
                byNameInAnyDomain.merge(name(id.user()), id, (a, b) -> AMBIGUOUS);
            }
        }
        return new IdentityTable(Map.copyOf(byKey), Map.copyOf(byNameInAnyDomain));
    }

    /** The identity of account {@code user} in {@code domain} ({@code null}: not known), or {@code null}. */
    public Identity find(String user, String domain) {
        if (user == null || user.isEmpty() || user.length() > Cells.MAX_VALUE_CHARS
                || (domain != null && domain.length() > Cells.MAX_VALUE_CHARS)) {
            return null;
        }
        String name = name(user);
        if (domain != null && !domain.isBlank()) {
            Identity id = byKey.get(key(user, domain));
            return id != null ? id : byKey.get(name);
        }
        Identity id = byKey.get(name);
        if (id != null) {
            return id;
        }
        id = byNameInAnyDomain.get(name);
        return id == AMBIGUOUS ? null : id;
    }

    /** How many rows. */
    public int size() {
        return byKey.size();
    }

    private static String name(String user) {
        return user.trim().toLowerCase(Locale.ROOT);
    }

    private static String key(String user, String domain) {
        if (domain == null || domain.isBlank()) {
            return name(user);
        }
        String d = domain.trim().toLowerCase(Locale.ROOT);
        int dot = d.indexOf('.');
        return name(user) + "\\" + (dot > 0 ? d.substring(0, dot) : d);
    }
}
