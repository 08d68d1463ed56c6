package dev.dataplatform.program;

import com.pulumi.Context;
import com.pulumi.core.Output;
import com.pulumi.resources.ComponentResourceOptions;
import dev.dataplatform.config.BucketsConfig;
import dev.dataplatform.config.ClustersConfig;
import dev.dataplatform.config.LocalConfig;
import dev.dataplatform.local.LocalServices;
import dev.dataplatform.kubernetes.Cluster;
import dev.dataplatform.kubernetes.WorkloadIdentity;
import dev.dataplatform.kubernetes.ClusterProvider;
import dev.dataplatform.config.CloudSqlConfig;
import dev.dataplatform.config.PgstacConfig;
import dev.dataplatform.config.IcebergCatalogConfig;
import dev.dataplatform.iceberg.IcebergCatalog;
import dev.dataplatform.access.DatabaseModel;
import dev.dataplatform.access.PgstacMigration;
import dev.dataplatform.kubernetes.CloudSqlProxy;
import dev.dataplatform.storage.ObjectBuckets;
import dev.dataplatform.config.PlatformConfig;
import dev.dataplatform.config.RdsConfig;
import dev.dataplatform.aws.RdsDatabase;
import dev.dataplatform.config.DagsterConfig;
import dev.dataplatform.config.ObservabilityConfig;
import dev.dataplatform.config.TenantsConfig;
import dev.dataplatform.dagster.DagsterStack;
import dev.dataplatform.kubernetes.CloudSqlProxy;
import dev.dataplatform.observability.ObservabilityStack;
import dev.dataplatform.gcp.CloudSqlDatabase;
import dev.dataplatform.stackgres.StackGresTenant;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The stack program: declares the components a stack enables and exports what consumers need.
 * `pulumi up` (via {@link dev.dataplatform.Main}) and the offline plan run this same function.
 *
 * <p>Component names are URNs of real databases: never rename one without an alias.
 */
public final class PlatformProgram {
    private PlatformProgram() {
    }

    public static void declare(Context ctx, PlatformConfig config) {
        ctx.export("environment", Output.of(config.environment().id()));
        var providers = clusterProviders(config);
        PROVIDERS.set(providers);
        try {
            declareComponents(ctx, config);
        } finally {
            PROVIDERS.remove();
        }
    }

    /** The clusters' providers while {@link #declare} runs (the component functions below place their components with them). */
    private static final ThreadLocal<Map<String, com.pulumi.kubernetes.Provider>> PROVIDERS = new ThreadLocal<>();

    /** One explicit Kubernetes provider per cluster of data-platform:clusters, named after it. */
    private static Map<String, com.pulumi.kubernetes.Provider> clusterProviders(PlatformConfig config) {
        var providers = new java.util.LinkedHashMap<String, com.pulumi.kubernetes.Provider>();
        for (var c : config.clusters().all()) {
            providers.put(c.name(), ClusterProvider.declare(cluster(c), c.adoptsDefaultProvider()));
        }
        return providers;
    }

    private static Cluster cluster(ClustersConfig.ClusterConfig c) {
        return switch (c.kind()) {
            case GKE -> Cluster.gke(c.name(), c.gke().project(), c.gke().location(), c.gke().clusterName());
            case EKS -> Cluster.eks(c.name(), c.eks().region(), c.eks().clusterName(), c.eks().accountId(), c.eks().oidcProvider());
            case KUBECONFIG -> Cluster.kubeconfig(c.name(), c.context(), c.kubeconfig() == null ? null : c.kubeconfig().toOutput());
        };
    }

    /** The cluster a component is placed on (its kind decides the identity wiring), or null if it is not placed. */
    static Cluster clusterOf(PlatformConfig config, ClustersConfig.Component component) {
        return config.clusters().placed(component).map(PlatformProgram::cluster).orElse(null);
    }

    /**
     * Options placing a component on its cluster: the cluster's provider, which every Kubernetes child inherits
     * (the stack disables the default Kubernetes provider, so a child without it cannot be declared).
     */
    static ComponentResourceOptions.Builder placed(PlatformConfig config, ClustersConfig.Component component) {
        var builder = ComponentResourceOptions.builder();
        config.clusters().placed(component).ifPresent(c -> builder.providers(PROVIDERS.get().get(c.name())));
        return builder;
    }

    private static void declareComponents(Context ctx, PlatformConfig config) {
        var local = config.local().map(l -> local(ctx, config, l));
        var cloudSql = config.cloudSql().map(c -> cloudSql(ctx, config, c));
        var rds = config.rds().map(r -> rds(ctx, config, r));
        var buckets = config.buckets().map(b -> buckets(ctx, config, b, cloudSql));
        config.tenants().ifPresent(tenants -> tenants(ctx, config, tenants));
        config.dagster().ifPresent(d -> dagster(ctx, config, d, cloudSql, rds, local));
        config.observability().ifPresent(o -> observability(ctx, config, o, cloudSql, local));
        config.icebergCatalog().ifPresent(i -> icebergCatalog(ctx, config, i, cloudSql, rds, buckets, local));
    }

