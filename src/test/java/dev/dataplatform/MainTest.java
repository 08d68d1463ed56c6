package dev.dataplatform;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class MainTest {
    @Test
    void smallMachinesGetACommonPoolOfTwoUnlessTheUserChoseOne() {
        assertEquals(Optional.of("2"), Main.commonPoolParallelism(1, null));
        assertEquals(Optional.of("2"), Main.commonPoolParallelism(2, null));
        assertEquals(Optional.empty(), Main.commonPoolParallelism(3, null), "3 cores already give the pool parallelism 2");
        assertEquals(Optional.empty(), Main.commonPoolParallelism(2, "1"), "an explicit setting wins");
    }
}
