package dev.unroll.runtime.sweep;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A module's public API as reflection sees it: every public constructor and public method declared by
 * a public type (nested public types included) of the given packages, read from the compiled classes,
 * so that a method added tomorrow is in tomorrow's surface without anyone listing it.
 */
public final class Surface {
    private Surface() {}

    /**
     * @param anchor a class of the module (its classes folder or jar is scanned)
     * @param packages package names; a package's subpackages are not included unless listed
     * @param types which public types to keep (e.g. leave out an SPI)
     * @return every public executable, in a stable order
     */
    public static List<Executable> of(Class<?> anchor, List<String> packages, Predicate<Class<?>> types) {
        List<Executable> out = new ArrayList<>();
        for (Class<?> c : classes(anchor, packages)) {
            if (!isPublicType(c) || !types.test(c)) {
                continue;
            }
            for (Constructor<?> k : c.getDeclaredConstructors()) {
                if (Modifier.isPublic(k.getModifiers()) && !Modifier.isAbstract(c.getModifiers())) {
                    out.add(k);
                }
            }
            Method[] ms = c.getDeclaredMethods();
            Arrays.sort(ms, Comparator.comparing(Surface::describe));
            for (Method m : ms) {
                if (Modifier.isPublic(m.getModifiers()) && !m.isSynthetic() && !m.isBridge()) {
                    out.add(m);
                }
            }
        }
        return out;
    }

    /**
     * @param moduleInfo a {@code module-info.java}
     * @return the packages it exports to every module ({@code exports p;}, not {@code exports p to m;}), in its order
     */
    public static List<String> exportedPackages(Path moduleInfo) {
        try {
            List<String> out = new ArrayList<>();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^\\s*exports\\s+([\\w.]+)\\s*;").matcher(Files.readString(moduleInfo));
            while (m.find()) {
                out.add(m.group(1));
            }
            if (out.isEmpty()) {
                throw new IllegalStateException(moduleInfo + " exports nothing to everyone");
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return {@code Owner.name(Param, ...)}, e.g. {@code Fla.naiveRetention(Tensor, Tensor, Tensor)} */
    public static String describe(Executable e) {
        StringBuilder sb = new StringBuilder(simpleName(e.getDeclaringClass()));
        sb.append('.').append(e instanceof Constructor ? "<init>" : e.getName()).append('(');
        Class<?>[] p = e.getParameterTypes();
        for (int i = 0; i < p.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(p[i].getSimpleName());
        }
        return sb.append(')').toString();
    }

    /** @return {@code Outer.Inner} for nested types */
    public static String simpleName(Class<?> c) {
        return c.getEnclosingClass() == null ? c.getSimpleName() : simpleName(c.getEnclosingClass()) + "." + c.getSimpleName();
    }

    private static boolean isPublicType(Class<?> c) {
        for (Class<?> x = c; x != null; x = x.getEnclosingClass()) {
            if (!Modifier.isPublic(x.getModifiers())) {
                return false;
            }
        }
        return !c.isAnonymousClass() && !c.isSynthetic();
    }

    private static List<Class<?>> classes(Class<?> anchor, List<String> packages) {
        try {
            Path root = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isDirectory(root)) {
                return scan(root, packages, anchor.getClassLoader());
            }
            try (FileSystem jar = FileSystems.newFileSystem(root, Map.of())) {
                return scan(jar.getPath("/"), packages, anchor.getClassLoader());
            }
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Class<?>> scan(Path root, List<String> packages, ClassLoader loader) throws IOException {
        List<Class<?>> out = new ArrayList<>();
        for (String pkg : packages) {
            Path dir = root.resolve(pkg.replace('.', '/'));
            if (!Files.isDirectory(dir)) {
                throw new IllegalStateException("no package " + pkg + " under " + root);
            }
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".class")).sorted().toList()) {
                    String file = f.getFileName().toString();
                    if (file.equals("package-info.class") || file.equals("module-info.class")) {
                        continue;
                    }
                    try {
                        out.add(Class.forName(pkg + "." + file.substring(0, file.length() - 6), false, loader));
                    } catch (ClassNotFoundException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        }
        out.sort(Comparator.comparing(Class::getName));
        return out;
    }
}
