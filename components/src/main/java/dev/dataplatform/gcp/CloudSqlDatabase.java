package dev.dataplatform.gcp;

import com.pulumi.core.Output;
import com.pulumi.gcp.projects.IAMMember;
import com.pulumi.gcp.projects.IAMMemberArgs;
import com.pulumi.gcp.serviceaccount.Account;
import com.pulumi.gcp.serviceaccount.AccountArgs;
import com.pulumi.gcp.sql.DatabaseInstance;
import com.pulumi.gcp.sql.DatabaseInstanceArgs;
import com.pulumi.gcp.sql.User;
import com.pulumi.gcp.sql.UserArgs;
import com.pulumi.gcp.sql.inputs.DatabaseInstanceSettingsArgs;
import com.pulumi.gcp.sql.inputs.DatabaseInstanceSettingsBackupConfigurationArgs;
import com.pulumi.gcp.sql.inputs.DatabaseInstanceSettingsBackupConfigurationBackupRetentionSettingsArgs;
import com.pulumi.gcp.sql.inputs.DatabaseInstanceSettingsDatabaseFlagArgs;
import com.pulumi.gcp.sql.inputs.DatabaseInstanceSettingsInsightsConfigArgs;
import com.pulumi.gcp.sql.inputs.DatabaseInstanceSettingsIpConfigurationArgs;
import com.pulumi.gcp.sql.inputs.DatabaseInstanceSettingsMaintenanceWindowArgs;
import com.pulumi.resources.ComponentResource;
import com.pulumi.resources.ComponentResourceOptions;
import com.pulumi.resources.CustomResourceOptions;
import dev.dataplatform.access.Access;
import dev.dataplatform.access.AccessModel;
import dev.dataplatform.access.DatabaseModel;
import dev.dataplatform.access.Login;
import dev.dataplatform.access.PostgresAccess;
import dev.dataplatform.kubernetes.CloudSqlProxy;
import dev.dataplatform.postgresql.Provider;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * PostgreSQL on Cloud SQL for one environment: a private-IP-only instance with TLS, IAM database
 * authentication, backups and PITR, the access model's databases and roles, and a workload service
 * account that pods use through Workload Identity and the Cloud SQL Auth Proxy (no passwords).
 *
 * <p>Children are named {@code <name>-...}; those names are URNs: never rename them.
 */
public final class CloudSqlDatabase extends ComponentResource {
    public static final String TYPE = "dataplatform:gcp:CloudSqlDatabase";
    /** Always on: IAM users log in without passwords. */
    public static final String IAM_AUTHENTICATION_FLAG = "cloudsql.iam_authentication";

    /**
     * project:region:instance, for the Auth Proxy and connectors. Computed from the args (the API
     * derives it the same way), so it is known before the instance exists and in the offline plan;
     * it still depends on the instance, so whatever uses it waits for the instance.
     */
    public final Output<String> connectionName;
    /** The instance's private IP in the VPC. */
    public final Output<String> privateIp;
    /** The workload's Google service account ({@code <id>@<project>.iam.gserviceaccount.com}, known offline). */
    public final Output<String> serviceAccountEmail;
    /** The workload's Cloud SQL IAM database user (the email without ".gserviceaccount.com"). */
    public final Output<String> iamUser;
    /** Database names. */
    public final Output<List<String>> databases;
    /** Per database: a URI for clients that connect through the Auth Proxy sidecar (IAM auth, no password). */
    public final Output<Map<String, String>> proxyUris;
    /**
     * How the stack's postgresql providers log in as the admin (through the Cloud SQL connector), or null when no
     * admin password is configured (a DBA then manages databases and roles).
     */
    public final Provider.Args adminConnection;

