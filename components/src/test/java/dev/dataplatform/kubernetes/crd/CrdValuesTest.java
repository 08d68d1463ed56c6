package dev.dataplatform.kubernetes.crd;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CrdValuesTest {
    enum Mode implements WireEnum {
        READ_WRITE;

        public String wire() {
            return "read-write";
        }
    }

    record Inner(String name, Integer size) {
    }

    record Spec(String title, @Field("postgresql.conf") Map<String, String> conf, List<Inner> items, Inner absent,
                Mode mode, Boolean flag) implements CrdSpec {
        public CrdKind kind() {
            return new CrdKind("example.io/v1", "Thing");
        }
    }

    record Bad(Object value) {
    }

    @Test
    void recordsBecomeMapsInFieldOrderWithoutNullsAndWithCrdNames() {
        var value = CrdValues.of(new Spec("t", Map.of("work_mem", "4MB", "shared_buffers", "1GB"),
                List.of(new Inner("a", 1), new Inner("b", null)), null, Mode.READ_WRITE, false));
        assertEquals(List.of("title", "postgresql.conf", "items", "mode", "flag"), new ArrayList<>(value.keySet()));
        assertEquals(List.of("shared_buffers", "work_mem"), new ArrayList<>(((Map<?, ?>) value.get("postgresql.conf")).keySet()),
                "map keys sorted: stable plans");
        assertEquals(List.of(Map.of("name", "a", "size", 1), Map.of("name", "b")), value.get("items"));
        assertEquals("read-write", value.get("mode"));
        assertEquals(false, value.get("flag"));
    }

    @Test
    void valuesThatAreNotPlainDataAreRefusedWithTheirPath() {
        var error = assertThrows(IllegalArgumentException.class, () -> CrdValues.of(new Bad(new StringBuilder("x"))));
        assertTrue(error.getMessage().startsWith("Bad.value: java.lang.StringBuilder is not a custom resource value"),
                error.getMessage());
        var keys = assertThrows(IllegalArgumentException.class, () -> CrdValues.of(new Bad(Map.of(1, "x"))));
        assertTrue(keys.getMessage().contains("Bad.value: map keys must be strings"), keys.getMessage());
    }

    @Test
    void kindsAreCheckedAndGiveTheKubernetesToken() {
        assertEquals("kubernetes:stackgres.io/v1:SGCluster", StackGres.CLUSTER.token());
        assertEquals("kubernetes:stackgres.io/v1alpha1:SGShardedCluster", StackGres.SHARDED_CLUSTER.token());
        assertEquals("kubernetes:stackgres.io/v1beta1:SGObjectStorage", StackGres.OBJECT_STORAGE.token());
        assertEquals("kubernetes:external-secrets.io/v1alpha1:PushSecret", ExternalSecrets.PUSH_SECRET.token());
        assertEquals("kubernetes:external-secrets.io/v1:ExternalSecret", ExternalSecrets.EXTERNAL_SECRET.token());
        assertEquals("kubernetes:keda.sh/v1alpha1:ScaledObject", Keda.SCALED_OBJECT.token());
        assertThrows(IllegalArgumentException.class, () -> new CrdKind("v1", "Pod"), "core kinds have typed classes");
        assertThrows(IllegalArgumentException.class, () -> new CrdKind("stackgres.io/v1", "sgcluster"));
    }

    @Test
    void aScriptEntryHasExactlyOneSource() {
        assertThrows(IllegalArgumentException.class, () -> new StackGres.ScriptEntry(1, "x", "postgres", null, null, null));
        assertThrows(IllegalArgumentException.class, () -> new StackGres.ScriptEntry(1, "x", "postgres", null, "SELECT 1",
                new StackGres.ScriptFrom(new StackGres.SecretKeySelector("s", "k"))));
    }
}
