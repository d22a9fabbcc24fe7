package io.vigil.formats;

import static io.vigil.formats.SyslogTesting.one;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.EcsJson;
import io.vigil.model.SecurityEvent;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The action vocabulary and field mapping, one real-shaped line per case. */
class SyslogDecoderTest {

    private static final String H = "Dec 10 06:55:48 LabSZ sshd[24200]: ";

    @Nested
    class Sshd {

        @Test
        void failedPassword() {
            SecurityEvent e = one(H + "Failed password for root from 173.234.31.186 port 38926 ssh2");
            assertThat(e.eventAction()).isEqualTo("ssh_login");
            assertThat(e.eventOutcome()).isEqualTo("failure");
            assertThat(e.eventCategory()).containsExactly("authentication");
            assertThat(e.eventType()).containsExactly("start");
            assertThat(e.eventDataset()).isEqualTo("system.auth");
            assertThat(e.eventModule()).isEqualTo("system");
            assertThat(e.eventKind()).isEqualTo("event");
            assertThat(e.userName()).isEqualTo("root");
            assertThat(e.sourceIp()).isEqualTo("173.234.31.186");
            assertThat(e.sourcePort()).isEqualTo(38926);
            assertThat(e.field("system.auth.ssh.method")).isEqualTo("password");
            assertThat(e.field("system.auth.ssh.invalid_user")).isNull();
            assertThat(e.hostName()).isEqualTo("LabSZ");
            assertThat(e.hostHostname()).isEqualTo("LabSZ");
            assertThat(e.processName()).isEqualTo("sshd");
            assertThat(e.processPid()).isEqualTo(24200L);
            assertThat(e.message()).isEqualTo("Failed password for root from 173.234.31.186 port 38926 ssh2");
            assertThat(e.eventOriginal()).isEqualTo(H + e.message());
            assertThat(e.relatedIp()).containsExactly("173.234.31.186");
            assertThat(e.relatedUser()).containsExactly("root");
            assertThat(e.field("log.syslog.appname")).isEqualTo("sshd");
            assertThat(e.field("log.syslog.procid")).isEqualTo("24200");
            assertThat(e.field("log.syslog.hostname")).isEqualTo("LabSZ");
            assertThat(e.origin().source()).isEqualTo("auth.log");
            assertThat(e.origin().offset()).isEqualTo(1);
        }

        @Test
        void failedPasswordForInvalidUser() {
            SecurityEvent e = one(H + "Failed password for invalid user webmaster from 173.234.31.186 port 38926 ssh2");
            assertThat(e.eventAction()).isEqualTo("ssh_login");
            assertThat(e.eventOutcome()).isEqualTo("failure");
            assertThat(e.userName()).isEqualTo("webmaster");
            assertThat(e.field("system.auth.ssh.invalid_user")).isEqualTo("true");
        }

        @Test
        void acceptedPublickeyKeepsSignature() {
            SecurityEvent e = one(H + "Accepted publickey for alice from 10.0.0.5 port 52412 ssh2: "
                    + "ED25519 SHA256:Xq3m8bXG8s1k4yE0lV1h9c2w6v7FJ9k0cJq0W8Zx1yQ");
            assertThat(e.eventAction()).isEqualTo("ssh_login");
            assertThat(e.eventOutcome()).isEqualTo("success");
            assertThat(e.userName()).isEqualTo("alice");
            assertThat(e.sourceIp()).isEqualTo("10.0.0.5");
            assertThat(e.sourcePort()).isEqualTo(52412);
            assertThat(e.field("system.auth.ssh.method")).isEqualTo("publickey");
            assertThat(e.field("system.auth.ssh.signature"))
                    .isEqualTo("ED25519 SHA256:Xq3m8bXG8s1k4yE0lV1h9c2w6v7FJ9k0cJq0W8Zx1yQ");
        }

