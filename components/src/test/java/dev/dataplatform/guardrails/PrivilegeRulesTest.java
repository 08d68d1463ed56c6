package dev.dataplatform.guardrails;

import dev.dataplatform.core.Environment;
import dev.dataplatform.engine.PlannedResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.dataplatform.testing.Resources.resource;
import static dev.dataplatform.testing.Resources.stack;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The privilege-chain guardrails, each with a plan fragment that fails it and one that passes:
 * plaintext secrets in env literals and ConfigMap bodies, inexact trust policies, shared identities,
 * superuser-equivalent grants, dump buckets that can be rewritten.
 */
class PrivilegeRulesTest {
    static final String OIDC = "oidc.eks.eu-west-1.amazonaws.com/id/ABC";

    static String webIdentityTrust(String condition) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Federated\":"
                + "\"arn:aws:iam::210987654321:oidc-provider/" + OIDC + "\"},\"Action\":\"sts:AssumeRoleWithWebIdentity\","
                + "\"Condition\":" + condition + "}]}";
    }

    static String serviceTrust(String condition) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":"
                + "\"monitoring.rds.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"" + (condition == null ? "" : ",\"Condition\":" + condition) + "}]}";
    }

    static PlannedResource role(String name, String trust) {
        return resource(PrivilegeRules.AWS_ROLE, name).input("name", name).input("assumeRolePolicy", trust).build();
    }

    static PlannedResource ksa(String namespace, String name, String key, String identity) {
        return resource(PrivilegeRules.SERVICE_ACCOUNT, namespace + "-" + name).input("metadata.name", name)
                .input("metadata.namespace", namespace).input("metadata.annotations", Map.of(key, identity)).build();
    }

    static PlannedResource workloadIdentity(String name, String email, String ksa) {
        return resource(PrivilegeRules.GCP_SA_IAM_MEMBER, name).input("role", "roles/iam.workloadIdentityUser")
                .input("serviceAccountId", "projects/acme-data-dev/serviceAccounts/" + email)
                .input("member", "serviceAccount:acme-data-dev.svc.id.goog[" + ksa + "]").build();
    }

    static PlannedResource provider(String username) {
        return resource(PrivilegeRules.POSTGRESQL_PROVIDER, "admin").input("username", username).build();
    }

    static PlannedResource login(String name, String key, Object value) {
        return resource(PrivilegeRules.ROLE, name).input("name", name).input(key, value).build();
    }

    static PlannedResource grant(String role, String granted) {
        return resource(PrivilegeRules.GRANT_ROLE, role + "-" + granted).input("role", role).input("grantRole", granted).build();
    }

    static PlannedResource s3(String name) {
        return resource(StorageRules.S3, name).input("bucket", name).build();
    }

    /** A versioned S3 bucket with a default-retention lock rule; {@code objectLockEnabled} as the lock configuration sets it. */
    static PlannedResource[] lockedS3(String name, String objectLockEnabled) {
        var bucket = s3(name);
        var versioning = resource("aws:s3/bucketVersioningV2:BucketVersioningV2", name + "-versioning")
                .input("versioningConfiguration.status", "Enabled").dependsOn(bucket).build();
        var lock = resource("aws:s3/bucketObjectLockConfigurationV2:BucketObjectLockConfigurationV2", name + "-lock")
                .input("rule.defaultRetention.days", 30).input("rule.defaultRetention.mode", "COMPLIANCE").dependsOn(bucket);
        if (objectLockEnabled != null) {
            lock.input("objectLockEnabled", objectLockEnabled);
        }
        return new PlannedResource[] {bucket, versioning, lock.build()};
    }

    static PlannedResource gcs(String name, boolean retention) {
        var b = resource(StorageRules.GCS, name).input("name", name);
        if (retention) {
            b.input("retentionPolicy.retentionPeriod", 2592000);
        }
        return b.build();
    }

    static Arguments fires(String description, Rule rule, Severity severity, String fragment, PlannedResource... resources) {
        return Arguments.of(description, rule, severity, fragment, List.of(resources));
    }

    static Arguments passes(String description, Rule rule, PlannedResource... resources) {
        return Arguments.of(description, rule, null, null, List.of(resources));
    }

    static Stream<Arguments> cases() {
        var trust = PrivilegeRules.trustPolicies();
        var shared = PrivilegeRules.sharedIdentities();
        var superuser = PrivilegeRules.superuserGrants();
        var dumps = PrivilegeRules.dumpBucketsImmutable();
        String gsa = "data-workloads@acme-data-dev.iam.gserviceaccount.com";
        String roleArn = "arn:aws:iam::210987654321:role/dp-stage-workloads";
        return Stream.of(
                // iam-trust-exact: web identity
                fires("web identity without any condition", trust, Severity.ERROR, "without an exact subject",
                        role("r", webIdentityTrust("{}"))),
                fires("web identity with a wildcard subject", trust, Severity.ERROR, "matched with StringLike",
                        role("r", webIdentityTrust("{\"StringEquals\":{\"" + OIDC + ":aud\":\"sts.amazonaws.com\"},"
                                + "\"StringLike\":{\"" + OIDC + ":sub\":\"system:serviceaccount:*\"}}"))),
                fires("web identity with a '*' in StringEquals", trust, Severity.ERROR, "without an exact subject",
                        role("r", webIdentityTrust("{\"StringEquals\":{\"" + OIDC + ":aud\":\"sts.amazonaws.com\",\""
                                + OIDC + ":sub\":\"repo:acme/data-platform:*\"}}"))),
                fires("web identity without an audience", trust, Severity.ERROR, "without an audience",
                        role("r", webIdentityTrust("{\"StringEquals\":{\"" + OIDC + ":sub\":\"system:serviceaccount:ns:sa\"}}"))),
                passes("web identity with exact subject and audience", trust,
                        role("r", webIdentityTrust("{\"StringEquals\":{\"" + OIDC + ":aud\":\"sts.amazonaws.com\",\""
                                + OIDC + ":sub\":\"system:serviceaccount:ns:sa\"}}"))),
                // iam-trust-exact: service principals
                fires("service principal for any account", trust, Severity.ERROR, "aws:SourceAccount",
                        role("r", serviceTrust(null))),
                passes("service principal limited to this account", trust,
                        role("r", serviceTrust("{\"StringEquals\":{\"aws:SourceAccount\":\"210987654321\"}}"))),
                passes("service principal limited to one resource", trust,
                        role("r", serviceTrust("{\"ArnLike\":{\"aws:SourceArn\":\"arn:aws:rds:eu-west-1:210987654321:db:metadata\"}}"))),

                // one-identity-per-workload
                fires("one GSA annotated on two KSAs", shared, Severity.ERROR, "is used by 2 workloads: dagster/dagster, marquez/marquez",
                        ksa("dagster", "dagster", PrivilegeRules.GKE_ANNOTATION, gsa),
                        ksa("marquez", "marquez", PrivilegeRules.GKE_ANNOTATION, gsa)),
                fires("one GSA bound to two KSAs by Workload Identity", shared, Severity.ERROR, "pgstac/pgstac-migrator",
                        workloadIdentity("wi-a", gsa, "dagster/dagster"), workloadIdentity("wi-b", gsa, "pgstac/pgstac-migrator")),
                fires("one IAM role on ServiceAccounts of two namespaces", shared, Severity.ERROR, "a/app, b/app",
                        ksa("a", "app", PrivilegeRules.EKS_ANNOTATION, roleArn), ksa("b", "app", PrivilegeRules.EKS_ANNOTATION, roleArn)),
                fires("one IAM role trusting two ServiceAccounts", shared, Severity.ERROR, "a/x, b/y",
                        role("r", webIdentityTrust("{\"StringEquals\":{\"" + OIDC + ":aud\":\"sts.amazonaws.com\",\"" + OIDC
                                + ":sub\":[\"system:serviceaccount:a:x\",\"system:serviceaccount:b:y\"]}}"))),
                fires("one GSA in a Helm release's values and on a KSA", shared, Severity.ERROR, "release dagster values.serviceAccount",
                        resource(PrivilegeRules.HELM_RELEASE, "dagster").input("name", "dagster")
                                .input("values", Map.of("serviceAccount", Map.of("annotations", Map.of(PrivilegeRules.GKE_ANNOTATION, gsa))))
                                .build(),
                        ksa("marquez", "marquez", PrivilegeRules.GKE_ANNOTATION, gsa)),
                fires("a role ARN on one KSA and the same role's trust naming another", shared, Severity.ERROR,
                        "role iceberg-catalog-stage is used by 2 workloads: dagster/dagster, iceberg/polaris",
                        ksa("dagster", "dagster", PrivilegeRules.EKS_ANNOTATION, "arn:aws:iam::210987654321:role/iceberg-catalog-stage"),
                        resource(PrivilegeRules.AWS_ROLE, "r").input("name", "iceberg-catalog-stage").input("assumeRolePolicy",
                                webIdentityTrust("{\"StringEquals\":{\"" + OIDC + ":aud\":\"sts.amazonaws.com\",\"" + OIDC
                                        + ":sub\":\"system:serviceaccount:iceberg:polaris\"}}")).build()),
                passes("a role's own KSA annotated with its ARN (path included) is one workload", shared,
                        ksa("iceberg", "polaris", PrivilegeRules.EKS_ANNOTATION, "arn:aws:iam::210987654321:role/platform/iceberg-catalog-stage"),
                        resource(PrivilegeRules.AWS_ROLE, "r").input("name", "iceberg-catalog-stage").input("assumeRolePolicy",
                                webIdentityTrust("{\"StringEquals\":{\"" + OIDC + ":aud\":\"sts.amazonaws.com\",\"" + OIDC
                                        + ":sub\":\"system:serviceaccount:iceberg:polaris\"}}")).build()),
                passes("bindings on service accounts not known before deployment are not lumped together", shared,
                        resource(PrivilegeRules.GCP_SA_IAM_MEMBER, "wi-a").input("role", "roles/iam.workloadIdentityUser")
                                .input("serviceAccountId", "[unknown]").input("member", "serviceAccount:p.svc.id.goog[a/a]").build(),
                        resource(PrivilegeRules.GCP_SA_IAM_MEMBER, "wi-b").input("role", "roles/iam.workloadIdentityUser")
                                .input("serviceAccountId", "[unknown]").input("member", "serviceAccount:p.svc.id.goog[b/b]").build()),
                passes("each KSA its own GSA", shared,
                        ksa("dagster", "dagster", PrivilegeRules.GKE_ANNOTATION, "dagster@acme-data-dev.iam.gserviceaccount.com"),
                        ksa("marquez", "marquez", PrivilegeRules.GKE_ANNOTATION, "marquez@acme-data-dev.iam.gserviceaccount.com"),
                        workloadIdentity("wi-a", "dagster@acme-data-dev.iam.gserviceaccount.com", "dagster/dagster")),

                // no-superuser-grants
                fires("rds_superuser granted to a drill login", superuser, PrivilegeRules.SUPERUSER_MEMBERSHIP, "grants rds_superuser to 'dp_restore_drill'",
                        provider("platform_admin"), grant("dp_restore_drill", "rds_superuser")),
                fires("cloudsqlsuperuser as a Role membership", superuser, PrivilegeRules.SUPERUSER_MEMBERSHIP, "member of cloudsqlsuperuser",
                        provider("postgres"), login("app", "roles", List.of("cloudsqlsuperuser"))),
                fires("SUPERUSER login", superuser, Severity.ERROR, "is SUPERUSER", provider("postgres"), login("app", "superuser", true)),
                fires("CREATEROLE login (a warning: pgSTAC's migrator needs it)", superuser, Severity.WARNING, "has CREATEROLE",
                        provider("postgres"), login("pgstac_migrator", "createRole", true)),
                passes("rds_superuser for the admin itself and ordinary grants to logins", superuser,
                        provider("platform_admin"), grant("platform_admin", "rds_superuser"), grant("app", "rds_iam"),
                        login("app", "createDatabase", true)),

                // dump-bucket-immutable
                fires("S3 dump bucket without versioning", dumps, Severity.ERROR, "dump bucket without versioning",
                        s3("acme-lake-prod-rds-pg-dumps")),
                fires("GCS backup bucket without retention", dumps, Severity.ERROR, "without a retention policy",
                        gcs("acme-data-dev-pg-backups", false)),
                fires("a bucket labelled as holding dumps", dumps, Severity.ERROR, "without a retention policy",
                        resource(StorageRules.GCS, "b").input("name", "acme-archive").input("labels", Map.of("purpose", "logical-dumps")).build()),
                fires("S3 dump bucket versioned with a lock rule but Object Lock never turned on", dumps, Severity.ERROR,
                        "without an Object Lock default retention", lockedS3("acme-lake-prod-rds-pg-dumps", null)),
                passes("S3 dump bucket versioned, Object Lock turned on by its lock configuration", dumps,
                        lockedS3("acme-lake-prod-rds-pg-dumps", "Enabled")),
                passes("GCS backup bucket with a retention policy", dumps, gcs("acme-data-dev-pg-backups", true)),
                passes("a bucket that holds no dumps", dumps, s3("acme-lake-prod-curated"), gcs("acme-dumpster-fire", false)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void rule(String description, Rule rule, Severity severity, String fragment, List<PlannedResource> resources) {
        var all = new ArrayList<>(resources);
        all.add(stack());
        var findings = rule.evaluate(new PlanView(Environment.PROD, all, Map.of()));
        if (severity == null) {
            assertEquals(List.of(), findings, description);
            return;
        }
        assertFalse(findings.isEmpty(), description + ": expected " + rule.id() + " to fire");
        assertTrue(findings.stream().allMatch(f -> f.rule().equals(rule.id()) && f.severity() == severity), findings.toString());
        assertTrue(findings.stream().anyMatch(f -> f.message().contains(fragment)), description + ": '" + fragment + "' in " + findings);
    }

    // ---------------------------------------------------------------- plaintext secrets (no-plaintext-secrets)

    static Stream<Arguments> plaintext() {
        var deployment = "kubernetes:apps/v1:Deployment";
        var configMap = "kubernetes:core/v1:ConfigMap";
        return Stream.of(
                Arguments.of("env literal named like a password", resource(deployment, "app").input("spec.template.spec.containers",
                        List.of(Map.of("name", "app", "env", List.of(Map.of("name", "DB_PASSWORD", "value", "hunter2-literal"))))).build(),
                        "spec.template.spec.containers.0.env.0.value"),
                Arguments.of("env literal named like a token in Helm values", resource("kubernetes:helm.sh/v3:Release", "r")
                        .input("values.extraEnv", List.of(Map.of("name", "GITHUB_TOKEN", "value", "abc123"))).build(), "values.extraEnv.0.value"),
                Arguments.of("env literal named like an API key", resource(deployment, "app").input("spec.template.spec.containers",
                        List.of(Map.of("name", "app", "env", List.of(Map.of("name", "STRIPE_API_KEY", "value", "k-123"))))).build(),
                        "spec.template.spec.containers.0.env.0.value"),
                Arguments.of("an AWS access key anywhere", resource(deployment, "app").input("spec.template.spec.containers",
                        List.of(Map.of("name", "app", "args", List.of("--key=AKIAIOSFODNN7EXAMPLE")))).build(),
                        "spec.template.spec.containers.0.args.0"),
                Arguments.of("a private key in a ConfigMap", resource(configMap, "c").input("data",
                        Map.of("tls.key", "-----BEGIN RSA PRIVATE KEY-----\nMIIE...\n-----END RSA PRIVATE KEY-----\n")).build(), "data.tls.key"),
                Arguments.of("password= line in a ConfigMap body", resource(configMap, "c").input("data",
                        Map.of("application.properties", "db.url=jdbc:postgresql://db/app\ndb.password=hunter2\n")).build(),
                        "data.application.properties (db.password=)"),
                Arguments.of("YAML password key in a ConfigMap body", resource(configMap, "c").input("data",
                        Map.of("config.yml", "database:\n  user: app\n  password: \"hunter2\"\n")).build(), "data.config.yml (password:)"),
                Arguments.of("URI with a password in a ConfigMap body", resource(configMap, "c").input("data",
                        Map.of("marquez.yml", "url: postgresql://marquez:hunter2@db:5432/marquez\n")).build(), "data.marquez.yml"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("plaintext")
    void plaintextSecretsAreFoundAndMasked(String description, PlannedResource resource, String path) {
        var plan = new PlanView(Environment.DEV, List.of(stack(), resource), Map.of());

        var findings = SecretRules.noPlaintextSecrets().evaluate(plan);

        assertTrue(findings.stream().anyMatch(f -> f.message().startsWith("input '" + path + "'")), description + ": " + findings);
        var masked = dev.dataplatform.engine.Masking.maskPlaintextInputs(resource.type(), resource.inputs(), (p, v) -> {
        }).toString();
        for (String secret : List.of("hunter2", "abc123", "k-123", "AKIAIOSFODNN7EXAMPLE", "MIIE")) {
            assertFalse(masked.contains(secret), description + ": masked " + masked);
        }
    }

    @Test
    void referencesPathsAndExpansionsAreNotSecrets() {
        var deployment = resource("kubernetes:apps/v1:Deployment", "app").input("spec.template.spec.containers", List.of(Map.of(
                "name", "app",
                "env", List.of(
                        Map.of("name", "AWS_WEB_IDENTITY_TOKEN_FILE", "value", "/var/run/secrets/eks.amazonaws.com/serviceaccount/token"),
                        Map.of("name", "PGPASSFILE", "value", "/tokens/pgpass"),
                        Map.of("name", "DB_PASSWORD_SECRET_NAME", "value", "app-db"),
                        Map.of("name", "POLARIS_TOKEN_PARAMETER", "value", "/polaris/token"),
                        Map.of("name", "DB_PASSWORD", "valueFrom", Map.of("secretKeyRef", Map.of("name", "db", "key", "password"))),
                        Map.of("name", "password_encryption", "value", "scram-sha-256"))))).build();
        var scripts = resource("kubernetes:core/v1:ConfigMap", "scripts").input("data", Map.of(
                "pg-dump.sh", "#!/bin/sh\nPGPASSWORD=\"$(cat /secrets/password)\"\nexport PGPASSWORD\ntoken=$(aws rds generate-db-auth-token)\n",
                "app.properties", "db.passwordFile=/secrets/password\ndb.password=${DB_PASSWORD}\npassword: {{ .password }}\npasswordKey: app-db\n")).build();
        var plan = new PlanView(Environment.DEV, List.of(stack(), deployment, scripts), Map.of());

        assertEquals(List.of(), SecretRules.noPlaintextSecrets().evaluate(plan));
    }
}
