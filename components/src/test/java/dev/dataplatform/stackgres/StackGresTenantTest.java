package dev.dataplatform.stackgres;

import com.google.gson.JsonParser;
import com.pulumi.resources.ComponentResourceOptions;
import dev.dataplatform.access.Access;
import dev.dataplatform.core.Environment;
import dev.dataplatform.engine.Masking;
import dev.dataplatform.engine.PlannedResource;
import dev.dataplatform.guardrails.Severity;
import dev.dataplatform.kubernetes.crd.Keda;
import dev.dataplatform.testing.Harness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StackGresTenantTest {
    static final String CLUSTER = "kubernetes:stackgres.io/v1:SGCluster";
    static final String SHARDED = "kubernetes:stackgres.io/v1alpha1:SGShardedCluster";
    static final String SCRIPT = "kubernetes:stackgres.io/v1:SGScript";
    static final String STORAGE = "kubernetes:stackgres.io/v1beta1:SGObjectStorage";
    static final String PROFILE = "kubernetes:stackgres.io/v1:SGInstanceProfile";
    static final String CONFIG = "kubernetes:stackgres.io/v1:SGPostgresConfig";
    static final String POOLING = "kubernetes:stackgres.io/v1:SGPoolingConfig";
    static final String PUSH = "kubernetes:external-secrets.io/v1alpha1:PushSecret";
    static final String EXTERNAL = "kubernetes:external-secrets.io/v1:ExternalSecret";
    static final String STORE = "kubernetes:external-secrets.io/v1:SecretStore";
    static final String PASSWORD = "kubernetes:generators.external-secrets.io/v1alpha1:Password";
    static final String SCALED = "kubernetes:keda.sh/v1alpha1:ScaledObject";
    static final String TRIGGER_AUTH = "kubernetes:keda.sh/v1alpha1:TriggerAuthentication";
    static final String POLICY = "kubernetes:networking.k8s.io/v1:NetworkPolicy";
    static final String NAMESPACE = "kubernetes:core/v1:Namespace";
    static final String ROLE = "aws:iam/role:Role";
    static final String ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
    static final String SERVICE_ACCOUNT = "kubernetes:core/v1:ServiceAccount";

    static final StackGresTenant.AwsIdentity AWS = new StackGresTenant.AwsIdentity("123456789012", "eu-west-1",
            "oidc.eks.eu-west-1.amazonaws.com/id/ABC123");
    static final StackGresTenant.BackupTarget R2 = new StackGresTenant.BackupTarget("acme-pg-backups",
            "https://0123456789abcdef.r2.cloudflarestorage.com", "/platform/prod/r2-backups", "0 3 * * *", 14);
    static final Keda.Trigger QUEUE = new Keda.Trigger("aws-sqs-queue", Map.of(
            "queueURL", "https://sqs.eu-west-1.amazonaws.com/123456789012/acme-jobs", "queueLength", "5", "awsRegion", "eu-west-1"));

    static StackGresTenant.Args.Builder tenant(Environment environment) {
        return StackGresTenant.Args.builder().client("acme").environment(environment).aws(AWS).backups(R2)
                .cluster(dev.dataplatform.kubernetes.TestClusters.EKS)
                .extensions(List.of("postgis"));
    }

    static Harness.Run run(Environment environment, StackGresTenant.Args args) {
        return Harness.preview(environment, ctx -> {
            var tenant = new StackGresTenant(args.client(), args, ComponentResourceOptions.Empty);
            ctx.export("host", tenant.host);
            ctx.export("port", tenant.port);
            ctx.export("ssmParameter", tenant.ssmParameter);
            ctx.export("secretName", tenant.secretName);
            ctx.export("secretNamespace", tenant.secretNamespace);
            ctx.export("namespace", tenant.namespace);
            ctx.export("clusterName", tenant.clusterName);
        }).succeeded();
    }

    static Object spec(PlannedResource resource, String path) {
        return resource.input("spec." + path).orElseThrow(() -> new AssertionError(resource.urn() + " has no spec." + path
                + " in " + resource.inputs()));
    }

    /** A nested value by keys (keys may contain dots, e.g. postgresql.conf). */
    static Object at(Map<String, Object> map, String... keys) {
        Object value = map;
        for (String key : keys) {
            if (!(value instanceof Map<?, ?> m) || !m.containsKey(key)) {
                throw new AssertionError("no " + String.join(" > ", keys) + " in " + map);
            }
            value = m.get(key);
        }
        return value;
    }

    @Test
    void prodTenantIsAProtectedHaClusterThatPassesTheGuardrails() {
        var run = run(Environment.PROD, tenant(Environment.PROD).build());
        var cluster = run.resource(CLUSTER, "acme-cluster");
        assertEquals("stackgres.io/v1", cluster.inputs().get("apiVersion"));
        assertEquals("SGCluster", cluster.inputs().get("kind"));
        assertEquals("acme", cluster.input("metadata.name").orElseThrow());
        assertEquals("tenant-acme", cluster.input("metadata.namespace").orElseThrow());
        assertEquals(3L, spec(cluster, "instances"));
        assertEquals("production", spec(cluster, "profile"));
        assertEquals("16", spec(cluster, "postgres.version"));
        assertEquals(List.of(Map.of("name", "postgis")), spec(cluster, "postgres.extensions"));
        assertEquals("100Gi", spec(cluster, "pods.persistentVolume.size"));
        assertEquals(true, spec(cluster, "configurations.observability.prometheusAutobind"));
        assertEquals(List.of(Map.of("sgObjectStorage", "backups", "cronSchedule", "0 3 * * *", "retention", 14L)),
                spec(cluster, "configurations.backups"));
        assertEquals(List.of(Map.of("sgScript", "access")), spec(cluster, "managedSql.scripts"));
        assertTrue(cluster.options().protect(), "a prod database survives removal from config");
        assertTrue(run.resource(NAMESPACE, "acme-namespace").options().protect(), "deleting the namespace would delete the cluster");
        // It waits for everything it references by name (the operator's webhook checks them).
        assertTrue(cluster.options().dependsOn().containsAll(List.of(
                run.resource(PROFILE, "acme-instance-profile").urn(), run.resource(CONFIG, "acme-postgres-config").urn(),
                run.resource(SCRIPT, "acme-access-script").urn(), run.resource(STORAGE, "acme-backup-storage").urn())));
        assertEquals(List.of(), run.findings(Environment.PROD));
    }

    @ParameterizedTest
    @EnumSource(Environment.class)
    void sizeFollowsTheEnvironmentAndOnlyDevIsUnprotected(Environment environment) {
        var run = run(environment, tenant(environment).build());
        var size = StackGresTenant.Size.defaults(environment);
        var cluster = run.resource(CLUSTER, "acme-cluster");
        assertEquals(size.instances(), ((Number) spec(cluster, "instances")).intValue());
        assertEquals(size.storageGiB() + "Gi", spec(cluster, "pods.persistentVolume.size"));
        var profile = run.resource(PROFILE, "acme-instance-profile");
        assertEquals(size.cpu(), spec(profile, "cpu"));
        assertEquals(size.memoryGiB() + "Gi", spec(profile, "memory"));
        var config = run.resource(CONFIG, "acme-postgres-config");
        assertEquals("16", spec(config, "postgresVersion"));
        assertEquals((size.memoryGiB() * 256) + "MB", at(config.inputs(), "spec", "postgresql.conf", "shared_buffers"));
        assertEquals("scram-sha-256", at(config.inputs(), "spec", "postgresql.conf", "password_encryption"));
        assertEquals(environment != Environment.DEV, cluster.options().protect());
        assertEquals(environment == Environment.DEV ? "development" : "production", spec(cluster, "profile"));
    }

    @Test
    void overridesReplaceTheEnvironmentSize() {
        var run = run(Environment.STAGE, tenant(Environment.STAGE)
                .size(new StackGresTenant.Size(1, "250m", 2, 20)).storageClass("gp3").postgresVersion("17").build());
        var cluster = run.resource(CLUSTER, "acme-cluster");
        assertEquals(1, ((Number) spec(cluster, "instances")).intValue());
        assertEquals("20Gi", spec(cluster, "pods.persistentVolume.size"));
        assertEquals("gp3", spec(cluster, "pods.persistentVolume.storageClass"));
        assertEquals("17", spec(cluster, "postgres.version"));
        assertEquals("250m", spec(run.resource(PROFILE, "acme-instance-profile"), "cpu"));
        assertEquals("postgres-17", run.resource(CONFIG, "acme-postgres-config").input("metadata.name").orElseThrow());
    }

    @Test
    void backupsGoToR2WithCredentialsOnlyByReference() {
        var run = run(Environment.PROD, tenant(Environment.PROD).build());
        var storage = run.resource(STORAGE, "acme-backup-storage");
        assertEquals("s3Compatible", spec(storage, "type"));
        // The tenant's own prefix in the shared bucket (the CRD's bucket pattern takes a path).
        assertEquals("acme-pg-backups/acme", spec(storage, "s3Compatible.bucket"));
        assertEquals("auto", spec(storage, "s3Compatible.region"));
        assertEquals("https://0123456789abcdef.r2.cloudflarestorage.com", spec(storage, "s3Compatible.endpoint"));
        assertEquals(true, spec(storage, "s3Compatible.enablePathStyleAddressing"));
        assertEquals(Map.of("name", "backup-credentials", "key", "accessKeyId"),
                spec(storage, "s3Compatible.awsCredentials.secretKeySelectors.accessKeyId"));
        assertEquals(Map.of("name", "backup-credentials", "key", "secretAccessKey"),
                spec(storage, "s3Compatible.awsCredentials.secretKeySelectors.secretAccessKey"));
        // The referenced Secret is written by ESO from SSM, through the tenant's store.
        var keys = run.resource(EXTERNAL, "acme-backup-credentials");
        assertEquals("backup-credentials", spec(keys, "target.name"));
        assertEquals(List.of(
                        Map.of("secretKey", "accessKeyId", "remoteRef", Map.of("key", "/platform/prod/r2-backups/acme/access-key-id")),
                        Map.of("secretKey", "secretAccessKey", "remoteRef", Map.of("key", "/platform/prod/r2-backups/acme/secret-access-key"))),
                spec(keys, "data"));
        assertEquals(Map.of("name", "parameter-store", "kind", "SecretStore"), spec(keys, "secretStoreRef"));
    }

    @Test
    void twoTenantsEachReadOnlyTheirOwnBackupKeysAndNeverThePlatformWideOnes() {
        var run = Harness.preview(Environment.PROD, ctx -> {
            for (String client : List.of("acme", "globex")) {
                new StackGresTenant(client, tenant(Environment.PROD).client(client).build(), ComponentResourceOptions.Empty);
            }
        }).succeeded();
        var byUrn = new java.util.HashMap<String, PlannedResource>();
        run.resources().forEach(r -> byUrn.put(r.urn(), r));
        for (String client : List.of("acme", "globex")) {
            String other = client.equals("acme") ? "globex" : "acme";
            assertEquals("acme-pg-backups/" + client, spec(run.resource(STORAGE, client + "-backup-storage"), "s3Compatible.bucket"));
            var writer = JsonParser.parseString((String) run.resource(ROLE_POLICY, client + "-db-url-writer").inputs().get("policy"))
                    .getAsJsonObject().getAsJsonArray("Statement");
            assertEquals("[\"arn:aws:ssm:eu-west-1:123456789012:parameter/platform/prod/r2-backups/" + client + "/access-key-id\","
                    + "\"arn:aws:ssm:eu-west-1:123456789012:parameter/platform/prod/r2-backups/" + client + "/secret-access-key\"]",
                    writer.get(1).getAsJsonObject().get("Resource").toString());
            // Nothing of this tenant (policies, ExternalSecrets, anything) names the other's keys or the platform-wide ones.
            var mine = run.resources().stream().filter(r -> client.equals(tenantOf(r, byUrn))).toList();
            assertTrue(mine.stream().anyMatch(r -> r.type().equals(ROLE_POLICY)) && mine.stream().anyMatch(r -> r.type().equals(EXTERNAL)));
            for (PlannedResource r : mine) {
                String inputs = r.inputs().toString();
                assertFalse(inputs.contains("r2-backups/" + other + "/") || inputs.contains("/" + other + "/prod/"), r.urn() + ": " + inputs);
                assertFalse(inputs.contains("r2-backups/access-key-id") || inputs.contains("r2-backups/secret-access-key"),
                        r.urn() + ": " + inputs);
            }
        }
        assertTrue(run.findings(Environment.PROD).stream().noneMatch(f -> f.rule().equals("tenant-credential-isolation")),
                run.findings(Environment.PROD).toString());

        // The guardrail catches a tenant policy that reaches the platform-wide key or another tenant's.
        var policy = run.resource(ROLE_POLICY, "acme-db-url-writer");
        for (String leaked : List.of("/platform/prod/r2-backups/access-key-id", "/platform/prod/r2-backups/globex/access-key-id")) {
            var inputs = new java.util.LinkedHashMap<>(policy.inputs());
            inputs.put("policy", ((String) inputs.get("policy")).replace("/platform/prod/r2-backups/acme/access-key-id", leaked));
            var bad = new PlannedResource(policy.urn(), policy.type(), policy.name(), policy.parent(), true, inputs, policy.options());
            var resources = new java.util.ArrayList<>(run.resources());
            resources.replaceAll(r -> r.urn().equals(policy.urn()) ? bad : r);
            var findings = dev.dataplatform.guardrails.Guardrails.evaluate(new dev.dataplatform.guardrails.PlanView(Environment.PROD,
                    resources, Map.of())).stream().filter(f -> f.rule().equals("tenant-credential-isolation")).toList();
            assertEquals(1, findings.size(), findings.toString());
            assertEquals(policy.urn(), findings.get(0).resource());
            assertTrue(findings.get(0).message().contains("tenant 'acme' reaches SSM parameter " + leaked), findings.get(0).message());
        }
    }

    /** The client whose StackGresTenant a resource is declared under, or null. */
    static String tenantOf(PlannedResource resource, Map<String, PlannedResource> byUrn) {
        for (String urn = resource.parent(); urn != null; urn = byUrn.containsKey(urn) ? byUrn.get(urn).parent() : null) {
            if (byUrn.containsKey(urn) && byUrn.get(urn).type().equals("dataplatform:kubernetes:StackGresTenant")) {
                return byUrn.get(urn).name();
            }
        }
        return null;
    }

    @Test
    void theUriIsPushedToSsmAsSecureStringAndPulledIntoTheAppNamespace() {
        var run = run(Environment.PROD, tenant(Environment.PROD).appNamespace("acme-apps").build());
        var push = run.resource(PUSH, "acme-database-url-push");
        assertEquals("tenant-acme", push.input("metadata.namespace").orElseThrow());
        assertEquals("acme-binding", spec(push, "selector.secret.name"));
        assertEquals(List.of(Map.of("name", "parameter-store", "kind", "SecretStore")), spec(push, "secretStoreRefs"));
        assertEquals(List.of(Map.of(
                "match", Map.of("secretKey", "uri", "remoteRef", Map.of("remoteKey", "/acme/prod/database/url")),
                "metadata", Map.of("apiVersion", "kubernetes.external-secrets.io/v1alpha1", "kind", "PushSecretMetadata",
                        "spec", Map.of("secretType", "SecureString")))), spec(push, "data"));
        assertEquals("None", spec(push, "deletionPolicy"), "deleting the PushSecret never deletes the parameter");
        // A regenerated password reaches the app's Secret within two short intervals (push, then pull).
        assertEquals("1m", spec(push, "refreshInterval"));

        var pull = run.resource(EXTERNAL, "acme-app-database-url");
        assertEquals("acme-apps", pull.input("metadata.namespace").orElseThrow());
        assertEquals("acme-database-url", spec(pull, "target.name"));
        assertEquals("1m", spec(pull, "refreshInterval"));
        assertEquals(List.of(Map.of("secretKey", "DATABASE_URL", "remoteRef", Map.of("key", "/acme/prod/database/url"))),
                spec(pull, "data"));
        var appStore = run.resource(STORE, "acme-app-parameter-store");
        assertEquals("acme-apps", appStore.input("metadata.namespace").orElseThrow());
        assertEquals(Map.of("service", "ParameterStore", "region", "eu-west-1",
                        "auth", Map.of("jwt", Map.of("serviceAccountRef", Map.of("name", "acme-db-url-reader")))),
                spec(appStore, "provider.aws"));

        assertEquals("/acme/prod/database/url", run.output("ssmParameter"));
        assertEquals("acme-database-url", run.output("secretName"));
        assertEquals("acme-apps", run.output("secretNamespace"));
        assertEquals("acme.tenant-acme.svc.cluster.local", run.output("host"));
        assertEquals(5432, ((Number) run.output("port")).intValue());
        assertEquals("tenant-acme", run.output("namespace"));
        assertEquals("acme", run.output("clusterName"));
    }

    @Test
    void irsaRolesMayTouchOnlyTheirParameterFromTheirServiceAccount() {
        var run = run(Environment.PROD, tenant(Environment.PROD).build());
        var writer = run.resource(ROLE, "acme-db-url-writer");
        assertEquals("dp-prod-acme-db-url-writer", writer.inputs().get("name"));
        var trust = JsonParser.parseString((String) writer.inputs().get("assumeRolePolicy")).getAsJsonObject()
                .getAsJsonArray("Statement").get(0).getAsJsonObject();
        assertEquals("arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC123",
                trust.getAsJsonObject("Principal").get("Federated").getAsString());
        assertEquals("system:serviceaccount:tenant-acme:db-url-writer", trust.getAsJsonObject("Condition")
                .getAsJsonObject("StringEquals").get("oidc.eks.eu-west-1.amazonaws.com/id/ABC123:sub").getAsString());

        var writerPolicy = JsonParser.parseString((String) run.resource(ROLE_POLICY, "acme-db-url-writer").inputs().get("policy"))
                .getAsJsonObject().getAsJsonArray("Statement");
        assertEquals("[\"arn:aws:ssm:eu-west-1:123456789012:parameter/acme/prod/database/url\"]",
                writerPolicy.get(0).getAsJsonObject().get("Resource").toString());
        var readerPolicy = JsonParser.parseString((String) run.resource(ROLE_POLICY, "acme-db-url-reader").inputs().get("policy"))
                .getAsJsonObject().getAsJsonArray("Statement");
        assertEquals(1, readerPolicy.size());
        assertEquals("[\"ssm:GetParameter\"]", readerPolicy.get(0).getAsJsonObject().get("Action").toString());

        var account = run.resource(SERVICE_ACCOUNT, "acme-db-url-writer");
        assertEquals("tenant-acme", account.input("metadata.namespace").orElseThrow());
        assertEquals(Masking.UNKNOWN, account.input("metadata.annotations").orElseThrow(),
                "the role ARN is known only after the role exists");
    }

    @Test
    void theAppPasswordIsGeneratedByEsoAndNeverInAnInput() {
        var run = run(Environment.PROD, tenant(Environment.PROD).build());
        var generator = run.resource(PASSWORD, "acme-app-password");
        assertEquals(0, ((Number) spec(generator, "symbols")).intValue(), "no quote can break the SQL template");
        assertTrue(((Number) spec(generator, "length")).intValue() >= 32);
        var credentials = run.resource(EXTERNAL, "acme-app-credentials");
        assertEquals("0s", spec(credentials, "refreshInterval"), "generated once, not rotated behind the database's back");
        assertEquals("ALTER ROLE \"app\" PASSWORD '{{ .password }}';",
                at(credentials.inputs(), "spec", "target", "template", "data", "set-password.sql"));
        assertEquals("{{ .password }}", at(credentials.inputs(), "spec", "target", "template", "data", "password"));
        var cluster = run.resource(CLUSTER, "acme-cluster");
        assertEquals(Map.of("provider", "data-platform", "database", "acme", "username", "app",
                "password", Map.of("name", "app-credentials", "key", "password")), spec(cluster, "configurations.binding"));
    }

    @Test
    void theScriptAppliesTheAccessModelAndSetsThePasswordFromTheSecret() {
        var run = run(Environment.DEV, tenant(Environment.DEV).appAccess(Access.OWNER).build());
        var script = run.resource(SCRIPT, "acme-access-script");
        @SuppressWarnings("unchecked")
        var entries = (List<Map<String, Object>>) spec(script, "scripts");
        // The password right after the roles: it never waits on CREATE DATABASE (which fails on a restored cluster).
        assertEquals(List.of("roles", "login-password", "create-database-acme", "access-acme"),
                entries.stream().map(e -> e.get("name")).toList());
        assertEquals(List.of(1, 4, 2, 3), entries.stream().map(e -> ((Number) e.get("id")).intValue()).toList());
        // Entries that converge when run again are retried by the operator; CREATE DATABASE is not.
        assertEquals(java.util.Arrays.asList(true, true, null, true), entries.stream().map(e -> e.get("retryOnError")).toList());
        assertEquals(false, spec(script, "continueOnError"));
        assertTrue(entries.get(0).get("script").toString().contains("GRANT \"acme_owner\" TO \"app\";"));
        assertEquals("postgres", entries.get(0).get("database"));
        assertEquals(Map.of("secretKeyRef", Map.of("name", "app-credentials", "key", "set-password.sql")),
                entries.get(1).get("scriptFrom"));
        assertFalse(entries.get(1).containsKey("script"));
        assertEquals("CREATE DATABASE \"acme\" OWNER \"acme_owner\";", entries.get(2).get("script"));
        assertEquals("acme", entries.get(3).get("database"));
        assertTrue(entries.get(3).get("script").toString().contains("CREATE EXTENSION IF NOT EXISTS \"postgis\""));
    }

    /** Which other namespaces each policy of the tenant namespace admits, by TCP port. */
    static Map<Long, java.util.TreeSet<String>> ingressByPort(Harness.Run run, String namespace) {
        var byPort = new java.util.TreeMap<Long, java.util.TreeSet<String>>();
        for (var policy : run.all(POLICY)) {
            if (!namespace.equals(policy.input("metadata.namespace").orElse(null))) {
                continue;
            }
            for (Object ingress : (List<?>) policy.input("spec.ingress").orElse(List.of())) {
                var ports = (List<?>) ((Map<?, ?>) ingress).get("ports");
                for (Object peer : (List<?>) ((Map<?, ?>) ingress).get("from")) {
                    var selector = (Map<?, ?>) ((Map<?, ?>) peer).get("namespaceSelector");
                    if (selector == null) {
                        continue;
                    }
                    String from = (String) ((Map<?, ?>) selector.get("matchLabels")).get("kubernetes.io/metadata.name");
                    if (ports == null) {
                        byPort.computeIfAbsent(-1L, k -> new java.util.TreeSet<>()).add(from);
                    } else {
                        ports.forEach(p -> byPort.computeIfAbsent((Long) ((Map<?, ?>) p).get("port"),
                                k -> new java.util.TreeSet<>()).add(from));
                    }
                }
            }
        }
        return byPort;
    }

    @Test
    void theNamespaceAdmitsTheOperatorsPodsAtBaselineAndStillWarnsAtRestricted() {
        // OperatorFacts.POD_SECURITY_SOURCE: StackGres 1.18.6 pods carry no container securityContext.
        var run = run(Environment.PROD, tenant(Environment.PROD).appNamespace("acme-apps").build());
        var labels = (Map<?, ?>) run.resource(NAMESPACE, "acme-namespace").input("metadata.labels").orElseThrow();
        assertEquals("baseline", labels.get("pod-security.kubernetes.io/enforce"));
        assertEquals(OperatorFacts.POD_SECURITY_LEVEL, labels.get("pod-security.kubernetes.io/enforce"));
        assertEquals("restricted", labels.get("pod-security.kubernetes.io/warn"));
        assertEquals("restricted", labels.get("pod-security.kubernetes.io/audit"));
        var annotations = (Map<?, ?>) run.resource(NAMESPACE, "acme-namespace").input("metadata.annotations").orElseThrow();
        assertTrue(annotations.get("data-platform.dev/pod-security-exception").toString().contains("StackGres 1.18.6"));
        assertTrue(run.findings(Environment.PROD).stream().noneMatch(f -> f.rule().startsWith("namespace-")),
                run.findings(Environment.PROD).toString());
    }

    @Test
    void policiesAdmitExactlyThePodPortsOfTheOperatorsFacts() {
        var run = run(Environment.PROD, tenant(Environment.PROD).appNamespace("acme-apps").build());
        // Service 5432 -> PgBouncer 6432 (PatroniUtil.getPatroniEndpointPorts, PgBouncerPooling listen_port);
        // Patroni REST 8009 (PATRONI_RESTAPI_LISTEN); exporter 9187 scraped by the operator's collector.
        assertEquals(6432, OperatorFacts.PodPort.POOLER.port);
        assertEquals(8009, OperatorFacts.PodPort.PATRONI_REST.port);
        assertEquals(9187, OperatorFacts.PodPort.POSTGRES_EXPORTER.port);
        var expected = new java.util.TreeMap<Long, java.util.TreeSet<String>>();
        expected.put(6432L, new java.util.TreeSet<>(List.of("acme-apps")));
        expected.put(8009L, new java.util.TreeSet<>(List.of("stackgres")));
        expected.put(9187L, new java.util.TreeSet<>(List.of("monitoring", "stackgres")));
        assertEquals(expected, ingressByPort(run, "tenant-acme"), "no other namespace reaches any other port");
        var collector = run.resource(POLICY, "acme-allow-collector");
        assertEquals(List.of(Map.of("protocol", "TCP", "port", 9187L), Map.of("protocol", "TCP", "port", 8009L)),
                ((Map<?, ?>) ((List<?>) spec(collector, "ingress")).get(0)).get("ports"));
        // The layout those ports assume is stated, not left to defaults (OperatorFacts.POD_LAYOUT_SOURCE).
        var cluster = run.resource(CLUSTER, "acme-cluster");
        assertEquals(true, spec(cluster, "pods.disableEnvoy"));
        assertEquals(false, spec(cluster, "pods.disableConnectionPooling"));
        var sharded = run(Environment.PROD, tenant(Environment.PROD).citus(new StackGresTenant.Citus(2, 2)).build())
                .resource(SHARDED, "acme-cluster");
        for (String part : List.of("coordinator", "shards")) {
            assertEquals(true, spec(sharded, part + ".pods.disableEnvoy"));
            assertEquals(false, spec(sharded, part + ".pods.disableConnectionPooling"));
        }
        // The Service port stays 5432 for clients (the binding URI and the export).
        assertEquals(5432, ((Number) run.output("port")).intValue());
    }

    @Test
    void patroniReachesTheKubernetesApiOnBothCommonPorts() {
        var run = run(Environment.PROD, tenant(Environment.PROD).build());
        var api = run.resource(POLICY, "acme-allow-kubernetes-api");
        assertEquals(List.of("Egress"), spec(api, "policyTypes"));
        var rule = (Map<?, ?>) ((List<?>) spec(api, "egress")).get(0);
        assertEquals(List.of(Map.of("protocol", "TCP", "port", 443L), Map.of("protocol", "TCP", "port", 6443L)), rule.get("ports"));
        assertEquals(List.of(Map.of("ipBlock", Map.of("cidr", "0.0.0.0/0"))), rule.get("to"));
    }

    @Test
    void theAppNamespaceIsCreatedOnRequestBeforeEverythingInIt() {
        var run = run(Environment.PROD, tenant(Environment.PROD).appNamespace("acme-apps").createAppNamespace(true)
                .scaling(new StackGresTenant.Scaling("acme-api", 4, 300, List.of(QUEUE))).build());
        var ns = run.resource(NAMESPACE, "acme-app-namespace");
        assertEquals("acme-apps", ns.input("metadata.name").orElseThrow());
        assertEquals("restricted", ((Map<?, ?>) ns.input("metadata.labels").orElseThrow()).get("pod-security.kubernetes.io/enforce"));
        for (var r : List.of(run.resource(SERVICE_ACCOUNT, "acme-db-url-reader"), run.resource(SCALED, "acme-scaler"),
                run.resource(TRIGGER_AUTH, "acme-scaler-identity"))) {
            assertTrue(r.options().dependsOn().contains(ns.urn()), r.urn() + " waits for its namespace");
        }
        var out = run.resource(POLICY, "acme-app-allow-database");
        var rule = (Map<?, ?>) ((List<?>) spec(out, "egress")).get(0);
        assertEquals(List.of(Map.of("protocol", "TCP", "port", 6432L)), rule.get("ports"));
        assertEquals(List.of(), run.findings(Environment.PROD));
        // Without the opt-in the program declares no namespace for the app (a prerequisite).
        var plain = run(Environment.PROD, tenant(Environment.PROD).appNamespace("acme-apps").build());
        assertEquals(1, plain.count(NAMESPACE));
    }

    @Test
    void citusDeclaresAShardedClusterInstead() {
        var run = run(Environment.PROD, tenant(Environment.PROD).citus(new StackGresTenant.Citus(3, 2)).build());
        assertEquals(0, run.count(CLUSTER));
        var sharded = run.resource(SHARDED, "acme-cluster");
        assertEquals("citus", spec(sharded, "type"));
        assertEquals("acme", spec(sharded, "database"));
        assertEquals(3, ((Number) spec(sharded, "shards.clusters")).intValue());
        assertEquals(2, ((Number) spec(sharded, "shards.instancesPerCluster")).intValue());
        assertEquals(3, ((Number) spec(sharded, "coordinator.instances")).intValue());
        assertEquals(List.of(Map.of("sgScript", "access")), spec(sharded, "coordinator.managedSql.scripts"));
        assertEquals(true, spec(sharded, "configurations.observability.prometheusAutobind"));
        assertTrue(sharded.options().protect());
        assertEquals(List.of(), run.findings(Environment.PROD));
        // Patroni's Citus bootstrap creates spec.database (OperatorFacts.CITUS_DATABASE_SOURCE): no CREATE DATABASE.
        @SuppressWarnings("unchecked")
        var entries = (List<Map<String, Object>>) spec(run.resource(SCRIPT, "acme-access-script"), "scripts");
        assertEquals(List.of("roles", "login-password", "access-acme"), entries.stream().map(e -> e.get("name")).toList());
        assertEquals(List.of(1, 4, 3), entries.stream().map(e -> ((Number) e.get("id")).intValue()).toList());
        // Citus propagates role commands to the workers only from a database with the citus extension: the distributed one.
        assertEquals(List.of("acme", "acme", "acme"), entries.stream().map(e -> e.get("database")).toList());
        assertTrue(entries.stream().noneMatch(e -> String.valueOf(e.get("script")).contains("CREATE DATABASE")));
    }

    @Test
    void kedaScalesTheClientDeploymentToZeroOnAnEventTrigger() {
        var run = run(Environment.PROD, tenant(Environment.PROD)
                .scaling(new StackGresTenant.Scaling("acme-api", 4, 300, List.of(QUEUE))).build());
        var scaled = run.resource(SCALED, "acme-scaler");
        assertEquals("acme", scaled.input("metadata.namespace").orElseThrow());
        assertEquals(Map.of("name", "acme-api"), spec(scaled, "scaleTargetRef"));
        assertEquals(0, ((Number) spec(scaled, "minReplicaCount")).intValue());
        assertEquals(4, ((Number) spec(scaled, "maxReplicaCount")).intValue());
        // When the scaler fails (no queue access, no identity), the app runs one replica instead of staying at zero.
        assertEquals(3, ((Number) spec(scaled, "fallback.failureThreshold")).intValue());
        assertEquals(1, ((Number) spec(scaled, "fallback.replicas")).intValue());
        var trigger = (Map<?, ?>) ((List<?>) spec(scaled, "triggers")).get(0);
        assertEquals("aws-sqs-queue", trigger.get("type"));
        assertEquals(Map.of("name", "aws-identity"), trigger.get("authenticationRef"));
    }

    @Test
    void theSqsScalerGetsAnIrsaRoleKedaAssumesThroughATriggerAuthentication() {
        // OperatorFacts.KEDA_IDENTITY_SOURCE: podIdentity aws + roleArn -> AssumeRoleWithWebIdentity by keda-operator.
        var run = run(Environment.PROD, tenant(Environment.PROD)
                .scaling(new StackGresTenant.Scaling("acme-api", 4, 300, List.of(QUEUE))).build());
        var auth = run.resource(TRIGGER_AUTH, "acme-scaler-identity");
        assertEquals("aws-identity", auth.input("metadata.name").orElseThrow());
        assertEquals("acme", auth.input("metadata.namespace").orElseThrow());
        assertEquals("aws", spec(auth, "podIdentity.provider"));
        assertEquals(Masking.UNKNOWN, spec(auth, "podIdentity.roleArn"), "the role's ARN is known after it exists");
        assertFalse(((Map<?, ?>) spec(auth, "podIdentity")).containsKey("identityOwner"), "mutually exclusive with roleArn");
        var role = run.resource(ROLE, "acme-scaler");
        var trust = JsonParser.parseString((String) role.inputs().get("assumeRolePolicy")).getAsJsonObject()
                .getAsJsonArray("Statement").get(0).getAsJsonObject();
        assertEquals("system:serviceaccount:keda:keda-operator", trust.getAsJsonObject("Condition")
                .getAsJsonObject("StringEquals").get("oidc.eks.eu-west-1.amazonaws.com/id/ABC123:sub").getAsString());
        var policy = JsonParser.parseString((String) run.resource(ROLE_POLICY, "acme-scaler").inputs().get("policy"))
                .getAsJsonObject().getAsJsonArray("Statement");
        assertEquals(1, policy.size());
        assertEquals("[\"sqs:GetQueueAttributes\"]", policy.get(0).getAsJsonObject().get("Action").toString());
        assertEquals("[\"arn:aws:sqs:eu-west-1:123456789012:acme-jobs\"]", policy.get(0).getAsJsonObject().get("Resource").toString());
        assertTrue(run.resource(SCALED, "acme-scaler").options().dependsOn().contains(auth.urn()));
        assertEquals(List.of(), run.findings(Environment.PROD));
    }

    @Test
    void decommissionLiftsProtectionAndThePlanSaysSo() {
        var run = run(Environment.PROD, tenant(Environment.PROD).decommission(true).build());
        var cluster = run.resource(CLUSTER, "acme-cluster");
        assertFalse(cluster.options().protect());
        assertFalse(run.resource(NAMESPACE, "acme-namespace").options().protect());
        var findings = run.findings(Environment.PROD);
        assertTrue(findings.stream().noneMatch(f -> f.severity() == Severity.ERROR), findings.toString());
        assertTrue(findings.stream().anyMatch(f -> f.rule().equals("tenant-decommission") && f.severity() == Severity.WARNING
                && f.resource().equals(cluster.urn()) && f.message().contains("acme")), findings.toString());
    }

    @Test
    void everyTenantResourceIsAChildOfTheTenant() {
        var run = run(Environment.STAGE, tenant(Environment.STAGE).build());
        var component = run.resource(StackGresTenant.TYPE, "acme");
        var children = run.resources().stream()
                .filter(r -> !r.urn().equals(component.urn()) && !r.type().equals("pulumi:pulumi:Stack")).toList();
        assertFalse(children.isEmpty());
        children.forEach(r -> assertEquals(component.urn(), r.parent(), r.urn()));
        // Custom resources pin the kubernetes provider version the SDK ships.
        assertEquals(com.pulumi.kubernetes.Utilities.getVersion(), run.resource(CLUSTER, "acme-cluster").options().version());
    }

    @ParameterizedTest
    @EnumSource(Environment.class)
    void pgBouncerPoolsInSessionModeSizedByEnvironmentUnderPostgresLimit(Environment environment) {
        var run = run(environment, tenant(environment).build());
        var pooling = run.resource(POOLING, "acme-pooling-config");
        assertEquals("pooling", pooling.kubernetesName().orElseThrow());
        assertEquals("tenant-acme", pooling.kubernetesNamespace().orElseThrow());
        @SuppressWarnings("unchecked")
        var ini = (Map<String, Object>) at(pooling.inputs(), "spec", "pgBouncer", "pgbouncer.ini", "pgbouncer");
        int expected = switch (environment) {
            case DEV -> 10;
            case STAGE -> 40;
            case PROD -> 80;
        };
        assertEquals(Map.of("pool_mode", "session", "default_pool_size", String.valueOf(expected), "max_client_conn", "1000",
                "max_db_connections", "80"), ini);
        var cluster = run.resource(CLUSTER, "acme-cluster");
        assertEquals("pooling", spec(cluster, "configurations.sgPoolingConfig"));
        assertTrue(cluster.options().dependsOn().contains(pooling.urn()), "the cluster waits for the config it references");
        assertEquals(false, spec(cluster, "pods.disableConnectionPooling"));
        assertEquals(List.of(), run.findings(environment));
    }

    @Test
    void poolOverridesAndExtraPgBouncerParametersReachTheConfig() {
        var run = run(Environment.PROD, tenant(Environment.PROD).pooling(new TenantPooling.Overrides(
                TenantPooling.PoolMode.TRANSACTION, 20, 5000, 40, Map.of("server_idle_timeout", "300"))).build());
        @SuppressWarnings("unchecked")
        var ini = (Map<String, Object>) at(run.resource(POOLING, "acme-pooling-config").inputs(),
                "spec", "pgBouncer", "pgbouncer.ini", "pgbouncer");
        assertEquals(Map.of("pool_mode", "transaction", "default_pool_size", "20", "max_client_conn", "5000",
                "max_db_connections", "40", "server_idle_timeout", "300"), ini);
        // Only maxDbConnections lowered: the pool follows it down.
        var capped = TenantPooling.settings(Environment.PROD, null, new TenantPooling.Overrides(null, null, null, 30, Map.of()));
        assertEquals(30, capped.defaultPoolSize());
    }

    @Test
    void onCitusTheCoordinatorsPoolerStaysUnderCitusMaxClientConnections() {
        var run = run(Environment.PROD, tenant(Environment.PROD).citus(new StackGresTenant.Citus(3, 2)).build());
        var sharded = run.resource(SHARDED, "acme-cluster");
        assertEquals("pooling", spec(sharded, "coordinator.configurations.sgPoolingConfig"));
        assertFalse(sharded.input("spec.shards.configurations.sgPoolingConfig").isPresent(),
                "the shards keep StackGres's default pooler");
        @SuppressWarnings("unchecked")
        var ini = (Map<String, Object>) at(run.resource(POOLING, "acme-pooling-config").inputs(),
                "spec", "pgBouncer", "pgbouncer.ini", "pgbouncer");
        // StackGres sets citus.max_client_connections = 100 * 90 / (100 * (1 + 3)) = 22 on the coordinator.
        assertEquals("22", ini.get("max_db_connections"));
        assertEquals("22", ini.get("default_pool_size"));
        assertEquals(22, TenantPooling.serverConnectionCeiling(3));
        assertEquals(45, TenantPooling.serverConnectionCeiling(1));
    }

    @Test
    void theBlocklistIsStackGresesAndEveryRowIsRefused() {
        assertEquals(29, TenantPooling.BLOCKLIST.size());
        for (String blocked : TenantPooling.BLOCKLIST) {
            assertTrue(TenantPooling.parameter(blocked, "1").orElseThrow().contains("pgbouncer blocklist"), blocked);
        }
        assertTrue(TenantPooling.parameter("server_idle_timeout", "600").isEmpty());
        assertTrue(TenantPooling.parameter("max_prepared_statements", "200").isEmpty());
    }

    @Test
    void badArgumentsFailBeforeAnythingIsDeclared() {
        record Case(StackGresTenant.Args.Builder args, String message) {
        }
        var cases = List.of(
                new Case(tenant(Environment.DEV).client("Acme"), "client 'Acme' is not a DNS-1123 label"),
                new Case(tenant(Environment.DEV).client("a".repeat(41)), "at most 40 characters"),
                new Case(tenant(Environment.DEV).client("acme-"), "is not a DNS-1123 label"),
                new Case(tenant(Environment.DEV).appNamespace("Apps"), "appNamespace 'Apps' is not valid"),
                new Case(tenant(Environment.PROD).backups(null), "backups are required in prod"),
                new Case(tenant(Environment.DEV).aws(null), "aws is required"),
                new Case(tenant(Environment.DEV).size(new StackGresTenant.Size(1, "lots", 1, 1)), "cpu 'lots' is not valid"),
                new Case(tenant(Environment.DEV).size(new StackGresTenant.Size(0, "1", 1, 1)), "must be at least 1"),
                new Case(tenant(Environment.DEV).postgresVersion("9.6"), "postgresVersion '9.6' is not valid"),
                new Case(tenant(Environment.DEV).postgresVersion("19"), "ships that the project runs, one of 15, 16, 17, 18"),
                new Case(tenant(Environment.DEV).postgresVersion("13"), "StackGres 1.18.6 ships it, but the project runs only"),
                new Case(tenant(Environment.DEV).extensions(List.of("pg_cron_typo")), "extensions 'pg_cron_typo' is not valid: "
                        + "not an extension StackGres 1.18.6 is known to provide; allowed: btree_gist"),
                new Case(tenant(Environment.DEV).citus(new StackGresTenant.Citus(2, 1)),
                        "citus is not allowed on a single instance (instances: 1)"),
                new Case(tenant(Environment.STAGE).size(new StackGresTenant.Size(1, "1", 2, 20)).citus(new StackGresTenant.Citus(2, 1)),
                        "citus is not allowed on a single instance"),
                new Case(tenant(Environment.DEV).scaling(new StackGresTenant.Scaling("api", 3, 300, List.of(new Keda.Trigger(
                        "aws-sqs-queue", Map.of("queueURL", "https://sqs.eu-west-1.amazonaws.com/123456789012/q", "identityOwner", "operator"))))),
                        "metadata [identityOwner] is not allowed"),
                new Case(tenant(Environment.DEV).scaling(new StackGresTenant.Scaling("api", 3, 300, List.of(new Keda.Trigger(
                        "aws-sqs-queue", Map.of("queueURL", "not-a-url"))))), "needs metadata queueURL"),
                new Case(tenant(Environment.DEV).scaling(new StackGresTenant.Scaling("api", 3, 300, List.of(new Keda.Trigger(
                        "aws-cloudwatch", Map.of("namespace", "x"))))), "only aws-sqs-queue gets an identity"),
                new Case(tenant(Environment.DEV).appNamespace("tenant-acme"), "is the tenant's own namespace"),
                new Case(tenant(Environment.DEV).extensions(List.of("PostGIS")), "extensions 'PostGIS' is not valid"),
                new Case(tenant(Environment.DEV).database("postgres"), "database name 'postgres' is reserved"),
                new Case(tenant(Environment.DEV).citus(new StackGresTenant.Citus(0, 1)), "shards and instancesPerShard"),
                new Case(tenant(Environment.DEV).scaling(new StackGresTenant.Scaling("api", 3, 300,
                        List.of(new Keda.Trigger("cpu", Map.of("value", "60"))))), "cannot scale to zero"),
                new Case(tenant(Environment.DEV).scaling(new StackGresTenant.Scaling("api", 3, 300, List.of())),
                        "needs at least one trigger"),
                new Case(tenant(Environment.DEV).scaling(new StackGresTenant.Scaling("api", 0, 300, List.of(QUEUE))),
                        "maxReplicas must be at least 1"),
                new Case(tenant(Environment.DEV).pooling(new TenantPooling.Overrides(null, null, null, 81, Map.of())),
                        "pooling.maxDbConnections 81 is out of range; allowed: 1..80"),
                new Case(tenant(Environment.DEV).pooling(new TenantPooling.Overrides(null, 50, null, 40, Map.of())),
                        "pooling.defaultPoolSize 50 is out of range; allowed: 1..40"),
                new Case(tenant(Environment.DEV).pooling(new TenantPooling.Overrides(null, null, 0, null, Map.of())),
                        "pooling.maxClientConnections 0 is out of range"),
                new Case(tenant(Environment.DEV).pooling(new TenantPooling.Overrides(null, null, null, null,
                        Map.of("auth_type", "trust"))), "pooling.parameters.auth_type is set by StackGres 1.18.6 itself"),
                new Case(tenant(Environment.DEV).pooling(new TenantPooling.Overrides(null, null, null, null,
                        Map.of("default_pool_size", "5"))), "has its own setting"),
                new Case(tenant(Environment.DEV).pgstac(true).pooling(new TenantPooling.Overrides(TenantPooling.PoolMode.STATEMENT,
                        null, null, null, Map.of())), "'statement' is not allowed for a pgSTAC tenant"),
                new Case(tenant(Environment.STAGE).citus(new StackGresTenant.Citus(2, 2)).pooling(new TenantPooling.Overrides(
                        null, null, null, 31, Map.of())), "allowed: 1..30 (the Citus coordinator's"));
        for (var c : cases) {
            var error = assertThrows(IllegalArgumentException.class, c.args()::build, c.message());
            assertTrue(error.getMessage().contains(c.message()), "expected '" + c.message() + "' in: " + error.getMessage());
        }
    }
}
