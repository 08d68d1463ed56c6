package dev.dataplatform.dagster;

import com.pulumi.core.Output;
import com.pulumi.resources.ComponentResourceOptions;
import dev.dataplatform.core.Environment;
import dev.dataplatform.engine.Masking;
import dev.dataplatform.engine.PlannedResource;
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

class DagsterStackTest {
    static final String RELEASE = "kubernetes:helm.sh/v3:Release";
    static final String POLICY = "kubernetes:networking.k8s.io/v1:NetworkPolicy";
    static final String EXTERNAL = "kubernetes:external-secrets.io/v1:ExternalSecret";
    static final String ACCOUNT = "kubernetes:core/v1:ServiceAccount";

    static final DagsterStack.Database CLOUD_SQL = new DagsterStack.Database(Output.of("10.20.0.3"), 5432,
            Output.of("data-workloads@acme-data-prod.iam"), "dagster", DagsterStack.Auth.GCP_IAM, null, null, null);

    static DagsterStack.Args.Builder args(Environment environment) {
        return DagsterStack.Args.builder().environment(environment).chartVersion("1.13.8").namespace("data-apps")
                .database(CLOUD_SQL).databaseCidr(Output.of("10.20.0.3/32"))
                .cluster(dev.dataplatform.kubernetes.TestClusters.GKE)
                .identity(dev.dataplatform.kubernetes.WorkloadIdentity.google(
                        Output.of("data-workloads@acme-data-prod.iam.gserviceaccount.com")))
                .codeLocations(List.of(new DagsterStack.CodeLocation("pipelines", "ghcr.io/acme/pipelines", "1.4.2",
                        "acme_pipelines.definitions")))
                .allowWebserverFrom(List.of("ingress-nginx"));
    }

    static Harness.Run run(Environment environment, DagsterStack.Args args) {
        return Harness.preview(environment, ctx -> {
            var dagster = new DagsterStack("dagster", args, ComponentResourceOptions.Empty);
            ctx.export("webserverService", dagster.webserverService);
            ctx.export("webserverUrl", dagster.webserverUrl);
            ctx.export("uiUrl", dagster.uiUrl);
        }).succeeded();
    }

    static Object value(PlannedResource release, String path) {
        return release.input("values." + path).orElseThrow(() -> new AssertionError("no values." + path + " in "
                + release.inputs().get("values")));
    }

    @Test
    void theOfficialChartPinnedWithAnExternalDatabaseAndIamAuth() {
        var run = run(Environment.PROD, args(Environment.PROD).build());
        var release = run.resource(RELEASE, "dagster");
        assertEquals("dagster", release.inputs().get("chart"));
        assertEquals("1.13.8", release.inputs().get("version"));
        assertEquals(Map.of("repo", "https://dagster-io.github.io/helm"), release.inputs().get("repositoryOpts"));
        assertEquals("data-apps", release.inputs().get("namespace"));
        assertEquals(false, value(release, "postgresql.enabled"));
        assertEquals("10.20.0.3", value(release, "postgresql.postgresqlHost"));
        assertEquals("data-workloads@acme-data-prod.iam", value(release, "postgresql.postgresqlUsername"));
        assertEquals("dagster", value(release, "postgresql.postgresqlDatabase"));
        assertEquals(Map.of("sslmode", "require"), value(release, "postgresql.postgresqlParams"));
        assertEquals(Map.of("type", "gcp_wif"), value(release, "postgresql.authProvider"));
        assertEquals(true, value(release, "global.postgresqlAuthWifEnabled"));
        assertEquals(false, value(release, "generatePostgresqlPasswordSecret"));
        assertEquals("dagster", value(release, "global.serviceAccountName"));
        assertEquals(false, value(release, "serviceAccount.create"));
        assertEquals(0L, run.count(EXTERNAL), "IAM auth needs no password Secret");
        assertEquals(List.of(), run.findings(Environment.PROD).stream().map(f -> f.rule()).toList());
        assertEquals("http://dagster-dagster-webserver.data-apps.svc.cluster.local:8080", run.output("webserverUrl"));
        assertEquals(8080L, value(release, "dagsterWebserver.service.port"), "unprivileged: the webserver runs as 10001 with no capabilities");
    }

