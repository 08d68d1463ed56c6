package dev.dataplatform.kubernetes.crd;

/** An enum whose value in a custom resource differs from its Java name. */
public interface WireEnum {
    String wire();
}
