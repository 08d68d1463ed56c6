package dev.dataplatform.storage;

import com.google.gson.JsonObject;
import com.pulumi.aws.iam.Policy;
import com.pulumi.aws.iam.PolicyArgs;
import com.pulumi.aws.iam.RolePolicyAttachment;
import com.pulumi.aws.iam.RolePolicyAttachmentArgs;
import com.pulumi.aws.s3.BucketLifecycleConfigurationV2;
import com.pulumi.aws.s3.BucketLifecycleConfigurationV2Args;
import com.pulumi.aws.s3.BucketLoggingV2;
import com.pulumi.aws.s3.BucketLoggingV2Args;
import com.pulumi.aws.s3.BucketObjectLockConfigurationV2;
import com.pulumi.aws.s3.BucketObjectLockConfigurationV2Args;
import com.pulumi.aws.s3.BucketOwnershipControls;
import com.pulumi.aws.s3.BucketOwnershipControlsArgs;
import com.pulumi.aws.s3.BucketPolicy;
import com.pulumi.aws.s3.BucketPolicyArgs;
import com.pulumi.aws.s3.BucketPublicAccessBlock;
import com.pulumi.aws.s3.BucketPublicAccessBlockArgs;
import com.pulumi.aws.s3.BucketServerSideEncryptionConfigurationV2;
import com.pulumi.aws.s3.BucketServerSideEncryptionConfigurationV2Args;
import com.pulumi.aws.s3.BucketV2;
import com.pulumi.aws.s3.BucketV2Args;
import com.pulumi.aws.s3.BucketVersioningV2;
import com.pulumi.aws.s3.BucketVersioningV2Args;
import com.pulumi.aws.s3.inputs.BucketLifecycleConfigurationV2RuleAbortIncompleteMultipartUploadArgs;
import com.pulumi.aws.s3.inputs.BucketLifecycleConfigurationV2RuleArgs;
import com.pulumi.aws.s3.inputs.BucketLifecycleConfigurationV2RuleExpirationArgs;
import com.pulumi.aws.s3.inputs.BucketLifecycleConfigurationV2RuleFilterArgs;
import com.pulumi.aws.s3.inputs.BucketLifecycleConfigurationV2RuleNoncurrentVersionExpirationArgs;
import com.pulumi.aws.s3.inputs.BucketLifecycleConfigurationV2RuleTransitionArgs;
import com.pulumi.aws.s3.inputs.BucketObjectLockConfigurationV2RuleArgs;
import com.pulumi.aws.s3.inputs.BucketObjectLockConfigurationV2RuleDefaultRetentionArgs;
import com.pulumi.aws.s3.inputs.BucketOwnershipControlsRuleArgs;
import com.pulumi.aws.s3.inputs.BucketServerSideEncryptionConfigurationV2RuleApplyServerSideEncryptionByDefaultArgs;
import com.pulumi.aws.s3.inputs.BucketServerSideEncryptionConfigurationV2RuleArgs;
import com.pulumi.aws.s3.inputs.BucketVersioningV2VersioningConfigurationArgs;
import com.pulumi.core.Output;
import com.pulumi.gcp.storage.Bucket;
import com.pulumi.gcp.storage.BucketArgs;
import com.pulumi.gcp.storage.BucketIAMMember;
import com.pulumi.gcp.storage.BucketIAMMemberArgs;
import com.pulumi.gcp.storage.inputs.BucketEncryptionArgs;
import com.pulumi.gcp.storage.inputs.BucketLifecycleRuleActionArgs;
import com.pulumi.gcp.storage.inputs.BucketLifecycleRuleArgs;
import com.pulumi.gcp.storage.inputs.BucketLifecycleRuleConditionArgs;
import com.pulumi.gcp.storage.inputs.BucketLoggingArgs;
import com.pulumi.gcp.storage.inputs.BucketRetentionPolicyArgs;
import com.pulumi.gcp.storage.inputs.BucketVersioningArgs;
import com.pulumi.resources.ComponentResource;
import com.pulumi.resources.ComponentResourceOptions;
import com.pulumi.resources.CustomResourceOptions;

