package dev.dataplatform.program;

import dev.dataplatform.engine.PlannedResource;
import dev.dataplatform.plan.Plan;
import dev.dataplatform.plan.PlanRenderer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The committed stacks: every Kubernetes resource on a named cluster through its explicit provider, identity by cluster kind. */
class ClusterPlacementTest {
    static final String PROVIDER = "pulumi:providers:kubernetes";
    static final Map<String, Plan.Result> PLANS = new TreeMap<>();

    @BeforeAll
    static void plan() {
        for (String stack : List.of("dev", "stage", "prod")) {
            PLANS.put(stack, CommittedPlans.of(stack));
        }
    }

    static List<PlannedResource> kubernetes(Plan.Result plan) {
        return plan.recording().resources().stream().filter(r -> r.custom() && r.type().startsWith("kubernetes:")).toList();
    }

    static String providerUrn(String stack, String cluster) {
        return "urn:pulumi:" + stack + "::data-platform::" + PROVIDER + "::" + cluster;
    }

    @Test
    void everyKubernetesResourceOfEveryStackHasAnExplicitProvider() {
        PLANS.forEach((stack, plan) -> {
            var without = kubernetes(plan).stream().filter(r -> r.options().provider() == null).map(PlannedResource::urn).toList();
            assertEquals(List.of(), without, stack);
            assertTrue(kubernetes(plan).size() > 50, stack);
            assertTrue(plan.config().disabledDefaultProviders().contains("kubernetes"), stack);
        });
    }

    @Test
    void prodPlacesGoogleWorkloadsOnGkeAndTenantsAndRdsBackupsOnEks() {
        var prod = PLANS.get("prod");
        assertEquals(Set.of("prod-gke", "prod-eks"), prod.recording().resources().stream().filter(r -> r.type().equals(PROVIDER))
                .map(PlannedResource::name).collect(Collectors.toSet()));
        var byCluster = kubernetes(prod).stream().collect(Collectors.groupingBy(r -> r.options().provider(),
                Collectors.mapping(r -> r.kubernetesNamespace().or(r::kubernetesName).orElse("?"), Collectors.toCollection(TreeSet::new))));
        assertTrue(byCluster.get(providerUrn("prod", "prod-gke")).containsAll(
                Set.of("data-apps", "observability", "iceberg", "pg-logical-backups", "pgstac-migrations")), byCluster.toString());
        assertTrue(byCluster.get(providerUrn("prod", "prod-eks")).containsAll(Set.of("tenant-globex", "rds-logical-backups")),
                byCluster.toString());
        assertEquals(providerUrn("stage", "stage-eks"), kubernetes(PLANS.get("stage")).get(0).options().provider());
        assertEquals(providerUrn("dev", "dev-gke"), kubernetes(PLANS.get("dev")).get(0).options().provider());
    }

    @Test
    void kubeconfigsAreSecretInThePlan() {
        PLANS.forEach((stack, plan) -> {
            var providers = plan.recording().resources().stream().filter(r -> r.type().equals(PROVIDER)).toList();
            assertTrue(!providers.isEmpty(), stack);
            providers.forEach(p -> assertEquals("[secret]", p.inputs().get("kubeconfig"), p.urn()));
            String json = PlanRenderer.json(plan);
            assertTrue(!json.contains("offline-plan.invalid") && !json.contains("certificate-authority-data"), stack);
        });
    }

