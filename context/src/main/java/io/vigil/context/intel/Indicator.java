package io.vigil.context.intel;

import java.time.Instant;
import java.util.Objects;

/**
 * One indicator of compromise, as a feed states it.
 *
 * @param type what the value is
 * @param value the value, normalized ({@link Type}): an address or CIDR in canonical form, a domain
 *     in lower case without a trailing dot, a hash in lower-case hex, a URL as given
 * @param confidence 0–100 (STIX confidence; MISP and CSV map theirs onto it; 50 when none is given)
 * @param validFrom from when the indicator holds, or {@code null}
 * @param validUntil until when it holds (exclusive), or {@code null} for no end
 * @param feed the feed's name ({@code threat.feed.name})
 * @param provider who states it ({@code threat.indicator.provider}), or {@code null}
 * @param id the indicator's id in its feed (a STIX id, a MISP attribute uuid), or {@code null}
 * @param description what it is, or {@code null}
 */
public record Indicator(Type type, String value, int confidence, Instant validFrom, Instant validUntil, String feed,
                        String provider, String id, String description) {

    /** Indicator types, named as ECS {@code threat.indicator.type} names them. */
    public enum Type {
        IPV4_ADDR("ipv4-addr"),
        IPV6_ADDR("ipv6-addr"),
        /** An IPv4 or IPv6 network in CIDR notation; reported as the address type of its family. */
        CIDR("cidr"),
        DOMAIN_NAME("domain-name"),
        URL("url"),
        MD5("file"),
        SHA1("file"),
        SHA256("file");

        private final String ecs;

        Type(String ecs) {
            this.ecs = ecs;
        }

        /** The ECS {@code threat.indicator.type}. */
        public String ecs() {
            return ecs;
        }
    }

    public Indicator {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(feed, "feed");
        if (confidence < 0 || confidence > 100) {
            throw new IllegalArgumentException("confidence is 0 to 100, got " + confidence);
        }
    }

    /** Whether the indicator holds at {@code time}. */
    public boolean validAt(Instant time) {
        return (validFrom == null || !time.isBefore(validFrom)) && (validUntil == null || time.isBefore(validUntil));
    }
}
