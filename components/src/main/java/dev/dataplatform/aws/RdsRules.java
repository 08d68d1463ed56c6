package dev.dataplatform.aws;

import dev.dataplatform.core.Environment;
import dev.dataplatform.core.Rules;

import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** RDS and VPC naming rules as pure functions: what is wrong and what is allowed, or empty. */
public final class RdsRules {
    static final Pattern IDENTIFIER = Pattern.compile("[a-z](?!.*--)[a-z0-9-]{0,61}[a-z0-9]|[a-z]");
    static final Pattern INSTANCE_CLASS = Pattern.compile("db\\.[a-z0-9]+\\.[a-z0-9]+");
    static final Pattern VPC = Pattern.compile("vpc-[0-9a-f]{8}([0-9a-f]{9})?");
    static final Pattern SUBNET = Pattern.compile("subnet-[0-9a-f]{8}([0-9a-f]{9})?");
    static final Pattern SECURITY_GROUP = Pattern.compile("sg-[0-9a-f]{8}([0-9a-f]{9})?");

    /** The instance class when a stack (or the component package) does not set one. */
    public static String defaultInstanceClass(Environment environment) {
        return switch (environment) {
            case DEV -> "db.t3.micro";
            case STAGE -> "db.t3.small";
            case PROD -> "db.t3.medium";
        };
    }

    /** The storage autoscaling ceiling when a stack (or the component package) does not set one. */
    public static int defaultMaxStorageGb(Environment environment) {
        return switch (environment) {
            case DEV -> 50;
            case STAGE -> 200;
            case PROD -> 500;
        };
    }
    static final Pattern ENGINE_VERSION = Pattern.compile("1[3-7](\\.\\d+)?");
    static final Pattern USERNAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");
    static final Pattern SSM_NAME = Pattern.compile("/[A-Za-z0-9_.\\-/]{1,1010}");
    static final Pattern KMS_KEY = Pattern.compile("arn:aws[a-z-]*:kms:[a-z0-9-]+:\\d{12}:(key|alias)/[A-Za-z0-9/_-]+");
    /** Words RDS for PostgreSQL refuses as the master user name. */
    static final Set<String> RESERVED_USERNAMES = Set.of("postgres", "rdsadmin", "rds_superuser", "admin", "root", "public");
    static final Set<Integer> MONITORING_INTERVALS = Set.of(0, 1, 5, 10, 15, 30, 60);
    static final Pattern BACKUP_WINDOW = Pattern.compile("([01]\\d|2[0-3]):[0-5]\\d-([01]\\d|2[0-3]):[0-5]\\d");
    static final Pattern MAINTENANCE_WINDOW = Pattern.compile(
            "(mon|tue|wed|thu|fri|sat|sun):([01]\\d|2[0-3]):[0-5]\\d-(mon|tue|wed|thu|fri|sat|sun):([01]\\d|2[0-3]):[0-5]\\d");

    private RdsRules() {
    }

    public static Optional<String> identifier(String v) {
        return Rules.matches(IDENTIFIER, v, "1-63 lower-case letters, digits and '-', starting with a letter, no '--', not ending with '-'");
    }

    /** IAM role names are at most 64 characters (IAM quotas); the instance's roles are named after its identifier. */
    public static final int IAM_ROLE_NAME_MAX = 64;

    /**
     * The identifier leaves room for the IAM roles named after it: {@code <identifier>-rds-monitoring} with enhanced
     * monitoring, {@code <identifier>-rds-proxy} with the proxy.
     */
    public static Optional<String> roleNames(String identifier, boolean monitoring, boolean proxy) {
        String suffix = monitoring ? "-rds-monitoring" : proxy ? "-rds-proxy" : "";
        if (identifier == null || suffix.isEmpty() || identifier.length() + suffix.length() <= IAM_ROLE_NAME_MAX) {
            return Optional.empty();
        }
        return Optional.of("'" + identifier + "' is " + identifier.length() + " characters: the IAM role '" + identifier + suffix
                + "' would exceed IAM's " + IAM_ROLE_NAME_MAX + "; allowed: at most " + (IAM_ROLE_NAME_MAX - suffix.length())
                + " characters " + (monitoring ? "with enhanced monitoring (monitoringIntervalSeconds > 0)" : "with the proxy"));
    }

    public static Optional<String> instanceClass(String v) {
        return Rules.matches(INSTANCE_CLASS, v, "an RDS instance class such as db.t3.medium or db.m6g.large");
    }

    public static Optional<String> vpcId(String v) {
        return Rules.matches(VPC, v, "a VPC ID such as vpc-0a1b2c3d4e5f67890");
    }

    public static Optional<String> subnetId(String v) {
        return Rules.matches(SUBNET, v, "a subnet ID such as subnet-0a1b2c3d4e5f67890");
    }

    public static Optional<String> securityGroupId(String v) {
        return Rules.matches(SECURITY_GROUP, v, "a security group ID such as sg-0a1b2c3d4e5f67890");
    }

    /** A private range only: the database is never open to the internet. */
    public static Optional<String> cidr(String v) {
        return Rules.privateIpv4Cidr(v);
    }

    public static Optional<String> engineVersion(String v) {
        return Rules.matches(ENGINE_VERSION, v, "a PostgreSQL major version 13-17, optionally with a minor (16 or 16.4)");
    }

    public static Optional<String> masterUsername(String v) {
        var format = Rules.matches(USERNAME, v, "1-63 lower-case letters, digits and '_', starting with a letter");
        if (format.isEmpty() && RESERVED_USERNAMES.contains(v)) {
            return Optional.of("'" + v + "' is reserved by RDS; allowed: another name such as platform_admin");
        }
        return format;
    }

    public static Optional<String> ssmParameterName(String v) {
        return Rules.matches(SSM_NAME, v, "a path such as /data-platform/prod/database/connection");
    }

    public static Optional<String> kmsKey(String v) {
        return Rules.matches(KMS_KEY, v, "a KMS key or alias ARN");
    }

    public static Optional<String> backupWindow(String v) {
        return Rules.matches(BACKUP_WINDOW, v, "hh24:mi-hh24:mi in UTC, e.g. 02:00-03:00");
    }

    public static Optional<String> maintenanceWindow(String v) {
        return Rules.matches(MAINTENANCE_WINDOW, v, "ddd:hh24:mi-ddd:hh24:mi in UTC, e.g. sun:03:30-sun:04:30");
    }

    public static Optional<String> monitoringInterval(int seconds) {
        return MONITORING_INTERVALS.contains(seconds) ? Optional.empty()
                : Optional.of(seconds + " is not valid; allowed: 0 (off), 1, 5, 10, 15, 30, 60");
    }

    /** The parameter group family of an engine version: 16.4 → postgres16. */
    public static String family(String engineVersion) {
        return "postgres" + engineVersion.split("\\.")[0];
    }
}
