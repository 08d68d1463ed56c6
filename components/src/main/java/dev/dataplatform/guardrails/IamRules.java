package dev.dataplatform.guardrails;

import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Least privilege: no owner/editor/admin-style grants, no wildcard actions. */
final class IamRules {
    /** Primitive roles and administrator roles grant far more than a workload needs. */
    static final Pattern BROAD_GCP_ROLE = Pattern.compile("roles/(owner|editor|[A-Za-z0-9.]*[aA]dmin)");
    static final Pattern BROAD_AWS_MANAGED_POLICY = Pattern.compile(
            "arn:aws:iam::aws:policy/(AdministratorAccess|PowerUserAccess|IAMFullAccess|.*FullAccess)");
    private static final List<String> AWS_POLICY_TYPES = List.of(
            "aws:iam/policy:Policy", "aws:iam/rolePolicy:RolePolicy", "aws:iam/userPolicy:UserPolicy",
            "aws:iam/groupPolicy:GroupPolicy", "aws:s3/bucketPolicy:BucketPolicy");

    private IamRules() {
    }

    static Rule leastPrivilege() {
        return new Rule("least-privilege-iam",
                "No owner/editor/admin roles, full-access managed policies or wildcard actions.",
                plan -> {
                    var findings = new ArrayList<Finding>();
                    for (var r : plan.resources()) {
                        if (r.type().startsWith("gcp:") && (r.type().endsWith(":IAMMember") || r.type().endsWith(":IAMBinding"))) {
                            r.input("role").map(String::valueOf)
                                    .filter(role -> BROAD_GCP_ROLE.matcher(role).matches())
                                    .ifPresent(role -> findings.add(new Finding("least-privilege-iam", Severity.ERROR,
                                            r.urn(), "grants " + role + ": grant the narrowest predefined role instead")));
                        }
                        if (r.type().equals("aws:iam/rolePolicyAttachment:RolePolicyAttachment")) {
                            r.input("policyArn").map(String::valueOf)
                                    .filter(arn -> BROAD_AWS_MANAGED_POLICY.matcher(arn).matches())
                                    .ifPresent(arn -> findings.add(new Finding("least-privilege-iam", Severity.ERROR,
                                            r.urn(), "attaches " + arn + ": write a policy scoped to the resources used")));
                        }
                        if (AWS_POLICY_TYPES.contains(r.type())) {
                            r.input("policy").filter(String.class::isInstance).map(String.class::cast)
                                    .flatMap(IamRules::parse)
                                    .ifPresent(doc -> wildcardActions(doc).forEach(action -> findings.add(new Finding(
                                            "least-privilege-iam", Severity.ERROR, r.urn(),
                                            "allows action '" + action + "': list the actions needed"))));
                        }
                    }
                    return findings;
                });
    }

    private static java.util.Optional<JsonElement> parse(String json) {
        try {
            return java.util.Optional.of(JsonParser.parseString(json));
        } catch (JsonParseException e) {
            return java.util.Optional.empty(); // unknown in a preview, or not JSON: nothing to check
        }
    }

    /** Actions of Allow statements that are "*" or "service:*". */
    static List<String> wildcardActions(JsonElement document) {
        var result = new ArrayList<String>();
        if (!document.isJsonObject() || !document.getAsJsonObject().has("Statement")) {
            return result;
        }
        var statements = document.getAsJsonObject().get("Statement");
        var list = statements.isJsonArray() ? statements.getAsJsonArray().asList() : List.of(statements);
        for (JsonElement statement : list) {
            if (!statement.isJsonObject()) {
                continue;
            }
            var object = statement.getAsJsonObject();
            if (!object.has("Effect") || !"Allow".equals(object.get("Effect").getAsString()) || !object.has("Action")) {
                continue;
            }
            var actions = object.get("Action");
            var names = actions.isJsonArray() ? actions.getAsJsonArray().asList() : List.of(actions);
            for (JsonElement name : names) {
                String action = name.getAsString();
                if (action.equals("*") || action.endsWith(":*")) {
                    result.add(action);
                }
            }
        }
        return result;
    }
}
