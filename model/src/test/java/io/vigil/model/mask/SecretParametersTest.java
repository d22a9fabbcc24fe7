package io.vigil.model.mask;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SecretParametersTest {

    private final MaskCounts counts = new MaskCounts();
    private final Masker masker = new Masker(MaskingPolicy.DEFAULTS);

    private String mask(String s) {
        return masker.text(s, counts);
    }

    @Test
    void urlParametersLoseTheirValues() {
        assertThat(mask("GET /login?user=bob&password=Hunter2!&next=/home HTTP/1.1"))
                .isEqualTo("GET /login?user=bob&password=[masked]&next=/home HTTP/1.1");
        assertThat(mask("https://api.example.com/v1?API_KEY=abc123;Token=xyz")).isEqualTo(
                "https://api.example.com/v1?API_KEY=[masked];Token=[masked]");
        assertThat(counts.get(MaskKind.SECRET_PARAMETER)).isEqualTo(3);
    }

    @Test
    void urlEncodedSignsAreUnderstood() {
        assertThat(mask("next=%2Flogin%3Fpassword%3DHunter2%26user%3Dbob"))
                .isEqualTo("next=%2Flogin%3Fpassword%3D[masked]%26user%3Dbob");
    }

    @Test
    void commandLineOptionsLoseTheirValues() {
        assertThat(mask("mysql --user=root --password=S3cr3t! db")).isEqualTo("mysql --user=root --password=[masked] db");
        assertThat(mask("tool --password S3cr3t! -token abc --verbose")).isEqualTo(
                "tool --password [masked] -token [masked] --verbose");
        assertThat(mask("java -Ddb.password=S3cr3t -jar app.jar")).isEqualTo("java -Ddb.password=[masked] -jar app.jar");
        // an option followed by another option has no value
        assertThat(mask("tool --token --verbose")).isEqualTo("tool --token --verbose");
    }

    @Test
    void aNameEndingInAListedNameMatches() {
        assertThat(mask("docker run -e MYSQL_ROOT_PASSWORD=S3cr3t! -e db_password=x1 mysql"))
                .isEqualTo("docker run -e MYSQL_ROOT_PASSWORD=[masked] -e db_password=[masked] mysql");
        assertThat(mask("app --db-password Hunter2 --api-token=abc")).isEqualTo("app --db-password [masked] --api-token=[masked]");
        assertThat(mask("AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI AWS_ACCESS_KEY_ID=AKIAEXAMPLE"))
                .isEqualTo("AWS_SECRET_ACCESS_KEY=[masked] AWS_ACCESS_KEY_ID=AKIAEXAMPLE");
        assertThat(mask("GET / HTTP/1.1\r\nX-Api-Key: 0123abcd\r\nHost: x")).isEqualTo("GET / HTTP/1.1\r\nX-Api-Key: [masked]\r\nHost: x");
        // a key that names a row, a sort order or a partition is not a secret
        String keys = "primary_key=42 sort_key=name partition-key=p1 max_tokens=4 password_changed=true";
        assertThat(mask(keys)).isEqualTo(keys);
    }

    @Test
    void thePasswordOfUrlUserInfo() {
        assertThat(mask("git clone https://alice:ghp_abc123XYZ@github.com/acme/app.git"))
                .isEqualTo("git clone https://alice:[masked]@github.com/acme/app.git");
        assertThat(mask("{\"url\":\"postgres://app:p%40ss@db:5432/x\"}")).isEqualTo("{\"url\":\"postgres://app:[masked]@db:5432/x\"}");
        // no password, or a port: nothing to mask
        String plain = "https://alice@github.com/x http://host:8080/a@b ftp://h/";
        assertThat(mask(plain)).isEqualTo(plain);
        assertThat(counts.get(MaskKind.SECRET_PARAMETER)).isEqualTo(2);
    }

    @Test
    void sudoWorkingDirectoryIsNoSecret() {
        String sudo = "web sudo:    alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/bin/ls";
        assertThat(mask(sudo)).isEqualTo(sudo);
        assertThat(mask("PASSWD=hunter2")).isEqualTo("PASSWD=[masked]");
    }

    @Test
    void colonFormsAndQuotedValues() {
        assertThat(mask("password: hunter22 user: bob")).isEqualTo("password: [masked] user: bob");
        assertThat(mask("{\"Password\" : \"a \\\"quoted\\\" secret\", \"user\":\"bob\"}"))
                .isEqualTo("{\"Password\" : \"[masked]\", \"user\":\"bob\"}");
        assertThat(mask("secret='x y z' rest")).isEqualTo("secret='[masked]' rest");
    }

    @Test
    void authorizationHeadersKeepTheirScheme() {
        assertThat(mask("Authorization: Basic YWxpY2U6aHVudGVyMg== Host: x")).isEqualTo(
                "Authorization: Basic [masked] Host: x");
        assertThat(mask("{\"headers\":{\"authorization\":\"Bearer eyJhbGciOi.xyz.abc\"}}")).isEqualTo(
                "{\"headers\":{\"authorization\":\"Bearer [masked]\"}}");
        assertThat(mask("Proxy-Authorization: Negotiate abc==")).isEqualTo("Proxy-Authorization: Negotiate [masked]");
    }

    @Test
    void wordsThatOnlyContainAName() {
        String text = "Failed password for root from 10.0.0.1; passwords=3 keyboard-interactive tokens: 4 "
                + "monkey=banana {\"password\": {\"nested\": 1}}";
        assertThat(mask(text)).isEqualTo(text);
        assertThat(counts.total()).isZero();
    }

    @Test
    void cloudSecretsAsJsonMembers() {
        String response = "{\"credentials\":{\"accessKeyId\":\"ASIAEXAMPLEKEY123456\","
                + "\"secretAccessKey\":\"wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY\","
                + "\"sessionToken\":\"IQoJb3JpZ2luX2VjEXAMPLETOKEN==\",\"expiration\":\"Dec 7, 2026 9:00:00 PM\"},"
                + "\"keyMaterial\":\"-----BEGIN RSA PRIVATE KEY-----\\nMIIEabc\\n-----END RSA PRIVATE KEY-----\"}";
        assertThat(mask(response)).isEqualTo("{\"credentials\":{\"accessKeyId\":\"ASIAEXAMPLEKEY123456\","
                + "\"secretAccessKey\":\"[masked]\",\"sessionToken\":\"[masked]\","
                + "\"expiration\":\"Dec 7, 2026 9:00:00 PM\"},\"keyMaterial\":\"[masked]\"}");
        assertThat(counts.get(MaskKind.CLOUD_SECRET)).isEqualTo(3);
        // JSON held in a JSON string, as in a dead letter's document
        assertThat(mask("{\"raw\":\"{\\\"sessionToken\\\":\\\"IQoJb3J\\\",\\\"x\\\":1}\"}"))
                .isEqualTo("{\"raw\":\"{\\\"sessionToken\\\":\\\"[masked]\\\",\\\"x\\\":1}\"}");
        // a cloud name outside JSON is a word like another
        assertThat(mask("sessionToken=abc")).isEqualTo("sessionToken=abc");
    }

    @Test
    void configuredNamesReplaceTheDefaults() {
        Masker custom = new Masker(new MaskingPolicy(MaskingPolicy.UserNames.OFF, List.of("PIN", "x-api-key")));
        assertThat(custom.text("pin=1234 X-Api-Key: abc password=kept", counts))
                .isEqualTo("pin=[masked] X-Api-Key: [masked] password=kept");
        assertThatThrownBy(() -> new MaskingPolicy(MaskingPolicy.UserNames.OFF, List.of("pass word")))
                .hasMessageContaining("'pass word' is not a parameter name");
    }

    @Test
    void maskedTextIsLeftAsItIs() {
        String once = mask("password=abc&token=\"x\"");
        String before = counts.asMap().toString();
        assertThat(mask(once)).isEqualTo(once);
        assertThat(counts.asMap().toString()).isEqualTo(before);
    }

    @Test
    void costIsLinearOnAMegabyteOfNames() {
        String text = "password=".repeat(120_000);
        String masked = mask(text);
        assertThat(masked).startsWith("password=[masked]");
        String names = "password ".repeat(120_000);
        assertThat(mask(names)).isSameAs(names);
    }
}
