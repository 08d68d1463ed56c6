package dev.dataplatform.schemas;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.dataplatform.config.ConfigException;
import dev.dataplatform.engine.Masking;
import dev.dataplatform.engine.PlannedResource;
import dev.dataplatform.guardrails.Finding;
import dev.dataplatform.guardrails.Severity;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The real schemas a plan is checked against ({@code plan --schemas DIR}): every CustomResourceDefinition
 * found in DIR (recursively, in {@code .yaml}/{@code .yml} files, several documents per file allowed),
 * and every Helm chart directory (a {@code Chart.yaml} next to a {@code values.schema.json}).
 *
 * <p>A custom resource in the plan (type {@code kubernetes:<group>/<version>:<Kind>}) is validated, as
 * {@code apiVersion}/{@code kind}/{@code metadata}/{@code spec}, against the {@code openAPIV3Schema} of
 * that version of that CRD. A Helm release ({@code kubernetes:helm.sh/v3:Release}) whose chart name and
 * version match a chart directory has its values, merged over the chart's {@code values.yaml} as Helm
 * merges them, validated against the chart's {@code values.schema.json}.
 *
 * <p>Kubernetes structural schemas are read as the API server reads them: an object schema with
 * {@code properties} admits no other field unless it says {@code x-kubernetes-preserve-unknown-fields}
 * (the API server would silently prune it: here it is an error, since a pruned field is a setting that
 * never takes effect); {@code x-kubernetes-int-or-string} admits an integer or a string;
 * {@code nullable} admits null; {@code format} is not asserted. Values only known after deployment
 * ({@value Masking#UNKNOWN}) and secrets ({@value Masking#SECRET}) are never reported.
 */
public final class SchemaCatalog {
    public static final String RULE = "schema";
    public static final String MISSING_RULE = "schema-missing";
    /** A chart schema whose remote {@code $ref}s cannot be resolved offline: its values are not validated. */
    public static final String UNRESOLVED_RULE = "schema-unresolved";
    static final String HELM_RELEASE = "kubernetes:helm.sh/v3:Release";
    static final Pattern CUSTOM_TYPE = Pattern.compile("kubernetes:([a-z0-9.-]+\\.[a-z0-9.-]+)/(v[0-9a-z]+):([A-Za-z0-9]+)");
    private static final JsonMapper JSON;

    static {
        // The validator logs through SLF4J, which the program does not bind: without this, SLF4J prints a
        // three-line "no providers" notice on stderr on every plan with --schemas.
        if (System.getProperty("slf4j.internal.verbosity") == null) {
            System.setProperty("slf4j.internal.verbosity", "ERROR");
        }
        JSON = JsonMapper.builder().build();
    }

    /** One served or unserved version of a CRD. */
    record CrdVersion(Map<String, Object> openApiSchema, boolean served, Path file) {
    }

    /** A chart directory with a values schema. */
    record Chart(Path directory, Map<String, Object> schema, Map<String, Object> defaults) {
    }

    private final Path directory;
    /** group/Kind -> version -> schema. */
    private final Map<String, Map<String, CrdVersion>> crds;
    /** name@version -> chart. */
    private final Map<String, Chart> charts;
    private final Map<String, Schema> compiled = new HashMap<>();
    /** Kubernetes definitions ({@value ChartSchemas#DEFINITIONS_FILE}) for charts' remote $refs, if DIR holds them. */
    private final Optional<Path> definitions;
    /** chart key -> why its schema cannot be used offline. */
    private final Map<String, String> unresolved = new HashMap<>();

    private SchemaCatalog(Path directory, Map<String, Map<String, CrdVersion>> crds, Map<String, Chart> charts,
                          Optional<Path> definitions) {
        this.directory = directory;
        this.crds = crds;
        this.charts = charts;
        this.definitions = definitions;
    }

    /**
     * @throws ConfigException if DIR is not a readable directory or holds no CRD and no chart schema
     */
    public static SchemaCatalog load(Path directory) {
        if (!Files.isDirectory(directory)) {
            throw ConfigException.of("--schemas", directory.toString(), "is not a directory: give the folder holding the "
                    + "CRD YAML files and chart directories, or --schemas alone for the conformance files ("
                    + dev.dataplatform.core.ConformanceDirectory.FETCH + " fetches them)");
        }
        var crds = new TreeMap<String, Map<String, CrdVersion>>();
        var charts = new TreeMap<String, Chart>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(directory)) {
            files = walk.filter(Files::isRegularFile).sorted(Comparator.naturalOrder()).toList();
        } catch (IOException e) {
            throw ConfigException.of("--schemas", directory.toString(), "cannot be read: " + e.getMessage());
        }
        for (Path file : files) {
            String name = file.getFileName().toString();
            if (name.equals("Chart.yaml") && Files.isRegularFile(file.resolveSibling("values.schema.json"))) {
                chart(file).ifPresent(c -> charts.put(c.getKey(), c.getValue()));
            } else if ((name.endsWith(".yaml") || name.endsWith(".yml")) && !name.equals("Chart.yaml")) {
                crdsIn(file, crds);
            }
        }
        if (crds.isEmpty() && charts.isEmpty()) {
            throw ConfigException.of("--schemas", directory.toString(), "holds no CustomResourceDefinition and no chart with "
                    + "values.schema.json");
        }
        return new SchemaCatalog(directory, crds, charts, ChartSchemas.findDefinitions(directory));
    }

    /** The CRD kinds found, as group/Kind -> versions. */
    public Map<String, List<String>> kinds() {
        var result = new TreeMap<String, List<String>>();
        crds.forEach((kind, versions) -> result.put(kind, List.copyOf(versions.keySet())));
        return result;
    }

    /** The charts found, as name@version. */
    public List<String> charts() {
        return List.copyOf(charts.keySet());
    }

    /** Every schema failure of the planned resources, as error findings (and warnings for CRs with no CRD here). */
    public List<Finding> validate(List<PlannedResource> resources) {
        var findings = new ArrayList<Finding>();
        for (PlannedResource resource : resources) {
            if (resource.type().equals(HELM_RELEASE)) {
                findings.addAll(validateRelease(resource));
                continue;
            }
            var m = CUSTOM_TYPE.matcher(resource.type());
            if (!m.matches() || m.group(1).endsWith(".k8s.io")) {
                continue;
            }
            findings.addAll(validateCustomResource(resource, m.group(1), m.group(2), m.group(3)));
        }
        return List.copyOf(findings);
    }

    private List<Finding> validateCustomResource(PlannedResource resource, String group, String version, String kind) {
        var versions = crds.get(group + "/" + kind);
        if (versions == null) {
            return List.of(new Finding(MISSING_RULE, Severity.WARNING, resource.urn(), "no CustomResourceDefinition for "
                    + kind + "." + group + " in " + directory + ": not validated", null));
        }
        var crd = versions.get(version);
        if (crd == null || !crd.served()) {
            return List.of(new Finding(RULE, Severity.ERROR, resource.urn(), kind + "." + group + " " + version
                    + (crd == null ? " is not defined" : " is not served") + " by " + directory.relativize(versions.values().iterator()
                    .next().file()) + "; served versions: " + versions.entrySet().stream().filter(e -> e.getValue().served())
                    .map(Map.Entry::getKey).toList(), "apiVersion"));
        }
        var schema = compiled.computeIfAbsent(group + "/" + version + ":" + kind,
                key -> SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4)
                        .getSchema(JSON.valueToTree(Structural.toJsonSchema(crd.openApiSchema()))));
        var document = new LinkedHashMap<String, Object>();
        for (String key : List.of("apiVersion", "kind", "metadata", "spec")) {
            if (resource.inputs().containsKey(key)) {
                document.put(key, resource.inputs().get(key));
            }
        }
        return findings(resource, schema.validate(JSON.valueToTree(document)), "");
    }

    private List<Finding> validateRelease(PlannedResource resource) {
        Object chartName = resource.inputs().get("chart");
        Object chartVersion = resource.inputs().get("version");
        if (!(chartName instanceof String name) || !(chartVersion instanceof String version)) {
            return List.of();
        }
        var chart = charts.get(name.substring(name.lastIndexOf('/') + 1) + "@" + version);
        if (chart == null) {
            return List.of();
        }
        String key = "chart:" + name + "@" + version;
        var offline = offlineSchema(key, chart);
        if (offline.isEmpty()) {
            return List.of(new Finding(UNRESOLVED_RULE, Severity.WARNING, resource.urn(), "values of chart " + name + " "
                    + version + " not validated: " + unresolved.get(key), "values"));
        }
        var schema = compiled.computeIfAbsent(key, k -> {
            // Charts often name a dialect loosely ("http://json-schema.org/schema#"); Helm reads those as
            // draft 7, and so does the plan.
            var schemaMap = new LinkedHashMap<String, Object>(offline.get());
            var dialect = schemaMap.get("$schema") instanceof String id
                    ? SpecificationVersion.fromDialectId(id) : Optional.<SpecificationVersion>empty();
            if (dialect.isEmpty()) {
                schemaMap.remove("$schema");
            }
            JsonNode node = JSON.valueToTree(schemaMap);
            return SchemaRegistry.withDefaultDialect(dialect.orElse(SpecificationVersion.DRAFT_7)).getSchema(node);
        });
        Object values = resource.inputs().getOrDefault("values", Map.of());
        Object merged = HelmValues.merge(chart.defaults(), values);
        return findings(resource, schema.validate(JSON.valueToTree(merged)), "values");
    }

    /**
     * The chart's schema with nothing to fetch: as it is, or with its remote Kubernetes {@code $ref}s pointed at the
     * local definitions file; empty (and the reason in {@link #unresolved}) when neither is possible, so the plan
     * reports one finding instead of a validator trying the network.
     */
    private Optional<Map<String, Object>> offlineSchema(String key, Chart chart) {
        var remote = ChartSchemas.remoteRefs(chart.schema());
        if (remote.isEmpty()) {
            return Optional.of(chart.schema());
        }
        if (definitions.isEmpty()) {
            unresolved.put(key, "its schema (" + directory.relativize(chart.directory().resolve("values.schema.json"))
                    + ") refers to " + remote.size() + " remote definition(s) such as " + remote.get(0) + ", and " + directory
                    + " holds no " + ChartSchemas.DEFINITIONS_FILE + " to resolve them offline");
            return Optional.empty();
        }
        try {
            return Optional.of(ChartSchemas.localize(chart.schema(), ChartSchemas.readDefinitions(definitions.get())));
        } catch (IllegalArgumentException e) {
            unresolved.put(key, e.getMessage() + " (definitions: " + definitions.get() + ")");
            return Optional.empty();
        }
    }

    private static List<Finding> findings(PlannedResource resource, List<Error> errors, String prefix) {
        var findings = new ArrayList<Finding>();
        for (Error error : errors) {
            JsonNode instance = error.getInstanceNode();
            if (Placeholders.covers(instance, error)) {
                continue;
            }
            String path = FieldPath.of(prefix, error);
            findings.add(new Finding(RULE, Severity.ERROR, resource.urn(), path + ": " + error.getMessage(), path));
        }
        return findings;
    }

    @SuppressWarnings("unchecked")
    private static Optional<Map.Entry<String, Chart>> chart(Path chartYaml) {
        try {
            var yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
            Object chart = yaml.load(Files.readString(chartYaml));
            if (!(chart instanceof Map<?, ?> map) || !(map.get("name") instanceof String name)
                    || map.get("version") == null) {
                return Optional.empty();
            }
            var schema = (Map<String, Object>) JSON.readValue(Files.readString(chartYaml.resolveSibling("values.schema.json")), Map.class);
            Path valuesFile = chartYaml.resolveSibling("values.yaml");
            Object defaults = Files.isRegularFile(valuesFile) ? yaml.load(Files.readString(valuesFile)) : null;
            return Optional.of(Map.entry(name + "@" + map.get("version"), new Chart(chartYaml.getParent(), schema,
                    defaults instanceof Map<?, ?> d ? (Map<String, Object>) d : Map.of())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (YAMLException e) {
            return Optional.empty();
        }
    }

    @SuppressWarnings("unchecked")
    private static void crdsIn(Path file, Map<String, Map<String, CrdVersion>> crds) {
        String text = null;
        try {
            var loader = new LoaderOptions();
            // Real CRDs are large and share sub-schemas through YAML anchors (SGShardedCluster has hundreds).
            loader.setCodePointLimit(64 * 1024 * 1024);
            loader.setMaxAliasesForCollections(100_000);
            text = Files.readString(file);
            for (Object document : new Yaml(new SafeConstructor(loader)).loadAll(text)) {
                if (!(document instanceof Map<?, ?> crd) || !"CustomResourceDefinition".equals(crd.get("kind"))
                        || !(crd.get("spec") instanceof Map<?, ?> spec) || !(spec.get("group") instanceof String group)
                        || !(spec.get("names") instanceof Map<?, ?> names) || !(names.get("kind") instanceof String kind)
                        || !(spec.get("versions") instanceof List<?> versions)) {
                    continue;
                }
                var byVersion = crds.computeIfAbsent(group + "/" + kind, k -> new TreeMap<>());
                for (Object v : versions) {
                    if (v instanceof Map<?, ?> version && version.get("name") instanceof String name
                            && version.get("schema") instanceof Map<?, ?> schema
                            && schema.get("openAPIV3Schema") instanceof Map<?, ?> openApi) {
                        byVersion.put(name, new CrdVersion((Map<String, Object>) openApi,
                                !Boolean.FALSE.equals(version.get("served")), file));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (YAMLException e) {
            // Not a YAML document we can read (a Helm template, say): fine unless it is a CRD.
            if (text != null && text.contains("kind: CustomResourceDefinition")) {
                throw ConfigException.of("--schemas", file.toString(), "holds a CustomResourceDefinition that cannot be read: "
                        + e.getMessage().lines().findFirst().orElse(""));
            }
        }
    }
}
