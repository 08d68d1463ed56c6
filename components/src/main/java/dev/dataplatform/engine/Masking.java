package dev.dataplatform.engine;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Turns the wire form of resource inputs (protobuf Struct with Pulumi's special signatures) into
 * plain Java values that are safe to print: secrets become {@value #SECRET}, values not known until
 * the resource exists become {@value #UNKNOWN}. Map keys are sorted so plans are diffable.
 */
public final class Masking {
    public static final String SECRET = "[secret]";
    public static final String UNKNOWN = "[unknown]";

    // Pulumi's wire protocol constants (com.pulumi.core.internal.Constants).
    static final String UNKNOWN_VALUE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
    static final String SIG_KEY = "4dabf18193072939515e22adb298388d";
    static final String SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
    static final String RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e";
    static final String ASSET_SIG = "c44067f5952c0a294b673a41bacd8c17";
    static final String ARCHIVE_SIG = "0def7320c3a5731c473e5ecbe6d01bc7";
    static final String OUTPUT_SIG = "d0e6a833031e9bbcd3f4e8bde6ca49a4";

    private Masking() {
    }

    public static Map<String, Object> mask(Struct struct) {
        var result = new TreeMap<String, Object>();
        struct.getFieldsMap().forEach((key, value) -> result.put(key, mask(value)));
        return result;
    }

    public static Object mask(Value value) {
        switch (value.getKindCase()) {
            case NULL_VALUE:
            case KIND_NOT_SET:
                return null;
            case BOOL_VALUE:
                return value.getBoolValue();
            case NUMBER_VALUE:
                double d = value.getNumberValue();
                if (d == Math.rint(d) && Math.abs(d) < 1e15) {
                    return (long) d;
                }
                return d;
            case STRING_VALUE:
                return UNKNOWN_VALUE.equals(value.getStringValue()) ? UNKNOWN : value.getStringValue();
            case LIST_VALUE:
                List<Object> list = new ArrayList<>();
                value.getListValue().getValuesList().forEach(v -> list.add(mask(v)));
                return list;
            case STRUCT_VALUE:
                return maskStruct(value.getStructValue());
            default:
                throw new IllegalStateException("unexpected protobuf value kind " + value.getKindCase());
        }
    }

    private static Object maskStruct(Struct struct) {
        var fields = struct.getFieldsMap();
        Value sig = fields.get(SIG_KEY);
        if (sig == null) {
            return mask(struct);
        }
        String signature = sig.getStringValue();
        switch (signature) {
            case SECRET_SIG:
                return SECRET;
            case RESOURCE_SIG:
                // A reference to another resource: print its URN.
                return Optional.ofNullable(fields.get("urn")).map(Value::getStringValue).orElse(UNKNOWN);
            case OUTPUT_SIG:
                if (fields.containsKey("secret") && fields.get("secret").getBoolValue()) {
                    return SECRET;
                }
                return fields.containsKey("value") ? mask(fields.get("value")) : UNKNOWN;
            case ASSET_SIG:
            case ARCHIVE_SIG:
                var asset = new LinkedHashMap<String, Object>();
                asset.put("kind", ASSET_SIG.equals(signature) ? "asset" : "archive");
                for (String key : List.of("path", "uri")) {
                    if (fields.containsKey(key)) {
                        asset.put(key, fields.get(key).getStringValue());
                    }
                }
                return asset;
            default:
                throw new IllegalStateException("unexpected Pulumi value signature " + signature);
        }
    }
}
