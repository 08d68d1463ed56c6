package dev.dataplatform.storage;

import com.google.gson.JsonParser;
import com.pulumi.resources.ComponentResourceOptions;
import dev.dataplatform.core.Environment;
import dev.dataplatform.engine.PlannedResource;
import dev.dataplatform.guardrails.Finding;
import dev.dataplatform.storage.ObjectBuckets.Cloud;
import dev.dataplatform.testing.Harness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ObjectBucketsTest {
    static final String S3 = "aws:s3/bucketV2:BucketV2";
    static final String GCS = "gcp:storage/bucket:Bucket";

    static ObjectBuckets.Args.Builder aws() {
        return ObjectBuckets.Args.builder().cloud(Cloud.AWS).prefix("acme-lake").environment("prod").warehouse(true)
                .rawRetentionDays(365).protectRaw(true).protect(true).labels(Map.of("environment", "prod"))
                .identities(List.of("data-ingestion"), List.of("data-transformer"), List.of("stac-api", "analysts"));
    }

    static ObjectBuckets.Args.Builder gcp() {
        return ObjectBuckets.Args.builder().cloud(Cloud.GCP).prefix("acme-lake").environment("prod")
                .gcpProject("acme-data-prod").location("EU")
                .rawRetentionDays(365).protectRaw(true).protect(true)
                .identities(List.of("serviceAccount:ingest@acme-data-prod.iam.gserviceaccount.com"),
                        List.of("serviceAccount:transform@acme-data-prod.iam.gserviceaccount.com"),
                        List.of("serviceAccount:api@acme-data-prod.iam.gserviceaccount.com"));
    }

    static Harness.Run run(Environment env, ObjectBuckets.Args args) {
        return Harness.preview(env, ctx -> {
            var buckets = new ObjectBuckets("lake", args, ComponentResourceOptions.Empty);
            ctx.export("names", buckets.bucketNames);
            ctx.export("ids", buckets.bucketIds);
            ctx.export("identities", buckets.identities);
        }).succeeded();
    }

    /** The settings resource of {@code type} that belongs to (depends on) the bucket. */
    static PlannedResource setting(Harness.Run run, String type, PlannedResource bucket) {
        var matches = run.all(type).stream().filter(r -> r.options().dependsOn().contains(bucket.urn())).toList();
        assertEquals(1, matches.size(), type + " for " + bucket.name());
        return matches.get(0);
    }

    @Test
    void s3BucketsAreNamedPerEnvironmentAndPassTheGuardrails() {
        var run = run(Environment.PROD, aws().build());
        assertEquals(Map.of("raw", "acme-lake-prod-raw", "curated", "acme-lake-prod-curated", "warehouse", "acme-lake-prod-warehouse"),
                run.output("names"));
        assertEquals(3, run.count(S3));
        assertEquals(List.of(), run.findings(Environment.PROD));
    }

    @Test
    void s3BucketArnsAreKnownBeforeDeploymentFromTheirNames() {
        var run = run(Environment.PROD, aws().build());
        assertEquals(Map.of("raw", "arn:aws:s3:::acme-lake-prod-raw", "curated", "arn:aws:s3:::acme-lake-prod-curated",
                "warehouse", "arn:aws:s3:::acme-lake-prod-warehouse"), run.output("ids"));
    }

    @Test
    void identitiesAreKeyedAsTheConfigNamesThem() {
        var run = run(Environment.PROD, gcp().build());
        @SuppressWarnings("unchecked")
        var identities = (Map<String, Object>) run.output("identities");
        assertEquals(java.util.Set.of("ingestion", "transformer", "readers"), identities.keySet());
        assertEquals("serviceAccount:api@acme-data-prod.iam.gserviceaccount.com", identities.get("readers"));
    }

    @Test
    void rawOnS3IsVersionedLockedProtectedAndOnlyMovesToColderStorage() {
        var run = run(Environment.PROD, aws().build());
        var raw = run.resource(S3, "lake-raw");
        assertEquals(true, raw.inputs().get("objectLockEnabled"));
        assertTrue(raw.options().protect());
        assertTrue(raw.options().retainOnDelete());
        assertEquals("Enabled", setting(run, "aws:s3/bucketVersioningV2:BucketVersioningV2", raw).input("versioningConfiguration.status").orElseThrow());
        var lock = setting(run, "aws:s3/bucketObjectLockConfigurationV2:BucketObjectLockConfigurationV2", raw);
        assertEquals("GOVERNANCE", lock.input("rule.defaultRetention.mode").orElseThrow());
        assertEquals(365L, lock.input("rule.defaultRetention.days").orElseThrow());
        var lifecycle = setting(run, "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2", raw);
        assertEquals(List.of(Map.of("days", 30L, "storageClass", "STANDARD_IA"), Map.of("days", 365L, "storageClass", "GLACIER")),
                lifecycle.input("rules.0.transitions").orElseThrow());
        assertTrue(lifecycle.input("rules.0.expiration").isEmpty(), "raw never expires");
    }

    @Test
    void curatedExpiresOldVersionsAndCanBePruned() {
        var run = run(Environment.PROD, aws().curatedPruneAfterDays(400).noncurrentVersionExpirationDays(14).build());
        var curated = run.resource(S3, "lake-curated");
        assertEquals(false, curated.inputs().get("objectLockEnabled"));
        assertFalse(curated.options().retainOnDelete());
        var rule = setting(run, "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2", curated);
        assertEquals(14L, rule.input("rules.0.noncurrentVersionExpiration.noncurrentDays").orElseThrow());
        assertEquals(400L, rule.input("rules.0.expiration.days").orElseThrow());
        var warehouse = setting(run, "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2", run.resource(S3, "lake-warehouse"));
        assertTrue(warehouse.input("rules.0.expiration").isEmpty(), "the warehouse is not pruned");
    }

    @Test
    void everyS3BucketIsPrivateEncryptedAndTlsOnly() {
        String key = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        var run = run(Environment.PROD, aws().kmsKeyId(key).build());
        for (var bucket : run.all(S3)) {
            var block = setting(run, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", bucket);
            for (String k : List.of("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")) {
                assertEquals(true, block.inputs().get(k), k);
            }
            assertEquals("BucketOwnerEnforced", setting(run, "aws:s3/bucketOwnershipControls:BucketOwnershipControls", bucket)
                    .input("rule.objectOwnership").orElseThrow());
            var sse = setting(run, "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2", bucket);
            assertEquals(key, sse.input("rules.0.applyServerSideEncryptionByDefault.kmsMasterKeyId").orElseThrow());
            var policy = JsonParser.parseString((String) setting(run, "aws:s3/bucketPolicy:BucketPolicy", bucket).inputs().get("policy"))
                    .getAsJsonObject().getAsJsonArray("Statement").get(0).getAsJsonObject();
            assertEquals("Deny", policy.get("Effect").getAsString());
            assertEquals("false", policy.getAsJsonObject("Condition").getAsJsonObject("Bool").get("aws:SecureTransport").getAsString());
        }
    }

    @Test
    void awsIdentitiesGetLeastPrivilege() {
        var run = run(Environment.PROD, aws().build());
        var ingestion = run.resource("aws:iam/policy:Policy", "lake-ingestion").inputs().get("policy").toString();
        assertTrue(ingestion.contains("s3:PutObject") && ingestion.contains("arn:aws:s3:::acme-lake-prod-raw/*"));
        assertFalse(ingestion.contains("DeleteObject"), "ingestion cannot delete");
        assertFalse(ingestion.contains("curated"), "ingestion does not touch curated");
        var transformer = run.resource("aws:iam/policy:Policy", "lake-transformer").inputs().get("policy").toString();
        assertTrue(transformer.contains("\"Action\":[\"s3:GetObject\"],\"Resource\":[\"arn:aws:s3:::acme-lake-prod-raw/*\"]"),
                "the transformer only reads raw: " + transformer);
        assertTrue(transformer.contains("arn:aws:s3:::acme-lake-prod-curated/*"));
        var reader = run.resource("aws:iam/policy:Policy", "lake-reader").inputs().get("policy").toString();
        assertFalse(reader.contains("raw") || reader.contains("PutObject"), reader);
        var attached = run.all("aws:iam/rolePolicyAttachment:RolePolicyAttachment").stream()
                .map(r -> (String) r.inputs().get("role")).collect(Collectors.toSet());
        assertEquals(Set.of("data-ingestion", "data-transformer", "stac-api", "analysts"), attached);
    }

    @Test
    void gcsRawHasARetentionPolicyInsteadOfVersioningAndEveryBucketIsPrivate() {
        var run = run(Environment.PROD, gcp().build());
        var raw = run.resource(GCS, "lake-raw");
        assertEquals(365L * 86_400, raw.input("retentionPolicy.retentionPeriod").orElseThrow());
        assertTrue(raw.input("versioning").isEmpty(), "GCS cannot combine versioning with a retention policy");
        assertTrue(raw.options().protect() && raw.options().retainOnDelete());
        assertEquals(true, run.input(GCS, "lake-curated", "versioning.enabled"));
        for (var bucket : run.all(GCS)) {
            assertEquals("enforced", bucket.inputs().get("publicAccessPrevention"));
            assertEquals(true, bucket.inputs().get("uniformBucketLevelAccess"));
        }
        assertEquals(Map.of("raw", "gs://acme-lake-prod-raw", "curated", "gs://acme-lake-prod-curated"), run.output("ids"));
        assertEquals(List.of(), run.findings(Environment.PROD));
    }

    @Test
    void gcsIdentitiesGetObjectLevelRolesOnly() {
        var run = run(Environment.PROD, gcp().build());
        var grants = run.all("gcp:storage/bucketIAMMember:BucketIAMMember").stream()
                .map(r -> r.inputs().get("role") + " " + r.inputs().get("member").toString().split("@")[0])
                .sorted().toList();
        assertEquals(List.of(
                "roles/storage.objectCreator serviceAccount:ingest",
                "roles/storage.objectUser serviceAccount:transform",
                "roles/storage.objectViewer serviceAccount:api",
                "roles/storage.objectViewer serviceAccount:transform"), grants);
    }

    @Test
    void aWarehouseTheCatalogOwnsGetsNoDirectGrants() {
        // GCS: the transformer and readers keep raw and curated, nothing on the warehouse (the catalog binds its own).
        var gcs = run(Environment.PROD, gcp().warehouse(true).warehouseDirectAccess(false).build());
        assertTrue(gcs.all("gcp:storage/bucketIAMMember:BucketIAMMember").stream().noneMatch(r -> r.name().startsWith("lake-warehouse-")),
                "no member on the warehouse");
        assertEquals(4, gcs.all("gcp:storage/bucketIAMMember:BucketIAMMember").size());
        var direct = run(Environment.PROD, gcp().warehouse(true).build());
        assertEquals(List.of("lake-warehouse-reader-api-acme-data-prod.iam.gserviceaccount.com",
                        "lake-warehouse-transformer-transform-acme-data-prod.iam.gserviceaccount.com"),
                direct.all("gcp:storage/bucketIAMMember:BucketIAMMember").stream().map(PlannedResource::name)
                        .filter(n -> n.startsWith("lake-warehouse-")).sorted().toList());
        // S3: the policies name curated, not the warehouse.
        var s3 = run(Environment.PROD, aws().warehouseDirectAccess(false).build());
        for (String policy : List.of("lake-transformer", "lake-reader")) {
            String document = s3.resource("aws:iam/policy:Policy", policy).inputs().get("policy").toString();
            assertTrue(document.contains("acme-lake-prod-curated") && !document.contains("acme-lake-prod-warehouse"), document);
        }
        assertTrue(run(Environment.PROD, aws().build()).resource("aws:iam/policy:Policy", "lake-transformer").inputs().get("policy")
                .toString().contains("acme-lake-prod-warehouse"));
    }

    @Test
    void gcsBindingsForAServiceAccountOfTheSameStackWaitForIt() {
        var run = Harness.preview(Environment.PROD, ctx -> {
            var account = new com.pulumi.gcp.serviceaccount.Account("transform", com.pulumi.gcp.serviceaccount.AccountArgs.builder()
                    .project("acme-data-prod").accountId("transform").build());
            new ObjectBuckets("lake", gcp().memberCreators(Map.of(
                    "serviceAccount:transform@acme-data-prod.iam.gserviceaccount.com", account)).build(),
                    ComponentResourceOptions.Empty);
        }).succeeded();
        var account = run.resource("gcp:serviceaccount/account:Account", "transform").urn();
        var bindings = run.all("gcp:storage/bucketIAMMember:BucketIAMMember");
        for (var binding : bindings) {
            boolean transformer = binding.inputs().get("member").toString().startsWith("serviceAccount:transform@");
            assertEquals(transformer, binding.options().dependsOn().contains(account), binding.name());
        }
        assertEquals(2, bindings.stream().filter(b -> b.options().dependsOn().contains(account)).count());
    }

    @Test
    void devRawIsNotProtected() {
        var run = run(Environment.DEV, gcp().environment("dev").protectRaw(false).protect(false).rawRetentionDays(1).build());
        assertFalse(run.resource(GCS, "lake-raw").options().protect());
        assertEquals(List.of(), run.findings(Environment.DEV));
        var rules = run.findings(Environment.PROD).stream().map(Finding::rule).distinct().toList();
        assertEquals(List.of("stateful-protected"), rules);
    }

    static Arguments bad(String description, Consumer<ObjectBuckets.Args.Builder> change, String fragment) {
        return Arguments.of(description, change, fragment);
    }

    static Stream<Arguments> badArgs() {
        return Stream.of(
                bad("no cloud", b -> b.cloud(null), "cloud is required"),
                bad("upper-case prefix", b -> b.prefix("Acme"), "prefix 'Acme' is not valid"),
                bad("prefix too long", b -> b.prefix("a".repeat(50)), "prefix"),
                bad("GCS name with google", b -> b.cloud(Cloud.GCP).gcpProject("p-123456").location("EU").prefix("google-lake")
                        .identities(List.of(), List.of(), List.of()), "may not start with 'goog' or contain 'google'"),
                bad("S3 name with xn--", b -> b.prefix("xn--lake"), "reserved or malformed"),
                bad("GCS without project", b -> b.cloud(Cloud.GCP).identities(List.of(), List.of(), List.of()), "GCS needs gcpProject and location"),
                bad("zero retention", b -> b.rawRetentionDays(0), "rawRetentionDays 0 is out of range"),
                bad("cold before 30 days", b -> b.rawColdAfterDays(7), "rawColdAfterDays must be at least 30"),
                bad("archive before cold", b -> b.rawColdAfterDays(90).rawArchiveAfterDays(60), "rawArchiveAfterDays later"),
                bad("prune at zero", b -> b.curatedPruneAfterDays(0), "curatedPruneAfterDays must be at least 1"),
                bad("role ARN instead of name", b -> b.identities(List.of("arn:aws:iam::1:role/x y"), List.of(), List.of()),
                        "is not valid; allowed: an IAM role name"),
                bad("GCS member without a kind", b -> b.cloud(Cloud.GCP).gcpProject("acme-data").location("EU")
                        .identities(List.of("ingest@acme.iam.gserviceaccount.com"), List.of(), List.of()),
                        "allowed: an IAM member such as serviceAccount:"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badArgs")
    void badArgsAreRejected(String description, Consumer<ObjectBuckets.Args.Builder> change, String fragment) {
        var builder = aws();
        change.accept(builder);
        var error = assertThrows(IllegalArgumentException.class, builder::build);
        assertTrue(error.getMessage().contains(fragment), description + ": " + error.getMessage());
    }
}
