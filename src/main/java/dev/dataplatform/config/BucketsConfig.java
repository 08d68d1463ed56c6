package dev.dataplatform.config;

import dev.dataplatform.storage.ObjectBuckets;

import java.util.List;

/** data-platform:buckets: the raw/curated(/warehouse) buckets on S3 or GCS. */
public record BucketsConfig(
        ObjectBuckets.Cloud cloud,
        String prefix,
        boolean warehouse,
        String gcpProject,
        String location,
        String kmsKeyId,
        int rawRetentionDays,
        int rawColdAfterDays,
        int rawArchiveAfterDays,
        int noncurrentVersionExpirationDays,
        Integer curatedPruneAfterDays,
        String accessLogBucket,
        List<String> ingestion,
        List<String> transformer,
        List<String> readers,
        boolean warehouseDirectAccess) {
}
