package dev.dataplatform.schemas;

import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Chart schemas that point at remote Kubernetes definitions, made to work offline. Some charts' values.schema.json
 * (the dagster chart's among them) say {@code "$ref": "https://raw.githubusercontent.com/…/_definitions.json#/definitions/<name>"};
 * Helm and a JSON-schema validator would fetch that URL. Here the definitions come from a local copy of the same
 * file (Kubernetes' OpenAPI definitions as {@code {"definitions": {...}}}): they are embedded under the schema's
 * root {@code definitions} and each remote reference becomes the local pointer {@code #/definitions/<name>}.
 *
 * <p>One helper for both users: {@code plan --schemas} (in memory) and tests that render a chart with real Helm
 * (on an unpacked temporary copy, {@link #localizeChart}).
 */
public final class ChartSchemas {
    /** The local definitions file's name; {@code plan --schemas DIR} looks for it anywhere under DIR. */
    public static final String DEFINITIONS_FILE = "_definitions.json";
    /** A remote reference into a {@code _definitions.json}: group 1 is the JSON pointer after '#'. */
    static final Pattern REMOTE_DEFINITION = Pattern.compile("https?://[^#\\s]+/" + Pattern.quote(DEFINITIONS_FILE) + "#(/definitions/.+)");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ChartSchemas() {
    }

    /** Every {@code $ref} in {@code schema} that is not a local pointer (starts with neither '#' nor is relative). */
    public static List<String> remoteRefs(Object schema) {
        var refs = new TreeSet<String>();
        walk(schema, refs);
        return List.copyOf(refs);
    }

    private static void walk(Object node, TreeSet<String> refs) {
        if (node instanceof Map<?, ?> map) {
            if (map.get("$ref") instanceof String ref && ref.contains("://")) {
                refs.add(ref);
            }
            map.values().forEach(v -> walk(v, refs));
        } else if (node instanceof List<?> list) {
            list.forEach(v -> walk(v, refs));
        }
    }

    /**
     * A copy of {@code schema} in which every remote reference into a {@code _definitions.json} points into
     * {@code definitions} (the local file's parsed content, {@code {"definitions": {...}}}) embedded at the root.
     *
     * @throws IllegalArgumentException if a remote reference is of another kind, or names a definition the local
     *                                  file lacks (the message names it), or the schema already has root
     *                                  {@code definitions} that clash
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> localize(Map<String, Object> schema, Map<String, Object> definitions) {
        if (!(definitions.get("definitions") instanceof Map<?, ?> available)) {
            throw new IllegalArgumentException("the definitions file has no top-level \"definitions\" object");
        }
        var rewritten = (Map<String, Object>) rewrite(schema, (Map<String, Object>) available);
        if (rewritten.containsKey("definitions")) {
            throw new IllegalArgumentException("the chart schema has its own root \"definitions\": cannot embed the "
                    + "Kubernetes definitions beside them");
        }
        var result = new LinkedHashMap<String, Object>(rewritten);
        result.put("definitions", available);
        return result;
    }

    private static Object rewrite(Object node, Map<String, Object> available) {
        if (node instanceof Map<?, ?> map) {
            var copy = new LinkedHashMap<String, Object>();
            map.forEach((k, v) -> {
                if ("$ref".equals(k) && v instanceof String ref && ref.contains("://")) {
                    copy.put("$ref", local(ref, available));
                } else {
                    copy.put(String.valueOf(k), rewrite(v, available));
                }
            });
            return copy;
        }
        if (node instanceof List<?> list) {
            var copy = new ArrayList<>(list.size());
            list.forEach(v -> copy.add(rewrite(v, available)));
            return copy;
        }
        return node;
    }

    private static String local(String ref, Map<String, Object> available) {
        var m = REMOTE_DEFINITION.matcher(ref);
        if (!m.matches()) {
            throw new IllegalArgumentException("remote $ref " + ref + " is not into a " + DEFINITIONS_FILE
                    + ": it cannot be resolved offline");
        }
        String pointer = m.group(1);
        String name = pointer.substring("/definitions/".length()).split("/", 2)[0].replace("~1", "/").replace("~0", "~");
        if (!available.containsKey(name)) {
            throw new IllegalArgumentException("remote $ref " + ref + " names definition " + name
                    + ", which the local " + DEFINITIONS_FILE + " does not have");
        }
        return "#" + pointer;
    }

    /** The first {@value #DEFINITIONS_FILE} under {@code directory} (sorted), if any. */
    public static Optional<Path> findDefinitions(Path directory) {
        try (Stream<Path> walk = Files.walk(directory)) {
            return walk.filter(p -> p.getFileName().toString().equals(DEFINITIONS_FILE) && Files.isRegularFile(p))
                    .sorted().findFirst();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The parsed definitions file. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> readDefinitions(Path file) {
        try {
            return JSON.readValue(Files.readString(file), Map.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Rewrites, in place, every values.schema.json under {@code chartDirectory} (the chart and its subcharts) that has
     * remote references, with the definitions of {@code definitionsFile}. For an unpacked temporary copy of a chart
     * only: never the chart the fixtures hold.
     *
     * @return the schema files rewritten
     */
    @SuppressWarnings("unchecked")
    public static List<Path> localizeChart(Path chartDirectory, Path definitionsFile) {
        var definitions = readDefinitions(definitionsFile);
        var rewritten = new ArrayList<Path>();
        try (Stream<Path> walk = Files.walk(chartDirectory)) {
            for (Path file : walk.filter(p -> p.getFileName().toString().equals("values.schema.json")).sorted().toList()) {
                Map<String, Object> schema = JSON.readValue(Files.readString(file), Map.class);
                if (remoteRefs(schema).isEmpty()) {
                    continue;
                }
                Files.writeString(file, JSON.writeValueAsString(localize(schema, definitions)));
                rewritten.add(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return List.copyOf(rewritten);
    }
}
