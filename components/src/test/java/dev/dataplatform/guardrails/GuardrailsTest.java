package dev.dataplatform.guardrails;

import dev.dataplatform.core.Environment;
import dev.dataplatform.engine.PlannedResource;
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
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Table-driven: each case is a plan, the rule expected to fire (or none) and a message fragment. */
class GuardrailsTest {

    static final String DEPLOYMENT = "kubernetes:apps/v1:Deployment";
    static final String NAMESPACE = "kubernetes:core/v1:Namespace";
    static final String NETWORK_POLICY = "kubernetes:networking.k8s.io/v1:NetworkPolicy";

    static Map<String, Object> restrictedContainer(String name) {
        return Map.of(
                "name", name,
                "image", "busybox:1.36",
                "resources", Map.of("requests", Map.of("cpu", "100m", "memory", "128Mi"),
                        "limits", Map.of("cpu", "500m", "memory", "256Mi")),
                "securityContext", Map.of("runAsNonRoot", true, "allowPrivilegeEscalation", false,
                        "readOnlyRootFilesystem", true,
                        "capabilities", Map.of("drop", List.of("ALL")),
                        "seccompProfile", Map.of("type", "RuntimeDefault")));
    }

    static Map<String, Object> writableRoot(String name) {
        var container = new java.util.LinkedHashMap<>(restrictedContainer(name));
        var security = new java.util.LinkedHashMap<Object, Object>((Map<?, ?>) container.get("securityContext"));
        security.put("readOnlyRootFilesystem", false);
        container.put("securityContext", security);
        return container;
    }

    static PlannedResource deployment(Map<String, Object> container) {
        return resource(DEPLOYMENT, "app").input("spec.template.spec.containers", List.of(container))
                .input("spec.template.spec.automountServiceAccountToken", false).build();
    }

    static Map<String, Object> without(Map<String, Object> map, String key) {
        var copy = new java.util.LinkedHashMap<>(map);
        copy.remove(key);
        return copy;
    }

    static PlannedResource namespace(String name, boolean restricted) {
        var ns = resource(NAMESPACE, name).input("metadata.name", name);
        if (restricted) {
            ns.input("metadata.labels", Map.of("pod-security.kubernetes.io/enforce", "restricted"));
        }
        return ns.build();
    }

    static PlannedResource defaultDeny(String namespace) {
        return resource(NETWORK_POLICY, namespace + "-default-deny")
                .input("metadata.namespace", namespace)
                .input("spec.podSelector", Map.of())
                .input("spec.policyTypes", List.of("Ingress", "Egress"))
                .build();
    }

    static final Map<String, Object> LIMITS = Map.of("requests", Map.of("cpu", "1", "memory", "1Gi"),
            "limits", Map.of("cpu", "1", "memory", "1Gi"));
    static final Map<String, Object> POD = Map.of("runAsNonRoot", true, "seccompProfile", Map.of("type", "RuntimeDefault"));
    static final Map<String, Object> CONTAINER = Map.of("allowPrivilegeEscalation", false,
            "capabilities", Map.of("drop", List.of("ALL")));

    static PlannedResource release(Map<String, Object> values) {
        return resource("kubernetes:helm.sh/v3:Release", "chart").input("values", values).build();
    }

    static Arguments clean(String description, Environment env, PlannedResource... resources) {
        return Arguments.of(description, env, List.of(resources), Map.of(), null, null, Severity.ERROR);
    }

    static Arguments fires(String description, Environment env, String rule, String fragment, PlannedResource... resources) {
        return Arguments.of(description, env, List.of(resources), Map.of(), rule, fragment, Severity.ERROR);
    }

    static Arguments warns(String description, Environment env, String rule, String fragment, PlannedResource... resources) {
        return Arguments.of(description, env, List.of(resources), Map.of(), rule, fragment, Severity.WARNING);
    }

