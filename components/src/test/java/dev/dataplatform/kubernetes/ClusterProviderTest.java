package dev.dataplatform.kubernetes;

import com.google.gson.JsonParser;
import com.pulumi.core.Output;
import com.pulumi.kubernetes.core.v1.Namespace;
import com.pulumi.kubernetes.core.v1.NamespaceArgs;
import com.pulumi.kubernetes.meta.v1.inputs.ObjectMetaArgs;
import com.pulumi.resources.ComponentResource;
import com.pulumi.resources.ComponentResourceOptions;
import com.pulumi.resources.CustomResourceOptions;
import dev.dataplatform.engine.ClusterLookups;
import dev.dataplatform.engine.OfflineEngine;
import dev.dataplatform.testing.Harness;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One explicit provider per cluster, its kubeconfig derived from the cloud and secret, inherited by a component's children. */
class ClusterProviderTest {
    static final String PROVIDER = "pulumi:providers:kubernetes";
    static final String NAMESPACE = "kubernetes:core/v1:Namespace";
    static final Cluster GKE = Cluster.gke("prod-gke", "acme-data-prod", "europe-west1", "data-platform");
    static final Cluster EKS = Cluster.eks("prod-eks", "eu-west-1", "data-platform", "123456789012",
            "oidc.eks.eu-west-1.amazonaws.com/id/9F8E7D6C5B4A39281706F5E4D3C2B1A0");

    /** A component whose child names no provider, as every component of the program. */
    static final class Workload extends ComponentResource {
        Workload(String name, ComponentResourceOptions options) {
            super("dataplatform:test:Workload", name, options);
            new Namespace(name + "-namespace", NamespaceArgs.builder()
                    .metadata(ObjectMetaArgs.builder().name(name).build()).build(),
                    CustomResourceOptions.builder().parent(this).build());
        }
    }

    @Test
    void eachClusterHasOneProviderNamedAfterItWhoseKubeconfigIsSecret() {
        var run = Harness.preview("prod", ctx -> {
            ClusterProvider.declare(GKE);
            ClusterProvider.declare(EKS);
        }).succeeded();

        assertEquals(2, run.count(PROVIDER));
        assertEquals("[secret]", run.input(PROVIDER, "prod-gke", "kubeconfig"));
        assertEquals("[secret]", run.input(PROVIDER, "prod-eks", "kubeconfig"));
        // The EKS lookup runs in the cluster's region, through an AWS provider named after the cluster.
        assertEquals("eu-west-1", run.input("pulumi:providers:aws", "prod-eks", "region"));
    }

    @Test
    void childrenOfAComponentPlacedOnAClusterUseItsProvider() {
        var run = Harness.preview("prod", ctx -> {
            var gke = ClusterProvider.declare(GKE);
            var eks = ClusterProvider.declare(EKS);
            new Workload("on-gke", ComponentResourceOptions.builder().providers(gke).build());
            new Workload("on-eks", ComponentResourceOptions.builder().providers(eks).build());
        }).succeeded();

        assertEquals("urn:pulumi:prod::data-platform::pulumi:providers:kubernetes::prod-gke",
                run.resource(NAMESPACE, "on-gke-namespace").options().provider());
        assertEquals("urn:pulumi:prod::data-platform::pulumi:providers:kubernetes::prod-eks",
                run.resource(NAMESPACE, "on-eks-namespace").options().provider());
    }

    @Test
    void theOfflineEngineAnswersTheTwoClusterLookupsWithClearlyFakeValues() {
        var run = Harness.preview("prod", ctx -> {
            var gke = com.pulumi.gcp.container.ContainerFunctions.getCluster(com.pulumi.gcp.container.inputs.GetClusterArgs
                    .builder().project("p").location("europe-west1").name("data-platform").build());
            ctx.export("gkeEndpoint", gke.applyValue(c -> c.endpoint()));
            ctx.export("gkeCa", gke.applyValue(c -> c.masterAuths().get(0).clusterCaCertificate()));
            var eks = com.pulumi.aws.eks.EksFunctions.getCluster(com.pulumi.aws.eks.inputs.GetClusterArgs.builder()
                    .name("data-platform").build());
            ctx.export("eksEndpoint", eks.applyValue(c -> c.endpoint()));
        }).succeeded();

        assertEquals("gke-data-platform.offline-plan.invalid", run.output("gkeEndpoint"));
        assertEquals("https://eks-data-platform.offline-plan.invalid", run.output("eksEndpoint"));
        assertEquals(ClusterLookups.FAKE_CA, new String(java.util.Base64.getDecoder().decode((String) run.output("gkeCa"))));
    }

