package dev.dataplatform.kubernetes;

import com.pulumi.core.Output;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The cloud identity a workload's Kubernetes ServiceAccount carries: a Google service account (GKE Workload
 * Identity), an AWS role (EKS IRSA), or none. Which one a pod can use is decided by the cluster it runs on
 * ({@link Cluster#identity()}); {@link #refusal} is the one rule, applied by the config parser before anything
 * is declared and again by {@link WorkloadNamespace} when a component declares the ServiceAccount.
 */
public sealed interface WorkloadIdentity {
    /** The KSA annotation that makes GKE hand pods tokens of a Google service account. */
    String GKE_ANNOTATION = "iam.gke.io/gcp-service-account";
    /** The KSA annotation that makes EKS's pod identity webhook project a web-identity token for an IAM role. */
    String EKS_ANNOTATION = "eks.amazonaws.com/role-arn";

    /** GKE Workload Identity: the ServiceAccount acts as the Google service account {@code email}. */
    record GoogleServiceAccount(Output<String> email) implements WorkloadIdentity {
        public GoogleServiceAccount {
            Objects.requireNonNull(email, "email");
        }

        @Override
        public Cluster.Identity kind() {
            return Cluster.Identity.GKE_WORKLOAD_IDENTITY;
        }

        @Override
        public Output<Map<String, String>> annotations() {
            return email.applyValue(e -> Map.of(GKE_ANNOTATION, e));
        }
    }

    /** EKS IRSA: the ServiceAccount may assume the IAM role {@code arn}. */
    record AwsRole(Output<String> arn) implements WorkloadIdentity {
        public AwsRole {
            Objects.requireNonNull(arn, "arn");
        }

        @Override
        public Cluster.Identity kind() {
            return Cluster.Identity.EKS_IRSA;
        }

        @Override
        public Output<Map<String, String>> annotations() {
            return arn.applyValue(a -> Map.of(EKS_ANNOTATION, a));
        }
    }

    /** No cloud identity: the ServiceAccount carries no identity annotation. */
    record None() implements WorkloadIdentity {
        @Override
        public Cluster.Identity kind() {
            return Cluster.Identity.NONE;
        }

        @Override
        public Output<Map<String, String>> annotations() {
            return Output.of(Map.of());
        }
    }

    static WorkloadIdentity google(Output<String> email) {
        return new GoogleServiceAccount(email);
    }

    static WorkloadIdentity aws(Output<String> arn) {
        return new AwsRole(arn);
    }

    static WorkloadIdentity none() {
        return new None();
    }

    /** Which kind of identity this is. */
    Cluster.Identity kind();

    /** The ServiceAccount's annotations: the kind's one annotation, or none. */
    Output<Map<String, String>> annotations();

    /**
     * The one rule: a workload may use no cloud identity on any cluster, and a cloud identity only on a cluster
     * of its kind (a Google service account on GKE, an AWS role on EKS; nothing on a kubeconfig cluster).
     *
     * @param clusterName the cluster's name in data-platform:clusters
     * @param kind        the cluster's kind
     * @param uses        the identity the component's workloads use (null: none)
     * @return empty if allowed, else why not and what is allowed ("is placed on cluster ... allowed: ..."), to
     *         follow the config key path or the component's name
     */
    static Optional<String> refusal(String clusterName, Cluster.Kind kind, Cluster.Identity uses) {
        if (uses == null || uses == Cluster.Identity.NONE || Cluster.identityOf(kind) == uses) {
            return Optional.empty();
        }
        return Optional.of("is placed on cluster '" + clusterName + "' (kind " + kind.id() + ": "
                + describe(Cluster.identityOf(kind)) + ") but its workloads use " + describe(uses) + "; allowed: a "
                + clusterKindFor(uses).id() + " cluster");
    }

    /** The cluster kind on which {@code identity} works. */
    static Cluster.Kind clusterKindFor(Cluster.Identity identity) {
        return switch (identity) {
            case GKE_WORKLOAD_IDENTITY -> Cluster.Kind.GKE;
            case EKS_IRSA -> Cluster.Kind.EKS;
            case NONE -> Cluster.Kind.KUBECONFIG;
        };
    }

    static String describe(Cluster.Identity identity) {
        return switch (identity) {
            case GKE_WORKLOAD_IDENTITY -> "GKE Workload Identity (" + GKE_ANNOTATION + ")";
            case EKS_IRSA -> "EKS IRSA (" + EKS_ANNOTATION + ")";
            case NONE -> "no cloud identity";
        };
    }
}
