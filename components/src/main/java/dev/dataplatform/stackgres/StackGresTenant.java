package dev.dataplatform.stackgres;

import com.pulumi.aws.iam.Role;
import com.pulumi.aws.iam.RoleArgs;
import com.pulumi.aws.iam.RolePolicy;
import com.pulumi.aws.iam.RolePolicyArgs;
import com.pulumi.core.Output;
import com.pulumi.kubernetes.meta.v1.inputs.ObjectMetaArgs;
import com.pulumi.resources.ComponentResource;
import com.pulumi.resources.ComponentResourceOptions;
import com.pulumi.resources.CustomResourceOptions;
import com.pulumi.resources.Resource;
import dev.dataplatform.access.Access;
import dev.dataplatform.access.AccessModel;
import dev.dataplatform.access.DatabaseModel;
import dev.dataplatform.access.Login;
import dev.dataplatform.aws.IamPolicy;
import dev.dataplatform.core.Environment;
import dev.dataplatform.guardrails.StatefulTypes;
import dev.dataplatform.kubernetes.ObjectLabels;
import dev.dataplatform.kubernetes.Cluster;
import dev.dataplatform.kubernetes.WorkloadIdentity;
import dev.dataplatform.kubernetes.WorkloadNamespace;
import dev.dataplatform.kubernetes.crd.CrdSpec;
import dev.dataplatform.kubernetes.crd.ExternalSecrets;
import dev.dataplatform.kubernetes.crd.ExternalSecrets.Data;
import dev.dataplatform.kubernetes.crd.ExternalSecrets.DataFrom;
import dev.dataplatform.kubernetes.crd.ExternalSecrets.ExternalSecretSpec;
import dev.dataplatform.kubernetes.crd.ExternalSecrets.GeneratorRef;
import dev.dataplatform.kubernetes.crd.ExternalSecrets.Match;
import dev.dataplatform.kubernetes.crd.ExternalSecrets.PasswordSpec;
import dev.dataplatform.kubernetes.crd.ExternalSecrets.PushData;
import dev.dataplatform.kubernetes.crd.ExternalSecrets.PushMetadata;
import dev.dataplatform.kubernetes.crd.ExternalSecrets.PushRemoteRef;
import dev.dataplatform.kubernetes.crd.ExternalSecrets.PushSecretSpec;
import dev.dataplatform.kubernetes.crd.ExternalSecrets.RemoteRef;
import dev.dataplatform.kubernetes.crd.ExternalSecrets.SecretSelector;
import dev.dataplatform.kubernetes.crd.ExternalSecrets.SecretStoreSpec;
import dev.dataplatform.kubernetes.crd.ExternalSecrets.Selector;
import dev.dataplatform.kubernetes.crd.ExternalSecrets.SourceRef;
import dev.dataplatform.kubernetes.crd.ExternalSecrets.StoreRef;
import dev.dataplatform.kubernetes.crd.ExternalSecrets.Target;
import dev.dataplatform.kubernetes.crd.ExternalSecrets.Template;
import dev.dataplatform.kubernetes.crd.Keda;
import dev.dataplatform.kubernetes.crd.KubernetesCustomResource;
import dev.dataplatform.kubernetes.crd.StackGres;
import dev.dataplatform.kubernetes.crd.StackGres.Backup;
import dev.dataplatform.kubernetes.crd.StackGres.Binding;
import dev.dataplatform.kubernetes.crd.StackGres.ClusterSpec;
import dev.dataplatform.kubernetes.crd.StackGres.Configurations;
import dev.dataplatform.kubernetes.crd.StackGres.Coordinator;
import dev.dataplatform.kubernetes.crd.StackGres.Extension;
import dev.dataplatform.kubernetes.crd.StackGres.InstanceProfileSpec;
import dev.dataplatform.kubernetes.crd.StackGres.ManagedSql;
import dev.dataplatform.kubernetes.crd.StackGres.NodeConfigurations;
import dev.dataplatform.kubernetes.crd.StackGres.ObjectStorageSpec;
import dev.dataplatform.kubernetes.crd.StackGres.Observability;
import dev.dataplatform.kubernetes.crd.StackGres.PersistentVolume;
import dev.dataplatform.kubernetes.crd.StackGres.Pods;
import dev.dataplatform.kubernetes.crd.StackGres.PostgresConfigSpec;
import dev.dataplatform.kubernetes.crd.StackGres.ScriptRef;
import dev.dataplatform.kubernetes.crd.StackGres.ScriptSpec;
import dev.dataplatform.kubernetes.crd.StackGres.SecretKeySelector;
import dev.dataplatform.kubernetes.crd.StackGres.ShardedClusterSpec;
import dev.dataplatform.kubernetes.crd.StackGres.ShardedConfigurations;
import dev.dataplatform.kubernetes.crd.StackGres.Shards;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One client's PostgreSQL on Kubernetes: a StackGres cluster (or a Citus sharded cluster) in its own
 * restricted namespace, sized by environment, backed up to an S3-compatible store (Cloudflare R2),
 * with the access model applied by an SGScript and the connection URI published without Pulumi ever
 * holding a password:
 *
 * <ol>
 *   <li>ESO generates the application login's password into a Secret (Password generator);</li>
 *   <li>the SGScript sets it on the login, and the cluster's service binding writes Secret
 *       {@code <cluster>-binding} whose {@code uri} connects as that login;</li>
 *   <li>a PushSecret writes the {@code uri} to SSM Parameter Store {@code /<client>/<env>/database/url}
 *       (SecureString), through a SecretStore whose service account assumes a role (IRSA) that may
 *       write only that parameter;</li>
 *   <li>an ExternalSecret in the application's namespace reads it into Secret
 *       {@code <client>-database-url} (key {@code DATABASE_URL}), with a read-only role.</li>
 * </ol>
 *
 * <p>In stage and prod the cluster and its namespace are protected: removing a tenant from config
 * makes `pulumi up` stop instead of deleting a database. {@code decommission(true)} lifts that, on
 * purpose. Children are named {@code <client>-...}; those names are URNs: never rename them.
 */
