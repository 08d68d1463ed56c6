package dev.dataplatform.gcp;

import dev.dataplatform.core.Rules;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The naming and sizing rules of Cloud SQL and GCP, as small pure functions: each returns what is
 * wrong and what is allowed, or empty. The config parser and the component's Args use the same ones.
 */
public final class CloudSqlRules {
    static final Pattern PROJECT = Pattern.compile("[a-z][a-z0-9-]{4,28}[a-z0-9]");
    static final Pattern REGION = Pattern.compile("[a-z]+-[a-z]+[0-9]{1,2}");
    static final Pattern NETWORK = Pattern.compile("projects/[a-z][a-z0-9-]{4,28}[a-z0-9]/global/networks/[a-z]([-a-z0-9]{0,61}[a-z0-9])?");
    static final Pattern INSTANCE = Pattern.compile("[a-z]([-a-z0-9]{0,96}[a-z0-9])?");
    static final Pattern ACCOUNT_ID = Pattern.compile("[a-z][-a-z0-9]{4,28}[a-z0-9]");
    static final Pattern CUSTOM_TIER = Pattern.compile("db-custom-(\\d{1,3})-(\\d{1,7})");
    static final Pattern VERSION = Pattern.compile("POSTGRES_(1[3-7])");
    static final Pattern TIME = Pattern.compile("([01][0-9]|2[0-3]):[0-5][0-9]");

    private CloudSqlRules() {
    }

    /** The machine tier when a stack sets none: dedicated cores everywhere, larger towards prod. */
    public static String defaultTier(dev.dataplatform.core.Environment environment) {
        return switch (environment) {
            case DEV -> "db-custom-1-3840";
            case STAGE -> "db-custom-2-7680";
            case PROD -> "db-custom-4-16384";
        };
    }

    /** How far storage may grow on its own when a stack sets no limit. */
    public static int defaultAutoresizeLimitGb(dev.dataplatform.core.Environment environment) {
        return switch (environment) {
            case DEV -> 50;
            case STAGE -> 200;
            case PROD -> 500;
        };
    }

    public static Optional<String> project(String value) {
        return Rules.matches(PROJECT, value, "a GCP project ID: 6-30 lower-case letters, digits and '-', starting with a letter");
    }

    public static Optional<String> region(String value) {
        return Rules.matches(REGION, value, "a GCP region such as europe-west1");
    }

    public static Optional<String> privateNetwork(String value) {
        return Rules.matches(NETWORK, value, "projects/<project>/global/networks/<network>");
    }

    public static Optional<String> instanceName(String value) {
        return Rules.matches(INSTANCE, value, "1-98 lower-case letters, digits and '-', starting with a letter, not ending with '-'");
    }

    public static Optional<String> accountId(String value) {
        return Rules.matches(ACCOUNT_ID, value, "6-30 lower-case letters, digits and '-', starting with a letter");
    }

    /** Kubernetes namespace and ServiceAccount names (DNS-1123 labels). */
    public static Optional<String> kubernetesName(String value) {
        return Rules.dnsLabel(value);
    }

    public static Optional<String> databaseVersion(String value) {
        return Rules.matches(VERSION, value, "POSTGRES_13 to POSTGRES_17");
    }

    public static Optional<String> time(String value) {
        return Rules.matches(TIME, value, "HH:MM in UTC, e.g. 02:00");
    }

