package dev.unroll.cli;

import dev.unroll.runtime.UnrollException;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipFile;

/**
 * The user's jars and class folders ({@code --classpath}/{@code -cp}, or {@code UNROLL_CLASSPATH}) added
 * to the launcher's own class path, so that {@code run}, {@code inspect}, {@code verify} and
 * {@code bench} find the kernels a user's build generated. The command line runs again in a class
 * loader over both (the kernels register through {@link java.util.ServiceLoader}, which sees one
 * loader's class path): everything the command touches then sees the user's kernels, with no global
 * registry to mutate.
 */
final class UserClassPath {
    /** Names the loader the command line runs in again, so that it does not add the entries twice. */
    static final String LOADER_NAME = "unroll-user-classpath";
    /** The environment variable read when no option is given. */
    static final String ENV = "UNROLL_CLASSPATH";

    /** The arguments without the class-path options, and the entries those options and the variable named. */
    record Request(List<String> args, List<Path> entries) {}

    private UserClassPath() {}

    /** @return whether this copy of the launcher already runs in a user class-path loader */
    static boolean inside() {
        ClassLoader l = UserClassPath.class.getClassLoader();
        return l != null && LOADER_NAME.equals(l.getName());
    }

    /**
     * Takes {@code --classpath PATH}, {@code --classpath=PATH} and {@code -cp PATH} (any number, before
     * {@code --}) out of the arguments; with none, the environment variable's value.
     *
     * @param args the command line
     * @param env {@code UNROLL_CLASSPATH}'s value, or null
     * @return the rest of the arguments and every entry, checked
     * @throws UnrollException (a usage error) naming the option or variable, the entry and what is wrong
     */
    static Request parse(List<String> args, String env) {
        List<String> rest = new ArrayList<>();
        List<Path> entries = new ArrayList<>();
        boolean given = false;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--")) {
                rest.addAll(args.subList(i, args.size()));
                break;
            }
            String value;
            String option;
            if (a.equals("--classpath") || a.equals("-cp")) {
                option = a;
                if (i + 1 >= args.size()) {
                    throw new UnrollException(a + " needs a value: jars and class folders separated by '" + File.pathSeparator + "'");
                }
                value = args.get(++i);
            } else if (a.startsWith("--classpath=")) {
                option = "--classpath";
                value = a.substring("--classpath=".length());
            } else {
                rest.add(a);
                continue;
            }
            given = true;
            entries.addAll(entries(option, value));
        }
        if (!given && env != null && !env.isBlank()) {
            entries.addAll(entries(ENV, env));
        }
        return new Request(rest, entries);
    }

    private static List<Path> entries(String source, String value) {
        List<Path> out = new ArrayList<>();
        for (String s : value.split(File.pathSeparator, -1)) {
            if (s.isEmpty()) {
                continue;
            }
            Path p;
            try {
                p = Path.of(s);
            } catch (InvalidPathException e) {
                throw new UnrollException(source + ": '" + UnrollException.safe(s) + "' is not a path (" + UnrollException.safe(e.getReason()) + ")");
            }
            if (Files.isDirectory(p)) {
                out.add(p);
            } else if (Files.isRegularFile(p)) {
                try (ZipFile z = new ZipFile(p.toFile())) {
                    out.add(p);
                } catch (IOException e) {
                    throw new UnrollException(source + ": '" + UnrollException.safe(s) + "' is not a jar (" + UnrollException.safe(e.getMessage()) + ")");
                }
            } else {
                throw new UnrollException(source + ": no jar or folder '" + UnrollException.safe(s) + "'");
            }
        }
        if (out.isEmpty()) {
            throw new UnrollException(source + ": '" + UnrollException.safe(value) + "' names no jar or folder");
        }
        return out;
    }

    /**
     * Runs the command line again in a loader over the launcher's class path and the entries.
     *
     * @param r the parsed request (entries not empty)
     * @param out standard output
     * @param err standard error
     * @return the exit code
     */
    static int rerun(Request r, PrintStream out, PrintStream err) {
        List<URL> urls = new ArrayList<>();
        try {
            for (String s : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
                if (!s.isEmpty()) {
                    urls.add(Path.of(s).toUri().toURL());
                }
            }
            for (Path p : r.entries()) {
                urls.add(p.toUri().toURL());
            }
        } catch (MalformedURLException | InvalidPathException e) {
            throw new UnrollException("--classpath: " + UnrollException.safe(e.getMessage()));
        }
        Thread t = Thread.currentThread();
        ClassLoader before = t.getContextClassLoader();
        try (URLClassLoader loader = new URLClassLoader(LOADER_NAME, urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
            t.setContextClassLoader(loader);
            Class<?> launcher = Class.forName(Unroll.class.getName(), true, loader);
            return (Integer) launcher.getMethod("run", List.class, PrintStream.class, PrintStream.class).invoke(null, r.args(), out, err);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException | IOException e) {
            throw new IllegalStateException("could not run the launcher with the user class path: " + e, e);
        } finally {
            t.setContextClassLoader(before);
        }
    }
}
