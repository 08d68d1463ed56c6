package dev.dataplatform.guardrails;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.dataplatform.engine.PlannedResource;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiConsumer;

/**
 * No privilege chains: who may assume a cloud identity is pinned exactly, one identity serves one
 * workload, no login but the admin holds superuser-equivalent rights, and dumps cannot be rewritten.
 */
final class PrivilegeRules {
    static final String AWS_ROLE = "aws:iam/role:Role";
    static final String GCP_SA_IAM_MEMBER = "gcp:serviceaccount/iAMMember:IAMMember";
    static final String GCP_SA_IAM_BINDING = "gcp:serviceaccount/iAMBinding:IAMBinding";
    static final String SERVICE_ACCOUNT = "kubernetes:core/v1:ServiceAccount";
    static final String HELM_RELEASE = "kubernetes:helm.sh/v3:Release";
    static final String GKE_ANNOTATION = "iam.gke.io/gcp-service-account";
    static final String EKS_ANNOTATION = "eks.amazonaws.com/role-arn";
    static final String ROLE = "postgresql:index/role:Role";
    static final String GRANT_ROLE = "postgresql:index/grantRole:GrantRole";
    static final String POSTGRESQL_PROVIDER = "pulumi:providers:postgresql";
    /** Memberships that make a login a superuser in all but name (Cloud SQL, RDS). */
    static final Set<String> SUPERUSER_EQUIVALENT = Set.of("cloudsqlsuperuser", "rds_superuser");
    /** Membership in a superuser-equivalent role: an error like SUPERUSER (no drill or workload login needs one). */
    static final Severity SUPERUSER_MEMBERSHIP = Severity.ERROR;

    private PrivilegeRules() {
    }

    // ---------------------------------------------------------------- trust policies

    /**
     * AWS role trusts: a web-identity (OIDC) statement names its audience and one exact subject with
     * StringEquals; a service principal's statement is limited to this account's (or one resource's)
     * requests with aws:SourceAccount or aws:SourceArn, so the service cannot be used as a confused deputy.
     */
    static Rule trustPolicies() {
        return new Rule("iam-trust-exact",
                "Role trusts are exact: web identity with StringEquals on :aud and :sub (no wildcard); service "
                        + "principals limited by aws:SourceAccount or aws:SourceArn.",
                plan -> {
                    var findings = new ArrayList<Finding>();
                    plan.ofType(AWS_ROLE).forEach(role -> role.input("assumeRolePolicy")
                            .filter(String.class::isInstance).map(String.class::cast).flatMap(PrivilegeRules::json)
                            .ifPresent(doc -> trustProblems(doc).forEach(problem -> findings.add(new Finding("iam-trust-exact",
                                    Severity.ERROR, role.urn(), problem, "assumeRolePolicy")))));
                    return findings;
                });
    }

    static Optional<JsonElement> json(String text) {
        try {
            return Optional.of(JsonParser.parseString(text));
        } catch (JsonParseException e) {
            return Optional.empty(); // unknown in a preview, or not JSON
        }
    }

    static List<JsonElement> list(JsonElement element) {
        return element == null ? List.of() : element.isJsonArray() ? element.getAsJsonArray().asList() : List.of(element);
    }