    /**
     * Polaris on the database and warehouse bucket the parser checked; it waits for the buckets (its IAM binds to one), or
     * on the local stack for the in-cluster PostgreSQL (its access Job creates Polaris's login) and MinIO.
     */
    private static void icebergCatalog(Context ctx, PlatformConfig config, IcebergCatalogConfig i,
                                       Optional<CloudSqlDatabase> cloudSql, Optional<RdsDatabase> rds,
                                       Optional<ObjectBuckets> buckets, Optional<LocalServices> local) {
        IcebergCatalog.Database database;
        IcebergCatalog.Warehouse warehouse;
        var options = placed(config, ClustersConfig.Component.ICEBERG_CATALOG);
        if (i.server() == IcebergCatalog.Server.LOCAL) {
            var services = local.orElseThrow();
            database = new IcebergCatalog.Database(i.server(), null, services.postgresHost, Output.of(i.databaseCidr()),
                    i.database(), i.login(), i.passwordStore(), i.passwordKey(), null);
            warehouse = IcebergCatalog.Warehouse.s3Compatible(LocalServices.WAREHOUSE_BUCKET,
                    LocalServices.s3Endpoint(config.local().orElseThrow().namespace()),
                    config.local().orElseThrow().podCidr(), new IcebergCatalog.StaticCredentials(LocalServices.CREDENTIALS_STORE,
                            LocalServices.S3_ACCESS_KEY_REF, LocalServices.S3_SECRET_KEY_REF));
            options.dependsOn(services.ready);
        } else if (i.server() == IcebergCatalog.Server.CLOUD_SQL) {
            var b = config.buckets().orElseThrow();
            String bucket = b.prefix() + "-" + config.environment().id() + "-warehouse";
            var c = config.cloudSql().orElseThrow();
            var db = cloudSql.orElseThrow();
            database = new IcebergCatalog.Database(i.server(), CloudSqlProxy.connectionName(c.project(), c.region(), c.instanceName()),
                    null, db.privateIp.applyValue(ip -> ip + "/32"), i.database(), i.login(), i.passwordStore(), i.passwordKey(), null);
            warehouse = new IcebergCatalog.Warehouse(IcebergCatalog.Cloud.GCP, bucket, b.gcpProject(), null, null, null);
            options.dependsOn(buckets.orElseThrow());
        } else {
            var b = config.buckets().orElseThrow();
            String bucket = b.prefix() + "-" + config.environment().id() + "-warehouse";
            var db = rds.orElseThrow();
            database = new IcebergCatalog.Database(i.server(), null, db.address, Output.of(i.databaseCidr()), i.database(), i.login(),
                    null, null, db.resourceId);
            warehouse = new IcebergCatalog.Warehouse(IcebergCatalog.Cloud.AWS, bucket, null, i.awsAccountId(),
                    config.rds().orElseThrow().region(), i.oidcProvider(), b.kmsKeyId());
            options.dependsOn(buckets.orElseThrow());
        }
        var args = IcebergCatalog.Args.builder()
                .environment(config.environment())
                .namespace(i.namespace())
                .version(i.version())
                .realm(i.realm())
                .catalogName(i.catalogName())
                .database(database)
                .warehouse(warehouse)
                .allowClientsFrom(i.allowClientsFrom())
                .cluster(clusterOf(config, ClustersConfig.Component.ICEBERG_CATALOG))
                .labels(config.labels());
        if (i.replicas() != null) {
            args.replicas(i.replicas());
        }
        var catalog = new IcebergCatalog("iceberg-catalog", args.build(), options.build());
        ctx.export("icebergCatalogUri", catalog.catalogUri);
        ctx.export("icebergWarehouse", catalog.warehouse);
        ctx.export("icebergBaseLocation", catalog.baseLocation);
        ctx.export("icebergPrincipalSecretName", catalog.principalSecret);
    }

