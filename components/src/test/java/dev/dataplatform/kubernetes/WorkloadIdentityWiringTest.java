package dev.dataplatform.kubernetes;

import com.pulumi.core.Output;
import com.pulumi.resources.ComponentResourceOptions;
import dev.dataplatform.access.Access;
import dev.dataplatform.access.DatabaseModel;
import dev.dataplatform.access.PgstacMigration;
import dev.dataplatform.backup.LogicalBackup;
import dev.dataplatform.backup.RdsLogicalBackup;
import dev.dataplatform.core.Environment;
import dev.dataplatform.dagster.DagsterStack;
import dev.dataplatform.gcp.CloudSqlDatabase;
import dev.dataplatform.iceberg.IcebergCatalog;
import dev.dataplatform.observability.ObservabilityStack;
import dev.dataplatform.stackgres.StackGresTenant;
import dev.dataplatform.testing.Harness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every component that creates a workload namespace gets its identity wiring from the cluster it is placed on, through
 * {@link WorkloadNamespace}: on GKE the ServiceAccount carries iam.gke.io/gcp-service-account and the namespace admits
 * the GKE metadata server; on EKS it carries eks.amazonaws.com/role-arn and nothing admits 169.254.169.254; on a
 * kubeconfig cluster there is no annotation and no metadata egress; the other cloud's identity is refused.
 */
class WorkloadIdentityWiringTest {
    static final String ACCOUNT = "kubernetes:core/v1:ServiceAccount";
    static final String POLICY = "kubernetes:networking.k8s.io/v1:NetworkPolicy";
    static final String EMAIL = "workload@acme-data-dev.iam.gserviceaccount.com";
    static final String ROLE_ARN = "arn:aws:iam::210987654321:role/dp-workload";
    static final String CONNECTION = "acme-data-dev:europe-west1:data-platform-dev";
    static final String OIDC = "oidc.eks.eu-west-1.amazonaws.com/id/9F8E7D6C5B4A39281706F5E4D3C2B1A0";

    /** A component declared on a cluster: what the test runs. */
    interface Placement {
        void declare(Cluster cluster);
    }

    static DagsterStack.Args.Builder dagster(Cluster cluster, WorkloadIdentity identity, DagsterStack.Auth auth) {
        return DagsterStack.Args.builder().environment(Environment.DEV).chartVersion("1.13.8").cluster(cluster).identity(identity)
                .database(new DagsterStack.Database(Output.of("10.20.0.3"), 5432, Output.of("dagster"), "dagster", auth,
                        auth == DagsterStack.Auth.AWS_IAM ? "eu-west-1" : null,
                        auth == DagsterStack.Auth.PASSWORD ? "platform-secrets" : null,
                        auth == DagsterStack.Auth.PASSWORD ? "dagster-db-password" : null))
                .databaseCidr(Output.of("10.20.0.3/32"));
    }

    static IcebergCatalog.Args iceberg(Cluster cluster, IcebergCatalog.Cloud cloud) {
        var builder = IcebergCatalog.Args.builder().environment(Environment.DEV).cluster(cluster);
        if (cloud == IcebergCatalog.Cloud.GCP) {
            builder.database(new IcebergCatalog.Database(IcebergCatalog.Server.CLOUD_SQL, CONNECTION, null,
                            Output.of("10.20.0.3/32"), "polaris", "polaris", "gcp-secret-manager", "polaris-db-password", null))
                    .warehouse(new IcebergCatalog.Warehouse(IcebergCatalog.Cloud.GCP, "acme-lake-dev-warehouse", "acme-data-dev",
                            null, null, null));
        } else {
            builder.database(new IcebergCatalog.Database(IcebergCatalog.Server.RDS, null,
                            Output.of("db.abc.eu-west-1.rds.amazonaws.com"), Output.of("10.30.0.0/16"), "polaris", "polaris",
                            null, null, Output.of("db-ABCDEFGHIJKL")))
                    .warehouse(new IcebergCatalog.Warehouse(IcebergCatalog.Cloud.AWS, "acme-lake-dev-warehouse", null,
                            "210987654321", "eu-west-1", OIDC));
        }
        return builder.build();
    }

