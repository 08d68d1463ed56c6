package dev.dataplatform.guardrails;

import dev.dataplatform.engine.PlannedResource;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Buckets: closed to the public, encrypted, TLS-only, and raw data immutable. S3 settings live in
 * separate resources; they belong to the bucket they depend on.
 */
final class StorageRules {
    static final String S3 = "aws:s3/bucketV2:BucketV2";
    static final String GCS = "gcp:storage/bucket:Bucket";

    private StorageRules() {
    }

    /** The S3 settings resources of {@code type} that depend on {@code bucket} and satisfy {@code ok}. */
    private static boolean hasSetting(PlanView plan, PlannedResource bucket, String type, Predicate<PlannedResource> ok) {
        return plan.ofType(type).filter(r -> r.options().dependsOn().contains(bucket.urn())).anyMatch(ok);
    }

    private static boolean raw(PlannedResource bucket) {
        return bucket.input(bucket.type().equals(S3) ? "bucket" : "name").map(String::valueOf).orElse("").endsWith("-raw");
    }

    static Rule publicAccess() {
        return new Rule("bucket-public-access", "Buckets block public access (S3 public access block; GCS public access prevention, uniform access).",
                plan -> {
                    var findings = new ArrayList<Finding>();
                    plan.ofType(S3).forEach(b -> {
                        boolean blocked = hasSetting(plan, b, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", r ->
                                List.of("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets").stream()
                                        .allMatch(k -> Boolean.TRUE.equals(r.inputs().get(k))));
                        if (!blocked) {
                            findings.add(new Finding("bucket-public-access", Severity.ERROR, b.urn(),
                                    "no public access block with all four settings on for this bucket"));
                        }
                    });
                    plan.ofType(GCS).forEach(b -> {
                        if (!"enforced".equals(b.inputs().get("publicAccessPrevention"))
                                || !Boolean.TRUE.equals(b.inputs().get("uniformBucketLevelAccess"))) {
                            findings.add(new Finding("bucket-public-access", Severity.ERROR, b.urn(),
                                    "set publicAccessPrevention enforced and uniformBucketLevelAccess true"));
                        }
                    });
                    return findings;
                });
    }

    static Rule tlsOnly() {
        return new Rule("bucket-tls-only", "S3 buckets deny requests without TLS (aws:SecureTransport false).",
                plan -> plan.ofType(S3)
                        .filter(b -> !hasSetting(plan, b, "aws:s3/bucketPolicy:BucketPolicy", r -> {
                            String policy = String.valueOf(r.inputs().get("policy"));
                            return policy.contains("\"Deny\"") && policy.contains("aws:SecureTransport");
                        }))
                        .map(b -> new Finding("bucket-tls-only", Severity.ERROR, b.urn(),
                                "no bucket policy denying requests without TLS (aws:SecureTransport false)"))
                        .toList());
    }

    static Rule encryption() {
        return new Rule("bucket-encryption", "S3 buckets have default encryption configured (GCS always encrypts).",
                plan -> plan.ofType(S3)
                        .filter(b -> !hasSetting(plan, b,
                                "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2", r -> true))
                        .map(b -> new Finding("bucket-encryption", Severity.ERROR, b.urn(), "no default encryption configured"))
                        .toList());
    }

    static Rule rawImmutable() {
        return new Rule("bucket-raw-immutable", "Raw buckets keep every object: S3 versioning and Object Lock; GCS a retention policy.",
                plan -> {
                    var findings = new ArrayList<Finding>();
                    plan.ofType(S3).filter(StorageRules::raw).forEach(b -> s3ImmutabilityGap(plan, b).ifPresent(gap ->
                            findings.add(new Finding("bucket-raw-immutable", Severity.ERROR, b.urn(), "raw bucket without " + gap))));
                    plan.ofType(GCS).filter(StorageRules::raw).forEach(b -> {
                        if (b.input("retentionPolicy.retentionPeriod").isEmpty()) {
                            findings.add(new Finding("bucket-raw-immutable", Severity.ERROR, b.urn(), "raw bucket without a retention policy"));
                        }
                    });
                    return findings;
                });
    }

    /** What keeps an S3 bucket from keeping every object: no versioning, or no Object Lock default retention. */
    static java.util.Optional<String> s3ImmutabilityGap(PlanView plan, PlannedResource b) {
        boolean versioned = hasSetting(plan, b, "aws:s3/bucketVersioningV2:BucketVersioningV2",
                r -> "Enabled".equals(r.input("versioningConfiguration.status").orElse(null)));
        // Object Lock is on when the bucket was created with it, or when the lock configuration turns it on for an
        // existing versioned bucket (objectLockEnabled "Enabled": S3 PutObjectLockConfiguration, no bucket replacement).
        boolean bucketLocked = Boolean.TRUE.equals(b.inputs().get("objectLockEnabled"));
        boolean locked = hasSetting(plan, b, "aws:s3/bucketObjectLockConfigurationV2:BucketObjectLockConfigurationV2",
                r -> (bucketLocked || "Enabled".equals(r.input("objectLockEnabled").orElse(null)))
                        && (r.input("rule.defaultRetention.days").isPresent() || r.input("rule.defaultRetention.years").isPresent()));
        return !versioned ? java.util.Optional.of("versioning")
                : !locked ? java.util.Optional.of("an Object Lock default retention") : java.util.Optional.empty();
    }

    static List<Rule> all() {
        return List.of(publicAccess(), tlsOnly(), encryption(), rawImmutable());
    }
}
