package dev.dataplatform.guardrails;

import dev.dataplatform.engine.PlannedResource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Tenants read only their own credentials: every SSM parameter a tenant's IAM policies allow or its ExternalSecrets
 * read carries the tenant's name as a path segment (its database URL {@code /<client>/<env>/database/url}, its backup
 * keys {@code <credentialsParameter>/<client>/...}). A platform-wide key or another tenant's parameter in a tenant's
 * identity is an error.
 */
final class TenantCredentialRules {
    /** The tenant component's type token (its resources are its children); the plan names it, no class is read. */
    static final String TENANT = "dataplatform:kubernetes:StackGresTenant";
    static final String ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
    static final String EXTERNAL_SECRET = "kubernetes:external-secrets.io/v1:ExternalSecret";
    static final Pattern SSM_ARN = Pattern.compile("arn:aws[a-z-]*:ssm:[^:\"]*:[^:\"]*:parameter(/[^\"\\s,\\]]*)");

    private TenantCredentialRules() {
    }

    static Rule isolation() {
        return new Rule("tenant-credential-isolation",
                "A tenant's IAM policies and ExternalSecrets reach only SSM parameters under the tenant's own name.",
                plan -> {
                    var byUrn = new HashMap<String, PlannedResource>();
                    plan.resources().forEach(r -> byUrn.put(r.urn(), r));
                    var findings = new ArrayList<Finding>();
                    for (PlannedResource r : plan.resources()) {
                        if (!r.type().equals(ROLE_POLICY) && !r.type().equals(EXTERNAL_SECRET)) {
                            continue;
                        }
                        String tenant = tenantOf(r, byUrn);
                        if (tenant == null) {
                            continue;
                        }
                        for (String parameter : parameters(r)) {
                            if (!owns(tenant, parameter)) {
                                findings.add(new Finding("tenant-credential-isolation", Severity.ERROR, r.urn(),
                                        r.type() + " of tenant '" + tenant + "' reaches SSM parameter " + parameter + ", which is not "
                                                + "the tenant's own (/" + tenant + "/... or .../" + tenant + "/access-key-id|secret-access-key): a tenant reads only its own "
                                                + "credentials, never a platform-wide key or another tenant's"));
                            }
                        }
                    }
                    return findings;
                });
    }

    /** The backup key names under a tenant's own credential path ({@code <credentialsParameter>/<client>/<key>}). */
    static final Set<String> BACKUP_KEYS = Set.of("access-key-id", "secret-access-key");

    /**
     * Whether {@code parameter} is one of the tenant's own: under {@code /<tenant>/} (its database URL
     * {@code /<client>/<env>/database/url}), or one of its backup keys {@code .../<tenant>/access-key-id|secret-access-key}.
     * Not any path that merely has a segment named like the tenant (a client named {@code prod} or {@code database}
     * would otherwise pass for the platform-wide key or another tenant's URL).
     */
    static boolean owns(String tenant, String parameter) {
        var segments = List.of(parameter.split("/", -1));
        if (segments.size() > 2 && segments.get(0).isEmpty() && segments.get(1).equals(tenant)) {
            return true;
        }
        int n = segments.size();
        return n >= 3 && segments.get(n - 2).equals(tenant) && BACKUP_KEYS.contains(segments.get(n - 1));
    }

    /** The tenant a resource belongs to: the name of its nearest {@value #TENANT} ancestor, or null. */
    static String tenantOf(PlannedResource resource, Map<String, PlannedResource> byUrn) {
        for (String urn = resource.parent(); urn != null; ) {
            var parent = byUrn.get(urn);
            if (parent == null) {
                return null;
            }
            if (parent.type().equals(TENANT)) {
                return parent.name();
            }
            urn = parent.parent();
        }
        return null;
    }

    /** The SSM parameter paths a policy allows (ARNs) or an ExternalSecret reads (remote keys that are paths). */
    static Set<String> parameters(PlannedResource resource) {
        var found = new TreeSet<String>();
        if (resource.type().equals(ROLE_POLICY)) {
            resource.input("policy").filter(String.class::isInstance).ifPresent(policy -> {
                var m = SSM_ARN.matcher((String) policy);
                while (m.find()) {
                    found.add(m.group(1));
                }
            });
        } else if (resource.input("spec.data").orElse(null) instanceof List<?> data) {
            for (Object entry : data) {
                if (entry instanceof Map<?, ?> e && e.get("remoteRef") instanceof Map<?, ?> ref
                        && ref.get("key") instanceof String key && key.startsWith("/")) {
                    found.add(key);
                }
            }
        }
        return found;
    }
}
