package dev.unroll.runtime.spec;

/** How serious a descriptor finding is. */
public enum Severity {
    /** The descriptor is invalid: nothing is generated for it. */
    ERROR,
    /** The descriptor is valid but something in it has no effect or is suspicious. */
    WARNING
}
