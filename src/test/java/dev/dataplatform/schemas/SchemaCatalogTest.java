package dev.dataplatform.schemas;

import com.google.gson.JsonParser;
import com.pulumi.kubernetes.meta.v1.inputs.ObjectMetaArgs;
import com.pulumi.resources.CustomResourceOptions;
import dev.dataplatform.config.ConfigException;
import dev.dataplatform.engine.Masking;
import dev.dataplatform.engine.PlannedResource;
import dev.dataplatform.guardrails.Finding;
import dev.dataplatform.guardrails.Severity;
import dev.dataplatform.kubernetes.crd.CrdKind;
import dev.dataplatform.kubernetes.crd.CrdSpec;
import dev.dataplatform.kubernetes.crd.KubernetesCustomResource;
import dev.dataplatform.kubernetes.crd.StackGres;
import dev.dataplatform.plan.Cli;
import dev.dataplatform.plan.Plan;
import dev.dataplatform.program.PlatformProgram;
import dev.dataplatform.testing.Conformance;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code plan --schemas DIR} against the real CRDs of StackGres 1.18.6, External Secrets v2.9.0 and
 * KEDA v2.20.2 and the real opentelemetry-collector chart schema (shared/conformance, through
 * {@link Conformance}).
 */
public class SchemaCatalogTest {
    static final Path ROOT = Path.of("..");
    static final String SG_CLUSTER = "kubernetes:stackgres.io/v1:SGCluster";
    static Path conformance;
    static SchemaCatalog catalog;
    /** The committed stage stack, planned without schemas; tests validate (changed copies of) its resources. */
    static Plan.Result stagePlan;
    static Plan.Result stageShardPlan;

    @BeforeAll
    static void load() {
        conformance = Conformance.require("crds/stackgres-1.18.6/SGCluster.yaml").getParent().getParent().getParent();
        catalog = SchemaCatalog.load(conformance);
        stagePlan = dev.dataplatform.program.CommittedPlans.of("stage");
        // stage's tenants (SGCluster, SGScript, SGPoolingConfig) live in its shard.
        stageShardPlan = dev.dataplatform.program.CommittedPlans.of("stage-tenants-01");
    }

    static List<Finding> schemaFindings(Plan.Result plan) {
        return plan.findings().stream().filter(f -> f.rule().startsWith("schema")).toList();
    }

    /** A copy of a resource with its inputs changed at a dotted path (a new map all the way down). */
    @SuppressWarnings("unchecked")
    static PlannedResource with(PlannedResource resource, String path, Object value, String renameTo) {
        var inputs = (Map<String, Object>) deepCopy(resource.inputs());
        String[] parts = path.split("\\.");
        Object node = inputs;
        for (int i = 0; i < parts.length - 1; i++) {
            node = node instanceof List<?> list ? list.get(Integer.parseInt(parts[i])) : ((Map<String, Object>) node).get(parts[i]);
        }
        var map = (Map<String, Object>) node;
        String last = parts[parts.length - 1];
        Object old = map.remove(last);
        map.put(renameTo == null ? last : renameTo, value == null ? old : value);
        return new PlannedResource(resource.urn(), resource.type(), resource.name(), resource.parent(), resource.custom(),
                inputs, resource.options());
    }

    static Object deepCopy(Object value) {
        if (value instanceof Map<?, ?> map) {
            var copy = new LinkedHashMap<String, Object>();
            map.forEach((k, v) -> copy.put((String) k, deepCopy(v)));
            return copy;
        }
        if (value instanceof List<?> list) {
            var copy = new ArrayList<>();
            list.forEach(v -> copy.add(deepCopy(v)));
            return copy;
        }
        return value;
    }

    @Test
    void theCatalogHoldsEveryKindAndVersionTheProgramDeclares() {
        var kinds = catalog.kinds();
        assertEquals(List.of("v1"), kinds.get("stackgres.io/SGCluster"));
        assertEquals(List.of("v1alpha1"), kinds.get("stackgres.io/SGShardedCluster"));
        assertEquals(List.of("v1beta1"), kinds.get("stackgres.io/SGObjectStorage"));
        assertEquals(List.of("v1"), kinds.get("stackgres.io/SGPoolingConfig"));
        assertEquals(List.of("v1", "v1beta1"), kinds.get("external-secrets.io/ExternalSecret"));
        assertEquals(List.of("v1alpha1"), kinds.get("keda.sh/TriggerAuthentication"));
        assertEquals(List.of("opentelemetry-collector@0.170.0"), catalog.charts());
    }

