package dev.dataplatform.config;

import dev.dataplatform.config.ClustersConfig.ClusterConfig;
import dev.dataplatform.config.ClustersConfig.Component;
import dev.dataplatform.gcp.CloudSqlRules;
import dev.dataplatform.kubernetes.Cluster;
import dev.dataplatform.kubernetes.WorkloadIdentity;
import dev.dataplatform.stackgres.TenantRules;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * data-platform:clusters and the placement key ({@code cluster}) of every block that creates Kubernetes
 * resources. A block without the key lands on the stack's only cluster; with several clusters it must name
 * one. The cluster's kind must fit the identity the block's workloads use (GKE Workload Identity or EKS IRSA).
 */
final class ClustersConfigParser {
    static final String KEY = "clusters";
    /** A cluster's name in config: the name of its provider and what placement keys refer to. */
    static final Pattern NAME = Pattern.compile("[a-z]([a-z0-9-]{0,38}[a-z0-9])?");
    static final String NAME_RULE = "1-40 lower-case letters, digits and '-', starting with a letter (e.g. prod-gke)";
    /** GKE cluster names (GKE API: lower-case letters, digits, '-', at most 40, starting with a letter). */
    static final Pattern GKE_NAME = Pattern.compile("[a-z]([a-z0-9-]{0,38}[a-z0-9])?");
    /** GKE locations: a region (europe-west1) or a zone (europe-west1-b). */
    static final Pattern GKE_LOCATION = Pattern.compile("([a-z]+-[a-z]+[0-9]{1,2})(-[a-z])?");
    /** EKS cluster names (EKS API CreateCluster: 1-100, letters, digits, '-', '_', starting alphanumeric). */
    static final Pattern EKS_NAME = Pattern.compile("[0-9A-Za-z][A-Za-z0-9_-]{0,99}");
    static final String DEFAULT_PROVIDERS = "pulumi:disable-default-providers";

    private ClustersConfigParser() {
    }

    /** Reads data-platform:clusters (empty if absent). */
    static Map<String, ClusterConfig> parse(ConfigNode root) {
        var result = new LinkedHashMap<String, ClusterConfig>();
        var where = new LinkedHashMap<String, String>();
        root.namedObjects(KEY, "<name>").forEach((name, node) -> {
            if (!NAME.matcher(name).matches()) {
                node.error(null, "'" + name + "' is not a cluster name; allowed: " + NAME_RULE);
                return;
            }
            cluster(name, node).ifPresent(c -> {
                String target = target(c);
                String first = target == null ? null : where.putIfAbsent(target, name);
                if (first != null) {
                    node.error(null, "is the same cluster as '" + first + "' (" + target + "): name each cluster once, "
                            + "or the same Kubernetes objects would be managed through two providers");
                } else {
                    result.put(name, c);
                }
            });
        });
        var adopting = result.values().stream().filter(ClusterConfig::adoptsDefaultProvider).map(ClusterConfig::name).toList();
        if (adopting.size() > 1) {
            root.error(KEY, "clusters " + String.join(", ", adopting) + " all set adoptsDefaultProvider; allowed: at most one "
                    + "(the cluster the engine's default Kubernetes provider deployed to)");
        }
        if (root.has(KEY) && result.isEmpty() && !root.context().failed(root.path() + KEY)) {
            root.error(KEY, "names no cluster; allowed: {<name>: {kind: gke|eks|kubeconfig, ...}} (docs/configuration.md)");
        }
        return result;
    }

    /** What real cluster an entry points at (two names for one cluster are refused). */
    private static String target(ClusterConfig c) {
        return switch (c.kind()) {
            case GKE -> "GKE " + c.gke().project() + "/" + c.gke().location() + "/" + c.gke().clusterName();
            case EKS -> "EKS " + c.eks().accountId() + "/" + c.eks().region() + "/" + c.eks().clusterName();
            case KUBECONFIG -> c.kubeconfig() == null ? "context " + c.context() : null;
        };
    }

