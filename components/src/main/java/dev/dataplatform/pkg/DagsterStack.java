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
public final class DagsterStack extends ComponentResource {
    @Export(name = "webserverUrl", refs = {String.class}, tree = "[0]")
    public final Output<String> webserverUrl;

    public static final class Args extends ResourceArgs {
        @Import(name = "environment", required = true)
        private String environment;
        @Import(name = "chartVersion", required = true)
        private String chartVersion;
        @Import(name = "namespace")
        private String namespace;
        @Import(name = "databaseHost", required = true)
        private Output<String> databaseHost;
        @Import(name = "databaseCidr", required = true)
        private Output<String> databaseCidr;
        @Import(name = "databaseName", required = true)
        private String databaseName;
        @Import(name = "databaseUser", required = true)
        private Output<String> databaseUser;
        @Import(name = "passwordStore", required = true)
        private String passwordStore;
        @Import(name = "passwordKey", required = true)
        private String passwordKey;
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
