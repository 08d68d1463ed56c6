package dev.dataplatform.pkg;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.pulumi.core.annotations.Export;
import com.pulumi.core.annotations.Import;
import com.pulumi.provider.internal.Metadata;
import com.pulumi.provider.internal.infer.ComponentAnalyzer;
import com.pulumi.resources.ComponentResource;
import com.pulumi.resources.ResourceArgs;
import dev.dataplatform.access.Access;
import dev.dataplatform.core.Environment;
import dev.dataplatform.storage.ObjectBuckets;
import org.reflections.Reflections;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The package's schema: what the SDK infers from the components' Args and outputs
 * (ComponentAnalyzer, as ComponentProvider.getSchema does), completed with what that inference
 * cannot express at 1.36.1 (its PropertySpec has no description, secret or enum, outputs without
 * {@code @Import} are never required, and the host passes no version): the version from the POM,
 * descriptions, secrets and enums from {@link Describe}, every output required (each component sets
 * all of them). See docs/upstream-facts.md.
 */
public final class PackageSchema {
    /** The enums of the package: name to allowed values, taken from the Java enums they stand for. */
    public static final Map<String, List<String>> ENUMS = Map.of(
            "Environment", Arrays.stream(Environment.values()).map(Environment::id).toList(),
            "Cloud", Arrays.stream(ObjectBuckets.Cloud.values()).map(c -> c.name().toLowerCase(Locale.ROOT)).toList(),
            "Access", Arrays.stream(Access.values()).map(a -> a.name().toLowerCase(Locale.ROOT)).toList());
    static final Map<String, String> ENUM_DESCRIPTIONS = Map.of(
            "Environment", "The environment profile: dev (small, disposable), stage (close to prod), prod (HA, protected, backed up).",
            "Cloud", "Where the buckets live: aws (S3) or gcp (GCS).",
            "Access", "A login's access to a database: owner (DDL), writer (read/write data), reader (read only).");

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

    private PackageSchema() {
    }