public final class StackGresTenant extends ComponentResource {
    public static final String TYPE = "dataplatform:kubernetes:StackGresTenant";
    /** Label on the cluster of a tenant being decommissioned; the plan warns about it. */
    public static final String DECOMMISSION_LABEL = StatefulTypes.DECOMMISSION_LABEL;
    static final String BINDING_PROVIDER = "data-platform";
    /** Consecutive scaler failures before KEDA applies the fallback (ScaledObject spec.fallback). */
    public static final int SCALER_FAILURE_THRESHOLD = 3;
    /** Replicas the app runs while its scaler fails: one, so an app scaled to zero comes back up. */
    public static final int SCALER_FALLBACK_REPLICAS = 1;
    /**
     * How often ESO pushes the binding's URI to SSM and pulls it into the app's namespace: a regenerated password reaches
     * Secret {@code <client>-database-url} within two intervals (docs/tenants.md "Password changes").
     */
    public static final String DATABASE_URL_REFRESH = "1m";
    static final String APP_LOGIN = "app";
    public static final String IRSA_ANNOTATION = dev.dataplatform.kubernetes.WorkloadIdentity.EKS_ANNOTATION;
    static final String TRIGGER_AUTHENTICATION = "aws-identity";

    public final Output<String> namespace;
    public final Output<String> clusterName;
    /** In-cluster DNS name of the cluster's primary service. */
    public final Output<String> host;
    public final Output<Integer> port;
    public final Output<String> ssmParameter;
    /** The Secret (in {@link #secretNamespace}) holding {@code DATABASE_URL}. */
    public final Output<String> secretName;
    public final Output<String> secretNamespace;

    /** Sizes per environment; every field can be overridden per tenant. */
    public record Size(int instances, String cpu, int memoryGiB, int storageGiB) {
        public static Size defaults(Environment environment) {
            return switch (environment) {
                case DEV -> new Size(1, "500m", 1, 10);
                case STAGE -> new Size(2, "1", 4, 50);
                case PROD -> new Size(3, "2", 8, 100);
            };
        }
    }

    /**
     * The S3-compatible store backups go to, and where its keys live in SSM. Each tenant has its own prefix in the
     * bucket ({@link #location}) and its own keys under {@code credentialsParameter} ({@link #accessKeyIdParameter}):
     * no tenant reads a platform-wide key or another tenant's (docs/tenants.md "Backup credentials").
     */
    public record BackupTarget(String bucket, String endpoint, String credentialsParameter, String cronSchedule,
                               int retention) {
        public static final String DEFAULT_CRON = "0 3 * * *";

        /**
         * The tenant's backup location as SGObjectStorage's {@code s3Compatible.bucket}: {@code <bucket>/<client>}
         * (the CRD's bucket pattern allows a path; the operator writes under it).
         */
        public String location(String client) {
            return bucket + "/" + client;
        }

        /** The SSM parameter with the tenant's own access key ID: {@code <credentialsParameter>/<client>/access-key-id}. */
        public String accessKeyIdParameter(String client) {
            return credentialsParameter + "/" + client + "/access-key-id";
        }

        /** The SSM parameter with the tenant's own secret key: {@code <credentialsParameter>/<client>/secret-access-key}. */
        public String secretAccessKeyParameter(String client) {
            return credentialsParameter + "/" + client + "/secret-access-key";
        }

        public static int defaultRetention(Environment environment) {
            return switch (environment) {
                case DEV -> 3;
                case STAGE -> 7;
                case PROD -> 14;
            };
        }
    }