    /**
     * The workload that uses the databases: a Google service account with only
     * roles/cloudsql.client and roles/cloudsql.instanceUser, bound to a Kubernetes ServiceAccount
     * through Workload Identity.
     *
     * @param serviceAccountId the Google service account ID (6-30 characters)
     * @param access           WRITER (ingestion) or READER (APIs) in every database
     * @param namespace        the Kubernetes namespace of the pods
     * @param kubernetesServiceAccount the Kubernetes ServiceAccount the pods run as
     * @param createKubernetesResources also create the namespace (restricted, default deny, egress
     *                   to DNS, Google APIs, the metadata server and the instance) and the annotated
     *                   ServiceAccount, through the default Kubernetes provider. Default: false.
     */
    public record Workload(String serviceAccountId, Access access, String namespace, String kubernetesServiceAccount,
                           boolean createKubernetesResources) {
        public Workload(String serviceAccountId, Access access, String namespace, String kubernetesServiceAccount) {
            this(serviceAccountId, access, namespace, kubernetesServiceAccount, false);
        }

        public Workload {
            CloudSqlRules.accountId(serviceAccountId).ifPresent(e -> {
                throw new IllegalArgumentException("workload serviceAccountId " + e);
            });
            if (access == Access.OWNER) {
                throw new IllegalArgumentException("workload access must be WRITER or READER: owners run migrations, not workloads");
            }
            CloudSqlRules.kubernetesName(namespace).ifPresent(e -> {
                throw new IllegalArgumentException("workload namespace " + e);
            });
            CloudSqlRules.kubernetesName(kubernetesServiceAccount).ifPresent(e -> {
                throw new IllegalArgumentException("workload kubernetesServiceAccount " + e);
            });
        }
    }

    /** Everything the component needs; {@link Builder#build()} checks it. */
    public static final class Args {
        String project;
        String region;
        String privateNetwork;
        /** privateNetwork given as another resource's output (component package); checked when known. */
        Output<String> privateNetworkOutput;
        String instanceName;
        String databaseVersion = "POSTGRES_15";
        String tier;
        String edition = "ENTERPRISE";
        int diskSizeGb = 20;
        int diskAutoresizeLimitGb;
        boolean highAvailability;
        boolean deletionProtection;
        boolean protect;
        int backupRetentionDays;
        Integer transactionLogRetentionDays;
        boolean pointInTimeRecovery;
        String backupStartTime = "02:00";
        int maintenanceDay = 7;
        int maintenanceHour = 3;
        Map<String, String> flags = Map.of();
        Map<String, String> labels = Map.of();
        Output<String> adminPassword;
        List<DatabaseModel> databases = List.of();
        Workload workload;
        dev.dataplatform.kubernetes.Cluster cluster;

        public static Builder builder() {
            return new Builder();
        }

        public static final class Builder {
            private final Args a = new Args();

            /** The GCP project. Required. */
            public Builder project(String project) { a.project = project; return this; }

            /** The region, e.g. europe-west1. Required. */
            public Builder region(String region) { a.region = region; return this; }

            /** The VPC with private services access: projects/P/global/networks/N. Required: there is no public IP. */
            public Builder privateNetwork(String network) { a.privateNetwork = network; return this; }

            /** The VPC as another resource's output (e.g. a network's id); checked when its value is known. */
            public Builder privateNetworkFrom(Output<String> network) { a.privateNetworkOutput = network; return this; }

            /** The instance name. Required; changing it replaces the instance. */
            public Builder instanceName(String name) { a.instanceName = name; return this; }

            /** Default: POSTGRES_15. */
            public Builder databaseVersion(String version) { a.databaseVersion = version; return this; }

            /** The machine tier, e.g. db-custom-2-7680. Required. */
            public Builder tier(String tier) { a.tier = tier; return this; }

            /** ENTERPRISE (default) or ENTERPRISE_PLUS. */
            public Builder edition(String edition) { a.edition = edition; return this; }

            /** Initial SSD size. Default: 20 GiB; it grows automatically up to the limit. */
            public Builder diskSizeGb(int size) { a.diskSizeGb = size; return this; }

            /** Autoresize ceiling. Required (an unbounded disk is an unbounded bill). */
            public Builder diskAutoresizeLimitGb(int limit) { a.diskAutoresizeLimitGb = limit; return this; }

            /** REGIONAL (a standby in another zone) when true, ZONAL otherwise. */
            public Builder highAvailability(boolean on) { a.highAvailability = on; return this; }

            /** Cloud SQL's own deletion protection (the API refuses to delete). */
            public Builder deletionProtection(boolean on) { a.deletionProtection = on; return this; }

            /** Pulumi protect on the instance and databases. */
            public Builder protect(boolean on) { a.protect = on; return this; }

            /** Automated backups kept (one a day). Cloud SQL keeps at least 2 (see {@link CloudSqlRules#backupRetention}). */
            public Builder backupRetentionDays(int days) { a.backupRetentionDays = days; return this; }

            /**
             * Days of transaction logs for PITR: 1 to 7 (35 on ENTERPRISE_PLUS), fewer than the backups kept.
             * Default: one day fewer than the backups, at most 7 (35).
             */
            public Builder transactionLogRetentionDays(Integer days) { a.transactionLogRetentionDays = days; return this; }

