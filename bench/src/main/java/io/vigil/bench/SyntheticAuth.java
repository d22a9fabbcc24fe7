package io.vigil.bench;

import io.vigil.model.Origin;
import io.vigil.model.SecurityEvent;
import java.time.Instant;
import java.util.SplittableRandom;

/**
 * A deterministic stream of synthetic sshd authentication events, as the syslog decoder emits
 * them: mostly benign (public-key and password logins, session open/close, sudo, a stray typo),
 * with brute force (then sometimes success) and user enumeration by a few percent of the sources.
 * Event {@code i} depends only on the seed and {@code i}, in time order one event every 10 ms.
 */
public final class SyntheticAuth implements java.io.Serializable {

    public static final Instant START = Instant.parse("2024-06-01T00:00:00Z");

    private final int sources;
    private final long seed;

    public SyntheticAuth(int sources, long seed) {
        this.sources = sources;
        this.seed = seed;
    }

    public SecurityEvent event(long i) {
        SplittableRandom r = new SplittableRandom(seed ^ (i * 0x9E3779B97F4A7C15L));
        int source = r.nextInt(sources);
        String ip = "10." + (source >> 16 & 255) + "." + (source >> 8 & 255) + "." + (source & 255);
        Instant t = START.plusMillis(i * 10);
        SecurityEvent.Builder b = SecurityEvent.builder().timestamp(t).hostName("bastion-" + (source % 20))
                .eventModule("system").eventDataset("system.auth").processName("sshd")
                .origin(Origin.kafka("auth", 0, i)).sourceIp(ip);
        // 3 % of sources attack: most of their events are failures or invalid users
        boolean attacker = source % 33 == 0;
        int roll = r.nextInt(100);
        if (attacker && roll < 60) {
            b.eventAction("ssh_login").eventOutcome("failure").userName(roll < 30 ? "root" : "user" + r.nextInt(50))
                    .eventCategory("authentication").eventType("start");
        } else if (attacker && roll < 80) {
            b.eventAction("ssh_invalid_user").eventOutcome("failure").userName("guess" + r.nextInt(500))
                    .eventCategory("authentication").eventType("info");
        } else if (roll < 45) {
            b.eventAction("ssh_login").eventOutcome("success").userName("user" + (source % 1000))
                    .eventCategory("authentication").eventType("start");
        } else if (roll < 70) {
            b.eventAction(roll < 58 ? "session_opened" : "session_closed").eventOutcome("success")
                    .userName("user" + (source % 1000)).eventCategory("session");
        } else if (roll < 80) {
            b.eventAction("sudo").eventOutcome("success").userName("user" + (source % 1000)).userTargetName("root")
                    .processName("sudo").processCommandLine("/usr/bin/systemctl status nginx");
        } else if (roll < 83) {
            b.eventAction("ssh_login").eventOutcome("failure").userName("user" + (source % 1000))
                    .eventCategory("authentication").eventType("start");
        } else {
            b.eventAction("ssh_disconnect").eventCategory("network");
        }
        return b.message("synthetic").build();
    }
}