    @Test
    void anyOtherInvokeIsStillRefused() {
        var refused = assertThrows(RuntimeException.class, () -> Harness.preview("prod", ctx -> ctx.export("zones",
                com.pulumi.gcp.compute.ComputeFunctions.getZones().applyValue(z -> z.names()))).succeeded());
        assertTrue(String.valueOf(refused).contains("does not answer invoke 'gcp:compute/getZones:getZones'"), String.valueOf(refused));
    }

    @Test
    void withDefaultProvidersDisabledAKubernetesResourceWithoutProviderCannotBeDeclared() {
        var options = OfflineEngine.RunOptions.preview(Harness.PROJECT, "prod").withDefaultProvidersDisabled(Set.of("kubernetes"));
        var refused = OfflineEngine.run(options, ctx -> new Workload("ambient", ComponentResourceOptions.Empty));
        assertFalse(refused.succeeded());
        assertTrue(refused.exceptions().toString().contains("Default provider for 'kubernetes' disabled. "
                + "'urn:pulumi:prod::data-platform::dataplatform:test:Workload$kubernetes:core/v1:Namespace::ambient-namespace' "
                + "must use an explicit provider."), refused.exceptions().toString());

        var placed = OfflineEngine.run(options, ctx -> new Workload("placed",
                ComponentResourceOptions.builder().providers(ClusterProvider.declare(GKE)).build()));
        assertTrue(placed.succeeded(), placed.exceptions().toString());
    }

    @Test
    void kubeconfigsUseTheExecCredentialPlugins() {
        var gke = JsonParser.parseString(ClusterProvider.gkeKubeconfig("prod-gke", "192.0.2.1", "Q0E=")).getAsJsonObject();
        assertEquals("https://192.0.2.1", gke.getAsJsonArray("clusters").get(0).getAsJsonObject().getAsJsonObject("cluster").get("server").getAsString());
        var gkeExec = gke.getAsJsonArray("users").get(0).getAsJsonObject().getAsJsonObject("user").getAsJsonObject("exec");
        assertEquals("gke-gcloud-auth-plugin", gkeExec.get("command").getAsString());
        assertEquals("client.authentication.k8s.io/v1beta1", gkeExec.get("apiVersion").getAsString());
        assertEquals("prod-gke", gke.get("current-context").getAsString());

        var eks = JsonParser.parseString(ClusterProvider.eksKubeconfig("prod-eks", "https://x.eks.amazonaws.com", "Q0E=",
                "data-platform", "eu-west-1")).getAsJsonObject();
        var eksExec = eks.getAsJsonArray("users").get(0).getAsJsonObject().getAsJsonObject("user").getAsJsonObject("exec");
        assertEquals("aws", eksExec.get("command").getAsString());
        assertEquals(List.of("eks", "get-token", "--cluster-name", "data-platform", "--region", "eu-west-1"),
                eksExec.getAsJsonArray("args").asList().stream().map(e -> e.getAsString()).toList());
        assertEquals("Q0E=", eks.getAsJsonArray("clusters").get(0).getAsJsonObject().getAsJsonObject("cluster")
                .get("certificate-authority-data").getAsString());
    }

    @Test
    void theDefaultProviderNameFollowsTheSdksPluginVersion() throws Exception {
        // The engine names the default provider after the version the SDK registers resources with (its plugin.json).
        try (var in = com.pulumi.kubernetes.Provider.class.getResourceAsStream("/com/pulumi/kubernetes/plugin.json")) {
            var plugin = JsonParser.parseString(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)).getAsJsonObject();
            assertEquals(plugin.get("version").getAsString(), ClusterProvider.KUBERNETES_VERSION);
        }
        assertEquals("default_4_0_0", ClusterProvider.defaultProviderName());
    }
}
