package dev.dataplatform.guardrails;

import dev.dataplatform.core.Environment;
import dev.dataplatform.engine.PlannedResource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/** Managed PostgreSQL: private, TLS, IAM auth, backed up, undeletable and highly available where it matters. */
final class DatabaseRules {
    static final String CLOUD_SQL = "gcp:sql/databaseInstance:DatabaseInstance";
    static final String RDS = "aws:rds/instance:Instance";

    private DatabaseRules() {
    }

    /** A rule over Cloud SQL and RDS instances; {@code check} reports problems through the sink. */
    private static Rule rule(String id, String description, BiConsumer<PlannedResource, Sink> check) {
        return new Rule(id, description, plan -> {
            var findings = new ArrayList<Finding>();
            plan.resources().stream()
                    .filter(r -> r.type().equals(CLOUD_SQL) || r.type().equals(RDS))
                    .forEach(r -> check.accept(r, new Sink(plan.environment(), message ->
                            findings.add(new Finding(id, Severity.ERROR, r.urn(), message)))));
            return findings;
        });
    }

    record Sink(Environment environment, java.util.function.Consumer<String> report) {
        void problem(String message) {
            report.accept(message);
        }
    }

    private static boolean is(PlannedResource r, String path, Object expected) {
        return r.input(path).map(expected::equals).orElse(false);
    }

    static Rule privateOnly() {
        return rule("database-private-only", "No public database endpoint: Cloud SQL on private IP only, RDS not publicly accessible.",
                (r, sink) -> {
                    if (r.type().equals(CLOUD_SQL)) {
                        if (!is(r, "settings.ipConfiguration.ipv4Enabled", false)) {
                            sink.problem("the instance has a public IP: set settings.ipConfiguration.ipv4Enabled false");
                        }
                        if (r.input("settings.ipConfiguration.privateNetwork").isEmpty()) {
                            sink.problem("the instance has no private network");
                        }
                        if (r.input("settings.ipConfiguration.authorizedNetworks").filter(v -> v instanceof List<?> l && !l.isEmpty()).isPresent()) {
                            sink.problem("authorized networks open the instance to addresses outside the VPC");
                        }
                    } else if (!is(r, "publiclyAccessible", false)) {
                        sink.problem("the instance is publicly accessible: set publiclyAccessible false");
                    }
                });
    }

    static Rule tls() {
        return new Rule("database-tls", "Connections to the database require TLS (Cloud SQL requireSsl; RDS rds.force_ssl=1).",
                plan -> {
                    var findings = new ArrayList<Finding>();
                    for (var r : plan.resources()) {
                        if (r.type().equals(CLOUD_SQL) && !is(r, "settings.ipConfiguration.requireSsl", true)) {
                            findings.add(new Finding("database-tls", Severity.ERROR, r.urn(),
                                    "the instance accepts unencrypted connections: set requireSsl true"));
                        }
                        if (r.type().equals(RDS)) {
                            var groupName = r.input("parameterGroupName").map(String::valueOf).orElse("");
                            boolean forced = plan.ofType("aws:rds/parameterGroup:ParameterGroup")
                                    .filter(g -> groupName.equals(g.inputs().get("name")))
                                    .anyMatch(g -> g.input("parameters").filter(List.class::isInstance).map(ps -> ((List<?>) ps).stream()
                                            .anyMatch(p -> p instanceof Map<?, ?> m && "rds.force_ssl".equals(m.get("name"))
                                                    && "1".equals(String.valueOf(m.get("value"))))).orElse(false));
                            if (!forced) {
                                findings.add(new Finding("database-tls", Severity.ERROR, r.urn(), "the instance's parameter group '"
                                        + groupName + "' is not declared here with rds.force_ssl=1"));
                            }
                        }
                    }
                    return findings;
                });
    }

    static final String POSTGRESQL_PROVIDER = "pulumi:providers:postgresql";

    /**
     * The deployer's own connections: a postgresql provider with scheme {@code postgres} (lib/pq)
     * takes {@code sslmode} from the deployer's environment (PGSSLMODE) when unset, so it must say
     * require or verify-*; {@code gcppostgres} and {@code awspostgres} always dial TLS themselves
     * (docs/upstream-facts.md).
     */
    static Rule providerTls() {
        return new Rule("database-provider-tls", "Every postgresql provider connects with TLS: scheme gcppostgres (Cloud SQL "
                + "connector, mTLS), awspostgres (verified TLS), or postgres with sslmode require, verify-ca or verify-full.",
                plan -> plan.ofType(POSTGRESQL_PROVIDER).filter(p -> !providerUsesTls(p))
                        .map(p -> new Finding("database-provider-tls", Severity.ERROR, p.urn(), "the provider may connect without TLS "
                                + "(scheme " + p.input("scheme").orElse("postgres") + ", sslmode " + p.input("sslmode").orElse("unset")
                                + "); allowed: scheme gcppostgres or awspostgres, or sslmode require, verify-ca or verify-full"))
                        .toList());
    }

    static boolean providerUsesTls(PlannedResource provider) {
        String scheme = provider.input("scheme").map(String::valueOf).orElse("postgres");
        if (scheme.equals("gcppostgres") || scheme.equals("awspostgres")) {
            return true;
        }
        return provider.input("sslmode").map(String::valueOf).filter(List.of("require", "verify-ca", "verify-full")::contains).isPresent();
    }