        @Test
        void keyboardInteractiveFromIpv6() {
            SecurityEvent e = one(H + "Failed keyboard-interactive/pam for bob from 2001:db8::1 port 22 ssh2");
            assertThat(e.eventAction()).isEqualTo("ssh_login");
            assertThat(e.field("system.auth.ssh.method")).isEqualTo("keyboard-interactive/pam");
            assertThat(e.sourceIp()).isEqualTo("2001:db8::1");
            assertThat(e.sourcePort()).isEqualTo(22);
            assertThat(e.userName()).isEqualTo("bob");
        }

        @Test
        void ipv4MappedIpv6() {
            SecurityEvent e = one(H + "Accepted password for bob from ::ffff:192.0.2.7 port 2222 ssh2");
            assertThat(e.sourceIp()).isEqualTo("::ffff:192.0.2.7");
            assertThat(e.sourcePort()).isEqualTo(2222);
        }

        @Test
        void hostNameInsteadOfAddressGoesToSourceDomain() {
            SecurityEvent e = one(H + "Failed password for root from scanner.example.net port 4711 ssh2");
            assertThat(e.sourceIp()).isNull();
            assertThat(e.sourceDomain()).isEqualTo("scanner.example.net");
            assertThat(e.sourcePort()).isEqualTo(4711);
        }

        @Test
        void failedNoneIsNotALoginAttempt() {
            SecurityEvent e = one(H + "Failed none for invalid user 0 from 5.188.10.180 port 49811 ssh2");
            assertThat(e.eventAction()).isEqualTo("ssh_auth_none");
            assertThat(e.eventOutcome()).isEqualTo("failure");
            assertThat(e.userName()).isEqualTo("0");
            assertThat(e.sourceIp()).isEqualTo("5.188.10.180");
        }

        @Test
        void invalidUser() {
            SecurityEvent e = one(H + "Invalid user admin from 103.99.0.122");
            assertThat(e.eventAction()).isEqualTo("ssh_invalid_user");
            assertThat(e.eventCategory()).containsExactly("authentication");
            assertThat(e.eventType()).containsExactly("info");
            assertThat(e.eventOutcome()).isEqualTo("failure");
            assertThat(e.userName()).isEqualTo("admin");
            assertThat(e.sourceIp()).isEqualTo("103.99.0.122");
            assertThat(e.sourcePort()).isNull();
        }

        @Test
        void invalidUserWithPort() {
            SecurityEvent e = one(H + "Invalid user oracle from 2001:db8:0:1::42 port 51234");
            assertThat(e.userName()).isEqualTo("oracle");
            assertThat(e.sourceIp()).isEqualTo("2001:db8:0:1::42");
            assertThat(e.sourcePort()).isEqualTo(51234);
        }

        @Test
        void invalidEmptyUserHasNoUserName() {
            SecurityEvent e = one(H + "Invalid user  from 1.2.3.4");
            assertThat(e.eventAction()).isEqualTo("ssh_invalid_user");
            assertThat(e.userName()).isNull();
            assertThat(e.relatedUser()).isEmpty();
            assertThat(e.sourceIp()).isEqualTo("1.2.3.4");
            SecurityEvent f = one(H + "Failed password for invalid user  from 1.2.3.4 port 22 ssh2");
            assertThat(f.eventAction()).isEqualTo("ssh_login");
            assertThat(f.userName()).isNull();
            assertThat(f.sourcePort()).isEqualTo(22);
        }

        @Test
        void invalidUserWithLeadingSpaceKeepsIt() {
            SecurityEvent e = one(H + "Invalid user  0101 from 5.188.10.180");
            assertThat(e.userName()).isEqualTo(" 0101");
            assertThat(e.sourceIp()).isEqualTo("5.188.10.180");
            SecurityEvent f = one(H + "Failed password for invalid user  0101 from 5.188.10.180 port 60512 ssh2");
            assertThat(f.userName()).isEqualTo(" 0101");
        }

