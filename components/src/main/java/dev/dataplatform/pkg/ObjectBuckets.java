package dev.dataplatform.pkg;

import com.pulumi.core.Output;
import com.pulumi.core.annotations.Export;
import com.pulumi.core.annotations.Import;
import com.pulumi.resources.ComponentResource;
import com.pulumi.resources.ComponentResourceOptions;
import com.pulumi.resources.ResourceArgs;
import dev.dataplatform.core.EnvironmentProfile;

import java.util.List;
import java.util.Map;

/** Raw, curated and warehouse buckets on S3 or GCS ({@link dev.dataplatform.storage.ObjectBuckets}). */
@Describe("The data lake's buckets (raw, curated, optionally warehouse) on S3 or GCS: public access blocked, TLS only, versioned raw, and least-privilege access for ingestion, transformer and readers.")
public final class ObjectBuckets extends ComponentResource {
    @Describe("Bucket name per kind (raw, curated, warehouse).")
    @Export(name = "bucketNames", refs = {Map.class, String.class, String.class}, tree = "[0,1,2]")
    public final Output<Map<String, String>> bucketNames;
    @Describe("Per kind, the bucket's ARN (S3) or gs:// URL (GCS).")
    @Export(name = "bucketIds", refs = {Map.class, String.class, String.class}, tree = "[0,1,2]")
    public final Output<Map<String, String>> bucketIds;

    public static final class Args extends ResourceArgs {
        @Describe(value = "The environment profile: protection of raw data and the buckets.", oneOf = "Environment")
        @Import(name = "environment", required = true)
        private String environment;
        @Describe(value = "Where the buckets live.", oneOf = "Cloud")
        @Import(name = "cloud", required = true)
        private String cloud;
        @Describe("The bucket name prefix: <prefix>-<environment>-<kind>.")
        @Import(name = "prefix", required = true)
        private String prefix;
        @Describe("The GCP project (GCS only).")
        @Import(name = "gcpProject")
        private String gcpProject;
        @Describe("The GCS location, e.g. EU (GCS only).")
        @Import(name = "location")
        private String location;
        @Describe("Also create a warehouse bucket. Default: false.")
        @Import(name = "warehouse")
        private Boolean warehouse;
        @Describe("Identities that write new objects to raw (IAM role names on AWS, members on GCP). Default: none.")
        @Import(name = "ingestion")
        private List<String> ingestion;
        @Describe("Identities that read raw and write curated. Default: none.")
        @Import(name = "transformer")
        private List<String> transformer;
        @Describe("Identities that read curated. Default: none.")
        @Import(name = "readers")
        private List<String> readers;

        public Args() {
        }

        public Args(String environment, String cloud, String prefix) {
            this.environment = environment;
            this.cloud = cloud;
            this.prefix = prefix;
        }

        dev.dataplatform.storage.ObjectBuckets.Args toArgs() {
            var env = ComponentPackage.environment("ObjectBuckets", environment);
            var which = switch (String.valueOf(cloud)) {
                case "aws" -> dev.dataplatform.storage.ObjectBuckets.Cloud.AWS;
                case "gcp" -> dev.dataplatform.storage.ObjectBuckets.Cloud.GCP;
                default -> throw new IllegalArgumentException("ObjectBuckets: cloud '" + cloud + "' is not valid; allowed: aws, gcp");
            };
            var builder = dev.dataplatform.storage.ObjectBuckets.Args.builder()
                    .cloud(which).prefix(prefix).environment(env.id()).warehouse(warehouse != null && warehouse)
                    .protectRaw(env.holdsDurableData()).protect(EnvironmentProfile.defaults(env).protect())
                    .labels(Map.of("environment", env.id()))
                    .identities(ingestion == null ? List.of() : ingestion, transformer == null ? List.of() : transformer,
                            readers == null ? List.of() : readers);
            if (gcpProject != null) {
                builder.gcpProject(gcpProject);
            }
            if (location != null) {
                builder.location(location);
            }
            return builder.build();
        }
    }

    public ObjectBuckets(String name, Args args, ComponentResourceOptions options) {
        super(ComponentPackage.type("ObjectBuckets"), name, options);
        var inner = new dev.dataplatform.storage.ObjectBuckets(name, args.toArgs(), ComponentResourceOptions.builder().parent(this).build());
        this.bucketNames = inner.bucketNames;
        this.bucketIds = inner.bucketIds;
        registerOutputs(Map.of("bucketNames", bucketNames, "bucketIds", bucketIds));
    }
}