    /** The AWS account, region and the cluster's OIDC issuer IRSA roles trust. */
    public record AwsIdentity(String accountId, String region, String oidcProvider) {
    }

    /** Optional KEDA scaling of the client's Deployment, down to zero. */
    public record Scaling(String deployment, int maxReplicas, int cooldownSeconds, List<Keda.Trigger> triggers) {
    }

    /** Optional Citus: {@code shards} worker clusters of {@code instancesPerShard} each. */
    public record Citus(int shards, int instancesPerShard) {
    }

    /** See the builder for each setting and its default behaviour. */
    public static final class Args {
        private String client;
        private Environment environment;
        private String appNamespace;
        private String database;
        private List<String> extensions = List.of();
        private Access appAccess = Access.WRITER;
        private Size size;
        private String storageClass;
        private String postgresVersion = "16";
        private Citus citus;
        private BackupTarget backups;
        private AwsIdentity aws;
        private Cluster cluster;
        private String operatorNamespace = "stackgres";
        private String monitoringNamespace = "monitoring";
        private String kedaNamespace = "keda";
        private boolean createAppNamespace;
        private Scaling scaling;
        private boolean decommission;
        private boolean pgstac;
        private TenantPooling.Overrides pooling = TenantPooling.Overrides.NONE;
        private TenantPooling.Settings poolingSettings;
        private Map<String, String> labels = Map.of();

        private Args() {
        }

        /** The tenant's PgBouncer settings, resolved from the environment, Citus shards and overrides at build(). */
        public TenantPooling.Settings poolingSettings() {
            return poolingSettings;
        }

        public String client() {
            return client;
        }

        public static Builder builder() {
            return new Builder();
        }

        public static final class Builder {
            private final Args a = new Args();

            /** Required: the client's name, a DNS-1123 label of at most 40 characters. */
            public Builder client(String v) { a.client = v; return this; }
            /** Required: sizing and protection follow it. */
            public Builder environment(Environment v) { a.environment = v; return this; }
            /** Namespace of the client's application (gets the DATABASE_URL Secret). Default: the client name. */
            public Builder appNamespace(String v) { a.appNamespace = v; return this; }
            /** The client's database. Default: the client name with '-' as '_'. */
            public Builder database(String v) { a.database = v; return this; }
            /** Extensions StackGres installs and the script creates in the database (e.g. postgis). Default: none. */
            public Builder extensions(List<String> v) { a.extensions = List.copyOf(v); return this; }
            /** A pgSTAC catalog: the access model's pgSTAC roles, grants and search_path, and PostGIS. Default: false. */
            public Builder pgstac(boolean v) { a.pgstac = v; return this; }
            /** What the application login may do. Default: WRITER (data, not schema); OWNER for apps that migrate. */
            public Builder appAccess(Access v) { a.appAccess = v; return this; }
            /** Instances, CPU, memory and disk. Default: {@link Size#defaults} of the environment. */
            public Builder size(Size v) { a.size = v; return this; }
            /** Storage class of the data volumes. Default: the cluster's default class. */
            public Builder storageClass(String v) { a.storageClass = v; return this; }
            /** PostgreSQL major version. Default: 16. */
            public Builder postgresVersion(String v) { a.postgresVersion = v; return this; }
            /** Citus sharding (SGShardedCluster) instead of one SGCluster. Default: none. */
            public Builder citus(Citus v) { a.citus = v; return this; }
            /** Backup target; required in stage and prod. */
            public Builder backups(BackupTarget v) { a.backups = v; return this; }
            /** Required: account, region and OIDC issuer for the IRSA roles of the Parameter Store access. */
            public Builder aws(AwsIdentity v) { a.aws = v; return this; }
            /** Required: the EKS cluster the tenant lands on (its ServiceAccounts use IRSA; another kind is refused). */
            public Builder cluster(Cluster v) { a.cluster = v; return this; }
            /** Namespace of the StackGres operator. Default: stackgres. */
            public Builder operatorNamespace(String v) { a.operatorNamespace = v; return this; }
            /** Namespace of a Prometheus that scrapes the exporter (9187) directly. Default: monitoring. */
            public Builder monitoringNamespace(String v) { a.monitoringNamespace = v; return this; }
            /** Namespace of the KEDA operator, whose service account assumes the scaler's AWS role. Default: keda. */
            public Builder kedaNamespace(String v) { a.kedaNamespace = v; return this; }
            /**
             * Create the application namespace (restricted, default deny, DNS and the database allowed out).
             * Default: false, the namespace is a prerequisite that must exist before {@code pulumi up}.
             */
            public Builder createAppNamespace(boolean v) { a.createAppNamespace = v; return this; }
            /** KEDA scale-to-zero for the client's Deployment. Default: none. */
            public Builder scaling(Scaling v) { a.scaling = v; return this; }
            /** Lift the protection of the cluster and namespace so the tenant can then be removed. Default: false. */
            public Builder decommission(boolean v) { a.decommission = v; return this; }
            /**
             * PgBouncer overrides (pool mode, sizes, other pgbouncer.ini parameters). Default: StackGres's
             * session mode and client limit, the pool sized by environment and capped to what PostgreSQL
             * (or the Citus coordinator) accepts ({@link TenantPooling}).
             */
            public Builder pooling(TenantPooling.Overrides v) { a.pooling = v == null ? TenantPooling.Overrides.NONE : v; return this; }
            /** Extra labels on every Kubernetes object. */
            public Builder labels(Map<String, String> v) { a.labels = Map.copyOf(v); return this; }

