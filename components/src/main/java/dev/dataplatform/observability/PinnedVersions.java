package dev.dataplatform.observability;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Every chart version and image tag of Dagster and the observability stack, in one place: the
 * components' defaults, the config parser's supported ranges and the versions table in
 * docs/dagster-observability.md (a test compares them) all read this class. Each pin was checked
 * against the upstream tags on the date given; the sources are in docs/upstream-facts.md, section
 * "Dagster, OpenTelemetry collector, Jaeger and Marquez".
 */
public final class PinnedVersions {
    private static final Pattern VERSION = Pattern.compile("(\\d{1,4})\\.(\\d{1,4})\\.(\\d{1,4})");

    /**
     * A chart or image at a pinned version, with the range the program supports:
     * {@code minimum <= version < belowMajor.0.0}.
     *
     * @param name       the chart name or image repository
     * @param version    the pinned version (for images, the tag)
     * @param minimum    the oldest version the program's values/config are written for
     * @param belowMajor the first major version that is not supported
     * @param source     where the version was checked (repository and tag)
     * @param checked    the date it was checked
     */
    public record Pin(String component, String kind, String name, String version, String minimum, int belowMajor,
                      String source, String checked) {
        /** {@code name:version}, for images. */
        public String image() {
            return name + ":" + version;
        }

        /** The supported range in words, for error messages. */
        public String range() {
            return ">= " + minimum + " and < " + belowMajor + ".0.0";
        }

        /** Empty if {@code candidate} is an x.y.z version in the supported range; otherwise why not. */
        public Optional<String> check(String candidate) {
            var m = candidate == null ? null : VERSION.matcher(candidate);
            if (m == null || !m.matches()) {
                return Optional.of("'" + candidate + "' is not a pinned x.y.z version; allowed: " + name + " " + range()
                        + " (pinned: " + version + ")");
            }
            int[] v = parse(candidate);
            if (java.util.Arrays.compare(v, parse(minimum)) < 0 || v[0] >= belowMajor) {
                return Optional.of("'" + candidate + "' is not supported; allowed: " + name + " " + range()
                        + " (pinned: " + version + ")");
            }
            return Optional.empty();
        }
    }

    /**
     * The dagster chart. The values used here (checkDbReadyInitContainer, initContainerResources,
     * extraPrependedInitContainers of dagsterWebserver and dagsterDaemon; runK8sConfig of the
     * K8sRunLauncher) are in the chart's schema models; 1.13.0 is also the IAM-auth floor.
     */
    public static final Pin DAGSTER_CHART = new Pin("Dagster", "chart", "dagster", "1.13.8", "1.13.0", 2,
            "dagster-io/dagster helm/dagster (chart schema models); 1.13.8 released (conda-forge dagster-graphql 1.13.8; chart and library share versions)", "2026-12-01");
    /** Newest chart; appVersion 0.158.0 (Chart.yaml at opentelemetry-collector-0.170.0). */
    public static final Pin COLLECTOR_CHART = new Pin("OpenTelemetry Collector", "chart", "opentelemetry-collector",
            "0.170.0", "0.170.0", 1, "open-telemetry/opentelemetry-helm-charts tag opentelemetry-collector-0.170.0 (2026-08-14)",
            "2026-12-01");
    /** The chart's appVersion, pinned as the image tag so the image does not move with a chart bump alone. */
    public static final Pin COLLECTOR_IMAGE = new Pin("OpenTelemetry Collector", "image", "otel/opentelemetry-collector-contrib",
            "0.158.0", "0.158.0", 1, "appVersion in charts/opentelemetry-collector/Chart.yaml at opentelemetry-collector-0.170.0",
            "2026-12-01");
    /** Jaeger v2 (the v1 line and its all-in-one image are no longer maintained). */
    public static final Pin JAEGER_IMAGE = new Pin("Jaeger", "image", "jaegertracing/jaeger", "2.20.0", "2.0.0", 3,
            "jaegertracing/jaeger tag v2.20.0 (2026-07-19), newest v2 tag", "2026-12-01");
    /** Newest release; the config keys used here are those of marquez.example.yml at this tag. */
    public static final Pin MARQUEZ_IMAGE = new Pin("Marquez", "image", "marquezproject/marquez", "0.51.1", "0.51.0", 1,
            "MarquezProject/marquez tag 0.51.1 (2025-03-27), newest release tag", "2026-12-01");

    /**
     * The image of the dagster chart's {@code check-db-ready} init containers (pg_isready): the chart's
     * default (values.yaml postgresql.image), stated by the program so a chart bump cannot move it.
     */
    public static final Pin DAGSTER_CHECK_DB_READY_IMAGE = new Pin("Dagster (check-db-ready)", "image",
            "docker.io/library/postgres", "14.6", "14.6", 15,
            "dagster-io/dagster helm/dagster/values.yaml postgresql.image (registry docker.io, repository library/postgres, tag 14.6)",
            "2026-12-07");
    /**
     * The image of the webserver's {@code init-user-deployment-*} init containers (nslookup): the chart's
     * default (values.yaml busybox.image), stated by the program.
     */
    public static final Pin DAGSTER_BUSYBOX_IMAGE = new Pin("Dagster (user-code init)", "image", "docker.io/busybox",
            "1.28", "1.28", 2, "dagster-io/dagster helm/dagster/values.yaml busybox.image (docker.io/busybox, tag 1.28)",
            "2026-12-07");

    /**
     * The authenticating proxy in front of the Dagster UI: newest release (distroless static image, user
     * nonroot 65532; default address 127.0.0.1:4180; /ping and /ready).
     */
    public static final Pin OAUTH2_PROXY_IMAGE = new Pin("oauth2-proxy", "image", "quay.io/oauth2-proxy/oauth2-proxy",
            "v7.15.3", "v7.15.3", 8, "oauth2-proxy/oauth2-proxy tag v7.15.3 (2026-06-09), newest release tag", "2026-12-07");

    public static final List<Pin> ALL = List.of(DAGSTER_CHART, DAGSTER_CHECK_DB_READY_IMAGE, DAGSTER_BUSYBOX_IMAGE, OAUTH2_PROXY_IMAGE,
            COLLECTOR_CHART, COLLECTOR_IMAGE, JAEGER_IMAGE, MARQUEZ_IMAGE);

    private PinnedVersions() {
    }

    /**
     * Empty if {@code image} is {@code [registry/]<pin.name>:<tag>} with a tag in the pin's range (a
     * mirror registry in front is allowed); otherwise why not.
     */
    public static Optional<String> checkImage(Pin pin, String image) {
        int colon = image == null ? -1 : image.lastIndexOf(':');
        if (colon < 0 || image.lastIndexOf('/') > colon) {
            return Optional.of("'" + image + "' has no tag; allowed: " + pin.name() + ":<tag " + pin.range() + ">");
        }
        String repository = image.substring(0, colon);
        if (!repository.equals(pin.name()) && !repository.endsWith("/" + pin.name())) {
            return Optional.of("'" + image + "' is not " + pin.name() + "; allowed: " + pin.name() + ":<tag " + pin.range()
                    + "> (pinned: " + pin.image() + ")");
        }
        return pin.check(image.substring(colon + 1)).map(problem -> "image " + problem);
    }

    private static int[] parse(String version) {
        var m = VERSION.matcher(version);
        if (!m.matches()) {
            throw new IllegalArgumentException(version);
        }
        return new int[]{Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3))};
    }
}
