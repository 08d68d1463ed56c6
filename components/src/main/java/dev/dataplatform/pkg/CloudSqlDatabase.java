package dev.dataplatform.pkg;

import com.pulumi.core.Output;
import com.pulumi.core.annotations.Export;
import com.pulumi.core.annotations.Import;
import com.pulumi.resources.ComponentResource;
import com.pulumi.resources.ComponentResourceOptions;
import com.pulumi.resources.ResourceArgs;
import dev.dataplatform.access.Access;
import dev.dataplatform.core.EnvironmentProfile;

import java.util.List;
import java.util.Map;

/** Cloud SQL for PostgreSQL with the access model and a workload identity ({@link dev.dataplatform.gcp.CloudSqlDatabase}). */
@Describe("Cloud SQL for PostgreSQL on a private IP only, with the access model (databases, schemas, extensions, logins) and an optional workload identity (Google service account, IAM database user, Workload Identity binding).")
public final class CloudSqlDatabase extends ComponentResource {
    @Describe("The instance connection name (project:region:instance) for the Cloud SQL Auth Proxy and connectors.")
    @Export(name = "connectionName", refs = {String.class}, tree = "[0]")
    public final Output<String> connectionName;
    @Describe("The instance's private IP address (it has no public one).")
    @Export(name = "privateIp", refs = {String.class}, tree = "[0]")
    public final Output<String> privateIp;
    @Describe("The workload's Google service account email (annotate the Kubernetes ServiceAccount with it); empty without a workload.")
    @Export(name = "serviceAccountEmail", refs = {String.class}, tree = "[0]")
    public final Output<String> serviceAccountEmail;
    @Describe("The workload's IAM database user; empty without a workload.")
    @Export(name = "iamUser", refs = {String.class}, tree = "[0]")
    public final Output<String> iamUser;

    public static final class Args extends ResourceArgs {
        @Describe(value = "The environment profile: protection, backups, high availability and sizes.", oneOf = "Environment")
        @Import(name = "environment", required = true)
        private String environment;
        @Describe("The GCP project id.")
        @Import(name = "project", required = true)
        private String project;
        @Describe("The region, e.g. europe-west1.")
        @Import(name = "region", required = true)
        private String region;
        @Describe("The VPC with private services access, projects/P/global/networks/N (e.g. a network resource's id).")
        @Import(name = "privateNetwork", required = true)
        private Output<String> privateNetwork;
        @Describe("The instance name; changing it replaces the instance.")
        @Import(name = "instanceName", required = true)
        private String instanceName;
        @Describe("The machine tier. Default: the environment's (db-custom-1-3840 in dev, larger in stage and prod).")
        @Import(name = "tier")
        private String tier;
        @Describe(value = "The postgres user's password, used only to apply the access model. Default: none (no databases are set up).", secret = true)
        @Import(name = "adminPassword")
        private Output<String> adminPassword;
        @Describe("The databases, their schemas, extensions and logins. Default: none.")
        @Import(name = "databases")
        private List<DatabaseArgs> databases;
        @Describe("The account id of a Google service account to create for workloads, with writer access as an IAM database user. Default: none.")
        @Import(name = "workloadServiceAccountId")
        private String workloadServiceAccountId;
        @Describe("The Kubernetes namespace of the workload's ServiceAccount (Workload Identity).")
        @Import(name = "workloadNamespace")
        private String workloadNamespace;
        @Describe("The workload's Kubernetes ServiceAccount name (Workload Identity).")
        @Import(name = "workloadKubernetesServiceAccount")
        private String workloadKubernetesServiceAccount;
        @Describe("Labels on the instance. Default: environment=<environment>.")
        @Import(name = "labels")
        private Map<String, String> labels;

        public Args() {
        }

        public Args(String environment, String project, String region, String privateNetwork, String instanceName) {
            this.environment = environment;
            this.project = project;
            this.region = region;
            this.privateNetwork = Output.of(privateNetwork);
            this.instanceName = instanceName;
        }

        public Args databases(List<DatabaseArgs> v, Output<String> adminPassword) {
            this.databases = v;
            this.adminPassword = adminPassword;
            return this;
        }

        public Args workload(String serviceAccountId, String namespace, String kubernetesServiceAccount) {
            this.workloadServiceAccountId = serviceAccountId;
            this.workloadNamespace = namespace;
            this.workloadKubernetesServiceAccount = kubernetesServiceAccount;
            return this;
        }

        dev.dataplatform.gcp.CloudSqlDatabase.Args toArgs() {
            var env = ComponentPackage.environment("CloudSqlDatabase", environment);
            var profile = EnvironmentProfile.defaults(env);
            var builder = dev.dataplatform.gcp.CloudSqlDatabase.Args.builder()
                    .project(project).region(region).privateNetworkFrom(privateNetwork).instanceName(instanceName)
                    .highAvailability(profile.highAvailability()).deletionProtection(profile.deletionProtection())
                    .protect(profile.protect()).backupRetentionDays(profile.backupRetentionDays())
                    .pointInTimeRecovery(profile.pointInTimeRecovery())
                    .tier(dev.dataplatform.gcp.CloudSqlRules.defaultTier(env))
                    .diskAutoresizeLimitGb(dev.dataplatform.gcp.CloudSqlRules.defaultAutoresizeLimitGb(env))
                    .labels(labels == null ? Map.of("environment", env.id()) : labels)
                    .databases(databases == null ? List.of() : databases.stream().map(DatabaseArgs::model).toList())
                    .adminPassword(adminPassword == null ? null : adminPassword.asSecret());
            if (tier != null) {
                builder.tier(tier);
            }
            if (workloadServiceAccountId != null) {
                builder.workload(new dev.dataplatform.gcp.CloudSqlDatabase.Workload(workloadServiceAccountId, Access.WRITER,
                        workloadNamespace, workloadKubernetesServiceAccount));
            }
            return builder.build();
        }
    }

    public CloudSqlDatabase(String name, Args args, ComponentResourceOptions options) {
        super(ComponentPackage.type("CloudSqlDatabase"), name, options);
        var inner = new dev.dataplatform.gcp.CloudSqlDatabase(name, args.toArgs(), ComponentResourceOptions.builder().parent(this).build());
        this.connectionName = inner.connectionName;
        this.privateIp = inner.privateIp;
        this.serviceAccountEmail = inner.serviceAccountEmail;
        this.iamUser = inner.iamUser;
        registerOutputs(Map.of("connectionName", connectionName, "privateIp", privateIp,
                "serviceAccountEmail", serviceAccountEmail, "iamUser", iamUser));
    }
}
