/** A modular consumer that reaches below the runtime's API: it must not compile. */
module example.fence {
    requires dev.unroll.runtime;
}
