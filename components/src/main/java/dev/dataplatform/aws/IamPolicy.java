package dev.dataplatform.aws;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/** IAM policy documents as JSON text, built (and escaped) in one place for every AWS component. */
public final class IamPolicy {
    /** ARNs and condition keys as they are: no HTML escaping of '=' or '<'. */
    private static final Gson JSON = new GsonBuilder().disableHtmlEscaping().create();
    private IamPolicy() {
    }

    /** {@code {"Effect":"Allow","Action":[...],"Resource":[...]}}. */
    public static JsonObject allow(List<String> actions, List<String> resources) {
        var statement = new JsonObject();
        statement.addProperty("Effect", "Allow");
        statement.add("Action", array(actions));
        statement.add("Resource", array(resources));
        return statement;
    }

    /** The statement with one condition added, e.g. {@code StringEquals cloudwatch:namespace X}; returns it. */
    public static JsonObject when(JsonObject statement, String operator, String key, String value) {
        var condition = statement.has("Condition") ? statement.getAsJsonObject("Condition") : new JsonObject();
        var test = condition.has(operator) ? condition.getAsJsonObject(operator) : new JsonObject();
        test.addProperty(key, value);
        condition.add(operator, test);
        statement.add("Condition", condition);
        return statement;
    }

    /** A policy document of the given statements; {@code null} statements (optional ones not used) are left out. */
    public static String document(JsonObject... statements) {
        var document = new JsonObject();
        document.addProperty("Version", "2012-10-17");
        var array = new JsonArray();
        Arrays.stream(statements).filter(Objects::nonNull).forEach(array::add);
        document.add("Statement", array);
        return JSON.toJson(document);
    }

    /**
     * A trust policy letting exactly one Kubernetes ServiceAccount assume the role through the
     * cluster's OIDC issuer (IRSA).
     */
    public static String webIdentityTrust(String accountId, String oidcIssuer, String namespace, String serviceAccount) {
        var equals = new JsonObject();
        equals.addProperty(oidcIssuer + ":sub", "system:serviceaccount:" + namespace + ":" + serviceAccount);
        equals.addProperty(oidcIssuer + ":aud", "sts.amazonaws.com");
        var condition = new JsonObject();
        condition.add("StringEquals", equals);
        var principal = new JsonObject();
        principal.addProperty("Federated", "arn:aws:iam::" + accountId + ":oidc-provider/" + oidcIssuer);
        var statement = new JsonObject();
        statement.addProperty("Effect", "Allow");
        statement.add("Principal", principal);
        statement.addProperty("Action", "sts:AssumeRoleWithWebIdentity");
        statement.add("Condition", condition);
        return document(statement);
    }

    /**
     * A trust policy letting an AWS service assume the role, for requests on behalf of {@code accountId}
     * only ({@code aws:SourceAccount}), so the service cannot be made to use the role for another account.
     * Without an account the statement has no condition (the {@code iam-trust-exact} guardrail reports it).
     */
    public static String serviceTrust(String service, String accountId) {
        var principal = new JsonObject();
        principal.addProperty("Service", service);
        var statement = new JsonObject();
        statement.addProperty("Effect", "Allow");
        statement.add("Principal", principal);
        statement.addProperty("Action", "sts:AssumeRole");
        return document(accountId == null ? statement : when(statement, "StringEquals", "aws:SourceAccount", accountId));
    }

    private static JsonArray array(List<String> values) {
        var array = new JsonArray();
        values.forEach(array::add);
        return array;
    }
}
