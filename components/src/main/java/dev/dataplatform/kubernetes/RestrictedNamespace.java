package dev.dataplatform.kubernetes;

import com.pulumi.core.Output;
import com.pulumi.kubernetes.core.v1.Namespace;
import com.pulumi.kubernetes.core.v1.NamespaceArgs;
import com.pulumi.kubernetes.meta.v1.inputs.LabelSelectorArgs;
import com.pulumi.kubernetes.meta.v1.inputs.ObjectMetaArgs;
import com.pulumi.kubernetes.networking.v1.NetworkPolicy;
import com.pulumi.kubernetes.networking.v1.NetworkPolicyArgs;
import com.pulumi.kubernetes.networking.v1.inputs.IPBlockArgs;
import com.pulumi.kubernetes.networking.v1.inputs.NetworkPolicyEgressRuleArgs;
import com.pulumi.kubernetes.networking.v1.inputs.NetworkPolicyIngressRuleArgs;
import com.pulumi.kubernetes.networking.v1.inputs.NetworkPolicyPeerArgs;
import com.pulumi.kubernetes.networking.v1.inputs.NetworkPolicyPortArgs;
import com.pulumi.kubernetes.networking.v1.inputs.NetworkPolicySpecArgs;
import com.pulumi.resources.CustomResourceOptions;
import com.pulumi.resources.Resource;

import java.util.List;
import java.util.Map;

/**
 * A namespace the program owns: Pod Security "restricted" enforced, and a default-deny
 * NetworkPolicy (no ingress, no egress) so every allowed flow is an explicit policy next to it.
 * Children are declared under {@code parent} and named {@code <prefix>-...}. A namespace whose pods
 * run as a workload (DNS, a ServiceAccount with a cloud identity) is a {@link WorkloadNamespace}.
 */
public class RestrictedNamespace {
    public static final String POD_SECURITY = "restricted";
    /**
     * On a namespace that enforces less than restricted: why (which operator's pods, and the upstream
     * source). The namespace-pod-security guardrail accepts "baseline" only with it.
     */
    public static final String POD_SECURITY_EXCEPTION = "data-platform.dev/pod-security-exception";

    private final Resource parent;
    private final String prefix;
    private final String name;
    private final Namespace namespace;

    public RestrictedNamespace(Resource parent, String prefix, String name, Map<String, String> labels) {
        this(parent, prefix, name, labels, false);
    }

    /**
     * @param protect protect the namespace itself: deleting a namespace deletes everything in it,
     *                databases included
     */
    public RestrictedNamespace(Resource parent, String prefix, String name, Map<String, String> labels, boolean protect) {
        this(parent, prefix, name, labels, protect, POD_SECURITY, null);
    }

    /**
     * A namespace where an operator creates pods that cannot pass "restricted": it enforces
     * {@code enforce} (e.g. baseline) and still warns and audits at restricted.
     *
     * @param exception why, recorded as annotation {@value #POD_SECURITY_EXCEPTION}; required unless
     *                  {@code enforce} is restricted
     */
    public RestrictedNamespace(Resource parent, String prefix, String name, Map<String, String> labels, boolean protect,
                               String enforce, String exception) {
        if (!POD_SECURITY.equals(enforce) && (exception == null || exception.isBlank())) {
            throw new IllegalArgumentException("namespace " + name + ": enforcing Pod Security '" + enforce
                    + "' needs a recorded exception");
        }
        this.parent = parent;
        this.prefix = prefix;
        this.name = name;
        var allLabels = new java.util.TreeMap<>(labels);
        allLabels.put("pod-security.kubernetes.io/enforce", enforce);
        allLabels.put("pod-security.kubernetes.io/enforce-version", "latest");
        allLabels.put("pod-security.kubernetes.io/warn", POD_SECURITY);
        allLabels.put("pod-security.kubernetes.io/audit", POD_SECURITY);
        var metadata = ObjectMetaArgs.builder().name(name).labels(allLabels);
        if (exception != null) {
            metadata.annotations(Map.of(POD_SECURITY_EXCEPTION, exception));
        }
        this.namespace = new Namespace(prefix + "-namespace", NamespaceArgs.builder()
                .metadata(metadata.build())
                .build(), CustomResourceOptions.builder().parent(parent).protect(protect).build());
        new NetworkPolicy(prefix + "-default-deny", NetworkPolicyArgs.builder()
                .metadata(ObjectMetaArgs.builder().name("default-deny").namespace(name).build())
                .spec(NetworkPolicySpecArgs.builder()
                        .podSelector(LabelSelectorArgs.builder().build())
                        .policyTypes("Ingress", "Egress")
                        .build())
                .build(), CustomResourceOptions.builder().parent(parent).dependsOn(namespace).build());
    }

    public Namespace namespace() {
        return namespace;
    }

    public String name() {
        return name;
    }

