package dev.dataplatform.program;

import dev.dataplatform.engine.PlannedResource;
import dev.dataplatform.plan.Plan;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The committed stacks' restore drills cannot escalate and their dump buckets are immutable: no drill login is a
 * superuser, CREATEROLE or CREATEDB login or a member of anything but rds_iam; every scratch database is owned by its
 * drill login; every bucket tagged as holding database dumps keeps them (S3: versioning and Object Lock, COMPLIANCE in
 * prod; GCS: a retention policy of the dumps' retention, locked in prod).
 */
class DrillStacksTest {
    static final Path ROOT = Path.of("..");

    static List<PlannedResource> all(Plan.Result plan, String type) {
        return plan.recording().resources().stream().filter(r -> r.type().equals(type)).toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "stage", "prod"})
    void noDrillLoginCanEscalateEveryScratchDatabaseIsItsOwnAndDumpBucketsAreImmutable(String stack) {
        var plan = Plan.run(ROOT, stack);
        var config = plan.config();
        var drillLogins = new ArrayList<String>();
        config.logicalBackups().filter(b -> b.restoreDrill() != null).ifPresent(b -> drillLogins.add(b.restoreDrill().login()));
        config.rds().filter(r -> r.logicalBackups() != null && r.logicalBackups().restoreDrill() != null)
                .ifPresent(r -> drillLogins.add(r.logicalBackups().restoreDrill().login()));
        for (var role : all(plan, "postgresql:index/role:Role")) {
            String name = (String) role.inputs().get("name");
            if (!drillLogins.contains(name)) {
                continue;
            }
            for (String flag : List.of("superuser", "createRole", "createDatabase", "bypassRowLevelSecurity")) {
                assertEquals(false, role.inputs().get(flag), stack + " " + name + " " + flag);
            }
            var roles = (List<?>) role.inputs().getOrDefault("roles", List.of());
            assertTrue(List.of("rds_iam").containsAll(roles), stack + " " + name + " is a member of " + roles);
        }
        for (var database : all(plan, "postgresql:index/database:Database")) {
            String name = (String) database.inputs().get("name");
            if (name.startsWith("restore_drill_")) {
                assertTrue(drillLogins.contains((String) database.inputs().get("owner")), stack + " " + name + " "
                        + database.inputs().get("owner"));
            }
        }
        // dev drills on Cloud SQL (4 databases), stage on RDS (3); prod has no drill configured (on demand).
        long scratch = all(plan, "postgresql:index/database:Database").stream()
                .filter(d -> ((String) d.inputs().get("name")).startsWith("restore_drill_")).count();
        assertEquals(Map.of("dev", 4L, "stage", 3L, "prod", 0L).get(stack), scratch, stack + ": scratch databases");
        assertFalse(!stack.equals("prod") && drillLogins.isEmpty(), stack + " drills");
        everyDumpBucketIsImmutable(stack, plan);
    }

    static void everyDumpBucketIsImmutable(String stack, Plan.Result plan) {
        boolean prod = stack.equals("prod");
        int buckets = 0;
        for (var bucket : all(plan, "gcp:storage/bucket:Bucket")) {
            if (!"database-dumps".equals(((Map<?, ?>) bucket.inputs().getOrDefault("labels", Map.of())).get("data-platform-contents"))) {
                continue;
            }
            buckets++;
            var retention = (Map<?, ?>) bucket.inputs().get("retentionPolicy");
            int days = plan.config().logicalBackups().orElseThrow().retentionDays();
            assertEquals(days * 86_400, ((Number) retention.get("retentionPeriod")).intValue(), stack);
            assertEquals(prod, retention.get("isLocked"), stack);
        }
        for (var bucket : all(plan, "aws:s3/bucketV2:BucketV2")) {
            if (!"database-dumps".equals(((Map<?, ?>) bucket.inputs().getOrDefault("tags", Map.of())).get("data-platform-contents"))) {
                continue;
            }
            buckets++;
            String name = bucket.name();
            var lock = all(plan, "aws:s3/bucketObjectLockConfigurationV2:BucketObjectLockConfigurationV2").stream()
                    .filter(r -> r.name().equals(name)).findFirst().orElseThrow(() -> new AssertionError(stack + ": no Object Lock on " + name));
            var retention = (Map<?, ?>) ((Map<?, ?>) lock.inputs().get("rule")).get("defaultRetention");
            assertEquals(prod ? "COMPLIANCE" : "GOVERNANCE", retention.get("mode"), stack);
            assertEquals(plan.config().rds().orElseThrow().logicalBackups().retentionDays(), ((Number) retention.get("days")).intValue());
            assertTrue(all(plan, "aws:s3/bucketVersioningV2:BucketVersioningV2").stream().anyMatch(r -> r.name().equals(name)),
                    stack + ": no versioning on " + name);
        }
        assertEquals(Map.of("dev", 1, "stage", 1, "prod", 2).get(stack), buckets, stack + ": dump buckets");
    }
}