    @Test
    void noProviderHostsBothIdentityKindsAndNoEksNetworkPolicyAdmitsInstanceMetadata() {
        PLANS.forEach((stack, plan) -> {
            // The identity annotation's key is known even where its value (a role ARN, an email) is not yet.
            var kinds = new TreeMap<String, Set<String>>();
            kubernetes(plan).stream().filter(r -> r.type().equals("kubernetes:core/v1:ServiceAccount")).forEach(r -> {
                String metadata = String.valueOf(r.inputs().get("metadata"));
                for (String key : List.of("iam.gke.io/gcp-service-account", "eks.amazonaws.com/role-arn")) {
                    if (metadata.contains(key)) {
                        kinds.computeIfAbsent(r.options().provider(), p -> new TreeSet<>()).add(key);
                    }
                }
            });
            assertTrue(!kinds.isEmpty(), stack);
            kinds.forEach((provider, keys) -> assertEquals(1, keys.size(), provider + " hosts both identity kinds: " + keys));
            kubernetes(plan).stream().filter(r -> r.type().equals("kubernetes:networking.k8s.io/v1:NetworkPolicy"))
                    .filter(r -> r.options().provider().endsWith("-eks"))
                    .forEach(r -> assertTrue(!String.valueOf(r.inputs()).contains("169.254.169.254"), r.urn() + " admits "
                            + "the EC2 instance metadata service on an EKS cluster"));
        });
    }

    @Test
    void theHumanPlanGroupsKubernetesResourcesByCluster() {
        String text = PlanRenderer.human(PLANS.get("prod"));
        assertTrue(text.contains("Kubernetes resources by cluster:\n  prod-eks: "), text);
        assertTrue(text.contains("\n  prod-gke: "), text);
        assertTrue(!text.contains("no explicit provider"), text);
    }

    @Test
    void prodWithoutTenantsPlansItsRdsBackupsWithTheClustersIdentity(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        String prod = java.nio.file.Files.readString(Path.of("..", "Pulumi.prod.yaml"));
        int start = prod.indexOf("  # Client databases: one StackGres");
        int end = prod.indexOf("  # Dagster in the workload namespace");
        assertTrue(start > 0 && end > start, "the prod file's tenants section moved");
        java.nio.file.Files.writeString(dir.resolve("Pulumi.prod.yaml"), prod.substring(0, start) + prod.substring(end));
        java.nio.file.Files.copy(Path.of("..", "Pulumi.yaml"), dir.resolve("Pulumi.yaml"));
        var out = new java.io.ByteArrayOutputStream();
        var err = new java.io.ByteArrayOutputStream();
        int code = dev.dataplatform.plan.Cli.run(new String[]{"plan", "--stack", "prod", "--cwd", dir.toString(), "--json"},
                new java.io.PrintStream(out, true), new java.io.PrintStream(err, true));
        assertEquals(0, code, err.toString());
        String json = out.toString();
        assertTrue(!json.contains("tenant-globex"), "no tenant left");
        // The backup role trusts prod-eks's issuer, which now lives only in data-platform:clusters.
        assertTrue(json.contains("oidc.eks.eu-west-1.amazonaws.com/id/9F8E7D6C5B4A39281706F5E4D3C2B1A0:sub"), "IRSA trust of prod-eks");
    }

