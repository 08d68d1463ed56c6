package dev.dataplatform.access;

import com.pulumi.core.Output;
import com.pulumi.kubernetes.meta.v1.inputs.ObjectMetaArgs;
import com.pulumi.resources.ComponentResource;
import com.pulumi.resources.ComponentResourceOptions;
import com.pulumi.resources.CustomResourceOptions;
import com.pulumi.resources.Resource;
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

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Runs pgSTAC's own migration ({@code pypgstac migrate}) on {@code pulumi up}, as a Kubernetes Job from pgSTAC's
 * published pypgstac image at the configured version, logged in as the database's {@link Access#MIGRATOR} login.
 * The Job is named after the database and the version: a new version declares a new Job (which runs the upgrade
 * files, pypgstac picks them), an unchanged one declares nothing new, and pypgstac itself does nothing when the
 * database is already at the version. It depends on the server's access model (roles and grants) via the
 * caller's {@code dependsOn}.
 *
 * <p>A Job with the Cloud SQL Auth Proxy as a native sidecar ({@code restartPolicy: Always} on an init container,
 * which kubernetes 4.0.0's typed ContainerArgs cannot express) is declared through the generic resource base,
 * type {@code kubernetes:batch/v1:Job}.
 */
public final class PgstacMigration extends ComponentResource {
    public static final String TYPE = "dataplatform:pgstac:Migration";
    public static final CrdKind JOB = JobSpec.JOB;

    /**
     * pgSTAC versions whose migration path this program knows (pgstac src/pgstac/migrations@v0.9.11 holds the full
     * file of each and the 0.9.10-0.9.11 upgrade). Default: the newest.
     */
    public static final List<String> VERSIONS = List.of("0.9.10", "0.9.11");
    public static final String DEFAULT_VERSION = "0.9.11";
    /**
     * stac-utils/pgstac .github/workflows/release.yml@v0.9.11: target {@code pypgstac} of docker/pypgstac/Dockerfile
     * is pushed as {@code ghcr.io/<repository>-pypgstac} with docker/metadata-action's default tag for a git tag
     * push, the tag itself ({@code v0.9.11}).
     */
    public static final String IMAGE_REPOSITORY = "ghcr.io/stac-utils/pgstac-pypgstac";
    /**
     * docker/pypgstac/Dockerfile@v0.9.11 ends with {@code USER user}, created with uid/gid 1000: a name, so the
     * kubelet cannot check runAsNonRoot unless the pod names the number. It sets no ENTRYPOINT; the
     * {@code pypgstac} command is on PATH (pyproject.toml [project.scripts]).
     */
    public static final int IMAGE_UID = 1000;
    public static final String NAMESPACE = "pgstac-migrations";
    public static final String SERVICE_ACCOUNT = "pgstac-migrator";
    /** The Secret (made by External Secrets) holding the migrator's password, key {@value #PASSWORD_KEY}. */
    public static final String PASSWORD_KEY = "password";

    public static String image(String version) {
        return IMAGE_REPOSITORY + ":v" + version;
    }

    /** The Job's name: a new version is a new Job. */
    public static String jobName(String database, String version) {
        return "pgstac-migrate-" + database.replace('_', '-') + "-" + version.replace('.', '-');
    }

    /**
     * One pgSTAC database on a Cloud SQL instance, reached through the Auth Proxy sidecar (password login: the
     * migrator needs CREATEROLE, which a Cloud SQL IAM user does not get).
     *
     * @param project              the Google project of the instance and of the service account
     * @param connectionName       the instance connection name {@code project:region:instance}
     * @param privateIp            the instance's private IP (egress to it on {@value dev.dataplatform.gcp.CloudSqlDatabase#CONNECTOR_PORT})
     * @param googleServiceAccount the Google service account the proxy runs as (Workload Identity); it needs
     *                             roles/cloudsql.client and must let {@value #NAMESPACE}/{@value #SERVICE_ACCOUNT}
     *                             impersonate it (roles/iam.workloadIdentityUser): the caller binds it, as
     *                             CloudSqlDatabase does for a workload of that ServiceAccount; no other workload uses it
     * @param passwordStore        the ClusterSecretStore holding the migrator's password
     * @param passwordKey          its remote key there (a DBA sets the password; Pulumi never sees it)
     */
    /** How the Job reaches the server. */
    public sealed interface Connection permits CloudSql, StackGresService {
    }

    /**
     * A StackGres tenant's cluster, from a Job in the tenant's namespace: its Service {@code <cluster>} on 5432
     * (PgBouncer, session pooling, passwords checked with an auth_query on pg_shadow), as the superuser
     * {@code postgres} whose password is in the operator's Secret {@code <cluster>}, key {@code superuser-password}
     * (StackGres 1.18.6: StackGresPasswordKeys, PatroniUtil.secretName, pgbouncer-default-values.properties).
     */
    public record StackGresService(String namespace, String cluster) implements Connection {
        public static final String SUPERUSER = "postgres";
        public static final String SUPERUSER_PASSWORD_KEY = "superuser-password";
        public static final int PORT = 5432;
    }

    public record CloudSql(String project, String connectionName, Output<String> privateIp, Output<String> googleServiceAccount,
                           String passwordStore, String passwordKey) implements Connection {
        public CloudSql {
            Objects.requireNonNull(project, "project");
            Objects.requireNonNull(connectionName, "connectionName");
            Objects.requireNonNull(passwordStore, "passwordStore");
            Objects.requireNonNull(passwordKey, "passwordKey");
        }
    }

    /**
     * @param databases  pgSTAC databases of one server with their migrator login
     * @param version    pgSTAC version, one of {@link #VERSIONS}
     * @param connection how the Job reaches the server
     * @param labels     labels for every object
     */
    public record Args(List<PgstacDatabase> databases, String version, Connection connection, Map<String, String> labels) {
        public Args {
            databases = List.copyOf(databases);
            if (!VERSIONS.contains(version)) {
                throw new IllegalArgumentException("pgSTAC version '" + version + "' is not known; allowed: " + String.join(", ", VERSIONS));
            }
            Objects.requireNonNull(connection, "connection");
            labels = labels == null ? Map.of() : Map.copyOf(labels);
        }
    }

    /**
     * A database to migrate, the login that migrates it, and the logins whose default search_path the Job sets
     * in that database afterwards (where the database's own setting cannot be made: the postgresql provider has
     * no ALTER DATABASE ... SET; on PostgreSQL 15 the migrator's CREATEROLE allows ALTER ROLE ... IN DATABASE).
     */
    public record PgstacDatabase(String database, String migrator, List<String> searchPathLogins) {
        public PgstacDatabase {
            searchPathLogins = List.copyOf(searchPathLogins);
        }

        public PgstacDatabase(String database, String migrator) {
            this(database, migrator, List.of());
        }
    }

    /** The SQL the Job runs after the migration: pgSTAC's search_path for each login, in that database only. */
    public static String searchPathSql(PgstacDatabase target) {
        var sql = new StringBuilder();
        for (String login : target.searchPathLogins()) {
            sql.append("ALTER ROLE ").append(Names.quote(login)).append(" IN DATABASE ").append(Names.quote(target.database()))
                    .append(" SET search_path TO ").append(DatabaseModel.PGSTAC_SEARCH_PATH).append(";\n");
        }
        return sql.toString();
    }

    /** pypgstac migrate, then (with psql, which the image has) the logins' search_path. */
    static List<String> command(PgstacDatabase target, String version) {
        if (target.searchPathLogins().isEmpty()) {
            return List.of("pypgstac", "migrate", "--toversion", version);
        }
        // Values travel as positional parameters ($0, $1): no quoting of login names inside the shell script.
        return List.of("sh", "-ec", "pypgstac migrate --toversion \"$0\"\npsql -v ON_ERROR_STOP=1 -c \"$1\"",
                version, searchPathSql(target));
    }

    /** The Jobs' names, by database. */
    public final Output<Map<String, String>> jobs;

    /**
     * @param cluster the cluster the Jobs land on: for Cloud SQL a GKE cluster (the proxy uses GKE Workload Identity;
     *                another kind is refused); may be null for a StackGres or local target (no cloud identity)
     */
    public PgstacMigration(String name, Args args, Cluster cluster, ComponentResourceOptions options) {
        super(TYPE, name, options);
        var labels = new java.util.TreeMap<>(args.labels());
        labels.put("app.kubernetes.io/name", "pgstac-migrate");
        var jobs = new LinkedHashMap<String, String>();
        if (args.connection() instanceof StackGresService tenant) {
            // The tenant's SGScript runs asynchronously: the Job retries until the roles and extensions exist.
            for (PgstacDatabase target : args.databases()) {
                String jobName = jobName(target.database(), args.version());
                jobs.put(target.database(), jobName);
                new KubernetesCustomResource(name + "-" + jobName,
                        ObjectMetaArgs.builder().name(jobName).namespace(tenant.namespace()).labels(labels).build(),
                        new JobSpec(6, DEADLINE_SECONDS, TTL_SECONDS, podTemplate(labels, tenantPod(target, args.version(), tenant))),
                        CustomResourceOptions.builder().parent(this).build());
            }
            this.jobs = Output.of(Map.copyOf(jobs));
            registerOutputs(Map.of("jobs", this.jobs));
            return;
        }
        var cloudSql = (CloudSql) args.connection();
        // Namespace, DNS, the GKE metadata server's egress and the ServiceAccount acting as the Google service account.
        var namespace = WorkloadNamespace.builder(this, name, NAMESPACE).component("pgstacMigration").cluster(cluster)
                .identity(WorkloadIdentity.google(cloudSql.googleServiceAccount())).labels(labels).build();
        var inNamespace = CustomResourceOptions.builder().parent(this).dependsOn(namespace.namespace()).build();
        var policies = new ArrayList<Resource>();
        policies.add(namespace.policies().get(0));
        policies.add(namespace.allowEgressTo("allow-cloud-sql", cloudSql.privateIp().applyValue(ip -> ip + "/32"),
                List.of(dev.dataplatform.gcp.CloudSqlDatabase.CONNECTOR_PORT)));
        // The proxy fetches its client certificate and the instance's metadata from the Cloud SQL Admin API.
        policies.add(namespace.allowEgressTo("allow-google-apis", Output.of("0.0.0.0/0"), List.of(443)));
        policies.addAll(namespace.policies().subList(1, namespace.policies().size()));

        var account = namespace.serviceAccount(name + "-service-account", SERVICE_ACCOUNT, labels);
        var secretName = "pgstac-migrator-password";
        var password = new KubernetesCustomResource(name + "-password",
                ObjectMetaArgs.builder().name(secretName).namespace(NAMESPACE).labels(labels).build(),
                new ExternalSecretSpec("1h", StoreRef.clusterSecretStore(cloudSql.passwordStore()),
                        new Target(secretName, "Owner", null),
                        List.of(new Data(PASSWORD_KEY, new RemoteRef(cloudSql.passwordKey()))), null),
                inNamespace);

        var dependsOn = new ArrayList<Resource>(policies);
        dependsOn.add(account);
        dependsOn.add(password);
        for (PgstacDatabase target : args.databases()) {
            String jobName = jobName(target.database(), args.version());
            jobs.put(target.database(), jobName);
            new KubernetesCustomResource(name + "-" + jobName,
                    ObjectMetaArgs.builder().name(jobName).namespace(NAMESPACE).labels(labels).build(),
                    new JobSpec(2, DEADLINE_SECONDS, TTL_SECONDS, podTemplate(labels, pod(target, args.version(), cloudSql, secretName))),
                    CustomResourceOptions.builder().parent(this).dependsOn(dependsOn).build());
        }
        this.jobs = Output.of(Map.copyOf(jobs));
        registerOutputs(Map.of("jobs", this.jobs));
    }

    /**
     * How long a migration Job may run before Kubernetes fails it: a pod that cannot start (a missing password Secret:
     * CreateContainerConfigError) or a migration that hangs fails {@code pulumi up} with DeadlineExceeded.
     */
    public static final int DEADLINE_SECONDS = 1800;
    /** A finished Job stays a day for its logs, then Kubernetes deletes it (a later run with the same name can start). */
    public static final int TTL_SECONDS = 86_400;

    private static Map<String, Object> podTemplate(Map<String, String> labels, Map<String, Object> pod) {
        return Map.of("metadata", Map.of("labels", labels), "spec", pod);
    }

    /** The pod in a tenant's namespace: pypgstac to the cluster's Service as the superuser. */
    static Map<String, Object> tenantPod(PgstacDatabase target, String version, StackGresService tenant) {
        var env = List.<Object>of(
                Map.of("name", "PGHOST", "value", tenant.cluster()),
                Map.of("name", "PGPORT", "value", Integer.toString(StackGresService.PORT)),
                Map.of("name", "PGDATABASE", "value", target.database()),
                Map.of("name", "PGUSER", "value", target.migrator()),
                Map.of("name", "PGPASSWORD", "valueFrom", Map.of("secretKeyRef",
                        Map.of("name", tenant.cluster(), "key", StackGresService.SUPERUSER_PASSWORD_KEY))));
        var pod = new LinkedHashMap<String, Object>();
        // pypgstac talks to PostgreSQL only, never to the Kubernetes API.
        pod.put("automountServiceAccountToken", false);
        pod.put("restartPolicy", "Never");
        pod.put("securityContext", Map.of("runAsNonRoot", true, "seccompProfile", Map.of("type", "RuntimeDefault")));
        pod.put("containers", List.of(pypgstac(target, version, env)));
        pod.put("volumes", List.of(TMP_VOLUME));
        return pod;
    }

    /** The pod: the proxy sidecar, then pypgstac with libpq's PG* variables (pypgstac's default DSN is empty). */
    static Map<String, Object> pod(PgstacDatabase target, String version, CloudSql cloudSql, String secretName) {
        var env = List.<Object>of(
                Map.of("name", "PGHOST", "value", "127.0.0.1"),
                Map.of("name", "PGPORT", "value", Integer.toString(CloudSqlProxy.PORT)),
                // The proxy encrypts (mTLS) to the instance; the hop to it stays inside the pod.
                Map.of("name", "PGSSLMODE", "value", "disable"),
                Map.of("name", "PGDATABASE", "value", target.database()),
                Map.of("name", "PGUSER", "value", target.migrator()),
                Map.of("name", "PGPASSWORD", "valueFrom",
                        Map.of("secretKeyRef", Map.of("name", secretName, "key", PASSWORD_KEY))));
        var pod = new LinkedHashMap<String, Object>();
        pod.put("serviceAccountName", SERVICE_ACCOUNT);
        // The proxy gets its Google token from the GKE metadata server; neither container calls the Kubernetes API.
        pod.put("automountServiceAccountToken", false);
        pod.put("restartPolicy", "Never");
        pod.put("securityContext", Map.of("runAsNonRoot", true, "seccompProfile", Map.of("type", "RuntimeDefault")));
        pod.put("initContainers", List.of(CloudSqlProxy.sidecar(cloudSql.connectionName(), false)));
        pod.put("containers", List.of(pypgstac(target, version, env)));
        pod.put("volumes", List.of(TMP_VOLUME));
        return pod;
    }

    /** The one writable path of the Job's pods. */
    static final Map<String, Object> TMP_VOLUME = Map.of("name", "tmp", "emptyDir", Map.of("sizeLimit", "64Mi"));

    /** pypgstac from the pinned image, restricted, with requests and limits. */
    static Map<String, Object> pypgstac(PgstacDatabase target, String version, List<Object> env) {
        var container = new LinkedHashMap<String, Object>();
        container.put("name", "pypgstac");
        container.put("image", image(version));
        container.put("command", command(target, version));
        container.put("env", env);
        container.put("resources", Map.of(
                "requests", Map.of("cpu", "100m", "memory", "256Mi"),
                "limits", Map.of("cpu", "1", "memory", "256Mi")));
        // Read-only root: Python and libpq write nothing but temporary files, under /tmp (an emptyDir).
        container.put("securityContext", dev.dataplatform.kubernetes.PodValues.restrictedContainerSecurity(IMAGE_UID, true));
        container.put("volumeMounts", List.of(Map.of("name", "tmp", "mountPath", "/tmp")));
        return container;
    }
}