    /** Lets every pod in the namespace resolve names through kube-dns. */
    public NetworkPolicy allowDns() {
        return allowEgress("allow-dns", List.of(NetworkPolicyPeerArgs.builder()
                .namespaceSelector(LabelSelectorArgs.builder().matchLabels(Map.of("kubernetes.io/metadata.name", "kube-system")).build())
                .build()), List.of(port("UDP", 53), port("TCP", 53)));
    }

    /** Lets every pod in the namespace reach pods in the named namespaces on the given TCP ports. */
    public NetworkPolicy allowEgressToNamespaces(String policyName, List<String> namespaces, List<Integer> tcpPorts) {
        return allowEgress(policyName, namespaces.stream().map(ns -> NetworkPolicyPeerArgs.builder()
                        .namespaceSelector(LabelSelectorArgs.builder().matchLabels(Map.of("kubernetes.io/metadata.name", ns)).build())
                        .build()).toList(),
                tcpPorts.stream().map(p -> port("TCP", p)).toList());
    }

    /** Lets every pod in the namespace reach {@code cidr} on the given TCP ports. */
    public NetworkPolicy allowEgressTo(String policyName, Output<String> cidr, List<Integer> tcpPorts) {
        return allowEgress(policyName, List.of(NetworkPolicyPeerArgs.builder()
                        .ipBlock(IPBlockArgs.builder().cidr(cidr).build()).build()),
                tcpPorts.stream().map(p -> port("TCP", p)).toList());
    }

    /** Lets the pods of this namespace talk to each other (replication, failover, pooling). */
    public NetworkPolicy allowWithinNamespace() {
        var samePods = List.of(NetworkPolicyPeerArgs.builder().podSelector(LabelSelectorArgs.builder().build()).build());
        return new NetworkPolicy(prefix + "-allow-within-namespace", NetworkPolicyArgs.builder()
                .metadata(ObjectMetaArgs.builder().name("allow-within-namespace").namespace(name).build())
                .spec(NetworkPolicySpecArgs.builder()
                        .podSelector(LabelSelectorArgs.builder().build())
                        .policyTypes("Ingress", "Egress")
                        .ingress(NetworkPolicyIngressRuleArgs.builder().from(samePods).build())
                        .egress(NetworkPolicyEgressRuleArgs.builder().to(samePods).build())
                        .build())
                .build(), CustomResourceOptions.builder().parent(parent).dependsOn(namespace).build());
    }

    /** Lets pods in the named namespaces reach every pod of this one on the given TCP ports. */
    public NetworkPolicy allowIngressFrom(String policyName, List<String> namespaces, List<Integer> tcpPorts) {
        return allowIngressFrom(policyName, namespaces, Map.of(), tcpPorts);
    }

    /**
     * Lets pods in the named namespaces reach the pods of this one that carry {@code podLabels} (all of
     * them when empty) on the given TCP ports.
     */
    public NetworkPolicy allowIngressFrom(String policyName, List<String> namespaces, Map<String, String> podLabels,
                                          List<Integer> tcpPorts) {
        var from = namespaces.stream().map(ns -> NetworkPolicyPeerArgs.builder()
                .namespaceSelector(LabelSelectorArgs.builder().matchLabels(Map.of("kubernetes.io/metadata.name", ns)).build())
                .build()).toList();
        return new NetworkPolicy(prefix + "-" + policyName, NetworkPolicyArgs.builder()
                .metadata(ObjectMetaArgs.builder().name(policyName).namespace(name).build())
                .spec(NetworkPolicySpecArgs.builder()
                        .podSelector(podLabels.isEmpty() ? LabelSelectorArgs.builder().build()
                                : LabelSelectorArgs.builder().matchLabels(podLabels).build())
                        .policyTypes("Ingress")
                        .ingress(NetworkPolicyIngressRuleArgs.builder().from(from)
                                .ports(tcpPorts.stream().map(p -> port("TCP", p)).toList()).build())
                        .build())
                .build(), CustomResourceOptions.builder().parent(parent).dependsOn(namespace).build());
    }

    private NetworkPolicy allowEgress(String policyName, List<NetworkPolicyPeerArgs> to, List<NetworkPolicyPortArgs> ports) {
        return new NetworkPolicy(prefix + "-" + policyName, NetworkPolicyArgs.builder()
                .metadata(ObjectMetaArgs.builder().name(policyName).namespace(name).build())
                .spec(NetworkPolicySpecArgs.builder()
                        .podSelector(LabelSelectorArgs.builder().build())
                        .policyTypes("Egress")
                        .egress(NetworkPolicyEgressRuleArgs.builder().to(to).ports(ports).build())
                        .build())
                .build(), CustomResourceOptions.builder().parent(parent).dependsOn(namespace).build());
    }

    private static NetworkPolicyPortArgs port(String protocol, int port) {
        return NetworkPolicyPortArgs.builder().protocol(protocol).port(port).build();
    }
}