import dev.dataplatform.aws.IamPolicy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The lake's object storage for one environment, on S3 or GCS: {@code raw} (immutable evidence:
 * versioned, locked for a retention window, moved to colder storage, never expired by default),
 * {@code curated} (versioned, old versions expire, optional pruning) and optionally
 * {@code warehouse} (an Iceberg warehouse, like curated without pruning). Every bucket is
 * encrypted, closed to the public and (S3) TLS-only. Three identities get least privilege:
 * ingestion creates objects in raw but cannot delete; the transformer reads raw and writes
 * curated; readers read curated.
 *
 * <p>Children are named {@code <name>-<kind>-...}; those names are URNs: never rename them.
 */
public final class ObjectBuckets extends ComponentResource {
    public static final String TYPE = "dataplatform:storage:ObjectBuckets";

    public enum Cloud { AWS, GCP }

    public enum Kind {
        RAW, CURATED, WAREHOUSE;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Kind → bucket name. */
    public final Output<Map<String, String>> bucketNames;
    /** Kind → ARN (S3) or gs:// URL (GCS). */
    public final Output<Map<String, String>> bucketIds;
    /** S3: identity → IAM policy ARN; GCS: identity → the members granted. */
    public final Output<Map<String, String>> identities;

    /** See the builder for each setting and its default behaviour. */
    public static final class Args {
        Cloud cloud;
        String prefix;
        String environment;
        boolean warehouse;
        String gcpProject;
        String location;
        String kmsKeyId;
        int rawRetentionDays;
        int rawColdAfterDays = 30;
        int rawArchiveAfterDays = 365;
        int noncurrentVersionExpirationDays = 30;
        Integer curatedPruneAfterDays;
        String accessLogBucket;
        boolean protectRaw;
        boolean protect;
        Map<String, String> labels = Map.of();
        List<String> ingestion = List.of();
        List<String> transformer = List.of();
        List<String> readers = List.of();
        Map<String, com.pulumi.resources.Resource> memberCreators = Map.of();
        boolean warehouseDirectAccess = true;

        public static Builder builder() {
            return new Builder();
        }

        /** The name of a bucket: {@code <prefix>-<environment>-<kind>}. */
        public String bucketName(Kind kind) {
            return prefix + "-" + environment + "-" + kind.id();
        }

        public List<Kind> kinds() {
            return warehouse ? List.of(Kind.RAW, Kind.CURATED, Kind.WAREHOUSE) : List.of(Kind.RAW, Kind.CURATED);
        }

        public static final class Builder {
            private final Args a = new Args();

            public Builder cloud(Cloud v) { a.cloud = v; return this; }

            /** Bucket names are {@code <prefix>-<environment>-raw|curated|warehouse}. Required. */
            public Builder prefix(String v) { a.prefix = v; return this; }

            public Builder environment(String v) { a.environment = v; return this; }

            /** Add an Iceberg warehouse bucket. Default: false. */
            public Builder warehouse(boolean v) { a.warehouse = v; return this; }

            /** GCS only: the project. */
            public Builder gcpProject(String v) { a.gcpProject = v; return this; }

            /** GCS only: the location, e.g. EU or europe-west1. */
            public Builder location(String v) { a.location = v; return this; }

            /** A customer-managed key (KMS ARN / Cloud KMS key name). Default: the cloud's managed keys. */
            public Builder kmsKeyId(String v) { a.kmsKeyId = v; return this; }

            /** Days raw objects cannot be overwritten or deleted (S3 Object Lock governance / GCS retention policy). */
            public Builder rawRetentionDays(int v) { a.rawRetentionDays = v; return this; }

            /** Days until raw objects move to infrequent-access storage. Default: 30. */
            public Builder rawColdAfterDays(int v) { a.rawColdAfterDays = v; return this; }