            public Args build() {
                a.validate();
                return a;
            }
        }

        private void validate() {
            Objects.requireNonNull(environment, "environment is required");
            TenantRules.clientName(client).ifPresent(p -> fail("client", p));
            WorkloadNamespace.check("tenant " + client, cluster, Cluster.Identity.EKS_IRSA);
            if (appNamespace == null) {
                appNamespace = client;
            }
            TenantRules.namespace(appNamespace).ifPresent(p -> fail("appNamespace", p));
            TenantRules.namespace(operatorNamespace).ifPresent(p -> fail("operatorNamespace", p));
            TenantRules.namespace(monitoringNamespace).ifPresent(p -> fail("monitoringNamespace", p));
            TenantRules.namespace(kedaNamespace).ifPresent(p -> fail("kedaNamespace", p));
            if (appNamespace.equals("tenant-" + client)) {
                fail("appNamespace", "'" + appNamespace + "' is the tenant's own namespace: give the application its own");
            }
            if (database == null) {
                database = client.replace('-', '_');
            }
            extensions.forEach(e -> TenantRules.shippedExtension(e).ifPresent(p -> fail("extensions", p)));
            if (size == null) {
                size = Size.defaults(environment);
            }
            TenantRules.cpu(size.cpu()).ifPresent(p -> fail("cpu", p));
            if (size.instances() < 1 || size.memoryGiB() < 1 || size.storageGiB() < 1) {
                fail("size", "instances, memoryGiB and storageGiB must be at least 1: " + size);
            }
            if (environment == Environment.PROD && size.instances() < 2) {
                fail("instances", size.instances() + " is not allowed in prod: a tenant there needs a replica to fail over to");
            }
            if (storageClass != null) {
                TenantRules.storageClass(storageClass).ifPresent(p -> fail("storageClass", p));
            }
            TenantRules.postgresVersion(postgresVersion).ifPresent(p -> fail("postgresVersion", p));
            if (citus != null && (citus.shards() < 1 || citus.instancesPerShard() < 1)) {
                fail("citus", "shards and instancesPerShard must be at least 1: " + citus);
            }
            if (citus != null) {
                TenantRules.citusInstances(size.instances()).ifPresent(p -> fail("citus", p));
            }
            if (backups == null && environment.holdsDurableData()) {
                fail("backups", "are required in " + environment.id() + ": a database there must be restorable");
            }
            if (aws == null) {
                fail("aws", "is required: the database URL is published through SSM Parameter Store with IRSA roles");
            }
            if (scaling != null) {
                TenantRules.scalesToZero(scaling.triggers().stream().map(Keda.Trigger::type).toList())
                        .ifPresent(p -> fail("scaling.triggers", p));
                if (scaling.maxReplicas() < 1) {
                    fail("scaling.maxReplicas", "must be at least 1");
                }
                for (var trigger : scaling.triggers()) {
                    TenantRules.triggerIdentity(trigger.type(), trigger.metadata()).ifPresent(p -> fail("scaling.triggers", p));
                }
            }
            Integer shards = citus == null ? null : citus.shards();
            TenantPooling.problems(shards, pgstac, pooling).forEach((key, problem) -> fail("pooling." + key, problem));
            poolingSettings = TenantPooling.settings(environment, shards, pooling);
            // The model checks the database name and the login against the access rules.
            model();
        }

