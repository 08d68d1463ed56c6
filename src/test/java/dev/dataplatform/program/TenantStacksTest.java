package dev.dataplatform.program;

import dev.dataplatform.engine.PlannedResource;
import dev.dataplatform.plan.Plan;
import dev.dataplatform.stackgres.OperatorFacts;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The committed stage and prod tenants, as planned: a namespace whose Pod Security admits the
 * StackGres 1.18.6 pods, and NetworkPolicies on the pods' real ports ({@link OperatorFacts}).
 */
class TenantStacksTest {
    static final String NAMESPACE = "kubernetes:core/v1:Namespace";
    static final String POLICY = "kubernetes:networking.k8s.io/v1:NetworkPolicy";

    static List<PlannedResource> inNamespace(Plan.Result plan, String type, String namespace) {
        return plan.recording().resources().stream().filter(r -> r.type().equals(type)
                && namespace.equals(r.kubernetesNamespace().orElse(null))).toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"stage-tenants-01", "prod-tenants-01"})
    void theTenantNamespaceAdmitsTheOperatorsPodsAndItsFlows(String stack) {
        var plan = CommittedPlans.of(stack);
        var ns = plan.recording().resources().stream().filter(r -> r.type().equals(NAMESPACE)
                && "tenant-globex".equals(r.kubernetesName().orElse(null))).findFirst().orElseThrow();
        var labels = (Map<?, ?>) ns.input("metadata.labels").orElseThrow();
        assertEquals(OperatorFacts.POD_SECURITY_LEVEL, labels.get("pod-security.kubernetes.io/enforce"));
        assertEquals("restricted", labels.get("pod-security.kubernetes.io/warn"));

        var ingress = new TreeMap<Long, TreeSet<String>>();
        var egress = new TreeSet<Long>();
        for (var policy : inNamespace(plan, POLICY, "tenant-globex")) {
            for (Object rule : (List<?>) policy.input("spec.ingress").orElse(List.of())) {
                var ports = (List<?>) ((Map<?, ?>) rule).get("ports");
                for (Object peer : (List<?>) ((Map<?, ?>) rule).get("from")) {
                    var selector = (Map<?, ?>) ((Map<?, ?>) peer).get("namespaceSelector");
                    if (selector != null && ports != null) {
                        String from = (String) ((Map<?, ?>) selector.get("matchLabels")).get("kubernetes.io/metadata.name");
                        ports.forEach(p -> ingress.computeIfAbsent((Long) ((Map<?, ?>) p).get("port"), k -> new TreeSet<>()).add(from));
                    }
                }
            }
            for (Object rule : (List<?>) policy.input("spec.egress").orElse(List.of())) {
                var ports = (List<?>) ((Map<?, ?>) rule).get("ports");
                if (ports != null) {
                    ports.forEach(p -> egress.add((Long) ((Map<?, ?>) p).get("port")));
                }
            }
        }
        var expected = new TreeMap<Long, TreeSet<String>>();
        expected.put((long) OperatorFacts.PodPort.POOLER.port, new TreeSet<>(List.of("globex")));
        expected.put((long) OperatorFacts.PodPort.PATRONI_REST.port, new TreeSet<>(List.of("stackgres")));
        expected.put((long) OperatorFacts.PodPort.POSTGRES_EXPORTER.port, new TreeSet<>(List.of("monitoring", "stackgres")));
        assertEquals(expected, ingress);
        assertTrue(egress.containsAll(List.of(53L, 443L, 6443L)), egress.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"stage", "prod"})
    void theShardsTenantBacksUpUnderItsOwnPrefixWithItsOwnParameters(String env) {
        var plan = CommittedPlans.of(env + "-tenants-01");
        var platform = CommittedPlans.of(env).config().tenants().orElseThrow().backups();
        var storage = plan.recording().resources().stream().filter(r -> r.type().equals("kubernetes:stackgres.io/v1beta1:SGObjectStorage")
                && "tenant-globex".equals(r.kubernetesNamespace().orElse(null))).findFirst().orElseThrow();
        assertEquals(platform.bucket() + "/globex", storage.input("spec.s3Compatible.bucket").orElseThrow());
        var keys = plan.recording().resources().stream().filter(r -> r.type().equals("kubernetes:external-secrets.io/v1:ExternalSecret")
                && r.name().equals("globex-backup-credentials")).findFirst().orElseThrow();
        assertEquals(List.of(platform.credentialsParameter() + "/globex/access-key-id", platform.credentialsParameter() + "/globex/secret-access-key"),
                ((List<?>) keys.input("spec.data").orElseThrow()).stream().map(d -> ((Map<?, ?>) ((Map<?, ?>) d).get("remoteRef")).get("key")).toList());
        var policy = (String) plan.recording().resources().stream().filter(r -> r.type().equals("aws:iam/rolePolicy:RolePolicy")
                && r.name().equals("globex-db-url-writer")).findFirst().orElseThrow().inputs().get("policy");
        var aws = CommittedPlans.of(env).config().tenants().orElseThrow().aws();
        String arn = "arn:aws:ssm:" + aws.region() + ":" + aws.accountId() + ":parameter" + platform.credentialsParameter();
        assertTrue(policy.contains("\"" + arn + "/globex/access-key-id\"") && policy.contains("\"" + arn + "/globex/secret-access-key\""), policy);
        assertTrue(!policy.contains(arn + "/access-key-id") && !policy.contains(arn + "/secret-access-key"), "no platform-wide key: " + policy);
        assertTrue(plan.findings().stream().noneMatch(f -> f.rule().equals("tenant-credential-isolation")), plan.findings().toString());
    }
}