        @Test
        void userNameWithSpacesAndTheWordFrom() {
            SecurityEvent e = one(H + "Invalid user admin from work from 198.51.100.9 port 4242");
            assertThat(e.userName()).isEqualTo("admin from work");
            assertThat(e.sourceIp()).isEqualTo("198.51.100.9");
            assertThat(e.sourcePort()).isEqualTo(4242);
            SecurityEvent f = one(H + "Failed password for invalid user a from 10.0.0.1 from 198.51.100.9 port 4243 ssh2");
            assertThat(f.userName()).isEqualTo("a from 10.0.0.1");
            assertThat(f.sourceIp()).isEqualTo("198.51.100.9");
            assertThat(f.sourcePort()).isEqualTo(4243);
        }

        @Test
        void breakInAttemptReverseMapping() {
            SecurityEvent e = one(H + "reverse mapping checking getaddrinfo for "
                    + "customer-187-141-143-180-sta.uninet-ide.com.mx [187.141.143.180] failed - POSSIBLE BREAK-IN ATTEMPT!");
            assertThat(e.eventAction()).isEqualTo("ssh_break_in_attempt");
            assertThat(e.sourceIp()).isEqualTo("187.141.143.180");
            assertThat(e.sourceDomain()).isEqualTo("customer-187-141-143-180-sta.uninet-ide.com.mx");
        }

        @Test
        void breakInAttemptAddressMapsTo() {
            SecurityEvent e = one(H + "Address 203.0.113.8 maps to host.example.org, but this does not map back "
                    + "to the address - POSSIBLE BREAK-IN ATTEMPT!");
            assertThat(e.eventAction()).isEqualTo("ssh_break_in_attempt");
            assertThat(e.sourceIp()).isEqualTo("203.0.113.8");
            assertThat(e.sourceDomain()).isEqualTo("host.example.org");
        }

        @Test
        void disconnectForms() {
            SecurityEvent old = one(H + "Received disconnect from 112.95.230.3: 11: Bye Bye [preauth]");
            assertThat(old.eventAction()).isEqualTo("ssh_disconnect");
            assertThat(old.eventCategory()).containsExactly("network");
            assertThat(old.eventType()).containsExactly("end");
            assertThat(old.sourceIp()).isEqualTo("112.95.230.3");
            assertThat(old.sourcePort()).isNull();

            SecurityEvent newer = one(H + "Received disconnect from 203.0.113.4 port 50000:11: Bye Bye [preauth]");
            assertThat(newer.sourceIp()).isEqualTo("203.0.113.4");
            assertThat(newer.sourcePort()).isEqualTo(50000);

            SecurityEvent withUser = one(H + "Disconnected from authenticating user root 203.0.113.4 port 50001 [preauth]");
            assertThat(withUser.eventAction()).isEqualTo("ssh_disconnect");
            assertThat(withUser.userName()).isEqualTo("root");
            assertThat(withUser.sourceIp()).isEqualTo("203.0.113.4");
            assertThat(withUser.sourcePort()).isEqualTo(50001);

            SecurityEvent closed = one(H + "Connection closed by 5.188.10.180 [preauth]");
            assertThat(closed.eventAction()).isEqualTo("ssh_disconnect");
            assertThat(closed.sourceIp()).isEqualTo("5.188.10.180");

            SecurityEvent error = one(H + "error: Received disconnect from 103.99.0.122: 14: No more user authentication methods available. [preauth]");
            assertThat(error.eventAction()).isEqualTo("ssh_disconnect");
            assertThat(error.sourceIp()).isEqualTo("103.99.0.122");
        }

