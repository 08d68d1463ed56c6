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
@Describe("A client's PostgreSQL cluster on StackGres in its own namespace, with backups to object storage and its connection URL published to SSM and its application namespace.")
public final class StackGresTenant extends ComponentResource {
    @Describe("The namespace the cluster runs in.")
    @Export(name = "namespace", refs = {String.class}, tree = "[0]")
    public final Output<String> namespace;
    @Describe("The SGCluster's name.")
    @Export(name = "clusterName", refs = {String.class}, tree = "[0]")
    public final Output<String> clusterName;
    @Describe("The in-cluster service host.")
    @Export(name = "host", refs = {String.class}, tree = "[0]")
    public final Output<String> host;
    @Describe("The service port.")
    @Export(name = "port", refs = {Integer.class}, tree = "[0]")
    public final Output<Integer> port;
    @Describe("The SSM parameter holding the database URL.")
    @Export(name = "ssmParameter", refs = {String.class}, tree = "[0]")
    public final Output<String> ssmParameter;
    @Describe("The Secret (key DATABASE_URL) in the application namespace.")
    @Export(name = "secretName", refs = {String.class}, tree = "[0]")
    public final Output<String> secretName;

    public static final class Args extends ResourceArgs {
        @Describe(value = "The environment profile: instances, protection and backup retention.", oneOf = "Environment")
        @Import(name = "environment", required = true)
        private String environment;
        @Describe("The AWS account of the SSM parameter and the IAM role.")
        @Import(name = "awsAccountId", required = true)
        private String awsAccountId;
        @Describe("The AWS region of the SSM parameter.")
        @Import(name = "awsRegion", required = true)
        private String awsRegion;
        @Describe("The cluster's IAM OIDC provider (host/path, without https://) for IRSA.")
        @Import(name = "oidcProvider", required = true)
        private String oidcProvider;
        @Describe("The client's application namespace. Default: the client name.")
        @Import(name = "appNamespace")
        private String appNamespace;
        @Describe("PostgreSQL extensions to install, e.g. postgis. Default: none.")
        @Import(name = "extensions")
        private List<String> extensions;
        @Describe("The bucket backups go to. Default: no backups.")
        @Import(name = "backupBucket")
        private String backupBucket;
        @Describe("The S3-compatible endpoint of the backup bucket.")
        @Import(name = "backupEndpoint")
        private String backupEndpoint;
        @Describe("The SSM parameter with the backup bucket's credentials.")
        @Import(name = "backupCredentialsParameter")
        private String backupCredentialsParameter;
        @Describe("Retire the tenant: its cluster is no longer protected. Default: false.")
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
                    // The caller places the tenant with its provider; the IRSA identity is that of an EKS cluster.
                    .cluster(dev.dataplatform.kubernetes.Cluster.eks("eks", awsRegion, "eks", awsAccountId, oidcProvider))
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