    /** The package version: the components module's POM version (a filtered resource). */
    public static String version() {
        try (InputStream in = PackageSchema.class.getResourceAsStream("package.properties")) {
            if (in == null) {
                throw new IllegalStateException("dev/dataplatform/pkg/package.properties is missing from the classpath");
            }
            var properties = new Properties();
            properties.load(in);
            var version = properties.getProperty("version", "");
            if (version.isBlank() || version.startsWith("${")) {
                throw new IllegalStateException("package.properties was not filtered by Maven: version=" + version);
            }
            return version;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The component classes, found as the SDK's provider finds them (every ComponentResource in the package). */
    static Class<?>[] components() {
        return new Reflections(ComponentPackage.class.getPackageName()).getSubTypesOf(ComponentResource.class).stream()
                .sorted(java.util.Comparator.comparing(Class::getName)).toArray(Class<?>[]::new);
    }

    /** The schema as JSON text, as the provider returns it to the engine. */
    public static String json() {
        return GSON.toJson(generate());
    }

    /** The inferred schema, completed (see the class comment). */
    public static JsonObject generate() {
        var classes = components();
        var inferred = ComponentAnalyzer.generateSchema(new Metadata(ComponentPackage.NAME, version(), ComponentPackage.NAME), classes);
        var schema = GSON.toJsonTree(inferred).getAsJsonObject();
        schema.addProperty("description", "The data platform's components: PostgreSQL (Cloud SQL, RDS, StackGres tenants), "
                + "object storage, Dagster and observability, with the platform's environment profiles and guardrails.");
        var resources = schema.getAsJsonObject("resources");
        var argTypes = new TreeMap<String, Class<?>>();
        for (Class<?> component : classes) {
            var resource = resources.getAsJsonObject(ComponentPackage.type(component.getSimpleName()));
            resource.addProperty("description", describe(component, component.getSimpleName()).value());
            var argsClass = argsClass(component);
            var inputs = resource.getAsJsonObject("inputProperties");
            for (Field field : argsClass.getDeclaredFields()) {
                var imported = field.getAnnotation(Import.class);
                if (imported != null) {
                    complete(inputs.getAsJsonObject(imported.name()), field);
                    collectArgTypes(field.getGenericType(), argTypes);
                }
            }
            var outputs = resource.getAsJsonObject("properties");
            var required = new JsonArray();
            for (Field field : component.getDeclaredFields()) {
                var exported = field.getAnnotation(Export.class);
                if (exported != null) {
                    complete(outputs.getAsJsonObject(exported.name()), field);
                    required.add(exported.name());
                }
            }
            resource.add("required", required);
        }
        var types = schema.getAsJsonObject("types");
        argTypes.forEach((name, type) -> {
            var spec = types.getAsJsonObject(ComponentPackage.NAME + ":index:" + name);
            spec.addProperty("description", describe(type, name).value());
            for (Field field : type.getDeclaredFields()) {
                var imported = field.getAnnotation(Import.class);
                if (imported != null) {
                    complete(spec.getAsJsonObject("properties").getAsJsonObject(imported.name()), field);
                }
            }
        });
        ENUMS.forEach((name, values) -> {
            var spec = new JsonObject();
            spec.addProperty("type", "string");
            spec.addProperty("description", ENUM_DESCRIPTIONS.get(name));
            var members = new JsonArray();
            for (String value : values) {
                var member = new JsonObject();
                member.addProperty("name", Character.toUpperCase(value.charAt(0)) + value.substring(1));
                member.addProperty("value", value);
                members.add(member);
            }
            spec.add("enum", members);
            types.add(ComponentPackage.NAME + ":index:" + name, spec);
        });
        return schema;
    }

    /** Adds the field's description, secret and enum to its inferred property. */
    private static void complete(JsonObject property, Field field) {
        var describe = describe(field, field.getDeclaringClass().getSimpleName() + "." + field.getName());
        property.addProperty("description", describe.value());
        if (describe.secret()) {
            property.addProperty("secret", true);
        }
        if (!describe.oneOf().isEmpty()) {
            if (!ENUMS.containsKey(describe.oneOf())) {
                throw new IllegalStateException(field + ": no enum '" + describe.oneOf() + "' in PackageSchema.ENUMS");
            }
            var target = property.has("items") ? property.getAsJsonObject("items") : property;
            if (!"string".equals(target.has("type") ? target.get("type").getAsString() : null)) {
                throw new IllegalStateException(field + ": oneOf needs a string (or list of strings) property");
            }
            target.remove("type");
            target.addProperty("$ref", "#/types/" + ComponentPackage.NAME + ":index:" + describe.oneOf());
        }
    }

    private static Describe describe(java.lang.reflect.AnnotatedElement element, String what) {
        var describe = element.getAnnotation(Describe.class);
        if (describe == null || describe.value().isBlank()) {
            throw new IllegalStateException(what + " has no @Describe: every component, type and property of the package is described");
        }
        return describe;
    }

    private static Class<?> argsClass(Class<?> component) {
        return Arrays.stream(component.getConstructors()[0].getParameterTypes())
                .filter(ResourceArgs.class::isAssignableFrom).findFirst()
                .orElseThrow(() -> new IllegalStateException(component + " has no ResourceArgs parameter"));
    }

    /** Args types reachable from a property (directly or as list/map items), by the analyzer's name (simple name minus "Args"). */
    private static void collectArgTypes(Type type, Map<String, Class<?>> found) {
        if (type instanceof ParameterizedType parameterized) {
            for (Type argument : parameterized.getActualTypeArguments()) {
                collectArgTypes(argument, found);
            }
        } else if (type instanceof Class<?> cls && ResourceArgs.class.isAssignableFrom(cls)) {
            var name = cls.getSimpleName().endsWith("Args") ? cls.getSimpleName().substring(0, cls.getSimpleName().length() - 4)
                    : cls.getSimpleName();
            if (found.put(name, cls) == null) {
                for (Field field : cls.getDeclaredFields()) {
                    if (field.isAnnotationPresent(Import.class)) {
                        collectArgTypes(field.getGenericType(), found);
                    }
                }
            }
        }
    }

    /** For tests and docs: a property of the completed schema. */
    static JsonElement property(JsonObject schema, String component, boolean input, String name) {
        var resource = schema.getAsJsonObject("resources").getAsJsonObject(ComponentPackage.type(component));
        return resource.getAsJsonObject(input ? "inputProperties" : "properties").get(name);
    }

    static Map<String, JsonObject> byName(JsonObject object) {
        var map = new LinkedHashMap<String, JsonObject>();
        object.entrySet().forEach(e -> map.put(e.getKey(), e.getValue().getAsJsonObject()));
        return map;
    }
}
