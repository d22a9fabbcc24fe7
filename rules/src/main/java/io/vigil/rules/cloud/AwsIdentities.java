package io.vigil.rules.cloud;

import com.google.re2j.Pattern;
import java.util.Locale;

/**
 * AWS identities and addresses, for the cloud rules; patterns compiled once, in RE2/J (linear
 * time: the values come from the records).
 */
public final class AwsIdentities {

    private static final Pattern INSTANCE_ROLE_SESSION =
            Pattern.compile("arn:aws[a-z-]*:sts::\\d+:assumed-role/[^/]+/i-[0-9a-f]{8,17}");
    private static final Pattern PRIVATE_172 = Pattern.compile("172\\.(1[6-9]|2[0-9]|3[01])\\..*");

    private AwsIdentities() {}

    /** An assumed-role ARN whose session name is an EC2 instance id: instance-profile credentials. */
    public static boolean isInstanceRoleSession(String arn) {
        return arn != null && INSTANCE_ROLE_SESSION.matcher(arn).matches();
    }

    /** Private, loopback or link-local: a VPC endpoint or the instance itself, not the Internet. */
    public static boolean isPrivateAddress(String ip) {
        String lower = ip.toLowerCase(Locale.ROOT);
        return ip.startsWith("10.") || ip.startsWith("192.168.") || ip.startsWith("127.") || ip.startsWith("169.254.")
                || PRIVATE_172.matcher(ip).matches() || lower.startsWith("fd") || lower.startsWith("fe80:")
                || ip.equals("::1");
    }
}