    /** Dagster on the database the config names; the parser has checked it exists and can log in. */
    private static void dagster(Context ctx, PlatformConfig config, DagsterConfig d, Optional<CloudSqlDatabase> cloudSql,
                                Optional<RdsDatabase> rds, Optional<LocalServices> local) {
        DagsterStack.Database database;
        Output<String> cidr;
        WorkloadIdentity identity;
        var options = placed(config, ClustersConfig.Component.DAGSTER);
        if (d.server() == DagsterConfig.Server.LOCAL) {
            // The in-cluster PostgreSQL: a password login whose generated password External Secrets copies over.
            var services = local.orElseThrow();
            database = new DagsterStack.Database(services.postgresHost, LocalServices.POSTGRES_PORT, Output.of(d.login()),
                    d.database(), d.auth(), null, d.passwordStore(), d.passwordKey());
            cidr = Output.of(config.local().orElseThrow().podCidr());
            identity = WorkloadIdentity.none();
            options.dependsOn(services.ready);
        } else if (d.server() == DagsterConfig.Server.CLOUD_SQL) {
            var db = cloudSql.orElseThrow();
            var user = d.auth() == DagsterStack.Auth.GCP_IAM ? db.iamUsers.get(dev.dataplatform.config.CloudSqlConfig.DAGSTER)
                    : Output.of(d.login());
            database = new DagsterStack.Database(db.privateIp, 5432, user, d.database(), d.auth(), null,
                    d.passwordStore(), d.passwordKey());
            cidr = d.databaseCidr() != null ? Output.of(d.databaseCidr()) : db.privateIp.applyValue(ip -> ip + "/32");
            // Dagster runs as cloudSql.workloads.dagster's ServiceAccount (the parser checks it) with any login:
            // the Auth Proxy, pgSTAC and the buckets need its own Google identity through Workload Identity.
            identity = WorkloadIdentity.google(db.serviceAccountEmails.get(dev.dataplatform.config.CloudSqlConfig.DAGSTER));
        } else {
            var db = rds.orElseThrow();
            String region = config.rds().orElseThrow().region();
            database = new DagsterStack.Database(db.address, 5432, Output.of(d.login()), d.database(), d.auth(), region,
                    d.passwordStore(), d.passwordKey());
            cidr = Output.of(d.databaseCidr());
            identity = d.awsRoleArn() == null ? WorkloadIdentity.none() : WorkloadIdentity.aws(Output.of(d.awsRoleArn()));
        }
        var args = DagsterStack.Args.builder()
                .environment(config.environment())
                .namespace(d.namespace())
                .serviceAccountName(d.serviceAccount())
                .cluster(clusterOf(config, ClustersConfig.Component.DAGSTER))
                .identity(identity)
                .chartVersion(d.chartVersion())
                .database(database)
                .databaseCidr(cidr)
                .maxConcurrentRuns(d.maxConcurrentRuns())
                .codeLocations(d.codeLocations())
                .allowWebserverFrom(d.allowWebserverFrom())
                .labels(config.labels());
        config.observability().ifPresent(o -> args.telemetryNamespace(o.namespace()));
        // A client of the Iceberg catalog (it admits Dagster's namespace): egress to its API, and on the local stack to MinIO.
        config.icebergCatalog().filter(i -> i.allowClientsFrom().contains(d.namespace()))
                .ifPresent(i -> args.icebergCatalog(i.namespace(), dev.dataplatform.iceberg.PolarisFacts.API_PORT));
        config.local().ifPresent(l -> args.objectStore(Output.of(l.podCidr()), LocalServices.MINIO_API_PORT));
        if (d.webserverReplicas() != null) {
            args.webserverReplicas(d.webserverReplicas());
        }
        if (d.workerMemoryGiB() != null) {
            args.workerMemoryGiB(d.workerMemoryGiB());
        }
        if (d.duckDbMemoryGiB() != null) {
            args.duckDbMemoryGiB(d.duckDbMemoryGiB());
        }
        if (d.authProxy() != null) {
            args.authProxy(d.authProxy());
        }
        if (d.server() == DagsterConfig.Server.CLOUD_SQL) {
            // Cloud SQL demands client certificates: the pods reach it through the Auth Proxy sidecar.
            var c = config.cloudSql().orElseThrow();
            args.cloudSqlProxy(CloudSqlProxy.connectionName(c.project(), c.region(), c.instanceName()));
        }
        var dagster = new DagsterStack("dagster", args.build(), options.build());
        ctx.export("dagsterWebserver", dagster.webserverUrl);
        ctx.export("dagsterUi", dagster.uiUrl);
    }

