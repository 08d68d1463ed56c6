package dev.dataplatform.pkg;

import com.pulumi.core.Output;
import com.pulumi.core.annotations.Export;
import com.pulumi.core.annotations.Import;
import com.pulumi.resources.ComponentResource;
import com.pulumi.resources.ComponentResourceOptions;
import com.pulumi.resources.ResourceArgs;

import java.util.List;
import java.util.Map;

/** Dagster from the official chart on an external PostgreSQL ({@link dev.dataplatform.dagster.DagsterStack}). */
@Describe("Dagster from its Helm chart: an external PostgreSQL database with the password from External Secrets, queued runs on the K8sRunLauncher, restricted pods and NetworkPolicies.")
public final class DagsterStack extends ComponentResource {
    @Describe("Dagster's webserver inside the cluster.")
    @Export(name = "webserverUrl", refs = {String.class}, tree = "[0]")
    public final Output<String> webserverUrl;

    public static final class Args extends ResourceArgs {
        @Describe(value = "The environment profile: workers and sizes.", oneOf = "Environment")
        @Import(name = "environment", required = true)
        private String environment;
        @Describe("The dagster chart version.")
        @Import(name = "chartVersion", required = true)
        private String chartVersion;
        @Describe("The namespace. Default: data-apps.")
        @Import(name = "namespace")
        private String namespace;
        @Describe("The database host (e.g. a database resource's address).")
        @Import(name = "databaseHost", required = true)
        private Output<String> databaseHost;
        @Describe("The database's address range, allowed by the egress NetworkPolicy (e.g. from a subnet).")
        @Import(name = "databaseCidr", required = true)
        private Output<String> databaseCidr;
        @Describe("The database name.")
        @Import(name = "databaseName", required = true)
        private String databaseName;
        @Describe("The database login (e.g. a role resource's name).")
        @Import(name = "databaseUser", required = true)
        private Output<String> databaseUser;
        @Describe("The External Secrets store holding the password.")
        @Import(name = "passwordStore", required = true)
        private String passwordStore;
        @Describe("The key of the password in that store.")
        @Import(name = "passwordKey", required = true)
        private String passwordKey;
        @Describe("Runs at most at once. Default: the environment's.")
        @Import(name = "maxConcurrentRuns")
        private Integer maxConcurrentRuns;

        public Args() {
        }

        public Args(String environment, String chartVersion, Output<String> databaseHost, Output<String> databaseCidr,
                    String databaseName, Output<String> databaseUser, String passwordStore, String passwordKey) {
            this.environment = environment;
            this.chartVersion = chartVersion;
            this.databaseHost = databaseHost;
            this.databaseCidr = databaseCidr;
            this.databaseName = databaseName;
            this.databaseUser = databaseUser;
            this.passwordStore = passwordStore;
            this.passwordKey = passwordKey;
        }

        /** Password auth through External Secrets: the mode that works on any PostgreSQL. */
        dev.dataplatform.dagster.DagsterStack.Args toArgs() {
            var builder = dev.dataplatform.dagster.DagsterStack.Args.builder()
                    .environment(ComponentPackage.environment("DagsterStack", environment))
                    .chartVersion(chartVersion)
                    .database(new dev.dataplatform.dagster.DagsterStack.Database(databaseHost, 5432, databaseUser, databaseName,
                            dev.dataplatform.dagster.DagsterStack.Auth.PASSWORD, null, passwordStore, passwordKey))
                    .databaseCidr(databaseCidr)
                    .codeLocations(List.of());
            if (namespace != null) {
                builder.namespace(namespace);
            }
            if (maxConcurrentRuns != null) {
                builder.maxConcurrentRuns(maxConcurrentRuns);
            }
            return builder.build();
        }
    }

    public DagsterStack(String name, Args args, ComponentResourceOptions options) {
        super(ComponentPackage.type("DagsterStack"), name, options);
        var inner = new dev.dataplatform.dagster.DagsterStack(name, args.toArgs(), ComponentResourceOptions.builder().parent(this).build());
        this.webserverUrl = inner.webserverUrl;
        registerOutputs(Map.of("webserverUrl", webserverUrl));
    }
}