        @Test
        void tooManyAuthenticationFailures() {
            SecurityEvent e = one(H + "Disconnecting: Too many authentication failures for admin [preauth]");
            assertThat(e.eventAction()).isEqualTo("ssh_too_many_auth_failures");
            assertThat(e.eventOutcome()).isEqualTo("failure");
            assertThat(e.userName()).isEqualTo("admin");

            SecurityEvent max = one(H + "error: maximum authentication attempts exceeded for invalid user test "
                    + "from 198.51.100.3 port 40000 ssh2 [preauth]");
            assertThat(max.eventAction()).isEqualTo("ssh_too_many_auth_failures");
            assertThat(max.userName()).isEqualTo("test");
            assertThat(max.sourceIp()).isEqualTo("198.51.100.3");
            assertThat(max.sourcePort()).isEqualTo(40000);
        }

        @Test
        void noIdentificationString() {
            SecurityEvent e = one(H + "Did not receive identification string from 181.214.87.4");
            assertThat(e.eventAction()).isEqualTo("ssh_no_identification");
            assertThat(e.sourceIp()).isEqualTo("181.214.87.4");
        }

        @Test
        void otherSshdLinesArePlainAuthEvents() {
            SecurityEvent e = one(H + "input_userauth_request: invalid user admin [preauth]");
            assertThat(e.eventAction()).isNull();
            assertThat(e.eventOutcome()).isNull();
            assertThat(e.eventDataset()).isEqualTo("system.auth");
            assertThat(e.message()).isEqualTo("input_userauth_request: invalid user admin [preauth]");
            SecurityEvent f = one(H + "Failed to release session: Interrupted system call");
            assertThat(f.eventAction()).isNull();
        }

        @Test
        void sshdSessionProgramOfNewerOpenSsh() {
            SecurityEvent e = one("Jan  2 03:04:05 web1 sshd-session[881]: Failed password for root from 192.0.2.1 port 1 ssh2");
            assertThat(e.eventAction()).isEqualTo("ssh_login");
            assertThat(e.processName()).isEqualTo("sshd-session");
        }
    }

    @Nested
    class Pam {

        @Test
        void authFailureWithUser() {
            SecurityEvent e = one(H + "pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh "
                    + "ruser= rhost=60.2.12.12  user=root");
            assertThat(e.eventAction()).isEqualTo("pam_auth_failure");
            assertThat(e.eventOutcome()).isEqualTo("failure");
            assertThat(e.eventCategory()).containsExactly("authentication");
            assertThat(e.userName()).isEqualTo("root");
            assertThat(e.sourceIp()).isEqualTo("60.2.12.12");
            assertThat(e.sourceDomain()).isNull();
            assertThat(e.field("system.auth.pam.module")).isEqualTo("pam_unix");
            assertThat(e.field("system.auth.pam.service")).isEqualTo("sshd");
            assertThat(e.field("system.auth.pam.ruser")).isNull();
        }

        @Test
        void authFailureWithHostNameAndNoUser() {
            SecurityEvent e = one(H + "pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh "
                    + "ruser= rhost=ec2-52-80-34-196.cn-north-1.compute.amazonaws.com.cn ");
            assertThat(e.eventAction()).isEqualTo("pam_auth_failure");
            assertThat(e.userName()).isNull();
            assertThat(e.sourceIp()).isNull();
            assertThat(e.sourceDomain()).isEqualTo("ec2-52-80-34-196.cn-north-1.compute.amazonaws.com.cn");
        }

        @Test
        void linuxTaggedForm() {
            SecurityEvent e = one("Jun 14 15:16:01 combo sshd(pam_unix)[19939]: authentication failure; logname= uid=0 "
                    + "euid=0 tty=NODEVssh ruser= rhost=218.188.2.4 ");
            assertThat(e.eventAction()).isEqualTo("pam_auth_failure");
            assertThat(e.processName()).isEqualTo("sshd");
            assertThat(e.processPid()).isEqualTo(19939L);
            assertThat(e.field("log.syslog.appname")).isEqualTo("sshd(pam_unix)");
            assertThat(e.field("system.auth.pam.module")).isEqualTo("pam_unix");
            assertThat(e.field("system.auth.pam.service")).isEqualTo("sshd");
            assertThat(e.sourceIp()).isEqualTo("218.188.2.4");
            assertThat(e.eventDataset()).isEqualTo("system.auth");
        }

