package io.vigil.formats.cloudtrail;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Who made a CloudTrail call, as one {@code user.name}.
 *
 * <p>Rule, in order: {@code userIdentity.userName} when present (IAMUser, some Root and
 * IdentityCenterUser records); for {@code AssumedRole} and {@code FederatedUser} the session
 * name, i.e. the last {@code /} segment of the ARN (for an EC2 instance profile that is the
 * instance id, {@code i-0317f6c6b66ae9c40}: the role itself is in the session-issuer fields);
 * {@code root} for {@code Root}; otherwise none (AWSService, AWSAccount: the caller is a
 * service or another account, not a user).
 */
public final class UserIdentities {

    private UserIdentities() {}

    public static String userName(JsonNode identity) {
        if (identity == null || !identity.isObject()) {
            return null;
        }
        return userName(text(identity, "userName"), text(identity, "type"), text(identity, "arn"));
    }

    /** The same rule over the identity's {@code userName}, {@code type} and {@code arn} members. */
    public static String userName(String userName, String type, String arn) {
        if (userName != null) {
            return userName;
        }
        if (("AssumedRole".equals(type) || "FederatedUser".equals(type)) && arn != null) {
            int slash = arn.lastIndexOf('/');
            if (slash >= 0 && slash + 1 < arn.length()) {
                return arn.substring(slash + 1);
            }
        }
        if ("Root".equals(type)) {
            return "root";
        }
        return null;
    }

    /** A non-empty textual member, or {@code null}. */
    public static String text(JsonNode node, String name) {
        JsonNode v = node == null ? null : node.get(name);
        if (v == null || v.isNull() || v.isContainerNode()) {
            return null;
        }
        String s = v.asText();
        return s.isEmpty() ? null : s;
    }
}
