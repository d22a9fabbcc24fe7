package io.vigil.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What counts as an IP literal: only text Elasticsearch's {@code ip} field accepts (checked
 * against the node by {@code IpFieldsElasticsearchTest} in connectors), never a host name.
 */
class IpLiteralTest {

    @ParameterizedTest
    @ValueSource(strings = {"1.2.3.4", "0.0.0.0", "255.255.255.255", "10.0.0.1", "::", "::1", "1::",
        "2001:db8::8a2e:370:7334", "2001:DB8::1", "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7::", "::2:3:4:5:6:7:8",
        "::ffff:192.0.2.1", "1:2:3:4:5:6:1.2.3.4", "::1.2.3.4", "fe80::1%eth0", "fe80::1%12", "fe80::a%en0.1_x-y"})
    void acceptsLiterals(String s) {
        assertThat(IpLiteral.isIp(s)).as(s).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1.2.3.04", "1.2.3.", ".1.2.3",
        "1..2.3", " 1.2.3.4", "1.2.3.4 ", "1.2.3.4%eth0", "1.2.3.4/24", "1.2.3.4:80", "localhost", "example.org",
        "١.٢.٣.٤", "１.２.３.４", ":", ":::", "1:::2", ":1", "1:", "::1:", "1::2::3", "1:2:3:4:5:6:7:8:9",
        "1:2:3:4:5:6:7", "12345::", "g::1", "[::1]", "::ffff:01.2.3.4", "::ffff:1.2.3.4%x",
        "1:2:3:4:5:6:7:1.2.3.4", "1.2.3.4::", "fe80::1%", "fe80::1%eth 0", "fe80::1%a/64", "fe80::1%e%h",
        "::1%0123456789012345678901234567890123", "ａ::1", "-", "unknown", "0x7f.1.1.1"})
    void refusesEverythingElse(String s) {
        assertThat(IpLiteral.isIp(s)).as(s).isFalse();
    }
}
