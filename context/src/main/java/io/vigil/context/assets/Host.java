package io.vigil.context.assets;

import java.util.List;
import java.util.Objects;

/**
 * One row of the hosts table.
 *
 * @param name the host's name as the table writes it
 * @param criticality how much it matters, or {@code null} when the table does not say
 * @param owner who answers for it, or {@code null}
 * @param environment {@code prod}, {@code staging}, {@code dev} … (as written, lower case), or {@code null}
 * @param zone {@code dmz}, {@code internal} … (as written, lower case), or {@code null}
 * @param ips its addresses (canonical text), possibly none
 */
public record Host(String name, Criticality criticality, String owner, String environment, String zone,
                   List<String> ips) {

    public Host {
        Objects.requireNonNull(name, "name");
        ips = List.copyOf(ips);
    }
}