    private static Optional<ClusterConfig> cluster(String name, ConfigNode node) {
        var kinds = new LinkedHashMap<String, Cluster.Kind>();
        for (Cluster.Kind k : Cluster.Kind.values()) {
            kinds.put(k.id(), k);
        }
        var kind = node.requireOneOf("kind", kinds);
        boolean adopts = node.bool("adoptsDefaultProvider").orElse(false);
        if (kind.isEmpty()) {
            node.finish();
            return Optional.empty();
        }
        Optional<ClusterConfig> result = switch (kind.get()) {
            case GKE -> {
                var project = node.requireString("project", "the cluster's GCP project ID", CloudSqlRules::project);
                var location = node.requireString("location", "the cluster's region (europe-west1) or zone (europe-west1-b)",
                        ClustersConfigParser::gkeLocation);
                var clusterName = node.requireString("name", "the GKE cluster's name", v -> rule(GKE_NAME, v,
                        "a GKE cluster name: 1-40 lower-case letters, digits and '-', starting with a letter"));
                yield project.isEmpty() || location.isEmpty() || clusterName.isEmpty() ? Optional.empty()
                        : Optional.of(new ClusterConfig(name, Cluster.Kind.GKE,
                        new Cluster.Gke(project.get(), location.get(), clusterName.get()), null, null, null, adopts));
            }
            case EKS -> {
                var region = Regions.check(node, "region", node.requireString("region", "the cluster's AWS region",
                        TenantRules::awsRegion), Regions.AWS);
                var clusterName = node.requireString("name", "the EKS cluster's name", v -> rule(EKS_NAME, v,
                        "an EKS cluster name: 1-100 letters, digits, '-' and '_', starting with a letter or digit"));
                var account = node.requireString("accountId", "the cluster's 12-digit AWS account ID (quoted)", TenantRules::awsAccountId);
                var oidc = node.requireString("oidcProvider", "the cluster's OIDC issuer (IRSA roles trust it)", TenantRules::oidcProvider);
                if (region.isPresent() && oidc.isPresent() && !oidc.get().startsWith("oidc.eks." + region.get() + ".")) {
                    node.error("oidcProvider", "'" + oidc.get() + "' is not an issuer in region " + region.get()
                            + "; allowed: oidc.eks." + region.get() + ".amazonaws.com/id/<ID> (aws eks describe-cluster "
                            + "--query cluster.identity.oidc.issuer)");
                    oidc = Optional.empty();
                }
                yield region.isEmpty() || clusterName.isEmpty() || account.isEmpty() || oidc.isEmpty() ? Optional.empty()
                        : Optional.of(new ClusterConfig(name, Cluster.Kind.EKS, null,
                        new Cluster.Eks(region.get(), clusterName.get(), account.get(), oidc.get()), null, null, adopts));
            }
            case KUBECONFIG -> {
                var context = node.requireString("context", Pattern.compile("[A-Za-z0-9@._:/-]{1,253}"),
                        "the kubeconfig context to use, e.g. kind-data-platform");
                var kubeconfig = node.secret("kubeconfig");
                yield context.isEmpty() ? Optional.empty() : Optional.of(new ClusterConfig(name, Cluster.Kind.KUBECONFIG,
                        null, null, context.get(), kubeconfig.orElse(null), adopts));
            }
        };
        node.finish();
        return result;
    }

    private static Optional<String> gkeLocation(String value) {
        var m = GKE_LOCATION.matcher(value);
        if (!m.matches() || !Regions.GCP.contains(m.group(1))) {
            return Optional.of("'" + value + "' is not a GKE location; allowed: a GCP region such as europe-west1 or "
                    + "a zone such as europe-west1-b");
        }
        return Optional.empty();
    }

    private static Optional<String> rule(Pattern pattern, String value, String allowed) {
        return pattern.matcher(value).matches() ? Optional.empty() : Optional.of("'" + value + "' is not valid; allowed: " + allowed);
    }

    /**
     * Reads a block's placement key {@code cluster}. {@code needs} is the cloud identity its workloads use (null:
     * none); {@code createsKubernetesResources} false reads the key but places nothing (e.g. a Cloud SQL workload
     * whose namespace someone else creates).
     */
    static void place(ConfigNode block, Component component, Cluster.Identity needs, boolean createsKubernetesResources) {
        var name = block.string("cluster", NAME, NAME_RULE + ", one of data-platform:clusters");
        if (createsKubernetesResources && !block.context().failed(block.path() + ".cluster")) {
            block.context().place(component, block.path() + (name.isPresent() ? ".cluster" : ""), name.orElse(null), needs);
        }
    }

