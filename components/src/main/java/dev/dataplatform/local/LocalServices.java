package dev.dataplatform.local;

import com.pulumi.core.Output;
import com.pulumi.kubernetes.core.v1.ConfigMap;
import com.pulumi.kubernetes.core.v1.ConfigMapArgs;
import com.pulumi.kubernetes.core.v1.Service;
import com.pulumi.kubernetes.core.v1.ServiceArgs;
import com.pulumi.kubernetes.core.v1.inputs.ServicePortArgs;
import com.pulumi.kubernetes.core.v1.inputs.ServiceSpecArgs;
import com.pulumi.kubernetes.meta.v1.inputs.ObjectMetaArgs;
import com.pulumi.kubernetes.rbac.v1.Role;
import com.pulumi.kubernetes.rbac.v1.RoleArgs;
import com.pulumi.kubernetes.rbac.v1.RoleBinding;
import com.pulumi.kubernetes.rbac.v1.RoleBindingArgs;
import com.pulumi.kubernetes.rbac.v1.inputs.PolicyRuleArgs;
import com.pulumi.kubernetes.rbac.v1.inputs.RoleRefArgs;
import com.pulumi.kubernetes.rbac.v1.inputs.SubjectArgs;
import com.pulumi.resources.ComponentResource;
import com.pulumi.resources.ComponentResourceOptions;
import com.pulumi.resources.CustomResourceOptions;
import com.pulumi.resources.Resource;
import dev.dataplatform.access.AccessModel;
import dev.dataplatform.access.DatabaseModel;
import dev.dataplatform.access.Login;
import dev.dataplatform.access.Names;
import dev.dataplatform.access.PgstacMigration;
import dev.dataplatform.access.SqlScript;
import dev.dataplatform.core.Environment;
import dev.dataplatform.kubernetes.ObjectLabels;
import dev.dataplatform.kubernetes.PodValues;
import dev.dataplatform.kubernetes.WorkloadIdentity;
import dev.dataplatform.kubernetes.WorkloadNamespace;
import dev.dataplatform.kubernetes.crd.JobSpec;
import dev.dataplatform.kubernetes.crd.CrdKind;
import dev.dataplatform.kubernetes.crd.CrdSpec;
import dev.dataplatform.kubernetes.crd.ExternalSecrets;
import dev.dataplatform.kubernetes.crd.ExternalSecrets.DataFrom;
import dev.dataplatform.kubernetes.crd.ExternalSecrets.ExternalSecretSpec;
import dev.dataplatform.kubernetes.crd.ExternalSecrets.GeneratorRef;
import dev.dataplatform.kubernetes.crd.ExternalSecrets.PasswordSpec;
import dev.dataplatform.kubernetes.crd.ExternalSecrets.SourceRef;
import dev.dataplatform.kubernetes.crd.ExternalSecrets.Target;
import dev.dataplatform.kubernetes.crd.ExternalSecrets.Template;
import dev.dataplatform.kubernetes.crd.KubernetesCustomResource;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The platform's stateful services inside a laptop cluster (kind, k3d, minikube), for the {@code local} stack:
 * <ul>
 *   <li>PostgreSQL 15 with PostGIS as a StatefulSet (the {@code postgis/postgis} image, run as its postgres user
 *   999 with TLS from a self-signed certificate made at start, {@code hostssl} only), Service {@code postgis};</li>
 *   <li>the access model applied in the cluster by a Job that runs the script {@code access-sql} renders
 *   ({@link SqlScript}) plus each login's generated password, named after the script's hash so a changed script
 *   runs again; a PostGIS smoke Job ({@code SELECT PostGIS_Full_Version()});</li>
 *   <li>MinIO as a StatefulSet, Service {@code minio}, and an idempotent {@code mc} Job creating the raw (object
 *   lock), curated and warehouse buckets;</li>
 *   <li>every credential generated in the cluster by External Secrets' Password generator (once:
 *   {@code refreshInterval: 0s}), never in config, and a ClusterSecretStore {@value #CREDENTIALS_STORE} (the
 *   Kubernetes provider, read-only on the login Secrets and, when the Iceberg catalog needs them, MinIO's credentials)
 *   through which other namespaces' components fetch them
 *   as they fetch a cloud secret manager's.</li>
 * </ul>
 * The namespace enforces Pod Security restricted and denies all traffic but what is allowed below; nothing is
 * exposed outside the cluster (reach it with {@code kubectl port-forward}).
 */
public final class LocalServices extends ComponentResource {
    public static final String TYPE = "dataplatform:local:Services";

    /** postgis/postgis at PostgreSQL 15 / PostGIS 3.5 (docker-postgis 15-3.5: postgres:15-bullseye, PostGIS 3.5.2). */
    public static final String POSTGIS_IMAGE = "postgis/postgis:15-3.5";
    /** The postgres user of the image (docker-library/postgres: useradd --uid=999, groupadd --gid=999). */
    public static final int POSTGRES_UID = 999;
    public static final String MINIO_IMAGE = "quay.io/minio/minio:RELEASE.2025-09-07T16-13-09Z";
    public static final String MC_IMAGE = "quay.io/minio/mc:RELEASE.2025-08-13T08-35-41Z";
    public static final int MINIO_UID = 1000;

    public static final String POSTGRES_SERVICE = "postgis";
    public static final int POSTGRES_PORT = 5432;
    public static final String MINIO_SERVICE = "minio";
    public static final int MINIO_API_PORT = 9000;
    public static final int MINIO_CONSOLE_PORT = 9001;
    /** The Iceberg warehouse's bucket. */
    public static final String WAREHOUSE_BUCKET = "warehouse";
    public static final List<String> BUCKETS = List.of("raw", "curated", WAREHOUSE_BUCKET);
    /** The raw bucket keeps evidence: created with object lock (which turns on versioning). */
    public static final String LOCKED_BUCKET = "raw";

    /** The ClusterSecretStore other namespaces read the generated login passwords through. */
    public static final String CREDENTIALS_STORE = "local-credentials";
    /** Secret {@value} key {@value #SUPERUSER_PASSWORD_KEY}: the postgres superuser's password (named like StackGres's). */
    public static final String SUPERUSER_SECRET = POSTGRES_SERVICE;
    public static final String SUPERUSER_PASSWORD_KEY = "superuser-password";
    public static final String MINIO_SECRET = "minio-root";
    /** mc's alias {@code local} as an environment variable (mc: cmd/config.go mcEnvHostPrefix "MC_HOST_"). */
    static final String MC_HOST_KEY = "MC_HOST_local";
    /** MinIO's root user name (not a secret; its password is generated). */
    public static final String MINIO_ROOT_USER = "platform-admin";
    static final String GENERATOR = "local-password";
    static final String READER_ACCOUNT = "credentials-reader";
    static final CrdKind STATEFUL_SET = new CrdKind("apps/v1", "StatefulSet");

    /** MinIO's access key and secret key as remote keys of {@value #CREDENTIALS_STORE} (when shared). */
    public static final String S3_ACCESS_KEY_REF = MINIO_SECRET + "#MINIO_ROOT_USER";
    public static final String S3_SECRET_KEY_REF = MINIO_SECRET + "#MINIO_ROOT_PASSWORD";

    /** PostgreSQL's in-cluster host name (port {@value #POSTGRES_PORT}, TLS required). */
    public static String postgresHost(String namespace) {
        return POSTGRES_SERVICE + "." + namespace + ".svc.cluster.local";
    }

    /** MinIO's in-cluster S3 API URL (path-style addressing). */
    public static String s3Endpoint(String namespace) {
        return "http://" + MINIO_SERVICE + "." + namespace + ".svc.cluster.local:" + MINIO_API_PORT;
    }

    /** Secret holding a login's generated password (key {@code password}). */
    public static String loginSecret(String login) {
        return "login-" + login.replace('_', '-');
    }

    /** The remote key of a login's password in {@link #CREDENTIALS_STORE}: Secret and key ({@code name#key}). */
    public static String loginPasswordRef(String login) {
        return loginSecret(login) + "#password";
    }

    /** The script's short hash: the access Job's name changes when the script does (a Job's template is immutable). */
    public static String hash(String text) {
        try {
            var digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, 10);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * @param namespace          PostgreSQL's and MinIO's namespace
     * @param podCidr            the cluster's pod range (clients' egress goes there; the pods' addresses are not known)
     * @param clientNamespaces   namespaces whose pods may reach PostgreSQL and MinIO
     * @param databases          the access model's databases and logins
     * @param shareS3Credentials whether {@value #CREDENTIALS_STORE} also serves MinIO's credentials
     *                           ({@link #S3_ACCESS_KEY_REF}, {@link #S3_SECRET_KEY_REF}: the Iceberg catalog signs with them)
     */
    public record Args(Environment environment, String namespace, String podCidr, int postgresStorageGiB,
                       int minioStorageGiB, List<DatabaseModel> databases, List<String> clientNamespaces,
                       Map<String, String> labels, boolean shareS3Credentials) {
        /** Without an S3 client that needs MinIO's credentials. */
        public Args(Environment environment, String namespace, String podCidr, int postgresStorageGiB, int minioStorageGiB,
                    List<DatabaseModel> databases, List<String> clientNamespaces, Map<String, String> labels) {
            this(environment, namespace, podCidr, postgresStorageGiB, minioStorageGiB, databases, clientNamespaces, labels, false);
        }

        public Args {
            Objects.requireNonNull(environment, "environment");
            Objects.requireNonNull(namespace, "namespace");
            Objects.requireNonNull(podCidr, "podCidr");
            databases = List.copyOf(databases);
            clientNamespaces = List.copyOf(clientNamespaces);
            labels = labels == null ? Map.of() : Map.copyOf(labels);
            new AccessModel(databases); // refuses an inconsistent model before anything is declared
        }

        public List<String> logins() {
            return databases.stream().flatMap(d -> d.logins().stream()).map(Login::name).distinct().sorted().toList();
        }
    }

    /** In-cluster address of PostgreSQL and of MinIO's S3 API. */
    public final Output<String> postgresHost;
    public final Output<String> s3Endpoint;
    /** The access Job's name (changes with the script). */
    public final Output<String> accessJob;
    /** The resources a client of PostgreSQL waits for: the server and the access Job. */
    public final List<Resource> ready;

    public LocalServices(String name, Args args, ComponentResourceOptions options) {
        super(TYPE, name, options);
        String ns = args.namespace();
        var labels = ObjectLabels.of(args.labels(), args.environment());
        // No cloud identity on a local cluster: the block adds DNS and no metadata egress.
        var namespace = WorkloadNamespace.builder(this, name, ns).component("local").labels(labels).build();
        namespace.allowWithinNamespace();
        if (!args.clientNamespaces().isEmpty()) {
            namespace.allowIngressFrom("allow-clients", args.clientNamespaces(), List.of(POSTGRES_PORT, MINIO_API_PORT));
        }
        var inNamespace = CustomResourceOptions.builder().parent(this).dependsOn(namespace.namespace()).build();

        // Credentials: generated once in the cluster; Pulumi never sees them.
        var generator = new KubernetesCustomResource(name + "-password-generator",
                meta(GENERATOR, ns, labels), new PasswordSpec(32, 8, 0, false, true), inNamespace);
        var afterGenerator = CustomResourceOptions.builder().parent(this).dependsOn(namespace.namespace(), generator).build();
        var secrets = new ArrayList<Resource>();
        secrets.add(generated(name + "-superuser", SUPERUSER_SECRET, ns, labels,
                Map.of(SUPERUSER_PASSWORD_KEY, "{{ .password }}"), afterGenerator));
        for (String login : args.logins()) {
            secrets.add(generated(name + "-login-" + login, loginSecret(login), ns, labels,
                    Map.of("password", "{{ .password }}"), afterGenerator));
        }
        var minioSecret = generated(name + "-minio-root", MINIO_SECRET, ns, labels,
                Map.of("MINIO_ROOT_USER", MINIO_ROOT_USER, "MINIO_ROOT_PASSWORD", "{{ .password }}",
                        // mc's alias from the environment (MC_HOST_<alias>); the generator makes no URL-unsafe symbols.
                        MC_HOST_KEY, "http://" + MINIO_ROOT_USER + ":{{ .password }}@" + MINIO_SERVICE + ":" + MINIO_API_PORT),
                afterGenerator);
        credentialsStore(name, args, namespace, labels, inNamespace);

        // PostgreSQL + PostGIS.
        var hba = new ConfigMap(name + "-postgis-hba", ConfigMapArgs.builder()
                .metadata(meta("postgis-hba", ns, labels))
                .data(Map.of("pg_hba.conf", PG_HBA))
                .build(), inNamespace);
        var postgresLabels = selector("postgis");
        var postgres = new KubernetesCustomResource(name + "-postgis", meta(POSTGRES_SERVICE, ns, labels),
                new StatefulSetSpec(POSTGRES_SERVICE, 1, Map.<String, Object>of("matchLabels", postgresLabels),
                        template(merged(labels, postgresLabels), postgresPod()),
                        List.of(claim("data", args.postgresStorageGiB()))),
                CustomResourceOptions.builder().parent(this).dependsOn(concat(secrets, List.of(hba))).build());
        var postgresService = service(name + "-postgis-service", POSTGRES_SERVICE, ns, labels, postgresLabels,
                Map.of("postgres", POSTGRES_PORT), inNamespace);

        String script = accessScript(args.databases());
        String jobHash = hash(script);
        var scriptMap = new ConfigMap(name + "-access-script", ConfigMapArgs.builder()
                .metadata(meta("postgis-access-" + jobHash, ns, labels))
                .data(Map.of("access.sql", script))
                .immutable(true)
                .build(), inNamespace);
        var afterServer = CustomResourceOptions.builder().parent(this)
                .dependsOn(postgres, postgresService, scriptMap).build();
        String accessJobName = "postgis-access-" + jobHash;
        var access = new KubernetesCustomResource(name + "-access", meta(accessJobName, ns, labels),
                new JobSpec(6, PgstacMigration.DEADLINE_SECONDS, PgstacMigration.TTL_SECONDS, template(merged(labels, selector("postgis-access")),
                        accessPod(args.logins(), "postgis-access-" + jobHash))), afterServer);
        var smokeDatabases = smokeDatabases(args.databases());
        new KubernetesCustomResource(name + "-postgis-smoke", meta("postgis-smoke-" + hash(String.join(",", smokeDatabases) + jobHash), ns, labels),
                new JobSpec(6, PgstacMigration.DEADLINE_SECONDS, PgstacMigration.TTL_SECONDS, template(merged(labels, selector("postgis-smoke")), smokePod(smokeDatabases))),
                CustomResourceOptions.builder().parent(this).dependsOn(access).build());

        // MinIO and its buckets.
        var minioLabels = selector("minio");
        var minio = new KubernetesCustomResource(name + "-minio", meta(MINIO_SERVICE, ns, labels),
                new StatefulSetSpec(MINIO_SERVICE, 1, Map.<String, Object>of("matchLabels", minioLabels),
                        template(merged(labels, minioLabels), minioPod()), List.of(claim("data", args.minioStorageGiB()))),
                CustomResourceOptions.builder().parent(this).dependsOn(minioSecret).build());
        var minioService = service(name + "-minio-service", MINIO_SERVICE, ns, labels, minioLabels,
                Map.of("api", MINIO_API_PORT, "console", MINIO_CONSOLE_PORT), inNamespace);
        new KubernetesCustomResource(name + "-buckets", meta("minio-buckets", ns, labels),
                new JobSpec(6, PgstacMigration.DEADLINE_SECONDS, PgstacMigration.TTL_SECONDS, template(merged(labels, selector("minio-buckets")), bucketsPod())),
                CustomResourceOptions.builder().parent(this).dependsOn(minio, minioService).build());

        this.postgresHost = Output.of(postgresHost(ns));
        this.s3Endpoint = Output.of(s3Endpoint(ns));
        this.accessJob = Output.of(accessJobName);
        this.ready = List.of(postgres, postgresService, access);
        var outputs = new LinkedHashMap<String, Output<?>>();
        outputs.put("postgresHost", postgresHost);
        outputs.put("s3Endpoint", s3Endpoint);
        outputs.put("accessJob", accessJob);
        registerOutputs(outputs);
    }

    /**
     * Only TLS connections over the network (scram-sha-256); the Unix socket stays trusted for the image's own
     * init scripts, which run over it before the server listens (docker-entrypoint.sh: listen_addresses='').
     */
    static final String PG_HBA = """
            local all all trust
            hostssl all all all scram-sha-256
            """;

    /** The access model's script, then each login's password from its generated Secret (psql 15's \\getenv). */
    public static String accessScript(List<DatabaseModel> databases) {
        var sql = new StringBuilder(SqlScript.render(new AccessModel(databases)));
        sql.append("\n-- Login passwords, generated in the cluster (environment variables of the Job).\n");
        var logins = databases.stream().flatMap(d -> d.logins().stream()).map(Login::name).distinct().sorted().toList();
        for (int i = 0; i < logins.size(); i++) {
            sql.append("\\getenv login_password ").append(passwordVariable(i)).append('\n');
            sql.append("ALTER ROLE ").append(Names.quote(logins.get(i))).append(" WITH PASSWORD :'login_password';\n");
        }
        return sql.toString();
    }

    static String passwordVariable(int index) {
        return "LOGIN_PASSWORD_" + index;
    }

    /** The smoke check's statement. */
    public static final String SMOKE_SQL = "SELECT PostGIS_Full_Version();";

    /** Databases with PostGIS (declared, or required by pgSTAC), and postgres (the image loads PostGIS there). */
    public static List<String> smokeDatabases(List<DatabaseModel> databases) {
        var names = new ArrayList<String>();
        names.add("postgres");
        databases.stream().filter(d -> d.allExtensions().contains("postgis")).map(DatabaseModel::name).forEach(names::add);
        return List.copyOf(names);
    }

    // --- pods -------------------------------------------------------------------------------------------------

    private static Map<String, Object> postgresPod() {
        var pod = new LinkedHashMap<String, Object>();
        pod.put("automountServiceAccountToken", false);
        pod.put("securityContext", podSecurity(POSTGRES_UID));
        pod.put("initContainers", List.of(container("tls", POSTGIS_IMAGE, POSTGRES_UID, List.of("sh", "-ec",
                        // A self-signed certificate per start: clients use sslmode=require (encrypted, not verified).
                        "openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj /CN=" + POSTGRES_SERVICE
                                + " -keyout /tls/tls.key -out /tls/tls.crt && chmod 0600 /tls/tls.key"),
                List.of(), resources("50m", "200m", "64Mi"), List.of(mount("tls", "/tls"), mount("tmp", "/tmp")))));
        var postgres = container("postgres", POSTGIS_IMAGE, POSTGRES_UID, null, List.of(
                        Map.of("name", "POSTGRES_PASSWORD", "valueFrom", secretRef(SUPERUSER_SECRET, SUPERUSER_PASSWORD_KEY)),
                        // A directory under the mount: initdb refuses a non-empty mount point (lost+found).
                        Map.of("name", "PGDATA", "value", "/var/lib/postgresql/data/pgdata")),
                resources("250m", "1", "1Gi"), List.of(mount("data", "/var/lib/postgresql/data"), mount("tls", "/tls"),
                        mount("hba", "/etc/postgresql-hba"), mount("run", "/var/run/postgresql"), mount("tmp", "/tmp")));
        postgres.put("args", List.of("postgres", "-c", "ssl=on", "-c", "ssl_cert_file=/tls/tls.crt", "-c",
                "ssl_key_file=/tls/tls.key", "-c", "hba_file=/etc/postgresql-hba/pg_hba.conf"));
        postgres.put("ports", List.of(Map.of("name", "postgres", "containerPort", POSTGRES_PORT, "protocol", "TCP")));
        var ready = List.of("pg_isready", "-h", "127.0.0.1", "-p", Integer.toString(POSTGRES_PORT), "-U", "postgres");
        postgres.put("readinessProbe", Map.of("exec", Map.of("command", ready), "periodSeconds", 5, "failureThreshold", 6));
        postgres.put("livenessProbe", Map.of("exec", Map.of("command", ready), "initialDelaySeconds", 30,
                "periodSeconds", 10, "failureThreshold", 6));
        pod.put("containers", List.of(postgres));
        pod.put("volumes", List.of(emptyDir("tls"), emptyDir("run"), emptyDir("tmp"),
                Map.of("name", "hba", "configMap", Map.of("name", "postgis-hba"))));
        return pod;
    }

    /** psql as the superuser over TLS; the login passwords come from their Secrets as environment variables. */
    private static Map<String, Object> accessPod(List<String> logins, String scriptConfigMap) {
        var env = new ArrayList<Object>(postgresClientEnv());
        for (int i = 0; i < logins.size(); i++) {
            env.add(Map.of("name", passwordVariable(i), "valueFrom", secretRef(loginSecret(logins.get(i)), "password")));
        }
        var psql = container("access", POSTGIS_IMAGE, POSTGRES_UID,
                List.of("psql", "-v", "ON_ERROR_STOP=1", "-d", "postgres", "-f", "/script/access.sql"), env,
                resources("50m", "500m", "128Mi"), List.of(mount("script", "/script"), mount("tmp", "/tmp")));
        return jobPod(POSTGRES_UID, psql, List.of(emptyDir("tmp"),
                Map.of("name", "script", "configMap", Map.of("name", scriptConfigMap))));
    }

    private static Map<String, Object> smokePod(List<String> databases) {
        // Positional parameters carry the names: no quoting inside the shell script.
        var command = new ArrayList<>(List.of("sh", "-ec",
                "for db in \"$@\"; do psql -v ON_ERROR_STOP=1 -d \"$db\" -tAc '" + SMOKE_SQL + "'; done", "smoke"));
        command.addAll(databases);
        var psql = container("smoke", POSTGIS_IMAGE, POSTGRES_UID, command, postgresClientEnv(),
                resources("50m", "200m", "64Mi"), List.of(mount("tmp", "/tmp")));
        return jobPod(POSTGRES_UID, psql, List.of(emptyDir("tmp")));
    }

    private static List<Object> postgresClientEnv() {
        return List.of(
                Map.of("name", "PGHOST", "value", POSTGRES_SERVICE),
                Map.of("name", "PGPORT", "value", Integer.toString(POSTGRES_PORT)),
                Map.of("name", "PGUSER", "value", "postgres"),
                Map.of("name", "PGSSLMODE", "value", "require"),
                Map.of("name", "PGPASSWORD", "valueFrom", secretRef(SUPERUSER_SECRET, SUPERUSER_PASSWORD_KEY)));
    }

    private static Map<String, Object> minioPod() {
        var pod = new LinkedHashMap<String, Object>();
        pod.put("automountServiceAccountToken", false);
        pod.put("securityContext", podSecurity(MINIO_UID));
        var minio = container("minio", MINIO_IMAGE, MINIO_UID, null, List.of(
                        Map.of("name", "MINIO_ROOT_USER", "valueFrom", secretRef(MINIO_SECRET, "MINIO_ROOT_USER")),
                        Map.of("name", "MINIO_ROOT_PASSWORD", "valueFrom", secretRef(MINIO_SECRET, "MINIO_ROOT_PASSWORD")),
                        Map.of("name", "HOME", "value", "/tmp")),
                resources("100m", "1", "1Gi"), List.of(mount("data", "/data"), mount("tmp", "/tmp")));
        minio.put("args", List.of("server", "/data", "--console-address", ":" + MINIO_CONSOLE_PORT));
        minio.put("ports", List.of(Map.of("name", "api", "containerPort", MINIO_API_PORT, "protocol", "TCP"),
                Map.of("name", "console", "containerPort", MINIO_CONSOLE_PORT, "protocol", "TCP")));
        minio.put("readinessProbe", Map.of("httpGet", Map.of("path", "/minio/health/ready", "port", MINIO_API_PORT),
                "periodSeconds", 5));
        minio.put("livenessProbe", Map.of("httpGet", Map.of("path", "/minio/health/live", "port", MINIO_API_PORT),
                "initialDelaySeconds", 20, "periodSeconds", 10));
        pod.put("containers", List.of(minio));
        pod.put("volumes", List.of(emptyDir("tmp")));
        return pod;
    }

    /**
     * {@code mc mb --ignore-existing} per bucket (idempotent), one init container each, then a listing. The image's
     * entrypoint is mc (no shell needed): the alias {@code local} comes from MC_HOST_local, a key of the generated Secret.
     */
    private static Map<String, Object> bucketsPod() {
        var env = List.<Object>of(Map.of("name", MC_HOST_KEY, "valueFrom", secretRef(MINIO_SECRET, MC_HOST_KEY)));
        var init = new ArrayList<Object>();
        for (String bucket : BUCKETS) {
            var args = new ArrayList<>(List.of("--config-dir", "/tmp/.mc", "mb", "--ignore-existing"));
            if (bucket.equals(LOCKED_BUCKET)) {
                args.add("--with-lock");
            }
            args.add("local/" + bucket);
            var c = container("mb-" + bucket, MC_IMAGE, MINIO_UID, null, env, resources("10m", "200m", "64Mi"),
                    List.of(mount("tmp", "/tmp")));
            c.put("args", args);
            init.add(c);
        }
        var list = container("ls", MC_IMAGE, MINIO_UID, null, env, resources("10m", "200m", "64Mi"), List.of(mount("tmp", "/tmp")));
        list.put("args", List.of("--config-dir", "/tmp/.mc", "ls", "local"));
        var pod = jobPod(MINIO_UID, list, List.of(emptyDir("tmp")));
        pod.put("initContainers", init);
        return pod;
    }

    private static Map<String, Object> jobPod(int uid, Map<String, Object> container, List<Object> volumes) {
        var pod = new LinkedHashMap<String, Object>();
        pod.put("restartPolicy", "Never");
        pod.put("automountServiceAccountToken", false);
        pod.put("securityContext", podSecurity(uid));
        pod.put("containers", List.of(container));
        pod.put("volumes", volumes);
        return pod;
    }

    private static Map<String, Object> podSecurity(int uid) {
        return Map.of("runAsNonRoot", true, "runAsUser", uid, "runAsGroup", uid, "fsGroup", uid,
                "seccompProfile", Map.of("type", "RuntimeDefault"));
    }

    /** Restricted, read-only root filesystem (writable paths are volumes). */
    private static Map<String, Object> container(String name, String image, int uid, List<String> command, List<Object> env,
                                                 Map<String, Object> resources, List<Object> mounts) {
        var c = new LinkedHashMap<String, Object>();
        c.put("name", name);
        c.put("image", image);
        if (command != null) {
            c.put("command", command);
        }
        if (!env.isEmpty()) {
            c.put("env", env);
        }
        c.put("resources", resources);
        c.put("securityContext", PodValues.restrictedContainerSecurity(uid, true));
        c.put("volumeMounts", mounts);
        return c;
    }

    private static Map<String, Object> resources(String cpuRequest, String cpuLimit, String memory) {
        return Map.of("requests", Map.of("cpu", cpuRequest, "memory", memory), "limits", Map.of("cpu", cpuLimit, "memory", memory));
    }

    private static Map<String, Object> mount(String name, String path) {
        return Map.of("name", name, "mountPath", path);
    }

    private static Map<String, Object> emptyDir(String name) {
        return Map.of("name", name, "emptyDir", Map.of("sizeLimit", "256Mi"));
    }

    private static Map<String, Object> secretRef(String secret, String key) {
        return Map.of("secretKeyRef", Map.of("name", secret, "key", key));
    }

    private static Map<String, Object> claim(String name, int gib) {
        return Map.of("metadata", Map.of("name", name), "spec", Map.of("accessModes", List.of("ReadWriteOnce"),
                "resources", Map.of("requests", Map.of("storage", gib + "Gi"))));
    }

    private static Map<String, Object> template(Map<String, String> labels, Map<String, Object> pod) {
        return Map.of("metadata", Map.of("labels", labels), "spec", pod);
    }

    private static Map<String, String> selector(String app) {
        return Map.of("app.kubernetes.io/name", app);
    }

    private static Map<String, String> merged(Map<String, String> a, Map<String, String> b) {
        var m = new TreeMap<>(a);
        m.putAll(b);
        return m;
    }

    private static List<Resource> concat(List<Resource> a, List<Resource> b) {
        var l = new ArrayList<>(a);
        l.addAll(b);
        return l;
    }

    private static ObjectMetaArgs meta(String name, String ns, Map<String, String> labels) {
        return ObjectMetaArgs.builder().name(name).namespace(ns).labels(labels).build();
    }

    // --- credentials -------------------------------------------------------------------------------------------

    /** A Secret External Secrets generates once ({@code refreshInterval: 0s}) from the Password generator. */
    private KubernetesCustomResource generated(String resourceName, String secret, String ns, Map<String, String> labels,
                                               Map<String, String> data, CustomResourceOptions options) {
        return new KubernetesCustomResource(resourceName, meta(secret, ns, labels),
                new ExternalSecretSpec("0s", null, new Target(secret, "Owner", new Template("v2", new TreeMap<>(data))), null,
                        List.of(new DataFrom(new SourceRef(new GeneratorRef(ExternalSecrets.PASSWORD.apiVersion(),
                                ExternalSecrets.PASSWORD.kind(), GENERATOR))))), options);
    }

    /**
     * ClusterSecretStore {@value #CREDENTIALS_STORE}: External Secrets' Kubernetes provider reading this namespace's
     * login Secrets (only those: the Role names them) as ServiceAccount {@value #READER_ACCOUNT}.
     */
    private void credentialsStore(String name, Args args, WorkloadNamespace namespace, Map<String, String> labels,
                                  CustomResourceOptions inNamespace) {
        String ns = args.namespace();
        var account = namespace.serviceAccount(name + "-credentials-reader", READER_ACCOUNT, labels, WorkloadIdentity.none(), false);
        var secretNames = new ArrayList<>(args.logins().stream().map(LocalServices::loginSecret).toList());
        if (args.shareS3Credentials()) {
            secretNames.add(MINIO_SECRET);
        }
        var role = new Role(name + "-credentials-reader-role", RoleArgs.builder()
                .metadata(meta(READER_ACCOUNT, ns, labels))
                .rules(PolicyRuleArgs.builder().apiGroups("").resources("secrets").resourceNames(secretNames)
                        .verbs("get").build())
                .build(), inNamespace);
        var binding = new RoleBinding(name + "-credentials-reader-binding", RoleBindingArgs.builder()
                .metadata(meta(READER_ACCOUNT, ns, labels))
                .roleRef(RoleRefArgs.builder().apiGroup("rbac.authorization.k8s.io").kind("Role").name(READER_ACCOUNT).build())
                .subjects(SubjectArgs.builder().kind("ServiceAccount").name(READER_ACCOUNT).namespace(ns).build())
                .build(), inNamespace);
        new KubernetesCustomResource(name + "-credentials-store",
                ObjectMetaArgs.builder().name(CREDENTIALS_STORE).labels(labels).build(),
                new KubernetesStoreSpec(Map.of("kubernetes", Map.of(
                        "remoteNamespace", ns,
                        "server", Map.of("url", "https://kubernetes.default.svc",
                                "caProvider", Map.of("type", "ConfigMap", "name", "kube-root-ca.crt", "key", "ca.crt",
                                        "namespace", ns)),
                        "auth", Map.of("serviceAccount", Map.of("name", READER_ACCOUNT, "namespace", ns))))),
                CustomResourceOptions.builder().parent(this).dependsOn(account, role, binding).build());
    }

    private static Service service(String resourceName, String serviceName, String ns, Map<String, String> labels,
                                   Map<String, String> selector, Map<String, Integer> ports, CustomResourceOptions options) {
        var portArgs = ports.entrySet().stream().map(e -> ServicePortArgs.builder().name(e.getKey()).port(e.getValue())
                .targetPort(e.getValue()).protocol("TCP").build()).toList();
        return new Service(resourceName, ServiceArgs.builder()
                .metadata(meta(serviceName, ns, labels))
                .spec(ServiceSpecArgs.builder().type("ClusterIP").selector(selector).ports(portArgs).build())
                .build(), options);
    }

    /** apps/v1 StatefulSet through the generic base: the pod template is a plain map. */
    public record StatefulSetSpec(String serviceName, Integer replicas, Map<String, Object> selector,
                                  Map<String, Object> template, List<Map<String, Object>> volumeClaimTemplates) implements CrdSpec {
        @Override
        public CrdKind kind() {
            return STATEFUL_SET;
        }
    }

    /** external-secrets.io/v1 ClusterSecretStore with the Kubernetes provider. */
    public record KubernetesStoreSpec(Map<String, Object> provider) implements CrdSpec {
        public static final CrdKind KIND = new CrdKind("external-secrets.io/v1", "ClusterSecretStore");

        @Override
        public CrdKind kind() {
            return KIND;
        }
    }
}