            /** Point-in-time recovery (WAL kept for up to 7 days). */
            public Builder pointInTimeRecovery(boolean on) { a.pointInTimeRecovery = on; return this; }

            /** When the daily backup starts, HH:MM UTC. Default: 02:00. */
            public Builder backupStartTime(String time) { a.backupStartTime = time; return this; }

            /** Maintenance window: day 1 (Monday) to 7 (Sunday), hour 0-23 UTC. Default: Sunday 03:00. */
            public Builder maintenanceWindow(int day, int hour) { a.maintenanceDay = day; a.maintenanceHour = hour; return this; }

            /** Extra database flags; cloudsql.iam_authentication is always on. */
            public Builder flags(Map<String, String> flags) { a.flags = Map.copyOf(flags); return this; }

            public Builder labels(Map<String, String> labels) { a.labels = Map.copyOf(labels); return this; }

            /** The built-in postgres user's password (the provider's admin login). A secret. Required with databases. */
            public Builder adminPassword(Output<String> password) { a.adminPassword = password == null ? null : password.asSecret(); return this; }

            public Builder databases(List<DatabaseModel> databases) { a.databases = List.copyOf(databases); return this; }

            public Builder workload(Workload workload) { a.workload = workload; return this; }

            /**
             * The GKE cluster the workload's namespace lands on (with {@code createKubernetesResources}): its
             * ServiceAccount uses GKE Workload Identity, so another kind is refused. Default: none.
             */
            public Builder cluster(dev.dataplatform.kubernetes.Cluster cluster) { a.cluster = cluster; return this; }

            public Args build() {
                var problems = new ArrayList<String>();
                require(problems, "project", a.project, CloudSqlRules.project(nonNull(a.project)));
                require(problems, "region", a.region, CloudSqlRules.region(nonNull(a.region)));
                if (a.privateNetworkOutput == null) {
                    require(problems, "privateNetwork", a.privateNetwork, CloudSqlRules.privateNetwork(nonNull(a.privateNetwork)));
                }
                require(problems, "instanceName", a.instanceName, CloudSqlRules.instanceName(nonNull(a.instanceName)));
                require(problems, "databaseVersion", a.databaseVersion, CloudSqlRules.databaseVersion(nonNull(a.databaseVersion)));
                require(problems, "tier", a.tier, CloudSqlRules.tier(nonNull(a.tier)));
                require(problems, "backupStartTime", a.backupStartTime, CloudSqlRules.time(nonNull(a.backupStartTime)));
                if (!List.of("ENTERPRISE", "ENTERPRISE_PLUS").contains(a.edition)) {
                    problems.add("edition '" + a.edition + "' is not valid; allowed: ENTERPRISE, ENTERPRISE_PLUS");
                }
                if (a.diskSizeGb < 10 || a.diskSizeGb > 65536) {
                    problems.add("diskSizeGb " + a.diskSizeGb + " is out of range; allowed: 10 to 65536");
                }
                if (a.diskAutoresizeLimitGb < a.diskSizeGb || a.diskAutoresizeLimitGb > 65536) {
                    problems.add("diskAutoresizeLimitGb " + a.diskAutoresizeLimitGb + " is out of range; allowed: diskSizeGb ("
                            + a.diskSizeGb + ") to 65536");
                }
                if (a.backupRetentionDays < 1 || a.backupRetentionDays > 365) {
                    problems.add("backupRetentionDays " + a.backupRetentionDays + " is out of range; allowed: 1 to 365");
                }
                if (a.transactionLogRetentionDays != null) {
                    CloudSqlRules.transactionLogRetention(a.backupRetentionDays, a.transactionLogRetentionDays, a.edition)
                            .ifPresent(p -> problems.add("transactionLogRetentionDays " + p));
                }
                if (a.maintenanceDay < 1 || a.maintenanceDay > 7 || a.maintenanceHour < 0 || a.maintenanceHour > 23) {
                    problems.add("maintenance window day " + a.maintenanceDay + " hour " + a.maintenanceHour
                            + " is not valid; allowed: day 1-7, hour 0-23");
                }
                if ("off".equalsIgnoreCase(a.flags.get(IAM_AUTHENTICATION_FLAG))) {
                    problems.add("flag " + IAM_AUTHENTICATION_FLAG + " cannot be off: workloads log in with IAM");
                }
                if (a.tier != null && a.highAvailability && CloudSqlRules.sharedCore(a.tier)) {
                    problems.add("tier " + a.tier + " is shared-core and cannot be highly available; use db-custom-*");
                }
                if (!a.databases.isEmpty() && a.adminPassword == null) {
                    problems.add("adminPassword is required to manage databases and roles");
                }
                if (!a.databases.isEmpty() && a.workload == null) {
                    problems.add("workload is required with databases: it is who uses them");
                }
                if (a.workload != null && a.workload.createKubernetesResources()) {
                    try {
                        dev.dataplatform.kubernetes.WorkloadNamespace.check("workload", a.cluster,
                                dev.dataplatform.kubernetes.Cluster.Identity.GKE_WORKLOAD_IDENTITY);
                    } catch (IllegalArgumentException e) {
                        problems.add(e.getMessage());
                    }
                }
                if (!problems.isEmpty()) {
                    throw new IllegalArgumentException("CloudSqlDatabase: " + String.join("; ", problems));
                }
                return a;
            }

