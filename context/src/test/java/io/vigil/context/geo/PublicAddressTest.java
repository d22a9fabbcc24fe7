package io.vigil.context.geo;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which addresses a GeoIP database may place: the special-purpose registries' ranges, at their edges. */
class PublicAddressTest {

    @ParameterizedTest
    @ValueSource(strings = {"0.1.2.3", "10.0.0.0", "10.255.255.255", "100.64.0.1", "100.127.255.255", "127.0.0.1",
        "169.254.1.1", "172.16.0.1", "172.31.255.255", "192.0.0.8", "192.0.2.1", "192.88.99.1", "192.168.1.1",
        "198.18.0.1", "198.19.255.255", "198.51.100.7", "203.0.113.5", "224.0.0.1", "239.255.255.250",
        "240.0.0.1", "255.255.255.255", "::", "::1", "::ffff:192.168.1.1", "64:ff9b::a00:1", "100::1",
        "2001::1", "2001:1ff::1", "2001:db8::1", "3fff:0fff::1", "2002:c0a8:0101::1", "fc00::1", "fd12:3456::1",
        "fe80::1", "fec0::1", "ff02::1", "4000::1", "fe80::1%eth0"})
    void notPublic(String ip) {
        InetAddress a = PublicAddress.parse(ip);
        assertThat(a).as(ip).isNotNull();
        assertThat(PublicAddress.isPublic(a)).as(ip).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.1.1.1", "8.8.8.8", "9.255.255.255", "11.0.0.0", "100.63.255.255", "100.128.0.0",
        "172.15.255.255", "172.32.0.0", "192.0.1.1", "192.0.3.1", "192.169.0.1", "198.17.255.255", "198.20.0.0",
        "198.51.101.1", "203.0.114.1", "223.255.255.255", "::ffff:8.8.8.8", "64:ff9b::808:808", "2001:200::1",
        "2001:4860:4860::8888", "2002:0808:0808::1", "2a00:1450:4001::1", "3fff:1000::1"})
    void isPublic(String ip) {
        assertThat(PublicAddress.isPublic(PublicAddress.parse(ip))).as(ip).isTrue();
    }

    @Test
    void onlyLiteralsAreParsedNeverHostNames() {
        assertThat(PublicAddress.parse("localhost")).isNull();
        assertThat(PublicAddress.parse("example.com")).isNull();
        assertThat(PublicAddress.parse("1.2.3")).isNull();
        assertThat(PublicAddress.parse(null)).isNull();
    }
}
