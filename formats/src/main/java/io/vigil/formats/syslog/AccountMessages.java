package io.vigil.formats.syslog;

import io.vigil.model.SecurityEvent;

/**
 * Reads the shadow-utils account tools (useradd, userdel, groupadd, groupdel, usermod, gpasswd,
 * passwd). {@code user.name} is the account acted on; these tools do not log who ran them,
 * except passwd's {@code changed by}, kept in {@value #CHANGED_BY}.
 */
final class AccountMessages {

    static final String GROUP_NAME = "group.name";
    static final String GROUP_ID = "group.id";
    static final String CHANGED_BY = "system.auth.passwd.changed_by";

    private AccountMessages() {}

    static boolean classify(String msg, SecurityEvent.Builder b) {
        if (msg.startsWith("new user: ")) {
            AuthAction.USER_CREATED.applyTo(b).eventOutcome("success");
            b.userName(keyValue(msg, "name=", 10));
            b.userId(keyValue(msg, "UID=", 10));
            b.field(GROUP_ID, keyValue(msg, "GID=", 10));
            return true;
        }
        if (msg.startsWith("new group: ")) {
            AuthAction.GROUP_CREATED.applyTo(b).eventOutcome("success");
            b.field(GROUP_NAME, keyValue(msg, "name=", 11));
            b.field(GROUP_ID, keyValue(msg, "GID=", 11));
            return true;
        }
        if (msg.startsWith("delete user '")) {
            AuthAction.USER_DELETED.applyTo(b).eventOutcome("success");
            b.userName(quoted(msg, 12));
            return true;
        }
        if (msg.startsWith("removed group '")) {
            // userdel removing the user's own group: "removed group 'bob' owned by 'bob'"
            AuthAction.GROUP_DELETED.applyTo(b).eventOutcome("success");
            b.field(GROUP_NAME, quoted(msg, 14));
            return true;
        }
        if (msg.startsWith("group '") && msg.endsWith("' removed")) {
            // groupdel also logs "… removed from /etc/group" and "… from /etc/gshadow"; this is the summary line
            AuthAction.GROUP_DELETED.applyTo(b).eventOutcome("success");
            b.field(GROUP_NAME, Net.emptyToNull(msg.substring(7, msg.length() - 9)));
            return true;
        }
        if (msg.startsWith("add '")) {
            return groupChange(msg, 4, " to ", AuthAction.USER_ADDED_TO_GROUP, b);
        }
        if (msg.startsWith("delete '")) {
            return groupChange(msg, 7, " from ", AuthAction.USER_REMOVED_FROM_GROUP, b);
        }
        if (msg.startsWith("user ")) {
            return gpasswd(msg, b);
        }
        if (msg.startsWith("password for '")) {
            // passwd: "password for 'bob' changed by 'root'"
            int close = msg.indexOf('\'', 14);
            if (close < 0) {
                return false;
            }
            AuthAction.PASSWORD_CHANGED.applyTo(b).eventOutcome("success");
            b.userName(Net.emptyToNull(msg.substring(14, close)));
            int by = msg.indexOf(" by '", close);
            if (by >= 0) {
                b.field(CHANGED_BY, quoted(msg, by + 4));
            }
            return true;
        }
        if (msg.startsWith("change user '") && msg.endsWith("' password")) {
            AuthAction.PASSWORD_CHANGED.applyTo(b).eventOutcome("success");
            b.userName(Net.emptyToNull(msg.substring(13, msg.length() - 10)));
            return true;
        }
        return false;
    }

    /** usermod {@code add 'x' to [shadow ]group 'y'} / {@code delete 'x' from [shadow ]group 'y'}. */
    private static boolean groupChange(String msg, int quote, String word, AuthAction action, SecurityEvent.Builder b) {
        int close = msg.indexOf('\'', quote + 1);
        if (close < 0 || !msg.startsWith(word, close + 1)) {
            return false;
        }
        int rest = close + 1 + word.length();
        if (msg.startsWith("shadow ", rest)) {
            rest += 7;
        }
        if (!msg.startsWith("group '", rest)) {
            return false;
        }
        action.applyTo(b).eventOutcome("success");
        b.userName(Net.emptyToNull(msg.substring(quote + 1, close)));
        b.field(GROUP_NAME, quoted(msg, rest + 6));
        return true;
    }

    /** gpasswd {@code user x added by y to group z} / {@code user x removed by y from group z}. */
    private static boolean gpasswd(String msg, SecurityEvent.Builder b) {
        int added = msg.indexOf(" added by ", 5);
        int removed = added >= 0 ? -1 : msg.indexOf(" removed by ", 5);
        int verb = added >= 0 ? added : removed;
        String word = added >= 0 ? " to group " : " from group ";
        int group = verb < 0 ? -1 : msg.lastIndexOf(word);
        if (group < verb || verb < 0) {
            return false;
        }
        (added >= 0 ? AuthAction.USER_ADDED_TO_GROUP : AuthAction.USER_REMOVED_FROM_GROUP)
                .applyTo(b).eventOutcome("success");
        b.userName(Net.emptyToNull(msg.substring(5, verb)));
        b.field(GROUP_NAME, Net.emptyToNull(msg.substring(group + word.length()).strip()));
        return true;
    }

    /** The text between the quote at {@code quote} and the next one. */
    private static String quoted(String msg, int quote) {
        if (quote >= msg.length() || msg.charAt(quote) != '\'') {
            return null;
        }
        int close = msg.indexOf('\'', quote + 1);
        return close < 0 ? null : Net.emptyToNull(msg.substring(quote + 1, close));
    }

    /** The value after {@code key} up to the next comma, for {@code name=bob, UID=1001, …}. */
    private static String keyValue(String msg, String key, int from) {
        int k = msg.indexOf(key, from);
        while (k > from && msg.charAt(k - 1) != ' ') {
            k = msg.indexOf(key, k + 1); // "GID=" must not match inside "xGID="
        }
        if (k < 0) {
            return null;
        }
        int start = k + key.length();
        int end = msg.indexOf(',', start);
        return Net.emptyToNull(msg.substring(start, end < 0 ? msg.length() : end).strip());
    }
}
