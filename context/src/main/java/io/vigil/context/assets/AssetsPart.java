package io.vigil.context.assets;

import io.vigil.context.ContextPart;
import io.vigil.context.ContextUpdate;
import io.vigil.model.Alert;
import io.vigil.model.SecurityEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Adds what the hosts and identities tables know of an event or an alert (docs/assets.md).
 *
 * <p>The host is the event's {@code host.name} (else {@code host.hostname}); an event or alert
 * naming no host (a firewall or proxy log) is matched by its {@code destination.ip}, the address it
 * reaches. The user is {@code user.name} in {@code user.domain}; {@code user.target.name}, the
 * account acted on, gets fields of its own ({@code vigil.identity.target.*}).
 *
 * <p>Live tables ({@code assets} and {@code identities} records of the control topic) are looked
 * up first, in name order, then the file's: a live table replaces the live table of the same name
 * only, so two feeds (a CMDB export and a cloud inventory) can be pushed side by side.
 */
public final class AssetsPart implements ContextPart {

    /** The most live tables of one kind. */
    public static final int MAX_LIVE_TABLES = 16;

    private final HostTable fileHosts;
    private final IdentityTable fileIdentities;
    private final TreeMap<String, HostTable> liveHosts = new TreeMap<>();
    private final TreeMap<String, IdentityTable> liveIdentities = new TreeMap<>();
    private List<HostTable> hosts;
    private List<IdentityTable> identities;

    public AssetsPart(HostTable hosts, IdentityTable identities) {
        this.fileHosts = hosts;
        this.fileIdentities = identities;
        this.hosts = List.of(hosts);
        this.identities = List.of(identities);
    }

    @Override
    public void enrich(SecurityEvent event, Map<String, String> fields) {
        String name = event.hostName() != null ? event.hostName() : event.hostHostname();
        Host h = name != null ? host(name) : hostByIp(event.destinationIp());
        if (h != null) {
            AssetFields.host(h, fields);
        }
        users(event.userName(), event.userDomain(), event.userTargetName(), fields);
    }

    @Override
    public void enrich(Alert alert, Map<String, String> fields) {
        Map<String, String> entities = alert.entities();
        String name = entities.get("host.name");
        Host h = name != null ? host(name) : hostByIp(entities.get("destination.ip"));
        if (h != null) {
            AssetFields.host(h, fields);
        }
        users(entities.get("user.name"), entities.get("user.domain"), entities.get("user.target.name"), fields);
    }

    @Override
    public boolean update(ContextUpdate update) {
        String origin = update.key();
        switch (update.kind()) {
            case ContextUpdate.ASSETS -> {
                HostTable t = HostTable.parse(origin, format(update), update.body());
                hosts = replace(liveHosts, update.name(), t, fileHosts);
                return true;
            }
            case ContextUpdate.IDENTITIES -> {
                IdentityTable t = IdentityTable.parse(origin, format(update), update.body());
                identities = replace(liveIdentities, update.name(), t, fileIdentities);
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    private void users(String user, String domain, String target, Map<String, String> fields) {
        if (user != null) {
            Identity id = identity(user, domain);
            if (id != null) {
                AssetFields.user(id, fields);
            }
        }
        if (target != null) {
            Identity id = identity(target, null);
            if (id != null) {
                AssetFields.target(id, fields);
            }
        }
    }

    private Host host(String name) {
        for (HostTable t : hosts) {
            Host h = t.byName(name);
            if (h != null) {
                return h;
            }
        }
        return null;
    }

    private Host hostByIp(String ip) {
        if (ip == null) {
            return null;
        }
        for (HostTable t : hosts) {
            Host h = t.byIp(ip);
            if (h != null) {
                return h;
            }
        }
        return null;
    }

    private Identity identity(String user, String domain) {
        for (IdentityTable t : identities) {
            Identity id = t.find(user, domain);
            if (id != null) {
                return id;
            }
        }
        return null;
    }

    private static String format(ContextUpdate update) {
        if (!"csv".equals(update.format()) && !"json".equals(update.format())) {
            throw new IllegalArgumentException(update.key() + ": " + update.kind() + " tables are csv or json, not "
                    + update.format());
        }
        return update.format();
    }

    /** The tables to look up after {@code name} is replaced by {@code table}: the live ones in name order, then the file's. */
    private static <T> List<T> replace(TreeMap<String, T> live, String name, T table, T file) {
        if (!live.containsKey(name) && live.size() == MAX_LIVE_TABLES) {
            throw new IllegalArgumentException("at most " + MAX_LIVE_TABLES + " live tables of one kind; "
                    + "replace one of " + live.keySet() + " instead of adding " + name);
        }
        live.put(name, table);
        List<T> all = new ArrayList<>(live.values());
        all.add(file);
        return List.copyOf(all);
    }
}