    @Test
    void runsAreQueuedAndLaunchedAsKubernetesJobs() {
        var release = run(Environment.DEV, args(Environment.DEV).maxConcurrentRuns(4).build()).resource(RELEASE, "dagster");
        // Declared as the chart's CustomRunLauncher: the chart's K8sRunLauncher template always names a password Secret.
        assertEquals("CustomRunLauncher", value(release, "runLauncher.type"));
        assertEquals("dagster_k8s", value(release, "runLauncher.config.customRunLauncher.module"));
        assertEquals("K8sRunLauncher", value(release, "runLauncher.config.customRunLauncher.class"));
        assertEquals("dagster-instance", value(release, "runLauncher.config.customRunLauncher.config.instance_config_map"));
        assertEquals("data-apps", value(release, "runLauncher.config.customRunLauncher.config.job_namespace"));
        assertEquals("dagster", value(release, "runLauncher.config.customRunLauncher.config.service_account_name"));
        assertFalse(release.input("runLauncher.config.customRunLauncher.config.postgres_password_secret").isPresent(), "IAM login: no password Secret for runs");
        assertEquals(Map.of("enabled", true, "type", "QueuedRunCoordinator",
                        "config", Map.of("queuedRunCoordinator", Map.of("maxConcurrentRuns", 4L))),
                value(release, "dagsterDaemon.runCoordinator"));
        for (String off : List.of("rabbitmq", "redis", "flower", "ingress")) {
            assertEquals(false, value(release, off + ".enabled"), off);
        }
    }

    @ParameterizedTest
    @EnumSource(Environment.class)
    void workersAreSizedByEnvironmentAndDuckDbFollowsTheirMemory(Environment environment) {
        var release = run(environment, args(environment).build()).resource(RELEASE, "dagster");
        int memory = DagsterStack.workerMemoryGiB(environment);
        assertEquals(Map.of(Environment.DEV, 4, Environment.STAGE, 8, Environment.PROD, 16).get(environment), memory);
        assertEquals(memory + "Gi", value(release, "runLauncher.config.customRunLauncher.config.resources.limits.memory"));
        assertEquals(memory + "Gi", value(release, "runLauncher.config.customRunLauncher.config.resources.requests.memory"));
        assertEquals(List.of("DUCKDB_MEMORY_LIMIT=" + (memory * 3 / 4) + "GiB"), value(release, "runLauncher.config.customRunLauncher.config.env_vars"));
        // Code locations pass nothing into runs: dagster-k8s would let their (code server) resources override these.
        assertEquals(Map.of("enabled", false), value(release, "dagster-user-deployments.deployments.0.includeConfigInLaunchedRuns"));
        assertEquals(environment == Environment.DEV ? 1L : 2L, value(release, "dagsterWebserver.replicaCount"));
    }

    @Test
    void userCodeDeploymentsComeFromConfigWithPinnedImages() {
        var release = run(Environment.STAGE, args(Environment.STAGE).build()).resource(RELEASE, "dagster");
        assertEquals(true, value(release, "dagster-user-deployments.enabled"));
        @SuppressWarnings("unchecked")
        var deployment = ((List<Map<String, Object>>) value(release, "dagster-user-deployments.deployments")).get(0);
        assertEquals("pipelines", deployment.get("name"));
        assertEquals(Map.of("repository", "ghcr.io/acme/pipelines", "tag", "1.4.2", "pullPolicy", "IfNotPresent"), deployment.get("image"));
        assertEquals(List.of("-m", "acme_pipelines.definitions"), deployment.get("dagsterApiGrpcArgs"));
        assertEquals(3030L, deployment.get("port"));
    }

    @Test
    void everyPodBlockIsRestrictedWithLimitsAndTheGuardrailsWouldSeeOtherwise() {
        var release = run(Environment.PROD, args(Environment.PROD).build()).resource(RELEASE, "dagster");
        for (String block : List.of("dagsterWebserver", "dagsterDaemon")) {
            assertEquals(true, value(release, block + ".podSecurityContext.runAsNonRoot"), block);
            assertEquals("RuntimeDefault", value(release, block + ".podSecurityContext.seccompProfile.type"), block);
            assertEquals(false, value(release, block + ".securityContext.allowPrivilegeEscalation"), block);
            assertEquals(List.of("ALL"), value(release, block + ".securityContext.capabilities.drop"), block);
            assertTrue(release.input("values." + block + ".resources.limits.memory").isPresent(), block);
        }
        assertEquals("ClusterIP", value(release, "dagsterWebserver.service.type"));
    }