    private static void observability(Context ctx, PlatformConfig config, ObservabilityConfig o,
                                      Optional<CloudSqlDatabase> cloudSql, Optional<LocalServices> local) {
        var args = ObservabilityStack.Args.builder()
                .environment(config.environment())
                .namespace(o.namespace())
                .collectorChartVersion(o.collectorChartVersion())
                .export(o.export())
                .telemetryClients(o.telemetryClients())
                .cluster(clusterOf(config, ClustersConfig.Component.OBSERVABILITY))
                .labels(config.labels());
        if (o.jaegerImage() != null) {
            args.jaegerImage(o.jaegerImage());
        }
        if (o.marquezImage() != null) {
            args.marquezImage(o.marquezImage());
        }
        var options = placed(config, ClustersConfig.Component.OBSERVABILITY);
        if (o.marquez() != null && o.marquez().server() == ObservabilityConfig.MarquezServer.LOCAL) {
            // The in-cluster PostgreSQL, directly over TLS; its access Job creates Marquez's login first.
            var services = local.orElseThrow();
            var m = o.marquez();
            args.marquez(new ObservabilityStack.MarquezHostDatabase(LocalServices.postgresHost(config.local().orElseThrow().namespace()),
                    LocalServices.POSTGRES_PORT, m.database(), m.user(), m.passwordStore(),
                    m.passwordKey()), Output.of(config.local().orElseThrow().podCidr()));
            options.dependsOn(services.ready);
        } else if (o.marquez() != null) {
            var db = cloudSql.orElseThrow();
            var c = config.cloudSql().orElseThrow();
            var m = o.marquez();
            args.marquez(new ObservabilityStack.MarquezDatabase(
                    CloudSqlProxy.connectionName(c.project(), c.region(), c.instanceName()), m.database(), m.user(),
                    m.passwordStore(), m.passwordKey(), db.serviceAccountEmails.get(dev.dataplatform.config.CloudSqlConfig.MARQUEZ)),
                    db.privateIp.applyValue(ip -> ip + "/32"));
            // Marquez's own Google service account (cloudSql.workloads.marquez, checked by the parser); the component
            // that creates it binds it to exactly Marquez's KSA (Workload Identity).
        }
        var stack = new ObservabilityStack("observability", args.build(), options.build());
        ctx.export("otlpGrpcEndpoint", stack.otlpGrpcEndpoint);
        ctx.export("otlpHttpEndpoint", stack.otlpHttpEndpoint);
        if (config.environment() == dev.dataplatform.core.Environment.DEV) {
            ctx.export("jaegerUi", stack.jaegerUi);
        }
        if (o.marquez() != null) {
            ctx.export("marquezApiUrl", stack.marquezApiUrl);
        }
    }

    /** One StackGres tenant per client; the component is named after the client (its URN). */
    private static void tenants(Context ctx, PlatformConfig config, TenantsConfig t) {
        var exports = new java.util.TreeMap<String, Output<Map<String, Object>>>();
        // KEDA assumes the SQS scalers' roles with its operator's web-identity token: the program annotates the operator.
        // One IAM role and one annotation per environment, so the platform stack declares them whenever tenants run on
        // AWS (its shards' clients may scale on SQS; two shards declaring them would create the same role twice and
        // removing one shard's last SQS client would delete what the others use); a shard never does.
        if (t.aws() != null && !dev.dataplatform.fleet.Shard.isShard(config.stack())) {
            new dev.dataplatform.stackgres.KedaOperatorIdentity("keda-operator-identity",
                    new dev.dataplatform.stackgres.KedaOperatorIdentity.Args(config.environment(), t.aws(), t.kedaNamespace(),
                            config.labels()), placed(config, ClustersConfig.Component.TENANTS).build());
        }
        for (var client : t.clients()) {
            var args = StackGresTenant.Args.builder()
                    .client(client.name())
                    .environment(config.environment())
                    .appNamespace(client.appNamespace())
                    .database(client.database())
                    .extensions(client.extensions())
                    .appAccess(client.appAccess())
                    .pgstac(client.pgstac())
                    .size(client.size())
                    .storageClass(client.storageClass())
                    .postgresVersion(t.postgresVersion())
                    .citus(client.citus())
                    .backups(t.backups())
                    .aws(t.aws())
                    .operatorNamespace(t.operatorNamespace())
                    .monitoringNamespace(t.monitoringNamespace())
                    .kedaNamespace(t.kedaNamespace())
                    .createAppNamespace(client.createAppNamespace())
                    .scaling(client.scaling())
                    .decommission(client.decommission())
                    .pooling(client.pooling())
                    .cluster(clusterOf(config, ClustersConfig.Component.TENANTS))
                    .labels(config.labels())
                    .build();
            var tenant = new StackGresTenant(client.name(), args, placed(config, ClustersConfig.Component.TENANTS).build());
            // Opt-in: only where the cluster runs the Prometheus operator; Citus clusters are named per shard, not by client.
            config.alerts().map(dev.dataplatform.config.AlertsConfig::tenants).filter(a -> client.citus() == null)
                    .ifPresent(a -> new dev.dataplatform.alerts.TenantAlertRules(client.name() + "-alert-rules",
                            new dev.dataplatform.alerts.TenantAlertRules.Args(client.name(), "tenant-" + client.name(),
                                    config.alerts().orElseThrow().thresholds(), client.size().instances(),
                                    args.poolingSettings().maxDbConnections(),
                                    a.ruleLabels(), config.labels()),
                            placed(config, ClustersConfig.Component.TENANTS).dependsOn(tenant).build()));
            if (client.pgstac()) {
                tenantPgstacMigration(config, client, tenant);
            }
            exports.put(client.name(), Output.tuple(tenant.namespace, tenant.clusterName, tenant.host, tenant.port,
                    tenant.ssmParameter, tenant.secretName, tenant.secretNamespace).applyValue(v -> {
                var m = new java.util.LinkedHashMap<String, Object>();
                m.put("namespace", v.t1);
                m.put("clusterName", v.t2);
                m.put("host", v.t3);
                m.put("port", v.t4);
                m.put("ssmParameter", v.t5);
                m.put("secretName", v.t6);
                m.put("secretNamespace", v.t7);
                return (Map<String, Object>) m;
            }));
        }
        // What the environment's tenant shards read through their StackReference (dev.dataplatform.fleet.Shard).
        if (!dev.dataplatform.fleet.Shard.isShard(config.stack())) {
            ctx.export(dev.dataplatform.fleet.Shard.EXPORT, Output.of(dev.dataplatform.fleet.Shard.export(config, t)));
        }
        ctx.export("tenants", Output.all(List.copyOf(exports.values())).applyValue(values -> {
            var result = new java.util.TreeMap<String, Object>();
            var names = List.copyOf(exports.keySet());
            for (int i = 0; i < names.size(); i++) {
                result.put(names.get(i), values.get(i));
            }
            return result;
        }));
    }

