package io.vigil.rules;

import com.google.re2j.Pattern;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * MITRE ATT&CK (Enterprise) names of the tactics, in kill-chain order, and of the techniques the
 * rule packs use. Facts from attack.mitre.org; a rule may name any technique of the right shape,
 * the name is then simply not known here.
 */
public final class Attack {

    /** Tactic id → name, in the order of the Enterprise matrix (kill-chain order). */
    public static final Map<String, String> TACTICS = new LinkedHashMap<>();

    /** Technique id → name. */
    public static final Map<String, String> TECHNIQUES = new LinkedHashMap<>();

    private static final Pattern TACTIC_ID = Pattern.compile("TA\\d{4}");
    private static final Pattern TECHNIQUE_ID = Pattern.compile("T\\d{4}(\\.\\d{3})?");

    static {
        TACTICS.put("TA0043", "Reconnaissance");
        TACTICS.put("TA0042", "Resource Development");
        TACTICS.put("TA0001", "Initial Access");
        TACTICS.put("TA0002", "Execution");
        TACTICS.put("TA0003", "Persistence");
        TACTICS.put("TA0004", "Privilege Escalation");
        TACTICS.put("TA0005", "Defense Evasion");
        TACTICS.put("TA0006", "Credential Access");
        TACTICS.put("TA0007", "Discovery");
        TACTICS.put("TA0008", "Lateral Movement");
        TACTICS.put("TA0009", "Collection");
        TACTICS.put("TA0011", "Command and Control");
        TACTICS.put("TA0010", "Exfiltration");
        TACTICS.put("TA0040", "Impact");

        TECHNIQUES.put("T1078", "Valid Accounts");
        TECHNIQUES.put("T1087", "Account Discovery");
        TECHNIQUES.put("T1098", "Account Manipulation");
        TECHNIQUES.put("T1110", "Brute Force");
        TECHNIQUES.put("T1110.001", "Password Guessing");
        TECHNIQUES.put("T1110.003", "Password Spraying");
        TECHNIQUES.put("T1136", "Create Account");
        TECHNIQUES.put("T1136.001", "Local Account");
        TECHNIQUES.put("T1070", "Indicator Removal");
        TECHNIQUES.put("T1070.001", "Clear Windows Event Logs");
        TECHNIQUES.put("T1070.002", "Clear Linux or Mac System Logs");
        TECHNIQUES.put("T1562.002", "Disable Windows Event Logging");
        TECHNIQUES.put("T1558.003", "Kerberoasting");
        TECHNIQUES.put("T1543.003", "Windows Service");
        TECHNIQUES.put("T1569.002", "Service Execution");
        TECHNIQUES.put("T1595", "Active Scanning");
        TECHNIQUES.put("T1595.003", "Wordlist Scanning");
        TECHNIQUES.put("T1190", "Exploit Public-Facing Application");
        TECHNIQUES.put("T1552.005", "Cloud Instance Metadata API");
        TECHNIQUES.put("T1530", "Data from Cloud Storage");
        TECHNIQUES.put("T1548.003", "Sudo and Sudo Caching");
        TECHNIQUES.put("T1003.001", "LSASS Memory");
        TECHNIQUES.put("T1021", "Remote Services");
        TECHNIQUES.put("T1021.002", "SMB/Windows Admin Shares");
        TECHNIQUES.put("T1059.004", "Unix Shell");
        TECHNIQUES.put("T1078.002", "Domain Accounts");
        TECHNIQUES.put("T1078.004", "Cloud Accounts");
        TECHNIQUES.put("T1204", "User Execution");
        TECHNIQUES.put("T1036", "Masquerading");
    }

    private Attack() {}

    public static boolean isTacticId(String id) {
        return TACTIC_ID.matcher(id).matches();
    }

    public static boolean isTechniqueId(String id) {
        return TECHNIQUE_ID.matcher(id).matches();
    }

    /** Kill-chain position of a tactic (0 = Reconnaissance), or {@code Integer.MAX_VALUE} if unknown. */
    public static int order(String tacticId) {
        int i = 0;
        for (String id : TACTICS.keySet()) {
            if (id.equals(tacticId)) {
                return i;
            }
            i++;
        }
        return Integer.MAX_VALUE;
    }

    public static List<String> tacticNames(List<String> ids) {
        return ids.stream().map(id -> TACTICS.getOrDefault(id, id)).toList();
    }

    public static List<String> techniqueNames(List<String> ids) {
        return ids.stream().map(id -> TECHNIQUES.getOrDefault(id, id)).toList();
    }
}
