package dev.dataplatform.fleet;

import dev.dataplatform.automation.PulumiEngine;
import dev.dataplatform.config.ConfigException;
import dev.dataplatform.config.StackFile;
import dev.dataplatform.engine.PlannedResource;
import dev.dataplatform.plan.Cli;
import dev.dataplatform.plan.Plan;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FleetTest {
    static final Path ROOT = Path.of("..");

    @Test
    void theShardReadsThePlatformThroughAStackReferenceAndItsTenantIsConcrete() {
        var plan = Plan.run(ROOT, "prod-tenants-01");
        var resources = plan.recording().resources();
        var reference = resources.stream().filter(r -> r.type().equals("pulumi:pulumi:StackReference")).findFirst().orElseThrow();
        assertEquals("organization/data-platform/prod", reference.inputs().get("name"));
        var cluster = resources.stream().filter(r -> r.type().equals("kubernetes:stackgres.io/v1:SGCluster")).findFirst().orElseThrow();
        assertEquals("urn:pulumi:prod-tenants-01::data-platform::dataplatform:kubernetes:StackGresTenant$kubernetes:stackgres.io/v1:SGCluster::globex-cluster",
                cluster.urn());
        // Concrete: the backup schedule and namespace come from the platform's export, not unknowns.
        assertEquals("tenant-globex", cluster.input("metadata.namespace").orElseThrow());
        assertEquals("0 3 * * *", cluster.input("spec.configurations.backups.0.cronSchedule").orElseThrow());
        var provider = resources.stream().filter(r -> r.type().equals("pulumi:providers:kubernetes")).map(PlannedResource::name).toList();
        assertEquals(List.of("prod-eks"), provider, "the shard's own provider for the platform's tenant cluster");
        assertTrue(String.valueOf(cluster.options().provider()).startsWith(
                "urn:pulumi:prod-tenants-01::data-platform::pulumi:providers:kubernetes::prod-eks"), cluster.options().provider());
        assertFalse(plan.hasErrors(), plan.findings().toString());
    }

    @Test
    void thePlatformPlanKeepsNoTenantClusterAndExportsWhatShardsNeed() {
        var plan = Plan.run(ROOT, "prod");
        assertTrue(plan.recording().resources().stream().noneMatch(r -> r.type().endsWith(":SGCluster")));
        @SuppressWarnings("unchecked")
        var exported = (Map<String, Object>) plan.recording().outputs().get(Shard.EXPORT);
        assertEquals("prod", exported.get("environment"));
        assertTrue(((Map<?, ?>) exported.get("clusters")).containsKey("prod-eks"));
    }

    @Test
    void badShardsAreRefusedWithFileAndKey(@TempDir Path dir) throws IOException {
        Files.copy(ROOT.resolve("Pulumi.yaml"), dir.resolve("Pulumi.yaml"));
        var otherEnv = StackFile.parse("Pulumi.prod-tenants-02.yaml", "prod-tenants-02", """
                config:
                  data-platform:environment: prod
                  data-platform:platformStack: organization/data-platform/stage
                  data-platform:tenants:
                    clients: [{name: a}]
                """);
        var e = assertThrows(ConfigException.class, () -> Shard.parse(otherEnv, "data-platform"));
        assertTrue(e.errors().toString().contains("Pulumi.prod-tenants-02.yaml: data-platform:platformStack"), e.errors().toString());
        var over = StackFile.parse("Pulumi.prod-tenants-03.yaml", "prod-tenants-03", """
                config:
                  data-platform:environment: prod
                  data-platform:shardSize: 1
                  data-platform:tenants:
                    clients: [{name: a}, {name: b}]
                """);
        e = assertThrows(ConfigException.class, () -> Shard.parse(over, "data-platform"));
        assertTrue(e.errors().toString().contains("data-platform:tenants.clients: 2 clients is over the shard's size 1"), e.errors().toString());
        var shared = StackFile.parse("Pulumi.prod-tenants-04.yaml", "prod-tenants-04", """
                config:
                  data-platform:environment: prod
                  data-platform:tenants:
                    backups: {bucket: x}
                    clients: [{name: a}]
                """);
        e = assertThrows(ConfigException.class, () -> Shard.parse(shared, "data-platform"));
        assertTrue(e.errors().toString().contains("data-platform:tenants.backups: is not a shard key"), e.errors().toString());
        var one = Shard.parse(StackFile.parse("Pulumi.prod-tenants-01.yaml", "prod-tenants-01",
                "config:\n  data-platform:environment: prod\n  data-platform:tenants:\n    clients: [{name: a}, {name: b}]\n"), "data-platform");
        var two = Shard.parse(StackFile.parse("Pulumi.prod-tenants-02.yaml", "prod-tenants-02",
                "config:\n  data-platform:environment: prod\n  data-platform:tenants:\n    clients: [{name: b}]\n"), "data-platform");
        var dup = Shard.duplicates(new java.util.TreeMap<>(Map.of("prod-tenants-01", one, "prod-tenants-02", two))).orElseThrow();
        assertEquals("[Pulumi.prod-tenants-02.yaml: data-platform:tenants.clients[0].name: 'b' is also in Pulumi.prod-tenants-01.yaml "
                + "data-platform:tenants.clients[1]: a client lives in exactly one shard]", dup.errors().toString());
    }

    @Test
    void platformFirstThenShardsBoundedAndAFailureStopsNoOther() {
        var order = Collections.synchronizedList(new ArrayList<String>());
        var running = new AtomicInteger();
        var peak = new AtomicInteger();
        var results = new Fleet().run("prod", List.of("prod-tenants-01", "prod-tenants-02", "prod-tenants-03", "prod-tenants-04",
                "prod-tenants-05"), 2, stack -> {
            order.add(stack);
            peak.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                Thread.sleep(stack.equals("prod") ? 5 : 60);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            } finally {
                running.decrementAndGet();
            }
            if (stack.equals("prod-tenants-02")) {
                throw new IllegalStateException("update failed");
            }
            return Map.of("create", 1);
        });
        assertEquals("prod", order.get(0));
        assertEquals(2, peak.get(), "at most --parallel shards at a time, and the bound is used");
        assertEquals(List.of("ok", "ok", "failed", "ok", "ok", "ok"), results.stream().map(Fleet.StackResult::result).toList());
        assertEquals("update failed", results.get(2).error());
    }

    @Test
    void aFailedPlatformSkipsTheShardsAndCancellationStartsNoNewStack() {
        var skipped = new Fleet().run("prod", List.of("prod-tenants-01"), 1, stack -> {
            throw new IllegalStateException("boom");
        });
        assertEquals(List.of("failed", "skipped"), skipped.stream().map(Fleet.StackResult::result).toList());
        var fleet = new Fleet();
        var results = fleet.run("prod", List.of("prod-tenants-01", "prod-tenants-02", "prod-tenants-03"), 1, stack -> {
            if (stack.equals("prod-tenants-01")) {
                fleet.cancel();
            }
            return Map.of();
        });
        assertEquals(List.of("ok", "ok", "skipped", "skipped"), results.stream().map(Fleet.StackResult::result).toList());
    }

    @Test
    void fleetUpRunsEveryStackThroughTheEngineAndExitsNonZeroOnAFailure() {
        var calls = Collections.synchronizedList(new ArrayList<String>());
        PulumiEngine engine = (PulumiEngine) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[]{PulumiEngine.class}, (proxy, method, args) -> {
                    if (method.getName().equals("up")) {
                        calls.add((String) args[0]);
                        if (args[0].equals("prod-tenants-01")) {
                            throw new dev.dataplatform.automation.PlatformException(
                                    dev.dataplatform.automation.PlatformException.Kind.UPDATE_FAILED, "SGCluster failed");
                        }
                        return new PulumiEngine.Changes(Map.of("update", 2));
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        var out = new ByteArrayOutputStream();
        int code = Cli.run(new String[]{"fleet", "up", "--env", "prod", "--json", "--parallel", "1", "--cwd", ".."},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream()), dir -> engine);
        assertEquals(Cli.PROGRAM_FAILED, code);
        assertEquals(List.of("prod", "prod-tenants-01"), calls);
        String json = out.toString(StandardCharsets.UTF_8);
        assertTrue(json.contains("\"stack\": \"prod-tenants-01\",\n      \"result\": \"failed\""), json);
        assertTrue(json.contains("\"update\": 2"), json);
    }

    @Test
    void tenantsAddPicksTheLeastLoadedShardAndCreatesTheNextWhenAllAreFull(@TempDir Path dir) throws IOException {
        for (String f : List.of("Pulumi.yaml", "Pulumi.prod.yaml", "Pulumi.prod-tenants-01.yaml")) {
            Files.copy(ROOT.resolve(f), dir.resolve(f));
        }
        Files.writeString(dir.resolve("Pulumi.prod-tenants-01.yaml"), Files.readString(dir.resolve("Pulumi.prod-tenants-01.yaml"))
                .replace("  data-platform:tenants:", "  data-platform:shardSize: 1\n  data-platform:tenants:"));
        var platformBefore = Files.readString(dir.resolve("Pulumi.prod.yaml"));
        var out = new ByteArrayOutputStream();
        int code = Cli.run(new String[]{"tenants", "add", "--env", "prod", "--name", "zeta", "--no-apply", "--cwd", dir.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        assertEquals(Cli.OK, code, out.toString());
        assertTrue(out.toString().contains("Pulumi.prod-tenants-02.yaml"), out.toString());
        assertTrue(Files.readString(dir.resolve("Pulumi.prod-tenants-02.yaml")).contains("- name: zeta"));
        assertEquals(platformBefore, Files.readString(dir.resolve("Pulumi.prod.yaml")));
        assertFalse(Files.readString(dir.resolve("Pulumi.prod-tenants-01.yaml")).contains("zeta"));
    }
}
