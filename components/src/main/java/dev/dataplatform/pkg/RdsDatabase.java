package dev.dataplatform.pkg;

import com.pulumi.core.Output;
import com.pulumi.core.annotations.Export;
import com.pulumi.core.annotations.Import;
import com.pulumi.resources.ComponentResource;
import com.pulumi.resources.ComponentResourceOptions;
import com.pulumi.resources.ResourceArgs;
import dev.dataplatform.core.EnvironmentProfile;

import java.util.List;
import java.util.Map;

/** PostgreSQL on RDS with IAM auth and the access model ({@link dev.dataplatform.aws.RdsDatabase}). */
@Describe("Amazon RDS for PostgreSQL, private, encrypted, with TLS required, the master password managed by RDS in Secrets Manager, and the access model applied with IAM database authentication.")
public final class RdsDatabase extends ComponentResource {
    @Describe("The instance's DNS name.")
    @Export(name = "address", refs = {String.class}, tree = "[0]")
    public final Output<String> address;
    @Describe("The PostgreSQL port.")
    @Export(name = "port", refs = {Integer.class}, tree = "[0]")
    public final Output<Integer> port;
    @Describe("The instance resource id, for rds-db:connect IAM policies (dbuser:<resourceId>/<login>).")
    @Export(name = "resourceId", refs = {String.class}, tree = "[0]")
    public final Output<String> resourceId;
    @Describe("The ARN of the Secrets Manager secret RDS keeps the master password in.")
    @Export(name = "masterSecretArn", refs = {String.class}, tree = "[0]")
    public final Output<String> masterSecretArn;

    public static final class Args extends ResourceArgs {
        @Describe(value = "The environment profile: protection, backups, Multi-AZ and sizes.", oneOf = "Environment")
        @Import(name = "environment", required = true)
        private String environment;
        @Describe("The AWS region (IAM tokens are regional).")
        @Import(name = "region", required = true)
        private String region;
        @Describe("The instance identifier; changing it replaces the instance.")
        @Import(name = "identifier", required = true)
        private String identifier;
        @Describe("The VPC to create the security group in (e.g. a VPC resource's id).")
        @Import(name = "vpcId", required = true)
        private Output<String> vpcId;
        @Describe("Private subnets in at least two availability zones (e.g. a VPC's private subnet ids).")
        @Import(name = "subnetIds", required = true)
        private Output<List<String>> subnetIds;
        @Describe("Security groups whose members may connect on 5432. Default: none.")
        @Import(name = "allowedSecurityGroupIds")
        private List<String> allowedSecurityGroupIds;
        @Describe("The instance class. Default: the environment's.")
        @Import(name = "instanceClass")
        private String instanceClass;
        @Describe("The databases, their schemas, extensions and logins. Default: none.")
        @Import(name = "databases")
        private List<DatabaseArgs> databases;
        @Describe("Tags on every resource. Default: environment=<environment>.")
        @Import(name = "tags")
        private Map<String, String> tags;

        public Args() {
        }

        public Args(String environment, String region, String identifier, String vpcId, List<String> subnetIds,
                    List<String> allowedSecurityGroupIds, List<DatabaseArgs> databases) {
            this.environment = environment;
            this.region = region;
            this.identifier = identifier;
            this.vpcId = Output.of(vpcId);
            this.subnetIds = Output.of(List.copyOf(subnetIds));
            this.allowedSecurityGroupIds = allowedSecurityGroupIds;
            this.databases = databases;
        }

        dev.dataplatform.aws.RdsDatabase.Args toArgs() {
            var env = ComponentPackage.environment("RdsDatabase", environment);
            var profile = EnvironmentProfile.defaults(env);
            var builder = dev.dataplatform.aws.RdsDatabase.Args.builder()
                    .region(region).identifier(identifier).vpcIdFrom(vpcId).subnetIdsFrom(subnetIds)
                    .allowedSecurityGroupIds(allowedSecurityGroupIds == null ? List.of() : allowedSecurityGroupIds)
                    .multiAz(profile.highAvailability()).deletionProtection(profile.deletionProtection())
                    .protect(profile.protect()).backupRetentionDays(profile.backupRetentionDays())
                    .tags(tags == null ? Map.of("environment", env.id()) : tags)
                    .databases(databases == null ? List.of() : databases.stream().map(DatabaseArgs::model).toList());
            builder.instanceClass(instanceClass != null ? instanceClass : dev.dataplatform.aws.RdsRules.defaultInstanceClass(env))
                    .maxAllocatedStorageGb(dev.dataplatform.aws.RdsRules.defaultMaxStorageGb(env));
            return builder.build();
        }
    }

    public RdsDatabase(String name, Args args, ComponentResourceOptions options) {
        super(ComponentPackage.type("RdsDatabase"), name, options);
        var inner = new dev.dataplatform.aws.RdsDatabase(name, args.toArgs(), ComponentResourceOptions.builder().parent(this).build());
        this.address = inner.address;
        this.port = inner.port;
        this.resourceId = inner.resourceId;
        this.masterSecretArn = inner.masterSecretArn;
        registerOutputs(Map.of("address", address, "port", port, "resourceId", resourceId, "masterSecretArn", masterSecretArn));
    }
}
