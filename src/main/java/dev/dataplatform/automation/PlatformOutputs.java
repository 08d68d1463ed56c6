package dev.dataplatform.automation;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A stack's outputs, typed for internal tools (docs/configuration.md "Stack outputs"): strings, the
 * maps and lists the stacks export, the tenants. Outputs a stack does not have are empty; secret
 * outputs are never read into the typed fields (their names are in {@link #secretOutputs()}), and
 * {@link #all()} keeps every output as the engine returned it, as JSON values.
 */
public record PlatformOutputs(String environment, Optional<String> dagsterWebserver, Optional<String> otlpGrpcEndpoint,
                              Optional<String> otlpHttpEndpoint, Optional<String> marquezApiUrl,
                              Optional<String> cloudSqlConnectionName, Optional<String> rdsEndpoint,
                              Optional<Long> rdsPort, Map<String, String> bucketNames, List<String> cloudSqlDatabases,
                              List<String> rdsDatabases, Map<String, Tenant> tenants, Set<String> secretOutputs,
                              Map<String, PulumiEngine.Output> all) {

    /** Where one client's database is and where its application finds the URL. */
    public record Tenant(String namespace, String clusterName, String host, int port, String ssmParameter,
                         String secretName, String secretNamespace) {
    }

    public static PlatformOutputs of(Map<String, PulumiEngine.Output> outputs) {
        var tenants = new TreeMap<String, Tenant>();
        if (plain(outputs, "tenants") instanceof Map<?, ?> map) {
            map.forEach((name, value) -> {
                if (value instanceof Map<?, ?> t) {
                    tenants.put(String.valueOf(name), new Tenant(str(t.get("namespace")), str(t.get("clusterName")),
                            str(t.get("host")), t.get("port") instanceof Number n ? n.intValue() : 0, str(t.get("ssmParameter")),
                            str(t.get("secretName")), str(t.get("secretNamespace"))));
                }
            });
        }
        var secrets = new TreeSet<String>();
        outputs.forEach((name, output) -> {
            if (output.secret()) {
                secrets.add(name);
            }
        });
        return new PlatformOutputs(string(outputs, "environment").orElse(""), string(outputs, "dagsterWebserver"),
                string(outputs, "otlpGrpcEndpoint"), string(outputs, "otlpHttpEndpoint"), string(outputs, "marquezApiUrl"),
                string(outputs, "cloudSqlConnectionName"), string(outputs, "rdsEndpoint"),
                plain(outputs, "rdsPort") instanceof Number n ? Optional.of(n.longValue()) : Optional.empty(),
                stringMap(plain(outputs, "bucketNames")), stringList(plain(outputs, "cloudSqlDatabases")),
                stringList(plain(outputs, "rdsDatabases")), Map.copyOf(tenants), Set.copyOf(secrets),
                java.util.Collections.unmodifiableMap(new TreeMap<>(outputs)));
    }

    /** An output's value unless it is missing or secret. */
    private static Object plain(Map<String, PulumiEngine.Output> outputs, String name) {
        var output = outputs.get(name);
        return output == null || output.secret() ? null : output.value();
    }

    private static Optional<String> string(Map<String, PulumiEngine.Output> outputs, String name) {
        return plain(outputs, name) instanceof String s && !s.isEmpty() ? Optional.of(s) : Optional.empty();
    }

    private static Map<String, String> stringMap(Object value) {
        var result = new TreeMap<String, String>();
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> {
                if (v != null) {
                    result.put(String.valueOf(k), String.valueOf(v));
                }
            });
        }
        return Map.copyOf(result);
    }

    private static List<String> stringList(Object value) {
        return value instanceof List<?> list ? list.stream().filter(java.util.Objects::nonNull).map(String::valueOf).toList()
                : List.of();
    }

    private static String str(Object value) {
        return value == null ? null : String.valueOf(value);
    }
}
