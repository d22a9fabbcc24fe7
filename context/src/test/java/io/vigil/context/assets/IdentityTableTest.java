package io.vigil.context.assets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class IdentityTableTest {

    private static IdentityTable csv(String text) {
        return IdentityTable.parse("identities.csv", "csv", text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void rowsReadWithTheirFlagsDepartmentAndCriticality() {
        IdentityTable t = IdentityTable.parse("identities.json", "json", """
                [{"user": "Administrator", "domain": "CORP", "privileged": true, "department": "IT",
                  "criticality": "high_impact"},
                 {"user": "svc-backup", "service_account": "yes", "privileged": "1"},
                 {"user": "pbeesly", "privileged": false}]""".getBytes(StandardCharsets.UTF_8));
        assertThat(t.size()).isEqualTo(3);
        assertThat(t.find("administrator", "corp"))
                .isEqualTo(new Identity("Administrator", "CORP", true, false, "IT", Criticality.HIGH));
        assertThat(t.find("svc-backup", null))
                .isEqualTo(new Identity("svc-backup", null, true, true, null, null));
        assertThat(t.find("PBEESLY", null).privileged()).isFalse();
    }

    @Test
    void domainsCompareByFirstLabelAndARowWithoutDomainMatchesAnyDomain() {
        IdentityTable t = csv("""
                user,domain,privileged
                alice,CORP,true
                alice,LAB,false
                bob,corp.example.com,true
                root,,true
                """);
        assertThat(t.find("alice", "corp.example.com").domain()).isEqualTo("CORP");
        assertThat(t.find("ALICE", "lab").domain()).isEqualTo("LAB");
        assertThat(t.find("alice", "other")).isNull();
        // without a domain, alice is ambiguous; bob has a single row
        assertThat(t.find("alice", null)).isNull();
        assertThat(t.find("bob", null).domain()).isEqualTo("corp.example.com");
        assertThat(t.find("bob", "CORP").privileged()).isTrue();
        assertThat(t.find("root", "anything").user()).isEqualTo("root");
        assertThat(t.find("root", null).user()).isEqualTo("root");
        assertThat(t.find("nobody", null)).isNull();
    }

    @Test
    void badRowsAreRefusedNamingLineAndColumn() {
        assertThatThrownBy(() -> csv("user,privileged\nalice,maybe\n"))
                .hasMessage("identities.csv: line 2, column 2 (privileged): 'maybe' is not true or false");
        assertThatThrownBy(() -> csv("user,domain\nalice,CORP\nALICE,corp.example.com\n"))
                .hasMessage("identities.csv: line 3, column 1 (user): user ALICE of domain corp.example.com is "
                        + "already at line 2, column 1 (user)");
        assertThatThrownBy(() -> csv("user,criticality\nalice,vip\n"))
                .hasMessageStartingWith("identities.csv: line 2, column 2 (criticality): 'vip' is not a criticality");
        assertThatThrownBy(() -> csv("name,privileged\nalice,true\n"))
                .hasMessage("identities.csv: line 2: no user");
    }
}