    /** What is wrong with each Allow statement of a trust policy. */
    static List<String> trustProblems(JsonElement document) {
        var problems = new ArrayList<String>();
        if (!document.isJsonObject()) {
            return problems;
        }
        int index = 0;
        for (JsonElement s : list(document.getAsJsonObject().get("Statement"))) {
            int i = index++;
            if (!s.isJsonObject() || !"Allow".equals(string(s.getAsJsonObject().get("Effect")))) {
                continue;
            }
            var statement = s.getAsJsonObject();
            var actions = list(statement.get("Action")).stream().map(PrivilegeRules::string).toList();
            var principal = statement.get("Principal");
            var condition = statement.has("Condition") && statement.get("Condition").isJsonObject()
                    ? statement.getAsJsonObject("Condition") : new JsonObject();
            String where = "statement " + i + ": ";
            if (actions.contains("sts:AssumeRoleWithWebIdentity") || (principal != null && principal.isJsonObject()
                    && principal.getAsJsonObject().has("Federated"))) {
                var equals = condition.has("StringEquals") && condition.get("StringEquals").isJsonObject()
                        ? condition.getAsJsonObject("StringEquals") : new JsonObject();
                var sub = keyEndingWith(equals, ":sub");
                var aud = keyEndingWith(equals, ":aud");
                if (sub.isEmpty() || list(equals.get(sub.get())).stream().map(PrivilegeRules::string)
                        .anyMatch(v -> v.isEmpty() || v.contains("*") || v.contains("?"))) {
                    problems.add(where + "web identity without an exact subject: add StringEquals <issuer>:sub "
                            + "(e.g. system:serviceaccount:<namespace>:<name>, repo:<owner>/<repo>:environment:<name>)");
                }
                if (aud.isEmpty()) {
                    problems.add(where + "web identity without an audience: add StringEquals <issuer>:aud (sts.amazonaws.com)");
                }
                for (String like : List.of("StringLike", "ForAnyValue:StringLike")) {
                    if (condition.has(like) && condition.get(like).isJsonObject()
                            && keyEndingWith(condition.getAsJsonObject(like), ":sub").isPresent()) {
                        problems.add(where + "the subject is matched with " + like + ": use StringEquals on one exact subject");
                    }
                }
            } else if (principal != null && principal.isJsonObject() && principal.getAsJsonObject().has("Service")) {
                boolean scoped = condition.entrySet().stream().filter(e -> e.getValue().isJsonObject())
                        .anyMatch(e -> e.getValue().getAsJsonObject().keySet().stream()
                                .anyMatch(k -> k.equalsIgnoreCase("aws:SourceAccount") || k.equalsIgnoreCase("aws:SourceArn")));
                if (!scoped) {
                    problems.add(where + "service principal " + list(principal.getAsJsonObject().get("Service")).stream()
                            .map(PrivilegeRules::string).toList() + " may act for any account: add a condition on "
                            + "aws:SourceAccount (StringEquals) or aws:SourceArn (ArnLike)");
                }
            }
        }
        return problems;
    }

    private static Optional<String> keyEndingWith(JsonObject object, String suffix) {
        return object.keySet().stream().filter(k -> k.endsWith(suffix)).findFirst();
    }

    private static String string(JsonElement e) {
        return e != null && e.isJsonPrimitive() ? e.getAsString() : "";
    }

    // ---------------------------------------------------------------- shared identities

