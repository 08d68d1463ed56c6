package dev.dataplatform.pkg;

import com.pulumi.core.Output;
import com.pulumi.core.annotations.Export;
import com.pulumi.core.annotations.Import;
import com.pulumi.resources.ComponentResource;
import com.pulumi.resources.ComponentResourceOptions;
import com.pulumi.resources.ResourceArgs;

import java.util.List;
import java.util.Map;

/** One client's StackGres cluster, backups and URL publishing ({@link dev.dataplatform.stackgres.StackGresTenant}). */
public final class StackGresTenant extends ComponentResource {
    @Export(name = "namespace", refs = {String.class}, tree = "[0]")
    public final Output<String> namespace;
    @Export(name = "clusterName", refs = {String.class}, tree = "[0]")
    public final Output<String> clusterName;
    @Export(name = "host", refs = {String.class}, tree = "[0]")
    public final Output<String> host;
    @Export(name = "port", refs = {Integer.class}, tree = "[0]")
    public final Output<Integer> port;
    @Export(name = "ssmParameter", refs = {String.class}, tree = "[0]")
    public final Output<String> ssmParameter;
    @Export(name = "secretName", refs = {String.class}, tree = "[0]")
    public final Output<String> secretName;

    public static final class Args extends ResourceArgs {
        @Import(name = "environment", required = true)
        private String environment;
        @Import(name = "awsAccountId", required = true)
        private String awsAccountId;
        @Import(name = "awsRegion", required = true)
        private String awsRegion;
        @Import(name = "oidcProvider", required = true)
        private String oidcProvider;
        @Import(name = "appNamespace")
        private String appNamespace;
        @Import(name = "extensions")
        private List<String> extensions;
        @Import(name = "backupBucket")
        private String backupBucket;
        @Import(name = "backupEndpoint")
        private String backupEndpoint;
        @Import(name = "backupCredentialsParameter")
        private String backupCredentialsParameter;
        @Import(name = "decommission")
        private Boolean decommission;

        public Args() {
        }

        public Args(String environment, String awsAccountId, String awsRegion, String oidcProvider) {
            this.environment = environment;
            this.awsAccountId = awsAccountId;
            this.awsRegion = awsRegion;
            this.oidcProvider = oidcProvider;
        }

        public Args backups(String bucket, String endpoint, String credentialsParameter) {
            this.backupBucket = bucket;
            this.backupEndpoint = endpoint;
            this.backupCredentialsParameter = credentialsParameter;
            return this;
        }

        dev.dataplatform.stackgres.StackGresTenant.Args toArgs(String client) {
            var env = ComponentPackage.environment("StackGresTenant", environment);
            var builder = dev.dataplatform.stackgres.StackGresTenant.Args.builder()
                    .client(client).environment(env).appNamespace(appNamespace)
                    .extensions(extensions == null ? List.of() : extensions)
                    .aws(new dev.dataplatform.stackgres.StackGresTenant.AwsIdentity(awsAccountId, awsRegion, oidcProvider))
                    .decommission(decommission != null && decommission);
            if (backupBucket != null) {
                builder.backups(new dev.dataplatform.stackgres.StackGresTenant.BackupTarget(backupBucket, backupEndpoint,
                        backupCredentialsParameter, dev.dataplatform.stackgres.StackGresTenant.BackupTarget.DEFAULT_CRON,
                        dev.dataplatform.stackgres.StackGresTenant.BackupTarget.defaultRetention(env)));
            }
            return builder.build();
        }
    }

    /** The resource name is the client's name. */
    public StackGresTenant(String name, Args args, ComponentResourceOptions options) {
        super(ComponentPackage.type("StackGresTenant"), name, options);
        var inner = new dev.dataplatform.stackgres.StackGresTenant(name, args.toArgs(name),
                ComponentResourceOptions.builder().parent(this).build());
        this.namespace = inner.namespace;
        this.clusterName = inner.clusterName;
        this.host = inner.host;
        this.port = inner.port;
        this.ssmParameter = inner.ssmParameter;
        this.secretName = inner.secretName;
        registerOutputs(Map.of("namespace", namespace, "clusterName", clusterName, "host", host, "port", port,
                "ssmParameter", ssmParameter, "secretName", secretName));
    }
}
