package dev.dataplatform.kubernetes;

/** One cluster of each kind, as tests place components on them. */
public final class TestClusters {
    public static final Cluster GKE = Cluster.gke("dev-gke", "acme-data-dev", "europe-west1", "data-platform-dev");
    public static final Cluster EKS = Cluster.eks("prod-eks", "eu-west-1", "data-platform-prod", "210987654321",
            "oidc.eks.eu-west-1.amazonaws.com/id/9F8E7D6C5B4A39281706F5E4D3C2B1A0");
    public static final Cluster LOCAL = Cluster.kubeconfig("local", "kind-data-platform", null);

    private TestClusters() {
    }
}
