package dev.dataplatform.kubernetes;

import java.util.List;

/**
 * Where pods on GKE get Workload Identity tokens: the GKE metadata server. A namespace with a
 * default-deny egress policy must admit it, or every Google client in the pod (the Cloud SQL Auth
 * Proxy, GCS clients) fails to fetch a token even with a correctly annotated ServiceAccount.
 *
 * <p>The address and ports depend on the cluster's dataplane, so both profiles are admitted
 * (docs/upstream-facts.md, "Cloud SQL, RDS and the postgresql provider"): the link-local metadata
 * address 169.254.169.254 on 80 (and 8080), and the metadata server's own address 169.254.169.252
 * on 987 and 988, which is where the traffic lands after the node redirects it.
 */
public final class GkeMetadataServer {
    /** One destination a NetworkPolicy egress rule must allow. */
    public record Endpoint(String cidr, List<Integer> ports) {
    }

    public static final List<Endpoint> ENDPOINTS = List.of(
            new Endpoint("169.254.169.254/32", List.of(80, 8080)),
            new Endpoint("169.254.169.252/32", List.of(987, 988)));

    private GkeMetadataServer() {
    }

    /** Adds one egress allow per endpoint, named {@code <prefix>-0}, {@code <prefix>-1}; returns the policies. */
    public static List<com.pulumi.kubernetes.networking.v1.NetworkPolicy> allowFrom(RestrictedNamespace namespace, String prefix) {
        var policies = new java.util.ArrayList<com.pulumi.kubernetes.networking.v1.NetworkPolicy>();
        for (int i = 0; i < ENDPOINTS.size(); i++) {
            var endpoint = ENDPOINTS.get(i);
            policies.add(namespace.allowEgressTo(prefix + "-" + i, com.pulumi.core.Output.of(endpoint.cidr()), endpoint.ports()));
        }
        return List.copyOf(policies);
    }
}
