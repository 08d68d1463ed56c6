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
     * One workload (Dagster, Marquez, pgSTAC's migration Job, an API...) and its own Google service account: only
     * roles/cloudsql.client (the Auth Proxy's connect), bound through Workload Identity to exactly one Kubernetes
     * ServiceAccount; with database access also roles/cloudsql.instanceUser and an IAM database user of its own,
     * a member of the access model's group roles of those databases only. No two workloads share an account.
     *
     * @param name             the workload's name, part of its resources' names (a DNS label); null for the single
     *                         workload of {@link Builder#workload}, whose resources keep the names they had when a
     *                         stack had one workload
     * @param serviceAccountId the Google service account ID (6-30 characters)
     * @param access           the IAM user's access in every database (the single-workload form), or null: then
     *                         {@code databases} says where
     * @param databases        the IAM user's access per database (OWNER, WRITER or READER); empty with
     *                         {@code access} null: no IAM database user (the workload logs in with a password
     *                         through the Auth Proxy, which needs only roles/cloudsql.client)
     * @param namespace        the Kubernetes namespace of the pods
     * @param kubernetesServiceAccount the Kubernetes ServiceAccount the pods run as
     * @param createKubernetesResources also create the namespace (restricted, default deny, egress
     *                   to DNS, Google APIs, the metadata server and the instance) and the annotated
     *                   ServiceAccount, through the default Kubernetes provider. Default: false.
     * @param adoptsSharedWorkload this workload takes over the resources of the single workload a stack had before
     *                   (its Google service account, roles, binding and IAM database user): aliases keep their URNs,
     *                   so nothing is deleted; its serviceAccountId must stay the former one
     */
    public record Workload(String name, String serviceAccountId, Access access, Map<String, Access> databases,
                           String namespace, String kubernetesServiceAccount, boolean createKubernetesResources,
                           boolean adoptsSharedWorkload) {
        public Workload(String serviceAccountId, Access access, String namespace, String kubernetesServiceAccount) {
            this(serviceAccountId, access, namespace, kubernetesServiceAccount, false);
        }

        public Workload(String serviceAccountId, Access access, String namespace, String kubernetesServiceAccount,
                        boolean createKubernetesResources) {
            this(null, serviceAccountId, access, Map.of(), namespace, kubernetesServiceAccount, createKubernetesResources, false);
        }

        /** A named workload with access to the given databases only (none: no IAM database user). */
        public static Workload named(String name, String serviceAccountId, Map<String, Access> databases, String namespace,
                                     String kubernetesServiceAccount) {
            return new Workload(name, serviceAccountId, null, databases, namespace, kubernetesServiceAccount, false, false);
        }

        public Workload {
            if (name != null) {
                CloudSqlRules.kubernetesName(name).ifPresent(e -> {
                    throw new IllegalArgumentException("workload name " + e);
                });
            }
            CloudSqlRules.accountId(serviceAccountId).ifPresent(e -> {
                throw new IllegalArgumentException("workload serviceAccountId " + e);
            });
            if (access == Access.OWNER || access == Access.MIGRATOR) {
                throw new IllegalArgumentException("workload access must be WRITER or READER: owners run migrations, not workloads");
            }
            databases = databases == null ? Map.of() : Map.copyOf(new TreeMap<>(databases));
            if (access != null && !databases.isEmpty()) {
                throw new IllegalArgumentException("workload " + serviceAccountId + ": set access (every database) or databases, not both");
            }
            databases.forEach((db, level) -> {
                if (level == null || level == Access.MIGRATOR) {
                    throw new IllegalArgumentException("workload " + serviceAccountId + ": access to database '" + db
                            + "' must be OWNER, WRITER or READER (a migrator is a password login)");
                }
            });
            CloudSqlRules.kubernetesName(namespace).ifPresent(e -> {
                throw new IllegalArgumentException("workload namespace " + e);
            });
            CloudSqlRules.kubernetesName(kubernetesServiceAccount).ifPresent(e -> {
                throw new IllegalArgumentException("workload kubernetesServiceAccount " + e);
            });
        }

        /** The IAM user's access per database of {@code all}: {@code access} everywhere, or {@code databases}. */
        public Map<String, Access> accessIn(List<String> all) {
            if (access == null) {
                return databases;
            }
            var result = new LinkedHashMap<String, Access>();
            all.forEach(db -> result.put(db, access));
            return result;
        }

        /** Whether the workload logs in as an IAM database user (it has database access). */
        public boolean hasIamUser(List<String> all) {
            return !accessIn(all).isEmpty();
        }

        /** The key of this workload in the component's maps: its name, or "workload" for the single one. */
        public String key() {
            return name == null ? "workload" : name;
        }

        /** The email of its Google service account in {@code project}. */
        public String email(String project) {
            return serviceAccountEmail(serviceAccountId, project);
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
        List<Workload> workloads = List.of();
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

            /** The one workload that uses the databases (its access in every database). */
            public Builder workload(Workload workload) { a.workloads = workload == null ? List.of() : List.of(workload); return this; }

            /** The workloads, each with its own Google service account (and IAM database user where it has access). */
            public Builder workloads(List<Workload> workloads) { a.workloads = List.copyOf(workloads); return this; }

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
                if (!a.databases.isEmpty() && a.workloads.isEmpty()) {
                    problems.add("workload is required with databases: it is who uses them");
                }
                problems.addAll(workloadProblems(a.workloads, a.databases.stream().map(DatabaseModel::name).toList()));
                if (a.workloads.stream().anyMatch(Workload::createKubernetesResources)) {
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

            /**
             * One identity per workload: names and service accounts distinct, one Kubernetes ServiceAccount each, the
             * databases named exist, at most one workload adopts the former shared resources.
             */
            static List<String> workloadProblems(List<Workload> workloads, List<String> databases) {
                var problems = new ArrayList<String>();
                var keys = new java.util.HashSet<String>();
                var accounts = new java.util.HashMap<String, String>();
                var subjects = new java.util.HashMap<String, String>();
                for (Workload w : workloads) {
                    if (!keys.add(w.key())) {
                        problems.add("workload '" + w.key() + "' is listed twice");
                    }
                    String other = accounts.putIfAbsent(w.serviceAccountId(), w.key());
                    if (other != null) {
                        problems.add("workloads '" + other + "' and '" + w.key() + "' both use service account '"
                                + w.serviceAccountId() + "': each workload needs an identity of its own");
                    }
                    String subject = w.namespace() + "/" + w.kubernetesServiceAccount();
                    other = subjects.putIfAbsent(subject, w.key());
                    if (other != null) {
                        problems.add("workloads '" + other + "' and '" + w.key() + "' both run as Kubernetes ServiceAccount "
                                + subject + ": a ServiceAccount acts as one Google service account");
                    }
                    w.databases().keySet().stream().filter(db -> !databases.contains(db)).forEach(db -> problems.add(
                            "workload '" + w.key() + "' has access to database '" + db + "', which is not one of " + databases));
                    if (w.adoptsSharedWorkload() && w.name() == null) {
                        problems.add("the single workload keeps its resources' names already: adoptsSharedWorkload is for named workloads");
                    }
                }
                if (workloads.stream().filter(Workload::adoptsSharedWorkload).count() > 1) {
                    problems.add("only one workload may adopt the former shared workload's resources (adoptsSharedWorkload)");
                }
                if (workloads.stream().filter(w -> w.name() == null).count() > 0 && workloads.size() > 1) {
                    problems.add("name every workload when there are several");
                }
                return problems;
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

        var names = args.databases.stream().map(DatabaseModel::name).toList();
        var emails = new LinkedHashMap<String, Output<String>>();
        var iamUsers = new LinkedHashMap<String, Output<String>>();
        var iamUserNames = new LinkedHashMap<String, String>();
        var accounts = new LinkedHashMap<String, Account>();
        var sqlUsers = new ArrayList<com.pulumi.resources.Resource>();
        for (Workload workload : args.workloads) {
            // The single workload's resources keep the names they always had; named workloads get their own, and the
            // one that adopts the former single workload's resources carries those names as aliases (same URNs).
            String prefix = workload.name() == null ? name + "-workload" : name + "-workload-" + workload.name();
            String userResource = workload.name() == null ? name + "-iam-user" : name + "-iam-user-" + workload.name();
            java.util.function.Function<String, CustomResourceOptions> child = legacy -> childOptions(workload, legacy).build();
            var account = new Account(prefix, AccountArgs.builder()
                    .project(args.project)
                    .accountId(workload.serviceAccountId())
                    .displayName(workload.name() == null ? "data-platform workload (" + args.instanceName + ")"
                            : "data-platform " + workload.name() + " (" + args.instanceName + ")")
                    .build(), child.apply(name + "-workload"));
            String knownEmail = workload.email(args.project);
            accounts.put(workload.key(), account);
            Output<String> email = account.urn().applyValue(urn -> knownEmail);
            emails.put(workload.key(), email);
            var member = email.applyValue(e -> "serviceAccount:" + e);
            boolean iam = workload.hasIamUser(names);
            // The Auth Proxy needs roles/cloudsql.client; only an IAM database user needs roles/cloudsql.instanceUser.
            for (String role : iam ? List.of("roles/cloudsql.client", "roles/cloudsql.instanceUser") : List.of("roles/cloudsql.client")) {
                String suffix = "-" + role.substring(role.lastIndexOf('.') + 1);
                new IAMMember(prefix + suffix, IAMMemberArgs.builder()
                        .project(args.project).role(role).member(member).build(), child.apply(name + "-workload" + suffix));
            }
            new com.pulumi.gcp.serviceaccount.IAMMember(prefix + "-identity",
                    com.pulumi.gcp.serviceaccount.IAMMemberArgs.builder()
                            .serviceAccountId(account.name())
                            .role("roles/iam.workloadIdentityUser")
                            .member(workloadIdentityMember(args.project, workload.namespace(), workload.kubernetesServiceAccount()))
                            .build(), child.apply(name + "-workload-identity"));

            if (workload.createKubernetesResources()) {
                // The adopting workload keeps the single workload's namespace and KSA names: a renamed Namespace would be
                // deleted with everything in it.
                kubernetes(workload.adoptsSharedWorkload() ? name + "-workload" : prefix, workload, email, instance, args.cluster);
            }

            if (iam) {
                // The IAM database user is named after the service account, without ".gserviceaccount.com".
                String iamUserName = iamUserName(knownEmail);
                var sqlUser = new User(userResource, UserArgs.builder()
                        .project(args.project)
                        .instance(instance.name())
                        .name(iamUserName)
                        .type("CLOUD_IAM_SERVICE_ACCOUNT")
                        .build(), childOptions(workload, name + "-iam-user").dependsOn(account).build());
                iamUsers.put(workload.key(), sqlUser.name());
                iamUserNames.put(workload.key(), iamUserName);
                sqlUsers.add(sqlUser);
            }
        }
        if (!args.databases.isEmpty() && !args.workloads.isEmpty()) {
            new PostgresAccess(name + "-access", new PostgresAccess.Args(new AccessModel(
                    withWorkloadLogins(args.project, args.databases, args.workloads)),
                    this.adminConnection,
                    args.protect, List.copyOf(sqlUsers)),
                    ComponentResourceOptions.builder().parent(this).dependsOn(instance).build());
        }
        this.workloadAccounts = java.util.Collections.unmodifiableMap(accounts);
        this.serviceAccountEmails = java.util.Collections.unmodifiableMap(emails);
        this.iamUsers = java.util.Collections.unmodifiableMap(iamUsers);
        // The single (or first) workload's, for consumers of one workload.
        this.serviceAccountEmail = emails.isEmpty() ? Output.of("") : emails.values().iterator().next();
        this.iamUser = iamUsers.isEmpty() ? Output.of("") : iamUsers.values().iterator().next();
        this.databases = Output.of(args.workloads.isEmpty() ? List.<String>of() : List.copyOf(names));
        // Per database, the URI of the first workload (in order) whose IAM user has access to it.
        var uriUser = new LinkedHashMap<String, String>();
        for (String db : names) {
            args.workloads.stream().filter(w -> w.accessIn(names).containsKey(db)).findFirst()
                    .ifPresent(w -> uriUser.put(db, w.key()));
        }
        this.proxyUris = Output.all(uriUser.values().stream().map(iamUsers::get).toList()).applyValue(users -> {
            var uris = new LinkedHashMap<String, String>();
            int i = 0;
            for (String db : uriUser.keySet()) {
                uris.put(db, proxyUri(users.get(i++), db));
            }
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

    /**
     * The databases with each workload's IAM database user added as a login where it has access (created through the
     * Cloud SQL API, so external to the access model): what the component declares and what {@code access-sql} prints.
     */
    public static List<DatabaseModel> withWorkloadLogins(String project, List<DatabaseModel> databases, List<Workload> workloads) {
        var names = databases.stream().map(DatabaseModel::name).toList();
        return databases.stream().map(db -> {
            var logins = new ArrayList<>(db.logins());
            for (Workload workload : workloads) {
                var level = workload.accessIn(names).get(db.name());
                if (level != null) {
                    logins.add(new Login(iamUserName(workload.email(project)), level, true));
                }
            }
            return new DatabaseModel(db.name(), db.schemas(), db.extensions(), db.pgstac(), logins);
        }).toList();
    }

    /** A workload's child: parented here; the adopting workload's resources alias the single workload's names. */
    private CustomResourceOptions.Builder childOptions(Workload workload, String legacyName) {
        var builder = CustomResourceOptions.builder().parent(this);
        if (workload.adoptsSharedWorkload()) {
            builder.aliases(com.pulumi.core.Alias.builder().name(legacyName).build());
        }
        return builder;
    }

    /** The workloads' Google service accounts by workload key (for resources that must wait for them). */
    public Map<String, Account> workloadAccounts() {
        return workloadAccounts;
    }

    /** The workload's Google service account, when there is one workload (for resources that must wait for it). */
    public Optional<Account> workloadAccount() {
        return workloadAccounts.values().stream().findFirst();
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

    private final Map<String, Account> workloadAccounts;
    /** Each workload's Google service account email ({@code <id>@<project>.iam.gserviceaccount.com}), by workload key. */
    public final Map<String, Output<String>> serviceAccountEmails;
    /** Each workload's Cloud SQL IAM database user, by workload key (workloads with database access only). */
    public final Map<String, Output<String>> iamUsers;

    /** The workload's namespace and ServiceAccount, with only the egress the Auth Proxy needs. */
    private void kubernetes(String prefix, Workload workload, Output<String> email, DatabaseInstance instance,
                            dev.dataplatform.kubernetes.Cluster cluster) {
        var namespace = dev.dataplatform.kubernetes.WorkloadNamespace.builder(this, prefix, workload.namespace())
                .component("cloudSql.workloads").cluster(cluster)
                .identity(dev.dataplatform.kubernetes.WorkloadIdentity.google(email))
                .labels(Map.of("app.kubernetes.io/part-of", "data-platform")).build();
        namespace.allowEgressTo("allow-cloudsql", instance.privateIpAddress().applyValue(ip -> ip + "/32"), List.of(CONNECTOR_PORT));
        namespace.allowEgressTo("allow-google-apis", Output.of("0.0.0.0/0"), List.of(443));
        namespace.serviceAccount(prefix + "-ksa", workload.kubernetesServiceAccount(), null);
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