    private static ObjectBuckets buckets(Context ctx, PlatformConfig config, BucketsConfig b, Optional<CloudSqlDatabase> cloudSql) {
        // Bindings for the workloads' service accounts wait for them: they are created in this stack.
        var creators = new java.util.HashMap<String, com.pulumi.resources.Resource>();
        config.cloudSql().ifPresent(c -> cloudSql.ifPresent(db -> c.workloads().forEach(w ->
                creators.put("serviceAccount:" + w.email(c.project()), db.workloadAccounts().get(w.key())))));
        var buckets = new ObjectBuckets("buckets", ObjectBuckets.Args.builder()
                .memberCreators(creators)
                .cloud(b.cloud())
                .prefix(b.prefix())
                .environment(config.environment().id())
                .warehouse(b.warehouse())
                .gcpProject(b.gcpProject())
                .location(b.location())
                .kmsKeyId(b.kmsKeyId())
                .rawRetentionDays(b.rawRetentionDays())
                .rawColdAfterDays(b.rawColdAfterDays())
                .rawArchiveAfterDays(b.rawArchiveAfterDays())
                .noncurrentVersionExpirationDays(b.noncurrentVersionExpirationDays())
                .curatedPruneAfterDays(b.curatedPruneAfterDays())
                .accessLogBucket(b.accessLogBucket())
                // Raw is evidence: kept on destroy everywhere but dev.
                .protectRaw(config.environment().holdsDurableData())
                .protect(config.profile().protect())
                .labels(config.labels())
                .identities(b.ingestion(), b.transformer(), b.readers())
                // Where Polaris owns the warehouse its clients use the credentials it vends: no direct grants there.
                .warehouseDirectAccess(b.warehouseDirectAccess())
                .build(), ComponentResourceOptions.Empty);
        ctx.export("bucketNames", buckets.bucketNames);
        ctx.export("bucketIds", buckets.bucketIds);
        ctx.export("bucketIdentities", buckets.identities);
        return buckets;
    }

    private static RdsDatabase rds(Context ctx, PlatformConfig config, RdsConfig r) {
        var profile = config.profile();
        var builder = RdsDatabase.Args.builder()
                .region(r.region())
                .identifier(r.identifier())
                .engineVersion(r.engineVersion())
                .instanceClass(r.instanceClass())
                .allocatedStorageGb(r.allocatedStorageGb())
                .maxAllocatedStorageGb(r.maxAllocatedStorageGb())
                .vpcId(r.vpcId())
                .subnetIds(r.subnetIds())
                .allowedSecurityGroupIds(r.allowedSecurityGroupIds())
                .allowedCidrs(r.allowedCidrs())
                .multiAz(profile.highAvailability())
                .deletionProtection(profile.deletionProtection())
                .protect(profile.protect())
                .backupRetentionDays(profile.backupRetentionDays())
                .backupWindow(r.backupWindow())
                .maintenanceWindow(r.maintenanceWindow())
                .monitoringIntervalSeconds(r.monitoringIntervalSeconds())
                .masterUsername(r.masterUsername())
                .parameters(r.parameters())
                .tags(config.labels())
                // Escape hatch only: manageRoles false declares no databases or roles (docs/connectivity.md "RDS").
                .databases(r.manageRoles() ? r.databases() : java.util.List.of());
        if (r.kmsKeyId() != null) {
            builder.kmsKeyId(r.kmsKeyId());
        }
        // Default: the account of the stack's EKS cluster (tenants.aws, rds.logicalBackups.aws).
        String account = r.accountId() != null ? r.accountId()
                : config.tenants().map(t -> t.aws().accountId())
                .orElse(r.logicalBackups() != null ? r.logicalBackups().accountId() : null);
        if (account != null) {
            builder.accountId(account);
        }
        if (r.ssmParameterName() != null) {
            builder.ssmParameterName(r.ssmParameterName());
        }
        if (r.proxy() != null) {
            builder.proxy(r.proxy());
        }
        var db = new RdsDatabase("rds", builder.build(), ComponentResourceOptions.Empty);
        ctx.export("rdsEndpoint", db.endpoint);
        ctx.export("rdsAddress", db.address);
        ctx.export("rdsPort", db.port);
        ctx.export("rdsArn", db.arn);
        ctx.export("rdsResourceId", db.resourceId);
        ctx.export("rdsMasterSecretArn", db.masterSecretArn);
        ctx.export("rdsSecurityGroupId", db.securityGroupId);
        ctx.export("rdsDatabases", db.databases);
        if (db.proxyEndpoint != null) {
            ctx.export("rdsProxyEndpoint", db.proxyEndpoint);
            ctx.export("rdsProxyConnectPolicyArn", db.proxyConnectPolicyArn);
        }
        if (r.logicalBackups() != null) {
            rdsLogicalBackups(ctx, config, r, db);
        }
        config.alerts().filter(a -> a.aws() != null).ifPresent(a -> rdsAlarms(config, r, db, a));
        return db;
    }

