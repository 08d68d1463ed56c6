package dev.dataplatform.config;

import dev.dataplatform.config.ClustersConfig.Component;
import dev.dataplatform.kubernetes.Cluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** data-platform:clusters, the blocks' placement keys and pulumi:disable-default-providers. */
class ClustersConfigTest {
    static final String PROD = read("Pulumi.prod.yaml");
    static final String STAGE = read("Pulumi.stage.yaml");
    static final String DEV = read("Pulumi.dev.yaml");
    static final String PROD_CLUSTERS = """
              data-platform:clusters:
                prod-gke:
                  kind: gke
                  project: acme-data-prod
                  location: europe-west1
                  name: data-platform-prod
                prod-eks:
                  kind: eks
                  region: eu-west-1
                  name: data-platform-prod
                  accountId: "123456789012"
                  oidcProvider: oidc.eks.eu-west-1.amazonaws.com/id/9F8E7D6C5B4A39281706F5E4D3C2B1A0
            """;

    static String read(String file) {
        try {
            return Files.readString(Path.of("..", file));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** As the offline plan parses: a secret not set yet is noted, not an error. */
    static PlatformConfig offline(String stack, String yaml) {
        var file = StackFile.parse(StackFile.fileName(stack), stack, yaml);
        return PlatformConfigParser.parse(file, new ConfigNode.Context(file.file(), false));
    }

    /** prod with its clusters block replaced by {@code clusters} (indented as under config:). */
    static String prodWithClusters(String clusters) {
        assertTrue(PROD.contains(PROD_CLUSTERS), "Pulumi.prod.yaml's clusters block changed: update this test");
        return PROD.replace(PROD_CLUSTERS, clusters);
    }

    @Test
    void theCommittedStacksPlaceEveryKubernetesBlockOnAClusterOfTheRightKind() {
        var prod = offline("prod", PROD);
        var clusters = prod.clusters();
        assertEquals(Set.of("prod-gke", "prod-eks"), clusters.clusters().keySet());
        assertEquals(Cluster.Kind.GKE, clusters.clusters().get("prod-gke").kind());
        assertEquals(new Cluster.Eks("eu-west-1", "data-platform-prod", "123456789012",
                "oidc.eks.eu-west-1.amazonaws.com/id/9F8E7D6C5B4A39281706F5E4D3C2B1A0"), clusters.clusters().get("prod-eks").eks());
        assertEquals(Map.of(Component.DAGSTER, "prod-gke", Component.OBSERVABILITY, "prod-gke", Component.ICEBERG_CATALOG, "prod-gke",
                Component.LOGICAL_BACKUPS, "prod-gke", Component.PGSTAC_MIGRATION, "prod-gke",
                Component.TENANTS, "prod-eks", Component.RDS_LOGICAL_BACKUPS, "prod-eks"), clusters.placements());
        assertTrue(prod.disabledDefaultProviders().contains("kubernetes"));

        // One cluster: every block lands on it without naming it.
        var stage = offline("stage", STAGE).clusters();
        assertEquals(Set.of("stage-eks"), Set.copyOf(stage.placements().values()));
        assertEquals(Set.of(Component.TENANTS, Component.RDS_LOGICAL_BACKUPS, Component.DAGSTER, Component.OBSERVABILITY,
                Component.ICEBERG_CATALOG), stage.placements().keySet());
        var dev = offline("dev", DEV).clusters();
        assertEquals(Set.of("dev-gke"), Set.copyOf(dev.placements().values()));
        for (String stack : new String[]{DEV, STAGE, PROD}) {
            assertTrue(stack.contains("pulumi:disable-default-providers: [kubernetes]"));
        }
    }

    @Test
    void aLocalClusterIsAKubeconfigContextWithAnOptionalSecretKubeconfig() {
        var dev = offline("dev", DEV.replace("""
                    dev-gke:
                      kind: gke
                      project: acme-data-dev
                      location: europe-west1
                      name: data-platform-dev
                """, """
                    dev-gke:
                      kind: gke
                      project: acme-data-dev
                      location: europe-west1
                      name: data-platform-dev
                    local:
                      kind: kubeconfig
                      context: kind-data-platform
                      kubeconfig:
                        secure: v1:abc
                """).replace("data-platform:dagster:\n", "data-platform:dagster:\n    cluster: dev-gke\n")
                .replace("data-platform:observability:\n", "data-platform:observability:\n    cluster: dev-gke\n")
                .replace("data-platform:icebergCatalog:\n", "data-platform:icebergCatalog:\n    cluster: dev-gke\n")
                .replace("data-platform:logicalBackups:\n", "data-platform:logicalBackups:\n    cluster: dev-gke\n")
                .replace("data-platform:pgstacMigration:\n", "data-platform:pgstacMigration:\n    cluster: dev-gke\n"));
        var local = dev.clusters().clusters().get("local");
        assertEquals("kind-data-platform", local.context());
        assertEquals(Cluster.Identity.NONE, local.identity());
        assertTrue(local.kubeconfig() != null);
        assertTrue(!dev.clusters().placements().containsValue("local"), "nothing is placed on it");
    }

    static Stream<Arguments> badInputs() {
        String gke = "    prod-gke:\n      kind: gke\n      project: acme-data-prod\n      location: europe-west1\n      name: data-platform-prod\n";
        String eks = "    prod-eks:\n      kind: eks\n      region: eu-west-1\n      name: data-platform-prod\n"
                + "      accountId: \"123456789012\"\n      oidcProvider: oidc.eks.eu-west-1.amazonaws.com/id/9F8E7D6C5B4A39281706F5E4D3C2B1A0\n";
        String head = "  data-platform:clusters:\n";
        return Stream.of(
                Arguments.of(PROD.replace("    cluster: prod-gke\n    namespace: data-apps", "    cluster: prod-gcp\n    namespace: data-apps"),
                        "data-platform:dagster.cluster", "unknown cluster 'prod-gcp'; allowed: prod-gke, prod-eks"),
                Arguments.of(PROD.replace("  data-platform:tenants:\n    cluster: prod-eks", "  data-platform:tenants:\n    cluster: prod-gke"),
                        "data-platform:tenants.cluster", "is placed on cluster 'prod-gke' (kind gke: GKE Workload Identity "
                                + "(iam.gke.io/gcp-service-account)) but its workloads use EKS IRSA (eks.amazonaws.com/role-arn); "
                                + "allowed: a eks cluster (prod-eks)"),
                Arguments.of(PROD.replace("  data-platform:logicalBackups:\n    cluster: prod-gke", "  data-platform:logicalBackups:\n    cluster: prod-eks"),
                        "data-platform:logicalBackups.cluster", "its workloads use GKE Workload Identity"),
                // The same rule for a kubeconfig cluster: no cloud identity there.
                Arguments.of(prodWithClusters(head + gke + eks + "    prod-kind:\n      kind: kubeconfig\n      context: kind-prod\n")
                                .replace("  data-platform:pgstacMigration:\n    cluster: prod-gke", "  data-platform:pgstacMigration:\n    cluster: prod-kind"),
                        "data-platform:pgstacMigration.cluster", "is placed on cluster 'prod-kind' (kind kubeconfig: no cloud identity) "
                                + "but its workloads use GKE Workload Identity (iam.gke.io/gcp-service-account); allowed: a gke cluster (prod-gke)"),
                Arguments.of(PROD.replace("  data-platform:dagster:\n    cluster: prod-gke\n", "  data-platform:dagster:\n"),
                        "data-platform:dagster.cluster", "is required: the stack has several clusters (prod-gke, prod-eks)"),
                Arguments.of(prodWithClusters(head + gke + gke.replace("prod-gke:", "prod-gke-2:")),
                        "data-platform:clusters.prod-gke-2", "is the same cluster as 'prod-gke'"),
                Arguments.of(prodWithClusters(head + gke + eks.replace("eks\n      region", "aks\n      region")),
                        "data-platform:clusters.prod-eks.kind", "'aks' is not allowed; allowed: gke, eks, kubeconfig"),
                Arguments.of(prodWithClusters(head + gke.replace("      location: europe-west1\n", "") + eks),
                        "data-platform:clusters.prod-gke.location", "is required"),
                Arguments.of(prodWithClusters(head + gke.replace("location: europe-west1", "location: europe-west1-bb") + eks),
                        "data-platform:clusters.prod-gke.location", "is not a GKE location"),
                Arguments.of(prodWithClusters(head + gke.replace("project: acme-data-prod", "project: Acme") + eks),
                        "data-platform:clusters.prod-gke.project", "a GCP project ID"),
                Arguments.of(prodWithClusters(head + gke + eks.replace("      accountId: \"123456789012\"\n", "")),
                        "data-platform:clusters.prod-eks.accountId", "is required"),
                Arguments.of(prodWithClusters(head + gke + eks.replace("\"123456789012\"", "\"1234\"")),
                        "data-platform:clusters.prod-eks.accountId", "12-digit"),
                Arguments.of(prodWithClusters(head + gke + eks.replace("oidc.eks.eu-west-1", "oidc.eks.us-east-1")),
                        "data-platform:clusters.prod-eks.oidcProvider", "is not an issuer in region eu-west-1"),
                Arguments.of(prodWithClusters(head + gke + eks.replace("      region: eu-west-1\n", "      region: eu-west-1\n      project: x\n")),
                        "data-platform:clusters.prod-eks.project", "unknown key"),
                Arguments.of(prodWithClusters(head + gke.replace("prod-gke:", "Prod_GKE:") + eks),
                        "data-platform:clusters.Prod_GKE", "is not a cluster name"),
                Arguments.of(prodWithClusters(head + gke + "    local: {kind: kubeconfig, context: kind-dp, kubeconfig: plain}\n" + eks),
                        "data-platform:clusters.local.kubeconfig", "is a secret and must not be plain text"),
                Arguments.of(prodWithClusters(""), "data-platform:tenants.cluster", "unknown cluster 'prod-eks'; allowed: (none)"),
                Arguments.of(prodWithClusters("").replaceAll("\n    cluster: prod-[a-z]+\n", "\n").replaceAll("\n      cluster: prod-[a-z]+\n", "\n"),
                        "data-platform:dagster", "creates Kubernetes resources but the stack has no cluster"),
                Arguments.of(prodWithClusters(head + gke + "      adoptsDefaultProvider: true\n" + eks + "      adoptsDefaultProvider: true\n"),
                        "data-platform:clusters", "clusters prod-gke, prod-eks all set adoptsDefaultProvider; allowed: at most one"),
                Arguments.of(prodWithClusters(head + gke + "      adoptsDefaultProvider: sometimes\n" + eks),
                        "data-platform:clusters.prod-gke.adoptsDefaultProvider", "true or false"),
                Arguments.of(PROD.replace("  pulumi:disable-default-providers: [kubernetes]\n", ""),
                        "pulumi:disable-default-providers", "must include kubernetes"),
                Arguments.of(PROD.replace("pulumi:disable-default-providers: [kubernetes]", "pulumi:disable-default-providers: [aws]"),
                        "pulumi:disable-default-providers", "must include kubernetes"));
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @MethodSource("badInputs")
    void badClusterConfigIsRefusedBeforeAnythingIsDeclared(String yaml, String path, String fragment) {
        ConfigRefusals.assertRefused("prod", yaml, path, fragment);
    }
}
