package dev.dataplatform.iceberg;

import com.pulumi.aws.iam.Role;
import com.pulumi.aws.iam.RoleArgs;
import com.pulumi.aws.iam.RolePolicy;
import com.pulumi.aws.iam.RolePolicyArgs;
import com.pulumi.core.Output;
import com.pulumi.gcp.projects.IAMMember;
import com.pulumi.gcp.projects.IAMMemberArgs;
import com.pulumi.gcp.serviceaccount.Account;
import com.pulumi.gcp.serviceaccount.AccountArgs;
import com.pulumi.gcp.storage.BucketIAMMember;
import com.pulumi.gcp.storage.BucketIAMMemberArgs;
import com.pulumi.kubernetes.core.v1.Service;
import com.pulumi.kubernetes.core.v1.inputs.ServicePortArgs;
import com.pulumi.kubernetes.core.v1.inputs.ServiceSpecArgs;
import com.pulumi.kubernetes.meta.v1.inputs.ObjectMetaArgs;
import com.pulumi.resources.ComponentResource;
import com.pulumi.resources.ComponentResourceOptions;
import com.pulumi.resources.CustomResourceOptions;
import com.pulumi.resources.Resource;
import dev.dataplatform.aws.IamPolicy;
import dev.dataplatform.core.Environment;
import dev.dataplatform.core.Rules;
import dev.dataplatform.gcp.CloudSqlDatabase;
import dev.dataplatform.kubernetes.CloudSqlProxy;
import dev.dataplatform.kubernetes.ObjectLabels;
import dev.dataplatform.kubernetes.PodValues;
import dev.dataplatform.kubernetes.Cluster;
import dev.dataplatform.kubernetes.WorkloadIdentity;
import dev.dataplatform.kubernetes.WorkloadNamespace;
import dev.dataplatform.kubernetes.crd.JobSpec;
import dev.dataplatform.kubernetes.crd.CrdKind;
import dev.dataplatform.kubernetes.crd.CrdSpec;
import dev.dataplatform.kubernetes.crd.ExternalSecrets;
import dev.dataplatform.kubernetes.crd.ExternalSecrets.Data;
import dev.dataplatform.kubernetes.crd.ExternalSecrets.DataFrom;
import dev.dataplatform.kubernetes.crd.ExternalSecrets.ExternalSecretSpec;
import dev.dataplatform.kubernetes.crd.ExternalSecrets.GeneratorRef;
import dev.dataplatform.kubernetes.crd.ExternalSecrets.PasswordSpec;
import dev.dataplatform.kubernetes.crd.ExternalSecrets.RemoteRef;
import dev.dataplatform.kubernetes.crd.ExternalSecrets.SourceRef;
import dev.dataplatform.kubernetes.crd.ExternalSecrets.StoreRef;
import dev.dataplatform.kubernetes.crd.ExternalSecrets.Target;
import dev.dataplatform.kubernetes.crd.ExternalSecrets.Template;
import dev.dataplatform.kubernetes.crd.KubernetesCustomResource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * An Apache Polaris Iceberg REST catalog in its own restricted namespace, typed (no chart: see docs/iceberg-catalog.md):
 * <ul>
 *   <li>persistence in PostgreSQL (Polaris's relational JDBC store) on a database of the stack's Cloud SQL (through the
 *   Auth Proxy native sidecar, as a password login an owner of the database) or RDS (IAM tokens through the Quarkus
 *   RDS credentials provider, IRSA), or on an in-cluster PostgreSQL (the local stack's: directly over TLS as a password
 *   login);</li>
 *   <li>realm bootstrap by the admin tool in a Job on {@code pulumi up}, with root credentials External Secrets
 *   generates once into a Secret it owns (never in config or state); re-runs skip a bootstrapped realm;</li>
 *   <li>storage access through the cloud's workload identity: on AWS an IRSA role for the server that may only assume
 *   the warehouse role (S3 on {@code s3://<bucket>/<catalog>/}), on GCP a Google service account with bucket-scoped
 *   roles on the warehouse bucket; no static keys. On an S3-compatible store (the local stack's MinIO): its endpoint with
 *   path-style access, static credentials External Secrets copies from a secret store (never in config or state), and
 *   the store's own STS for the credentials Polaris vends;</li>
 *   <li>default deny, ingress to {@value PolarisFacts#API_PORT} from the configured namespaces only, egress to DNS,
 *   the database, the cloud APIs (and the GKE metadata server) or the S3-compatible store's endpoint, and the catalog
 *   Job's call to the server inside the namespace; a ClusterIP Service.</li>
 * </ul>
 * Workloads are declared through the generic resource base: the Cloud SQL proxy is a native sidecar
 * ({@code restartPolicy: Always}), which kubernetes 4.0.0's typed ContainerArgs cannot express.
 */
public final class IcebergCatalog extends ComponentResource {
    public static final String TYPE = "dataplatform:iceberg:IcebergCatalog";
    public static final CrdKind DEPLOYMENT = new CrdKind("apps/v1", "Deployment");
    public static final CrdKind JOB = JobSpec.JOB;
    public static final String APP = "polaris";
    public static final String SERVICE_ACCOUNT = "polaris";
    /** Secret (owned by External Secrets) with the realm's root principal: keys {@code client-id}, {@code client-secret}. */
    public static final String ROOT_SECRET = "polaris-root-credentials";
    public static final String ROOT_CLIENT_ID = "root";
    /** Secret (owned by External Secrets) with the token broker's shared symmetric key, mounted as a file. */
    public static final String TOKEN_KEY_SECRET = "polaris-token-key";
    public static final String TOKEN_KEY_FILE = "symmetric.key";
    public static final String TOKEN_KEY_DIR = "/deployments/config/token";
    /** Secret (owned by External Secrets) with the Cloud SQL login's password, key {@code password}. */
    public static final String DATABASE_SECRET = "polaris-database";
    public static final String GENERATOR = "polaris-generated";
    /** The Google service account of the catalog (GCP). */
    public static final String GOOGLE_ACCOUNT_ID = "iceberg-catalog";
    /** GCS: read, write and delete objects of the warehouse bucket, nothing else (bucket-level binding). */
    public static final String GCS_ROLE = "roles/storage.objectUser";
    /** S3 actions of the warehouse role, on the catalog's prefix only. */
    public static final List<String> S3_OBJECT_ACTIONS = List.of("s3:GetObject", "s3:PutObject", "s3:DeleteObject");
    public static final List<String> S3_BUCKET_ACTIONS = List.of("s3:ListBucket", "s3:GetBucketLocation");
    /** Cloud SQL instances take the proxy's mTLS connections here. */
    public static final int CLOUD_SQL_SERVER_PORT = CloudSqlDatabase.CONNECTOR_PORT;
    public static final int RDS_PORT = 5432;
    /**
     * RDS IAM authentication as Polaris documents it for Amazon RDS/Aurora PostgreSQL (relational-jdbc.md @1.7.0; the
     * images carry quarkus-amazon-rds, runtime/common/build.gradle.kts): a credentials provider that signs a fresh
     * token with the pod's AWS identity.
     */
    public static final String RDS_CREDENTIALS_PROVIDER = "aws";

    /**
     * Polaris writes {@code currentKmsKey}/{@code allowedKmsKeys} into the IAM session policy of vended credentials
     * (AwsCredentialsStorageIntegration @1.7.0), where an alias ARN authorizes nothing: a key ARN is needed.
     */
    public static final Pattern KMS_KEY_ARN = Pattern.compile("arn:aws[a-z-]*:kms:[a-z]{2}(-[a-z]+)+-\\d:\\d{12}:key/[A-Za-z0-9-]{1,128}");
    public static final String KMS_KEY_RULE = "a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>), not an alias: "
            + "Polaris puts it in the vended credentials' IAM policy, where an alias grants nothing";
    /** The catalog-creation Job's HTTP client: curl/curl-container's image (Alpine; user curl_user, uid 100, group 101). */
    public static final String CATALOG_CLIENT_IMAGE = "curlimages/curl:8.21.0";
    static final int CATALOG_CLIENT_UID = 100;
    static final int CATALOG_CLIENT_GID = 101;
    /** How long a Job may run before Kubernetes fails it (a pod stuck in CreateContainerConfigError included). */
    public static final int BOOTSTRAP_DEADLINE_SECONDS = 600;
    public static final int CATALOG_DEADLINE_SECONDS = 300;
    /** Finished Jobs stay a day for their logs, then Kubernetes deletes them. */
    public static final int JOB_TTL_SECONDS = 86_400;
    /** Where the bootstrap reads the root credentials from (admin tool {@code bootstrap -f}, RootCredentialsSet.fromUri). */
    static final String CREDENTIALS_DIR = "/credentials";
    static final String CREDENTIALS_FILE = CREDENTIALS_DIR + "/root.yaml";

    public static final Pattern REALM_PATTERN = Pattern.compile("[a-z][a-z0-9-]{0,38}[a-z0-9]");
    public static final Pattern CATALOG_PATTERN = Pattern.compile("[a-z][a-z0-9_-]{0,38}[a-z0-9]");

    /** Which database server holds Polaris's store. */
    public enum Server {
        CLOUD_SQL, RDS,
        /** An in-cluster PostgreSQL (the local stack's), reached directly over TLS with a password login. */
        LOCAL
    }

    /** Which cloud (or S3-compatible store) holds the warehouse bucket. */
    public enum Cloud {
        AWS, GCP,
        /**
         * An S3-compatible store reached at an explicit endpoint with path-style access (the local stack's MinIO), with
         * static credentials from a secret store; Polaris vends subscoped credentials through the store's STS.
         */
        S3_COMPATIBLE
    }

    /** MinIO accepts any signing region when none is configured; the AWS SDK inside Polaris needs one. */
    public static final String S3_COMPATIBLE_REGION = "us-east-1";
    /** Secret (owned by External Secrets) with the S3-compatible store's static credentials, keys as the AWS SDK reads them. */
    public static final String STORAGE_SECRET = "polaris-storage";
    public static final String ACCESS_KEY_ENV = "AWS_ACCESS_KEY_ID";
    public static final String SECRET_KEY_ENV = "AWS_SECRET_ACCESS_KEY";
    /** A direct (local) PostgreSQL listens here. */
    public static final int LOCAL_POSTGRES_PORT = 5432;

    /**
     * Polaris's database. Cloud SQL: reached through the Auth Proxy at 127.0.0.1 as a password login (the password is
     * in {@code passwordStore}/{@code passwordKey}; a DBA sets it). RDS: reached directly with IAM tokens. Local: an
     * in-cluster PostgreSQL at {@code address}:{@value #LOCAL_POSTGRES_PORT} over TLS ({@code sslmode=require}), a password
     * login whose password External Secrets copies from {@code passwordStore}/{@code passwordKey}.
     *
     * @param connectionName Cloud SQL: the instance connection name (project:region:instance); null otherwise
     * @param address      RDS: the instance address (known at deployment); local: the server's host name; null on Cloud SQL
     * @param cidr         where egress to the server may go (Cloud SQL: the private IP /32; local: the cluster's pod range)
     * @param rdsResourceId RDS: the instance's resource id (for {@code rds-db:connect}); null otherwise
     */
    public record Database(Server server, String connectionName, Output<String> address, Output<String> cidr, String name, String login,
                           String passwordStore, String passwordKey, Output<String> rdsResourceId) {
        public Database {
            Objects.requireNonNull(server, "database server");
            if (server == Server.CLOUD_SQL) {
                CloudSqlProxy.args(connectionName, false);
            } else {
                Objects.requireNonNull(address, "database address");
            }
            if (server == Server.LOCAL && (passwordStore == null || passwordKey == null || rdsResourceId != null)) {
                throw new IllegalArgumentException("iceberg catalog on a local PostgreSQL: a password login needs passwordStore "
                        + "and passwordKey, and no rdsResourceId");
            }
            Objects.requireNonNull(cidr, "database cidr");
            Objects.requireNonNull(name, "database name");
            Objects.requireNonNull(login, "database login");
            if (server == Server.CLOUD_SQL && (passwordStore == null || passwordKey == null)) {
                throw new IllegalArgumentException("iceberg catalog on Cloud SQL: a password login needs passwordStore and passwordKey");
            }
            if (server == Server.RDS && (passwordStore != null || passwordKey != null)) {
                throw new IllegalArgumentException("iceberg catalog on RDS: logins use IAM tokens, no password store");
            }
            if (server == Server.RDS) {
                Objects.requireNonNull(rdsResourceId, "rdsResourceId");
            }
        }
    }

    /**
     * The warehouse bucket and the cloud identity that reaches it.
     *
     * @param project      GCP: the project of the Google service account and Cloud SQL client role
     * @param awsAccountId AWS: the account of the roles and the cluster's OIDC provider
     * @param awsRegion    AWS: the region of STS and S3 (and RDS tokens); S3-compatible: the signing region
     * @param oidcProvider AWS: the EKS cluster's OIDC issuer (host/path), trusted by the server's role
     * @param kmsKeyArn    AWS: the bucket's customer-managed KMS key (a key ARN); null under the AWS-managed key aws/s3
     * @param endpoint     S3-compatible: the S3 API's URL (http or https, host, optional port), for Polaris and its clients
     * @param endpointCidr S3-compatible: where egress to the endpoint may go (the cluster's pod range for an in-cluster store)
     * @param credentials  S3-compatible: where Polaris's static credentials are (never in config or state)
     */
    public record Warehouse(Cloud cloud, String bucket, String project, String awsAccountId, String awsRegion,
                            String oidcProvider, String kmsKeyArn, String endpoint, String endpointCidr,
                            StaticCredentials credentials) {
        /** A warehouse without a customer-managed key (GCS, or S3 under the AWS-managed key aws/s3). */
        public Warehouse(Cloud cloud, String bucket, String project, String awsAccountId, String awsRegion, String oidcProvider) {
            this(cloud, bucket, project, awsAccountId, awsRegion, oidcProvider, null);
        }

        /** A GCS or S3 warehouse. */
        public Warehouse(Cloud cloud, String bucket, String project, String awsAccountId, String awsRegion, String oidcProvider,
                         String kmsKeyArn) {
            this(cloud, bucket, project, awsAccountId, awsRegion, oidcProvider, kmsKeyArn, null, null, null);
        }

        /** A bucket of an S3-compatible store (MinIO) at {@code endpoint}, path-style, with static credentials. */
        public static Warehouse s3Compatible(String bucket, String endpoint, String endpointCidr, StaticCredentials credentials) {
            return new Warehouse(Cloud.S3_COMPATIBLE, bucket, null, null, S3_COMPATIBLE_REGION, null, null, endpoint,
                    endpointCidr, credentials);
        }

        public Warehouse {
            if (kmsKeyArn != null && (cloud != Cloud.AWS || !KMS_KEY_ARN.matcher(kmsKeyArn).matches())) {
                throw new IllegalArgumentException("iceberg catalog: kmsKeyArn '" + kmsKeyArn + "' is not valid; allowed: "
                        + KMS_KEY_RULE);
            }
            Objects.requireNonNull(cloud, "warehouse cloud");
            Objects.requireNonNull(bucket, "warehouse bucket");
            if (cloud == Cloud.GCP) {
                Objects.requireNonNull(project, "warehouse project");
            } else if (cloud == Cloud.AWS) {
                Objects.requireNonNull(awsAccountId, "awsAccountId");
                Objects.requireNonNull(awsRegion, "awsRegion");
                Objects.requireNonNull(oidcProvider, "oidcProvider");
            } else {
                s3EndpointProblem(endpoint).ifPresent(problem -> {
                    throw new IllegalArgumentException("iceberg catalog: S3 endpoint " + problem);
                });
                Objects.requireNonNull(endpointCidr, "endpointCidr");
                Objects.requireNonNull(credentials, "credentials");
                Objects.requireNonNull(awsRegion, "awsRegion");
            }
            if (cloud != Cloud.S3_COMPATIBLE && (endpoint != null || endpointCidr != null || credentials != null)) {
                throw new IllegalArgumentException("iceberg catalog: endpoint and static credentials are for an S3-compatible "
                        + "warehouse only; " + cloud + " uses the cloud's endpoint and workload identity");
            }
        }

        /** The endpoint's port (its scheme's default when it names none). */
        int endpointPort() {
            var uri = java.net.URI.create(endpoint);
            return uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        }
    }

    /**
     * Static credentials of an S3-compatible store, read through a ClusterSecretStore: each reference is
     * {@code <secret>#<key>} (or a key) in that store. External Secrets copies them into {@value #STORAGE_SECRET}.
     */
    public record StaticCredentials(String store, String accessKeyRef, String secretKeyRef) {
        public StaticCredentials {
            Objects.requireNonNull(store, "credentials store");
            Objects.requireNonNull(accessKeyRef, "accessKeyRef");
            Objects.requireNonNull(secretKeyRef, "secretKeyRef");
        }
    }

    public static final String S3_ENDPOINT_RULE = "an http:// or https:// URL with a host and an optional port, no user "
            + "info, path, query or fragment, such as http://minio.data-local.svc.cluster.local:9000";

    /** Empty when {@code endpoint} is an S3 API URL Polaris can take as {@code endpoint}; else what is wrong and what is allowed. */
    public static java.util.Optional<String> s3EndpointProblem(String endpoint) {
        String problem = "'" + endpoint + "' is not a URL; allowed: " + S3_ENDPOINT_RULE;
        if (endpoint == null || endpoint.isEmpty() || endpoint.length() > 2048) {
            return java.util.Optional.of(problem);
        }
        java.net.URI uri;
        try {
            uri = new java.net.URI(endpoint);
        } catch (java.net.URISyntaxException e) {
            return java.util.Optional.of(problem);
        }
        String scheme = uri.getScheme();
        if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https")) || uri.getHost() == null
                || uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null
                || !(uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/"))
                || dev.dataplatform.core.Urls.host(uri.getHost()).isPresent()) {
            return java.util.Optional.of(problem);
        }
        return java.util.Optional.empty();
    }

    /** See the builder for each setting and its default behaviour. */
    public static final class Args {
        private Environment environment;
        private String namespace = "iceberg";
        private String version = PolarisFacts.VERSION;
        private String realm = "data-platform";
        private String catalogName = "warehouse";
        private Database database;
        private Warehouse warehouse;
        private List<String> allowClientsFrom = List.of();
        private Integer replicas;
        private Map<String, String> labels = Map.of();
        private Cluster cluster;

        private Args() {
        }

        public static Builder builder() {
            return new Builder();
        }

        public static final class Builder {
            private final Args a = new Args();

            /** Required: sizing (dev 1 replica, small; stage and prod 2). */
            public Builder environment(Environment v) { a.environment = v; return this; }
            /** Namespace, created Pod Security restricted with default deny. Default: iceberg. */
            public Builder namespace(String v) { a.namespace = v; return this; }
            /** Polaris release (server and admin tool image tag), one of {@link PolarisFacts#SUPPORTED_VERSIONS}. Default: the pin. */
            public Builder version(String v) { a.version = v; return this; }
            /** The realm bootstrapped and served. Default: data-platform. */
            public Builder realm(String v) { a.realm = v; return this; }
            /** The catalog clients name as {@code warehouse}; its base location is {@code <bucket>/<catalogName>/}. Default: warehouse. */
            public Builder catalogName(String v) { a.catalogName = v; return this; }
            /** Required: Polaris's database. */
            public Builder database(Database v) { a.database = v; return this; }
            /** Required: the warehouse bucket and its cloud identity. */
            public Builder warehouse(Warehouse v) { a.warehouse = v; return this; }
            /** Namespaces whose pods may call the REST API on 8181. Default: none. */
            public Builder allowClientsFrom(List<String> v) { a.allowClientsFrom = List.copyOf(v); return this; }
            /** Server replicas. Default: 1 in dev, 2 otherwise. */
            public Builder replicas(int v) { a.replicas = v; return this; }
            /** Labels on every Kubernetes object. */
            public Builder labels(Map<String, String> v) { a.labels = Map.copyOf(v); return this; }
            /**
             * Required: the cluster Polaris lands on. Its kind must fit the warehouse's cloud identity (GCP: a GKE
             * cluster, Workload Identity; AWS: an EKS cluster, IRSA).
             */
            public Builder cluster(Cluster v) { a.cluster = v; return this; }

            public Args build() {
                a.validate();
                return a;
            }
        }

        private void validate() {
            Objects.requireNonNull(environment, "environment is required");
            Objects.requireNonNull(database, "database is required");
            Objects.requireNonNull(warehouse, "warehouse is required");
            Rules.dnsLabel(namespace).ifPresent(p -> {
                throw new IllegalArgumentException("iceberg catalog: namespace " + p);
            });
            for (String client : allowClientsFrom) {
                Rules.dnsLabel(client).ifPresent(p -> {
                    throw new IllegalArgumentException("iceberg catalog: client namespace " + p);
                });
            }
            if (!PolarisFacts.SUPPORTED_VERSIONS.contains(version)) {
                throw new IllegalArgumentException("iceberg catalog: version '" + version + "' is not supported; allowed: "
                        + String.join(", ", PolarisFacts.SUPPORTED_VERSIONS));
            }
            if (!REALM_PATTERN.matcher(realm).matches()) {
                throw new IllegalArgumentException("iceberg catalog: realm '" + realm + "' is not valid; allowed: " + REALM_RULE);
            }
            catalogNameProblem(catalogName).ifPresent(problem -> {
                throw new IllegalArgumentException("iceberg catalog: catalog name " + problem);
            });
            Cloud expected = switch (database.server()) {
                case CLOUD_SQL -> Cloud.GCP;
                case RDS -> Cloud.AWS;
                case LOCAL -> Cloud.S3_COMPATIBLE;
            };
            if (warehouse.cloud() != expected) {
                throw new IllegalArgumentException("iceberg catalog: a " + database.server() + " database with a "
                        + warehouse.cloud() + " warehouse is not supported: the pod has one cloud identity; allowed: CLOUD_SQL "
                        + "with GCP, RDS with AWS, LOCAL with S3_COMPATIBLE");
            }
            if (replicas != null && (replicas < 1 || replicas > 10)) {
                throw new IllegalArgumentException("iceberg catalog: replicas must be 1-10");
            }
            WorkloadNamespace.check("icebergCatalog", cluster, switch (warehouse.cloud()) {
                case GCP -> Cluster.Identity.GKE_WORKLOAD_IDENTITY;
                case AWS -> Cluster.Identity.EKS_IRSA;
                case S3_COMPATIBLE -> Cluster.Identity.NONE;
            });
        }

        Database databaseForTest() {
            return database;
        }

        Warehouse warehouseForTest() {
            return warehouse;
        }

        int replicas() {
            return replicas != null ? replicas : environment == Environment.DEV ? 1 : 2;
        }
    }

    public static final String REALM_RULE = "2-40 lower-case letters, digits and '-', starting with a letter";
    public static final String CATALOG_RULE = "2-40 lower-case letters, digits, '_' and '-', starting with a letter, "
            + "not 'system' (Polaris reserves it)";

    /** Empty if Polaris accepts {@code name} as a catalog name here; otherwise why not. */
    public static java.util.Optional<String> catalogNameProblem(String name) {
        if (name == null || !CATALOG_PATTERN.matcher(name).matches() || PolarisFacts.RESERVED_CATALOG_NAME.equalsIgnoreCase(name)) {
            return java.util.Optional.of("'" + name + "' is not valid; allowed: " + CATALOG_RULE);
        }
        return java.util.Optional.empty();
    }

    /** In-cluster URI of the Iceberg REST API (clients' {@code uri}). */
    public final Output<String> catalogUri;
    /** The catalog name clients give as {@code warehouse}. */
    public final Output<String> warehouse;
    /** The catalog's default base location ({@code s3://…} or {@code gs://…}). */
    public final Output<String> baseLocation;
    /** {@code <namespace>/<secret>} of the root principal's credentials. */
    public final Output<String> principalSecret;

    public IcebergCatalog(String name, Args args, ComponentResourceOptions options) {
        super(TYPE, name, options);
        String ns = args.namespace;
        var labels = new TreeMap<>(ObjectLabels.of(args.labels, args.environment));
        labels.put("app.kubernetes.io/name", APP);

        // Identity: a Google service account (GKE Workload Identity) or an IRSA role, by the warehouse's cloud.
        var identity = switch (args.warehouse.cloud()) {
            case GCP -> googleIdentity(name, args);
            case AWS -> awsIdentity(name, args);
            // Static credentials from a secret store: no cloud identity on the ServiceAccount.
            case S3_COMPATIBLE -> new Identity(WorkloadIdentity.none(), List.of());
        };

        // Namespace: default deny, DNS, the identity's egress (GKE: the metadata server), then exactly the flows
        // Polaris needs.
        var namespace = WorkloadNamespace.builder(this, name, ns).component("icebergCatalog").cluster(args.cluster)
                .identity(identity.workload).labels(labels).metadataPolicy("allow-gke-metadata").build();
        var policies = new ArrayList<Resource>(namespace.policies().subList(0, 1));
        if (!args.allowClientsFrom.isEmpty()) {
            policies.add(namespace.allowIngressFrom("allow-catalog-clients", args.allowClientsFrom, List.of(PolarisFacts.API_PORT)));
        }
        // The catalog-creation Job calls the server's management API inside the namespace: egress to this namespace's
        // pods on the API port, and ingress to the server's pods from this namespace on that port.
        policies.add(namespace.allowEgressToNamespaces("allow-catalog-api", List.of(ns), List.of(PolarisFacts.API_PORT)));
        policies.add(namespace.allowIngressFrom("allow-catalog-job", List.of(ns), Map.of("app.kubernetes.io/name", APP),
                List.of(PolarisFacts.API_PORT)));
        var db = args.database;
        policies.add(namespace.allowEgressTo("allow-database", db.cidr(), List.of(switch (db.server()) {
            case CLOUD_SQL -> CLOUD_SQL_SERVER_PORT;
            case RDS -> RDS_PORT;
            case LOCAL -> LOCAL_POSTGRES_PORT;
        })));
        if (args.warehouse.cloud() == Cloud.S3_COMPATIBLE) {
            // The store's S3 and STS API at its endpoint: no cloud API, no metadata server.
            policies.add(namespace.allowEgressTo("allow-object-store", Output.of(args.warehouse.endpointCidr()),
                    List.of(args.warehouse.endpointPort())));
        } else {
            // Cloud APIs (STS and S3; Cloud SQL Admin, IAM credentials and Cloud Storage) have no fixed addresses.
            policies.add(namespace.allowEgressTo("allow-cloud-apis", Output.of("0.0.0.0/0"), List.of(443)));
        }
        policies.addAll(namespace.policies().subList(1, namespace.policies().size()));
        var inNamespace = CustomResourceOptions.builder().parent(this).dependsOn(namespace.namespace()).build();

        var ksa = namespace.serviceAccount(name + "-service-account", SERVICE_ACCOUNT, labels);

        // Secrets External Secrets owns: the generated root credentials and token key (generated once, refresh 0s),
        // and the Cloud SQL login's password from the store a DBA fills.
        var generator = new KubernetesCustomResource(name + "-password-generator",
                ObjectMetaArgs.builder().name(GENERATOR).namespace(ns).labels(labels).build(),
                // No symbols: the admin tool splits "realm,clientId,secret" on commas.
                new PasswordSpec(40, 10, 0, false, true), inNamespace);
        var secrets = new ArrayList<Resource>(policies);
        secrets.add(ksa);
        secrets.addAll(identity.resources);
        // Generated once and kept: a replace or delete of these ExternalSecrets must never mint new values (the realm's
        // root credentials live in Polaris's database; a new token key logs every client out).
        var keep = CustomResourceOptions.builder().parent(this).dependsOn(generator).retainOnDelete(true)
                .protect(args.environment.holdsDurableData()).build();
        secrets.add(generated(name + "-root-credentials", ROOT_SECRET, ns, labels, Map.of(
                "client-id", ROOT_CLIENT_ID, "client-secret", "{{ .password }}"), keep));
        secrets.add(generated(name + "-token-key", TOKEN_KEY_SECRET, ns, labels, Map.of(TOKEN_KEY_FILE, "{{ .password }}"),
                keep));
        if (args.warehouse.cloud() == Cloud.S3_COMPATIBLE) {
            var c = args.warehouse.credentials();
            secrets.add(new KubernetesCustomResource(name + "-storage-credentials",
                    ObjectMetaArgs.builder().name(STORAGE_SECRET).namespace(ns).labels(labels).build(),
                    new ExternalSecretSpec("1h", StoreRef.clusterSecretStore(c.store()),
                            new Target(STORAGE_SECRET, "Owner", null),
                            List.of(new Data(ACCESS_KEY_ENV, new RemoteRef(c.accessKeyRef())),
                                    new Data(SECRET_KEY_ENV, new RemoteRef(c.secretKeyRef()))), null), inNamespace));
        }
        if (db.server() != Server.RDS) {
            secrets.add(new KubernetesCustomResource(name + "-database-password",
                    ObjectMetaArgs.builder().name(DATABASE_SECRET).namespace(ns).labels(labels).build(),
                    new ExternalSecretSpec("1h", StoreRef.clusterSecretStore(db.passwordStore()),
                            new Target(DATABASE_SECRET, "Owner", null),
                            List.of(new Data("password", new RemoteRef(db.passwordKey()))), null), inNamespace));
        }

        // The realm bootstrap: the admin tool, once per version; it skips a realm that is already bootstrapped.
        // Its pods carry their own app.kubernetes.io/name: the server Service must never route to them.
        var bootstrapLabels = jobLabels(labels, "polaris-bootstrap");
        var bootstrap = new KubernetesCustomResource(name + "-bootstrap",
                ObjectMetaArgs.builder().name(bootstrapJobName(args.version)).namespace(ns).labels(bootstrapLabels).build(),
                new JobSpec(4, BOOTSTRAP_DEADLINE_SECONDS, JOB_TTL_SECONDS,
                        Map.of("metadata", Map.of("labels", bootstrapLabels), "spec", bootstrapPod(args, labels))),
                CustomResourceOptions.builder().parent(this).dependsOn(secrets).build());

        var server = new KubernetesCustomResource(name + "-server",
                ObjectMetaArgs.builder().name(APP).namespace(ns).labels(labels).build(),
                new DeploymentSpec(args.replicas(), Map.of("matchLabels", Map.of("app.kubernetes.io/name", APP)),
                        Map.of("metadata", Map.of("labels", labels), "spec", serverPod(args))),
                CustomResourceOptions.builder().parent(this).dependsOn(bootstrap).build());
        var service = new Service(name + "-service", com.pulumi.kubernetes.core.v1.ServiceArgs.builder()
                .metadata(ObjectMetaArgs.builder().name(APP).namespace(ns).labels(labels).build())
                .spec(ServiceSpecArgs.builder()
                        .type("ClusterIP")
                        .selector(Map.of("app.kubernetes.io/name", APP))
                        .ports(ServicePortArgs.builder().name("api").port(PolarisFacts.API_PORT)
                                .targetPort(PolarisFacts.API_PORT).protocol("TCP").build())
                        .build())
                .build(), inNamespace);

        // The catalog, created through the management API once the server is ready (Pulumi waits for the Deployment).
        // Named by a hash of its request: the same inputs declare nothing new; changed inputs run a new Job. "Already
        // exists" (409) is success.
        String request = catalogRequest(args);
        var catalogLabels = jobLabels(labels, "polaris-catalog");
        new KubernetesCustomResource(name + "-catalog",
                ObjectMetaArgs.builder().name(catalogJobName(request, args.realm)).namespace(ns).labels(catalogLabels).build(),
                new JobSpec(3, CATALOG_DEADLINE_SECONDS, JOB_TTL_SECONDS,
                        Map.of("metadata", Map.of("labels", catalogLabels), "spec", catalogPod(args, ns, request))),
                CustomResourceOptions.builder().parent(this).dependsOn(List.of(server, service)).build());

        this.catalogUri = Output.of(catalogUri(ns));
        this.warehouse = Output.of(args.catalogName);
        this.baseLocation = Output.of(baseLocation(args.warehouse, args.catalogName));
        this.principalSecret = Output.of(ns + "/" + ROOT_SECRET);
        registerOutputs(Map.of("catalogUri", catalogUri, "warehouse", warehouse, "baseLocation", baseLocation,
                "principalSecret", principalSecret));
    }

    public static String catalogUri(String namespace) {
        return "http://" + APP + "." + namespace + ".svc.cluster.local:" + PolarisFacts.API_PORT + PolarisFacts.CATALOG_PATH;
    }

    /** The catalog's default base location: its own prefix of the warehouse bucket. */
    public static String baseLocation(Warehouse warehouse, String catalogName) {
        return (warehouse.cloud() == Cloud.GCP ? "gs://" : "s3://") + warehouse.bucket() + "/" + catalogName + "/";
    }

    /** A new release is a new Job (the admin tool of that release re-checks the realm); the same release declares nothing new. */
    public static String bootstrapJobName(String version) {
        return "polaris-bootstrap-" + version.replace('.', '-');
    }

    /** Job pods' labels: the component's labels with their own name, and part-of polaris (never the Service's selector). */
    static Map<String, String> jobLabels(Map<String, String> labels, String appName) {
        var result = new TreeMap<>(labels);
        result.put("app.kubernetes.io/name", appName);
        result.put("app.kubernetes.io/part-of", APP);
        return result;
    }

    /** {@code polaris-catalog-<12 hex of sha256(realm, request)>}: a new name, so a new Job, only when an input changes. */
    public static String catalogJobName(String request, String realm) {
        try {
            var digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest((realm + "\n" + request).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return "polaris-catalog-" + java.util.HexFormat.of().formatHex(digest).substring(0, 12);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The warehouse role Polaris assumes to vend S3 credentials (declared in {@link #awsIdentity}). */
    static String warehouseRoleName(Environment environment) {
        return "iceberg-warehouse-" + environment.id();
    }

    /**
     * The body of {@code POST /api/management/v1/catalogs} (spec/polaris-management-service.yml @1.7.0: CreateCatalogRequest
     * {catalog: {type, name, properties.default-base-location, storageConfigInfo}}): an INTERNAL catalog over the
     * warehouse prefix. S3: the warehouse role to assume, its region, and the KMS keys writes may use (Polaris adds KMS
     * write actions to vended credentials only for {@code currentKmsKey}/{@code allowedKmsKeys}); under the AWS-managed
     * key the account's keys in the region, which the warehouse role may use only through S3. GCS: the location alone
     * (Polaris's own Google identity downscopes tokens).
     */
    public static String catalogRequest(Args args) {
        var w = args.warehouse;
        String location = baseLocation(w, args.catalogName);
        var storage = new com.google.gson.JsonObject();
        var locations = new com.google.gson.JsonArray();
        locations.add(location);
        if (w.cloud() == Cloud.AWS) {
            storage.addProperty("storageType", "S3");
            storage.add("allowedLocations", locations);
            storage.addProperty("roleArn", "arn:aws:iam::" + w.awsAccountId() + ":role/" + warehouseRoleName(args.environment));
            storage.addProperty("region", w.awsRegion());
            var keys = new com.google.gson.JsonArray();
            if (w.kmsKeyArn() != null) {
                storage.addProperty("currentKmsKey", w.kmsKeyArn());
                keys.add(w.kmsKeyArn());
            } else {
                keys.add(accountKeys(w));
            }
            storage.add("allowedKmsKeys", keys);
        } else if (w.cloud() == Cloud.S3_COMPATIBLE) {
            // AwsStorageConfigInfo for an S3-compatible store: its endpoint (servers and clients), path-style bucket
            // addressing, a signing region, and no KMS statements in the vended credentials' session policy (the store
            // has no AWS KMS). STS stays on: MinIO implements AssumeRole, so clients get subscoped credentials.
            storage.addProperty("storageType", "S3");
            storage.add("allowedLocations", locations);
            storage.addProperty("endpoint", w.endpoint());
            storage.addProperty("pathStyleAccess", true);
            storage.addProperty("region", w.awsRegion());
            storage.addProperty("kmsUnavailable", true);
        } else {
            storage.addProperty("storageType", "GCS");
            storage.add("allowedLocations", locations);
        }
        var properties = new com.google.gson.JsonObject();
        properties.addProperty("default-base-location", location);
        var catalog = new com.google.gson.JsonObject();
        catalog.addProperty("type", "INTERNAL");
        catalog.addProperty("name", args.catalogName);
        catalog.add("properties", properties);
        catalog.add("storageConfigInfo", storage);
        var body = new com.google.gson.JsonObject();
        body.add("catalog", catalog);
        return body.toString();
    }

    /** Every KMS key of the warehouse's account in its region (the AWS-managed aws/s3 key's id is not known in advance). */
    static String accountKeys(Warehouse w) {
        return "arn:aws:kms:" + w.awsRegion() + ":" + w.awsAccountId() + ":key/*";
    }

    /**
     * The catalog client: a token for the root principal (client credentials read from the mounted Secret's files, never
     * in argv or the spec), then the create request; 201 and 409 succeed, anything else prints Polaris's answer and fails.
     */
    static final String CATALOG_SCRIPT = String.join("\n",
            "set -eu",
            "umask 077",
            "code=$(curl -sS --retry 10 --retry-connrefused --retry-delay 3 -o /tmp/token.json -w '%{http_code}' \\",
            "  -X POST \"$POLARIS_URL" + PolarisFacts.TOKEN_PATH + "\" \\",
            "  --data-urlencode grant_type=client_credentials \\",
            "  --data-urlencode client_id@" + CREDENTIALS_DIR + "/client-id \\",
            "  --data-urlencode client_secret@" + CREDENTIALS_DIR + "/client-secret \\",
            "  --data-urlencode scope=PRINCIPAL_ROLE:ALL)",
            "if [ \"$code\" != 200 ]; then echo \"token request to Polaris failed: HTTP $code\" >&2; exit 1; fi",
            "token=$(sed -n 's/.*\"access_token\" *: *\"\\([^\"]*\\)\".*/\\1/p' /tmp/token.json)",
            "rm -f /tmp/token.json",
            "if [ -z \"$token\" ]; then echo 'no access_token in the token response' >&2; exit 1; fi",
            "printf 'Authorization: Bearer %s\\n' \"$token\" > /tmp/auth",
            "printf '%s' \"$CATALOG_REQUEST\" > /tmp/request.json",
            "code=$(curl -sS --retry 5 --retry-delay 3 -o /tmp/response -w '%{http_code}' \\",
            "  -X POST \"$POLARIS_URL" + PolarisFacts.CATALOGS_PATH + "\" \\",
            "  -H @/tmp/auth -H 'Content-Type: application/json' --data-binary @/tmp/request.json)",
            "rm -f /tmp/auth",
            "case \"$code\" in",
            "  201) echo \"catalog $CATALOG_NAME created\" ;;",
            "  409) echo \"catalog $CATALOG_NAME already exists\" ;;",
            "  *) echo \"creating catalog $CATALOG_NAME failed: HTTP $code\" >&2; cat /tmp/response >&2; echo >&2; exit 1 ;;",
            "esac");

    /** The catalog Job's pod: curl as its image's user, restricted, no API token, the root credentials as files. */
    static Map<String, Object> catalogPod(Args args, String ns, String request) {
        var client = new LinkedHashMap<String, Object>();
        client.put("name", "create-catalog");
        client.put("image", CATALOG_CLIENT_IMAGE);
        client.put("command", List.of("/bin/sh", "-c", CATALOG_SCRIPT));
        client.put("env", List.of(
                Map.of("name", "POLARIS_URL", "value", "http://" + APP + "." + ns + ".svc.cluster.local:" + PolarisFacts.API_PORT),
                Map.of("name", "CATALOG_NAME", "value", args.catalogName),
                Map.of("name", "CATALOG_REQUEST", "value", request)));
        client.put("resources", Map.of("requests", Map.of("cpu", "10m", "memory", "32Mi"),
                "limits", Map.of("cpu", "200m", "memory", "64Mi")));
        var security = new LinkedHashMap<>(PodValues.restrictedContainerSecurity(CATALOG_CLIENT_UID, true));
        security.put("runAsGroup", CATALOG_CLIENT_GID);
        client.put("securityContext", security);
        client.put("volumeMounts", List.of(
                Map.of("name", "credentials", "mountPath", CREDENTIALS_DIR, "readOnly", true),
                Map.of("name", "tmp", "mountPath", "/tmp")));
        var pod = new LinkedHashMap<String, Object>();
        pod.put("automountServiceAccountToken", false);
        pod.put("restartPolicy", "Never");
        pod.put("securityContext", Map.of("runAsNonRoot", true, "runAsUser", CATALOG_CLIENT_UID, "runAsGroup", CATALOG_CLIENT_GID,
                "seccompProfile", Map.of("type", "RuntimeDefault")));
        pod.put("containers", List.of(client));
        pod.put("volumes", List.of(
                // A projected reference by name: the root Secret's keys client-id and client-secret become files.
                Map.of("name", "credentials", "projected", Map.of("sources", List.of(Map.of("secret", Map.of("name", ROOT_SECRET))))),
                Map.of("name", "tmp", "emptyDir", Map.of("medium", "Memory", "sizeLimit", "1Mi"))));
        return pod;
    }

    /** apps/v1 DeploymentSpec; the pod is a plain map (it may carry a native sidecar). */
    public record DeploymentSpec(Integer replicas, Map<String, Object> selector, Map<String, Object> template) implements CrdSpec {
        @Override
        public CrdKind kind() {
            return DEPLOYMENT;
        }
    }

    private record Identity(WorkloadIdentity workload, List<Resource> resources) {
    }

    /** GCP: a Google service account with the bucket's object role, Cloud SQL client, and Workload Identity for the KSA. */
    private Identity googleIdentity(String name, Args args) {
        var child = CustomResourceOptions.builder().parent(this).build();
        String project = args.warehouse.project();
        var account = new Account(name + "-google-account", AccountArgs.builder()
                .project(project)
                .accountId(GOOGLE_ACCOUNT_ID)
                .displayName("data-platform Iceberg catalog (Polaris)")
                .build(), child);
        Output<String> member = account.email().applyValue(email -> "serviceAccount:" + email);
        var resources = new ArrayList<Resource>();
        resources.add(new BucketIAMMember(name + "-warehouse-access", BucketIAMMemberArgs.builder()
                .bucket(args.warehouse.bucket()).role(GCS_ROLE).member(member).build(), child));
        if (args.database.server() == Server.CLOUD_SQL) {
            resources.add(new IAMMember(name + "-cloudsql-client", IAMMemberArgs.builder()
                    .project(project).role("roles/cloudsql.client").member(member).build(), child));
        }
        resources.add(new com.pulumi.gcp.serviceaccount.IAMMember(name + "-workload-identity",
                com.pulumi.gcp.serviceaccount.IAMMemberArgs.builder()
                        .serviceAccountId(account.name())
                        .role("roles/iam.workloadIdentityUser")
                        .member(CloudSqlDatabase.workloadIdentityMember(project, args.namespace, SERVICE_ACCOUNT))
                        .build(), child));
        return new Identity(WorkloadIdentity.google(account.email()), resources);
    }

    /**
     * AWS: the server's IRSA role may connect to RDS as the login and assume the warehouse role; Polaris assumes that
     * role (with a session policy for the table's location) to vend S3 credentials. The warehouse role reaches only
     * the catalog's prefix of the bucket.
     */
    private Identity awsIdentity(String name, Args args) {
        var child = CustomResourceOptions.builder().parent(this).build();
        var w = args.warehouse;
        var server = new Role(name + "-server-role", RoleArgs.builder()
                .name("iceberg-catalog-" + args.environment.id())
                .assumeRolePolicy(IamPolicy.webIdentityTrust(w.awsAccountId(), w.oidcProvider(), args.namespace, SERVICE_ACCOUNT))
                .build(), child);
        var warehouseRole = new Role(name + "-warehouse-role", RoleArgs.builder()
                .name("iceberg-warehouse-" + args.environment.id())
                .assumeRolePolicy(server.arn().applyValue(IcebergCatalog::trustRole))
                .build(), child);
        var storage = new RolePolicy(name + "-warehouse-policy", RolePolicyArgs.builder()
                .role(warehouseRole.id())
                .policy(warehousePolicy(w, args.catalogName))
                .build(), child);
        Output<String> serverPolicy = Output.tuple(warehouseRole.arn(), args.database.rdsResourceId() == null
                        ? Output.of("") : args.database.rdsResourceId())
                .applyValue(t -> serverPolicy(t.t1, w.awsRegion(), w.awsAccountId(), t.t2, args.database));
        var serverAccess = new RolePolicy(name + "-server-policy", RolePolicyArgs.builder()
                .role(server.id())
                .policy(serverPolicy)
                .build(), child);
        return new Identity(WorkloadIdentity.aws(server.arn()),
                List.of(server, warehouseRole, storage, serverAccess));
    }

    static String trustRole(String roleArn) {
        var principal = new com.google.gson.JsonObject();
        principal.addProperty("AWS", roleArn);
        var statement = new com.google.gson.JsonObject();
        statement.addProperty("Effect", "Allow");
        statement.add("Principal", principal);
        statement.addProperty("Action", "sts:AssumeRole");
        return IamPolicy.document(statement);
    }

    /** S3 on {@code <bucket>/<catalog>/} only: objects under the prefix, and listing limited to it. */
    public static String warehousePolicy(String bucket, String catalogName) {
        var list = IamPolicy.allow(S3_BUCKET_ACTIONS, List.of("arn:aws:s3:::" + bucket));
        var prefixes = new com.google.gson.JsonArray();
        prefixes.add(catalogName + "/*");
        prefixes.add(catalogName + "/");
        var like = new com.google.gson.JsonObject();
        like.add("s3:prefix", prefixes);
        var condition = new com.google.gson.JsonObject();
        condition.add("StringLike", like);
        list.add("Condition", condition);
        return IamPolicy.document(
                IamPolicy.allow(S3_OBJECT_ACTIONS, List.of("arn:aws:s3:::" + bucket + "/" + catalogName + "/*")),
                list);
    }

    /**
     * The warehouse role's policy: S3 on the catalog's prefix, and the bucket's KMS key (the account's keys in the region
     * under aws/s3) for encrypting and decrypting objects through S3 only ({@code kms:ViaService}), so the session policy
     * Polaris attaches with {@code currentKmsKey}/{@code allowedKmsKeys} has something to narrow.
     */
    public static String warehousePolicy(Warehouse w, String catalogName) {
        var document = com.google.gson.JsonParser.parseString(warehousePolicy(w.bucket(), catalogName)).getAsJsonObject();
        var kms = IamPolicy.allow(List.of("kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey",
                "kms:GenerateDataKeyWithoutPlaintext", "kms:DescribeKey"), List.of(w.kmsKeyArn() != null ? w.kmsKeyArn() : accountKeys(w)));
        var via = new com.google.gson.JsonObject();
        via.addProperty("kms:ViaService", "s3." + w.awsRegion() + ".amazonaws.com");
        var condition = new com.google.gson.JsonObject();
        condition.add("StringEquals", via);
        kms.add("Condition", condition);
        document.getAsJsonArray("Statement").add(kms);
        return document.toString();
    }

    static String serverPolicy(String warehouseRoleArn, String region, String accountId, String rdsResourceId, Database db) {
        var assume = IamPolicy.allow(List.of("sts:AssumeRole"), List.of(warehouseRoleArn));
        var connect = db.server() == Server.RDS
                ? IamPolicy.allow(List.of("rds-db:connect"), List.of("arn:aws:rds-db:" + region + ":" + accountId + ":dbuser:"
                        + rdsResourceId + "/" + db.login()))
                : null;
        return IamPolicy.document(assume, connect);
    }

    private static Resource generated(String resourceName, String secret, String ns, Map<String, String> labels,
                                      Map<String, String> data, CustomResourceOptions options) {
        return new KubernetesCustomResource(resourceName,
                ObjectMetaArgs.builder().name(secret).namespace(ns).labels(labels).build(),
                // refreshInterval 0s: generated once, never rotated by a re-run (the realm keeps its root credentials).
                // Orphan: the Secret has no owner reference, so deleting the ExternalSecret leaves it. CreatedOnce: ESO
                // writes it once and never again, whatever changes in this spec (ESO v2.9.0 shouldRefresh).
                new ExternalSecretSpec("0s", null, new Target(secret, "Orphan", new Template("v2", new TreeMap<>(data))), null,
                        List.of(new DataFrom(new SourceRef(new GeneratorRef(ExternalSecrets.PASSWORD.apiVersion(),
                                ExternalSecrets.PASSWORD.kind(), GENERATOR)))), "CreatedOnce"),
                options);
    }

    /** Polaris's persistence settings, shared by the server and the admin tool. */
    static List<Object> persistenceEnv(Args args) {
        var db = args.database;
        var env = new ArrayList<Object>();
        env.add(Map.of("name", PolarisFacts.PERSISTENCE_TYPE_KEY, "value", PolarisFacts.PERSISTENCE_TYPE));
        env.add(Map.of("name", PolarisFacts.USERNAME_KEY, "value", db.login()));
        if (db.server() == Server.CLOUD_SQL) {
            // Through the proxy sidecar on loopback; the proxy does mTLS to the instance.
            env.add(Map.of("name", PolarisFacts.JDBC_URL_KEY, "value",
                    "jdbc:postgresql://127.0.0.1:" + CloudSqlProxy.PORT + "/" + db.name() + "?sslmode=disable"));
            env.add(Map.of("name", PolarisFacts.PASSWORD_KEY, "valueFrom",
                    Map.of("secretKeyRef", Map.of("name", DATABASE_SECRET, "key", "password"))));
        } else if (db.server() == Server.LOCAL) {
            // Directly over TLS (the server accepts hostssl only; its certificate is self-signed: encrypted, not verified).
            env.add(Map.of("name", PolarisFacts.JDBC_URL_KEY, "value", db.address().applyValue(host ->
                    "jdbc:postgresql://" + host + ":" + LOCAL_POSTGRES_PORT + "/" + db.name() + "?sslmode=require")));
            env.add(Map.of("name", PolarisFacts.PASSWORD_KEY, "valueFrom",
                    Map.of("secretKeyRef", Map.of("name", DATABASE_SECRET, "key", "password"))));
        } else {
            var w = args.warehouse;
            env.add(Map.of("name", PolarisFacts.JDBC_URL_KEY, "value",
                    db.address().applyValue(host -> "jdbc:postgresql://" + host + ":" + RDS_PORT + "/" + db.name())));
            // TLS: RDS forces it (rds.force_ssl=1); the driver's sslmode=require encrypts.
            env.add(Map.of("name", "quarkus.datasource.jdbc.additional-jdbc-properties.sslmode", "value", "require"));
            env.add(Map.of("name", "quarkus.datasource.credentials-provider", "value", RDS_CREDENTIALS_PROVIDER));
            String provider = "quarkus.rds.credentials-provider." + RDS_CREDENTIALS_PROVIDER + ".";
            env.add(Map.of("name", provider + "use-quarkus-client", "value", "true"));
            env.add(Map.of("name", provider + "username", "value", db.login()));
            env.add(Map.of("name", provider + "hostname", "value", db.address()));
            env.add(Map.of("name", provider + "port", "value", Integer.toString(RDS_PORT)));
            env.add(Map.of("name", "AWS_REGION", "value", w.awsRegion()));
        }
        return env;
    }

    /** Writes the root credentials file for {@code bootstrap -f} from the environment (printf is a bash builtin). */
    static final String CREDENTIALS_SCRIPT = "umask 077 && printf '%s:\\n  client-id: \"%s\"\\n  client-secret: \"%s\"\\n' "
            + "\"$REALM\" \"$ROOT_CLIENT_ID\" \"$ROOT_CLIENT_SECRET\" > " + CREDENTIALS_FILE;

    /** The admin tool's pod: {@code bootstrap -r <realm> -c <realm>,<clientId>,<secret>} with the secret from the Secret. */
    static Map<String, Object> bootstrapPod(Args args, Map<String, String> labels) {
        var tool = container("bootstrap", PolarisFacts.ADMIN_TOOL_IMAGE + ":" + args.version, new ArrayList<>(persistenceEnv(args)));
        // The root credentials reach the admin tool as a file (bootstrap -f: YAML realm -> client-id, client-secret), never
        // on a command line where any process of the node could read them.
        tool.put("args", List.of("bootstrap", "-f", CREDENTIALS_FILE));
        var mounts = new ArrayList<Object>((List<?>) tool.get("volumeMounts"));
        mounts.add(Map.of("name", "credentials", "mountPath", CREDENTIALS_DIR, "readOnly", true));
        tool.put("volumeMounts", mounts);
        // The file is written by an init container of the same image from the Secret's keys in its environment, with the
        // shell's printf builtin (no process argv carries the secret), into a memory-backed volume only this pod sees.
        var writer = container("credentials-file", PolarisFacts.ADMIN_TOOL_IMAGE + ":" + args.version, List.of(
                Map.of("name", "REALM", "value", args.realm),
                Map.of("name", "ROOT_CLIENT_ID", "valueFrom", Map.of("secretKeyRef", Map.of("name", ROOT_SECRET, "key", "client-id"))),
                Map.of("name", "ROOT_CLIENT_SECRET", "valueFrom",
                        Map.of("secretKeyRef", Map.of("name", ROOT_SECRET, "key", "client-secret")))));
        writer.put("command", List.of("/bin/bash", "-c", CREDENTIALS_SCRIPT));
        writer.put("volumeMounts", List.of(Map.of("name", "credentials", "mountPath", CREDENTIALS_DIR)));
        writer.put("resources", Map.of("requests", Map.of("cpu", "10m", "memory", "16Mi"),
                "limits", Map.of("cpu", "100m", "memory", "32Mi")));
        tool.put("resources", Map.of("requests", Map.of("cpu", "100m", "memory", "512Mi"),
                "limits", Map.of("cpu", "1", "memory", "512Mi")));
        var pod = basePod(args);
        pod.put("restartPolicy", "Never");
        var inits = new ArrayList<Object>();
        if (args.database.server() == Server.CLOUD_SQL) {
            inits.add(CloudSqlProxy.sidecar(connectionName(args), false));
        }
        inits.add(writer);
        pod.put("initContainers", inits);
        pod.put("containers", List.of(tool));
        pod.put("volumes", List.of(Map.of("name", "tmp", "emptyDir", Map.of("sizeLimit", "64Mi")),
                Map.of("name", "credentials", "emptyDir", Map.of("medium", "Memory", "sizeLimit", "1Mi"))));
        return pod;
    }

    /** The server's pod: the REST API on 8181, health on 8182, the shared token key as a file. */
    static Map<String, Object> serverPod(Args args) {
        var env = new ArrayList<>(persistenceEnv(args));
        env.add(Map.of("name", PolarisFacts.REALMS_KEY, "value", args.realm));
        // One realm: requests without a realm header go to it (stated, not a default).
        env.add(Map.of("name", PolarisFacts.REQUIRE_HEADER_KEY, "value", "false"));
        env.add(Map.of("name", PolarisFacts.TOKEN_BROKER_TYPE_KEY, "value", "symmetric-key"));
        env.add(Map.of("name", PolarisFacts.TOKEN_BROKER_FILE_KEY, "value", TOKEN_KEY_DIR + "/" + TOKEN_KEY_FILE));
        if (args.warehouse.cloud() == Cloud.S3_COMPATIBLE) {
            // The AWS SDK's default credentials chain reads these (StorageConfiguration.stsCredentials @1.7.0): Polaris
            // signs AssumeRole at the store's STS with them and hands clients the subscoped result.
            env.add(Map.of("name", ACCESS_KEY_ENV, "valueFrom", Map.of("secretKeyRef", Map.of("name", STORAGE_SECRET, "key", ACCESS_KEY_ENV))));
            env.add(Map.of("name", SECRET_KEY_ENV, "valueFrom", Map.of("secretKeyRef", Map.of("name", STORAGE_SECRET, "key", SECRET_KEY_ENV))));
            env.add(Map.of("name", "AWS_REGION", "value", args.warehouse.awsRegion()));
        }
        var server = container("polaris", PolarisFacts.SERVER_IMAGE + ":" + args.version, env);
        server.put("ports", List.of(
                Map.of("name", "api", "containerPort", PolarisFacts.API_PORT, "protocol", "TCP"),
                Map.of("name", "management", "containerPort", PolarisFacts.MANAGEMENT_PORT, "protocol", "TCP")));
        server.put("livenessProbe", probe(PolarisFacts.LIVENESS_PATH, 6));
        server.put("readinessProbe", probe(PolarisFacts.READINESS_PATH, 3));
        server.put("startupProbe", probe(PolarisFacts.LIVENESS_PATH, 30));
        boolean dev = args.environment == Environment.DEV;
        String memory = dev ? "1Gi" : "2Gi";
        server.put("resources", Map.of("requests", Map.of("cpu", dev ? "250m" : "500m", "memory", memory),
                "limits", Map.of("cpu", dev ? "1" : "2", "memory", memory)));
        var mounts = new ArrayList<Object>((List<?>) server.get("volumeMounts"));
        mounts.add(Map.of("name", "token-key", "mountPath", TOKEN_KEY_DIR, "readOnly", true));
        server.put("volumeMounts", mounts);
        var pod = basePod(args);
        if (args.database.server() == Server.CLOUD_SQL) {
            pod.put("initContainers", List.of(CloudSqlProxy.sidecar(connectionName(args), false)));
        }
        pod.put("containers", List.of(server));
        pod.put("volumes", List.of(
                Map.of("name", "tmp", "emptyDir", Map.of("sizeLimit", "256Mi")),
                // A projected reference by name: the Secret's only key becomes the file TOKEN_KEY_FILE.
                Map.of("name", "token-key", "projected", Map.of("sources", List.of(Map.of("secret", Map.of("name", TOKEN_KEY_SECRET)))))));
        return pod;
    }

    private static String connectionName(Args args) {
        return args.database.connectionName();
    }

    private static Map<String, Object> probe(String path, int failureThreshold) {
        return Map.of("httpGet", Map.of("path", path, "port", PolarisFacts.MANAGEMENT_PORT),
                "periodSeconds", 10, "timeoutSeconds", 5, "failureThreshold", failureThreshold);
    }

    private static LinkedHashMap<String, Object> basePod(Args args) {
        var pod = new LinkedHashMap<String, Object>();
        pod.put("serviceAccountName", SERVICE_ACCOUNT);
        // Polaris and its admin tool call the database and the cloud's APIs (GKE metadata server or the IRSA token
        // file the EKS webhook projects), never the Kubernetes API.
        pod.put("automountServiceAccountToken", false);
        pod.put("securityContext", Map.of("runAsNonRoot", true, "runAsUser", PolarisFacts.IMAGE_UID,
                "runAsGroup", PolarisFacts.IMAGE_GID, "fsGroup", PolarisFacts.IMAGE_GID,
                "seccompProfile", Map.of("type", "RuntimeDefault")));
        return pod;
    }

    /** A Polaris container as the image's own user, Pod Security restricted, with a writable /tmp. */
    private static LinkedHashMap<String, Object> container(String name, String image, List<Object> env) {
        var container = new LinkedHashMap<String, Object>();
        container.put("name", name);
        container.put("image", image);
        container.put("env", env);
        container.put("volumeMounts", List.of(Map.of("name", "tmp", "mountPath", "/tmp")));
        // Read-only root: as Polaris's own chart (1.7.0) runs it, the only writable path is /tmp (an emptyDir).
        var security = new LinkedHashMap<>(PodValues.restrictedContainerSecurity(PolarisFacts.IMAGE_UID, true));
        security.put("runAsGroup", PolarisFacts.IMAGE_GID);
        container.put("securityContext", security);
        return container;
    }
}
