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
            PLANS.put(stack, Plan.run(Path.of(".."), stack));
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
}