            /** Days until raw objects move to archive storage. Default: 365. */
            public Builder rawArchiveAfterDays(int v) { a.rawArchiveAfterDays = v; return this; }

            /** Days old versions of curated and warehouse objects are kept. Default: 30. */
            public Builder noncurrentVersionExpirationDays(int v) { a.noncurrentVersionExpirationDays = v; return this; }

            /** Delete curated objects this many days old. Default: never. */
            public Builder curatedPruneAfterDays(Integer v) { a.curatedPruneAfterDays = v; return this; }

            /** Write access logs to this bucket. Default: no access logs. */
            public Builder accessLogBucket(String v) { a.accessLogBucket = v; return this; }

            /** Pulumi protect and retain-on-delete on raw. */
            public Builder protectRaw(boolean v) { a.protectRaw = v; return this; }

            /** Pulumi protect on curated and warehouse. */
            public Builder protect(boolean v) { a.protect = v; return this; }

            public Builder labels(Map<String, String> v) { a.labels = Map.copyOf(v); return this; }

            /**
             * Whether the transformer and readers also reach the warehouse bucket directly (as curated). Default: true.
             * False when the Iceberg catalog owns it: clients read and write with the credentials the catalog vends, so
             * only the catalog's own identity has rights on it.
             */
            public Builder warehouseDirectAccess(boolean v) { a.warehouseDirectAccess = v; return this; }

            /** S3: IAM role names; GCS: IAM members (serviceAccount:...). */
            public Builder identities(List<String> ingestion, List<String> transformer, List<String> readers) {
                a.ingestion = List.copyOf(ingestion);
                a.transformer = List.copyOf(transformer);
                a.readers = List.copyOf(readers);
                return this;
            }

            /**
             * GCS: identities created in the same stack, by member ({@code serviceAccount:<email>}), with
             * the resource that creates each. Their bindings wait for it: IAM refuses a binding for a
             * service account that does not exist yet. Default: none.
             */
            public Builder memberCreators(Map<String, com.pulumi.resources.Resource> v) { a.memberCreators = Map.copyOf(v); return this; }

            public Args build() {
                var problems = new ArrayList<String>();
                if (a.cloud == null) {
                    problems.add("cloud is required (AWS or GCP)");
                }
                BucketRules.prefix(a.prefix).ifPresent(p -> problems.add("prefix " + p));
                if (a.environment == null) {
                    problems.add("environment is required");
                }
                if (a.cloud != null && a.prefix != null && a.environment != null) {
                    a.kinds().forEach(kind -> BucketRules.name(a.cloud, a.bucketName(kind)).ifPresent(problems::add));
                }
                if (a.cloud == Cloud.GCP && (a.gcpProject == null || a.location == null)) {
                    problems.add("GCS needs gcpProject and location");
                }
                if (a.rawRetentionDays < 1 || a.rawRetentionDays > 36500) {
                    problems.add("rawRetentionDays " + a.rawRetentionDays + " is out of range; allowed: 1 to 36500");
                }
                if (a.rawColdAfterDays < 30 || a.rawArchiveAfterDays <= a.rawColdAfterDays) {
                    problems.add("raw storage classes: rawColdAfterDays must be at least 30 and rawArchiveAfterDays later "
                            + "(given " + a.rawColdAfterDays + " and " + a.rawArchiveAfterDays + ")");
                }
                if (a.noncurrentVersionExpirationDays < 1) {
                    problems.add("noncurrentVersionExpirationDays must be at least 1");
                }
                if (a.curatedPruneAfterDays != null && a.curatedPruneAfterDays < 1) {
                    problems.add("curatedPruneAfterDays must be at least 1");
                }
                List.of(a.ingestion, a.transformer, a.readers).forEach(list -> list.forEach(identity ->
                        BucketRules.identity(a.cloud, identity).ifPresent(problems::add)));
                if (!problems.isEmpty()) {
                    throw new IllegalArgumentException("ObjectBuckets: " + String.join("; ", problems));
                }
                return a;
            }
        }
    }