    static Stream<Arguments> cases() {
        var sql = "gcp:sql/databaseInstance:DatabaseInstance";
        return Stream.of(
                // stateful-protected
                fires("unprotected database in prod", Environment.PROD, "stateful-protected", "not protected in prod",
                        resource(sql, "pg").build()),
                fires("undeletable-by-API off in stage", Environment.STAGE, "database-deletion-protection", "deletion protection is off",
                        resource(sql, "pg").protect(true).build()),
                fires("unprotected bucket in stage", Environment.STAGE, "stateful-protected", "not protected in stage",
                        resource("aws:s3/bucketV2:BucketV2", "raw").build()),
                fires("unprotected SGCluster in prod", Environment.PROD, "stateful-protected", "SGCluster",
                        resource("kubernetes:stackgres.io/v1:SGCluster", "acme").build()),
                clean("protected volume in prod", Environment.PROD, resource("kubernetes:core/v1:PersistentVolumeClaim", "v").protect(true).build()),
                clean("unprotected volume in dev is disposable", Environment.DEV, resource("kubernetes:core/v1:PersistentVolumeClaim", "v").build()),
                clean("stateless resource needs no protection", Environment.PROD,
                        resource("gcp:serviceaccount/account:Account", "sa").build()),

                // explicit-database-provider
                fires("postgresql role on the default provider", Environment.DEV, "explicit-database-provider",
                        "uses the default provider", resource("postgresql:index/role:Role", "r").build()),

                // no-plaintext-secrets
                fires("password input in plain text", Environment.DEV, "no-plaintext-secrets", "'password'",
                        resource("gcp:sql/user:User", "u").input("password", "hunter2").build()),
                fires("nested token in plain text", Environment.DEV, "no-plaintext-secrets", "'values.auth.token'",
                        resource("kubernetes:helm.sh/v3:Release", "r").input("values.auth.token", "abc").build()),
                fires("URI with a password", Environment.DEV, "no-plaintext-secrets", "'value'",
                        resource("aws:ssm/parameter:Parameter", "p").input("value", "postgres://app:pw@db:5432/x").build()),
                fires("literal Kubernetes Secret data", Environment.DEV, "no-plaintext-secrets", "'stringData.url'",
                        resource("kubernetes:core/v1:Secret", "s").input("stringData.url", "anything").build()),
                clean("masked secret", Environment.DEV,
                        resource("gcp:sql/user:User", "u").input("password", "[secret]").build()),
                clean("unknown secret", Environment.DEV,
                        resource("gcp:sql/user:User", "u").input("password", "[unknown]").build()),
                clean("reference to a secret by name", Environment.DEV,
                        resource("kubernetes:helm.sh/v3:Release", "r").input("values.global.postgresqlSecretName", "dagster-pg").build()),
                clean("URI without a password", Environment.DEV,
                        resource("aws:ssm/parameter:Parameter", "p").input("value", "postgresql://app@127.0.0.1:5432/pgstac").build()),
                clean("boolean switch named like a secret", Environment.DEV,
                        resource("aws:secretsmanager/secret:Secret", "s").input("manageMasterUserPassword", true).build()),

                clean("SecretKeySelector under a secret-named key", Environment.DEV,
                        resource("kubernetes:stackgres.io/v1:SGCluster", "c").protect(true)
                                .input("spec.configurations.binding.password", Map.of("name", "app-credentials", "key", "password"))
                                .build()),
                clean("secret selected by name", Environment.DEV,
                        resource("kubernetes:external-secrets.io/v1alpha1:PushSecret", "p")
                                .input("spec.selector.secret", Map.of("name", "acme-binding")).build()),
                clean("template expression filled in by an operator", Environment.DEV,
                        resource("kubernetes:external-secrets.io/v1:ExternalSecret", "e")
                                .input("spec.target.template.data.password", "{{ .password }}").build()),
                fires("password next to a name is still a value", Environment.DEV, "no-plaintext-secrets", "'auth.password'",
                        resource("kubernetes:helm.sh/v3:Release", "r")
                                .input("auth", Map.of("name", "admin", "password", "hunter2")).build()),
                fires("template text around a literal secret", Environment.DEV, "no-plaintext-secrets", "'values.token'",
                        resource("kubernetes:helm.sh/v3:Release", "r").input("values.token", "abc{{ .x }}").build()),
                fires("a Secret's data is never a reference", Environment.DEV, "no-plaintext-secrets", "'stringData.db.name'",
                        resource("kubernetes:core/v1:Secret", "s").input("stringData.db", Map.of("name", "root")).build()),

                // Helm values
                clean("restricted pod block with limits", Environment.DEV,
                        release(Map.of("web", Map.of("resources", LIMITS, "podSecurityContext", POD, "securityContext", CONTAINER)))),
                fires("pod block without limits", Environment.DEV, "helm-values-resources", "values.web sets no resources.limits.cpu",
                        release(Map.of("web", Map.of("resources", Map.of("requests", Map.of("cpu", "1", "memory", "1Gi")),
                                "podSecurityContext", POD, "securityContext", CONTAINER)))),
                fires("pod block that may escalate", Environment.DEV, "helm-values-restricted", "allowPrivilegeEscalation is not false",
                        release(Map.of("deployments", List.of(Map.of("name", "x", "resources", LIMITS, "podSecurityContext", POD,
                                "securityContext", Map.of("capabilities", Map.of("drop", List.of("ALL")))))))),
                fires("LoadBalancer in values", Environment.DEV, "helm-values-load-balancer", "values.web.service is a LoadBalancer",
                        release(Map.of("web", Map.of("service", Map.of("type", "LoadBalancer"))))),
                clean("LoadBalancer in values allowed on purpose", Environment.DEV, release(Map.of("web", Map.of("service",
                        Map.of("type", "LoadBalancer", "annotations", Map.of("data-platform.dev/allow-load-balancer", "true")))))),

                // tenant-decommission
                warns("decommissioned cluster in prod is a warning", Environment.PROD, "tenant-decommission", "decommissioned",
                        resource("kubernetes:stackgres.io/v1:SGCluster", "acme")
                                .input("metadata.labels", Map.of("data-platform.dev/decommission", "true")).build()),
                fires("a label with another value does not unprotect", Environment.PROD, "stateful-protected", "not protected",
                        resource("kubernetes:stackgres.io/v1:SGCluster", "acme")
                                .input("metadata.labels", Map.of("data-platform.dev/decommission", "later")).build()),

                // least-privilege-iam
                fires("GCP owner role", Environment.DEV, "least-privilege-iam", "roles/owner",
                        resource("gcp:projects/iAMMember:IAMMember", "m").input("role", "roles/owner").build()),
                fires("GCP admin role", Environment.DEV, "least-privilege-iam", "roles/cloudsql.admin",
                        resource("gcp:projects/iAMMember:IAMMember", "m").input("role", "roles/cloudsql.admin").build()),
                fires("AWS AdministratorAccess", Environment.DEV, "least-privilege-iam", "AdministratorAccess",
                        resource("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "a")
                                .input("policyArn", "arn:aws:iam::aws:policy/AdministratorAccess").build()),
                fires("AWS wildcard action", Environment.DEV, "least-privilege-iam", "'s3:*'",
                        resource("aws:iam/policy:Policy", "p").input("policy",
                                "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"s3:*\"],\"Resource\":\"*\"}]}").build()),
                clean("narrow GCP role", Environment.DEV,
                        resource("gcp:projects/iAMMember:IAMMember", "m").input("role", "roles/cloudsql.client").build()),
                clean("narrow AWS policy", Environment.DEV,
                        resource("aws:iam/policy:Policy", "p").input("policy",
                                "{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::b/*\"}}").build()),
                clean("deny statement with wildcard", Environment.DEV,
                        resource("aws:s3/bucketPolicy:BucketPolicy", "p").input("policy",
                                "{\"Statement\":[{\"Effect\":\"Deny\",\"Action\":\"s3:*\",\"Resource\":\"*\"}]}").build()),

                // container-resources and pod-security-restricted
                clean("restricted container with resources", Environment.DEV, deployment(restrictedContainer("app"))),
                fires("container without resources", Environment.DEV, "container-resources", "requests.cpu",
                        deployment(without(restrictedContainer("app"), "resources"))),
                fires("container without security context", Environment.DEV, "pod-security-restricted", "runAsNonRoot",
                        deployment(without(restrictedContainer("app"), "securityContext"))),
                fires("init container is checked too", Environment.DEV, "container-resources", "'proxy'",
                        resource(DEPLOYMENT, "app")
                                .input("spec.template.spec.automountServiceAccountToken", false)
                                .input("spec.template.spec.containers", List.of(restrictedContainer("app")))
                                .input("spec.template.spec.initContainers", List.of(without(restrictedContainer("proxy"), "resources")))
                                .build()),
                fires("CronJob pod spec is checked", Environment.DEV, "pod-security-restricted", "allowPrivilegeEscalation",
                        resource("kubernetes:batch/v1:CronJob", "job").input("spec.jobTemplate.spec.template.spec.containers",
                                List.of(Map.of("name", "c", "resources", restrictedContainer("c").get("resources"),
                                        "securityContext", Map.of("runAsNonRoot", true,
                                                "capabilities", Map.of("drop", List.of("ALL")),
                                                "seccompProfile", Map.of("type", "RuntimeDefault"))))).build()),

                // pod-api-token and read-only-root-filesystem
                fires("a Deployment whose pods get the API token", Environment.DEV, "pod-api-token", "automountServiceAccountToken: false",
                        resource(DEPLOYMENT, "app").input("spec.template.spec.containers", List.of(restrictedContainer("app"))).build()),
                fires("a CronJob whose pods get the API token", Environment.DEV, "pod-api-token", "data-platform.dev/kubernetes-api",
                        resource("kubernetes:batch/v1:CronJob", "job")
                                .input("spec.jobTemplate.spec.template.spec.automountServiceAccountToken", true)
                                .input("spec.jobTemplate.spec.template.spec.containers", List.of(restrictedContainer("c"))).build()),
                clean("a workload that records why its pods call the API", Environment.DEV,
                        resource(DEPLOYMENT, "operator").input("metadata.annotations",
                                        Map.of("data-platform.dev/kubernetes-api", "leader election through Leases"))
                                .input("spec.template.spec.containers", List.of(restrictedContainer("operator"))).build()),
                fires("a blank reason is no reason", Environment.DEV, "pod-api-token", "automountServiceAccountToken",
                        resource(DEPLOYMENT, "operator").input("metadata.annotations", Map.of("data-platform.dev/kubernetes-api", " "))
                                .input("spec.template.spec.containers", List.of(restrictedContainer("operator"))).build()),
                warns("a container with a writable root filesystem", Environment.DEV, "read-only-root-filesystem", "'app'",
                        deployment(writableRoot("app"))),
                clean("a writable root filesystem with a recorded reason", Environment.DEV,
                        resource(DEPLOYMENT, "db").input("metadata.annotations",
                                        Map.of("data-platform.dev/writable-root-filesystem", "initdb writes /var/run/postgresql"))
                                .input("spec.template.spec.automountServiceAccountToken", false)
                                .input("spec.template.spec.containers", List.of(writableRoot("db"))).build()),

                // namespaces
                clean("restricted namespace with default deny", Environment.DEV, namespace("tenant-a", true), defaultDeny("tenant-a")),
                fires("namespace without pod security label", Environment.DEV, "namespace-pod-security", "restricted",
                        namespace("tenant-a", false), defaultDeny("tenant-a")),
                fires("namespace without default deny", Environment.DEV, "namespace-default-deny", "'tenant-a'",
                        namespace("tenant-a", true)),
                clean("baseline with a recorded exception, warning at restricted", Environment.DEV,
                        resource(NAMESPACE, "tenant-a").input("metadata.name", "tenant-a")
                                .input("metadata.labels", Map.of("pod-security.kubernetes.io/enforce", "baseline",
                                        "pod-security.kubernetes.io/warn", "restricted"))
                                .input("metadata.annotations", Map.of("data-platform.dev/pod-security-exception", "operator pods"))
                                .build(), defaultDeny("tenant-a")),
                fires("baseline without a recorded exception", Environment.DEV, "namespace-pod-security", "pod-security-exception",
                        resource(NAMESPACE, "tenant-a").input("metadata.name", "tenant-a")
                                .input("metadata.labels", Map.of("pod-security.kubernetes.io/enforce", "baseline",
                                        "pod-security.kubernetes.io/warn", "restricted")).build(), defaultDeny("tenant-a")),
                fires("baseline that does not warn at restricted", Environment.DEV, "namespace-pod-security", "warn=restricted",
                        resource(NAMESPACE, "tenant-a").input("metadata.name", "tenant-a")
                                .input("metadata.labels", Map.of("pod-security.kubernetes.io/enforce", "baseline"))
                                .input("metadata.annotations", Map.of("data-platform.dev/pod-security-exception", "operator pods"))
                                .build(), defaultDeny("tenant-a")),
                fires("privileged even with an exception", Environment.DEV, "namespace-pod-security", "restricted",
                        resource(NAMESPACE, "tenant-a").input("metadata.name", "tenant-a")
                                .input("metadata.labels", Map.of("pod-security.kubernetes.io/enforce", "privileged",
                                        "pod-security.kubernetes.io/warn", "restricted"))
                                .input("metadata.annotations", Map.of("data-platform.dev/pod-security-exception", "operator pods"))
                                .build(), defaultDeny("tenant-a")),
                fires("a policy with allow rules is not a default deny", Environment.DEV, "namespace-default-deny", "'tenant-a'",
                        namespace("tenant-a", true),
                        resource(NETWORK_POLICY, "allow").input("metadata.namespace", "tenant-a")
                                .input("spec.podSelector", Map.of()).input("spec.policyTypes", List.of("Ingress", "Egress"))
                                .input("spec.ingress", List.of(Map.of("from", List.of()))).build()),
                fires("default deny in another namespace does not count", Environment.DEV, "namespace-default-deny", "'tenant-a'",
                        namespace("tenant-a", true), defaultDeny("tenant-b")),

                // database-* (complete instances are covered by the component tests)
                fires("Cloud SQL with a public IP", Environment.DEV, "database-private-only", "public IP",
                        resource(sql, "pg").input("settings.ipConfiguration.ipv4Enabled", true)
                                .input("settings.ipConfiguration.requireSsl", true)
                                .input("settings.backupConfiguration.enabled", true)
                                .input("settings.databaseFlags", List.of(Map.of("name", "cloudsql.iam_authentication", "value", "on")))
                                .input("settings.ipConfiguration.privateNetwork", "projects/p/global/networks/n").build()),
                fires("Cloud SQL without TLS", Environment.DEV, "database-tls", "unencrypted connections",
                        resource(sql, "pg").input("settings.ipConfiguration.ipv4Enabled", false).build()),
                // database-provider-tls
                fires("postgresql provider without sslmode", Environment.DEV, "database-provider-tls", "sslmode unset",
                        resource("pulumi:providers:postgresql", "p").input("host", "10.0.0.3").build()),
                fires("postgresql provider with sslmode disable", Environment.DEV, "database-provider-tls", "allowed: scheme gcppostgres",
                        resource("pulumi:providers:postgresql", "p").input("sslmode", "disable").build()),
                clean("postgresql provider through the Cloud SQL connector", Environment.DEV,
                        resource("pulumi:providers:postgresql", "p").input("scheme", "gcppostgres").build()),
                clean("postgresql provider with verified RDS TLS", Environment.DEV,
                        resource("pulumi:providers:postgresql", "p").input("scheme", "awspostgres").build()),
                clean("postgresql provider with sslmode verify-full", Environment.DEV,
                        resource("pulumi:providers:postgresql", "p").input("sslmode", "verify-full").build()),
                fires("Cloud SQL without IAM auth", Environment.DEV, "database-iam-auth", "cloudsql.iam_authentication",
                        resource(sql, "pg").build()),
                fires("RDS publicly accessible", Environment.DEV, "database-private-only", "publiclyAccessible false",
                        resource("aws:rds/instance:Instance", "db").input("publiclyAccessible", true)
                                .input("storageEncrypted", true).input("backupRetentionPeriod", 1L).build()),
                fires("RDS unencrypted", Environment.DEV, "database-encryption", "storageEncrypted true",
                        resource("aws:rds/instance:Instance", "db").input("publiclyAccessible", false)
                                .input("backupRetentionPeriod", 1L).build()),
                fires("RDS without backups", Environment.DEV, "database-backups", "backupRetentionPeriod",
                        resource("aws:rds/instance:Instance", "db").input("publiclyAccessible", false)
                                .input("storageEncrypted", true).input("backupRetentionPeriod", 0L).build()),
                fires("single-AZ RDS in prod", Environment.PROD, "database-high-availability", "multiAz true",
                        resource("aws:rds/instance:Instance", "db").protect(true).build()),

                // bucket-* (complete buckets are covered by the component tests)
                fires("S3 bucket without a public access block", Environment.DEV, "bucket-public-access", "public access block",
                        resource("aws:s3/bucketV2:BucketV2", "b").input("bucket", "lake-dev-curated").build()),
                fires("S3 bucket without a TLS-only policy", Environment.DEV, "bucket-tls-only", "aws:SecureTransport",
                        resource("aws:s3/bucketV2:BucketV2", "b").input("bucket", "lake-dev-curated").build()),
                fires("S3 bucket without encryption", Environment.DEV, "bucket-encryption", "no default encryption",
                        resource("aws:s3/bucketV2:BucketV2", "b").input("bucket", "lake-dev-curated").build()),
                fires("S3 raw bucket without Object Lock", Environment.DEV, "bucket-raw-immutable", "raw bucket without versioning",
                        resource("aws:s3/bucketV2:BucketV2", "b").input("bucket", "lake-dev-raw").build()),
                fires("public GCS bucket", Environment.DEV, "bucket-public-access", "publicAccessPrevention enforced",
                        resource("gcp:storage/bucket:Bucket", "b").input("name", "lake-dev-curated").input("publicAccessPrevention", "inherited")
                                .input("uniformBucketLevelAccess", true).build()),
                fires("GCS raw bucket without retention", Environment.DEV, "bucket-raw-immutable", "without a retention policy",
                        resource("gcp:storage/bucket:Bucket", "b").input("name", "lake-dev-raw").input("publicAccessPrevention", "enforced")
                                .input("uniformBucketLevelAccess", true).build()),

                // no-load-balancer
                fires("LoadBalancer service", Environment.DEV, "no-load-balancer", "LoadBalancer",
                        resource("kubernetes:core/v1:Service", "pg").input("spec.type", "LoadBalancer").build()),
                clean("ClusterIP service", Environment.DEV,
                        resource("kubernetes:core/v1:Service", "pg").input("spec.type", "ClusterIP").build()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void rule(String description, Environment env, List<PlannedResource> resources, Map<String, Object> outputs,
              String rule, String fragment, Severity severity) {
        var all = new ArrayList<PlannedResource>(resources);
        all.add(stack());
        var findings = Guardrails.evaluate(new PlanView(env, all, outputs));
        if (rule == null) {
            assertEquals(List.of(), findings, description);
            return;
        }
        var matching = findings.stream().filter(f -> f.rule().equals(rule)).toList();
        if (matching.isEmpty()) {
            fail(description + ": expected rule " + rule + " to fire; findings: " + findings);
        }
        assertTrue(matching.stream().anyMatch(f -> f.message().contains(fragment) && f.severity() == severity),
                description + ": no " + severity + " message containing '" + fragment + "' in " + matching);
        if (severity == Severity.WARNING) {
            assertTrue(findings.stream().noneMatch(f -> f.severity() == Severity.ERROR), description + ": " + findings);
        }
    }
}