    @Test
    void movingABlockToAnotherClusterReplacesItsKubernetesResourcesAndTheGuardrailsRefuseLosingData(
            @org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        // The base: prod as planned, but with the tenants on another EKS cluster (what a change of tenants.cluster does).
        var base = com.google.gson.JsonParser.parseString(PlanRenderer.json(PLANS.get("prod"))).getAsJsonObject();
        for (var element : base.getAsJsonArray("resources")) {
            var options = element.getAsJsonObject().getAsJsonObject("options");
            if (!options.get("provider").isJsonNull() && options.get("provider").getAsString().endsWith("::prod-eks")
                    && element.getAsJsonObject().get("urn").getAsString().contains("::globex")) {
                options.addProperty("provider", "urn:pulumi:prod::data-platform::pulumi:providers:kubernetes::prod-eks-old");
            }
        }
        var file = dir.resolve("base.json");
        java.nio.file.Files.writeString(file, base.toString());
        var diff = dev.dataplatform.plan.PlanDiff.compare(dev.dataplatform.plan.BaseState.read(file),
                PLANS.get("prod").recording().resources());
        var cluster = diff.changes().stream().filter(c -> c.type().equals("kubernetes:stackgres.io/v1:SGCluster")).findFirst().orElseThrow();
        assertEquals(dev.dataplatform.plan.PlanDiff.Operation.REPLACE, cluster.operation());
        assertEquals(List.of("(provider)"), cluster.replacePaths());
        assertTrue(diff.findings().stream().anyMatch(f -> f.rule().equals("diff-replace-stateful") && f.resource().equals(cluster.urn())),
                diff.findings().toString());
        // Everything else stays.
        assertTrue(diff.changes().stream().filter(c -> !c.urn().contains("::globex"))
                .allMatch(c -> c.operation() == dev.dataplatform.plan.PlanDiff.Operation.SAME), "only the moved block changes");
    }
    /**
     * A deployment made before data-platform:clusters: every Kubernetes resource of dev through the engine's default
     * provider. Moving to the cluster's derived kubeconfig changes the active cluster (pulumi-kubernetes DiffConfig:
     * replace), unless the cluster adopts the default provider (an alias the engine honours).
     */
    @Test
    void fromTheDefaultProviderEveryResourceIsReplacedUnlessTheClusterAdoptsIt(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        String defaultProvider = providerUrn("dev", dev.dataplatform.kubernetes.ClusterProvider.defaultProviderName());
        assertEquals("urn:pulumi:dev::data-platform::pulumi:providers:kubernetes::default_4_0_0", defaultProvider);
        var base = com.google.gson.JsonParser.parseString(PlanRenderer.json(PLANS.get("dev"))).getAsJsonObject();
        var resources = base.getAsJsonArray("resources");
        for (var element : resources) {
            var resource = element.getAsJsonObject();
            var options = resource.getAsJsonObject("options");
            if (!options.get("provider").isJsonNull() && options.get("provider").getAsString().equals(providerUrn("dev", "dev-gke"))) {
                options.addProperty("provider", defaultProvider);
            }
            if (resource.get("urn").getAsString().equals(providerUrn("dev", "dev-gke"))) {
                resource.addProperty("urn", defaultProvider);
                resource.addProperty("name", dev.dataplatform.kubernetes.ClusterProvider.defaultProviderName());
                resource.add("inputs", new com.google.gson.JsonObject());
            }
        }
        var file = dir.resolve("base.json");
        java.nio.file.Files.writeString(file, base.toString());
        var state = dev.dataplatform.plan.BaseState.read(file);

        var moved = dev.dataplatform.plan.PlanDiff.compare(state, PLANS.get("dev").recording().resources());
        var kubernetes = moved.changes().stream().filter(c -> c.type().startsWith("kubernetes:")).toList();
        assertTrue(kubernetes.size() > 50, "kubernetes resources: " + kubernetes.size());
        assertTrue(kubernetes.stream().allMatch(c -> c.operation() == dev.dataplatform.plan.PlanDiff.Operation.REPLACE
                && c.replacePaths().contains("(provider)")), "every one is replaced");
        assertEquals(kubernetes(PLANS.get("dev")).size(), kubernetes.size());

        // The stack file says dev-gke is the cluster the default provider deployed to.
        java.nio.file.Files.copy(Path.of("..", "Pulumi.yaml"), dir.resolve("Pulumi.yaml"));
        String stackFile = java.nio.file.Files.readString(Path.of("..", "Pulumi.dev.yaml"));
        String gke = "    dev-gke:\n      kind: gke\n";
        assertTrue(stackFile.contains(gke), "Pulumi.dev.yaml's cluster block changed: update this test");
        java.nio.file.Files.writeString(dir.resolve("Pulumi.dev.yaml"), stackFile.replace(gke, gke + "      adoptsDefaultProvider: true\n"));
        var adopting = Plan.run(dir, "dev");
        var provider = adopting.recording().resources().stream().filter(r -> r.urn().equals(providerUrn("dev", "dev-gke")))
                .findFirst().orElseThrow();
        assertEquals(List.of(defaultProvider), provider.options().aliases());
        var adopted = dev.dataplatform.plan.PlanDiff.compare(state, adopting.recording().resources());
        assertEquals(List.of(), adopted.changes().stream().filter(c -> c.type().startsWith("kubernetes:")
                && c.operation() != dev.dataplatform.plan.PlanDiff.Operation.SAME).map(c -> c.urn() + " " + c.operation()).toList());
        assertEquals(List.of(), adopted.findings());
    }
}