    public ObjectBuckets(String name, Args args, ComponentResourceOptions options) {
        super(TYPE, name, options);
        var names = new LinkedHashMap<String, String>();
        args.kinds().forEach(kind -> names.put(kind.id(), args.bucketName(kind)));
        this.bucketNames = Output.of(Map.copyOf(names));
        if (args.cloud == Cloud.AWS) {
            var arns = new LinkedHashMap<String, String>();
            for (Kind kind : args.kinds()) {
                s3(name, args, kind);
                // An S3 bucket's ARN is its name's (the bucket ARN format), known before it exists.
                arns.put(kind.id(), "arn:aws:s3:::" + args.bucketName(kind));
            }
            this.bucketIds = Output.of(Map.copyOf(arns));
            this.identities = awsIdentities(name, args);
        } else {
            var urls = new LinkedHashMap<String, String>();
            var buckets = new LinkedHashMap<Kind, Bucket>();
            for (Kind kind : args.kinds()) {
                buckets.put(kind, gcs(name, args, kind));
                urls.put(kind.id(), "gs://" + args.bucketName(kind));
            }
            this.bucketIds = Output.of(Map.copyOf(urls));
            this.identities = gcpIdentities(name, args, buckets);
        }
        registerOutputs(Map.of("bucketNames", bucketNames, "bucketIds", bucketIds, "identities", identities));
    }

    // ---- S3 -------------------------------------------------------------------------------

    private void s3(String name, Args args, Kind kind) {
        boolean raw = kind == Kind.RAW;
        String prefix = name + "-" + kind.id();
        var bucket = new BucketV2(prefix, BucketV2Args.builder()
                .bucket(args.bucketName(kind))
                .objectLockEnabled(raw)
                .forceDestroy(false)
                .tags(args.labels)
                .build(), CustomResourceOptions.builder().parent(this)
                .protect(raw ? args.protectRaw : args.protect)
                .retainOnDelete(raw && args.protectRaw)
                .build());
        var child = CustomResourceOptions.builder().parent(this).build();
        new BucketOwnershipControls(prefix, BucketOwnershipControlsArgs.builder()
                .bucket(bucket.id())
                .rule(BucketOwnershipControlsRuleArgs.builder().objectOwnership("BucketOwnerEnforced").build())
                .build(), child);
        new BucketPublicAccessBlock(prefix, BucketPublicAccessBlockArgs.builder()
                .bucket(bucket.id())
                .blockPublicAcls(true).blockPublicPolicy(true).ignorePublicAcls(true).restrictPublicBuckets(true)
                .build(), child);
        var versioning = new BucketVersioningV2(prefix, BucketVersioningV2Args.builder()
                .bucket(bucket.id())
                .versioningConfiguration(BucketVersioningV2VersioningConfigurationArgs.builder().status("Enabled").build())
                .build(), child);
        var sse = BucketServerSideEncryptionConfigurationV2RuleApplyServerSideEncryptionByDefaultArgs.builder().sseAlgorithm("aws:kms");
        if (args.kmsKeyId != null) {
            sse.kmsMasterKeyId(args.kmsKeyId);
        }
        new BucketServerSideEncryptionConfigurationV2(prefix, BucketServerSideEncryptionConfigurationV2Args.builder()
                .bucket(bucket.id())
                .rules(BucketServerSideEncryptionConfigurationV2RuleArgs.builder()
                        .applyServerSideEncryptionByDefault(sse.build()).bucketKeyEnabled(true).build())
                .build(), child);
        new BucketPolicy(prefix + "-tls-only", BucketPolicyArgs.builder()
                .bucket(bucket.id())
                .policy(tlsOnlyPolicy("arn:aws:s3:::" + args.bucketName(kind)))
                .build(), child);
        if (raw) {
            new BucketObjectLockConfigurationV2(prefix, BucketObjectLockConfigurationV2Args.builder()
                    .bucket(bucket.id())
                    .rule(BucketObjectLockConfigurationV2RuleArgs.builder()
                            .defaultRetention(BucketObjectLockConfigurationV2RuleDefaultRetentionArgs.builder()
                                    .mode("GOVERNANCE").days(args.rawRetentionDays).build())
                            .build())
                    .build(), CustomResourceOptions.builder().parent(this).dependsOn(versioning).build());
        }
        new BucketLifecycleConfigurationV2(prefix, BucketLifecycleConfigurationV2Args.builder()
                .bucket(bucket.id())
                .rules(s3Lifecycle(args, kind))
                .build(), CustomResourceOptions.builder().parent(this).dependsOn(versioning).build());
        if (args.accessLogBucket != null) {
            new BucketLoggingV2(prefix, BucketLoggingV2Args.builder()
                    .bucket(bucket.id())
                    .targetBucket(args.accessLogBucket)
                    .targetPrefix(args.bucketName(kind) + "/")
                    .build(), child);
        }
    }