        private void fail(String field, String problem) {
            throw new IllegalArgumentException("tenant '" + client + "': " + field + " " + problem);
        }

        AccessModel model() {
            return accessModel(database, extensions, appAccess, pgstac);
        }
    }

    /** Extensions StackGres installs: the configured ones, and PostGIS for pgSTAC (btree_gist and unaccent are contrib). */
    static List<String> installedExtensions(Args args) {
        var all = new java.util.LinkedHashSet<>(args.extensions);
        if (args.pgstac) {
            all.add("postgis");
        }
        return List.copyOf(all);
    }

    /** The tenant database's access model (its SGScript entries): one app login with the given access. */
    public static AccessModel accessModel(String database, List<String> extensions, Access appAccess, boolean pgstac) {
        return AccessModel.of(new DatabaseModel(database, List.of(), extensions, pgstac,
                List.of(new Login(APP_LOGIN, appAccess))));
    }

    public StackGresTenant(String name, Args args, ComponentResourceOptions options) {
        super(TYPE, name, options);
        var env = args.environment;
        String client = args.client;
        String ns = "tenant-" + client;
        String cluster = client;
        String parameter = "/" + client + "/" + env.id() + "/database/url";
        String appSecret = client + "-database-url";
        boolean protect = env.holdsDurableData() && !args.decommission;
        var labels = ObjectLabels.of(args.labels, env);
        labels.put("data-platform.dev/tenant", client);

        // Namespace: the operator's pods pass Pod Security baseline, not restricted (OperatorFacts); it
        // still warns and audits at restricted. The program itself creates no pod here. Default deny;
        // then exactly the flows the operator's pods need, on the ports they listen on (OperatorFacts).
        var tenantNamespace = WorkloadNamespace.builder(this, name, ns).component("tenant " + client).cluster(args.cluster)
                .identityKind(Cluster.Identity.EKS_IRSA).labels(labels).protect(protect)
                .podSecurity(OperatorFacts.POD_SECURITY_LEVEL, "StackGres " + OperatorFacts.STACKGRES
                        + " pods set only a pod-level securityContext; see docs/upstream-facts.md (StackGres)")
                .build();
        tenantNamespace.allowWithinNamespace();
        // Service <cluster>:5432 targets PgBouncer on pod port 6432; policies see the pod port.
        tenantNamespace.allowIngressFrom("allow-postgres-clients", List.of(args.appNamespace), ports(OperatorFacts.APP_PORTS));
        // The operator drives failover, restarts and configuration through Patroni's REST API.
        tenantNamespace.allowIngressFrom("allow-operator", List.of(args.operatorNamespace), ports(OperatorFacts.OPERATOR_PORTS));
        // prometheusAutobind: the operator's OpenTelemetry collector (operator namespace) scrapes the pods.
        tenantNamespace.allowIngressFrom("allow-collector", List.of(args.operatorNamespace), ports(OperatorFacts.COLLECTOR_PORTS));
        tenantNamespace.allowIngressFrom("allow-monitoring", List.of(args.monitoringNamespace),
                ports(List.of(OperatorFacts.PodPort.POSTGRES_EXPORTER)));
        // Backups go to the object store over HTTPS.
        tenantNamespace.allowEgressTo("allow-https-egress", Output.of("0.0.0.0/0"), List.of(443));
        // Patroni elects its leader through the Kubernetes API (443 on EKS/GKE, 6443 on kubeadm clusters);
        // the API server's address is not a pod, so it is allowed by port.
        tenantNamespace.allowEgressTo("allow-kubernetes-api", Output.of("0.0.0.0/0"), OperatorFacts.KUBERNETES_API_PORTS);
        var inNamespace = CustomResourceOptions.builder().parent(this).dependsOn(tenantNamespace.namespace()).build();

        // IRSA roles: the tenant namespace may write the parameter, the app namespace may read it.
        var writerRole = irsaRole(name + "-db-url-writer", "db-url-writer", args, ns, "db-url-writer",
                writerPolicy(args.aws, parameter, args.backups, client));
        var readerRole = irsaRole(name + "-db-url-reader", "db-url-reader", args, args.appNamespace, client + "-db-url-reader",
                readerPolicy(args.aws, parameter));
        var writerAccount = tenantNamespace.serviceAccount(name + "-db-url-writer", "db-url-writer", labels,
                WorkloadIdentity.aws(writerRole.arn()), false);
        var store = custom(name + "-parameter-store", "parameter-store", ns, labels,
                SecretStoreSpec.parameterStore(args.aws.region(), "db-url-writer"), dependsOn(writerAccount));

        // Backups: the tenant's own keys come from SSM through ESO (its writer role may read only those); the
        // SGObjectStorage only references them and writes under the tenant's own prefix.
        var clusterDependencies = new ArrayList<Declared>();
        List<Backup> backups = null;
        if (args.backups != null) {
            var target = args.backups;
            var credentials = custom(name + "-backup-credentials", "backup-credentials", ns, labels,
                    new ExternalSecretSpec("1h", StoreRef.secretStore("parameter-store"),
                            new Target("backup-credentials", "Owner", null),
                            List.of(new Data("accessKeyId", new RemoteRef(target.accessKeyIdParameter(client))),
                                    new Data("secretAccessKey", new RemoteRef(target.secretAccessKeyParameter(client)))),
                            null), dependsOn(store));
            var storage = custom(name + "-backup-storage", "backups", ns, labels,
                    ObjectStorageSpec.s3Compatible(target.location(client), target.endpoint(), "auto",
                            new SecretKeySelector("backup-credentials", "accessKeyId"),
                            new SecretKeySelector("backup-credentials", "secretAccessKey")), dependsOn(credentials));
            clusterDependencies.add(storage);
            backups = List.of(new Backup("backups", target.cronSchedule(), target.retention()));
        }

        // The application login's password: generated by ESO, never seen by Pulumi.
        var password = custom(name + "-app-password", "app-password", ns, labels,
                new PasswordSpec(32, 8, 0, false, true), inNamespace);
        var credentials = custom(name + "-app-credentials", "app-credentials", ns, labels,
                new ExternalSecretSpec("0s", null, new Target("app-credentials", "Owner", new Template("v2", new TreeMap<>(Map.of(
                        "password", "{{ .password }}",
                        "set-password.sql", "ALTER ROLE \"" + APP_LOGIN + "\" PASSWORD '{{ .password }}';")))),
                        null, List.of(new DataFrom(new SourceRef(new GeneratorRef(ExternalSecrets.PASSWORD.apiVersion(),
                        ExternalSecrets.PASSWORD.kind(), "app-password"))))), dependsOn(password));
        clusterDependencies.add(credentials);

        var profile = custom(name + "-instance-profile", "size", ns, labels,
                new InstanceProfileSpec(args.size.cpu(), args.size.memoryGiB() + "Gi"), inNamespace);
        var config = custom(name + "-postgres-config", "postgres-" + args.postgresVersion, ns, labels,
                new PostgresConfigSpec(args.postgresVersion, postgresConf(args.size)), inNamespace);
        var script = custom(name + "-access-script", "access", ns, labels,
                new ScriptSpec(true, false, TenantScript.entries(args.model(),
                        new SecretKeySelector("app-credentials", "set-password.sql"),
                        // Citus: Patroni's bootstrap creates spec.database itself (OperatorFacts.CITUS_DATABASE_SOURCE).
                        args.citus == null ? java.util.Set.of() : java.util.Set.of(args.database))), inNamespace);
        // PgBouncer's pool, sized for the tenant (TenantPooling); on Citus, the coordinator's pooler.
        var pooling = custom(name + "-pooling-config", "pooling", ns, labels,
                StackGres.PoolingConfigSpec.of(args.poolingSettings.pgbouncerIni()), inNamespace);
        clusterDependencies.addAll(List.of(profile, config, pooling, script));

        var postgres = new StackGres.Postgres(args.postgresVersion,
                installedExtensions(args).isEmpty() ? null : installedExtensions(args).stream().map(Extension::new).toList());
        // Pooling on and Envoy off, stated rather than left to defaults: the policies' ports depend on them.
        var pods = new Pods(new PersistentVolume(args.size.storageGiB() + "Gi", args.storageClass),
                !OperatorFacts.CONNECTION_POOLING, OperatorFacts.DISABLE_ENVOY);
        var binding = new Binding(BINDING_PROVIDER, args.database, APP_LOGIN, new SecretKeySelector("app-credentials", "password"));
        var observability = new Observability(true);
        var managedSql = new ManagedSql(List.of(new ScriptRef("access")));
        var clusterLabels = new TreeMap<>(labels);
        if (args.decommission) {
            clusterLabels.put(DECOMMISSION_LABEL, "true");
        }
        CrdSpec clusterSpec = args.citus == null
                ? new ClusterSpec(args.size.instances(), env == Environment.DEV ? "development" : "production", postgres,
                "size", pods, new Configurations(config.metadataName(), pooling.metadataName(), backups, observability, binding),
                managedSql)
                : new ShardedClusterSpec("citus", args.database, postgres,
                new Coordinator(args.size.instances(), "size", pods,
                        new NodeConfigurations(config.metadataName(), pooling.metadataName()), managedSql),
                new Shards(args.citus.shards(), args.citus.instancesPerShard(), "size", pods,
                        new NodeConfigurations(config.metadataName(), null)),
                new ShardedConfigurations(backups, observability, binding));
        var clusterResource = new KubernetesCustomResource(name + "-cluster",
                meta(cluster, ns, clusterLabels), clusterSpec, CustomResourceOptions.builder()
                .parent(this).protect(protect)
                .dependsOn(clusterDependencies.stream().map(d -> (Resource) d.resource()).toList()).build());

        // The application's namespace: created here on request, otherwise a prerequisite (docs/tenants.md).
        var inAppNamespace = CustomResourceOptions.builder().parent(this);
        var appDependencies = new ArrayList<Resource>();
        if (args.createAppNamespace) {
            var appNamespace = WorkloadNamespace.builder(this, name + "-app", args.appNamespace).component("tenant " + client)
                    .cluster(args.cluster).identityKind(Cluster.Identity.EKS_IRSA).labels(labels).build();
            appNamespace.allowEgressToNamespaces("allow-database", List.of(ns), ports(OperatorFacts.APP_PORTS));
            appDependencies.add(appNamespace.namespace());
            inAppNamespace.dependsOn(appNamespace.namespace());
        }

        // Publish the binding's URI to SSM; pull it into the application's namespace.
        custom(name + "-database-url-push", "database-url", ns, labels,
                new PushSecretSpec(DATABASE_URL_REFRESH, "Replace", "None", List.of(StoreRef.secretStore("parameter-store")),
                        new Selector(new SecretSelector(cluster + "-binding")),
                        List.of(new PushData(new Match("uri", new PushRemoteRef(parameter)),
                                PushMetadata.parameterStore("SecureString")))),
                CustomResourceOptions.builder().parent(this).dependsOn(List.of(store.resource(), clusterResource)).build());
        // In the application's namespace, created here or by its owners: the same identity rule either way.
        var readerAccount = WorkloadNamespace.serviceAccountIn("tenant " + client, args.cluster, name + "-db-url-reader",
                client + "-db-url-reader", args.appNamespace, labels, WorkloadIdentity.aws(readerRole.arn()), false,
                inAppNamespace.build());
        var appStore = custom(name + "-app-parameter-store", client + "-parameter-store", args.appNamespace, labels,
                SecretStoreSpec.parameterStore(args.aws.region(), client + "-db-url-reader"), dependsOn(readerAccount));
        custom(name + "-app-database-url", appSecret, args.appNamespace, labels,
                new ExternalSecretSpec(DATABASE_URL_REFRESH, StoreRef.secretStore(client + "-parameter-store"),
                        new Target(appSecret, "Owner", null),
                        List.of(new Data("DATABASE_URL", new RemoteRef(parameter))), null), dependsOn(appStore));

        if (args.scaling != null) {
            var scaling = args.scaling;
            var triggers = scaling.triggers();
            var scalerOptions = inAppNamespace.build();
            var queues = triggers.stream().filter(t -> t.type().equals(TenantRules.SQS_TRIGGER))
                    .map(t -> TenantRules.sqsQueueArn(t.metadata().get("queueURL")).orElseThrow()).distinct().toList();
            if (!queues.isEmpty()) {
                // KEDA assumes this role with its own web identity (OperatorFacts.KEDA_IDENTITY_SOURCE): the
                // role trusts the KEDA operator's service account and may only read the queues' attributes.
                var scalerRole = irsaRole(name + "-scaler", "scaler", args, args.kedaNamespace,
                        OperatorFacts.KEDA_SERVICE_ACCOUNT, IamPolicy.document(IamPolicy.allow(List.of(OperatorFacts.SQS_ACTION), queues)));
                var authentication = custom(name + "-scaler-identity", TRIGGER_AUTHENTICATION, args.appNamespace, labels,
                        new Keda.TriggerAuthenticationSpec(Keda.PodIdentity.aws(scalerRole.arn())), scalerOptions);
                triggers = triggers.stream().map(t -> t.type().equals(TenantRules.SQS_TRIGGER)
                        ? t.withAuthentication(TRIGGER_AUTHENTICATION) : t).toList();
                appDependencies.add(authentication.resource());
                scalerOptions = CustomResourceOptions.builder().parent(this).dependsOn(appDependencies).build();
            }
            custom(name + "-scaler", scaling.deployment(), args.appNamespace, labels,
                    new Keda.ScaledObjectSpec(new Keda.ScaleTargetRef(scaling.deployment()), 0, scaling.maxReplicas(),
                            scaling.cooldownSeconds(), triggers, new Keda.Fallback(SCALER_FAILURE_THRESHOLD, SCALER_FALLBACK_REPLICAS)),
                    scalerOptions);
        }

        this.namespace = Output.of(ns);
        this.clusterName = Output.of(cluster);
        this.host = Output.of(cluster + "." + ns + ".svc.cluster.local");
        this.port = Output.of(StackGres.SERVICE_PORT);
        this.ssmParameter = Output.of(parameter);
        this.secretName = Output.of(appSecret);
        this.secretNamespace = Output.of(args.appNamespace);
        var outputs = new LinkedHashMap<String, Output<?>>();
        outputs.put("namespace", namespace);
        outputs.put("clusterName", clusterName);
        outputs.put("host", host);
        outputs.put("port", port);
        outputs.put("ssmParameter", ssmParameter);
        outputs.put("secretName", secretName);
        outputs.put("secretNamespace", secretNamespace);
        registerOutputs(outputs);
    }