    @ParameterizedTest
    @ValueSource(strings = {"stage", "prod"})
    void theCommittedStacksHaveNoSchemaFindings(String stack) {
        var plan = Plan.run(ROOT, stack, PlatformProgram::declare, conformance);
        assertTrue(plan.recording().succeeded());
        assertEquals(List.of(), schemaFindings(plan));
        // The environment's tenant shard, over the platform's outputs, with the same schemas.
        var shard = Plan.run(ROOT, stack + "-tenants-01", PlatformProgram::declare, conformance, plan.recording().outputs());
        assertTrue(shard.recording().succeeded(), shard.recording().exceptions().toString());
        assertEquals(List.of(), schemaFindings(shard));
        // Something was validated: the stacks declare custom resources of kinds found in the catalog.
        long custom = java.util.stream.Stream.of(plan, shard).flatMap(p -> p.recording().resources().stream())
                .filter(r -> SchemaCatalog.CUSTOM_TYPE.matcher(r.type()).matches() && !r.type().contains(".k8s.io/")).count();
        assertTrue(custom >= 10, "custom resources planned: " + custom);
        assertTrue(shard.recording().resources().stream().anyMatch(r -> r.type().equals(SG_CLUSTER)), "the shard's SGCluster is validated");
    }

    @Test
    void aMisspelledFieldIsAnErrorNamingItsPath() {
        var plan = stageShardPlan;
        var cluster = plan.recording().resources().stream().filter(r -> r.type().equals(SG_CLUSTER)).findFirst().orElseThrow();
        assertEquals(List.of(), catalog.validate(List.of(cluster)));

        var misspelled = with(cluster, "spec.instances", null, "instancs");
        var findings = catalog.validate(List.of(misspelled));
        var finding = findings.stream().filter(f -> "spec.instancs".equals(f.path())).findFirst()
                .orElseThrow(() -> new AssertionError(findings.toString()));
        assertEquals("schema", finding.rule());
        assertEquals(Severity.ERROR, finding.severity());
        assertEquals(cluster.urn(), finding.resource());
        assertTrue(finding.message().startsWith("spec.instancs: ") && finding.message().contains("not defined in the schema"),
                finding.message());
        // instances is required: renaming it also leaves it missing.
        assertEquals(List.of("spec.instances", "spec.instancs"), findings.stream().map(Finding::path).sorted().toList());

        // Deeper, inside a list: an SGScript entry's misspelled key.
        var script = plan.recording().resources().stream().filter(r -> r.type().equals("kubernetes:stackgres.io/v1:SGScript"))
                .findFirst().orElseThrow();
        var badEntry = catalog.validate(List.of(with(script, "spec.scripts.1.database", null, "databse")));
        assertEquals(List.of("spec.scripts[1].databse"), badEntry.stream().map(Finding::path).toList());
    }

    @Test
    void theTenantsPoolingConfigIsSchemaValidAndReferencedByItsCluster() {
        var pooling = stageShardPlan.recording().resources().stream()
                .filter(r -> r.type().equals("kubernetes:stackgres.io/v1:SGPoolingConfig")).findFirst().orElseThrow();
        assertEquals(List.of(), catalog.validate(List.of(pooling)));
        var cluster = stageShardPlan.recording().resources().stream().filter(r -> r.type().equals(SG_CLUSTER)).findFirst().orElseThrow();
        assertEquals(pooling.kubernetesName().orElseThrow(), cluster.input("spec.configurations.sgPoolingConfig").orElseThrow());
        assertEquals(List.of(), catalog.validate(List.of(cluster)));
        var misspelled = catalog.validate(List.of(with(pooling, "spec.pgBouncer", null, "pgbouncer")));
        assertEquals(List.of("spec.pgbouncer"), misspelled.stream().map(Finding::path).toList());
        var misplaced = catalog.validate(List.of(with(cluster, "spec.configurations.sgPoolingConfig", null, "sgPoolConfig")));
        assertEquals(List.of("spec.configurations.sgPoolConfig"), misplaced.stream().map(Finding::path).toList());
    }

