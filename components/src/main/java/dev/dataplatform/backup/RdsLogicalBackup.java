package dev.dataplatform.backup;

import com.pulumi.aws.cloudwatch.MetricAlarm;
import com.pulumi.aws.cloudwatch.MetricAlarmArgs;
import com.pulumi.aws.iam.Role;
import com.pulumi.aws.iam.RoleArgs;
import com.pulumi.aws.iam.RolePolicy;
import com.pulumi.aws.iam.RolePolicyArgs;
import com.pulumi.aws.s3.BucketLifecycleConfigurationV2;
import com.pulumi.aws.s3.BucketObjectLockConfigurationV2;
import com.pulumi.aws.s3.BucketObjectLockConfigurationV2Args;
import com.pulumi.aws.s3.BucketLifecycleConfigurationV2Args;
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
import com.pulumi.aws.s3.inputs.BucketLifecycleConfigurationV2RuleNoncurrentVersionExpirationArgs;
import com.pulumi.aws.s3.inputs.BucketObjectLockConfigurationV2RuleArgs;
import com.pulumi.aws.s3.inputs.BucketObjectLockConfigurationV2RuleDefaultRetentionArgs;
import com.pulumi.aws.s3.inputs.BucketVersioningV2VersioningConfigurationArgs;
import com.pulumi.aws.s3.inputs.BucketLifecycleConfigurationV2RuleAbortIncompleteMultipartUploadArgs;
import com.pulumi.aws.s3.inputs.BucketLifecycleConfigurationV2RuleArgs;
import com.pulumi.aws.s3.inputs.BucketLifecycleConfigurationV2RuleExpirationArgs;
import com.pulumi.aws.s3.inputs.BucketLifecycleConfigurationV2RuleFilterArgs;
import com.pulumi.aws.s3.inputs.BucketOwnershipControlsRuleArgs;
import com.pulumi.aws.s3.inputs.BucketServerSideEncryptionConfigurationV2RuleApplyServerSideEncryptionByDefaultArgs;
import com.pulumi.aws.s3.inputs.BucketServerSideEncryptionConfigurationV2RuleArgs;
import com.pulumi.core.Output;
import com.pulumi.kubernetes.core.v1.ConfigMap;
import com.pulumi.kubernetes.core.v1.ConfigMapArgs;
import com.pulumi.kubernetes.meta.v1.inputs.ObjectMetaArgs;
import com.pulumi.resources.ComponentResource;
import com.pulumi.resources.ComponentResourceOptions;
import com.pulumi.resources.CustomResourceOptions;
import com.pulumi.resources.Resource;
import dev.dataplatform.aws.IamPolicy;
import dev.dataplatform.core.Environment;
import dev.dataplatform.kubernetes.Cluster;
import dev.dataplatform.kubernetes.WorkloadIdentity;
import dev.dataplatform.kubernetes.WorkloadNamespace;
import dev.dataplatform.kubernetes.crd.JobSpec;
import dev.dataplatform.kubernetes.crd.KubernetesCustomResource;
import dev.dataplatform.postgresql.Database;
import dev.dataplatform.postgresql.Extension;
import dev.dataplatform.postgresql.GrantRole;
import dev.dataplatform.postgresql.Grant;
import dev.dataplatform.postgresql.Provider;
import dev.dataplatform.storage.ObjectBuckets;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Logical backups of an RDS instance: a CronJob on the EKS cluster runs {@code pg_dump -Fc} per database with an IAM
 * authentication token (a native sidecar renews a libpq password file every 5 minutes; a token is good for 15 and is
 * checked only at connect) over TLS, uploads the dumps to {@code s3://<bucket>/<prefix>/<database>/<UTC
 * timestamp>.dump} as its own IRSA role (PutObject under the prefix, {@code rds-db:connect} as the backup login only)
 * and publishes {@code BackupSucceeded} per database to CloudWatch; each dump is recorded in a manifest (version id,
 * sha256, size) written create-only next to it. The bucket is versioned with Object Lock on every version for the
 * retention, and only the backup role may put objects under the prefix. The restore drill (scheduled, one CronJob per
 * database, or on demand, one Job per database and run id) fetches, as a second role (read only), the dump the newest
 * manifest names at its recorded version, verifies it, restores it into the scratch database the admin path prepared
 * on the same instance, runs the smoke checks and publishes {@code RestoreDrillSucceeded}. Given an SNS topic, alarms
 * fire when a metric is below 1 or missing over its window.
 *
 * <p>The logins and scratch databases are declared here through the postgresql provider as the RDS master user: the
 * backup login is a member of {@code rds_iam} and {@code pg_read_all_data} with CONNECT on each database; the drill
 * login is a member of {@code rds_iam} only (no CREATEDB, no {@code rds_superuser}) and owns one scratch database per
 * drilled database, {@code restore_drill_<database>}, which the master user creates with the source's extensions
 * (on RDS creating extensions is {@code rds_superuser}'s privilege); the drill restores into it with
 * {@code --no-owner --no-privileges}, so a crafted dump runs its SQL as a login that owns one empty database.
 *
 * <p>Children are named {@code <name>-...}; those names are URNs: never rename them.
 */
public final class RdsLogicalBackup extends ComponentResource {
    public static final String TYPE = "dataplatform:backup:RdsLogicalBackup";
    public static final String NAMESPACE = "rds-logical-backups";
    public static final String BACKUP_SERVICE_ACCOUNT = "rds-logical-backup";
    public static final String DRILL_SERVICE_ACCOUNT = "rds-restore-drill";
    public static final String CRON_JOB_NAME = "rds-logical-backup";
    public static final String SCRIPTS = "rds-backup-scripts";
    public static final String DEFAULT_LOGIN = "dp_backup";
    /** The tag (GCS: label) every dump bucket carries, so a guardrail can find dump buckets and check their immutability. */
    public static final String CONTENTS_LABEL = "data-platform-contents";
    public static final String CONTENTS_DUMPS = "database-dumps";
    public static final String DEFAULT_DRILL_LOGIN = "dp_restore_drill";
    /** RDS for PostgreSQL listens on PostgreSQL's default port (the instance sets no other, see {@code RdsDatabase.port}). */
    public static final int RDS_PORT = 5432;

    /** The CloudWatch namespace and metric names the Jobs publish and the alarms watch (the scripts get them by env). */
    public static final String METRIC_NAMESPACE = "DataPlatform/LogicalBackups";
    public static final String BACKUP_METRIC = "BackupSucceeded";
    public static final String DRILL_METRIC = "RestoreDrillSucceeded";

    /**
     * amazon/aws-cli: one tag per CLI release (AWS CLI User Guide "Use specific versions and tags"); 2.36.7 is the
     * newest tag of aws/aws-cli, whose docker/Dockerfile@2.36.7 builds on amazonlinux:2023, sets no USER (root) and
     * makes {@code aws} the entrypoint: the pod names a uid and a command.
     */
    public static final String AWS_CLI_IMAGE = "amazon/aws-cli:2.36.7";

    /**
     * The client tools must be of the server's major version or newer (pg_dump refuses a newer server):
     * docker-library/postgres versions.json@6edb0a8 publishes {@code <version>-bookworm} for these majors; user
     * {@code postgres} is uid/gid 999 in each (see {@link LogicalBackup#POSTGRES_IMAGE}).
     */
    public static final Map<String, String> POSTGRES_IMAGES = Map.of(
            "14", "postgres:14.22-bookworm",
            "15", "postgres:15.17-bookworm",
            "16", "postgres:16.13-bookworm",
            "17", "postgres:17.9-bookworm",
            "18", "postgres:18.3-bookworm");
    /** The pods' containers all run as this uid, so the sidecar's 0600 password file is readable by the tools. */
    public static final int UID = 999;
    /** libpq verifies the server's certificate chain against the RDS CA bundle and the host name against the endpoint. */
    public static final String SSL_MODE = "verify-full";
    /**
     * The RDS CA bundle for all regions (the URL the postgresql provider's awspostgres scheme also trusts, go-cloud
     * aws/rds/rds.go@v0.46.0), downloaded over HTTPS by an init container into a memory volume; see rds-ca-bundle.sh.
     */
    public static final String CA_BUNDLE_URL = "https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem";
    public static final String CA_BUNDLE_PATH = "/certs/rds-global-bundle.pem";
    public static final int TOKEN_REFRESH_SECONDS = 300;
    /** CronJob names are limited to 52 characters (the controller appends an 11-character suffix to Job names). */
    public static final int MAX_CRON_JOB_NAME = 52;

    /** An alarm's period: one day. Period × evaluation periods may be at most 7 days (PutMetricAlarm's Period reference). */
    public static final int ALARM_PERIOD_SECONDS = 86_400;
    public static final int MAX_ALARM_RANGE_SECONDS = 604_800;

    /** The image for an RDS engine version ("16" or "16.4"), or null when the major is not in {@link #POSTGRES_IMAGES}. */
    public static String postgresImage(String engineVersion) {
        String major = engineVersion.contains(".") ? engineVersion.substring(0, engineVersion.indexOf('.')) : engineVersion;
        return POSTGRES_IMAGES.get(major);
    }

    /** The scheduled drill's CronJob of a database. */
    public static String drillCronJobName(String database) {
        return "rds-restore-drill-" + database.replace('_', '-');
    }

    /** The on-demand drill's Job of a database and run. */
    public static String drillJobName(String database, String run) {
        return "rds-restore-drill-" + database.replace('_', '-') + "-" + run;
    }

    /**
     * Days a schedule may leave between two runs, as the alarms see it: every day (day-of-month, month and
     * day-of-week all {@code *}) is 1, some days of each week is 7; anything rarer cannot be watched (null).
     */
    public static Integer windowDays(String schedule) {
        String[] f = schedule.trim().split("\\s+");
        if (f.length != 5 || !f[2].equals("*") || !f[3].equals("*")) {
            return null;
        }
        return f[4].equals("*") ? 1 : 7;
    }

    /**
     * The restore drill.
     *
     * @param login    the drill login (declared here: rds_iam only; it owns the scratch databases)
     * @param schedule a cron schedule (one CronJob per database), or null for an on-demand run
     * @param run      the on-demand run id (a new value is a new Job per database), or null when scheduled
     * @param tables   per database, the tables whose rows are counted
     */
    public record Drill(String login, String schedule, String run, Map<String, List<String>> tables) {
        public Drill {
            Objects.requireNonNull(login, "login");
            if ((schedule == null) == (run == null)) {
                throw new IllegalArgumentException("a restore drill has either a schedule or a run id");
            }
            tables = tables == null ? Map.of() : Map.copyOf(tables);
        }
    }

    /**
     * @param environment    the stack's environment (the metrics' Environment dimension)
     * @param region         the instance's AWS region (tokens, S3, CloudWatch)
     * @param accountId      the AWS account of the cluster's OIDC provider and the instance
     * @param oidcProvider   the EKS cluster's OIDC issuer without https:// (IRSA trust)
     * @param address        the instance's host name
     * @param resourceId     the instance's DbiResourceId (rds-db:connect ARNs)
     * @param engineVersion  the instance's engine version (picks the client tools' image)
     * @param admin          the postgresql provider's master-user connection (declares the two logins), or null when
     *                       the stack manages no roles (rds.manageRoles false): then a DBA creates the logins
     * @param databaseCidr   the addresses the instance may have (egress on 5432)
     * @param bucket         the dedicated backup bucket's name (created here)
     * @param prefix         the object prefix
     * @param retentionDays  days a dump is kept (lifecycle expiry on the prefix)
     * @param protect        Pulumi protect on the bucket
     * @param schedule       the backup CronJob's schedule (UTC)
     * @param databases      the databases dumped
     * @param extensions   per database, the extensions the source has (installed in its scratch database by the master user)
     * @param login          the backup login
     * @param drill          the restore drill, or null
     * @param alarmTopicArn  an SNS topic for the alarms, or null for no alarms
     * @param labels         labels and tags for every object
     */
    public record Args(Environment environment, String region, String accountId, String oidcProvider, Output<String> address,
                       Output<String> resourceId, String engineVersion, Provider.Args admin, String databaseCidr,
                       String bucket, String prefix, int retentionDays, boolean protect, String schedule,
                       List<String> databases, Map<String, List<String>> extensions, String login, Drill drill,
                       String alarmTopicArn, Map<String, String> labels) {
        public Args {
            Objects.requireNonNull(environment, "environment");
            Objects.requireNonNull(bucket, "bucket");
            databases = List.copyOf(databases);
            extensions = extensions == null ? Map.of() : Map.copyOf(extensions);
            if (databases.isEmpty()) {
                throw new IllegalArgumentException("logical backups need at least one database");
            }
            LogicalBackup.cron(schedule).ifPresent(problem -> {
                throw new IllegalArgumentException("schedule " + problem);
            });
            if (retentionDays < 1 || retentionDays > LogicalBackup.MAXIMUM_RETENTION_DAYS) {
                throw new IllegalArgumentException("retentionDays must be 1-" + LogicalBackup.MAXIMUM_RETENTION_DAYS);
            }
            if (postgresImage(engineVersion) == null) {
                throw new IllegalArgumentException("engine version " + engineVersion + " has no client image; allowed majors: "
                        + new java.util.TreeSet<>(POSTGRES_IMAGES.keySet()));
            }
            prefix = prefix.replaceAll("^/+|/+$", "");
            labels = labels == null ? Map.of() : Map.copyOf(labels);
        }

        public String url() {
            return "s3://" + bucket + "/" + prefix;
        }
    }

    /** {@code s3://<bucket>/<prefix>}: the dumps are {@code <database>/<UTC timestamp>.dump} under it. */
    public final Output<String> backupLocation;
    /** The scheduled drill's CronJob names by database (empty without a scheduled drill). */
    public final Output<Map<String, String>> drillCronJobs;
    /** The on-demand drill's Job names by database (empty without an on-demand drill). */
    public final Output<Map<String, String>> drillJobs;

    /**
     * @param cluster the EKS cluster the Jobs land on (the pods use IRSA; another kind is refused)
     */
    public RdsLogicalBackup(String name, Args args, Cluster cluster, ComponentResourceOptions options) {
        super(TYPE, name, options);
        var labels = new TreeMap<>(args.labels());
        labels.put("app.kubernetes.io/name", "rds-logical-backup");
        var child = CustomResourceOptions.builder().parent(this).build();

        var bucket = bucket(name, args, child);
        var provider = args.admin() == null ? null : new Provider(name + "-postgresql", args.admin(), child);
        List<Resource> logins = provider == null ? List.of() : logins(name, args, provider);
        List<Resource> scratch = provider == null || args.drill() == null ? List.of() : scratchDatabases(name, args, provider, logins);

        // The namespace, DNS and the ServiceAccounts' IRSA annotations (a backup and a drill role): no metadata egress.
        var namespace = WorkloadNamespace.builder(this, name, NAMESPACE).component("rds.logicalBackups").cluster(cluster)
                .identityKind(Cluster.Identity.EKS_IRSA).labels(labels).build();
        var inNamespace = CustomResourceOptions.builder().parent(this).dependsOn(namespace.namespace()).build();
        var dependsOn = new ArrayList<Resource>(logins);
        dependsOn.addAll(namespace.policies());
        dependsOn.add(namespace.allowEgressTo("allow-rds", Output.of(args.databaseCidr()), List.of(RDS_PORT)));
        // STS (the IRSA token exchange), S3 and CloudWatch: public endpoints without fixed addresses.
        dependsOn.add(namespace.allowEgressTo("allow-aws-apis", Output.of("0.0.0.0/0"), List.of(443)));
        var scripts = new LinkedHashMap<>(BackupScripts.rds());
        scripts.put(BackupScripts.DUMP, BackupScripts.text(BackupScripts.DUMP));
        scripts.put(BackupScripts.RESTORE_DRILL, BackupScripts.text(BackupScripts.RESTORE_DRILL));
        dependsOn.add(new ConfigMap(name + "-scripts", ConfigMapArgs.builder()
                .metadata(ObjectMetaArgs.builder().name(SCRIPTS).namespace(NAMESPACE).labels(labels).build())
                .data(scripts)
                .build(), inNamespace));

        String objects = "arn:aws:s3:::" + args.bucket() + "/" + args.prefix() + "/*";
        String bucketArn = "arn:aws:s3:::" + args.bucket();
        // Create only: PutObject only with If-None-Match: * (a write to an existing key is refused), and never the
        // actions that delete versions, shorten or bypass retention, or change the bucket's settings (explicit denies,
        // so no other policy attached later can grant them).
        var create = IamPolicy.when(IamPolicy.allow(List.of("s3:PutObject"), List.of(objects)), "StringEquals",
                "s3:if-none-match", "*");
        var never = IamPolicy.allow(List.of("s3:DeleteObject", "s3:DeleteObjectVersion", "s3:PutObjectRetention",
                "s3:PutObjectLegalHold", "s3:BypassGovernanceRetention", "s3:PutBucket*", "s3:DeleteBucket*",
                "s3:PutLifecycleConfiguration", "s3:PutObjectAcl", "s3:PutObjectVersionAcl"), List.of(bucketArn, bucketArn + "/*"));
        never.addProperty("Effect", "Deny");
        dependsOn.addAll(identity(name + "-backup", args, BACKUP_SERVICE_ACCOUNT, args.login(), labels, namespace,
                create, never));
        new KubernetesCustomResource(name + "-cronjob",
                ObjectMetaArgs.builder().name(CRON_JOB_NAME).namespace(NAMESPACE).labels(labels).build(),
                new LogicalBackup.CronJobSpec(args.schedule(), "Forbid", 3, 3,
                        Map.of("spec", Map.of("backoffLimit", 0, "template",
                                Map.of("metadata", Map.of("labels", labels), "spec", backupPod(args))))),
                CustomResourceOptions.builder().parent(this).dependsOn(dependsOn).build());
        alarms(name, args, BACKUP_METRIC, args.schedule(), bucket);

        var cronJobs = new LinkedHashMap<String, String>();
        var jobs = new LinkedHashMap<String, String>();
        if (args.drill() != null) {
            var drillDependsOn = new ArrayList<>(dependsOn);
            drillDependsOn.addAll(scratch);
            // Lists the manifests only; reads objects by key and version (GetObjectVersion), writes nothing.
            var list = IamPolicy.when(IamPolicy.allow(List.of("s3:ListBucket"), List.of(bucketArn)),
                    "StringLike", "s3:prefix", args.prefix() + "/manifests/*");
            drillDependsOn.addAll(identity(name + "-drill", args, DRILL_SERVICE_ACCOUNT, args.drill().login(), labels,
                    namespace, IamPolicy.allow(List.of("s3:GetObject", "s3:GetObjectVersion"), List.of(objects)), list));
            for (String database : args.databases()) {
                var template = Map.<String, Object>of("metadata", Map.of("labels", labels), "spec", drillPod(args, database));
                if (args.drill().schedule() != null) {
                    String cronName = drillCronJobName(database);
                    cronJobs.put(database, cronName);
                    new KubernetesCustomResource(name + "-" + cronName,
                            ObjectMetaArgs.builder().name(cronName).namespace(NAMESPACE).labels(labels).build(),
                            new LogicalBackup.CronJobSpec(args.drill().schedule(), "Forbid", 3, 3,
                                    Map.of("spec", Map.of("backoffLimit", 0,
                                            "activeDeadlineSeconds", LogicalBackup.DRILL_DEADLINE_SECONDS, "template", template))),
                            CustomResourceOptions.builder().parent(this).dependsOn(drillDependsOn).build());
                } else {
                    String jobName = drillJobName(database, args.drill().run());
                    jobs.put(database, jobName);
                    new KubernetesCustomResource(name + "-" + jobName,
                            ObjectMetaArgs.builder().name(jobName).namespace(NAMESPACE).labels(labels).build(),
                            new JobSpec(0, LogicalBackup.DRILL_DEADLINE_SECONDS, LogicalBackup.DRILL_TTL_SECONDS, template),
                            CustomResourceOptions.builder().parent(this).dependsOn(drillDependsOn).build());
                }
            }
            if (args.drill().schedule() != null) {
                alarms(name, args, DRILL_METRIC, args.drill().schedule(), bucket);
            }
        }
        this.backupLocation = bucket.bucket().applyValue(b -> "s3://" + b + "/" + args.prefix());
        this.drillCronJobs = Output.of(Map.copyOf(cronJobs));
        this.drillJobs = Output.of(Map.copyOf(jobs));
        registerOutputs(Map.of("backupLocation", backupLocation, "drillCronJobs", drillCronJobs, "drillJobs", drillJobs));
    }

    /** The dedicated bucket: private, encrypted, TLS only, dumps expire after the retention (on the prefix). */
    private BucketV2 bucket(String name, Args args, CustomResourceOptions child) {
        var tags = new TreeMap<>(args.labels());
        tags.put(CONTENTS_LABEL, CONTENTS_DUMPS);
        // objectLockEnabled stays unset: it replaces the bucket when changed (ForceNew); Object Lock is turned on for
        // this existing bucket by the object lock configuration below, on top of versioning.
        var bucket = new BucketV2(name + "-bucket", BucketV2Args.builder()
                .bucket(args.bucket())
                .forceDestroy(false)
                .tags(tags)
                .build(), CustomResourceOptions.builder().parent(this).protect(args.protect()).build());
        new BucketOwnershipControls(name + "-bucket", BucketOwnershipControlsArgs.builder()
                .bucket(bucket.id())
                .rule(BucketOwnershipControlsRuleArgs.builder().objectOwnership("BucketOwnerEnforced").build())
                .build(), child);
        new BucketPublicAccessBlock(name + "-bucket", BucketPublicAccessBlockArgs.builder()
                .bucket(bucket.id())
                .blockPublicAcls(true).blockPublicPolicy(true).ignorePublicAcls(true).restrictPublicBuckets(true)
                .build(), child);
        new BucketServerSideEncryptionConfigurationV2(name + "-bucket", BucketServerSideEncryptionConfigurationV2Args.builder()
                .bucket(bucket.id())
                .rules(BucketServerSideEncryptionConfigurationV2RuleArgs.builder()
                        .applyServerSideEncryptionByDefault(BucketServerSideEncryptionConfigurationV2RuleApplyServerSideEncryptionByDefaultArgs
                                .builder().sseAlgorithm("aws:kms").build())
                        .bucketKeyEnabled(true).build())
                .build(), child);
        new BucketPolicy(name + "-bucket-tls-only", BucketPolicyArgs.builder()
                .bucket(bucket.id())
                .policy(bucketPolicy(args))
                .build(), child);
        var versioning = new BucketVersioningV2(name + "-bucket", BucketVersioningV2Args.builder()
                .bucket(bucket.id())
                .versioningConfiguration(BucketVersioningV2VersioningConfigurationArgs.builder().status("Enabled").build())
                .build(), child);
        new BucketObjectLockConfigurationV2(name + "-bucket", BucketObjectLockConfigurationV2Args.builder()
                .bucket(bucket.id())
                .objectLockEnabled("Enabled")
                .rule(BucketObjectLockConfigurationV2RuleArgs.builder()
                        .defaultRetention(BucketObjectLockConfigurationV2RuleDefaultRetentionArgs.builder()
                                .mode(lockMode(args.environment())).days(args.retentionDays()).build())
                        .build())
                .build(), CustomResourceOptions.builder().parent(this).dependsOn(versioning).build());
        // A dump's current version expires after the retention (a delete marker); the version itself one day later,
        // when its lock (the same number of days from its creation) has run out.
        new BucketLifecycleConfigurationV2(name + "-bucket", BucketLifecycleConfigurationV2Args.builder()
                .bucket(bucket.id())
                .rules(BucketLifecycleConfigurationV2RuleArgs.builder()
                        .id("expire-dumps").status("Enabled")
                        .filter(BucketLifecycleConfigurationV2RuleFilterArgs.builder().prefix(args.prefix() + "/").build())
                        .expiration(BucketLifecycleConfigurationV2RuleExpirationArgs.builder().days(args.retentionDays()).build())
                        .noncurrentVersionExpiration(BucketLifecycleConfigurationV2RuleNoncurrentVersionExpirationArgs.builder()
                                .noncurrentDays(1).build())
                        .abortIncompleteMultipartUpload(BucketLifecycleConfigurationV2RuleAbortIncompleteMultipartUploadArgs
                                .builder().daysAfterInitiation(1).build())
                        .build())
                .build(), CustomResourceOptions.builder().parent(this).dependsOn(versioning).build());
        return bucket;
    }

    /** Object Lock mode of the dumps: COMPLIANCE in prod (no one can shorten it), GOVERNANCE elsewhere. */
    public static String lockMode(Environment environment) {
        return environment == Environment.PROD ? "COMPLIANCE" : "GOVERNANCE";
    }

    /** The backup role's ARN (its name is fixed: dp-<env>-rds-logical-backup). */
    static String backupRoleArn(Args args) {
        return "arn:aws:iam::" + args.accountId() + ":role/dp-" + args.environment().id() + "-" + BACKUP_SERVICE_ACCOUNT;
    }

    /** TLS only, and no principal but the backup role may put objects under the prefix (dumps and manifests). */
    static String bucketPolicy(Args args) {
        var document = com.google.gson.JsonParser.parseString(ObjectBuckets.tlsOnlyPolicy("arn:aws:s3:::" + args.bucket()))
                .getAsJsonObject();
        var onlyBackup = new com.google.gson.JsonObject();
        onlyBackup.addProperty("Sid", "OnlyTheBackupRoleWritesDumps");
        onlyBackup.addProperty("Effect", "Deny");
        onlyBackup.addProperty("Principal", "*");
        onlyBackup.addProperty("Action", "s3:PutObject");
        onlyBackup.addProperty("Resource", "arn:aws:s3:::" + args.bucket() + "/" + args.prefix() + "/*");
        IamPolicy.when(onlyBackup, "ArnNotEquals", "aws:PrincipalArn", backupRoleArn(args));
        document.getAsJsonArray("Statement").add(onlyBackup);
        return document.toString();
    }

    /**
     * One scratch database per drilled database, {@code restore_drill_<database>}, owned by the drill login and
     * created by the master user with the source's extensions (only rds_superuser may create them on RDS).
     */
    private List<Resource> scratchDatabases(String name, Args args, Provider provider, List<Resource> logins) {
        return LogicalBackup.scratchDatabases(this, name, args.admin(), args.drill().login(), args.databases(), args.extensions(),
                provider, logins);
    }

    /** The backup login (rds_iam, pg_read_all_data, CONNECT on each database) and the drill login (rds_iam only). */
    private List<Resource> logins(String name, Args args, Provider provider) {
        var result = new ArrayList<Resource>();
        var backup = new dev.dataplatform.postgresql.Role(name + "-login-" + args.login(),
                dev.dataplatform.postgresql.Role.Args.of(args.login(), true).withRoles(List.of("rds_iam", "pg_read_all_data")),
                CustomResourceOptions.builder().parent(this).provider(provider).build());
        result.add(backup);
        for (String database : args.databases()) {
            result.add(new Grant(name + "-" + database + "-connect-" + args.login(),
                    Grant.Args.of(Output.of(database), args.login(), null, "database", List.of("CONNECT")),
                    CustomResourceOptions.builder().parent(this).provider(provider).dependsOn(backup).build()));
        }
        if (args.drill() != null) {
            // rds_iam only: no CREATEDB, no rds_superuser; the master user creates its scratch databases.
            result.add(new dev.dataplatform.postgresql.Role(name + "-login-" + args.drill().login(),
                    dev.dataplatform.postgresql.Role.Args.of(args.drill().login(), true).withRoles(List.of("rds_iam")),
                    CustomResourceOptions.builder().parent(this).provider(provider).build()));
        }
        return result;
    }

    /**
     * An IRSA role for one ServiceAccount: the given statements, rds-db:connect as {@code login} only, and PutMetricData
     * in {@value #METRIC_NAMESPACE} only; and the ServiceAccount annotated with it.
     */
    private List<Resource> identity(String name, Args args, String serviceAccount, String login, Map<String, String> labels,
                                    WorkloadNamespace namespace, com.google.gson.JsonObject... statements) {
        var child = CustomResourceOptions.builder().parent(this).build();
        var role = new Role(name + "-role", RoleArgs.builder()
                .name("dp-" + args.environment().id() + "-" + serviceAccount)
                .assumeRolePolicy(IamPolicy.webIdentityTrust(args.accountId(), args.oidcProvider(), NAMESPACE, serviceAccount))
                .tags(args.labels())
                .build(), child);
        var all = new ArrayList<>(List.of(statements));
        var policy = new RolePolicy(name + "-policy", RolePolicyArgs.builder()
                .role(role.name())
                .policy(args.resourceId().applyValue(resourceId -> {
                    var connect = IamPolicy.allow(List.of("rds-db:connect"), List.of("arn:aws:rds-db:" + args.region() + ":"
                            + args.accountId() + ":dbuser:" + resourceId + "/" + login));
                    var metrics = IamPolicy.when(IamPolicy.allow(List.of("cloudwatch:PutMetricData"), List.of("*")),
                            "StringEquals", "cloudwatch:namespace", METRIC_NAMESPACE);
                    var statementsWithConnect = new ArrayList<>(all);
                    statementsWithConnect.add(connect);
                    statementsWithConnect.add(metrics);
                    return IamPolicy.document(statementsWithConnect.toArray(com.google.gson.JsonObject[]::new));
                }))
                .build(), child);
        var ksa = namespace.serviceAccount(name + "-ksa", serviceAccount, labels, WorkloadIdentity.aws(role.arn()), true);
        return List.of(policy, ksa);
    }

    /**
     * One alarm per database: the metric's minimum below 1 (a failed run) or no data (no run) over the schedule's window.
     * Weekly schedules are watched over 7 one-day periods that must all breach, so the days between runs do not alarm.
     */
    private void alarms(String name, Args args, String metric, String schedule, Resource after) {
        if (args.alarmTopicArn() == null) {
            return;
        }
        Integer days = windowDays(schedule);
        if (days == null || days * ALARM_PERIOD_SECONDS > MAX_ALARM_RANGE_SECONDS) {
            throw new IllegalArgumentException("schedule '" + schedule + "' runs less than weekly: the " + metric
                    + " alarm cannot watch it; allowed: a schedule with day-of-month and month '*'");
        }
        for (String database : args.databases()) {
            new MetricAlarm(name + "-alarm-" + metric + "-" + database, MetricAlarmArgs.builder()
                    .name("dp-" + args.environment().id() + "-" + metric + "-" + database)
                    .alarmDescription(metric + " of " + database + " below 1 or missing for " + days + " day(s). "
                            + dev.dataplatform.alerts.Runbooks.link(metric.equals(BACKUP_METRIC)
                            ? dev.dataplatform.alerts.Runbooks.RDS_BACKUP : dev.dataplatform.alerts.Runbooks.RDS_RESTORE_DRILL))
                    .namespace(METRIC_NAMESPACE)
                    .metricName(metric)
                    .dimensions(Map.of("Environment", args.environment().id(), "Database", database))
                    .statistic("Minimum")
                    .period(ALARM_PERIOD_SECONDS)
                    .evaluationPeriods(days)
                    .datapointsToAlarm(days)
                    .comparisonOperator("LessThanThreshold")
                    .threshold(1.0)
                    .treatMissingData("breaching")
                    .alarmActions(args.alarmTopicArn())
                    .okActions(args.alarmTopicArn())
                    .tags(args.labels())
                    .build(), CustomResourceOptions.builder().parent(this).dependsOn(after).build());
        }
    }

    private static List<Object> pgEnv(Args args, String login) {
        return List.of(
                Map.of("name", "PGHOST", "value", args.address()),
                Map.of("name", "PGPORT", "value", Integer.toString(RDS_PORT)),
                Map.of("name", "PGSSLMODE", "value", SSL_MODE),
                Map.of("name", "PGSSLROOTCERT", "value", CA_BUNDLE_PATH),
                Map.of("name", "PGUSER", "value", login),
                Map.of("name", "PGPASSFILE", "value", "/tokens/pgpass"));
    }

    private static List<Object> awsEnv(Args args) {
        return List.of(
                Map.of("name", "AWS_REGION", "value", args.region()),
                Map.of("name", "HOME", "value", "/home"),
                Map.of("name", "ENVIRONMENT", "value", args.environment().id()),
                Map.of("name", "METRIC_NAMESPACE", "value", METRIC_NAMESPACE),
                Map.of("name", "TOKEN_REFRESH_SECONDS", "value", Integer.toString(TOKEN_REFRESH_SECONDS)));
    }

    /** The native sidecar that keeps {@code /tokens/pgpass} fresh; later containers start once it exists. */
    static Map<String, Object> tokenSidecar(Args args, String login) {
        var env = new ArrayList<>(awsEnv(args));
        env.add(Map.of("name", "PGHOST", "value", args.address()));
        var sidecar = container("rds-auth-token", AWS_CLI_IMAGE, List.of("sh", "-c", "exec sh /scripts/"
                + BackupScripts.RDS_TOKEN + " /tokens/pgpass \"$PGHOST\" " + RDS_PORT + " " + login), env);
        sidecar.put("restartPolicy", "Always");
        sidecar.put("startupProbe", Map.of("exec", Map.of("command", List.of("sh", "-c", "[ -s /tokens/pgpass ]")),
                "periodSeconds", 2, "failureThreshold", 60));
        return sidecar;
    }

    /** The CronJob's pod: token sidecar, pg_dump of each database (recorded), then upload and BackupSucceeded. */
    static Map<String, Object> backupPod(Args args) {
        var dump = new ArrayList<>(List.of("sh", "/scripts/" + BackupScripts.RECORD, "/backups/dump.result",
                "/scripts/" + BackupScripts.DUMP, "/backups"));
        dump.addAll(args.databases());
        var upload = new ArrayList<>(List.of("sh", "/scripts/" + BackupScripts.S3_UPLOAD, "/backups", args.url()));
        upload.addAll(args.databases());
        var pod = basePod(BACKUP_SERVICE_ACCOUNT);
        pod.put("initContainers", List.of(caBundle(), tokenSidecar(args, args.login()),
                container("pg-dump", postgresImage(args.engineVersion()), dump, pgEnv(args, args.login()))));
        pod.put("containers", List.of(container("upload", AWS_CLI_IMAGE, upload, awsEnv(args))));
        return pod;
    }

    /** A drill pod: token sidecar, fetch of the newest dump, restore and checks (both recorded), then the report. */
    static Map<String, Object> drillPod(Args args, String database) {
        var fetch = List.<String>of("sh", "/scripts/" + BackupScripts.RECORD, "/backups/fetch.result",
                "/scripts/" + BackupScripts.S3_FETCH_LATEST, "/backups", args.url(), database);
        var restore = new ArrayList<>(List.of("sh", "/scripts/" + BackupScripts.RECORD, "/backups/drill.result",
                "/scripts/" + BackupScripts.RESTORE_DRILL, "/backups", database, LogicalBackup.scratchDatabase(database)));
        restore.addAll(args.drill().tables().getOrDefault(database, List.of()));
        var env = new ArrayList<>(pgEnv(args, args.drill().login()));
        var pod = basePod(DRILL_SERVICE_ACCOUNT);
        pod.put("initContainers", List.of(
                caBundle(),
                container("fetch-latest", AWS_CLI_IMAGE, fetch, awsEnv(args)),
                tokenSidecar(args, args.drill().login()),
                container("restore-drill", postgresImage(args.engineVersion()), restore, env)));
        pod.put("containers", List.of(container("report", AWS_CLI_IMAGE, List.of("sh", "/scripts/" + BackupScripts.DRILL_REPORT,
                database, "/backups/fetch.result", "/backups/drill.result"), awsEnv(args))));
        return pod;
    }

    /** The init container that downloads the RDS CA bundle for verify-full (rds-ca-bundle.sh). */
    static Map<String, Object> caBundle() {
        return container("rds-ca-bundle", AWS_CLI_IMAGE, List.of("sh", "/scripts/" + BackupScripts.RDS_CA_BUNDLE,
                CA_BUNDLE_URL, CA_BUNDLE_PATH), List.of(Map.of("name", "HOME", "value", "/home")));
    }

    private static LinkedHashMap<String, Object> basePod(String serviceAccount) {
        var pod = new LinkedHashMap<String, Object>();
        pod.put("serviceAccountName", serviceAccount);
        // IRSA needs no Kubernetes API token: the EKS webhook projects its own web-identity token (audience
        // sts.amazonaws.com) into the pod; no container calls the Kubernetes API.
        pod.put("automountServiceAccountToken", false);
        pod.put("restartPolicy", "Never");
        pod.put("securityContext", Map.of("runAsNonRoot", true, "runAsUser", UID, "runAsGroup", UID,
                "seccompProfile", Map.of("type", "RuntimeDefault")));
        pod.put("volumes", List.of(
                Map.of("name", "scripts", "configMap", Map.of("name", SCRIPTS, "defaultMode", 0555)),
                Map.of("name", "backups", "emptyDir", Map.of("sizeLimit", LogicalBackup.DUMP_SPACE)),
                Map.of("name", "tokens", "emptyDir", Map.of("medium", "Memory", "sizeLimit", "1Mi")),
                Map.of("name", "certs", "emptyDir", Map.of("medium", "Memory", "sizeLimit", "2Mi")),
                Map.of("name", "home", "emptyDir", Map.of("sizeLimit", "64Mi"))));
        return pod;
    }

    /** A restricted container (uid {@value #UID}) with requests and limits and the four volumes. */
    static Map<String, Object> container(String name, String image, List<String> command, List<Object> env) {
        var container = new LinkedHashMap<String, Object>();
        container.put("name", name);
        container.put("image", image);
        container.put("command", command);
        container.put("env", env);
        container.put("volumeMounts", List.of(
                Map.of("name", "scripts", "mountPath", "/scripts", "readOnly", true),
                Map.of("name", "backups", "mountPath", "/backups"),
                Map.of("name", "tokens", "mountPath", "/tokens"),
                Map.of("name", "certs", "mountPath", "/certs"),
                Map.of("name", "home", "mountPath", "/home")));
        // No ephemeral-storage limit: the dumps live in the emptyDir bounded by its sizeLimit (as in LogicalBackup).
        container.put("resources", Map.of(
                "requests", Map.of("cpu", "100m", "memory", "256Mi"),
                "limits", Map.of("cpu", "1", "memory", "1Gi")));
        container.put("securityContext", Map.of(
                "runAsNonRoot", true,
                "runAsUser", UID,
                "runAsGroup", UID,
                "allowPrivilegeEscalation", false,
                "readOnlyRootFilesystem", true,
                "capabilities", Map.of("drop", List.of("ALL")),
                "seccompProfile", Map.of("type", "RuntimeDefault")));
        return container;
    }
}
