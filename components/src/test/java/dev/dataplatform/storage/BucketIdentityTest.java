package dev.dataplatform.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bucket identities: the forms each cloud accepts, and no input that makes the check slow. */
class BucketIdentityTest {
    static final Duration BOUND = Duration.ofSeconds(1);
    static final int LONG = 100_000;

    @ParameterizedTest
    @ValueSource(strings = {"serviceAccount:ingest@acme-data.iam.gserviceaccount.com", "group:readers@acme.com", "user:ana@acme.com"})
    void iamMembersAreAcceptedOnGcp(String member) {
        assertEquals(java.util.Optional.empty(), BucketRules.identity(ObjectBuckets.Cloud.GCP, member));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ingest@acme.com", "user:", "user:ana", "user:@acme.com", "user:ana@", "user:ana@acme@com",
            "user:ana @acme.com", "user:https://u:p@acme.com", "domain:acme.com", "allUsers"})
    void malformedMembersAreRefusedOnGcp(String member) {
        var problem = BucketRules.identity(ObjectBuckets.Cloud.GCP, member);
        assertTrue(problem.isPresent(), member);
        assertTrue(problem.get().contains("an IAM member such as serviceAccount:"), problem.get());
    }

    @Test
    void anOverlongIdentityIsRefusedWithoutBeingEchoed() {
        String member = "user:" + "a".repeat(400) + "@acme.com";
        var problem = BucketRules.identity(ObjectBuckets.Cloud.GCP, member).orElseThrow();
        assertTrue(problem.contains("at most " + BucketRules.IDENTITY_MAX_LENGTH + " characters"), problem);
        assertTrue(problem.length() < 200, problem);
    }

    @Test
    void hostileIdentitiesAreCheckedWithinTheBound() {
        // A member of 10k/20k/40k characters took 2.9/8.0/28.7 s with the former pattern.
        var hostile = List.of("user:" + "a".repeat(LONG), "user:" + "a@".repeat(LONG / 2) + " ", "user:" + "a".repeat(LONG) + "@" + "b".repeat(LONG) + " ",
                "serviceAccount:" + "@".repeat(LONG), "a".repeat(LONG) + ",");
        for (String identity : hostile) {
            for (var cloud : ObjectBuckets.Cloud.values()) {
                assertTimeoutPreemptively(BOUND, () -> {
                    assertTrue(BucketRules.identity(cloud, identity).isPresent());
                    // The config parser matches the pattern itself, without the length limit: it must be linear too.
                    BucketRules.identity(cloud).matcher(identity).matches();
                }, () -> identity.substring(0, 20) + "... on " + cloud);
            }
        }
    }
}