    @Test
    void wrongTypesAndValuesAreErrorsButOfflinePlaceholdersAreNot() {
        var plan = stageShardPlan;
        var cluster = plan.recording().resources().stream().filter(r -> r.type().equals(SG_CLUSTER)).findFirst().orElseThrow();
        var wrongType = catalog.validate(List.of(with(cluster, "spec.instances", "three", null)));
        assertEquals(List.of("spec.instances"), wrongType.stream().map(Finding::path).toList());
        assertEquals(List.of(), catalog.validate(List.of(with(cluster, "spec.instances", Masking.UNKNOWN, null))));
        assertEquals(List.of(), catalog.validate(List.of(with(cluster, "spec.postgres", Masking.UNKNOWN, null))));
        assertEquals(List.of(), catalog.validate(List.of(with(cluster, "spec.configurations.binding.password", Masking.SECRET, null))));
        // A missing required field is reported with its path.
        var noVersion = catalog.validate(List.of(with(cluster, "spec.postgres.version", null, "versoin")));
        assertTrue(noVersion.stream().anyMatch(f -> f.path().equals("spec.postgres.version") && f.message().contains("required")),
                noVersion.toString());
    }

    @Test
    void anUnservedVersionIsAnError() {
        var plan = stagePlan;
        var external = plan.recording().resources().stream()
                .filter(r -> r.type().equals("kubernetes:external-secrets.io/v1:ExternalSecret")).findFirst().orElseThrow();
        var old = new PlannedResource(external.urn(), "kubernetes:external-secrets.io/v1beta1:ExternalSecret", external.name(),
                external.parent(), true, external.inputs(), external.options());
        var findings = catalog.validate(List.of(old));
        assertEquals(1, findings.size());
        assertTrue(findings.get(0).message().contains("v1beta1 is not served") && findings.get(0).message().contains("[v1]"),
                findings.get(0).message());
    }

    @Test
    void helmValuesAreCheckedAgainstTheChartSchemaMergedOverItsDefaults() {
        var options = new PlannedResource.Options(false, false, List.of(), null, List.of(), null);
        var good = new PlannedResource("urn:collector", "kubernetes:helm.sh/v3:Release", "collector", null, true,
                Map.of("chart", "opentelemetry-collector", "version", "0.170.0",
                        "values", Map.of("mode", "deployment", "image", Map.of("repository", "otel/opentelemetry-collector-k8s"))),
                options);
        assertEquals(List.of(), catalog.validate(List.of(good)));
        var bad = new PlannedResource("urn:collector", "kubernetes:helm.sh/v3:Release", "collector", null, true,
                Map.of("chart", "opentelemetry-collector", "version", "0.170.0",
                        "values", Map.of("mode", "sideways", "image", Map.of("repository", "otel/opentelemetry-collector-k8s"))),
                options);
        var findings = catalog.validate(List.of(bad));
        assertTrue(findings.stream().anyMatch(f -> f.path().equals("values.mode") && f.severity() == Severity.ERROR), findings.toString());
        // Another chart version: no schema for it here, so not checked.
        var other = new PlannedResource("urn:collector", "kubernetes:helm.sh/v3:Release", "collector", null, true,
                Map.of("chart", "opentelemetry-collector", "version", "0.108.0", "values", Map.of("mode", "sideways")), options);
        assertEquals(List.of(), catalog.validate(List.of(other)));
    }

    /** A CR with a misspelled field, as a program would declare it. */
    public record MisspelledClusterSpec(Integer instancs, String sgInstanceProfile) implements CrdSpec {
        public CrdKind kind() {
            return StackGres.CLUSTER;
        }
    }

