package dev.dataplatform.kubernetes;

import com.pulumi.kubernetes.core.v1.ServiceAccount;
import com.pulumi.kubernetes.core.v1.ServiceAccountArgs;
import com.pulumi.kubernetes.meta.v1.inputs.ObjectMetaArgs;
import com.pulumi.kubernetes.networking.v1.NetworkPolicy;
import com.pulumi.resources.CustomResourceOptions;
import com.pulumi.resources.Resource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The namespace of a workload, the one place where the cluster decides the identity wiring: a
 * {@link RestrictedNamespace} (Pod Security labels, default deny) with DNS egress, the egress its identity needs
 * (a Google service account: the GKE metadata server from {@link GkeMetadataServer}; an AWS role: nothing, the
 * IRSA token is a projected file and STS is reached over HTTPS, never 169.254.169.254; none: nothing), and its
 * ServiceAccounts with the cluster kind's identity annotation. A Google service account on an EKS cluster, an AWS
 * role on a GKE cluster or any cloud identity on a kubeconfig cluster is refused ({@link WorkloadIdentity#refusal}).
 *
 * <p>Children are named as a {@link RestrictedNamespace}'s: {@code <prefix>-namespace}, {@code <prefix>-default-deny},
 * {@code <prefix>-allow-dns}, {@code <prefix>-<metadataPolicy>-0/1}.
 */
public final class WorkloadNamespace extends RestrictedNamespace {
    public static final String DEFAULT_METADATA_POLICY = "allow-metadata-server";

    private final Resource parent;
    private final String component;
    private final Cluster cluster;
    private final WorkloadIdentity identity;
    private final Cluster.Identity kind;
    private final List<NetworkPolicy> policies;

    public static Builder builder(Resource parent, String prefix, String name) {
        return new Builder(parent, prefix, name);
    }

    /** See each setting for its default. */
    public static final class Builder {
        private final Resource parent;
        private final String prefix;
        private final String name;
        private String component;
        private Cluster cluster;
        private WorkloadIdentity identity = WorkloadIdentity.none();
        private Cluster.Identity kind;
        private Map<String, String> labels = Map.of();
        private boolean protect;
        private String enforce = POD_SECURITY;
        private String exception;
        private String metadataPolicy = DEFAULT_METADATA_POLICY;

        private Builder(Resource parent, String prefix, String name) {
            this.parent = Objects.requireNonNull(parent, "parent");
            this.prefix = Objects.requireNonNull(prefix, "prefix");
            this.name = Objects.requireNonNull(name, "name");
        }

        /** Who the namespace is for, in messages (e.g. "dagster"). Default: the namespace's name. */
        public Builder component(String v) { component = v; return this; }
        /** The cluster the namespace lands on. Required unless the identity is none. */
        public Builder cluster(Cluster v) { cluster = v; return this; }
        /** The identity of the namespace's ServiceAccounts. Default: none. */
        public Builder identity(WorkloadIdentity v) { identity = Objects.requireNonNull(v, "identity"); kind = null; return this; }
        /**
         * Instead of {@link #identity}: the kind of identity the namespace's ServiceAccounts carry when each has its
         * own (given per account, e.g. a backup role and a drill role). The egress follows the kind.
         */
        public Builder identityKind(Cluster.Identity v) { kind = Objects.requireNonNull(v, "kind"); identity = null; return this; }
        /** Labels of the namespace. Default: none. */
        public Builder labels(Map<String, String> v) { labels = Map.copyOf(v); return this; }
        /** Protect the namespace (deleting it deletes everything in it). Default: false. */
        public Builder protect(boolean v) { protect = v; return this; }
        /** Enforce less than restricted, with the recorded reason (see {@link RestrictedNamespace}). Default: restricted. */
        public Builder podSecurity(String enforce, String exception) { this.enforce = enforce; this.exception = exception; return this; }
        /** Name prefix of the GKE metadata-server policies (they keep the names they were created with). Default: allow-metadata-server. */
        public Builder metadataPolicy(String v) { metadataPolicy = v; return this; }

        public WorkloadNamespace build() {
            if (component == null) {
                component = name;
            }
            check(component, cluster, kind());
            return new WorkloadNamespace(this);
        }

        private Cluster.Identity kind() {
            return identity != null ? identity.kind() : kind;
        }
    }

    private WorkloadNamespace(Builder b) {
        super(b.parent, b.prefix, b.name, b.labels, b.protect, b.enforce, b.exception);
        this.parent = b.parent;
        this.component = b.component;
        this.cluster = b.cluster;
        this.identity = b.identity;
        this.kind = b.kind();
        var declared = new ArrayList<NetworkPolicy>();
        declared.add(allowDns());
        // GKE: Google clients fetch tokens from the metadata server. EKS: the IRSA token is a projected file and
        // STS is reached over HTTPS; 169.254.169.254 (the node's instance role) stays denied. None: nothing.
        if (kind == Cluster.Identity.GKE_WORKLOAD_IDENTITY) {
            declared.addAll(GkeMetadataServer.allowFrom(this, b.metadataPolicy));
        }
        this.policies = List.copyOf(declared);
    }

    /**
     * Refuses an identity the cluster cannot give its pods (the rule of {@link WorkloadIdentity#refusal}), and a
     * cloud identity without a cluster.
     */
    public static void check(String component, Cluster cluster, WorkloadIdentity identity) {
        check(component, cluster, identity.kind());
    }

    /** {@link #check(String, Cluster, WorkloadIdentity)} by kind, before the identity's resources exist. */
    public static void check(String component, Cluster cluster, Cluster.Identity kind) {
        if (kind == Cluster.Identity.NONE) {
            return;
        }
        if (cluster == null) {
            throw new IllegalArgumentException(component + ": needs the cluster it is placed on: its workloads use "
                    + WorkloadIdentity.describe(kind) + ", which only a "
                    + WorkloadIdentity.clusterKindFor(kind).id() + " cluster gives pods");
        }
        WorkloadIdentity.refusal(cluster.name(), cluster.kind(), kind).ifPresent(message -> {
            throw new IllegalArgumentException(component + ": " + message);
        });
    }

    public Cluster cluster() {
        return cluster;
    }

    /** The namespace's identity (null when each ServiceAccount has its own, see {@link Builder#identityKind}). */
    public WorkloadIdentity identity() {
        return identity;
    }

    public Cluster.Identity identityKind() {
        return kind;
    }

    /** The policies this block declares beyond default deny: DNS, then the identity's egress (pods may wait for them). */
    public List<NetworkPolicy> policies() {
        return policies;
    }

    /** A ServiceAccount with the namespace's identity. */
    public ServiceAccount serviceAccount(String resourceName, String accountName, Map<String, String> labels) {
        if (identity == null) {
            throw new IllegalStateException(component + ": the namespace's ServiceAccounts each have their own identity");
        }
        return serviceAccount(resourceName, accountName, labels, identity, true);
    }

    /**
     * A ServiceAccount with {@code accountIdentity} (checked against the cluster like the namespace's own).
     *
     * @param automountToken false sets {@code automountServiceAccountToken: false} on the account (pods that do not
     *                       call the Kubernetes API); true leaves the field to the pods
     */
    public ServiceAccount serviceAccount(String resourceName, String accountName, Map<String, String> labels,
                                         WorkloadIdentity accountIdentity, boolean automountToken) {
        if (accountIdentity.kind() != Cluster.Identity.NONE && accountIdentity.kind() != kind) {
            throw new IllegalArgumentException(component + ": ServiceAccount " + accountName + " uses "
                    + WorkloadIdentity.describe(accountIdentity.kind()) + " in a namespace declared for "
                    + WorkloadIdentity.describe(kind) + " (its egress follows the namespace's kind)");
        }
        return serviceAccountIn(component, cluster, resourceName, accountName, name(), labels, accountIdentity, automountToken,
                CustomResourceOptions.builder().parent(parent).dependsOn(namespace()).build());
    }

    /**
     * A ServiceAccount in a namespace someone else creates (e.g. a tenant's application namespace), with the same
     * identity rule.
     */
    public static ServiceAccount serviceAccountIn(String component, Cluster cluster, String resourceName, String accountName,
                                                  String namespace, Map<String, String> labels, WorkloadIdentity identity,
                                                  boolean automountToken, CustomResourceOptions options) {
        check(component, cluster, identity);
        var metadata = ObjectMetaArgs.builder().name(accountName).namespace(namespace);
        if (labels != null && !labels.isEmpty()) {
            metadata.labels(labels);
        }
        if (identity.kind() != Cluster.Identity.NONE) {
            metadata.annotations(identity.annotations());
        }
        var args = ServiceAccountArgs.builder().metadata(metadata.build());
        if (!automountToken) {
            args.automountServiceAccountToken(false);
        }
        return new ServiceAccount(resourceName, args.build(), options);
    }
}
