package io.vigil.rules.cloud;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import java.util.Locale;

/**
 * AWS identities and addresses, for the cloud rules; patterns compiled once, in RE2/J (linear
 * time: the values come from the records).
 *
 * <p>CloudTrail names a caller using temporary role credentials {@code userIdentity.type}
 * {@code AssumedRole} with the ARN {@code arn:aws:sts::<account>:assumed-role/<role>/<session>}.
 * When an AWS service assumes the role for a workload, the session name has the service's shape:
 * the instance id for an EC2 instance profile ({@code i-0123…}), the task id for an ECS task role
 * (32 hexadecimal digits), the function name for a Lambda execution role, {@code AWSCodeBuild-<id>}
 * for a CodeBuild project. The SDKs inside Lambda and ECS add {@code exec-env/AWS_Lambda_…} and
 * {@code exec-env/AWS_ECS_…} to the user agent (from {@code AWS_EXECUTION_ENV}).
 */
public final class AwsIdentities {

    /** The workload service whose role a session is, by the shape of its name. */
    public enum Service { EC2, ECS, LAMBDA, CODEBUILD }

    private static final Pattern ASSUMED_ROLE =
            Pattern.compile("arn:aws[a-z-]*:sts::\\d+:assumed-role/([^/]+)/([^/]+)");
    private static final Pattern INSTANCE_ID = Pattern.compile("i-[0-9a-f]{8,17}");
    private static final Pattern ECS_TASK_ID = Pattern.compile("[0-9a-f]{32}");
    private static final Pattern CODEBUILD_SESSION =
            Pattern.compile("AWSCodeBuild-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    /** A Lambda function name (1–64 letters, digits, '-', '_'). */
    private static final Pattern FUNCTION_NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern PRIVATE_172 = Pattern.compile("172\\.(1[6-9]|2[0-9]|3[01])\\..*");

    private AwsIdentities() {}

    /** An assumed-role ARN whose session name is an EC2 instance id: instance-profile credentials. */
    public static boolean isInstanceRoleSession(String arn) {
        return serviceOf(arn) == Service.EC2;
    }

    /** Whether {@code arn} is a session of a role an AWS service assumed for a workload. */
    public static boolean isServiceRoleSession(String arn) {
        return serviceOf(arn) != null;
    }

    /**
     * The service whose role session {@code arn} is, or null (a person's or an application's own
     * session, an IAM user). Lambda is recognized by the execution role's name: the console's
     * default {@code <function>-role-<suffix>} for a session named after the function, or a role
     * whose name says {@code lambda}, with a session that is a function name.
     */
    public static Service serviceOf(String arn) {
        if (arn == null) {
            return null;
        }
        Matcher m = ASSUMED_ROLE.matcher(arn);
        if (!m.matches()) {
            return null;
        }
        String role = m.group(1);
        String session = m.group(2);
        if (INSTANCE_ID.matcher(session).matches()) {
            return Service.EC2;
        }
        if (ECS_TASK_ID.matcher(session).matches()) {
            return Service.ECS;
        }
        if (CODEBUILD_SESSION.matcher(session).matches()) {
            return Service.CODEBUILD;
        }
        if (FUNCTION_NAME.matcher(session).matches() && (role.startsWith(session + "-role-")
                || role.toLowerCase(Locale.ROOT).contains("lambda"))) {
            return Service.LAMBDA;
        }
        return null;
    }

    /**
     * Whether user agent {@code ua} says it runs inside the service of session {@code arn}: the
     * execution environment the SDKs report in Lambda and ECS. EC2 and CodeBuild leave no such mark.
     */
    public static boolean runsInItsService(String arn, String ua) {
        Service s = serviceOf(arn);
        if (s == null || ua == null) {
            return false;
        }
        return switch (s) {
            case LAMBDA -> ua.contains("exec-env/AWS_Lambda_");
            case ECS -> ua.contains("exec-env/AWS_ECS_");
            default -> false;
        };
    }

    /** Private, loopback or link-local: a VPC endpoint or the instance itself, not the Internet. */
    public static boolean isPrivateAddress(String ip) {
        String lower = ip.toLowerCase(Locale.ROOT);
        return ip.startsWith("10.") || ip.startsWith("192.168.") || ip.startsWith("127.") || ip.startsWith("169.254.")
                || PRIVATE_172.matcher(ip).matches() || lower.startsWith("fd") || lower.startsWith("fe80:")
                || ip.equals("::1");
    }
}