    @Test
    void theCommandLineReportsSchemaFindingsInTheJsonPlanAndExitsOne() {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int code = Cli.run(new String[]{"plan", "--stack", "stage", "--cwd", ROOT.toString(), "--schemas", conformance.toString(),
                "--json"}, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                (ctx, config) -> {
                    PlatformProgram.declare(ctx, config);
                    // The stack disables the default Kubernetes provider: the resource names one, as the program's do.
                    var cluster = new com.pulumi.kubernetes.Provider("schema-test-cluster",
                            com.pulumi.kubernetes.ProviderArgs.builder().context("kind-test").build());
                    new KubernetesCustomResource("bad-cluster", ObjectMetaArgs.builder().name("bad").namespace("x").build(),
                            new MisspelledClusterSpec(2, "size"), CustomResourceOptions.builder().provider(cluster).build());
                });
        assertEquals(Cli.GUARDRAIL_ERROR, code, err.toString(StandardCharsets.UTF_8));
        var findings = JsonParser.parseString(out.toString(StandardCharsets.UTF_8)).getAsJsonObject().getAsJsonArray("findings");
        var schema = new ArrayList<Map<String, String>>();
        findings.forEach(f -> {
            var o = f.getAsJsonObject();
            if (o.get("rule").getAsString().equals("schema")) {
                schema.add(Map.of("severity", o.get("severity").getAsString(), "path", o.get("path").getAsString(),
                        "resource", o.get("resource").getAsString()));
            }
        });
        var misspelled = schema.stream().filter(f -> f.get("path").equals("spec.instancs")).toList();
        assertEquals(1, misspelled.size(), findings.toString());
        assertEquals("error", misspelled.get(0).get("severity"));
        assertTrue(misspelled.get(0).get("resource").endsWith("SGCluster::bad-cluster"), misspelled.get(0).get("resource"));
        // Only the declared bad resource has schema findings.
        assertTrue(schema.stream().allMatch(f -> f.get("resource").endsWith("::bad-cluster")), schema.toString());

        // The committed stack alone exits 0 with the same directory.
        var clean = new ByteArrayOutputStream();
        assertEquals(Cli.OK, Cli.run(new String[]{"plan", "--stack", "stage", "--cwd", ROOT.toString(), "--schemas",
                conformance.toString()}, new PrintStream(clean, true, StandardCharsets.UTF_8), new PrintStream(err, true,
                StandardCharsets.UTF_8)), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aSchemasDirectoryWithoutSchemasIsAUsageError(@TempDir Path empty) {
        var error = assertThrows(ConfigException.class, () -> SchemaCatalog.load(empty));
        assertTrue(error.getMessage().contains("holds no CustomResourceDefinition"), error.getMessage());
        var err = new ByteArrayOutputStream();
        assertEquals(Cli.INVALID, Cli.run(new String[]{"plan", "--stack", "stage", "--cwd", ROOT.toString(), "--schemas",
                empty.resolve("missing").toString()}, new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true,
                StandardCharsets.UTF_8)));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("is not a directory"), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aCitusTenantInATestStackValidatesAndItsScriptCreatesNoDatabase(@TempDir Path project) throws Exception {
        Files.copy(ROOT.resolve("Pulumi.yaml"), project.resolve("Pulumi.yaml"));
        Files.copy(ROOT.resolve("Pulumi.stage.yaml"), project.resolve("Pulumi.stage.yaml"));
        String shard = Files.readString(ROOT.resolve("Pulumi.stage-tenants-01.yaml"));
        String clients = "    clients:\n";
        assertTrue(shard.contains(clients));
        shard = shard.replace(clients, clients + "      - name: initech\n        instances: 2\n        extensions: [postgis]\n"
                + "        citus: {shards: 2, instancesPerShard: 2}\n");
        Files.writeString(project.resolve("Pulumi.stage-tenants-01.yaml"), shard);
        var plan = Plan.run(project, "stage-tenants-01", PlatformProgram::declare, conformance, stagePlan.recording().outputs());
        assertTrue(plan.recording().succeeded(), plan.recording().exceptions().toString());
        assertEquals(List.of(), schemaFindings(plan));
        assertFalse(plan.hasErrors(), plan.findings().toString());
        var sharded = plan.recording().resources().stream()
                .filter(r -> r.type().equals("kubernetes:stackgres.io/v1alpha1:SGShardedCluster")).toList();
        assertEquals(1, sharded.size());
        assertEquals("initech", sharded.get(0).input("spec.database").orElseThrow());
        // The coordinator's pooler is the tenant's SGPoolingConfig, schema-valid too (no findings above).
        assertEquals("pooling", sharded.get(0).input("spec.coordinator.configurations.sgPoolingConfig").orElseThrow());
        var script = plan.recording().resources().stream().filter(r -> r.type().equals("kubernetes:stackgres.io/v1:SGScript")
                && "tenant-initech".equals(r.kubernetesNamespace().orElse(null))).findFirst().orElseThrow();
        var entries = (List<?>) script.input("spec.scripts").orElseThrow();
        assertTrue(entries.stream().noneMatch(e -> String.valueOf(((Map<?, ?>) e).get("script")).contains("CREATE DATABASE")),
                entries.toString());
        assertTrue(entries.stream().anyMatch(e -> "initech".equals(((Map<?, ?>) e).get("database"))), "the grants still apply in it");
    }
}