    /** Resolves every placement against the clusters; every problem is reported with its key path. */
    static ClustersConfig resolve(ConfigNode root, Map<String, ClusterConfig> clusters, List<String> disabledDefaultProviders) {
        var context = root.context();
        var placements = new EnumMap<Component, String>(Component.class);
        String names = clusters.isEmpty() ? "(none)" : String.join(", ", clusters.keySet());
        boolean clustersFailed = context.failed(root.path() + KEY);
        context.placements().forEach((component, p) -> {
            ClusterConfig cluster;
            if (p.cluster() != null) {
                cluster = clusters.get(p.cluster());
                if (cluster == null) {
                    if (!clustersFailed) {
                        context.error(p.path(), "unknown cluster '" + p.cluster() + "'; allowed: " + names
                                + " (the names in data-platform:clusters)");
                    }
                    return;
                }
            } else if (clusters.size() == 1) {
                cluster = clusters.values().iterator().next();
            } else if (clusters.isEmpty()) {
                if (!clustersFailed) {
                    context.error(p.path(), "creates Kubernetes resources but the stack has no cluster: add data-platform:clusters "
                            + "(e.g. {prod-gke: {kind: gke, project, location, name}}) and place it with cluster: <name>");
                }
                return;
            } else {
                context.error(p.path() + ".cluster", "is required: the stack has several clusters (" + names
                        + "); allowed: one of them");
                return;
            }
            // The one identity rule (WorkloadIdentity.refusal), here as a config error with the block's key path.
            // A block that needs "no cloud identity" (local) runs only on a kubeconfig cluster.
            var refusal = p.needs() == Cluster.Identity.NONE && cluster.kind() != Cluster.Kind.KUBECONFIG
                    ? java.util.Optional.of("is placed on cluster '" + cluster.name() + "' (kind " + cluster.kind().id() + ": "
                    + WorkloadIdentity.describe(cluster.identity()) + ") but it runs only on a cluster without a cloud "
                    + "identity; allowed: a kubeconfig cluster")
                    : WorkloadIdentity.refusal(cluster.name(), cluster.kind(), p.needs());
            if (refusal.isPresent()) {
                context.error(p.path(), refusal.get() + fitting(clusters, p.needs()));
                return;
            }
            placements.put(component, cluster.name());
        });
        if (!clusters.isEmpty() || !context.placements().isEmpty()) {
            if (!disabledDefaultProviders.contains("kubernetes") && !disabledDefaultProviders.contains("*")) {
                context.error(DEFAULT_PROVIDERS, "must include kubernetes (the stack has Kubernetes resources): every one "
                        + "goes through its cluster's provider, never the ambient kubeconfig; allowed: "
                        + "`pulumi config set --path 'pulumi:disable-default-providers[0]' kubernetes`");
            }
        }
        return new ClustersConfig(Map.copyOf(clusters), Map.copyOf(placements));
    }

    private static String fitting(Map<String, ClusterConfig> clusters, Cluster.Identity needs) {
        var fit = clusters.values().stream().filter(c -> c.identity() == needs).map(ClusterConfig::name).toList();
        return fit.isEmpty() ? " (the stack has none)" : " (" + String.join(", ", fit) + ")";
    }

    /** pulumi:disable-default-providers as the stack sets it: a list of package names (or "*"). */
    static List<String> disabledDefaultProviders(ConfigSource source, ConfigNode.Context context) {
        Object value = source.values().get(DEFAULT_PROVIDERS);
        if (value == null) {
            return List.of();
        }
        if (value instanceof String text && !text.isBlank()) {
            value = EngineConfigSource.decode(text);
        }
        var result = new ArrayList<String>();
        if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                if (list.get(i) instanceof String s) {
                    result.add(s.trim());
                } else {
                    context.error(DEFAULT_PROVIDERS + "[" + i + "]", "must be a package name such as kubernetes");
                }
            }
        } else if (!(value instanceof String s && s.isBlank())) {
            context.error(DEFAULT_PROVIDERS, "must be a list of package names, e.g. [kubernetes]");
        }
        return List.copyOf(result);
    }
}
