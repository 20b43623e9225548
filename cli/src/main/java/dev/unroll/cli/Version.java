package dev.unroll.cli;

import picocli.CommandLine;

/** {@code unroll --version}: the version in the jar's manifest, and the JVM that runs it. */
final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Unroll.class.getPackage().getImplementationVersion();
        return new String[] {"unroll " + (v == null ? "(development build)" : v),
                "JVM: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.version")};
    }
}