    @Test
    void theNamespaceDeniesByDefaultAndAllowsOnlyTheDatabaseTheApiAndTheIngress() {
        var run = run(Environment.PROD, args(Environment.PROD).build());
        var database = run.resource(POLICY, "dagster-allow-database");
        assertEquals(List.of(Map.of("to", List.of(Map.of("ipBlock", Map.of("cidr", "10.20.0.3/32"))),
                "ports", List.of(Map.of("protocol", "TCP", "port", 5432L)))), database.input("spec.egress").orElseThrow());
        var webserver = run.resource(POLICY, "dagster-allow-webserver");
        assertEquals(List.of("Ingress"), webserver.input("spec.policyTypes").orElseThrow());
        assertTrue(run.findings(Environment.PROD).stream().noneMatch(f -> f.rule().startsWith("namespace-")));
        var account = run.resource(ACCOUNT, "dagster-service-account");
        assertEquals(Map.of("iam.gke.io/gcp-service-account", "data-workloads@acme-data-prod.iam.gserviceaccount.com"),
                account.input("metadata.annotations").orElseThrow());
    }

    @Test
    void podsWithGkeWorkloadIdentityMayReachTheMetadataServer() {
        var run = run(Environment.PROD, args(Environment.PROD).build());
        for (int i = 0; i < dev.dataplatform.kubernetes.GkeMetadataServer.ENDPOINTS.size(); i++) {
            var endpoint = dev.dataplatform.kubernetes.GkeMetadataServer.ENDPOINTS.get(i);
            var policy = run.resource(POLICY, "dagster-allow-metadata-server-" + i);
            assertEquals(List.of(Map.of("to", List.of(Map.of("ipBlock", Map.of("cidr", endpoint.cidr()))),
                    "ports", endpoint.ports().stream().map(p -> Map.of("protocol", "TCP", "port", (long) p)).toList())),
                    policy.input("spec.egress").orElseThrow());
        }
        assertTrue(run(Environment.PROD, args(Environment.PROD).identity(dev.dataplatform.kubernetes.WorkloadIdentity.none())
                .build()).all(POLICY).stream().noneMatch(p -> p.name().contains("metadata-server")), "only with a Google identity");
    }

    @Test
    void podsMaySendTelemetryAndLineageToTheObservabilityNamespace() {
        var run = run(Environment.DEV, args(Environment.DEV).telemetryNamespace("observability").build());
        var telemetry = run.resource(POLICY, "dagster-allow-telemetry");
        assertEquals(List.of(Map.of(
                "to", List.of(Map.of("namespaceSelector", Map.of("matchLabels", Map.of("kubernetes.io/metadata.name", "observability")))),
                "ports", List.of(Map.of("protocol", "TCP", "port", 4317L), Map.of("protocol", "TCP", "port", 4318L),
                        Map.of("protocol", "TCP", "port", 5000L)))), telemetry.input("spec.egress").orElseThrow());
        assertEquals(0L, run(Environment.DEV, args(Environment.DEV).build()).count(POLICY) - 8,
                "without it: default deny, DNS, in-namespace, database, HTTPS, webserver, the two metadata-server policies");
    }

    @Test
    void onRdsTheInstanceUsesAnIamTokenForItsRegion() {
        var rds = new DagsterStack.Database(Output.of("metadata.abc.eu-west-1.rds.amazonaws.com"), 5432, Output.of("dagster"),
                "metadata", DagsterStack.Auth.AWS_IAM, "eu-west-1", null, null);
        var release = run(Environment.STAGE, args(Environment.STAGE).database(rds).databaseCidr(Output.of("10.0.0.0/16")).build())
                .resource(RELEASE, "dagster");
        assertEquals(Map.of("type", "aws_wif", "awsRegion", "eu-west-1"), value(release, "postgresql.authProvider"));
    }