            private static String nonNull(String value) {
                return value == null ? "" : value;
            }

            private static void require(List<String> problems, String key, String value, Optional<String> problem) {
                if (value == null) {
                    problems.add(key + " is required");
                } else {
                    problem.ifPresent(p -> problems.add(key + " " + p));
                }
            }
        }
    }

    public CloudSqlDatabase(String name, Args args, ComponentResourceOptions options) {
        super(TYPE, name, options);
        var flags = new TreeMap<>(args.flags);
        flags.put(IAM_AUTHENTICATION_FLAG, "on");
        var flagArgs = flags.entrySet().stream()
                .map(f -> DatabaseInstanceSettingsDatabaseFlagArgs.builder().name(f.getKey()).value(f.getValue()).build())
                .toList();

        var retention = CloudSqlRules.backupRetention(args.backupRetentionDays, args.transactionLogRetentionDays, args.edition);
        var instance = new DatabaseInstance(name, DatabaseInstanceArgs.builder()
                .project(args.project)
                .region(args.region)
                .name(args.instanceName)
                .databaseVersion(args.databaseVersion)
                .deletionProtection(args.deletionProtection)
                .rootPassword(args.adminPassword)
                .settings(DatabaseInstanceSettingsArgs.builder()
                        .tier(args.tier)
                        .edition(args.edition)
                        .availabilityType(args.highAvailability ? "REGIONAL" : "ZONAL")
                        .deletionProtectionEnabled(args.deletionProtection)
                        .diskType("PD_SSD")
                        .diskSize(args.diskSizeGb)
                        .diskAutoresize(true)
                        .diskAutoresizeLimit(args.diskAutoresizeLimitGb)
                        .ipConfiguration(DatabaseInstanceSettingsIpConfigurationArgs.builder()
                                .ipv4Enabled(false)
                                .privateNetwork(args.privateNetworkOutput == null ? Output.of(args.privateNetwork)
                                        : args.privateNetworkOutput.applyValue(network -> {
                                            CloudSqlRules.privateNetwork(network).ifPresent(problem -> {
                                                throw new IllegalArgumentException("CloudSqlDatabase " + name
                                                        + ": privateNetwork " + problem);
                                            });
                                            return network;
                                        }))
                                .requireSsl(true)
                                .enablePrivatePathForGoogleCloudServices(true)
                                .build())
                        .backupConfiguration(DatabaseInstanceSettingsBackupConfigurationArgs.builder()
                                .enabled(true)
                                .startTime(args.backupStartTime)
                                .pointInTimeRecoveryEnabled(args.pointInTimeRecovery)
                                .transactionLogRetentionDays(retention.transactionLogRetentionDays())
                                .backupRetentionSettings(DatabaseInstanceSettingsBackupConfigurationBackupRetentionSettingsArgs.builder()
                                        .retainedBackups(retention.retainedBackups())
                                        .retentionUnit("COUNT")
                                        .build())
                                .build())
                        .maintenanceWindow(DatabaseInstanceSettingsMaintenanceWindowArgs.builder()
                                .day(args.maintenanceDay).hour(args.maintenanceHour).updateTrack("stable").build())
                        .insightsConfig(DatabaseInstanceSettingsInsightsConfigArgs.builder()
                                .queryInsightsEnabled(true)
                                .queryStringLength(1024)
                                .recordApplicationTags(true)
                                .recordClientAddress(false)
                                .build())
                        .databaseFlags(flagArgs)
                        .userLabels(args.labels)
                        .build())
                .build(), CustomResourceOptions.builder().parent(this).protect(args.protect)
                // The root password is the initial one (the API's rootPassword: "use only on creation"); it
                // may be unknown in a preview (adminPasswordFromSecretManager), which must not show a change.
                .ignoreChanges("rootPassword").build());

        // Known from the args; derived from the instance's URN so it carries the dependency on it.
        String knownConnectionName = CloudSqlProxy.connectionName(args.project, args.region, args.instanceName);
        this.connectionName = instance.urn().applyValue(urn -> knownConnectionName);
        this.adminConnection = args.adminPassword == null ? null : adminConnection(connectionName, args.adminPassword);
        this.privateIp = instance.privateIpAddress();

        Output<String> email = Output.of("");
        Output<String> user = Output.of("");
        var names = new ArrayList<String>();
        if (args.workload != null) {
            var workload = args.workload;
            var account = new Account(name + "-workload", AccountArgs.builder()
                    .project(args.project)
                    .accountId(workload.serviceAccountId())
                    .displayName("data-platform workload (" + args.instanceName + ")")
                    .build(), CustomResourceOptions.builder().parent(this).build());
            String knownEmail = serviceAccountEmail(workload.serviceAccountId(), args.project);
            this.workloadAccount = account;
            email = account.urn().applyValue(urn -> knownEmail);
            var member = email.applyValue(e -> "serviceAccount:" + e);
            for (String role : List.of("roles/cloudsql.client", "roles/cloudsql.instanceUser")) {
                new IAMMember(name + "-workload-" + role.substring(role.lastIndexOf('.') + 1), IAMMemberArgs.builder()
                        .project(args.project).role(role).member(member).build(),
                        CustomResourceOptions.builder().parent(this).build());
            }
            new com.pulumi.gcp.serviceaccount.IAMMember(name + "-workload-identity",
                    com.pulumi.gcp.serviceaccount.IAMMemberArgs.builder()
                            .serviceAccountId(account.name())
                            .role("roles/iam.workloadIdentityUser")
                            .member(workloadIdentityMember(args.project, workload.namespace(), workload.kubernetesServiceAccount()))
                            .build(), CustomResourceOptions.builder().parent(this).build());

            if (workload.createKubernetesResources()) {
                kubernetes(name, workload, email, instance, args.cluster);
            }

            // The IAM database user is named after the service account, without ".gserviceaccount.com".
            String iamUserName = iamUserName(knownEmail);
            var sqlUser = new User(name + "-iam-user", UserArgs.builder()
                    .project(args.project)
                    .instance(instance.name())
                    .name(iamUserName)
                    .type("CLOUD_IAM_SERVICE_ACCOUNT")
                    .build(), CustomResourceOptions.builder().parent(this).dependsOn(account).build());
            user = sqlUser.name();

            if (!args.databases.isEmpty()) {
                var models = args.databases.stream().map(db -> {
                    var logins = new ArrayList<>(db.logins());
                    logins.add(new Login(iamUserName, workload.access(), true));
                    return new DatabaseModel(db.name(), db.schemas(), db.extensions(), db.pgstac(), logins);
                }).toList();
                models.forEach(db -> names.add(db.name()));
                new PostgresAccess(name + "-access", new PostgresAccess.Args(new AccessModel(models),
                        this.adminConnection,
                        args.protect, List.of(sqlUser)),
                        ComponentResourceOptions.builder().parent(this).dependsOn(instance).build());
            }
        }
        this.serviceAccountEmail = email;
        this.iamUser = user;
        this.databases = Output.of(List.copyOf(names));
        this.proxyUris = user.applyValue(u -> {
            var uris = new LinkedHashMap<String, String>();
            names.forEach(db -> uris.put(db, proxyUri(u, db)));
            return Map.copyOf(uris);
        });
        registerOutputs(Map.of(
                "connectionName", connectionName,
                "privateIp", privateIp,
                "serviceAccountEmail", serviceAccountEmail,
                "iamUser", iamUser,
                "databases", databases,
                "proxyUris", proxyUris));
    }