    /** A declared custom resource with its Kubernetes name, for references by name. */
    private record Declared(KubernetesCustomResource resource, String metadataName) {
    }

    private Declared custom(String resourceName, String metadataName, String ns, Map<String, String> labels, CrdSpec spec,
                            CustomResourceOptions options) {
        return new Declared(new KubernetesCustomResource(resourceName, meta(metadataName, ns, labels), spec, options),
                metadataName);
    }

    private static List<Integer> ports(List<OperatorFacts.PodPort> ports) {
        return ports.stream().map(p -> p.port).toList();
    }

    private CustomResourceOptions dependsOn(Declared dependency) {
        return dependsOn(dependency.resource());
    }

    private CustomResourceOptions dependsOn(Resource dependency) {
        return CustomResourceOptions.builder().parent(this).dependsOn(dependency).build();
    }

    private static ObjectMetaArgs meta(String name, String namespace, Map<String, String> labels) {
        return ObjectMetaArgs.builder().name(name).namespace(namespace).labels(labels).build();
    }

    /** Memory-derived settings: a quarter of the memory for shared buffers, scram passwords. */
    static Map<String, String> postgresConf(Size size) {
        var conf = new TreeMap<String, String>();
        conf.put("shared_buffers", (size.memoryGiB() * 256) + "MB");
        conf.put("effective_cache_size", (size.memoryGiB() * 768) + "MB");
        conf.put("password_encryption", "scram-sha-256");
        return conf;
    }

