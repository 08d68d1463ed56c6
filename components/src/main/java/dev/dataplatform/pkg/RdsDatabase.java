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
public final class RdsDatabase extends ComponentResource {
    @Export(name = "address", refs = {String.class}, tree = "[0]")
    public final Output<String> address;
    @Export(name = "port", refs = {Integer.class}, tree = "[0]")
    public final Output<Integer> port;
    @Export(name = "resourceId", refs = {String.class}, tree = "[0]")
    public final Output<String> resourceId;
    @Export(name = "masterSecretArn", refs = {String.class}, tree = "[0]")
    public final Output<String> masterSecretArn;

    public static final class Args extends ResourceArgs {
        @Import(name = "environment", required = true)
        private String environment;
        @Import(name = "region", required = true)
        private String region;
        @Import(name = "identifier", required = true)
        private String identifier;
        @Import(name = "vpcId", required = true)
        private String vpcId;
        @Import(name = "subnetIds", required = true)
        private List<String> subnetIds;
        @Import(name = "allowedSecurityGroupIds")
        private List<String> allowedSecurityGroupIds;
        @Import(name = "instanceClass")
        private String instanceClass;
        @Import(name = "databases")
        private List<DatabaseArgs> databases;
        @Import(name = "tags")
        private Map<String, String> tags;

        public Args() {
        }

        public Args(String environment, String region, String identifier, String vpcId, List<String> subnetIds,
                    List<String> allowedSecurityGroupIds, List<DatabaseArgs> databases) {
            this.environment = environment;
            this.region = region;
            this.identifier = identifier;
            this.vpcId = vpcId;
            this.subnetIds = subnetIds;
            this.allowedSecurityGroupIds = allowedSecurityGroupIds;
            this.databases = databases;
        }

        dev.dataplatform.aws.RdsDatabase.Args toArgs() {
            var env = ComponentPackage.environment("RdsDatabase", environment);
            var profile = EnvironmentProfile.defaults(env);
            var builder = dev.dataplatform.aws.RdsDatabase.Args.builder()
                    .region(region).identifier(identifier).vpcId(vpcId).subnetIds(subnetIds)
                    .allowedSecurityGroupIds(allowedSecurityGroupIds == null ? List.of() : allowedSecurityGroupIds)
                    .multiAz(profile.highAvailability()).deletionProtection(profile.deletionProtection())
                    .protect(profile.protect()).backupRetentionDays(profile.backupRetentionDays())
                    .tags(tags == null ? Map.of("environment", env.id()) : tags)
                    .databases(databases == null ? List.of() : databases.stream().map(DatabaseArgs::model).toList());
            if (instanceClass != null) {
                builder.instanceClass(instanceClass);
            }
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