    /** The workload's Google service account, when there is a workload (for resources that must wait for it). */
    public Optional<Account> workloadAccount() {
        return Optional.ofNullable(workloadAccount);
    }

    /**
     * How the deployer's postgresql provider reaches the instance: pulumi-postgresql 3.18.0's
     * {@code gcppostgres} scheme (terraform-provider-postgresql at the commit it pins; see
     * docs/upstream-facts.md) dials through the Cloud SQL connector library: it fetches an ephemeral
     * client certificate with the deployer's Google credentials and opens mTLS to the instance's
     * private IP on port 3307, which meets {@code requireSsl} without any certificate handled by
     * hand. The host is the instance connection name; sslmode is not used by that scheme (TLS is
     * the connector's), so it is not set.
     */
    public static Provider.Args adminConnection(Output<String> connectionName, Output<String> adminPassword) {
        return Provider.Args.builder()
                .scheme(GCP_SCHEME)
                .host(connectionName)
                .port(5432)
                .username(Output.of(ADMIN_USER))
                .password(adminPassword)
                .database("postgres")
                .superuser(false)
                .build();
    }

    /**
     * The admin password kept in Secret Manager (secret {@code secretId} of {@code project}, version
     * {@code latest}), read during {@code pulumi up} only: in a preview it is an unknown secret and
     * nothing reads the secret, so previewing needs no {@code secretmanager.versions.access}.
     */
    public static Output<String> adminPasswordFromSecretManager(String project, String secretId) {
        return dev.dataplatform.core.DeployTime.secretOnUpdate(() -> com.pulumi.gcp.secretmanager.SecretmanagerFunctions
                .getSecretVersionAccess(com.pulumi.gcp.secretmanager.inputs.GetSecretVersionAccessArgs.builder()
                        .project(project).secret(secretId).version("latest").build())
                .applyValue(com.pulumi.gcp.secretmanager.outputs.GetSecretVersionAccessResult::secretData));
    }