    /** A role only the given Kubernetes service account can assume, with one inline policy. */
    private Role irsaRole(String resourceName, String purpose, Args args, String ns, String serviceAccount, String policy) {
        var trust = IamPolicy.webIdentityTrust(args.aws.accountId(), args.aws.oidcProvider(), ns, serviceAccount);
        var role = new Role(resourceName, RoleArgs.builder()
                .name("dp-" + args.environment.id() + "-" + args.client + "-" + purpose)
                .assumeRolePolicy(trust)
                .tags(Map.of("environment", args.environment.id(), "managed-by", "data-platform", "tenant", args.client))
                .build(), CustomResourceOptions.builder().parent(this).build());
        new RolePolicy(resourceName, RolePolicyArgs.builder()
                .role(role.name())
                .policy(policy)
                .build(), CustomResourceOptions.builder().parent(this).build());
        return role;
    }

    static String parameterArn(AwsIdentity aws, String path) {
        return "arn:aws:ssm:" + aws.region() + ":" + aws.accountId() + ":parameter" + path;
    }

    /** Push the URI (ESO reads and tags what it writes) and read this tenant's own backup keys (exact ARNs, no wildcard). */
    static String writerPolicy(AwsIdentity aws, String parameter, BackupTarget backups, String client) {
        return IamPolicy.document(
                IamPolicy.allow(List.of("ssm:GetParameter", "ssm:PutParameter", "ssm:AddTagsToResource",
                        "ssm:ListTagsForResource", "ssm:RemoveTagsFromResource"), List.of(parameterArn(aws, parameter))),
                backups == null ? null : IamPolicy.allow(List.of("ssm:GetParameter"), List.of(
                        parameterArn(aws, backups.accessKeyIdParameter(client)),
                        parameterArn(aws, backups.secretAccessKeyParameter(client)))));
    }

    static String readerPolicy(AwsIdentity aws, String parameter) {
        return IamPolicy.document(IamPolicy.allow(List.of("ssm:GetParameter"), List.of(parameterArn(aws, parameter))));
    }
}