        @Test
        void suAuthFailureKeepsRemoteUser() {
            SecurityEvent e = one("Mar  3 10:00:00 web1 su: pam_unix(su:auth): authentication failure; logname=alice "
                    + "uid=1000 euid=0 tty=/dev/pts/0 ruser=alice rhost=  user=root");
            assertThat(e.eventAction()).isEqualTo("pam_auth_failure");
            assertThat(e.userName()).isEqualTo("root");
            assertThat(e.field("system.auth.pam.ruser")).isEqualTo("alice");
            assertThat(e.sourceIp()).isNull();
            assertThat(e.sourceDomain()).isNull();
        }

        @Test
        void userUnknown() {
            SecurityEvent e = one(H + "pam_unix(sshd:auth): check pass; user unknown");
            assertThat(e.eventAction()).isEqualTo("pam_user_unknown");
            assertThat(e.eventOutcome()).isEqualTo("failure");
            SecurityEvent linux = one("Jun 15 02:04:59 combo sshd(pam_unix)[20882]: check pass; user unknown");
            assertThat(linux.eventAction()).isEqualTo("pam_user_unknown");
        }

        @Test
        void sessionsOfAnyService() {
            SecurityEvent opened = one(H + "pam_unix(sshd:session): session opened for user fztu by (uid=0)");
            assertThat(opened.eventAction()).isEqualTo("session_opened");
            assertThat(opened.eventCategory()).containsExactly("session");
            assertThat(opened.eventType()).containsExactly("start");
            assertThat(opened.userName()).isEqualTo("fztu");
            assertThat(opened.field("system.auth.pam.by")).isEqualTo("(uid=0)");

            SecurityEvent closed = one(H + "pam_unix(sshd:session): session closed for user fztu");
            assertThat(closed.eventAction()).isEqualTo("session_closed");
            assertThat(closed.eventType()).containsExactly("end");
            assertThat(closed.userName()).isEqualTo("fztu");

            SecurityEvent cron = one("Jan  2 03:17:01 web1 CRON[4411]: pam_unix(cron:session): session opened for "
                    + "user root(uid=0) by (uid=0)");
            assertThat(cron.eventAction()).isEqualTo("session_opened");
            assertThat(cron.userName()).isEqualTo("root");
            assertThat(cron.eventDataset()).isEqualTo("system.auth");
            assertThat(cron.field("system.auth.pam.service")).isEqualTo("cron");

            SecurityEvent su = one("Jun 15 04:06:18 combo su(pam_unix)[21416]: session opened for user cyrus by (uid=0)");
            assertThat(su.eventAction()).isEqualTo("session_opened");
            assertThat(su.userName()).isEqualTo("cyrus");
            assertThat(su.processName()).isEqualTo("su");

            SecurityEvent login = one("Jul  9 22:53:19 combo login(pam_unix)[2051]: session opened for user root by LOGIN(uid=0)");
            assertThat(login.eventAction()).isEqualTo("session_opened");
            assertThat(login.userName()).isEqualTo("root");
            assertThat(login.field("system.auth.pam.by")).isEqualTo("LOGIN(uid=0)");
        }

        @Test
        void passwordChanged() {
            SecurityEvent e = one("Mar  3 10:00:00 web1 passwd[3001]: pam_unix(passwd:chauthtok): password changed for bob");
            assertThat(e.eventAction()).isEqualTo("password_changed");
            assertThat(e.eventCategory()).containsExactly("iam");
            assertThat(e.eventType()).containsExactly("user", "change");
            assertThat(e.userName()).isEqualTo("bob");
        }
    }

    @Nested
    class Privilege {

