package dev.dataplatform.plan;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The replace-on-change table covers what the program declares and reads the provider rules right. */
class ReplaceOnChangeTest {

    @ParameterizedTest
    @ValueSource(strings = {"dev", "stage", "prod"})
    void everyTypeTheCommittedStacksDeclareHasARow(String stack) {
        var missing = new TreeSet<String>();
        for (var r : dev.dataplatform.program.CommittedPlans.of(stack).recording().resources()) {
            if (r.custom() && !ReplaceOnChange.covers(r.type())) {
                missing.add(r.type());
            }
        }
        assertEquals(new TreeSet<String>(), missing, "add these types to ReplaceOnChange.TABLE with their sources");
    }

    @Test
    void aTierChangeUpdatesInPlaceAndARegionChangeReplaces() {
        String instance = "gcp:sql/databaseInstance:DatabaseInstance";
        assertEquals(List.of(), ReplaceOnChange.forcing(instance, List.of("settings.tier", "databaseVersion"), Map.of(), Map.of()));
        assertEquals(List.of("region"), ReplaceOnChange.forcing(instance, List.of("region", "settings.tier"), Map.of(), Map.of()));
    }

    @Test
    void aShrinkingCloudSqlDiskReplacesAndAGrowingOneDoesNot() {
        String instance = "gcp:sql/databaseInstance:DatabaseInstance";
        var before = Map.of("settings", Map.of("diskSize", 100.0));
        assertEquals(List.of("settings.diskSize"), ReplaceOnChange.forcing(instance, List.of("settings.diskSize"),
                before, Map.of("settings", Map.of("diskSize", 50.0))));
        assertEquals(List.of(), ReplaceOnChange.forcing(instance, List.of("settings.diskSize"),
                before, Map.of("settings", Map.of("diskSize", 200.0))));
    }

    @Test
    void kubernetesObjectsReplaceOnANewNameAndJobsOnANewPodTemplateButHelmReleasesNever() {
        assertEquals(List.of("metadata.name"), ReplaceOnChange.forcing("kubernetes:stackgres.io/v1:SGCluster",
                List.of("metadata.name", "spec.instances"), Map.of(), Map.of()));
        assertEquals(List.of("spec.template.spec.containers.0.image"), ReplaceOnChange.forcing("kubernetes:batch/v1:Job",
                List.of("spec.template.spec.containers.0.image"), Map.of(), Map.of()));
        assertEquals(List.of(), ReplaceOnChange.forcing("kubernetes:helm.sh/v3:Release", List.of("name", "namespace"), Map.of(), Map.of()));
        assertTrue(ReplaceOnChange.covers("kubernetes:keda.sh/v1alpha1:ScaledObject"));
    }
}
