package dev.dataplatform.pkg;

import com.pulumi.core.Output;
import com.pulumi.core.annotations.Export;
import com.pulumi.core.annotations.Import;
import com.pulumi.resources.ComponentResource;
import com.pulumi.resources.ComponentResourceOptions;
import com.pulumi.resources.ResourceArgs;

import java.util.List;
import java.util.Map;

/**
 * Apache Polaris as an Iceberg REST catalog on a Cloud SQL database and a GCS warehouse bucket
 * ({@link dev.dataplatform.iceberg.IcebergCatalog}; the RDS/S3 form is used by the stack program).
 */
@Describe("Apache Polaris (Iceberg REST catalog) on Kubernetes: its store on a Cloud SQL database through the Auth Proxy sidecar (password from External Secrets), realm bootstrap by the admin tool in a Job, generated root credentials owned by External Secrets, a Google service account with bucket-scoped access to the warehouse bucket, restricted pods and NetworkPolicies.")
public final class IcebergCatalog extends ComponentResource {
    @Describe("The Iceberg REST API inside the cluster (clients' uri).")
    @Export(name = "catalogUri", refs = {String.class}, tree = "[0]")
    public final Output<String> catalogUri;
    @Describe("The catalog name clients give as warehouse.")
    @Export(name = "warehouse", refs = {String.class}, tree = "[0]")
    public final Output<String> warehouse;
    @Describe("namespace/name of the Secret with the root principal's client-id and client-secret.")
    @Export(name = "principalSecret", refs = {String.class}, tree = "[0]")
    public final Output<String> principalSecret;

    public static final class Args extends ResourceArgs {
        @Describe(value = "The environment profile: replicas and sizes.", oneOf = "Environment")
        @Import(name = "environment", required = true)
        private String environment;
        @Describe("The Cloud SQL instance connection name (project:region:instance).")
        @Import(name = "connectionName", required = true)
        private String connectionName;
        @Describe("The instance's address range, allowed by the egress NetworkPolicy on 3307 (e.g. its private IP /32).")
        @Import(name = "databaseCidr", required = true)
        private Output<String> databaseCidr;
        @Describe("The database holding Polaris's schema.")
        @Import(name = "databaseName", required = true)
        private String databaseName;
        @Describe("A password login that owns the database's schemas (creates polaris_schema).")
        @Import(name = "databaseLogin", required = true)
        private String databaseLogin;
        @Describe("The External Secrets ClusterSecretStore holding the login's password.")
        @Import(name = "passwordStore", required = true)
        private String passwordStore;
        @Describe("The key of the password in that store.")
        @Import(name = "passwordKey", required = true)
        private String passwordKey;
        @Describe("The GCP project of the catalog's Google service account.")
        @Import(name = "gcpProject", required = true)
        private String gcpProject;
        @Describe("The warehouse bucket (the catalog's base location is gs://<bucket>/<catalog>/).")
        @Import(name = "warehouseBucket", required = true)
        private String warehouseBucket;
        @Describe("The namespace. Default: iceberg.")
        @Import(name = "namespace")
        private String namespace;
        @Describe("Namespaces allowed to call the REST API on 8181. Default: none.")
        @Import(name = "allowClientsFrom")
        private List<String> allowClientsFrom;

        public Args() {
        }

        public Args(String environment, String connectionName, Output<String> databaseCidr, String databaseName,
                    String databaseLogin, String passwordStore, String passwordKey, String gcpProject, String warehouseBucket) {
            this.environment = environment;
            this.connectionName = connectionName;
            this.databaseCidr = databaseCidr;
            this.databaseName = databaseName;
            this.databaseLogin = databaseLogin;
            this.passwordStore = passwordStore;
            this.passwordKey = passwordKey;
            this.gcpProject = gcpProject;
            this.warehouseBucket = warehouseBucket;
        }

        dev.dataplatform.iceberg.IcebergCatalog.Args toArgs() {
            var builder = dev.dataplatform.iceberg.IcebergCatalog.Args.builder()
                    .environment(ComponentPackage.environment("IcebergCatalog", environment))
                    .database(new dev.dataplatform.iceberg.IcebergCatalog.Database(
                            dev.dataplatform.iceberg.IcebergCatalog.Server.CLOUD_SQL, connectionName, null, databaseCidr,
                            databaseName, databaseLogin, passwordStore, passwordKey, null))
                    .warehouse(new dev.dataplatform.iceberg.IcebergCatalog.Warehouse(
                            dev.dataplatform.iceberg.IcebergCatalog.Cloud.GCP, warehouseBucket, gcpProject, null, null, null))
                    .allowClientsFrom(allowClientsFrom == null ? List.of() : allowClientsFrom)
                    // The caller places the catalog with its provider; its Workload Identity is that of a GKE cluster.
                    .cluster(dev.dataplatform.kubernetes.Cluster.gke("gke", gcpProject, "", ""));
            if (namespace != null) {
                builder.namespace(namespace);
            }
            return builder.build();
        }
    }

    public IcebergCatalog(String name, Args args, ComponentResourceOptions options) {
        super(ComponentPackage.type("IcebergCatalog"), name, options);
        var inner = new dev.dataplatform.iceberg.IcebergCatalog(name, args.toArgs(),
                ComponentResourceOptions.builder().parent(this).build());
        this.catalogUri = inner.catalogUri;
        this.warehouse = inner.warehouse;
        this.principalSecret = inner.principalSecret;
        registerOutputs(Map.of("catalogUri", catalogUri, "warehouse", warehouse, "principalSecret", principalSecret));
    }
}
