package dev.dataplatform.engine;

import com.pulumi.core.annotations.CustomType;

import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The only invokes the offline engine answers: the two cluster lookups a Kubernetes provider's kubeconfig
 * is derived from (pulumi-gcp 7.0.0 {@code container.getCluster}, pulumi-aws 6.83.0 {@code eks.getCluster}).
 * The answers are clearly fake (endpoints under the reserved {@code .invalid} domain, a CA that is no
 * certificate), so an offline plan is concrete and a kubeconfig from it can never reach a real cluster;
 * the program marks the kubeconfig secret, so the plan shows it as {@value Masking#SECRET} anyway.
 */
public final class ClusterLookups {
    public static final String GKE = "gcp:container/getCluster:getCluster";
    public static final String EKS = "aws:eks/getCluster:getCluster";
    public static final List<String> TOKENS = List.of(GKE, EKS);
    /** The fake CA's text, base64-encoded in the answers. */
    public static final String FAKE_CA = "offline plan: not a certificate";

    private ClusterLookups() {
    }

    /** The fake endpoint of a cluster: GKE answers a host, EKS a URL (as the real data sources do). */
    public static String fakeEndpoint(String token, String clusterName) {
        String host = (GKE.equals(token) ? "gke-" : "eks-") + clusterName + ".offline-plan.invalid";
        return GKE.equals(token) ? host : "https://" + host;
    }

    /** An answer for {@code token} with {@code args}, or empty if the offline engine does not answer it. */
    static Optional<Map<String, Object>> answer(String token, Map<String, Object> args) {
        String name = String.valueOf(args.getOrDefault("name", "unnamed"));
        String ca = Base64.getEncoder().encodeToString(FAKE_CA.getBytes(StandardCharsets.UTF_8));
        if (GKE.equals(token)) {
            var result = complete(com.pulumi.gcp.container.outputs.GetClusterResult.class);
            result.putAll(args);
            result.put("endpoint", fakeEndpoint(token, name));
            var auth = complete(com.pulumi.gcp.container.outputs.GetClusterMasterAuth.class);
            auth.put("clusterCaCertificate", ca);
            result.put("masterAuths", List.of(auth));
            return Optional.of(result);
        }
        if (EKS.equals(token)) {
            var result = complete(com.pulumi.aws.eks.outputs.GetClusterResult.class);
            result.putAll(args);
            result.put("endpoint", fakeEndpoint(token, name));
            var authority = complete(com.pulumi.aws.eks.outputs.GetClusterCertificateAuthority.class);
            authority.put("data", ca);
            result.put("certificateAuthorities", List.of(authority));
            return Optional.of(result);
        }
        return Optional.empty();
    }

    /**
     * Every property of a result type with an empty value of its type: the SDK's deserializer refuses a
     * result without its required properties, and the lookups' results have dozens nobody reads here.
     */
    static Map<String, Object> complete(Class<?> resultType) {
        var values = new LinkedHashMap<String, Object>();
        Class<?> builder = java.util.Arrays.stream(resultType.getDeclaredClasses())
                .filter(c -> c.getSimpleName().equals("Builder")).findFirst()
                .orElseThrow(() -> new IllegalStateException(resultType + " has no Builder"));
        for (Method setter : builder.getDeclaredMethods()) {
            var annotation = setter.getAnnotation(CustomType.Setter.class);
            if (annotation == null || setter.getParameterCount() != 1) {
                continue;
            }
            String property = annotation.value().isEmpty() ? setter.getName() : annotation.value();
            values.put(property, empty(setter.getGenericParameterTypes()[0]));
        }
        return values;
    }

    private static Object empty(Type type) {
        Class<?> raw = type instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) type;
        if (raw == String.class) {
            return "";
        }
        if (raw == Boolean.class || raw == boolean.class) {
            return false;
        }
        if (Number.class.isAssignableFrom(raw) || raw.isPrimitive()) {
            return 0;
        }
        if (List.class.isAssignableFrom(raw)) {
            return List.of();
        }
        if (raw.isAnnotationPresent(CustomType.class)) {
            return complete(raw);
        }
        return Map.of();
    }
}
