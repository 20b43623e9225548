/** A modular consumer: no java.compiler, no jdk.incubator.vector. */
module example.jpms {
    requires transitive dev.unroll.annotations;
    requires transitive dev.unroll.runtime;

    exports example.jpms;
}