    /**
     * One cloud identity per workload. The identities a workload can assume: the Kubernetes
     * ServiceAccounts (and Helm values) annotated with a Google service account or an IAM role, the
     * Workload Identity bindings on a Google service account, the ServiceAccounts an IAM role's trust
     * names. An error: whoever can run one workload's pods would act with every right the other workloads
     * need (the message names the workloads).
     */
    static Rule sharedIdentities() {
        return new Rule("one-identity-per-workload",
                "No Google service account or AWS IAM role is used by more than one workload (ServiceAccount).",
                plan -> {
                    // identity -> workloads (namespace/name or release values path), and the resource to report on
                    var users = new TreeMap<String, TreeSet<String>>();
                    var reportOn = new TreeMap<String, String>();
                    BiConsumer<String, String> use = (identity, workload) -> users.computeIfAbsent(identity, k -> new TreeSet<>()).add(workload);
                    for (var r : plan.resources()) {
                        switch (r.type()) {
                            case SERVICE_ACCOUNT -> {
                                String workload = r.kubernetesNamespace().orElse("?") + "/" + r.kubernetesName().orElse(r.name());
                                annotations(r.input("metadata.annotations")).forEach((key, value) -> {
                                    use.accept(identity(key, value), workload);
                                    reportOn.putIfAbsent(identity(key, value), r.urn());
                                });
                            }
                            case HELM_RELEASE -> r.input("values").ifPresent(values -> walk(values, "values", (path, annotations) ->
                                    annotations.forEach((key, value) -> {
                                        use.accept(identity(key, value), "release " + r.input("name").orElse(r.name()) + " " + path);
                                        reportOn.putIfAbsent(identity(key, value), r.urn());
                                    })));
                            case GCP_SA_IAM_MEMBER, GCP_SA_IAM_BINDING -> {
                                if (!"roles/iam.workloadIdentityUser".equals(r.inputs().get("role"))) {
                                    break;
                                }
                                var members = new ArrayList<Object>();
                                r.input("member").ifPresent(members::add);
                                r.input("members").filter(List.class::isInstance).ifPresent(l -> members.addAll((List<?>) l));
                                String account = String.valueOf(r.input("serviceAccountId").orElse("[unknown]"));
                                if (account.contains("[unknown]")) {
                                    break; // known after the account exists: the KSA's annotation names it
                                }
                                for (Object member : members) {
                                    workloadIdentityMember(String.valueOf(member)).ifPresent(ksa -> {
                                        String identity = GKE_ANNOTATION + "=" + emailOf(account);
                                        use.accept(identity, ksa);
                                        reportOn.putIfAbsent(identity, r.urn());
                                    });
                                }
                            }
                            case AWS_ROLE -> r.input("assumeRolePolicy").filter(String.class::isInstance).map(String.class::cast)
                                    .flatMap(PrivilegeRules::json).ifPresent(doc -> {
                                        String identity = EKS_ANNOTATION + "=role/" + r.input("name").orElse(r.name());
                                        trustedServiceAccounts(doc).forEach(ksa -> use.accept(identity, ksa));
                                        reportOn.putIfAbsent(identity, r.urn());
                                    });
                            default -> {
                            }
                        }
                    }
                    var findings = new ArrayList<Finding>();
                    users.forEach((identity, workloads) -> {
                        if (workloads.size() > 1) {
                            findings.add(new Finding("one-identity-per-workload", Severity.ERROR, reportOn.get(identity),
                                    identity.substring(identity.indexOf('=') + 1).replaceFirst("^role/", "role ") + " is used by " + workloads.size()
                                            + " workloads: " + String.join(", ", workloads)
                                            + "; give each workload an identity of its own with only what it uses"));
                        }
                    });
                    return findings;
                });
    }

    /**
     * One key per cloud identity, however it is written: a Google service account by its email, an IAM role by
     * {@code role/<name>} (an annotation's ARN {@code arn:aws:iam::<account>:role/<path/><name>} and a planned Role's
     * name are the same role), so a ServiceAccount annotated with the ARN of a role the program creates for another
     * workload counts as a second user of that role.
     */
    static String identity(String annotation, String value) {
        if (EKS_ANNOTATION.equals(annotation)) {
            int role = value.indexOf(":role/");
            if (role >= 0) {
                String path = value.substring(role + ":role/".length());
                return annotation + "=role/" + path.substring(path.lastIndexOf('/') + 1);
            }
        }
        return annotation + "=" + value;
    }

    private static Map<String, String> annotations(Optional<Object> value) {
        var result = new TreeMap<String, String>();
        value.filter(Map.class::isInstance).map(m -> (Map<?, ?>) m).ifPresent(m -> m.forEach((k, v) -> {
            if ((GKE_ANNOTATION.equals(k) || EKS_ANNOTATION.equals(k)) && v instanceof String s && !s.isEmpty() && !s.equals("[unknown]")) {
                result.put(String.valueOf(k), s);
            }
        }));
        return result;
    }

