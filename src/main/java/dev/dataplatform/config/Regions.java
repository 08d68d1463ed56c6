package dev.dataplatform.config;

import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The cloud regions a stack may name. A well-formed but unknown region ({@code mars-central1}) would only
 * fail at `pulumi up`, half-way through; it is refused here, with {@code data-platform:extraRegions} as the
 * escape hatch for a region newer than these lists.
 */
final class Regions {
    /** AWS: the regions of the pinned pulumi-aws SDK's own enum (com.pulumi.aws.enums.Region, 6.83.0). */
    static final Set<String> AWS = Arrays.stream(com.pulumi.aws.enums.Region.values())
            .map(com.pulumi.aws.enums.Region::getValue).collect(Collectors.toUnmodifiableSet());

    /** GCP: the regions Cloud SQL offers (Cloud SQL docs, "Region availability", read 2026-12-01). */
    static final Set<String> GCP = Set.of(
            "africa-south1", "asia-east1", "asia-east2", "asia-northeast1", "asia-northeast2", "asia-northeast3",
            "asia-south1", "asia-south2", "asia-southeast1", "asia-southeast2", "australia-southeast1",
            "australia-southeast2", "europe-central2", "europe-north1", "europe-north2", "europe-southwest1",
            "europe-west1", "europe-west2", "europe-west3", "europe-west4", "europe-west6", "europe-west8",
            "europe-west9", "europe-west10", "europe-west12", "me-central1", "me-central2", "me-west1",
            "northamerica-northeast1", "northamerica-northeast2", "northamerica-south1", "southamerica-east1",
            "southamerica-west1", "us-central1", "us-central2", "us-east1", "us-east4", "us-east5", "us-south1",
            "us-west1", "us-west2", "us-west3", "us-west4");

    /**
     * GCS multi-regions and predefined dual-regions (Cloud Storage docs, "Bucket locations",
     * cloud.google.com/storage/docs/locations, read 2026-12-07). Every region above is also a GCS region.
     */
    static final Set<String> GCS_MULTI_REGIONS = Set.of("ASIA", "EU", "US");
    static final Set<String> GCS_DUAL_REGIONS = Set.of("ASIA1", "EUR4", "EUR5", "EUR7", "EUR8", "NAM4");

    private Regions() {
    }

    /**
     * A GCS bucket location: a multi-region, a predefined dual-region or a region (any case: GCS stores
     * locations upper-case), from the tables above and the stack's extraRegions.
     */
    static Optional<String> checkGcsLocation(ConfigNode node, String key, Optional<String> location) {
        return location.filter(l -> {
            boolean known = GCS_MULTI_REGIONS.contains(l) || GCS_DUAL_REGIONS.contains(l)
                    || GCP.contains(l.toLowerCase(java.util.Locale.ROOT))
                    || node.context().extraRegions().contains(l.toLowerCase(java.util.Locale.ROOT));
            if (!known) {
                node.error(key, "'" + l + "' is not a GCS location; allowed: a multi-region (" + String.join(", ",
                        new TreeSet<>(GCS_MULTI_REGIONS)) + "), a predefined dual-region (" + String.join(", ",
                        new TreeSet<>(GCS_DUAL_REGIONS)) + ") or a region such as europe-west1 (a newer region: add it to "
                        + "data-platform:extraRegions)");
            }
            return known;
        });
    }

    /** Checks a region read at {@code key} of {@code node} against the cloud's list and the stack's extras. */
    static Optional<String> check(ConfigNode node, String key, Optional<String> region, Set<String> known) {
        region.filter(r -> !known.contains(r) && !node.context().extraRegions().contains(r))
                .ifPresent(r -> node.error(key, "'" + r + "' is not a known region; allowed: " + sample(known)
                        + " (a newer region: add it to data-platform:extraRegions)"));
        return region.filter(r -> known.contains(r) || node.context().extraRegions().contains(r));
    }

    private static String sample(Set<String> known) {
        var sorted = new TreeSet<>(known);
        return sorted.size() + " regions from " + sorted.first() + " to " + sorted.last() + ", e.g. "
                + (known == GCP ? "europe-west1" : "eu-west-1");
    }
}