    static Rule iamAuthentication() {
        return rule("database-iam-auth", "Cloud SQL has IAM database authentication on (workloads log in without passwords).",
                (r, sink) -> {
                    if (!r.type().equals(CLOUD_SQL)) {
                        return;
                    }
                    boolean on = r.input("settings.databaseFlags").filter(List.class::isInstance).map(flags -> ((List<?>) flags).stream()
                                    .anyMatch(f -> f instanceof Map<?, ?> m && "cloudsql.iam_authentication".equals(m.get("name"))
                                            && "on".equals(m.get("value"))))
                            .orElse(false);
                    if (!on) {
                        sink.problem("flag cloudsql.iam_authentication is not on");
                    }
                });
    }

    static Rule backups() {
        return rule("database-backups", "Automated backups everywhere; point-in-time recovery in stage and prod.", (r, sink) -> {
            boolean durable = sink.environment().holdsDurableData();
            if (r.type().equals(CLOUD_SQL)) {
                if (!is(r, "settings.backupConfiguration.enabled", true)) {
                    sink.problem("automated backups are off");
                }
                if (durable && !is(r, "settings.backupConfiguration.pointInTimeRecoveryEnabled", true)) {
                    sink.problem("point-in-time recovery is off in " + sink.environment().id());
                }
            } else if (r.input("backupRetentionPeriod").map(v -> ((Number) v).intValue() < 1).orElse(true)) {
                sink.problem("automated backups are off: set backupRetentionPeriod to 1 or more days");
            }
        });
    }

    static Rule deletionProtection() {
        return rule("database-deletion-protection", "In stage and prod the cloud refuses to delete the database.", (r, sink) -> {
            if (!sink.environment().holdsDurableData()) {
                return;
            }
            if (!is(r, "deletionProtection", true)) {
                sink.problem("deletion protection is off in " + sink.environment().id());
            }
            if (r.type().equals(CLOUD_SQL) && !is(r, "settings.deletionProtectionEnabled", true)) {
                sink.problem("Cloud SQL's API deletion protection (settings.deletionProtectionEnabled) is off in "
                        + sink.environment().id());
            }
        });
    }

    static Rule highAvailability() {
        return rule("database-high-availability", "Prod databases are regional (Cloud SQL) or Multi-AZ (RDS).", (r, sink) -> {
            if (sink.environment() != Environment.PROD) {
                return;
            }
            if (r.type().equals(CLOUD_SQL) && !is(r, "settings.availabilityType", "REGIONAL")) {
                sink.problem("the prod instance is zonal: set availabilityType REGIONAL");
            }
            if (r.type().equals(RDS) && !is(r, "multiAz", true)) {
                sink.problem("the prod instance is single-AZ: set multiAz true");
            }
        });
    }

    static Rule encryption() {
        return rule("database-encryption", "Database storage is encrypted (always on Cloud SQL; storageEncrypted on RDS).",
                (r, sink) -> {
                    if (r.type().equals(RDS) && !is(r, "storageEncrypted", true)) {
                        sink.problem("storage is not encrypted: set storageEncrypted true");
                    }
                });
    }

    static final String ROLE = "postgresql:index/role:Role";
    static final String GRANT_ROLE = "postgresql:index/grantRole:GrantRole";

    /**
     * A role's memberships have one owner. The postgresql provider reads every membership of a role back into the
     * Role's {@code roles} and, on update, revokes all of them and grants only {@code roles}: a Role that some
     * GrantRole makes a member must ignore changes to {@code roles} (or a refresh followed by an update revokes the
     * GrantRole's membership), and must not list {@code roles} itself.
     */
    static Rule roleMemberships() {
        String id = "database-role-memberships";
        return new Rule(id, "A Role that a GrantRole makes a member ignores changes to roles and lists none itself.", plan -> {
            var findings = new ArrayList<Finding>();
            var granted = new java.util.HashMap<String, List<String>>();
            plan.ofType(GRANT_ROLE).forEach(g -> g.input("role").filter(String.class::isInstance).ifPresent(member ->
                    granted.computeIfAbsent(g.options().provider() + "|" + member, k -> new ArrayList<>())
                            .add(String.valueOf(g.input("grantRole").orElse("?")))));
            plan.ofType(ROLE).forEach(r -> {
                var name = r.input("name").filter(String.class::isInstance).map(String.class::cast).orElse(null);
                var grants = granted.get(r.options().provider() + "|" + name);
                if (name == null || grants == null) {
                    return;
                }
                if (!r.options().ignoreChanges().contains("roles")) {
                    findings.add(new Finding(id, Severity.ERROR, r.urn(), "role '" + name + "' is made a member of "
                            + String.join(", ", grants) + " by GrantRole, but its Role does not ignore changes to roles: "
                            + "after a refresh the provider would revoke those memberships; set ignoreChanges [roles]"));
                }
                if (r.input("roles").filter(v -> v instanceof List<?> l && !l.isEmpty()).isPresent()) {
                    findings.add(new Finding(id, Severity.ERROR, r.urn(), "role '" + name + "' lists roles itself and is also "
                            + "made a member of " + String.join(", ", grants) + " by GrantRole: one owner per membership"));
                }
            });
            return findings;
        });
    }

    static List<Rule> all() {
        return List.of(privateOnly(), tls(), providerTls(), iamAuthentication(), backups(), deletionProtection(), highAvailability(),
                encryption(), roleMemberships());
    }
}
