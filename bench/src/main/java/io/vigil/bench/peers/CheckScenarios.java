package io.vigil.bench.peers;

import static io.vigil.bench.peers.Peers.BF;
import static io.vigil.bench.peers.Peers.SEQ;

import io.vigil.bench.SyntheticAuth;
import io.vigil.model.Origin;
import io.vigil.model.SecurityEvent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Hand-written event timelines for {@code CorrelationPeers --check}, each on its own key, with the
 * alerts worked out by hand from the rules (failures {@code f}, successes {@code s}; times in
 * seconds from {@link SyntheticAuth#START}). Failures of the sequence scenarios are 20 s apart so
 * that no five of them fall within {@code ssh-brute-force}'s 60 s. {@link #VIGIL} is what Vigil
 * (and an exact peer) must alert, {@link #NO_SUPPRESSION} what a peer without a suppression
 * period must alert.
 */
final class CheckScenarios {

    /** One event: time (ms from START), source address, user, action, outcome. */
    record Step(long ms, String ip, String user, String action, String outcome) implements java.io.Serializable {}

    static final List<Step> STEPS = new ArrayList<>();
    static final List<PeerAlert> VIGIL = new ArrayList<>();
    static final List<PeerAlert> NO_SUPPRESSION = new ArrayList<>();
    static final List<String> DESCRIPTIONS = new ArrayList<>();

    static {
        // A. Window boundary: five failures spanning exactly 60 s do not alert (the first and the
        // last are a window apart); a sixth 10 ms later alerts with the last five.
        String a = "10.99.0.1";
        describe("A " + a + ": failures at 0, 15, 30, 45, 60 s (span exactly 60 s: no alert), then 60.01 s: "
                + "alert at 60.01 s");
        for (long s : new long[] {0, 15, 30, 45, 60}) {
            fail(s * 1000, a);
        }
        fail(60_010, a);
        both(BF, a, 60_010);

        // B. Suppression: ten failures 1 s apart alert at the fifth; Vigil suppresses 205-209 s
        // (its suppression runs 60 s from 204 s) and alerts again at the fifth failure from 264 s,
        // the end of suppression (inclusive). Without suppression, 205-209 s alert again at 209 s.
        String b = "10.99.0.2";
        describe("B " + b + ": failures every 1 s 200-209 s, then 264-268 s: Vigil alerts 204 s and 268 s; "
                + "without suppression also 209 s");
        for (long s = 200; s <= 209; s++) {
            fail(s * 1000, b);
        }
        for (long s = 264; s <= 268; s++) {
            fail(s * 1000, b);
        }
        both(BF, b, 204_000);
        NO_SUPPRESSION.add(new PeerAlert(BF, b, 209_000));
        both(BF, b, 268_000);

        // C. Suppression shifts the next window: five failures 400-404 s alert at 404 s; four more
        // (405-408 s) fall in Vigil's suppression (to 464 s); from 464 s Vigil needs five fresh
        // failures (alert 468 s). Without suppression 405-408 s and 464 s are five within 60 s
        // (alert 464 s), and 465-468 s are only four.
        String c = "10.99.0.3";
        describe("C " + c + ": failures 400-408 s and 464-468 s: Vigil alerts 404 s and 468 s; "
                + "without suppression 404 s and 464 s");
        for (long s = 400; s <= 408; s++) {
            fail(s * 1000, c);
        }
        for (long s = 464; s <= 468; s++) {
            fail(s * 1000, c);
        }
        both(BF, c, 404_000);
        VIGIL.add(new PeerAlert(BF, c, 468_000));
        NO_SUPPRESSION.add(new PeerAlert(BF, c, 464_000));

        // D. Sequence window boundary: failures at 1000, 1020, 1040, 1060, 1080 s, a success at
        // 1050 s (only three failures before it: nothing, and it does not reset the sequence), a
        // success at 1600 s, exactly 10 min after the first failure (that one has left the window:
        // nothing), a failure at 1610 s and a success at 1615 s: the latest five failures
        // (1020-1610 s) are within 10 min: alert at 1615 s.
        String d = "10.99.1.1";
        describe("D " + d + ": failures 1000-1080 s every 20 s, successes at 1050 s and 1600 s (no alert: "
                + "the first failure is exactly 10 min old), failure 1610 s, success 1615 s: alert at 1615 s");
        for (long s : new long[] {1000, 1020, 1040}) {
            fail(s * 1000, d);
        }
        success(1_050_000, d);
        fail(1_060_000, d);
        fail(1_080_000, d);
        success(1_600_000, d);
        fail(1_610_000, d);
        success(1_615_000, d);
        both(SEQ, d, 1_615_000);

        // E. Sequence suppression: six failures then a success alert at 2120 s (the latest five
        // count); five more failures and a success at 2230 s fall in the 10 min suppression
        // (to 2720 s): Vigil is silent, a peer without suppression alerts at 2230 s. A success at
        // 2730 s finds no failures after the suppression: nothing.
        String e = "10.99.1.2";
        describe("E " + e + ": failures 2000-2100 s every 20 s, success 2120 s (alert), failures 2130-2210 s, "
                + "success 2230 s (suppressed by Vigil; without suppression an alert), success 2730 s (nothing)");
        for (long s = 2000; s <= 2100; s += 20) {
            fail(s * 1000, e);
        }
        success(2_120_000, e);
        for (long s = 2130; s <= 2210; s += 20) {
            fail(s * 1000, e);
        }
        success(2_230_000, e);
        success(2_730_000, e);
        both(SEQ, e, 2_120_000);
        NO_SUPPRESSION.add(new PeerAlert(SEQ, e, 2_230_000));

        // F. The sequence key of a loopback source is the account, lower-cased: five failures of
        // "Admin" from 127.0.0.1 and a success alert under "admin" (ssh-brute-force keys on the
        // address and, 20 s apart, does not fire).
        describe("F 127.0.0.1 user Admin: failures 3000-3080 s every 20 s, success 3090 s: alert keyed 'admin'");
        for (long s = 3000; s <= 3080; s += 20) {
            STEPS.add(new Step(s * 1000, "127.0.0.1", "Admin", "ssh_login", "failure"));
        }
        STEPS.add(new Step(3_090_000, "127.0.0.1", "Admin", "ssh_login", "success"));
        both(SEQ, "admin", 3_090_000);

        // G. Keys do not mix, and other events are not failures: two sources with three failures
        // each within 60 s, interleaved with sessions and invalid users: nothing.
        describe("G 10.99.2.1 / 10.99.2.2: three failures each within 60 s, interleaved, plus other events: nothing");
        for (long s = 4000; s < 4030; s += 10) {
            fail(s * 1000, "10.99.2.1");
            fail(s * 1000 + 1, "10.99.2.2");
            STEPS.add(new Step(s * 1000 + 2, "10.99.2.1", "guess1", "ssh_invalid_user", "failure"));
            STEPS.add(new Step(s * 1000 + 3, "10.99.2.2", "user1", "session_opened", "success"));
        }

        STEPS.sort(Comparator.comparingLong(Step::ms));
        for (int i = 1; i < STEPS.size(); i++) {
            if (STEPS.get(i).ms() == STEPS.get(i - 1).ms()) {
                throw new IllegalStateException("two check events at " + STEPS.get(i).ms() + " ms");
            }
        }
        long start = SyntheticAuth.START.toEpochMilli();
        VIGIL.replaceAll(x -> new PeerAlert(x.rule(), x.key(), start + x.time()));
        NO_SUPPRESSION.replaceAll(x -> new PeerAlert(x.rule(), x.key(), start + x.time()));
    }

    private CheckScenarios() {}

    private static void describe(String text) {
        DESCRIPTIONS.add(text);
    }

    private static void fail(long ms, String ip) {
        STEPS.add(new Step(ms, ip, "root", "ssh_login", "failure"));
    }

    private static void success(long ms, String ip) {
        STEPS.add(new Step(ms, ip, "deploy", "ssh_login", "success"));
    }

    private static void both(String rule, String key, long ms) {
        VIGIL.add(new PeerAlert(rule, key, ms));
        NO_SUPPRESSION.add(new PeerAlert(rule, key, ms));
    }

    static AuthStream stream() {
        return new Scripted(List.copyOf(STEPS));
    }

    /** The steps as sshd events, like {@link SyntheticAuth}'s. */
    static final class Scripted implements AuthStream {
        private static final long serialVersionUID = 1L;
        private final List<Step> steps;

        Scripted(List<Step> steps) {
            this.steps = new ArrayList<>(steps);
        }

        @Override
        public long size() {
            return steps.size();
        }

        @Override
        public SecurityEvent event(long i) {
            Step s = steps.get((int) i);
            return SecurityEvent.builder().timestamp(SyntheticAuth.START.plusMillis(s.ms())).hostName("bastion-0")
                    .eventModule("system").eventDataset("system.auth").processName("sshd")
                    .origin(Origin.kafka("check", 0, i)).sourceIp(s.ip()).userName(s.user())
                    .eventAction(s.action()).eventOutcome(s.outcome()).eventCategory("authentication")
                    .message("check").build();
        }
    }
}