        @Test
        void sudoCommand() {
            SecurityEvent e = one("Mar  3 10:00:00 web1 sudo:    alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; "
                    + "COMMAND=/usr/bin/systemctl restart nginx ; echo done");
            assertThat(e.eventAction()).isEqualTo("sudo");
            assertThat(e.eventCategory()).containsExactly("process");
            assertThat(e.eventOutcome()).isEqualTo("success");
            assertThat(e.userName()).isEqualTo("alice");
            assertThat(e.userTargetName()).isEqualTo("root");
            assertThat(e.relatedUser()).containsExactly("alice", "root");
            assertThat(e.field("system.auth.sudo.tty")).isEqualTo("pts/0");
            assertThat(e.field("system.auth.sudo.pwd")).isEqualTo("/home/alice");
            assertThat(e.field("system.auth.sudo.command")).isEqualTo("/usr/bin/systemctl restart nginx ; echo done");
            assertThat(e.processName()).isEqualTo("sudo");
            assertThat(e.processPid()).isNull();
        }

        @Test
        void sudoRefused() {
            SecurityEvent e = one("Mar  3 10:00:00 web1 sudo:      eve : user NOT in sudoers ; TTY=pts/1 ; "
                    + "PWD=/tmp ; USER=root ; COMMAND=/bin/bash");
            assertThat(e.eventAction()).isEqualTo("sudo");
            assertThat(e.eventOutcome()).isEqualTo("failure");
            assertThat(e.userName()).isEqualTo("eve");
            assertThat(e.field("system.auth.sudo.error")).isEqualTo("user NOT in sudoers");
        }

        @Test
        void sudoPamSessionIsASession() {
            SecurityEvent e = one("Mar  3 10:00:00 web1 sudo: pam_unix(sudo:session): session opened for user "
                    + "root(uid=0) by alice(uid=1000)");
            assertThat(e.eventAction()).isEqualTo("session_opened");
            assertThat(e.userName()).isEqualTo("root");
            assertThat(e.field("system.auth.pam.by")).isEqualTo("alice(uid=1000)");
        }

        @Test
        void suForms() {
            SecurityEvent ok = one("Mar  3 10:00:00 web1 su[4242]: (to root) alice on pts/0");
            assertThat(ok.eventAction()).isEqualTo("su");
            assertThat(ok.eventOutcome()).isEqualTo("success");
            assertThat(ok.userName()).isEqualTo("alice");
            assertThat(ok.userTargetName()).isEqualTo("root");
            assertThat(ok.field("system.auth.su.tty")).isEqualTo("pts/0");

            SecurityEvent failed = one("Mar  3 10:00:00 web1 su[4243]: FAILED SU (to root) mallory on pts/3");
            assertThat(failed.eventAction()).isEqualTo("su");
            assertThat(failed.eventOutcome()).isEqualTo("failure");
            assertThat(failed.userName()).isEqualTo("mallory");
            assertThat(failed.userTargetName()).isEqualTo("root");

            SecurityEvent shadow = one("Mar  3 10:00:00 web1 su[4244]: Successful su for postgres by root");
            assertThat(shadow.userName()).isEqualTo("root");
            assertThat(shadow.userTargetName()).isEqualTo("postgres");

            SecurityEvent old = one("Oct 11 22:14:15 mymachine su: - pts/8 lonvick:root");
            assertThat(old.eventAction()).isEqualTo("su");
            assertThat(old.eventOutcome()).isEqualTo("failure");
            assertThat(old.userName()).isEqualTo("lonvick");
            assertThat(old.userTargetName()).isEqualTo("root");
        }
    }

    @Nested
    class Accounts {

