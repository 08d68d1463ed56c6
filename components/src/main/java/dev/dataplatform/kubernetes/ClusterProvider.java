package dev.dataplatform.kubernetes;

import com.google.gson.GsonBuilder;
import com.pulumi.aws.eks.EksFunctions;
import com.pulumi.core.Output;
import com.pulumi.deployment.InvokeOptions;
import com.pulumi.gcp.container.ContainerFunctions;
import com.pulumi.kubernetes.Provider;
import com.pulumi.kubernetes.ProviderArgs;
import com.pulumi.resources.CustomResourceOptions;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one explicit {@code pulumi:providers:kubernetes} of a cluster, named after it. For GKE and EKS the
 * program derives the kubeconfig from the cloud (the cluster's endpoint and CA from pulumi-gcp's
 * {@code container.getCluster} / pulumi-aws's {@code eks.getCluster}) with an exec credential plugin, so a
 * deploy or preview needs only the cloud credentials the deployer already has; the kubeconfig is a secret.
 * docs/upstream-facts.md ("Clusters") records the data sources and the exec-credential format.
 */
public final class ClusterProvider {
    /** The exec credential API both plugins speak (gke-gcloud-auth-plugin, aws eks get-token). */
    public static final String EXEC_API_VERSION = "client.authentication.k8s.io/v1beta1";
    public static final String GKE_AUTH_PLUGIN = "gke-gcloud-auth-plugin";

    private ClusterProvider() {
    }

    /** Declares the cluster's provider (and, for EKS, the AWS provider its lookup runs in, in the cluster's region). */
    public static Provider declare(Cluster cluster) {
        return declare(cluster, false);
    }

    /**
     * The name the engine gives the default provider of pulumi-kubernetes at the version this program uses
     * ({@code default_<major>_<minor>_<patch>}, pulumi/pulumi {@code ProviderRequest.DefaultName}).
     */
    public static String defaultProviderName() {
        return "default_" + KUBERNETES_VERSION.replace('.', '_');
    }

    /** The pulumi-kubernetes version the program registers its resources with (the SDK's plugin.json). */
    public static final String KUBERNETES_VERSION = "4.0.0";

    /**
     * @param adoptsDefaultProvider alias the provider to the engine's default Kubernetes provider of this stack, so
     *                              the resources an earlier deployment made through it stay (the engine does not
     *                              diff an aliased provider change); without it, moving from the default provider
     *                              to a derived kubeconfig replaces every resource (pulumi-kubernetes DiffConfig:
     *                              the active cluster changed). docs/operations.md, "Adopting the default provider".
     */
    public static Provider declare(Cluster cluster, boolean adoptsDefaultProvider) {
        var args = ProviderArgs.builder();
        switch (cluster.kind()) {
            case GKE -> {
                var g = cluster.gke();
                var found = ContainerFunctions.getCluster(com.pulumi.gcp.container.inputs.GetClusterArgs.builder()
                        .project(g.project()).location(g.location()).name(g.clusterName()).build());
                args.kubeconfig(Output.tuple(found.applyValue(c -> c.endpoint()),
                                found.applyValue(c -> c.masterAuths().isEmpty() ? "" : c.masterAuths().get(0).clusterCaCertificate()))
                        .applyValue(v -> gkeKubeconfig(cluster.name(), v.t1, v.t2)).asSecret());
            }
            case EKS -> {
                var e = cluster.eks();
                // The lookup takes no region (pulumi-aws 6.83.0): it runs in the region of the provider it is given.
                var aws = new com.pulumi.aws.Provider(cluster.name(), com.pulumi.aws.ProviderArgs.builder()
                        .region(e.region()).build());
                var found = EksFunctions.getCluster(com.pulumi.aws.eks.inputs.GetClusterArgs.builder()
                        .name(e.clusterName()).build(), new InvokeOptions(null, aws, null));
                args.kubeconfig(Output.tuple(found.applyValue(c -> c.endpoint()),
                                found.applyValue(c -> c.certificateAuthorities().isEmpty() ? "" : c.certificateAuthorities().get(0).data()))
                        .applyValue(v -> eksKubeconfig(cluster.name(), v.t1, v.t2, e.clusterName(), e.region())).asSecret());
            }
            case KUBECONFIG -> {
                var k = cluster.kubeconfig();
                args.context(k.context());
                if (k.kubeconfig() != null) {
                    args.kubeconfig(k.kubeconfig().asSecret());
                }
            }
        }
        var options = CustomResourceOptions.builder();
        if (adoptsDefaultProvider) {
            var deployment = com.pulumi.deployment.Deployment.getInstance();
            options.aliases(com.pulumi.core.Alias.withUrn("urn:pulumi:" + deployment.getStackName() + "::"
                    + deployment.getProjectName() + "::pulumi:providers:kubernetes::" + defaultProviderName()));
        }
        return new Provider(cluster.name(), args.build(), options.build());
    }

    /** A kubeconfig for a GKE cluster: endpoint (an address) over HTTPS, its CA, gke-gcloud-auth-plugin. */
    public static String gkeKubeconfig(String name, String endpoint, String caData) {
        var exec = new LinkedHashMap<String, Object>();
        exec.put("apiVersion", EXEC_API_VERSION);
        exec.put("command", GKE_AUTH_PLUGIN);
        exec.put("installHint", "Install gke-gcloud-auth-plugin (gcloud components install gke-gcloud-auth-plugin)");
        exec.put("provideClusterInfo", true);
        return kubeconfig(name, "https://" + endpoint, caData, exec);
    }

    /** A kubeconfig for an EKS cluster: its endpoint (a URL), its CA, {@code aws eks get-token}. */
    public static String eksKubeconfig(String name, String endpoint, String caData, String clusterName, String region) {
        var exec = new LinkedHashMap<String, Object>();
        exec.put("apiVersion", EXEC_API_VERSION);
        exec.put("command", "aws");
        exec.put("args", List.of("eks", "get-token", "--cluster-name", clusterName, "--region", region));
        return kubeconfig(name, endpoint, caData, exec);
    }

    /** A kubeconfig (JSON, which every YAML reader reads) with one cluster, user and context, all named {@code name}. */
    static String kubeconfig(String name, String server, String caData, Map<String, Object> exec) {
        var doc = new LinkedHashMap<String, Object>();
        doc.put("apiVersion", "v1");
        doc.put("kind", "Config");
        doc.put("clusters", List.of(Map.of("name", name, "cluster",
                new java.util.TreeMap<>(Map.of("server", server, "certificate-authority-data", caData)))));
        doc.put("users", List.of(Map.of("name", name, "user", Map.of("exec", exec))));
        doc.put("contexts", List.of(Map.of("name", name, "context", new java.util.TreeMap<>(Map.of("cluster", name, "user", name)))));
        doc.put("current-context", name);
        return new GsonBuilder().disableHtmlEscaping().create().toJson(doc);
    }
}
