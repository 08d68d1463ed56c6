package dev.dataplatform.backup;

import com.pulumi.core.Output;
import com.pulumi.gcp.projects.IAMMember;
import com.pulumi.gcp.projects.IAMMemberArgs;
import com.pulumi.gcp.serviceaccount.Account;
import com.pulumi.gcp.serviceaccount.AccountArgs;
import com.pulumi.gcp.storage.Bucket;
import com.pulumi.gcp.storage.BucketArgs;
import com.pulumi.gcp.storage.BucketIAMMember;
import com.pulumi.gcp.storage.BucketIAMMemberArgs;
import com.pulumi.gcp.storage.inputs.BucketLifecycleRuleActionArgs;
import com.pulumi.gcp.storage.inputs.BucketLifecycleRuleArgs;
import com.pulumi.gcp.storage.inputs.BucketLifecycleRuleConditionArgs;
import com.pulumi.gcp.storage.inputs.BucketRetentionPolicyArgs;
import com.pulumi.kubernetes.core.v1.ConfigMap;
import com.pulumi.kubernetes.core.v1.ConfigMapArgs;
import com.pulumi.kubernetes.meta.v1.inputs.ObjectMetaArgs;
import com.pulumi.resources.ComponentResource;
import com.pulumi.resources.ComponentResourceOptions;
import com.pulumi.resources.CustomResourceOptions;
import com.pulumi.resources.Resource;
import dev.dataplatform.core.Environment;
import dev.dataplatform.kubernetes.CloudSqlProxy;
import dev.dataplatform.kubernetes.Cluster;
import dev.dataplatform.kubernetes.WorkloadIdentity;
import dev.dataplatform.kubernetes.WorkloadNamespace;
import dev.dataplatform.kubernetes.crd.JobSpec;
import dev.dataplatform.kubernetes.crd.CrdKind;
import dev.dataplatform.kubernetes.crd.CrdSpec;
import dev.dataplatform.kubernetes.crd.ExternalSecrets.Data;
import dev.dataplatform.kubernetes.crd.ExternalSecrets.ExternalSecretSpec;
import dev.dataplatform.kubernetes.crd.ExternalSecrets.RemoteRef;
import dev.dataplatform.kubernetes.crd.ExternalSecrets.StoreRef;
import dev.dataplatform.kubernetes.crd.ExternalSecrets.Target;
import dev.dataplatform.kubernetes.crd.KubernetesCustomResource;
import dev.dataplatform.postgresql.Database;
import dev.dataplatform.postgresql.Extension;
import dev.dataplatform.postgresql.GrantRole;
import dev.dataplatform.postgresql.Provider;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Logical backups of a Cloud SQL instance: a CronJob runs {@code pg_dump -Fc} per database through the Cloud SQL Auth
 * Proxy (native sidecar, as {@link dev.dataplatform.access.PgstacMigration} does) into an emptyDir, then uploads the
 * dumps to {@code gs://<bucket>/<prefix>/<database>/<UTC timestamp>.dump} as its own Google service account
 * (objectCreator on the backup bucket only, create-only writes), with a manifest per dump (generation, sha256, size).
 * The bucket's retention policy keeps every object from being deleted or replaced for the retention (locked in prod),
 * and its lifecycle deletes dumps older than that. On demand, a restore drill: one Job per database fetches the dump
 * the newest manifest names, at its generation (a second identity, objectViewer), verifies it, restores it into the
 * scratch database the admin path prepared (owned by the drill login, the source's extensions installed by the
 * admin: on Cloud SQL only cloudsqlsuperuser members create extensions) and runs smoke checks, reporting one JSON
 * log line.
 *
 * <p>The scripts are project files ({@link BackupScripts}) mounted from a ConfigMap; the tests run them against a real
 * PostgreSQL 15. CronJob and Job are declared through the generic resource base (the proxy sidecar's
 * {@code restartPolicy: Always} is not in kubernetes 4.0.0's typed ContainerArgs).
 */
public final class LogicalBackup extends ComponentResource {
    public static final String TYPE = "dataplatform:backup:LogicalBackup";
    public static final CrdKind CRON_JOB = new CrdKind("batch/v1", "CronJob");
    public static final CrdKind JOB = JobSpec.JOB;
    public static final String NAMESPACE = "pg-logical-backups";
    public static final String BACKUP_SERVICE_ACCOUNT = "pg-logical-backup";
    public static final String DRILL_SERVICE_ACCOUNT = "pg-restore-drill";
    public static final String CRON_JOB_NAME = "pg-logical-backup";
    public static final String SCRIPTS = "pg-backup-scripts";
    public static final String PASSWORD_KEY = "password";

    /**
     * docker-library/postgres 15/bookworm/Dockerfile@6edb0a8 (versions.json: 15.17): the client tools
     * (pg_dump, pg_restore, psql, createdb, dropdb) of PostgreSQL 15 on PATH; user {@code postgres} created with
     * uid/gid 999 and no USER line (the image starts as root), so the pod names the number. The tag
     * {@code <version>-<variant>} is one generate-stackbrew-library.sh publishes.
     */
    public static final String POSTGRES_IMAGE = "postgres:15.17-bookworm";
    public static final int POSTGRES_UID = 999;
    /**
     * GoogleCloudPlatform/cloud-sdk-docker@47328f7 README (the {@code :VERSION-stable} tag, example 573.0.0-stable)
     * and stable/Dockerfile: user {@code cloudsdk} uid/gid 1000, no USER line (starts as root), gcloud's config
     * under the home directory, so the pod names the uid and gives gcloud a writable config directory.
     */
    public static final String GCLOUD_IMAGE = "gcr.io/google.com/cloudsdktool/google-cloud-cli:573.0.0-stable";
    public static final int GCLOUD_UID = 1000;
    /** Cloud SQL instances accept the proxy's mTLS connections on this port (cloud-sql-go-connector dialer.go). */
    public static final int CLOUD_SQL_SERVER_PORT = 3307;

    /** Days dumps are kept at least, by environment (what a restore must be able to reach back to). */
    public static int minimumRetentionDays(Environment environment) {
        return switch (environment) {
            case DEV -> 1;
            case STAGE -> 7;
            case PROD -> 30;
        };
    }

    /** Days dumps are kept when the stack does not say, by environment. */
    public static int defaultRetentionDays(Environment environment) {
        return switch (environment) {
            case DEV -> 7;
            case STAGE -> 14;
            case PROD -> 35;
        };
    }

    public static final int MAXIMUM_RETENTION_DAYS = 3650;
    /** Room for one run's dumps in the pod (emptyDir sizeLimit); the node's ephemeral storage must have it. */
    public static final String DUMP_SPACE = "20Gi";
    public static final String DEFAULT_SCHEDULE = "30 1 * * *";


    /**
     * A standard 5-field cron expression (minute hour day-of-month month day-of-week; numbers, ranges, lists,
     * steps and {@code *}), the format of a CronJob's {@code spec.schedule}. Names (MON, JAN) and macros (@daily)
     * are not accepted here, so every schedule reads the same way.
     */
    public static Optional<String> cron(String value) {
        return dev.dataplatform.core.Cron.check(value);
    }

    /**
     * The on-demand restore drill.
     *
     * @param run          an identifier of this drill run: the Jobs are named after it, a new value runs a new drill
     * @param login        the login that restores: LOGIN only, created by a DBA with CREATE ROLE (not through the Cloud
     *                     SQL API, whose users join cloudsqlsuperuser); it owns the scratch databases and nothing else;
     *                     its password under {@code passwordKey}
     * @param passwordKey  the remote key of its password in the backups' password store
     * @param tables       per database, the tables ({@code schema.table} or {@code table}) whose rows are counted
     */
    public record Drill(String run, String login, String passwordKey, Map<String, List<String>> tables) {
        public Drill {
            Objects.requireNonNull(run, "run");
            Objects.requireNonNull(login, "login");
            Objects.requireNonNull(passwordKey, "passwordKey");
            tables = tables == null ? Map.of() : Map.copyOf(tables);
        }
    }

    /**
     * @param project        the Google project of the instance, the bucket and the service accounts
     * @param location       the bucket's location (the instance's region)
     * @param connectionName the instance connection name
     * @param privateIp      the instance's private IP (egress on {@value #CLOUD_SQL_SERVER_PORT})
     * @param bucket         the backup bucket's name
     * @param prefix         the object prefix inside it
     * @param retentionDays  days a dump is kept (lifecycle Delete on the prefix)
     * @param protect        Pulumi protect on the bucket
     * @param schedule       the CronJob's schedule (UTC)
     * @param databases      the databases dumped
     * @param login          the login that dumps (reads every object: a DBA grants it pg_read_all_data)
     * @param passwordStore  the ClusterSecretStore with the logins' passwords
     * @param passwordKey    the remote key of the dump login's password
     * @param drill          the restore drill, or null
     * @param admin          the admin's postgresql provider connection (creates the drill's scratch databases and their
     *                       extensions), or null when the stack manages no databases: then a DBA creates them
     * @param extensions     per database, the extensions the source has (installed in its scratch database)
     * @param lockRetention  lock the bucket's retention policy (irreversible: no one can shorten it afterwards)
     * @param labels         labels for every object
     */
    public record Args(String project, String location, String connectionName, Output<String> privateIp, String bucket,
                       String prefix, int retentionDays, boolean protect, String schedule, List<String> databases,
                       String login, String passwordStore, String passwordKey, Drill drill, Provider.Args admin,
                       Map<String, List<String>> extensions, boolean lockRetention, Map<String, String> labels) {
        public Args {
            Objects.requireNonNull(project, "project");
            Objects.requireNonNull(connectionName, "connectionName");
            Objects.requireNonNull(bucket, "bucket");
            databases = List.copyOf(databases);
            if (databases.isEmpty()) {
                throw new IllegalArgumentException("logical backups need at least one database");
            }
            cron(schedule).ifPresent(problem -> {
                throw new IllegalArgumentException("schedule " + problem);
            });
            if (retentionDays < 1 || retentionDays > MAXIMUM_RETENTION_DAYS) {
                throw new IllegalArgumentException("retentionDays must be 1-" + MAXIMUM_RETENTION_DAYS);
            }
            prefix = prefix.replaceAll("^/+|/+$", "");
            labels = labels == null ? Map.of() : Map.copyOf(labels);
            extensions = extensions == null ? Map.of() : Map.copyOf(extensions);
        }

        /** Where the dumps go. */
        public String location() {
            return location;
        }

        public String url() {
            return "gs://" + bucket + "/" + prefix;
        }
    }

    /** {@code gs://<bucket>/<prefix>}: the dumps are {@code <database>/<UTC timestamp>.dump} under it. */
    public final Output<String> backupLocation;
    /** The restore drill's Job names by database (empty without a drill). */
    public final Output<Map<String, String>> drillJobs;

    /**
     * @param cluster the GKE cluster the Jobs land on (the pods use GKE Workload Identity; another kind is refused)
     */
    public LogicalBackup(String name, Args args, Cluster cluster, ComponentResourceOptions options) {
        super(TYPE, name, options);
        var labels = new TreeMap<>(args.labels());
        labels.put("app.kubernetes.io/name", "pg-logical-backup");

        var bucketLabels = new TreeMap<>(args.labels());
        bucketLabels.put(RdsLogicalBackup.CONTENTS_LABEL, RdsLogicalBackup.CONTENTS_DUMPS);
        var bucket = new Bucket(name + "-bucket", BucketArgs.builder()
                .project(args.project())
                .name(args.bucket())
                .location(args.location())
                .uniformBucketLevelAccess(true)
                .publicAccessPrevention("enforced")
                .forceDestroy(false)
                .labels(bucketLabels)
                // No object can be deleted or replaced before it is retentionDays old (GCS cannot combine this with
                // object versioning; create-only writes and the manifests' generations stand in for it).
                .retentionPolicy(BucketRetentionPolicyArgs.builder()
                        .retentionPeriod(args.retentionDays() * 86_400)
                        .isLocked(args.lockRetention())
                        .build())
                .lifecycleRules(BucketLifecycleRuleArgs.builder()
                        .action(BucketLifecycleRuleActionArgs.builder().type("Delete").build())
                        .condition(BucketLifecycleRuleConditionArgs.builder()
                                .age(args.retentionDays())
                                .matchesPrefixes(args.prefix().isEmpty() ? List.of() : List.of(args.prefix() + "/"))
                                .build())
                        .build())
                .build(), CustomResourceOptions.builder().parent(this).protect(args.protect()).build());

        // The namespace, DNS and the Workload Identity tokens' egress (both GKE metadata-server profiles, from the one
        // shared table): the block refuses a cluster that is not GKE.
        WorkloadNamespace.check("logicalBackups", cluster, Cluster.Identity.GKE_WORKLOAD_IDENTITY);
        var backupAccount = googleAccount(name + "-backup", args, BACKUP_SERVICE_ACCOUNT);
        var namespace = WorkloadNamespace.builder(this, name, NAMESPACE).component("logicalBackups").cluster(cluster)
                .identity(WorkloadIdentity.google(backupAccount.email())).labels(labels).build();
        var inNamespace = CustomResourceOptions.builder().parent(this).dependsOn(namespace.namespace()).build();
        var dependsOn = new ArrayList<Resource>();
        dependsOn.add(namespace.policies().get(0));
        dependsOn.add(namespace.allowEgressTo("allow-cloud-sql", args.privateIp().applyValue(ip -> ip + "/32"),
                List.of(CLOUD_SQL_SERVER_PORT)));
        // The proxy's Cloud SQL Admin API calls and the uploads to Cloud Storage.
        dependsOn.add(namespace.allowEgressTo("allow-google-apis", Output.of("0.0.0.0/0"), List.of(443)));
        dependsOn.addAll(namespace.policies().subList(1, namespace.policies().size()));

        dependsOn.add(new ConfigMap(name + "-scripts", ConfigMapArgs.builder()
                .metadata(ObjectMetaArgs.builder().name(SCRIPTS).namespace(NAMESPACE).labels(labels).build())
                .data(BackupScripts.all())
                .build(), inNamespace));

        var backup = identity(name + "-backup", args, backupAccount, BACKUP_SERVICE_ACCOUNT, "roles/storage.objectCreator", bucket,
                labels, namespace);
        dependsOn.addAll(backup);
        String backupSecret = "pg-logical-backup-password";
        dependsOn.add(password(name + "-backup-password", backupSecret, args.passwordStore(), args.passwordKey(), labels, inNamespace));

        new KubernetesCustomResource(name + "-cronjob",
                ObjectMetaArgs.builder().name(CRON_JOB_NAME).namespace(NAMESPACE).labels(labels).build(),
                new CronJobSpec(args.schedule(), "Forbid", 3, 3,
                        Map.of("spec", Map.of("backoffLimit", 1, "template",
                                Map.of("metadata", Map.of("labels", labels), "spec", backupPod(args, backupSecret))))),
                CustomResourceOptions.builder().parent(this).dependsOn(dependsOn).build());

        var drills = new LinkedHashMap<String, String>();
        if (args.drill() != null) {
            var drillDependsOn = new ArrayList<>(dependsOn);
            if (args.admin() != null) {
                drillDependsOn.addAll(scratchDatabases(name, args));
            }
            drillDependsOn.addAll(identity(name + "-drill", args, googleAccount(name + "-drill", args, DRILL_SERVICE_ACCOUNT),
                    DRILL_SERVICE_ACCOUNT, "roles/storage.objectViewer", bucket, labels, namespace));
            String drillSecret = "pg-restore-drill-password";
            drillDependsOn.add(password(name + "-drill-password", drillSecret, args.passwordStore(), args.drill().passwordKey(),
                    labels, inNamespace));
            for (String database : args.databases()) {
                String jobName = drillJobName(database, args.drill().run());
                drills.put(database, jobName);
                new KubernetesCustomResource(name + "-" + jobName,
                        ObjectMetaArgs.builder().name(jobName).namespace(NAMESPACE).labels(labels).build(),
                        new JobSpec(0, DRILL_DEADLINE_SECONDS, DRILL_TTL_SECONDS, Map.of("metadata", Map.of("labels", labels),
                                "spec", drillPod(args, database, drillSecret))),
                        CustomResourceOptions.builder().parent(this).dependsOn(drillDependsOn).build());
            }
        }
        this.backupLocation = bucket.name().applyValue(b -> "gs://" + b + "/" + args.prefix());
        this.drillJobs = Output.of(Map.copyOf(drills));
        registerOutputs(Map.of("backupLocation", backupLocation, "drillJobs", drillJobs));
    }

    /**
     * One scratch database per drilled database, {@code restore_drill_<database>}, owned by the drill login, created by
     * the admin with the source's extensions (the admin joins the owner role for the CREATE DATABASE only).
     */
    private List<Resource> scratchDatabases(String name, Args args) {
        var provider = new Provider(name + "-postgresql", args.admin(), CustomResourceOptions.builder().parent(this).build());
        return scratchDatabases(this, name, args.admin(), args.drill().login(), args.databases(), args.extensions(), provider,
                List.of());
    }

    /**
     * The drill's scratch databases through the admin's {@code provider}, after {@code after}: the admin joins the drill
     * login, then per database {@code restore_drill_<database>} owned by the login, with the source's extensions.
     * Shared by the Cloud SQL and the RDS drill.
     */
    static List<Resource> scratchDatabases(Resource parent, String name, Provider.Args admin, String login,
                                           List<String> databases, Map<String, List<String>> extensions, Provider provider,
                                           List<Resource> after) {
        var result = new ArrayList<Resource>(adminInDrillLogin(parent, name, admin, login, provider, after));
        var before = new ArrayList<Resource>(after);
        before.addAll(result);
        for (String database : databases) {
            var scratch = new Database(name + "-scratch-" + database,
                    Database.Args.of(scratchDatabase(database), Output.of(login)),
                    CustomResourceOptions.builder().parent(parent).provider(provider).dependsOn(List.copyOf(before)).build());
            result.add(scratch);
            for (String extension : extensions.getOrDefault(database, List.of())) {
                result.add(new Extension(name + "-scratch-" + database + "-" + extension,
                        Extension.Args.of(extension, scratch.databaseName(), "public"),
                        CustomResourceOptions.builder().parent(parent).provider(provider).dependsOn(scratch).build()));
            }
        }
        return result;
    }

    /**
     * The managed admin (not a superuser) as a member of the drill login, as the access model makes it a member of each
     * owner role: the drill login owns the scratch database and, through pg_database_owner, its schema public, where
     * the admin installs the extensions. The membership gives the admin the drill login's rights, never the reverse.
     */
    static List<Resource> adminInDrillLogin(com.pulumi.resources.Resource parent, String name, Provider.Args admin,
                                            String login, Provider provider, List<Resource> after) {
        return admin.username().<List<Resource>>map(user -> List.of(new GrantRole(name + "-admin-in-" + login,
                GrantRole.Args.of(user, Output.of(login)),
                CustomResourceOptions.builder().parent(parent).provider(provider).dependsOn(after).build()))).orElse(List.of());
    }

    /** The drill's Job: a new run id is a new Job. */
    public static String drillJobName(String database, String run) {
        return "restore-drill-" + database.replace('_', '-') + "-" + run;
    }

    /** The scratch database a drill restores into. */
    public static String scratchDatabase(String database) {
        // The prefix guardrails know as scratch (StatefulTypes.SCRATCH_DATABASE_PREFIX): never protected.
        return "restore_drill_" + database;
    }

    /** batch/v1 CronJobSpec; the job template is a plain map (its pod has a native sidecar). */
    public record CronJobSpec(String schedule, String concurrencyPolicy, Integer successfulJobsHistoryLimit,
                              Integer failedJobsHistoryLimit, Map<String, Object> jobTemplate) implements CrdSpec {
        @Override
        public CrdKind kind() {
            return CRON_JOB;
        }
    }

    /**
     * How long a restore drill may run before Kubernetes fails it (a pod that cannot start, CreateContainerConfigError,
     * or a restore that hangs): the drill then reports DeadlineExceeded instead of waiting forever.
     */
    public static final int DRILL_DEADLINE_SECONDS = 14_400;
    /** A finished drill Job stays a day for its logs, then Kubernetes deletes it. */
    public static final int DRILL_TTL_SECONDS = 86_400;

    /** A Google service account for one role on the bucket and Cloud SQL client, bound to a Kubernetes one. */
    private List<Resource> identity(String name, Args args, Account account, String accountId, String bucketRole, Bucket bucket,
                                    Map<String, String> labels, WorkloadNamespace namespace) {
        var child = CustomResourceOptions.builder().parent(this).build();
        Output<String> member = account.email().applyValue(email -> "serviceAccount:" + email);
        var objects = new BucketIAMMember(name + "-bucket-access", BucketIAMMemberArgs.builder()
                .bucket(bucket.name()).role(bucketRole).member(member).build(), child);
        var sqlClient = new IAMMember(name + "-cloudsql-client", IAMMemberArgs.builder()
                .project(args.project()).role("roles/cloudsql.client").member(member).build(), child);
        var workloadIdentity = new com.pulumi.gcp.serviceaccount.IAMMember(name + "-workload-identity",
                com.pulumi.gcp.serviceaccount.IAMMemberArgs.builder()
                        .serviceAccountId(account.name())
                        .role("roles/iam.workloadIdentityUser")
                        .member("serviceAccount:" + args.project() + ".svc.id.goog[" + NAMESPACE + "/" + accountId + "]")
                        .build(), child);
        var ksa = namespace.serviceAccount(name + "-ksa", accountId, labels, WorkloadIdentity.google(account.email()), true);
        return List.of(objects, sqlClient, workloadIdentity, ksa);
    }

    private Account googleAccount(String name, Args args, String accountId) {
        return new Account(name + "-account", AccountArgs.builder()
                .project(args.project())
                .accountId(accountId)
                .displayName("data-platform " + accountId + " (" + args.connectionName() + ")")
                .build(), CustomResourceOptions.builder().parent(this).build());
    }

    private static Resource password(String name, String secretName, String store, String key, Map<String, String> labels,
                                     CustomResourceOptions inNamespace) {
        return new KubernetesCustomResource(name,
                ObjectMetaArgs.builder().name(secretName).namespace(NAMESPACE).labels(labels).build(),
                new ExternalSecretSpec("1h", StoreRef.clusterSecretStore(store), new Target(secretName, "Owner", null),
                        List.of(new Data(PASSWORD_KEY, new RemoteRef(key))), null),
                inNamespace);
    }

    static List<Object> pgEnv(String login, String secretName) {
        return List.of(
                Map.of("name", "PGHOST", "value", "127.0.0.1"),
                Map.of("name", "PGPORT", "value", Integer.toString(CloudSqlProxy.PORT)),
                // The proxy encrypts (mTLS) to the instance; the hop to it stays inside the pod.
                Map.of("name", "PGSSLMODE", "value", "disable"),
                Map.of("name", "PGUSER", "value", login),
                Map.of("name", "PGPASSWORD", "valueFrom", Map.of("secretKeyRef", Map.of("name", secretName, "key", PASSWORD_KEY))));
    }

    /** The CronJob's pod: proxy sidecar, pg_dump (init container, into the emptyDir), then the upload. */
    static Map<String, Object> backupPod(Args args, String secretName) {
        var dumpCommand = new ArrayList<>(List.of("sh", "/scripts/" + BackupScripts.DUMP, "/backups"));
        dumpCommand.addAll(args.databases());
        var pod = basePod(BACKUP_SERVICE_ACCOUNT);
        pod.put("initContainers", List.of(
                CloudSqlProxy.sidecar(args.connectionName(), false),
                container("pg-dump", POSTGRES_IMAGE, POSTGRES_UID, dumpCommand, pgEnv(args.login(), secretName))));
        pod.put("containers", List.of(container("upload", GCLOUD_IMAGE, GCLOUD_UID,
                List.of("sh", "/scripts/" + BackupScripts.UPLOAD, "/backups", args.url()), gcloudEnv())));
        return pod;
    }

    /** A drill Job's pod: fetch the recorded dump, proxy sidecar, then verify, restore and smoke checks. */
    static Map<String, Object> drillPod(Args args, String database, String secretName) {
        var restoreCommand = new ArrayList<>(List.of("sh", "/scripts/" + BackupScripts.RESTORE_DRILL, "/backups", database,
                scratchDatabase(database)));
        restoreCommand.addAll(args.drill().tables().getOrDefault(database, List.of()));
        var env = new ArrayList<>(pgEnv(args.drill().login(), secretName));
        var pod = basePod(DRILL_SERVICE_ACCOUNT);
        pod.put("initContainers", List.of(
                container("fetch-latest", GCLOUD_IMAGE, GCLOUD_UID,
                        List.of("sh", "/scripts/" + BackupScripts.FETCH_LATEST, "/backups", args.url(), database), gcloudEnv()),
                CloudSqlProxy.sidecar(args.connectionName(), false)));
        pod.put("containers", List.of(container("restore-drill", POSTGRES_IMAGE, POSTGRES_UID, restoreCommand, env)));
        return pod;
    }

    private static List<Object> gcloudEnv() {
        return List.of(Map.of("name", "CLOUDSDK_CONFIG", "value", "/gcloud"), Map.of("name", "HOME", "value", "/gcloud"),
                Map.of("name", "TMPDIR", "value", "/gcloud"));
    }

    private static LinkedHashMap<String, Object> basePod(String serviceAccount) {
        var pod = new LinkedHashMap<String, Object>();
        pod.put("serviceAccountName", serviceAccount);
        // Workload Identity tokens come from the GKE metadata server; no container calls the Kubernetes API.
        pod.put("automountServiceAccountToken", false);
        pod.put("restartPolicy", "Never");
        pod.put("securityContext", Map.of("runAsNonRoot", true, "seccompProfile", Map.of("type", "RuntimeDefault")));
        pod.put("volumes", List.of(
                Map.of("name", "scripts", "configMap", Map.of("name", SCRIPTS, "defaultMode", 0555)),
                Map.of("name", "backups", "emptyDir", Map.of("sizeLimit", DUMP_SPACE)),
                Map.of("name", "gcloud", "emptyDir", Map.of("sizeLimit", "64Mi"))));
        return pod;
    }

    /** A restricted container with requests and limits and the three volumes. */
    static Map<String, Object> container(String name, String image, int uid, List<String> command, List<Object> env) {
        var container = new LinkedHashMap<String, Object>();
        container.put("name", name);
        container.put("image", image);
        container.put("command", command);
        container.put("env", env);
        container.put("volumeMounts", List.of(
                Map.of("name", "scripts", "mountPath", "/scripts", "readOnly", true),
                Map.of("name", "backups", "mountPath", "/backups"),
                Map.of("name", "gcloud", "mountPath", "/gcloud")));
        // No ephemeral-storage limit: the dumps live in the emptyDir, bounded by its sizeLimit ({@value #DUMP_SPACE}),
        // which a pod-level sum of container limits would otherwise undercut.
        container.put("resources", Map.of(
                "requests", Map.of("cpu", "100m", "memory", "256Mi"),
                "limits", Map.of("cpu", "1", "memory", "1Gi")));
        container.put("securityContext", Map.of(
                "runAsNonRoot", true,
                "runAsUser", uid,
                "runAsGroup", uid,
                "allowPrivilegeEscalation", false,
                "readOnlyRootFilesystem", true,
                "capabilities", Map.of("drop", List.of("ALL")),
                "seccompProfile", Map.of("type", "RuntimeDefault")));
        return container;
    }
}
