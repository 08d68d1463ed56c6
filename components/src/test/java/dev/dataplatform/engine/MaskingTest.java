package dev.dataplatform.engine;

import com.google.protobuf.ListValue;
import com.google.protobuf.NullValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class MaskingTest {

    static Value string(String s) {
        return Value.newBuilder().setStringValue(s).build();
    }

    static Value struct(Map<String, Value> fields) {
        return Value.newBuilder().setStructValue(Struct.newBuilder().putAllFields(fields)).build();
    }

    @Test
    void secretsUnknownsAndResourceReferencesArePrintable() {
        var input = Struct.newBuilder()
                .putFields("password", struct(Map.of(Masking.SIG_KEY, string(Masking.SECRET_SIG), "value", string("hunter2"))))
                .putFields("id", string(Masking.UNKNOWN_VALUE))
                .putFields("ref", struct(Map.of(Masking.SIG_KEY, string(Masking.RESOURCE_SIG), "urn", string("urn:x"))))
                .putFields("secretOutput", struct(Map.of(Masking.SIG_KEY, string(Masking.OUTPUT_SIG),
                        "secret", Value.newBuilder().setBoolValue(true).build(), "value", string("hunter2"))))
                .putFields("plainOutput", struct(Map.of(Masking.SIG_KEY, string(Masking.OUTPUT_SIG), "value", string("ok"))))
                .putFields("count", Value.newBuilder().setNumberValue(3).build())
                .putFields("ratio", Value.newBuilder().setNumberValue(0.5).build())
                .putFields("none", Value.newBuilder().setNullValue(NullValue.NULL_VALUE).build())
                .putFields("list", Value.newBuilder().setListValue(ListValue.newBuilder()
                        .addValues(string("a")).addValues(string(Masking.UNKNOWN_VALUE))).build())
                .build();

        var masked = Masking.mask(input);

        assertEquals("[secret]", masked.get("password"));
        assertEquals("[unknown]", masked.get("id"));
        assertEquals("urn:x", masked.get("ref"));
        assertEquals("[secret]", masked.get("secretOutput"));
        assertEquals("ok", masked.get("plainOutput"));
        assertEquals(3L, masked.get("count"));
        assertEquals(0.5, masked.get("ratio"));
        assertEquals(null, masked.get("none"));
        assertEquals(List.of("a", "[unknown]"), masked.get("list"));
        assertEquals(List.copyOf(masked.keySet()), masked.keySet().stream().sorted().toList(), "keys are sorted");
    }

    @Test
    void anUnknownSignatureIsABugNotAValue() {
        var input = Struct.newBuilder()
                .putFields("x", struct(Map.of(Masking.SIG_KEY, string("not-a-signature"))))
                .build();
        assertThrows(IllegalStateException.class, () -> Masking.mask(input));
    }
}
