package dev.dataplatform.stackgres;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The facts table names a source for every row, and docs/upstream-facts.md lists the same rows. */
class OperatorFactsTest {
    static final Path DOCS = Path.of("..", "docs", "upstream-facts.md");

    @Test
    void everyFactHasAPinnedSourceAndIsInTheDocs() throws Exception {
        String docs = Files.readString(DOCS);
        int start = docs.indexOf("## StackGres, External Secrets and KEDA");
        int end = docs.indexOf("\n## ", start + 1);
        String section = docs.substring(start, end < 0 ? docs.length() : end);
        for (var fact : OperatorFacts.table()) {
            assertFalse(fact.source().isBlank(), fact.what());
            assertTrue(fact.source().contains("@") || fact.source().contains("read 2026-"), "source without tag or date: " + fact);
            assertTrue(section.contains("| " + fact.what() + ": " + fact.value() + " | " + fact.source() + " |"),
                    "docs/upstream-facts.md (StackGres section) lacks the row for: " + fact.what());
        }
    }

    @Test
    void theProjectRunsOnlyMajorsStackGresShips() {
        assertTrue(OperatorFacts.POSTGRES_MAJORS_SHIPPED.containsAll(OperatorFacts.POSTGRES_MAJORS));
        assertTrue(TenantRules.postgresVersion("16").isEmpty());
        assertTrue(TenantRules.postgresVersion("12").orElseThrow().contains("ships it, but the project runs only"));
        assertTrue(TenantRules.postgresVersion("19").orElseThrow().contains("ships that the project runs"));
        assertEquals(OperatorFacts.EXTENSION_NAMES.size(), OperatorFacts.EXTENSIONS.size(), "no extension listed twice");
        assertTrue(TenantRules.shippedExtension("postgis").isEmpty());
        assertTrue(TenantRules.shippedExtension("pg_cron").orElseThrow().contains("allowed: btree_gist"));
    }

    @Test
    void sqsQueueUrlsBecomeTheirArns() {
        assertEquals("arn:aws:sqs:eu-west-1:210987654321:globex-jobs",
                TenantRules.sqsQueueArn("https://sqs.eu-west-1.amazonaws.com/210987654321/globex-jobs").orElseThrow());
        assertEquals("arn:aws:sqs:us-east-1:123456789012:jobs.fifo",
                TenantRules.sqsQueueArn("https://sqs.us-east-1.amazonaws.com/123456789012/jobs.fifo").orElseThrow());
        assertTrue(TenantRules.sqsQueueArn("https://example.com/queue").isEmpty());
        assertTrue(TenantRules.sqsQueueArn(null).isEmpty());
    }
}
