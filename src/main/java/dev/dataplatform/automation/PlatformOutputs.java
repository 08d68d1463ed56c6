package dev.dataplatform.automation;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A stack's outputs, typed for internal tools (docs/configuration.md "Stack outputs"). Outputs a stack does not
 * have are empty; {@link #all()} keeps every output as the engine returned it, secrets masked.
 */
public record PlatformOutputs(String environment, Optional<String> dagsterWebserver, Optional<String> otlpGrpcEndpoint,
                              Optional<String> otlpHttpEndpoint, Optional<String> marquezApiUrl,
                              Optional<String> cloudSqlConnectionName, Optional<String> rdsEndpoint,
                              Map<String, Tenant> tenants, Set<String> secretOutputs, Map<String, PulumiEngine.Output> all) {

    /** Where one client's database is and where its application finds the URL. */
    public record Tenant(String namespace, String clusterName, String host, int port, String ssmParameter,
                         String secretName, String secretNamespace) {
    }

    public static PlatformOutputs of(Map<String, PulumiEngine.Output> outputs) {
        var tenants = new TreeMap<String, Tenant>();
        if (outputs.get("tenants") != null && outputs.get("tenants").value() instanceof Map<?, ?> map) {
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
                string(outputs, "cloudSqlConnectionName"), string(outputs, "rdsEndpoint"), Map.copyOf(tenants),
                Set.copyOf(secrets), Map.copyOf(outputs));
    }

    private static Optional<String> string(Map<String, PulumiEngine.Output> outputs, String name) {
        var output = outputs.get(name);
        return output == null || output.secret() || output.value() == null || String.valueOf(output.value()).isEmpty()
                ? Optional.empty() : Optional.of(String.valueOf(output.value()));
    }

    private static String str(Object value) {
        return value == null ? null : String.valueOf(value);
    }
}