    /**
     * Cloud SQL machine tiers: db-f1-micro and db-g1-small (shared core, dev only), or
     * db-custom-VCPU-MIB with 1 or an even number of vCPUs up to 96 and 0.9-6.5 GiB of memory per
     * vCPU in multiples of 256 MiB.
     */
    public static Optional<String> tier(String value) {
        String allowed = "db-f1-micro, db-g1-small, or db-custom-<vCPUs>-<MiB> (1 or an even number of vCPUs up to 96; "
                + "0.9-6.5 GiB per vCPU in multiples of 256 MiB), e.g. db-custom-2-7680";
        if (value.equals("db-f1-micro") || value.equals("db-g1-small")) {
            return Optional.empty();
        }
        Matcher matcher = CUSTOM_TIER.matcher(value);
        if (!matcher.matches()) {
            return Optional.of("'" + value + "' is not a tier; allowed: " + allowed);
        }
        int cpus = Integer.parseInt(matcher.group(1));
        long mib = Long.parseLong(matcher.group(2));
        if (cpus < 1 || cpus > 96 || (cpus > 1 && cpus % 2 != 0)) {
            return Optional.of("'" + value + "' has " + cpus + " vCPUs; allowed: 1 or an even number up to 96");
        }
        if (mib % 256 != 0) {
            return Optional.of("'" + value + "' has " + mib + " MiB; allowed: a multiple of 256 MiB");
        }
        if (mib < Math.ceil(0.9 * 1024 * cpus) || mib > 6.5 * 1024 * cpus) {
            return Optional.of("'" + value + "' has " + mib + " MiB for " + cpus + " vCPU(s); allowed: "
                    + (long) Math.ceil(0.9 * 1024 * cpus) + " to " + (long) (6.5 * 1024 * cpus) + " MiB");
        }
        return Optional.empty();
    }

    /**
     * Days of transaction logs (PITR) Cloud SQL keeps at most: 7 on ENTERPRISE, 35 on
     * ENTERPRISE_PLUS (Cloud SQL Admin API v1 BackupConfiguration.transaction_log_retention_days;
     * see docs/upstream-facts.md).
     */
    public static int maxTransactionLogRetentionDays(String edition) {
        return "ENTERPRISE_PLUS".equals(edition) ? 35 : 7;
    }

    /** How many daily backups and how many days of transaction logs an instance keeps. */
    public record BackupRetention(int retainedBackups, int transactionLogRetentionDays) {
    }

    /**
     * The retention an instance is given for {@code backupDays} of backups. The Cloud SQL Admin API
     * refuses a configuration whose retained backups are not more than its days of transaction
     * logs ("backup retention should be > transaction log retention"), and logs are kept at least
     * one day; so logs default to one day fewer than the backups (at most the edition's maximum),
     * and a single day of backups is raised to two (only dev's profile asks for one).
     *
     * @param logDays an explicit transaction log retention, or null for the default
     * @throws IllegalArgumentException when an explicit {@code logDays} breaks
     *                                  {@link #transactionLogRetention(int, int, String)}
     */
    public static BackupRetention backupRetention(int backupDays, Integer logDays, String edition) {
        if (logDays == null) {
            int retained = Math.max(2, backupDays);
            return new BackupRetention(retained, Math.min(maxTransactionLogRetentionDays(edition), retained - 1));
        }
        transactionLogRetention(backupDays, logDays, edition).ifPresent(problem -> {
            throw new IllegalArgumentException("transactionLogRetentionDays " + problem);
        });
        return new BackupRetention(backupDays, logDays);
    }

    /** An explicit transaction log retention: 1 to the edition's maximum, and fewer days than the backups kept. */
    public static Optional<String> transactionLogRetention(int backupDays, int logDays, String edition) {
        int maxLog = maxTransactionLogRetentionDays(edition);
        if (logDays < 1 || logDays > maxLog) {
            return Optional.of(logDays + " is out of range; allowed: 1 to " + maxLog + " on " + edition);
        }
        if (logDays >= backupDays) {
            String allowed = backupDays < 2 ? "none with 1 day of backups" : "1 to " + Math.min(maxLog, backupDays - 1);
            return Optional.of(logDays + " is not less than the days of backups kept (" + backupDays
                    + "): Cloud SQL refuses backup retention <= transaction log retention; allowed: " + allowed
                    + ", or raise data-platform:profile.backupRetentionDays");
        }
        return Optional.empty();
    }

    /** Shared-core tiers have no SLA and cannot be regional: not for stage or prod. */
    public static boolean sharedCore(String tier) {
        return tier.equals("db-f1-micro") || tier.equals("db-g1-small");
    }
}