    private static List<BucketLifecycleConfigurationV2RuleArgs> s3Lifecycle(Args args, Kind kind) {
        var all = BucketLifecycleConfigurationV2RuleFilterArgs.builder().prefix("").build();
        var abort = BucketLifecycleConfigurationV2RuleAbortIncompleteMultipartUploadArgs.builder().daysAfterInitiation(7).build();
        if (kind == Kind.RAW) {
            return List.of(BucketLifecycleConfigurationV2RuleArgs.builder()
                    .id("colder-storage").status("Enabled").filter(all)
                    .transitions(
                            BucketLifecycleConfigurationV2RuleTransitionArgs.builder().days(args.rawColdAfterDays).storageClass("STANDARD_IA").build(),
                            BucketLifecycleConfigurationV2RuleTransitionArgs.builder().days(args.rawArchiveAfterDays).storageClass("GLACIER").build())
                    .abortIncompleteMultipartUpload(abort)
                    .build());
        }
        var rule = BucketLifecycleConfigurationV2RuleArgs.builder()
                .id("expire-old-versions").status("Enabled").filter(all)
                .noncurrentVersionExpiration(BucketLifecycleConfigurationV2RuleNoncurrentVersionExpirationArgs.builder()
                        .noncurrentDays(args.noncurrentVersionExpirationDays).build())
                .abortIncompleteMultipartUpload(abort);
        if (kind == Kind.CURATED && args.curatedPruneAfterDays != null) {
            rule.expiration(BucketLifecycleConfigurationV2RuleExpirationArgs.builder().days(args.curatedPruneAfterDays).build());
        }
        return List.of(rule.build());
    }

    /** Deny every request that does not use TLS. */
    public static String tlsOnlyPolicy(String bucketArn) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"TlsOnly\",\"Effect\":\"Deny\",\"Principal\":\"*\","
                + "\"Action\":\"s3:*\",\"Resource\":[\"" + bucketArn + "\",\"" + bucketArn + "/*\"],"
                + "\"Condition\":{\"Bool\":{\"aws:SecureTransport\":\"false\"}}}]}";
    }