    @Test
    void withPasswordAuthTheSecretIsOwnedByExternalSecrets() {
        var password = new DagsterStack.Database(Output.of("10.20.0.3"), 5432, Output.of("dagster"), "dagster",
                DagsterStack.Auth.PASSWORD, null, "platform-secrets", "dagster-db-password");
        var run = run(Environment.DEV, args(Environment.DEV).database(password).build());
        var release = run.resource(RELEASE, "dagster");
        assertEquals("dagster-postgresql-secret", value(release, "global.postgresqlSecretName"));
        assertEquals("dagster-postgresql-secret", value(release, "runLauncher.config.customRunLauncher.config.postgres_password_secret"),
                "runs read the password from the Secret External Secrets owns");
        assertFalse(release.input("values.global.postgresqlAuthWifEnabled").isPresent());
        assertFalse(release.input("values.postgresql.authProvider").isPresent());
        var secret = run.resource(EXTERNAL, "dagster-postgresql-password");
        assertEquals(Map.of("name", "platform-secrets", "kind", "ClusterSecretStore"), secret.input("spec.secretStoreRef").orElseThrow());
        assertEquals(List.of(Map.of("secretKey", "postgresql-password", "remoteRef", Map.of("key", "dagster-db-password"))),
                secret.input("spec.data").orElseThrow());
        assertTrue(release.options().dependsOn().contains(secret.urn()), "the chart waits for its password Secret");
    }

    static final String CONNECTION = "acme-data-prod:europe-west1:data-platform-prod";

    @SuppressWarnings("unchecked")
    static List<String> proxyArgs(Object sidecars) {
        var list = (List<Map<String, Object>>) sidecars;
        assertEquals(1, list.size());
        assertEquals("cloud-sql-proxy", list.get(0).get("name"));
        assertEquals("Always", list.get(0).get("restartPolicy"), "a native sidecar");
        return (List<String>) list.get(0).get("args");
    }

    @Test
    void onCloudSqlEveryPodThatOpensTheDatabaseReachesItThroughTheAuthProxySidecar() {
        var run = run(Environment.PROD, args(Environment.PROD).cloudSqlProxy(CONNECTION).build());
        var release = run.resource(RELEASE, "dagster");
        assertEquals("127.0.0.1", value(release, "postgresql.postgresqlHost"));
        assertEquals(5432L, value(release, "postgresql.service.port"));
        assertEquals(Map.of("sslmode", "disable"), value(release, "postgresql.postgresqlParams"), "the proxy does the mTLS");
        for (String pods : List.of("dagsterWebserver.extraPrependedInitContainers", "dagsterDaemon.extraPrependedInitContainers",
                "runLauncher.config.customRunLauncher.config.run_k8s_config.pod_spec_config.init_containers",
                // Code servers open the instance too (sensors and schedules get the daemon's instance, at 127.0.0.1).
                "dagster-user-deployments.deployments.0.initContainers")) {
            var args = proxyArgs(value(release, pods));
            assertEquals(List.of("--private-ip", "--auto-iam-authn"), args.subList(0, 2), pods);
            assertEquals(CONNECTION, args.get(args.size() - 1), pods);
        }
        var database = run.resource(POLICY, "dagster-allow-database");
        assertEquals(List.of(Map.of("protocol", "TCP", "port", 3307L)), database.input("spec.egress.0.ports").orElseThrow(),
                "the proxy dials the instance on 3307");
        assertTrue(run.findings(Environment.PROD).stream().noneMatch(f -> f.severity() == dev.dataplatform.guardrails.Severity.ERROR),
                "the sidecars carry limits and restricted contexts: " + run.findings(Environment.PROD));
    }

    @Test
    void aPasswordLoginPassesThroughTheProxyWithoutIamAuthn() {
        var password = new DagsterStack.Database(Output.of("10.20.0.3"), 5432, Output.of("dagster"), "dagster",
                DagsterStack.Auth.PASSWORD, null, "platform-secrets", "dagster-db-password");
        var release = run(Environment.DEV, args(Environment.DEV).database(password).cloudSqlProxy(CONNECTION).build())
                .resource(RELEASE, "dagster");
        var args = proxyArgs(value(release, "dagsterDaemon.extraPrependedInitContainers"));
        assertFalse(args.contains("--auto-iam-authn"), args.toString());
        assertEquals("dagster-postgresql-secret", value(release, "global.postgresqlSecretName"));
        assertEquals("dagster-postgresql-secret", value(release, "runLauncher.config.customRunLauncher.config.postgres_password_secret"),
                "runs read the password from the Secret External Secrets owns");
    }