    /** Every map in a Helm values tree that holds an identity annotation, with its path. */
    private static void walk(Object node, String path, BiConsumer<String, Map<String, String>> found) {
        if (node instanceof Map<?, ?> map) {
            var own = annotations(Optional.of(map));
            if (!own.isEmpty()) {
                found.accept(path, own);
            }
            map.forEach((k, v) -> walk(v, path + "." + k, found));
        } else if (node instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                walk(list.get(i), path + "." + i, found);
            }
        }
    }

    /** {@code serviceAccount:PROJECT.svc.id.goog[NS/KSA]} → {@code NS/KSA}. */
    static Optional<String> workloadIdentityMember(String member) {
        int open = member.indexOf(".svc.id.goog[");
        if (!member.startsWith("serviceAccount:") || open < 0 || !member.endsWith("]")) {
            return Optional.empty();
        }
        return Optional.of(member.substring(open + ".svc.id.goog[".length(), member.length() - 1));
    }

    /** {@code projects/P/serviceAccounts/EMAIL} → {@code EMAIL}. */
    private static String emailOf(String serviceAccountId) {
        int slash = serviceAccountId.lastIndexOf('/');
        return slash >= 0 ? serviceAccountId.substring(slash + 1) : serviceAccountId;
    }

    /** The {@code NS/SA} of every {@code system:serviceaccount:NS:SA} subject a trust policy names. */
    static List<String> trustedServiceAccounts(JsonElement document) {
        var result = new ArrayList<String>();
        if (!document.isJsonObject()) {
            return result;
        }
        for (JsonElement s : list(document.getAsJsonObject().get("Statement"))) {
            if (!s.isJsonObject() || !s.getAsJsonObject().has("Condition") || !s.getAsJsonObject().get("Condition").isJsonObject()) {
                continue;
            }
            for (var operator : s.getAsJsonObject().getAsJsonObject("Condition").entrySet()) {
                if (!operator.getValue().isJsonObject()) {
                    continue;
                }
                operator.getValue().getAsJsonObject().entrySet().stream().filter(e -> e.getKey().endsWith(":sub"))
                        .flatMap(e -> list(e.getValue()).stream()).map(PrivilegeRules::string)
                        .filter(v -> v.startsWith("system:serviceaccount:"))
                        .map(v -> v.substring("system:serviceaccount:".length()).replaceFirst(":", "/"))
                        .forEach(result::add);
            }
        }
        return result;
    }

    // ---------------------------------------------------------------- superuser-equivalent grants

    /**
     * Only the admin login (the one a postgresql provider logs in as) may be a superuser, create roles
     * or belong to cloudsqlsuperuser/rds_superuser: with any of those a login can grant itself anything.
     */
    static Rule superuserGrants() {
        return new Rule("no-superuser-grants",
                "No login but the admin (a postgresql provider's username) is SUPERUSER, has CREATEROLE, or is a member "
                        + "of cloudsqlsuperuser or rds_superuser.",
                plan -> {
                    var admins = new TreeSet<String>();
                    plan.ofType(POSTGRESQL_PROVIDER).forEach(p -> p.input("username").map(String::valueOf).ifPresent(admins::add));
                    var findings = new ArrayList<Finding>();
                    for (var r : plan.resources()) {
                        if (r.type().equals(ROLE)) {
                            String name = String.valueOf(r.input("name").orElse(r.name()));
                            if (admins.contains(name)) {
                                continue;
                            }
                            if (truthy(r.inputs().get("superuser"))) {
                                findings.add(superuser(r, Severity.ERROR, "role '" + name + "' is SUPERUSER", "superuser"));
                            }
                            if (truthy(r.inputs().get("createRole"))) {
                                // PostgreSQL 15: CREATEROLE may grant membership in any role but superusers (cloudsqlsuperuser
                                // and rds_superuser included). A warning, not an error: pgSTAC's migration runs CREATE ROLE
                                // on every install and upgrade, so its migrator needs it; no other login should.
                                findings.add(new Finding("no-superuser-grants", Severity.WARNING, r.urn(), "role '" + name
                                        + "' has CREATEROLE: in PostgreSQL 15 it may grant itself any non-superuser role, "
                                        + "cloudsqlsuperuser and rds_superuser included; keep it to a login that must create roles "
                                        + "(pgSTAC's migrator) and to the migration Job", "createRole"));
                            }
                            r.input("roles").filter(List.class::isInstance).map(l -> (List<?>) l).orElse(List.of()).stream()
                                    .map(String::valueOf).filter(SUPERUSER_EQUIVALENT::contains)
                                    .forEach(member -> findings.add(superuser(r, SUPERUSER_MEMBERSHIP,
                                            "role '" + name + "' is a member of " + member, "roles")));
                        } else if (r.type().equals(GRANT_ROLE)) {
                            String granted = String.valueOf(r.input("grantRole").orElse(""));
                            String to = String.valueOf(r.input("role").orElse("?"));
                            if (SUPERUSER_EQUIVALENT.contains(granted.toLowerCase(Locale.ROOT)) && !admins.contains(to)) {
                                findings.add(superuser(r, SUPERUSER_MEMBERSHIP, "grants " + granted + " to '" + to + "'", "grantRole"));
                            }
                        }
                    }
                    return findings;
                });
    }

    private static Finding superuser(PlannedResource r, Severity severity, String what, String path) {
        return new Finding("no-superuser-grants", severity, r.urn(), what + ": only the admin login may hold "
                + "superuser-equivalent rights; grant the specific privileges instead (have the admin path do what needs them)", path);
    }

    private static boolean truthy(Object value) {
        return Boolean.TRUE.equals(value) || "true".equals(value);
    }

    // ---------------------------------------------------------------- dump buckets

    /** Names or labels that mark a bucket as holding database dumps or backups. */
    static boolean holdsDumps(PlannedResource bucket) {
        String name = String.valueOf(bucket.input(bucket.type().equals(StorageRules.S3) ? "bucket" : "name").orElse(""))
                .toLowerCase(Locale.ROOT);
        for (String word : name.split("[-_.]")) {
            if (word.equals("dump") || word.equals("dumps") || word.equals("backup") || word.equals("backups")) {
                return true;
            }
        }
        for (String key : List.of("labels", "tags")) {
            var marked = bucket.input(key).filter(Map.class::isInstance).map(m -> ((Map<?, ?>) m).get("purpose"))
                    .map(String::valueOf).map(v -> v.contains("dump") || v.contains("backup")).orElse(false);
            if (marked) {
                return true;
            }
        }
        return false;
    }

    /**
     * A bucket holding dumps keeps every object it is given: S3 versioning with an Object Lock default
     * retention, GCS a retention policy.
     */
    static Rule dumpBucketsImmutable() {
        return new Rule("dump-bucket-immutable",
                "Buckets that hold dumps or backups (by name: a '-dumps'/'-backups' word; or label/tag purpose) are "
                        + "immutable: S3 versioning and Object Lock default retention, GCS a retention policy.",
                plan -> {
                    var findings = new ArrayList<Finding>();
                    plan.ofType(StorageRules.S3).filter(PrivilegeRules::holdsDumps).forEach(b ->
                            StorageRules.s3ImmutabilityGap(plan, b).ifPresent(gap -> findings.add(new Finding("dump-bucket-immutable",
                                    Severity.ERROR, b.urn(), "dump bucket without " + gap + ": whoever may write a dump may "
                                    + "replace or delete the dumps a restore relies on"))));
                    plan.ofType(StorageRules.GCS).filter(PrivilegeRules::holdsDumps).forEach(b -> {
                        if (b.input("retentionPolicy.retentionPeriod").isEmpty()) {
                            findings.add(new Finding("dump-bucket-immutable", Severity.ERROR, b.urn(),
                                    "dump bucket without a retention policy: whoever may write a dump may replace or delete "
                                            + "the dumps a restore relies on"));
                        }
                    });
                    return findings;
                });
    }

    static List<Rule> all() {
        return List.of(trustPolicies(), sharedIdentities(), superuserGrants(), dumpBucketsImmutable());
    }
}