    /** IAM policies per identity (scoped to the buckets' ARNs), attached to the given roles. */
    private Output<Map<String, String>> awsIdentities(String name, Args args) {
        String raw = "arn:aws:s3:::" + args.bucketName(Kind.RAW);
        var curated = new ArrayList<String>();
        args.kinds().stream().filter(k -> k != Kind.RAW).filter(k -> k != Kind.WAREHOUSE || args.warehouseDirectAccess)
                .forEach(k -> curated.add("arn:aws:s3:::" + args.bucketName(k)));
        var policies = new LinkedHashMap<String, String>();
        policies.put("ingestion", IamPolicy.document(
                IamPolicy.allow(List.of("s3:ListBucket"), List.of(raw)),
                IamPolicy.allow(List.of("s3:PutObject", "s3:AbortMultipartUpload"), List.of(raw + "/*")),
                kms(args)));
        policies.put("transformer", IamPolicy.document(
                IamPolicy.allow(List.of("s3:ListBucket"), concat(List.of(raw), curated)),
                IamPolicy.allow(List.of("s3:GetObject"), List.of(raw + "/*")),
                IamPolicy.allow(List.of("s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"),
                        curated.stream().map(a -> a + "/*").toList()),
                kms(args)));
        policies.put("reader", IamPolicy.document(
                IamPolicy.allow(List.of("s3:ListBucket"), curated),
                IamPolicy.allow(List.of("s3:GetObject"), curated.stream().map(a -> a + "/*").toList()),
                kms(args)));
        var roles = Map.of("ingestion", args.ingestion, "transformer", args.transformer, "reader", args.readers);
        var arns = new ArrayList<Output<String>>();
        for (var entry : policies.entrySet()) {
            var policy = new Policy(name + "-" + entry.getKey(), PolicyArgs.builder()
                    .name(args.prefix + "-" + args.environment + "-" + entry.getKey())
                    .description("data-platform " + entry.getKey() + " access to the " + args.environment + " buckets")
                    .policy(entry.getValue())
                    .tags(args.labels)
                    .build(), CustomResourceOptions.builder().parent(this).build());
            for (String role : roles.get(entry.getKey())) {
                new RolePolicyAttachment(name + "-" + entry.getKey() + "-" + role, RolePolicyAttachmentArgs.builder()
                        .role(role).policyArn(policy.arn()).build(), CustomResourceOptions.builder().parent(this).build());
            }
            arns.add(policy.arn());
        }
        var keys = List.copyOf(policies.keySet());
        return Output.all(arns).applyValue(list -> {
            var map = new LinkedHashMap<String, String>();
            for (int i = 0; i < keys.size(); i++) {
                map.put(outputKey(keys.get(i)), list.get(i));
            }
            return Map.copyOf(map);
        });
    }

    private static JsonObject kms(Args args) {
        return args.kmsKeyId == null ? null
                : IamPolicy.allow(List.of("kms:Decrypt", "kms:GenerateDataKey"), List.of(args.kmsKeyId));
    }

