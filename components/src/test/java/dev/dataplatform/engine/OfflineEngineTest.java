package dev.dataplatform.engine;

import com.pulumi.core.Alias;
import com.pulumi.core.Output;
import com.pulumi.gcp.Provider;
import com.pulumi.gcp.ProviderArgs;
import com.pulumi.gcp.sql.DatabaseInstance;
import com.pulumi.gcp.sql.DatabaseInstanceArgs;
import com.pulumi.gcp.sql.User;
import com.pulumi.gcp.sql.UserArgs;
import com.pulumi.gcp.storage.Bucket;
import com.pulumi.gcp.storage.BucketArgs;
import com.pulumi.resources.ComponentResource;
import com.pulumi.resources.ComponentResourceOptions;
import com.pulumi.resources.CustomResourceOptions;
import dev.dataplatform.testing.Harness;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OfflineEngineTest {

    static final String BUCKET = "gcp:storage/bucket:Bucket";

    static final class Box extends ComponentResource {
        Box(String name, ComponentResourceOptions options) {
            super("dataplatform:test:Box", name, options);
            registerOutputs(Map.of("label", Output.of("boxed")));
        }
    }

    @Test
    void recordsInputsExactlyAsDeclared() {
        var run = Harness.preview("dev", ctx -> new Bucket("raw", BucketArgs.builder()
                .location("EU").uniformBucketLevelAccess(true).labels(Map.of("team", "data")).build())).succeeded();

        var bucket = run.resource(BUCKET, "raw");
        assertEquals("EU", bucket.inputs().get("location"));
        assertEquals(true, bucket.inputs().get("uniformBucketLevelAccess"));
        assertEquals("data", run.input(BUCKET, "raw", "labels.team"));
        assertTrue(bucket.custom());
        assertEquals("urn:pulumi:dev::data-platform::gcp:storage/bucket:Bucket::raw", bucket.urn());
        assertEquals("urn:pulumi:dev::data-platform::pulumi:pulumi:Stack::data-platform-dev", bucket.parent());
    }

    @Test
    void masksSecretsAndUnknowns() {
        var run = Harness.preview("dev", ctx -> {
            var instance = new DatabaseInstance("pg", DatabaseInstanceArgs.builder().databaseVersion("POSTGRES_15").build());
            new User("app", UserArgs.builder()
                    .instance(instance.name()) // computed by the provider: unknown in a preview
                    .password(Output.ofSecret("s3cr3t-value"))
                    .build());
            ctx.export("password", Output.ofSecret("s3cr3t-value"));
            ctx.export("instanceId", instance.id());
        }).succeeded();

        var user = run.resource("gcp:sql/user:User", "app");
        assertEquals(Masking.SECRET, user.inputs().get("password"));
        assertEquals(Masking.UNKNOWN, user.inputs().get("instance"));
        assertEquals(Masking.SECRET, run.output("password"));
        assertEquals(Masking.UNKNOWN, run.output("instanceId"));
        assertFalse(run.recording().toString().contains("s3cr3t-value"), "a secret leaked into the recording");
    }

    @Test
    void recordsResourceOptions() {
        var run = Harness.preview("prod", ctx -> {
            var provider = new Provider("gcp-eu", ProviderArgs.builder().project("acme-data").region("europe-west1").build());
            var first = new Bucket("first", BucketArgs.builder().location("EU").build(),
                    CustomResourceOptions.builder().provider(provider).build());
            new Bucket("second", BucketArgs.builder().location("EU").build(), CustomResourceOptions.builder()
                    .protect(true)
                    .retainOnDelete(true)
                    .dependsOn(first)
                    .aliases(Alias.builder().name("legacy-second").build())
                    .build());
        }).succeeded();

        var first = run.resource(BUCKET, "first");
        assertEquals("urn:pulumi:prod::data-platform::pulumi:providers:gcp::gcp-eu", first.options().provider());
        assertFalse(first.options().protect());

        var second = run.resource(BUCKET, "second");
        assertTrue(second.options().protect());
        assertTrue(second.options().retainOnDelete());
        assertEquals(List.of(first.urn()), second.options().dependsOn());
        assertEquals(List.of(Map.of("name", "legacy-second")), second.options().aliases());
        assertNull(second.options().provider());
    }

    @Test
    void childrenOfComponentsCarryTheParentTypeInTheirUrn() {
        var run = Harness.preview("stage", ctx -> {
            var box = new Box("storage", ComponentResourceOptions.Empty);
            new Bucket("inner", BucketArgs.builder().location("EU").build(),
                    CustomResourceOptions.builder().parent(box).build());
        }).succeeded();

        var box = run.resource("dataplatform:test:Box", "storage");
        assertFalse(box.custom());
        var inner = run.resource(BUCKET, "inner");
        assertEquals(box.urn(), inner.parent());
        assertEquals("urn:pulumi:stage::data-platform::dataplatform:test:Box$gcp:storage/bucket:Bucket::inner", inner.urn());
        assertEquals(Map.of("label", "boxed"), run.recording().componentOutputs().get(box.urn()));
    }

    @Test
    void resourcesAreSortedByUrnWhateverTheDeclarationOrder() {
        var run = Harness.preview("dev", ctx -> {
            new Bucket("zeta", BucketArgs.builder().location("EU").build());
            new Bucket("alpha", BucketArgs.builder().location("EU").build());
        }).succeeded();
        var urns = run.urns();
        assertEquals(urns.stream().sorted().toList(), urns);
    }

    @Test
    void dependsOnIsSortedSoPlansAreStable() {
        var run = Harness.preview("dev", ctx -> {
            var b = new Bucket("b", BucketArgs.builder().location("EU").build());
            var a = new Bucket("a", BucketArgs.builder().location("EU").build());
            var c = new Bucket("c", BucketArgs.builder().location("EU").build());
            new Bucket("d", BucketArgs.builder().location("EU").build(),
                    CustomResourceOptions.builder().dependsOn(c, a, b).build());
        }).succeeded();
        var dependsOn = run.resource(BUCKET, "d").options().dependsOn();
        assertEquals(3, dependsOn.size());
        assertEquals(dependsOn.stream().sorted().toList(), dependsOn);
    }

    @Test
    void aResourceThatWaitsOnItsOwnParentFailsInsteadOfHanging() {
        var error = assertThrows(IllegalStateException.class, () -> OfflineEngine.run(
                new OfflineEngine.RunOptions("data-platform", "dev", true, Map.of(), Set.of()), ctx -> {
                    var box = new Box("cycle", ComponentResourceOptions.Empty);
                    new Bucket("inner", BucketArgs.builder().location("EU").build(),
                            CustomResourceOptions.builder().parent(box).dependsOn(box).build());
                }, 3));
        assertTrue(error.getMessage().contains("did not finish within 3 s"), error.getMessage());
        // The engine is usable again afterwards.
        Harness.preview("dev", ctx -> ctx.export("ok", Output.of(1))).succeeded();
    }

    @Test
    void invokesFailLoudly() {
        var run = Harness.preview("dev", ctx -> com.pulumi.gcp.organizations.OrganizationsFunctions.getProject()
                .applyValue(p -> { ctx.export("project", Output.of(p.number())); return p; }));
        assertFalse(run.recording().succeeded());
        var error = assertThrows(IllegalStateException.class, () -> run.recording().orThrow());
        assertTrue(String.valueOf(error.getMessage()).contains("does not answer invoke 'gcp:organizations/getProject:getProject'")
                || error.getCause().toString().contains("getProject"), error.toString());
    }

    @Test
    void programExceptionsAreReportedAndTheEngineIsReusable() {
        var failed = Harness.preview("dev", ctx -> {
            throw new IllegalArgumentException("tier 'db-huge' is not valid");
        });
        assertFalse(failed.recording().succeeded());
        var error = assertThrows(IllegalStateException.class, failed::succeeded);
        assertTrue(error.getMessage().contains("tier 'db-huge' is not valid"), error.getMessage());

        // The SDK holds one deployment per JVM: a second run works only if the first cleaned up.
        var next = Harness.preview("dev", ctx -> ctx.export("ok", Output.of(true))).succeeded();
        assertEquals(true, next.output("ok"));
    }

    @Test
    void aSecondResourceWithTheSameUrnFailsTheRunAsTheEngineDoes() {
        // Same type, name and parent: the engine refuses the second registration (diagnostic 2001).
        var failed = Harness.preview("dev", ctx -> {
            new Bucket("raw", BucketArgs.builder().location("EU").build());
            new Bucket("raw", BucketArgs.builder().location("US").build());
        });
        assertFalse(failed.recording().succeeded());
        var error = assertThrows(IllegalStateException.class, failed::succeeded);
        assertTrue(error.getMessage().contains("Duplicate resource URN 'urn:pulumi:dev::data-platform::gcp:storage/bucket:Bucket::raw'; "
                + "try giving it a unique name"), error.getMessage());
        assertEquals(1, failed.recording().resources().stream().filter(r -> r.type().equals(BUCKET)).count(),
                "only the first registration is recorded");

        // The same name under different parents, or of another type, is another URN.
        Harness.preview("dev", ctx -> {
            new Bucket("raw", BucketArgs.builder().location("EU").build());
            new com.pulumi.aws.s3.BucketV2("raw");
            var parent = new ComponentResource("dataplatform:test:Holder", "holder");
            new Bucket("raw", BucketArgs.builder().location("EU").build(), CustomResourceOptions.builder().parent(parent).build());
        }).succeeded();
    }

    @Test
    void theRunWaitsForResourcesDeclaredAfterTheProgramReturned() {
        // Each apply declares the next bucket only once the previous one is registered: the run must
        // wait for every generation of tasks, not only for those known when the program returned.
        var run = Harness.preview("dev", ctx -> {
            var first = new Bucket("first", BucketArgs.builder().location("EU").build());
            first.urn().applyValue(urn -> {
                var second = new Bucket("second", BucketArgs.builder().location("EU").build());
                return second.urn().applyValue(secondUrn -> new Bucket("third",
                        BucketArgs.builder().location("EU").build()));
            });
        }).succeeded();
        assertEquals(List.of("first", "second", "third"),
                run.recording().resources().stream().filter(r -> r.type().equals(BUCKET)).map(PlannedResource::name).toList());
    }

    @Test
    void aTaskFailingAfterTheProgramReturnedFailsTheRun() {
        var failed = Harness.preview("dev", ctx -> new Bucket("late", BucketArgs.builder()
                .location(Output.of("EU").applyValue(location -> {
                    throw new IllegalStateException("location lookup failed late");
                }))
                .build()));
        assertFalse(failed.recording().succeeded());
        var error = assertThrows(IllegalStateException.class, failed::succeeded);
        assertTrue(error.getMessage().contains("location lookup failed late"), error.getMessage());
    }

    @Test
    void configIsAvailableThroughCtxConfig() {
        var run = Harness.preview("dev", Map.of("data-platform:environment", "dev", "data-platform:token", "abc"),
                Set.of("data-platform:token"), ctx -> {
                    ctx.export("environment", Output.of(ctx.config().require("environment")));
                    ctx.export("token", ctx.config().requireSecret("token"));
                }).succeeded();
        assertEquals("dev", run.output("environment"));
        assertEquals(Masking.SECRET, run.output("token"));
    }
}