    private static CloudSqlDatabase cloudSql(Context ctx, PlatformConfig config, CloudSqlConfig c) {
        var profile = config.profile();
        var args = CloudSqlDatabase.Args.builder()
                .project(c.project())
                .region(c.region())
                .privateNetwork(c.privateNetwork())
                .instanceName(c.instanceName())
                .databaseVersion(c.databaseVersion())
                .tier(c.tier())
                .edition(c.edition())
                .diskSizeGb(c.diskSizeGb())
                .diskAutoresizeLimitGb(c.diskAutoresizeLimitGb())
                .highAvailability(profile.highAvailability())
                .deletionProtection(profile.deletionProtection())
                .protect(profile.protect())
                .backupRetentionDays(profile.backupRetentionDays())
                .transactionLogRetentionDays(c.transactionLogRetentionDays())
                .pointInTimeRecovery(profile.pointInTimeRecovery())
                .backupStartTime(c.backupStartTime())
                .maintenanceWindow(c.maintenanceDay(), c.maintenanceHour())
                .flags(c.flags())
                .labels(config.labels())
                .adminPassword(c.adminPasswordSecretId() != null
                        ? CloudSqlDatabase.adminPasswordFromSecretManager(c.project(), c.adminPasswordSecretId())
                        : c.adminPassword() == null ? null : c.adminPassword().toOutput())
                .databases(c.databases())
                .workloads(c.workloads())
                .cluster(clusterOf(config, ClustersConfig.Component.CLOUD_SQL_WORKLOAD))
                .build();
        var db = new CloudSqlDatabase("cloudsql", args, placed(config, ClustersConfig.Component.CLOUD_SQL_WORKLOAD).build());
        ctx.export("cloudSqlConnectionName", db.connectionName);
        ctx.export("cloudSqlPrivateIp", db.privateIp);
        ctx.export("cloudSqlDatabases", db.databases);
        if (!c.workloads().isEmpty()) {
            // One Google service account per workload; IAM database users only for workloads with database access.
            ctx.export("cloudSqlServiceAccountEmails", outputMap(db.serviceAccountEmails));
            ctx.export("cloudSqlIamUsers", outputMap(db.iamUsers));
            ctx.export("cloudSqlProxyUris", db.proxyUris);
        }
        if (c.databases().stream().anyMatch(d -> d.name().equals("pgstac"))) {
            ctx.export("PGSTAC_URI", db.proxyUris.applyValue(uris -> uris.get("pgstac")));
        }
        config.pgstac().filter(p -> p.passwordStore() != null).ifPresent(p -> pgstacMigration(ctx, config, c, db, p));
        config.logicalBackups().ifPresent(b -> logicalBackups(ctx, config, c, db, b));
        config.alerts().filter(a -> a.gcp() != null).ifPresent(a -> cloudSqlAlerts(config, c, db, a));
        return db;
    }

    /** A map of outputs as one output of a map (same keys, same order). */
    static Output<Map<String, String>> outputMap(Map<String, Output<String>> outputs) {
        var keys = List.copyOf(outputs.keySet());
        return Output.all(List.copyOf(outputs.values())).applyValue(values -> {
            var result = new java.util.LinkedHashMap<String, String>();
            for (int i = 0; i < keys.size(); i++) {
                result.put(keys.get(i), values.get(i));
            }
            return (Map<String, String>) result;
        });
    }