        @Test
        void userCreated() {
            SecurityEvent e = one("Mar  3 10:00:00 web1 useradd[5001]: new user: name=bob, UID=1001, GID=1001, "
                    + "home=/home/bob, shell=/bin/bash, from=/dev/pts/0");
            assertThat(e.eventAction()).isEqualTo("user_created");
            assertThat(e.eventCategory()).containsExactly("iam");
            assertThat(e.eventType()).containsExactly("user", "creation");
            assertThat(e.userName()).isEqualTo("bob");
            assertThat(e.userId()).isEqualTo("1001");
            assertThat(e.field("group.id")).isEqualTo("1001");
            assertThat(e.eventDataset()).isEqualTo("system.auth");
        }

        @Test
        void groupCreated() {
            SecurityEvent e = one("Mar  3 10:00:00 web1 groupadd[5002]: new group: name=devs, GID=1002");
            assertThat(e.eventAction()).isEqualTo("group_created");
            assertThat(e.eventType()).containsExactly("group", "creation");
            assertThat(e.field("group.name")).isEqualTo("devs");
            assertThat(e.field("group.id")).isEqualTo("1002");
            SecurityEvent detail = one("Mar  3 10:00:00 web1 groupadd[5002]: group added to /etc/group: name=devs, GID=1002");
            assertThat(detail.eventAction()).as("one action per groupadd run").isNull();
        }

        @Test
        void userAndGroupDeleted() {
            SecurityEvent e = one("Mar  3 10:00:00 web1 userdel[5003]: delete user 'bob'");
            assertThat(e.eventAction()).isEqualTo("user_deleted");
            assertThat(e.eventType()).containsExactly("user", "deletion");
            assertThat(e.userName()).isEqualTo("bob");
            SecurityEvent g = one("Mar  3 10:00:00 web1 userdel[5003]: removed group 'bob' owned by 'bob'");
            assertThat(g.eventAction()).isEqualTo("group_deleted");
            assertThat(g.field("group.name")).isEqualTo("bob");
            SecurityEvent gd = one("Mar  3 10:00:00 web1 groupdel[5004]: group 'devs' removed");
            assertThat(gd.eventAction()).isEqualTo("group_deleted");
            assertThat(gd.field("group.name")).isEqualTo("devs");
        }

        @Test
        void userAddedToGroup() {
            SecurityEvent e = one("Mar  3 10:00:00 web1 usermod[5005]: add 'bob' to group 'sudo'");
            assertThat(e.eventAction()).isEqualTo("user_added_to_group");
            assertThat(e.eventType()).containsExactly("group", "change");
            assertThat(e.userName()).isEqualTo("bob");
            assertThat(e.field("group.name")).isEqualTo("sudo");
            SecurityEvent shadow = one("Mar  3 10:00:00 web1 usermod[5005]: add 'bob' to shadow group 'sudo'");
            assertThat(shadow.eventAction()).isEqualTo("user_added_to_group");
            assertThat(shadow.field("group.name")).isEqualTo("sudo");
            SecurityEvent gpasswd = one("Mar  3 10:00:00 web1 gpasswd[5006]: user carol added by root to group docker");
            assertThat(gpasswd.eventAction()).isEqualTo("user_added_to_group");
            assertThat(gpasswd.userName()).isEqualTo("carol");
            assertThat(gpasswd.field("group.name")).isEqualTo("docker");
            SecurityEvent removed = one("Mar  3 10:00:00 web1 gpasswd[5007]: user carol removed by root from group docker");
            assertThat(removed.eventAction()).isEqualTo("user_removed_from_group");
        }

        @Test
        void passwdChangedBy() {
            SecurityEvent e = one("Mar  3 10:00:00 web1 passwd[5008]: password for 'bob' changed by 'root'");
            assertThat(e.eventAction()).isEqualTo("password_changed");
            assertThat(e.userName()).isEqualTo("bob");
            assertThat(e.field("system.auth.passwd.changed_by")).isEqualTo("root");
        }
    }

    @Nested
    class Plain {

