package dev.dataplatform.kubernetes;

import com.pulumi.core.Output;

import java.util.Objects;

/**
 * A Kubernetes cluster the program places workloads on (data-platform:clusters): its name in config (the
 * name of its provider), its kind, and how to reach it. The kind decides the identity wiring of every
 * workload on it ({@link #identity()}).
 *
 * @param name       the cluster's name in config; its {@code pulumi:providers:kubernetes} is named after it
 * @param gke        for {@link Kind#GKE}: where the cluster is
 * @param eks        for {@link Kind#EKS}: where the cluster is and its IRSA identity
 * @param kubeconfig for {@link Kind#KUBECONFIG}: the context (and optionally the kubeconfig itself)
 */
public record Cluster(String name, Kind kind, Gke gke, Eks eks, Kubeconfig kubeconfig) {
    public enum Kind {
        GKE("gke"), EKS("eks"), KUBECONFIG("kubeconfig");

        private final String id;

        Kind(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }
    }

    /** How pods on a cluster get cloud credentials. */
    public enum Identity {
        /** GKE Workload Identity: KSA annotation iam.gke.io/gcp-service-account, tokens from the GKE metadata server. */
        GKE_WORKLOAD_IDENTITY,
        /** EKS IRSA: KSA annotation eks.amazonaws.com/role-arn, a projected web-identity token; no instance metadata. */
        EKS_IRSA,
        /** No cloud identity (a local or other cluster). */
        NONE
    }

    /** @param clusterName the GKE cluster's own name */
    public record Gke(String project, String location, String clusterName) {
    }

    /**
     * @param clusterName  the EKS cluster's own name
     * @param oidcProvider the cluster's OIDC issuer without https:// (the IRSA roles trust it)
     */
    public record Eks(String region, String clusterName, String accountId, String oidcProvider) {
    }

    /**
     * @param context    the kubeconfig context to use (e.g. kind-data-platform)
     * @param kubeconfig the kubeconfig's content as a secret, or null for the deployer's own kubeconfig file
     */
    public record Kubeconfig(String context, Output<String> kubeconfig) {
    }

    public Cluster {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        if ((kind == Kind.GKE) != (gke != null) || (kind == Kind.EKS) != (eks != null)
                || (kind == Kind.KUBECONFIG) != (kubeconfig != null)) {
            throw new IllegalArgumentException("cluster " + name + ": a " + kind.id() + " cluster takes exactly its kind's settings");
        }
    }

    public static Cluster gke(String name, String project, String location, String clusterName) {
        return new Cluster(name, Kind.GKE, new Gke(project, location, clusterName), null, null);
    }

    public static Cluster eks(String name, String region, String clusterName, String accountId, String oidcProvider) {
        return new Cluster(name, Kind.EKS, null, new Eks(region, clusterName, accountId, oidcProvider), null);
    }

    public static Cluster kubeconfig(String name, String context, Output<String> kubeconfig) {
        return new Cluster(name, Kind.KUBECONFIG, null, null, new Kubeconfig(context, kubeconfig));
    }

    public Identity identity() {
        return identityOf(kind);
    }

    /** The identity pods on a cluster of {@code kind} can use (see {@link WorkloadIdentity#refusal}). */
    public static Identity identityOf(Kind kind) {
        return switch (kind) {
            case GKE -> Identity.GKE_WORKLOAD_IDENTITY;
            case EKS -> Identity.EKS_IRSA;
            case KUBECONFIG -> Identity.NONE;
        };
    }
}
