package dev.dataplatform.plan;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * What {@code pulumi refresh} writes into state for the postgresql provider's resources, modelled from
 * terraform-provider-postgresql at the commit pulumi-postgresql v3.18.0 builds (ff936b9; docs/upstream-facts.md
 * "Refresh of the postgresql provider"), applied to a plan's own inputs: the server is assumed to hold exactly what
 * the plan's resources (and pgSTAC's migration) made, and each resource reads back what its read function selects.
 *
 * <ul>
 *   <li>Role: every attribute from pg_roles; {@code roles} := every membership of the role
 *       (pg_auth_members), i.e. its own {@code roles} plus every GrantRole granting it a role on the same server,
 *       plus those pgSTAC's migration grants among its roles.</li>
 *   <li>Grant: {@code privileges} := the role's privileges on the object from the ACL (aclexplode(...) where grantee =
 *       role), i.e. the union of every Grant of that role on that object on the same server.</li>
 *   <li>DefaultPrivileges: {@code privileges} := the union of every DefaultPrivileges of that owner, role, schema and
 *       object type.</li>
 *   <li>Database, Schema, Extension, GrantRole: their inputs as they were created (name, owner, encoding, template,
 *       schema, member and group read back unchanged).</li>
 * </ul>
 * An attribute the program does not set is written only when it differs from what Terraform treats as unset (its
 * schema default, or the zero value for an optional attribute that is not computed): that is when the provider would
 * plan a change for it. Other resource types are refreshed to their inputs.
 */
final class ProviderRefreshModel {
    static final String ROLE = "postgresql:index/role:Role";
    static final String GRANT_ROLE = "postgresql:index/grantRole:GrantRole";
    static final String GRANT = "postgresql:index/grant:Grant";
    static final String DEFAULT_PRIVILEGES = "postgresql:index/defaultPrivileges:DefaultPrivileges";

    /**
     * Memberships pgSTAC's migration grants among its own roles (member → roles): {@code GRANT pgstac_read TO
     * pgstac_ingest} (pgstac.0.9.11.sql line 113). Its {@code GRANT pgstac_admin TO current_user} gives the migrator
     * what its GrantRole already gives.
     */
    static final Map<String, List<String>> PGSTAC_MIGRATION_MEMBERSHIPS = Map.of("pgstac_ingest", List.of("pgstac_read"));

    /** Role attributes the program may leave unset and the value Terraform then holds (schema Default or zero). */
    static final Map<String, Object> ROLE_UNSET = Map.ofEntries(
            Map.entry("login", false), Map.entry("inherit", true), Map.entry("superuser", false),
            Map.entry("createDatabase", false), Map.entry("createRole", false), Map.entry("replication", false),
            Map.entry("bypassRowLevelSecurity", false), Map.entry("connectionLimit", -1.0),
            Map.entry("validUntil", "infinity"), Map.entry("encryptedPassword", true), Map.entry("roles", List.of()),
            Map.entry("searchPaths", List.of()), Map.entry("statementTimeout", 0.0),
            Map.entry("idleInTransactionSessionTimeout", 0.0), Map.entry("assumeRole", ""));

    private ProviderRefreshModel() {
    }