    @Test
    void theChartsInitContainersGetLimitsFromValuesOrTheNamespaceDefaultsAndTheRestIsNamed() {
        var run = run(Environment.DEV, args(Environment.DEV).build());
        var release = run.resource(RELEASE, "dagster");
        for (String block : List.of("dagsterWebserver", "dagsterDaemon")) {
            assertEquals(Map.of("requests", Map.of("cpu", "10m", "memory", "64Mi"), "limits", Map.of("cpu", "100m", "memory", "64Mi")),
                    value(release, block + ".initContainerResources"), block);
        }
        var limits = run.resource("kubernetes:core/v1:LimitRange", "dagster-container-defaults");
        assertEquals("Container", limits.input("spec.limits.0.type").orElseThrow());
        assertEquals(Map.of("cpu", "100m", "memory", "64Mi"), limits.input("spec.limits.0.default").orElseThrow());
        // The pinned chart renders no container whose limits its values cannot set (DagsterChartRenderTest renders it).
        assertEquals(List.of(), DagsterStack.INIT_CONTAINERS_WITHOUT_VALUES);
        assertTrue(run.findings(Environment.DEV).isEmpty(), run.findings(Environment.DEV).toString());
        // The chart's default images, stated.
        assertEquals(Map.of("registry", "docker.io", "repository", "library/postgres", "tag", "14.6", "pullPolicy", "IfNotPresent"),
                value(release, "postgresql.image"));
        assertEquals(Map.of("repository", "docker.io/busybox", "tag", "1.28", "pullPolicy", "IfNotPresent"),
                value(release, "busybox.image"));
    }

    @Test
    void aHostKnownOnlyAtDeploymentStaysUnknownWithoutHidingTheRest() {
        var run = Harness.preview(Environment.DEV, ctx -> {
            var instance = new com.pulumi.gcp.sql.DatabaseInstance("pg", com.pulumi.gcp.sql.DatabaseInstanceArgs.builder()
                    .databaseVersion("POSTGRES_16").region("europe-west1").build());
            var database = new DagsterStack.Database(instance.privateIpAddress(), 5432, Output.of("dagster"), "dagster",
                    DagsterStack.Auth.GCP_IAM, null, null, null);
            new DagsterStack("dagster", args(Environment.DEV).database(database)
                    .databaseCidr(instance.privateIpAddress().applyValue(ip -> ip + "/32")).build(), ComponentResourceOptions.Empty);
        }).succeeded();
        var release = run.resource(RELEASE, "dagster");
        assertEquals(Masking.UNKNOWN, value(release, "postgresql.postgresqlHost"));
        assertEquals("dagster", value(release, "postgresql.postgresqlDatabase"));
        assertEquals("CustomRunLauncher", value(release, "runLauncher.type"));
    }

    @Test
    void badArgumentsFailBeforeAnythingIsDeclared() {
        record Case(DagsterStack.Args.Builder args, String message) {
        }
        var cases = List.of(
                new Case(args(Environment.DEV).chartVersion("latest"), "chartVersion 'latest' is not a pinned x.y.z version"),
                new Case(args(Environment.DEV).chartVersion("1.12.9"),
                        "chartVersion '1.12.9' is not supported; allowed: dagster >= 1.13.0 and < 2.0.0 (pinned: 1.13.8)"),
                new Case(args(Environment.DEV).chartVersion("1.13.2"), "IAM database auth needs chart 1.13.3 or later, not 1.13.2"),
                new Case(args(Environment.DEV).cloudSqlProxy("data-platform-prod"), "is not valid; allowed: project:region:instance"),
                new Case(args(Environment.DEV).database(new DagsterStack.Database(Output.of("h"), 5432, Output.of("u"), "d",
                        DagsterStack.Auth.AWS_IAM, null, null, null)), "needs awsRegion"),
                new Case(args(Environment.DEV).database(new DagsterStack.Database(Output.of("h"), 5432, Output.of("u"), "d",
                        DagsterStack.Auth.PASSWORD, null, null, null)), "password auth needs passwordStore and passwordKey"),
                new Case(args(Environment.DEV).maxConcurrentRuns(0), "maxConcurrentRuns must be at least 1"),
                new Case(args(Environment.DEV).workerMemoryGiB(4).duckDbMemoryGiB(4),
                        "DuckDB's memory limit of 4 GiB does not fit a run pod of 4 GiB"),
                new Case(args(Environment.DEV).workerMemoryGiB(1), "run pods of 1 GiB are too small; allowed: at least 2 GiB"),
                new Case(args(Environment.DEV).codeLocations(List.of(new DagsterStack.CodeLocation("a", "r", "latest", "m"))),
                        "needs a fixed image tag, not 'latest'"),
                new Case(args(Environment.DEV).codeLocations(List.of(new DagsterStack.CodeLocation("a", "r", "1", "m"),
                        new DagsterStack.CodeLocation("a", "r", "2", "m"))), "code location 'a' is listed twice"));
        var http = assertThrows(IllegalArgumentException.class,
                () -> new DagsterStack.AuthProxy("http://login.example", "c", List.of(), "s", "a", "b"));
        assertTrue(http.getMessage().contains("authProxy oidcIssuerUrl must be an https URL"), http.getMessage());
        for (var c : cases) {
            var error = assertThrows(IllegalArgumentException.class, c.args()::build, c.message());
            assertTrue(error.getMessage().contains(c.message()), "expected '" + c.message() + "' in: " + error.getMessage());
        }
    }

