package dev.dataplatform.config;

import dev.dataplatform.core.Environment;
import dev.dataplatform.gcp.CloudSqlRules;
import dev.dataplatform.storage.BucketRules;
import dev.dataplatform.storage.ObjectBuckets;
import dev.dataplatform.storage.ObjectBuckets.Cloud;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;


/** Reads data-platform:buckets with the component's own naming rules, reported with key paths. */
final class BucketsConfigParser {
    static final Pattern LOCATION = Pattern.compile("[A-Za-z]{2,4}[0-9]?|[A-Za-z]+-[A-Za-z]+[0-9]+");

    private BucketsConfigParser() {
    }

    static int defaultRetentionDays(Environment environment) {
        return switch (environment) {
            case DEV -> 1;
            case STAGE -> 30;
            case PROD -> 365;
        };
    }

    static Optional<BucketsConfig> parse(ConfigNode root, Environment environment) {
        var found = root.object("buckets");
        if (found.isEmpty()) {
            return Optional.empty();
        }
        var node = found.get();
        var clouds = new LinkedHashMap<String, Cloud>();
        clouds.put("aws", Cloud.AWS);
        clouds.put("gcp", Cloud.GCP);
        var cloud = node.requireOneOf("cloud", clouds);
        var prefix = node.requireString("prefix", "the bucket name prefix", BucketRules::prefix);
        boolean warehouse = node.bool("warehouse").orElse(false);
        Optional<String> project = Optional.empty();
        Optional<String> location = Optional.empty();
        if (cloud.orElse(null) == Cloud.GCP) {
            project = node.requireString("gcpProject", "a GCP project ID", CloudSqlRules::project);
            location = node.requireString("location", LOCATION, "a GCS location such as EU, US or europe-west1");
            location = Regions.checkGcsLocation(node, "location", location);
        } else {
            for (String gcpOnly : List.of("gcpProject", "location")) {
                if (node.has(gcpOnly)) {
                    node.string(gcpOnly);
                    node.error(gcpOnly, "applies to cloud gcp only");
                }
            }
        }
        var kms = node.checked("kmsKeyId", node.string("kmsKeyId"),
                v -> cloud.flatMap(c -> BucketRules.kmsKey(c, v))).orElse(null);
        int retention = node.integer("rawRetentionDays", 1, 36500).orElse(defaultRetentionDays(environment));
        int cold = node.integer("rawColdAfterDays", 30, 36500).orElse(30);
        int archive = node.integer("rawArchiveAfterDays", 31, 36500).orElse(365);
        if (archive <= cold) {
            node.error("rawArchiveAfterDays", archive + " must be later than rawColdAfterDays (" + cold + ")");
        }
        int noncurrent = node.integer("noncurrentVersionExpirationDays", 1, 36500).orElse(30);
        Integer prune = node.integer("curatedPruneAfterDays", 1, 36500).orElse(null);
        var logs = node.checked("accessLogBucket", node.string("accessLogBucket"),
                v -> cloud.flatMap(c -> BucketRules.name(c, v))).orElse(null);
        List<String> ingestion = List.of();
        List<String> transformer = List.of();
        List<String> readers = List.of();
        var identities = node.object("identities");
        if (identities.isPresent()) {
            var pattern = BucketRules.identity(cloud.orElse(Cloud.AWS));
            String rule = cloud.orElse(Cloud.AWS) == Cloud.GCP
                    ? "IAM members such as serviceAccount:ingest@acme-data.iam.gserviceaccount.com"
                    : "IAM role names such as data-ingestion";
            ingestion = identities.get().strings("ingestion", pattern, rule);
            transformer = identities.get().strings("transformer", pattern, rule);
            readers = identities.get().strings("readers", pattern, rule);
            identities.get().finish();
        }
        // Who reaches the warehouse: only the Iceberg catalog (it vends scoped credentials to its clients), or also
        // the transformer and readers directly. Default: catalog when the stack runs the catalog.
        var access = new LinkedHashMap<String, Boolean>();
        access.put("catalog", false);
        access.put("direct", true);
        boolean catalog = root.has("icebergCatalog");
        boolean direct = node.oneOf("warehouseAccess", access).orElse(!catalog);
        if (node.has("warehouseAccess") && !warehouse) {
            node.error("warehouseAccess", "applies with warehouse: true only");
        } else if (warehouse && !direct && !catalog) {
            node.error("warehouseAccess", "catalog: only data-platform:icebergCatalog would reach the warehouse, and the stack "
                    + "has none; allowed: direct, or configure the catalog");
        }
        node.finish();
        if (cloud.isEmpty() || prefix.isEmpty() || (cloud.get() == Cloud.GCP && (project.isEmpty() || location.isEmpty()))) {
            return Optional.empty();
        }
        for (var kind : ObjectBuckets.Kind.values()) {
            if (kind == ObjectBuckets.Kind.WAREHOUSE && !warehouse) {
                continue;
            }
            BucketRules.name(cloud.get(), prefix.get() + "-" + environment.id() + "-" + kind.id())
                    .ifPresent(p -> node.error("prefix", p));
        }
        return Optional.of(new BucketsConfig(cloud.get(), prefix.get(), warehouse, project.orElse(null), location.orElse(null),
                kms, retention, cold, archive, noncurrent, prune, logs, ingestion, transformer, readers, direct));
    }

}