    /** The provider scheme that dials Cloud SQL through the connector library. */
    public static final String GCP_SCHEME = "gcppostgres";
    /** The built-in admin user Cloud SQL creates with the instance's root password. */
    public static final String ADMIN_USER = "postgres";
    /** Port of the Cloud SQL server-side proxy that connectors (and the Auth Proxy) dial with mTLS. */
    public static final int CONNECTOR_PORT = 3307;

    private Account workloadAccount;

    /** The workload's namespace and ServiceAccount, with only the egress the Auth Proxy needs. */
    private void kubernetes(String name, Workload workload, Output<String> email, DatabaseInstance instance,
                            dev.dataplatform.kubernetes.Cluster cluster) {
        var namespace = dev.dataplatform.kubernetes.WorkloadNamespace.builder(this, name + "-workload", workload.namespace())
                .component("cloudSql.workload").cluster(cluster)
                .identity(dev.dataplatform.kubernetes.WorkloadIdentity.google(email))
                .labels(Map.of("app.kubernetes.io/part-of", "data-platform")).build();
        namespace.allowEgressTo("allow-cloudsql", instance.privateIpAddress().applyValue(ip -> ip + "/32"), List.of(CONNECTOR_PORT));
        namespace.allowEgressTo("allow-google-apis", Output.of("0.0.0.0/0"), List.of(443));
        namespace.serviceAccount(name + "-workload-ksa", workload.kubernetesServiceAccount(), null);
    }

    /** The KSA annotation that makes GKE hand pods tokens of a Google service account. */
    public static final String WORKLOAD_IDENTITY_ANNOTATION = dev.dataplatform.kubernetes.WorkloadIdentity.GKE_ANNOTATION;

    /** {@code <id>@<project>.iam.gserviceaccount.com}: the email GCP gives a service account. */
    public static String serviceAccountEmail(String accountId, String project) {
        return accountId + "@" + project + ".iam.gserviceaccount.com";
    }

    /** serviceAccount:PROJECT.svc.id.goog[NAMESPACE/KSA]: who may act as the Google service account. */
    public static String workloadIdentityMember(String project, String namespace, String kubernetesServiceAccount) {
        return "serviceAccount:" + project + ".svc.id.goog[" + namespace + "/" + kubernetesServiceAccount + "]";
    }

    /** Cloud SQL names an IAM service-account user by its email without ".gserviceaccount.com". */
    public static String iamUserName(String serviceAccountEmail) {
        String suffix = ".gserviceaccount.com";
        return serviceAccountEmail.endsWith(suffix)
                ? serviceAccountEmail.substring(0, serviceAccountEmail.length() - suffix.length())
                : serviceAccountEmail;
    }

    /** postgresql://USER@127.0.0.1:5432/DB: the proxy listens locally, adds TLS and the IAM token. */
    public static String proxyUri(String iamUser, String database) {
        return "postgresql://" + URLEncoder.encode(iamUser, StandardCharsets.UTF_8) + "@127.0.0.1:"
                + CloudSqlProxy.PORT + "/" + database;
    }
}