    static LogicalBackup.Args logicalBackup() {
        return new LogicalBackup.Args("acme-data-dev", "europe-west1", CONNECTION, Output.of("10.20.0.3"),
                "acme-lake-dev-pg-dumps", "cloudsql/dev", 7, false, "30 1 * * *", List.of("pgstac"),
                "dp_backup", "gcp-secret-manager", "pg-backup-password-dev", null, null, Map.of(), false, Map.of());
    }

    static RdsLogicalBackup.Args rdsLogicalBackup() {
        return new RdsLogicalBackup.Args(Environment.DEV, "eu-west-1", "210987654321", OIDC,
                Output.of("db.abc.eu-west-1.rds.amazonaws.com"), Output.of("db-ABCDEFGHIJKL"), "16.4", null,
                "10.30.0.0/16", "acme-lake-dev-pg-dumps", "rds/dev", 7, false, "15 2 * * *", List.of("dagster"),
                Map.of(), "dp_backup", null, null, Map.of());
    }

    static PgstacMigration.Args pgstac() {
        return new PgstacMigration.Args(List.of(new PgstacMigration.PgstacDatabase("pgstac", "pgstac_migrator")), "0.9.11",
                new PgstacMigration.CloudSql("acme-data-dev", CONNECTION, Output.of("10.20.0.3"), Output.of(EMAIL),
                        "gcp-secret-manager", "pgstac-migrator-password"), Map.of());
    }

    static ObservabilityStack.Args observability(Cluster cluster) {
        return ObservabilityStack.Args.builder().environment(Environment.DEV).cluster(cluster).telemetryClients(List.of("data-apps"))
                .marquez(new ObservabilityStack.MarquezDatabase(CONNECTION, "marquez", "marquez", "platform-secrets",
                        "marquez-db-password", Output.of(EMAIL)), Output.of("10.20.0.3/32"))
                .build();
    }

    static StackGresTenant.Args tenant(Cluster cluster) {
        return StackGresTenant.Args.builder().client("acme").environment(Environment.DEV).cluster(cluster)
                .aws(new StackGresTenant.AwsIdentity("210987654321", "eu-west-1", OIDC)).createAppNamespace(true).build();
    }

    static CloudSqlDatabase.Args cloudSql(Cluster cluster) {
        return CloudSqlDatabase.Args.builder().project("acme-data-dev").region("europe-west1")
                .privateNetwork("projects/acme-data-dev/global/networks/data").instanceName("data-platform-dev")
                .tier("db-custom-1-3840").diskAutoresizeLimitGb(100).backupRetentionDays(7).adminPassword(Output.of("root-secret"))
                .databases(List.of(new DatabaseModel("pgstac", List.of(), List.of(), true, List.of())))
                .workload(new CloudSqlDatabase.Workload("workload", Access.WRITER, "data-apps", "dagster", true))
                .cluster(cluster).build();
    }

