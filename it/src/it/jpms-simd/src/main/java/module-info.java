/** A modular consumer that reads the Vector API and java.compiler. */
module example.jpms {
    requires transitive dev.unroll.annotations;
    requires transitive dev.unroll.runtime;
    requires jdk.incubator.vector;
    requires static java.compiler;

    exports example.jpms;
}