    @Test
    void theIngressReachesOnlyTheWebserverPodsAndWithAProxyOnlyTheProxy() {
        var run = run(Environment.PROD, args(Environment.PROD).build());
        var policy = run.resource(POLICY, "dagster-allow-webserver");
        assertEquals(Map.of("app.kubernetes.io/name", "dagster", "app.kubernetes.io/instance", "dagster", "component", "dagster-webserver"),
                policy.input("spec.podSelector.matchLabels").orElseThrow());
        assertEquals(8080L, policy.input("spec.ingress.0.ports.0.port").orElseThrow());

        var proxy = new DagsterStack.AuthProxy("https://login.acme.example/realms/data", "dagster-prod", List.of("acme.com"),
                "gcp-secret-manager", "dagster-oauth-client", "dagster-oauth-cookie");
        var proxied = run(Environment.PROD, args(Environment.PROD).authProxy(proxy).build());
        assertTrue(proxied.resources().stream().noneMatch(r -> r.name().equals("dagster-allow-webserver")));
        var ui = proxied.resource(POLICY, "dagster-allow-ui");
        assertEquals(Map.of("app.kubernetes.io/name", "oauth2-proxy", "app.kubernetes.io/instance", "dagster-auth-proxy"),
                ui.input("spec.podSelector.matchLabels").orElseThrow());
        assertEquals(4180L, ui.input("spec.ingress.0.ports.0.port").orElseThrow());
        var deployment = proxied.resource("kubernetes:apps/v1:Deployment", "dagster-auth-proxy");
        var container = deployment.input("spec.template.spec.containers.0").map(c -> (Map<?, ?>) c).orElseThrow();
        assertEquals("quay.io/oauth2-proxy/oauth2-proxy:v7.15.3", container.get("image"));
        var env = new java.util.HashMap<Object, Object>();
        ((List<?>) container.get("env")).forEach(e -> env.put(((Map<?, ?>) e).get("name"), ((Map<?, ?>) e).get("value")));
        assertEquals("http://dagster-dagster-webserver.data-apps.svc.cluster.local:8080/", env.get("OAUTH2_PROXY_UPSTREAMS"));
        assertEquals("0.0.0.0:4180", env.get("OAUTH2_PROXY_HTTP_ADDRESS"));
        assertEquals("/etc/oauth2-proxy/client-secret", env.get("OAUTH2_PROXY_CLIENT_SECRET_FILE"));
        assertFalse(env.containsKey("OAUTH2_PROXY_CLIENT_SECRET"), "the secret is a file, never in the spec");
        assertEquals(false, deployment.input("spec.template.spec.automountServiceAccountToken").orElseThrow());
        assertEquals(true, deployment.input("spec.template.spec.containers.0.securityContext.readOnlyRootFilesystem").orElseThrow());
        var secret = proxied.resource(EXTERNAL, "dagster-auth-proxy-secrets");
        assertEquals("dagster-oauth-client", secret.input("spec.data.0.remoteRef.key").orElseThrow());
        assertEquals("http://dagster-auth-proxy.data-apps.svc.cluster.local:4180", proxied.output("uiUrl"));
        assertTrue(proxied.findings(Environment.PROD).isEmpty(), proxied.findings(Environment.PROD).toString());
    }
}