    private static List<String> concat(List<String> a, List<String> b) {
        var all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    // ---- GCS ------------------------------------------------------------------------------

    private Bucket gcs(String name, Args args, Kind kind) {
        boolean raw = kind == Kind.RAW;
        var bucket = BucketArgs.builder()
                .project(args.gcpProject)
                .name(args.bucketName(kind))
                .location(args.location)
                .storageClass("STANDARD")
                .uniformBucketLevelAccess(true)
                .publicAccessPrevention("enforced")
                .forceDestroy(false)
                .labels(args.labels)
                .lifecycleRules(gcsLifecycle(args, kind));
        if (raw) {
            // GCS cannot combine a retention policy with object versioning: the policy is the stronger
            // guarantee (no overwrite, no delete until the window has passed).
            bucket.retentionPolicy(BucketRetentionPolicyArgs.builder()
                    .retentionPeriod(args.rawRetentionDays * 86_400).isLocked(false).build());
        } else {
            bucket.versioning(BucketVersioningArgs.builder().enabled(true).build());
        }
        if (args.kmsKeyId != null) {
            bucket.encryption(BucketEncryptionArgs.builder().defaultKmsKeyName(args.kmsKeyId).build());
        }
        if (args.accessLogBucket != null) {
            bucket.logging(BucketLoggingArgs.builder().logBucket(args.accessLogBucket).logObjectPrefix(args.bucketName(kind)).build());
        }
        return new Bucket(name + "-" + kind.id(), bucket.build(), CustomResourceOptions.builder().parent(this)
                .protect(raw ? args.protectRaw : args.protect)
                .retainOnDelete(raw && args.protectRaw)
                .build());
    }

    private static List<BucketLifecycleRuleArgs> gcsLifecycle(Args args, Kind kind) {
        if (kind == Kind.RAW) {
            return List.of(
                    gcsRule("SetStorageClass", "NEARLINE", BucketLifecycleRuleConditionArgs.builder().age(args.rawColdAfterDays).build()),
                    gcsRule("SetStorageClass", "ARCHIVE", BucketLifecycleRuleConditionArgs.builder().age(args.rawArchiveAfterDays).build()));
        }
        var rules = new ArrayList<BucketLifecycleRuleArgs>();
        rules.add(gcsRule("Delete", null, BucketLifecycleRuleConditionArgs.builder()
                .withState("ARCHIVED").daysSinceNoncurrentTime(args.noncurrentVersionExpirationDays).build()));
        if (kind == Kind.CURATED && args.curatedPruneAfterDays != null) {
            rules.add(gcsRule("Delete", null, BucketLifecycleRuleConditionArgs.builder()
                    .withState("LIVE").age(args.curatedPruneAfterDays).build()));
        }
        return rules;
    }

    private static BucketLifecycleRuleArgs gcsRule(String type, String storageClass, BucketLifecycleRuleConditionArgs condition) {
        var action = BucketLifecycleRuleActionArgs.builder().type(type);
        if (storageClass != null) {
            action.storageClass(storageClass);
        }
        return BucketLifecycleRuleArgs.builder().action(action.build()).condition(condition).build();
    }

    /** Bucket IAM: objectCreator on raw for ingestion; objectViewer/objectUser for the transformer; objectViewer for readers. */
    /** One bucket-level grant: {@code member} (acting as {@code identity}) gets {@code role} on {@code kind}. */
    private record Grant(String identity, String member, Kind kind, String role) {
    }

    private static List<com.pulumi.resources.Resource> creatorOf(Args args, String member) {
        var creator = args.memberCreators.get(member);
        return creator == null ? List.of() : List.of(creator);
    }

    private Output<Map<String, String>> gcpIdentities(String name, Args args, Map<Kind, Bucket> buckets) {
        var derived = args.kinds().stream().filter(k -> k != Kind.RAW)
                .filter(k -> k != Kind.WAREHOUSE || args.warehouseDirectAccess).toList();
        var grants = new ArrayList<Grant>();
        args.ingestion.forEach(m -> grants.add(new Grant("ingestion", m, Kind.RAW, "roles/storage.objectCreator")));
        for (String m : args.transformer) {
            grants.add(new Grant("transformer", m, Kind.RAW, "roles/storage.objectViewer"));
            derived.forEach(k -> grants.add(new Grant("transformer", m, k, "roles/storage.objectUser")));
        }
        for (String m : args.readers) {
            derived.forEach(k -> grants.add(new Grant("reader", m, k, "roles/storage.objectViewer")));
        }
        var members = new LinkedHashMap<String, java.util.Set<String>>();
        for (Grant g : grants) {
            String memberName = g.member().substring(g.member().indexOf(':') + 1).replace('@', '-');
            new BucketIAMMember(name + "-" + g.kind().id() + "-" + g.identity() + "-" + memberName, BucketIAMMemberArgs.builder()
                    .bucket(buckets.get(g.kind()).name()).role(g.role()).member(g.member()).build(),
                    CustomResourceOptions.builder().parent(this).dependsOn(creatorOf(args, g.member())).build());
            members.computeIfAbsent(g.identity(), k -> new java.util.LinkedHashSet<>()).add(g.member());
        }
        var result = new LinkedHashMap<String, String>();
        members.forEach((identity, list) -> result.put(outputKey(identity), String.join(",", list)));
        return Output.of(Map.copyOf(result));
    }

    /**
     * The identities output is keyed as the config names them ({@code identities.readers}); the resources
     * keep their names ({@code reader}), which are part of their URNs.
     */
    static String outputKey(String identity) {
        return identity.equals("reader") ? "readers" : identity;
    }
}