    /** The refreshed state of a {@code plan --json} document, as a document {@code plan --diff} reads. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> refresh(Map<String, Object> plan) {
        var resources = (List<Map<String, Object>>) plan.get("resources");
        var servers = new HashMap<String, String>();
        for (var r : resources) {
            if ("pulumi:providers:postgresql".equals(r.get("type"))) {
                servers.put((String) r.get("urn"), server(inputs(r)));
            }
        }
        SERVERS.set(servers);
        var memberships = new LinkedHashMap<String, Set<Object>>();
        var privileges = new LinkedHashMap<String, Set<Object>>();
        var pgstacServers = new LinkedHashSet<String>();
        for (var r : resources) {
            var in = inputs(r);
            switch (String.valueOf(r.get("type"))) {
                case ROLE -> {
                    if (in.get("roles") instanceof List<?> own) {
                        memberships.computeIfAbsent(key(r, in.get("name")), k -> new LinkedHashSet<>()).addAll(own);
                    }
                    if ("pgstac_admin".equals(in.get("name"))) {
                        pgstacServers.add(provider(r));
                    }
                }
                case GRANT_ROLE -> memberships.computeIfAbsent(key(r, in.get("role")), k -> new LinkedHashSet<>())
                        .add(in.get("grantRole"));
                case GRANT, DEFAULT_PRIVILEGES -> privileges.computeIfAbsent(privilegeKey(r, in), k -> new LinkedHashSet<>())
                        .addAll((List<Object>) in.getOrDefault("privileges", List.of()));
                default -> {
                }
            }
        }
        pgstacServers.forEach(server -> PGSTAC_MIGRATION_MEMBERSHIPS.forEach((member, roles) ->
                memberships.computeIfAbsent(server + "|" + member, k -> new LinkedHashSet<>()).addAll(roles)));

        var refreshed = new ArrayList<Map<String, Object>>();
        for (var r : resources) {
            var in = new TreeMap<String, Object>(inputs(r));
            switch (String.valueOf(r.get("type"))) {
                case ROLE -> {
                    var read = new TreeMap<String, Object>(ROLE_UNSET);
                    read.putAll(in);
                    read.put("roles", List.copyOf(memberships.getOrDefault(key(r, in.get("name")), Set.of())));
                    in = setOrDiffering(in, read, ROLE_UNSET);
                }
                case GRANT, DEFAULT_PRIVILEGES -> in.put("privileges", List.copyOf(privileges.get(privilegeKey(r, in))));
                default -> {
                }
            }
            var entry = new LinkedHashMap<String, Object>();
            entry.put("urn", r.get("urn"));
            entry.put("type", r.get("type"));
            entry.put("parent", r.get("parent"));
            entry.put("custom", r.get("custom"));
            entry.put("inputs", in);
            entry.put("options", Map.of("protect", Boolean.TRUE.equals(((Map<String, Object>) r.get("options")).get("protect"))));
            refreshed.add(entry);
        }
        return Map.of("resources", refreshed);
    }

    /**
     * The attributes the program sets, with their read values, plus those it leaves unset whose read value differs from
     * what Terraform holds for an unset attribute.
     */
    private static TreeMap<String, Object> setOrDiffering(Map<String, Object> declared, Map<String, Object> read,
                                                         Map<String, Object> unset) {
        var result = new TreeMap<String, Object>();
        read.forEach((attribute, value) -> {
            if (declared.containsKey(attribute) || !Objects.equals(unset.get(attribute), value)) {
                result.put(attribute, value);
            }
        });
        return result;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> inputs(Map<String, Object> resource) {
        return resource.get("inputs") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    /** Provider URN → the server it manages, for the plan being refreshed. */
    private static final ThreadLocal<Map<String, String>> SERVERS = ThreadLocal.withInitial(Map::of);

    /**
     * The server a provider manages: its scheme and host. Two providers on one server (the access model's and the
     * logical backup's on RDS) see the same roles; a host only known after deployment is one per scheme in a stack.
     */
    static String server(Map<String, Object> providerInputs) {
        return providerInputs.get("scheme") + "|" + providerInputs.get("host");
    }

    /** The server a postgresql resource is on (its provider's). */
    @SuppressWarnings("unchecked")
    private static String provider(Map<String, Object> resource) {
        String urn = String.valueOf(((Map<String, Object>) resource.get("options")).get("provider"));
        return SERVERS.get().getOrDefault(urn, urn);
    }

    private static String key(Map<String, Object> resource, Object role) {
        return provider(resource) + "|" + role;
    }

    /** The object whose ACL a Grant or DefaultPrivileges reads: one server, database, role, schema, type (and objects). */
    private static String privilegeKey(Map<String, Object> resource, Map<String, Object> in) {
        return String.join("|", provider(resource), String.valueOf(resource.get("type")), String.valueOf(in.get("database")),
                String.valueOf(in.get("role")), String.valueOf(in.get("owner")), String.valueOf(in.get("schema")),
                String.valueOf(in.get("objectType")), String.valueOf(in.get("objects")), String.valueOf(in.get("columns")));
    }
}