    /** Cloud Monitoring alert policies on the instance, to the channels in data-platform:alerts.gcp. */
    private static void cloudSqlAlerts(PlatformConfig config, CloudSqlConfig c, CloudSqlDatabase db,
                                       dev.dataplatform.config.AlertsConfig a) {
        new dev.dataplatform.alerts.CloudSqlAlerts("cloudsql-alerts", new dev.dataplatform.alerts.CloudSqlAlerts.Args(
                c.project(), c.instanceName(), a.thresholds(), a.gcp().notificationChannels(), a.gcp().emails(),
                c.diskAutoresizeLimitGb(), a.gcp().maxConnections(), config.labels(),
                // The Cloud SQL backup and drill Jobs' failure lines, where the stack runs them.
                config.logicalBackups().isPresent() ? dev.dataplatform.backup.LogicalBackup.NAMESPACE : null),
                ComponentResourceOptions.builder().dependsOn(db).build());
    }

    /** CloudWatch alarms on the instance, to the SNS topic in data-platform:alerts.aws. */
    private static void rdsAlarms(PlatformConfig config, RdsConfig r, RdsDatabase db, dev.dataplatform.config.AlertsConfig a) {
        new dev.dataplatform.alerts.RdsAlarms("rds-alarms", new dev.dataplatform.alerts.RdsAlarms.Args(
                "dp-" + config.environment().id() + "-rds", r.identifier(), a.thresholds(), a.aws().snsTopicArn(),
                r.allocatedStorageGb(), r.maxAllocatedStorageGb(), a.aws().maxConnections(), config.labels(),
                db.allocatedStorageGb),
                ComponentResourceOptions.builder().dependsOn(db).build());
    }

    /** Scheduled pg_dump of the RDS databases to their own S3 bucket, the restore drill (stage: weekly) and metrics. */
    private static void rdsLogicalBackups(Context ctx, PlatformConfig config, RdsConfig r, RdsDatabase db) {
        var b = r.logicalBackups();
        var extensions = new java.util.LinkedHashMap<String, List<String>>();
        r.databases().forEach(d -> extensions.put(d.name(), d.allExtensions()));
        var backups = new dev.dataplatform.backup.RdsLogicalBackup("rds-logical-backup",
                new dev.dataplatform.backup.RdsLogicalBackup.Args(config.environment(), r.region(), b.accountId(),
                        b.oidcProvider(), db.address, db.resourceId, r.engineVersion(),
                        // The manageRoles escape hatch declares no provider: the logins are then a DBA's.
                        r.manageRoles() ? db.adminConnection : null, b.databaseCidr(),
                        b.bucket(), b.prefix(), b.retentionDays(), config.profile().protect(), b.schedule(), b.databases(),
                        extensions, b.login(), b.restoreDrill(), alarmTopic(config, b), config.labels()),
                clusterOf(config, ClustersConfig.Component.RDS_LOGICAL_BACKUPS),
                placed(config, ClustersConfig.Component.RDS_LOGICAL_BACKUPS).dependsOn(db).build());
        ctx.export("rdsLogicalBackupLocation", backups.backupLocation);
        if (b.restoreDrill() != null) {
            // One of the two is empty: a scheduled drill has CronJobs, an on-demand one Jobs.
            ctx.export("rdsRestoreDrillCronJobs", backups.drillCronJobs);
            ctx.export("rdsRestoreDrillJobs", backups.drillJobs);
        }
    }

    /** The backups' own alarm topic, else data-platform:alerts.aws's (the parser checked the schedules' windows). */
    private static String alarmTopic(PlatformConfig config, dev.dataplatform.config.RdsLogicalBackupConfig b) {
        if (b.alarmTopicArn() != null) {
            return b.alarmTopicArn();
        }
        return config.alerts().filter(a -> a.aws() != null).map(a -> a.aws().snsTopicArn()).orElse(null);
    }

    /** Scheduled pg_dump of the instance's databases to the backup bucket, and the restore drill when configured. */
    private static void logicalBackups(Context ctx, PlatformConfig config, CloudSqlConfig c, CloudSqlDatabase db,
                                       dev.dataplatform.config.LogicalBackupConfig b) {
        var extensions = new java.util.LinkedHashMap<String, List<String>>();
        c.databases().forEach(d -> extensions.put(d.name(), d.allExtensions()));
        var backups = new dev.dataplatform.backup.LogicalBackup("cloudsql-logical-backup", new dev.dataplatform.backup.LogicalBackup.Args(
                c.project(), c.region(), CloudSqlProxy.connectionName(c.project(), c.region(), c.instanceName()), db.privateIp,
                b.bucket(), b.prefix(), b.retentionDays(), config.profile().protect(), b.schedule(), b.databases(), b.login(),
                b.passwordStore(), b.passwordKey(), b.restoreDrill(),
                // The drill's scratch databases are created by the admin (the stack's own provider connection), when
                // the stack manages the instance's databases; otherwise a DBA creates them (docs/operations.md).
                db.adminConnection,
                extensions, config.environment() == dev.dataplatform.core.Environment.PROD, config.labels()),
                clusterOf(config, ClustersConfig.Component.LOGICAL_BACKUPS),
                placed(config, ClustersConfig.Component.LOGICAL_BACKUPS).dependsOn(db).build());
        ctx.export("logicalBackupLocation", backups.backupLocation);
        if (b.restoreDrill() != null) {
            ctx.export("restoreDrillJobs", backups.drillJobs);
        }
    }

