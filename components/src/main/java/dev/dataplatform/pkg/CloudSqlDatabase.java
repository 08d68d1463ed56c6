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
public final class CloudSqlDatabase extends ComponentResource {
    @Export(name = "connectionName", refs = {String.class}, tree = "[0]")
    public final Output<String> connectionName;
    @Export(name = "privateIp", refs = {String.class}, tree = "[0]")
    public final Output<String> privateIp;
    @Export(name = "serviceAccountEmail", refs = {String.class}, tree = "[0]")
    public final Output<String> serviceAccountEmail;
    @Export(name = "iamUser", refs = {String.class}, tree = "[0]")
    public final Output<String> iamUser;

    public static final class Args extends ResourceArgs {
        @Import(name = "environment", required = true)
        private String environment;
        @Import(name = "project", required = true)
        private String project;
        @Import(name = "region", required = true)
        private String region;
        @Import(name = "privateNetwork", required = true)
        private String privateNetwork;
        @Import(name = "instanceName", required = true)
        private String instanceName;
        @Import(name = "tier")
        private String tier;
        @Import(name = "adminPassword")
        private Output<String> adminPassword;
        @Import(name = "databases")
        private List<DatabaseArgs> databases;
        @Import(name = "workloadServiceAccountId")
        private String workloadServiceAccountId;
        @Import(name = "workloadNamespace")
        private String workloadNamespace;
        @Import(name = "workloadKubernetesServiceAccount")
        private String workloadKubernetesServiceAccount;
        @Import(name = "labels")
        private Map<String, String> labels;

        public Args() {
        }

        public Args(String environment, String project, String region, String privateNetwork, String instanceName) {
            this.environment = environment;
            this.project = project;
            this.region = region;
            this.privateNetwork = privateNetwork;
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
                    .project(project).region(region).privateNetwork(privateNetwork).instanceName(instanceName)
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