    /**
     * Per component and cluster: the ServiceAccount (resource name), the annotation key it carries (null: none) and the
     * prefix of its namespace's metadata-server policies (null: there are none).
     */
    static Stream<Arguments> wirings() {
        return Stream.of(
                Arguments.of("dagster on GKE", TestClusters.GKE, (Placement) c -> new DagsterStack("dagster",
                                dagster(c, WorkloadIdentity.google(Output.of(EMAIL)), DagsterStack.Auth.GCP_IAM).build(),
                                ComponentResourceOptions.Empty),
                        "dagster-service-account", WorkloadIdentity.GKE_ANNOTATION, "dagster-allow-metadata-server"),
                Arguments.of("dagster on EKS", TestClusters.EKS, (Placement) c -> new DagsterStack("dagster",
                                dagster(c, WorkloadIdentity.aws(Output.of(ROLE_ARN)), DagsterStack.Auth.AWS_IAM).build(),
                                ComponentResourceOptions.Empty),
                        "dagster-service-account", WorkloadIdentity.EKS_ANNOTATION, null),
                Arguments.of("dagster on a kubeconfig cluster", TestClusters.LOCAL, (Placement) c -> new DagsterStack("dagster",
                                dagster(c, WorkloadIdentity.none(), DagsterStack.Auth.PASSWORD).build(), ComponentResourceOptions.Empty),
                        "dagster-service-account", null, null),
                Arguments.of("observability (Marquez) on GKE", TestClusters.GKE, (Placement) c -> new ObservabilityStack(
                                "observability", observability(c), ComponentResourceOptions.Empty),
                        "observability-marquez-service-account", WorkloadIdentity.GKE_ANNOTATION, "observability-allow-gke-metadata"),
                Arguments.of("iceberg catalog on GKE", TestClusters.GKE, (Placement) c -> new IcebergCatalog("iceberg-catalog",
                                iceberg(c, IcebergCatalog.Cloud.GCP), ComponentResourceOptions.Empty),
                        "iceberg-catalog-service-account", WorkloadIdentity.GKE_ANNOTATION, "iceberg-catalog-allow-gke-metadata"),
                Arguments.of("iceberg catalog on EKS", TestClusters.EKS, (Placement) c -> new IcebergCatalog("iceberg-catalog",
                                iceberg(c, IcebergCatalog.Cloud.AWS), ComponentResourceOptions.Empty),
                        "iceberg-catalog-service-account", WorkloadIdentity.EKS_ANNOTATION, null),
                Arguments.of("logical backups on GKE", TestClusters.GKE, (Placement) c -> new LogicalBackup("cloudsql-logical-backup",
                                logicalBackup(), c, ComponentResourceOptions.Empty),
                        "cloudsql-logical-backup-backup-ksa", WorkloadIdentity.GKE_ANNOTATION,
                        "cloudsql-logical-backup-allow-metadata-server"),
                Arguments.of("RDS logical backups on EKS", TestClusters.EKS, (Placement) c -> new RdsLogicalBackup("rds-logical-backup",
                                rdsLogicalBackup(), c, ComponentResourceOptions.Empty),
                        "rds-logical-backup-backup-ksa", WorkloadIdentity.EKS_ANNOTATION, null),
                Arguments.of("pgSTAC migration on GKE", TestClusters.GKE, (Placement) c -> new PgstacMigration("cloudsql-pgstac",
                                pgstac(), c, ComponentResourceOptions.Empty),
                        "cloudsql-pgstac-service-account", WorkloadIdentity.GKE_ANNOTATION, "cloudsql-pgstac-allow-metadata-server"),
                Arguments.of("StackGres tenant on EKS", TestClusters.EKS, (Placement) c -> new StackGresTenant("acme", tenant(c),
                                ComponentResourceOptions.Empty),
                        "acme-db-url-writer", WorkloadIdentity.EKS_ANNOTATION, null),
                Arguments.of("Cloud SQL workload on GKE", TestClusters.GKE, (Placement) c -> new CloudSqlDatabase("cloudsql",
                                cloudSql(c), ComponentResourceOptions.Empty),
                        "cloudsql-workload-ksa", WorkloadIdentity.GKE_ANNOTATION, "cloudsql-workload-allow-metadata-server"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wirings")
    void theClusterKindDecidesTheAnnotationAndTheMetadataEgress(String component, Cluster cluster, Placement placement,
                                                                String account, String annotation, String metadataPolicies) {
        var run = Harness.preview("dev", ctx -> placement.declare(cluster)).succeeded();
        var annotations = run.resource(ACCOUNT, account).input("metadata.annotations").orElse(Map.of());
        if (annotation == null) {
            assertEquals(Map.of(), annotations, component + ": no cloud identity, no annotation");
        } else if ("[unknown]".equals(annotations)) {
            // The identity is created with the component (its email or ARN is known after the deploy): the annotation
            // is there, its key is checked where the identity is given (the dagster, Marquez, pgSTAC and Cloud SQL rows).
            assertEquals("[unknown]", annotations, component);
        } else {
            assertEquals(List.of(annotation), List.copyOf(((Map<?, ?>) annotations).keySet()), component);
            assertEquals(annotation.equals(WorkloadIdentity.GKE_ANNOTATION) ? EMAIL : ROLE_ARN,
                    ((Map<?, ?>) annotations).get(annotation), component);
        }
        // No ServiceAccount of the component carries the other cloud's annotation.
        for (var a : run.all(ACCOUNT)) {
            if (!(a.input("metadata.annotations").orElse(Map.of()) instanceof Map<?, ?> known)) {
                continue;
            }
            var keys = known.keySet();
            assertTrue(cluster.kind() == Cluster.Kind.GKE ? !keys.contains(WorkloadIdentity.EKS_ANNOTATION)
                    : !keys.contains(WorkloadIdentity.GKE_ANNOTATION) && (cluster.kind() == Cluster.Kind.EKS || keys.isEmpty()),
                    component + ": " + a.name() + " " + keys);
        }
        var metadata = run.all(POLICY).stream().filter(p -> String.valueOf(p.inputs().get("spec")).contains("169.254.169.")).toList();
        if (metadataPolicies == null) {
            assertEquals(List.of(), metadata.stream().map(p -> p.name()).toList(), component + ": never 169.254.169.254");
        } else {
            assertEquals(List.of(metadataPolicies + "-0", metadataPolicies + "-1"), metadata.stream().map(p -> p.name()).toList(),
                    component);
            for (int i = 0; i < GkeMetadataServer.ENDPOINTS.size(); i++) {
                var endpoint = GkeMetadataServer.ENDPOINTS.get(i);
                assertEquals(List.of(Map.of("to", List.of(Map.of("ipBlock", Map.of("cidr", endpoint.cidr()))),
                                "ports", endpoint.ports().stream().map(p -> Map.of("protocol", "TCP", "port", (long) p)).toList())),
                        run.resource(POLICY, metadataPolicies + "-" + i).input("spec.egress").orElseThrow(), component);
            }
        }
        // Every namespace the component creates admits DNS.
        assertFalse(run.all(POLICY).stream().noneMatch(p -> p.name().endsWith("-allow-dns")), component);
    }

    /** Each component with the other cloud's cluster (or a kubeconfig cluster): refused, naming cluster and what is allowed. */
    static Stream<Arguments> mismatches() {
        return Stream.of(
                Arguments.of("dagster", (Runnable) () -> dagster(TestClusters.EKS, WorkloadIdentity.google(Output.of(EMAIL)),
                        DagsterStack.Auth.GCP_IAM).build(), "prod-eks", "eks", "gke"),
                Arguments.of("dagster", (Runnable) () -> dagster(TestClusters.GKE, WorkloadIdentity.aws(Output.of(ROLE_ARN)),
                        DagsterStack.Auth.AWS_IAM).build(), "dev-gke", "gke", "eks"),
                Arguments.of("dagster", (Runnable) () -> dagster(TestClusters.LOCAL, WorkloadIdentity.google(Output.of(EMAIL)),
                        DagsterStack.Auth.GCP_IAM).build(), "local", "kubeconfig", "gke"),
                Arguments.of("observability", (Runnable) () -> observability(TestClusters.EKS), "prod-eks", "eks", "gke"),
                Arguments.of("icebergCatalog", (Runnable) () -> iceberg(TestClusters.EKS, IcebergCatalog.Cloud.GCP), "prod-eks", "eks", "gke"),
                Arguments.of("icebergCatalog", (Runnable) () -> iceberg(TestClusters.LOCAL, IcebergCatalog.Cloud.AWS), "local", "kubeconfig", "eks"),
                Arguments.of("logicalBackups", (Runnable) () -> declare(c -> new LogicalBackup("cloudsql-logical-backup",
                        logicalBackup(), c, ComponentResourceOptions.Empty), TestClusters.EKS), "prod-eks", "eks", "gke"),
                Arguments.of("rds.logicalBackups", (Runnable) () -> declare(c -> new RdsLogicalBackup("rds-logical-backup",
                        rdsLogicalBackup(), c, ComponentResourceOptions.Empty), TestClusters.GKE), "dev-gke", "gke", "eks"),
                Arguments.of("pgstacMigration", (Runnable) () -> declare(c -> new PgstacMigration("cloudsql-pgstac", pgstac(), c,
                        ComponentResourceOptions.Empty), TestClusters.LOCAL), "local", "kubeconfig", "gke"),
                Arguments.of("tenant acme", (Runnable) () -> tenant(TestClusters.GKE), "dev-gke", "gke", "eks"),
                Arguments.of("workload", (Runnable) () -> cloudSql(TestClusters.EKS), "prod-eks", "eks", "gke"));
    }

    /** Declares outside an engine: the refusal comes before any resource. */
    static void declare(Consumer<Cluster> component, Cluster cluster) {
        var failure = Harness.preview("dev", ctx -> component.accept(cluster));
        for (Throwable error = failure.recording().exceptions().isEmpty() ? null : failure.recording().exceptions().get(0);
             error != null; error = error.getCause()) {
            if (error instanceof IllegalArgumentException e) {
                throw e;
            }
        }
        throw new IllegalStateException("declared: " + failure.recording().exceptions());
    }

    @ParameterizedTest(name = "{0} on {2}")
    @MethodSource("mismatches")
    void anIdentityTheClusterCannotGiveIsRefused(String component, Runnable declare, String cluster, String kind, String allowed) {
        var error = assertThrows(IllegalArgumentException.class, declare::run);
        assertTrue(error.getMessage().contains(component + ": is placed on cluster '" + cluster + "' (kind " + kind + ":"),
                error.getMessage());
        assertTrue(error.getMessage().endsWith("allowed: a " + allowed + " cluster"), error.getMessage());
    }

    @Test
    void theRuleAllowsNoIdentityAnywhereAndACloudIdentityOnlyOnItsCloud() {
        for (var kind : Cluster.Kind.values()) {
            assertTrue(WorkloadIdentity.refusal("c", kind, Cluster.Identity.NONE).isEmpty(), kind.id());
            assertTrue(WorkloadIdentity.refusal("c", kind, null).isEmpty(), kind.id());
        }
        assertTrue(WorkloadIdentity.refusal("c", Cluster.Kind.GKE, Cluster.Identity.GKE_WORKLOAD_IDENTITY).isEmpty());
        assertTrue(WorkloadIdentity.refusal("c", Cluster.Kind.EKS, Cluster.Identity.EKS_IRSA).isEmpty());
        assertTrue(WorkloadIdentity.refusal("c", Cluster.Kind.GKE, Cluster.Identity.EKS_IRSA).isPresent());
        assertTrue(WorkloadIdentity.refusal("c", Cluster.Kind.EKS, Cluster.Identity.GKE_WORKLOAD_IDENTITY).isPresent());
        assertTrue(WorkloadIdentity.refusal("c", Cluster.Kind.KUBECONFIG, Cluster.Identity.GKE_WORKLOAD_IDENTITY).isPresent());
        assertTrue(WorkloadIdentity.refusal("c", Cluster.Kind.KUBECONFIG, Cluster.Identity.EKS_IRSA).isPresent());
        var noCluster = assertThrows(IllegalArgumentException.class,
                () -> WorkloadNamespace.check("dagster", null, Cluster.Identity.GKE_WORKLOAD_IDENTITY));
        assertEquals("dagster: needs the cluster it is placed on: its workloads use GKE Workload Identity "
                + "(iam.gke.io/gcp-service-account), which only a gke cluster gives pods", noCluster.getMessage());
    }
}
