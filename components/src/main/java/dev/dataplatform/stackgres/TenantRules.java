package dev.dataplatform.stackgres;

import dev.dataplatform.core.Rules;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Rules for tenant settings, as small functions: each returns what is wrong, or empty. The config
 * parser reports them with key paths; the component enforces them again.
 */
public final class TenantRules {
    /** Client names end up in namespaces, IAM role names and SSM paths: a short DNS-1123 label. */
    public static final int CLIENT_MAX_LENGTH = 40;
    static final Pattern STORAGE_CLASS = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");
    static final Pattern CPU = Pattern.compile("[1-9][0-9]*m|[0-9]+(\\.[0-9]{1,3})?");
    static final Pattern AWS_ACCOUNT = Pattern.compile("[0-9]{12}");
    static final Pattern AWS_REGION = Pattern.compile("[a-z]{2}(-gov)?-[a-z]+-[0-9]");
    static final Pattern OIDC_PROVIDER = Pattern.compile("[a-z0-9.-]+\\.[a-z]{2,}(/[A-Za-z0-9._-]+)*");
    static final Pattern SSM_PATH = Pattern.compile("(/[A-Za-z0-9_.-]+)+");
    static final Pattern HTTPS_URL = Pattern.compile("https://[a-z0-9.-]+\\.[a-z]{2,}(:[0-9]{1,5})?/?");
    static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9-]{1,61}[a-z0-9]");
    static final Pattern EXTENSION = Pattern.compile("[a-z][a-z0-9_]{0,62}");
    static final Pattern TRIGGER_TYPE = Pattern.compile("[a-z][a-z0-9-]*");
    /** KEDA scalers that work on resource usage: with no pods there is nothing to measure, so never zero. */
    public static final Set<String> RESOURCE_TRIGGERS = Set.of("cpu", "memory");
    /** The AWS scaler whose permissions the program knows (and grants): KEDA's SQS scaler. */
    public static final String SQS_TRIGGER = "aws-sqs-queue";
    static final Pattern SQS_QUEUE_URL = Pattern.compile("https://sqs\\.([a-z]{2}(-gov)?-[a-z]+-[0-9])\\.amazonaws\\.com/([0-9]{12})/([A-Za-z0-9_-]{1,80}(\\.fifo)?)");
    /** Trigger metadata that would pick another AWS identity than the one the program declares. */
    static final Set<String> IDENTITY_METADATA = Set.of("identityOwner", "awsRoleArn", "awsAccessKeyID", "awsAccessKeyIDFromEnv",
            "awsSecretAccessKeyFromEnv");

    private TenantRules() {
    }

    public static Optional<String> clientName(String name) {
        if (name == null || name.isEmpty()) {
            return Optional.of("is required");
        }
        if (name.length() > CLIENT_MAX_LENGTH || !Rules.DNS_LABEL.matcher(name).matches()
                || !Character.isLetter(name.charAt(0))) {
            // The name also names the client's database and roles, which may not start with a digit.
            return Optional.of("'" + name + "' is not a DNS-1123 label of at most " + CLIENT_MAX_LENGTH
                    + " characters: lower-case letters, digits and '-', starting with a letter and ending with a letter or digit");
        }
        return Optional.empty();
    }

    public static Optional<String> namespace(String name) {
        return Rules.dnsLabel(name);
    }

    public static Optional<String> storageClass(String value) {
        return Rules.matches(STORAGE_CLASS, value, "a storage class name (DNS subdomain) such as gp3 or premium-rwo");
    }

    /** A positive CPU quantity: 0 (or 0.0) would give the pods no CPU at all. */
    public static Optional<String> cpu(String value) {
        var shape = Rules.matches(CPU, value, "a positive CPU quantity such as 500m, 1 or 2.5");
        if (shape.isPresent()) {
            return shape;
        }
        return new java.math.BigDecimal(value.endsWith("m") ? value.substring(0, value.length() - 1) : value).signum() > 0
                ? Optional.empty()
                : Optional.of("'" + value + "' is not positive; allowed: a positive CPU quantity such as 500m, 1 or 2.5");
    }

    /** A major version StackGres ships ({@link OperatorFacts#POSTGRES_MAJORS_SHIPPED}) and the project runs. */
    public static Optional<String> postgresVersion(String value) {
        if (value != null && OperatorFacts.POSTGRES_MAJORS.contains(value)) {
            return Optional.empty();
        }
        String allowed = "one of " + String.join(", ", OperatorFacts.POSTGRES_MAJORS);
        if (value != null && OperatorFacts.POSTGRES_MAJORS_SHIPPED.contains(value)) {
            return Optional.of("'" + value + "' is not valid: StackGres " + OperatorFacts.STACKGRES
                    + " ships it, but the project runs only " + allowed + " (older majors are out of upstream support)");
        }
        return Optional.of("'" + value + "' is not valid: a PostgreSQL major version StackGres " + OperatorFacts.STACKGRES
                + " ships that the project runs, " + allowed);
    }

    /** An extension StackGres 1.18 provides ({@link OperatorFacts#EXTENSIONS}). */
    public static Optional<String> shippedExtension(String value) {
        var syntax = extension(value);
        if (syntax.isPresent()) {
            return syntax;
        }
        if (OperatorFacts.EXTENSION_NAMES.contains(value)) {
            return Optional.empty();
        }
        return Optional.of("'" + value + "' is not valid: not an extension StackGres " + OperatorFacts.STACKGRES
                + " is known to provide; allowed: " + String.join(", ", OperatorFacts.EXTENSION_NAMES));
    }

    /** Citus spreads data over shard clusters behind a coordinator: one instance has nothing to shard over. */
    public static Optional<String> citusInstances(int instances) {
        if (instances < 2) {
            return Optional.of("is not allowed on a single instance (instances: " + instances + "): Citus needs a coordinator "
                    + "with a replica (instances: 2 or more); use a plain cluster (no citus) for a single instance");
        }
        return Optional.empty();
    }

    /** The queue's ARN from an SQS queue URL (https://sqs.REGION.amazonaws.com/ACCOUNT/NAME). */
    public static Optional<String> sqsQueueArn(String url) {
        if (url == null) {
            return Optional.empty();
        }
        var m = SQS_QUEUE_URL.matcher(url);
        return m.matches() ? Optional.of("arn:aws:sqs:" + m.group(1) + ":" + m.group(3) + ":" + m.group(4)) : Optional.empty();
    }

    /**
     * The program gives AWS scalers their identity (an IRSA role KEDA assumes, through a
     * TriggerAuthentication): so only the SQS scaler, with a queue URL to scope the role to, and no
     * metadata choosing another identity.
     */
    public static Optional<String> triggerIdentity(String type, Map<String, String> metadata) {
        var chosen = metadata.keySet().stream().filter(IDENTITY_METADATA::contains).sorted().toList();
        if (!chosen.isEmpty()) {
            return Optional.of("metadata " + chosen + " is not allowed: the program declares the scaler's AWS identity "
                    + "(an IRSA role KEDA assumes through TriggerAuthentication " + StackGresTenant.TRIGGER_AUTHENTICATION + ")");
        }
        if (type != null && type.startsWith("aws-") && !type.equals(SQS_TRIGGER)) {
            return Optional.of("type '" + type + "' is not allowed: of the AWS scalers only " + SQS_TRIGGER
                    + " gets an identity from the program");
        }
        if (SQS_TRIGGER.equals(type) && sqsQueueArn(metadata.get("queueURL")).isEmpty()) {
            return Optional.of(SQS_TRIGGER + " needs metadata queueURL as https://sqs.<region>.amazonaws.com/<account-id>/<queue>, got '"
                    + metadata.get("queueURL") + "'");
        }
        return Optional.empty();
    }

    public static Optional<String> awsAccountId(String value) {
        return Rules.matches(AWS_ACCOUNT, value, "a 12-digit AWS account ID (quoted in YAML)");
    }

    public static Optional<String> awsRegion(String value) {
        return Rules.matches(AWS_REGION, value, "an AWS region such as eu-west-1");
    }

    public static Optional<String> oidcProvider(String value) {
        if (value != null && value.startsWith("https://")) {
            return Optional.of("'" + value + "': give the issuer without https:// (e.g. oidc.eks.eu-west-1.amazonaws.com/id/ABC123)");
        }
        return Rules.matches(OIDC_PROVIDER, value, "the cluster's OIDC issuer host and path, e.g. oidc.eks.eu-west-1.amazonaws.com/id/ABC123");
    }

    public static Optional<String> ssmPath(String value) {
        return Rules.matches(SSM_PATH, value, "an SSM parameter path such as /platform/prod/r2-backups");
    }

    public static Optional<String> httpsEndpoint(String value) {
        return Rules.matches(HTTPS_URL, value, "an https:// endpoint such as https://<account-id>.r2.cloudflarestorage.com");
    }

    public static Optional<String> bucket(String value) {
        return Rules.matches(BUCKET, value, "a bucket name: 3-63 lower-case letters, digits and '-'");
    }

    /** Five-field cron, as StackGres reads {@code cronSchedule} (the project's one cron rule). */
    public static Optional<String> cronSchedule(String value) {
        return dev.dataplatform.core.Cron.check(value);
    }

    public static Optional<String> extension(String value) {
        return Rules.matches(EXTENSION, value, "a PostgreSQL extension name such as postgis");
    }

    public static Optional<String> triggerType(String value) {
        return Rules.matches(TRIGGER_TYPE, value, "a KEDA scaler type such as prometheus, aws-sqs-queue or cron");
    }

    /** KEDA scales to zero only on event triggers: at zero pods there is no CPU or memory to read. */
    public static Optional<String> scalesToZero(List<String> triggerTypes) {
        if (triggerTypes.isEmpty()) {
            return Optional.of("needs at least one trigger");
        }
        if (triggerTypes.stream().allMatch(RESOURCE_TRIGGERS::contains)) {
            return Optional.of("has only cpu/memory triggers, which cannot scale to zero: add an event trigger "
                    + "(prometheus, aws-sqs-queue, cron, ...)");
        }
        return Optional.empty();
    }
}