    /**
     * pgSTAC's migration for a tenant: a Job in its namespace ({@code tenant-<client>}) to its cluster's Service
     * ({@code <client>}), as StackGres's superuser, after the tenant's resources (its SGScript) are declared.
     */
    private static void tenantPgstacMigration(PlatformConfig config, TenantsConfig.Client client, StackGresTenant tenant) {
        String database = client.database() == null ? client.name().replace('-', '_') : client.database();
        new PgstacMigration(client.name() + "-pgstac", new PgstacMigration.Args(
                List.of(new PgstacMigration.PgstacDatabase(database, PgstacMigration.StackGresService.SUPERUSER)),
                config.pgstac().orElseThrow().version(),
                new PgstacMigration.StackGresService("tenant-" + client.name(), client.name()), config.labels()),
                clusterOf(config, ClustersConfig.Component.TENANTS),
                placed(config, ClustersConfig.Component.TENANTS).dependsOn(tenant).build());
    }

    /** pgSTAC's migration as a Job per pgSTAC database, after the instance's roles and grants exist. */
    private static void pgstacMigration(Context ctx, PlatformConfig config, CloudSqlConfig c, CloudSqlDatabase db, PgstacConfig p) {
        var targets = c.databases().stream().filter(DatabaseModel::pgstac)
                .map(d -> {
                    // The provider cannot set the database's search_path: the Job sets it for each workload login
                    // (the database's logins and the IAM users of the workloads with access to it).
                    var logins = CloudSqlDatabase.withWorkloadLogins(c.project(), List.of(d), c.workloads()).get(0).logins().stream()
                            .filter(l -> l.access() != dev.dataplatform.access.Access.MIGRATOR).map(l -> l.name()).toList();
                    return new PgstacMigration.PgstacDatabase(d.name(), d.migrators().get(0), logins);
                }).toList();
        var migration = new PgstacMigration("cloudsql-pgstac", new PgstacMigration.Args(targets, p.version(),
                new PgstacMigration.CloudSql(c.project(), CloudSqlProxy.connectionName(c.project(), c.region(), c.instanceName()),
                        db.privateIp, db.serviceAccountEmails.get(dev.dataplatform.config.CloudSqlConfig.PGSTAC_MIGRATOR),
                        p.passwordStore(), p.passwordKey()), config.labels()),
                clusterOf(config, ClustersConfig.Component.PGSTAC_MIGRATION),
                placed(config, ClustersConfig.Component.PGSTAC_MIGRATION).dependsOn(db).build());
        ctx.export("pgstacMigrationJobs", migration.jobs);
    }

    /**
     * data-platform:local: PostgreSQL + PostGIS and MinIO in the cluster, the access model applied by a Job, and
     * pgSTAC's migration (as the superuser, as on a StackGres tenant) after it.
     */
    private static LocalServices local(Context ctx, PlatformConfig config, LocalConfig l) {
        var clients = new java.util.ArrayList<String>();
        config.dagster().ifPresent(d -> clients.add(d.namespace()));
        config.observability().ifPresent(o -> clients.add(o.namespace()));
        config.icebergCatalog().ifPresent(i -> clients.add(i.namespace()));
        var services = new LocalServices("local", new LocalServices.Args(config.environment(), l.namespace(), l.podCidr(),
                l.postgresStorageGiB(), l.minioStorageGiB(), l.databases(), clients, config.labels(),
                config.icebergCatalog().isPresent()),
                placed(config, ClustersConfig.Component.LOCAL).build());
        ctx.export("localPostgresHost", services.postgresHost);
        ctx.export("localS3Endpoint", services.s3Endpoint);
        ctx.export("localAccessJob", services.accessJob);
        var targets = l.databases().stream().filter(DatabaseModel::pgstac)
                .map(d -> new PgstacMigration.PgstacDatabase(d.name(), PgstacMigration.StackGresService.SUPERUSER,
                        d.logins().stream().filter(x -> x.access() != dev.dataplatform.access.Access.MIGRATOR)
                                .map(dev.dataplatform.access.Login::name).toList()))
                .toList();
        if (!targets.isEmpty()) {
            var migration = new PgstacMigration("local-pgstac", new PgstacMigration.Args(targets, config.pgstac().orElseThrow().version(),
                    new PgstacMigration.StackGresService(l.namespace(), LocalServices.POSTGRES_SERVICE), config.labels()),
                    clusterOf(config, ClustersConfig.Component.LOCAL),
                    placed(config, ClustersConfig.Component.LOCAL).dependsOn(services.ready).build());
            ctx.export("pgstacMigrationJobs", migration.jobs);
        }
        return services;
    }
}
