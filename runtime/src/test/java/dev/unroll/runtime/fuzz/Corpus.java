package dev.unroll.runtime.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A fuzz target's committed seed corpus, where Jazzer reads it: the files under
 * {@code src/test/resources/<package>/<FuzzClass>Inputs/<method>/} (how each was made is in the
 * {@code README.md} beside them).
 */
public final class Corpus {
    private Corpus() {}

    /** A seed: its name (for reports) and its bytes. */
    public record Seed(String name, byte[] bytes) {
        @Override
        public String toString() {
            return name + " (" + bytes.length + " bytes)";
        }
    }

    /**
     * @param fuzzClass the class holding the fuzz test
     * @param method the fuzz test's method
     * @return its seeds, sorted by name
     */
    public static List<Seed> of(Class<?> fuzzClass, String method) {
        String target = fuzzClass.getSimpleName() + "Inputs/" + method;
        URL url = fuzzClass.getResource(target);
        if (url == null) {
            throw new IllegalStateException("no seed corpus " + target + " on the test class path");
        }
        try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
            List<Seed> seeds = new ArrayList<>();
            for (Path p : files.filter(Files::isRegularFile).sorted().toList()) {
                seeds.add(read(p));
            }
            if (seeds.isEmpty()) {
                throw new IllegalStateException("seed corpus fuzz/" + target + " is empty");
            }
            return seeds;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * @param p a file
     * @return it as a seed
     */
    public static Seed read(Path p) {
        try {
            return new Seed(p.getFileName().toString(), Files.readAllBytes(p));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