        @Test
        void uninterestingLinesArePlainSyslogEvents() {
            SecurityEvent e = one("Jun 14 15:16:02 combo ftpd[24085]: connection from 24.54.76.216 "
                    + "(24-54-76-216.bflony.adelphia.net) at Tue Jun 14 15:16:02 2005 ");
            assertThat(e.eventAction()).isNull();
            assertThat(e.eventDataset()).isEqualTo("system.syslog");
            assertThat(e.eventCategory()).isEmpty();
            assertThat(e.sourceIp()).isNull();
            assertThat(e.processName()).isEqualTo("ftpd");
            assertThat(e.message()).startsWith("connection from 24.54.76.216");
        }

        @Test
        void lineWithoutATagKeepsTheWholeRestAsMessage() {
            SecurityEvent e = one("Jul  9 22:53:22 combo  -- root[2051]: ROOT LOGIN ON tty2");
            assertThat(e.processName()).isNull();
            assertThat(e.hostName()).isEqualTo("combo");
            assertThat(e.message()).isEqualTo(" -- root[2051]: ROOT LOGIN ON tty2");
            SecurityEvent v = one("Jun 19 04:09:11 combo syslogd 1.4.1: restart.");
            assertThat(v.message()).isEqualTo("syslogd 1.4.1: restart.");
        }

        @Test
        void eventsSerializeAsEcs() {
            SecurityEvent e = one(H + "Failed password for root from 173.234.31.186 port 38926 ssh2");
            String json = EcsJson.write(e);
            assertThat(json).contains("\"action\":\"ssh_login\"").contains("\"method\":\"password\"")
                    .contains("\"ip\":\"173.234.31.186\"");
        }
    }

    @Nested
    class Repeated {

        @Test
        void messageRepeatedBecomesNNumberedEvents() {
            String line = "Dec 10 07:13:56 LabSZ sshd[24227]: message repeated 5 times: "
                    + "[ Failed password for root from 5.36.59.76 port 42393 ssh2]";
            DecodeResult r = SyslogTesting.decoder().decode(SyslogTesting.record(line));
            assertThat(r.ok()).isTrue();
            assertThat(r.events()).hasSize(5);
            assertThat(r.events()).extracting(SecurityEvent::eventSequence).containsExactly(1L, 2L, 3L, 4L, 5L);
            assertThat(r.events()).allSatisfy(e -> {
                assertThat(e.eventAction()).isEqualTo("ssh_login");
                assertThat(e.eventOutcome()).isEqualTo("failure");
                assertThat(e.sourceIp()).isEqualTo("5.36.59.76");
                assertThat(e.sourcePort()).isEqualTo(42393);
                assertThat(e.userName()).isEqualTo("root");
                assertThat(e.message()).isEqualTo("Failed password for root from 5.36.59.76 port 42393 ssh2");
                assertThat(e.eventOriginal()).isEqualTo(line);
                assertThat(e.tags()).contains("vigil_message_repeated");
            });
            assertThat(r.events().get(0)).isNotEqualTo(r.events().get(1));
        }

        @Test
        void singleEventsCarryNoSequence() {
            assertThat(one(H + "Connection closed by 5.188.10.180 [preauth]").eventSequence()).isNull();
        }

        @Test
        void lastMessageRepeatedWithoutTextIsPlain() {
            SecurityEvent e = one("Mar  3 10:00:00 web1 rsyslogd: last message repeated 3 times");
            assertThat(e.eventSequence()).isNull();
            assertThat(e.eventAction()).isNull();
        }

        @Test
        void hugeRepeatCountIsCapped() {
            String line = H + "message repeated 99999999 times: [ Failed password for root from 1.2.3.4 port 1 ssh2]";
            DecodeResult r = SyslogTesting.decoder().decode(SyslogTesting.record(line));
            assertThat(r.events()).hasSize(SyslogDecoder.MAX_REPEAT);
            assertThat(r.events().get(0).tags()).contains("vigil_repeat_capped");
        }
    }
}
