package dev.unroll.tornadovm;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Proves the processor tests' stand-in for TornadoVM's API declares the real signatures: every public
 * type, constructor, method and field of the compiled stand-in must exist in the real {@code tornado-api}
 * jar with the same types, modifiers ({@code static}) and, for classes, the same kind. Runs on JDK 25
 * (the real jar is class-file version 69); loads classes without initialising them.
 *
 * <p>Prints {@code MISMATCH ...} per difference and {@code CHECKED n members of m types}; exits 1 on any
 * mismatch.
 */
public final class SignatureCompare {
    private SignatureCompare() {}

    /** @param args the compiled stand-in folder, the real tornado-api jar */
    public static void main(String[] args) throws Exception {
        Path standIn = Path.of(args[0]);
        ClassLoader parent = ClassLoader.getPlatformClassLoader();
        List<String> problems = new ArrayList<>();
        int members = 0;
        int types = 0;
        try (URLClassLoader stand = new URLClassLoader(new URL[] {standIn.toUri().toURL()}, parent);
                URLClassLoader real = new URLClassLoader(new URL[] {Path.of(args[1]).toUri().toURL()}, parent);
                Stream<Path> files = Files.walk(standIn)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".class")).sorted().toList()) {
                String name = standIn.relativize(f).toString().replace(File.separatorChar, '.').replaceAll("\\.class$", "");
                Class<?> s = Class.forName(name, false, stand);
                if (!Modifier.isPublic(s.getModifiers())) {
                    continue;
                }
                types++;
                Class<?> r;
                try {
                    r = Class.forName(name, false, real);
                } catch (ClassNotFoundException e) {
                    problems.add("MISMATCH type " + name + " is not in the real API");
                    continue;
                }
                if (s.isInterface() != r.isInterface() || s.isEnum() != r.isEnum() || s.isAnnotation() != r.isAnnotation()) {
                    problems.add("MISMATCH type " + name + ": kind differs");
                }
                for (Method m : s.getDeclaredMethods()) {
                    if (Modifier.isPublic(m.getModifiers()) && !m.isSynthetic()) {
                        members++;
                        check(problems, name, m, r);
                    }
                }
                for (Constructor<?> c : s.getDeclaredConstructors()) {
                    if (Modifier.isPublic(c.getModifiers())) {
                        members++;
                        try {
                            r.getConstructor(types(c.getParameterTypes(), real));
                        } catch (NoSuchMethodException e) {
                            problems.add("MISMATCH " + name + " constructor(" + names(c.getParameterTypes()) + ") is not in the real API");
                        }
                    }
                }
                for (Field fd : s.getDeclaredFields()) {
                    if (Modifier.isPublic(fd.getModifiers()) && !isTestHook(fd)) {
                        members++;
                        try {
                            Field rf = r.getField(fd.getName());
                            if (!rf.getType().getName().equals(fd.getType().getName()) || Modifier.isStatic(rf.getModifiers()) != Modifier.isStatic(fd.getModifiers())) {
                                problems.add("MISMATCH " + name + "." + fd.getName() + ": " + fd.getType().getName() + " vs " + rf.getType().getName());
                            }
                        } catch (NoSuchFieldException e) {
                            problems.add("MISMATCH field " + name + "." + fd.getName() + " is not in the real API");
                        }
                    }
                }
            }
        }
        problems.forEach(System.out::println);
        System.out.println("CHECKED " + members + " members of " + types + " types");
        System.exit(problems.isEmpty() ? 0 : 1);
    }

    /** The stand-in's recorder of executions, for its own tests: not an API member. */
    private static boolean isTestHook(Field f) {
        return f.getName().equals("EVENTS");
    }

    private static void check(List<String> problems, String owner, Method m, Class<?> real) throws ClassNotFoundException {
        Method r;
        try {
            r = real.getMethod(m.getName(), types(m.getParameterTypes(), real.getClassLoader()));
        } catch (NoSuchMethodException e) {
            problems.add("MISMATCH " + owner + "." + m.getName() + "(" + names(m.getParameterTypes()) + ") is not in the real API");
            return;
        }
        if (!r.getReturnType().getName().equals(m.getReturnType().getName())) {
            problems.add("MISMATCH " + owner + "." + m.getName() + " returns " + m.getReturnType().getName() + ", the real one " + r.getReturnType().getName());
        }
        if (Modifier.isStatic(r.getModifiers()) != Modifier.isStatic(m.getModifiers())) {
            problems.add("MISMATCH " + owner + "." + m.getName() + ": static differs");
        }
        List<String> thrown = Arrays.stream(m.getExceptionTypes()).map(Class::getName).sorted().toList();
        List<String> realThrown = Arrays.stream(r.getExceptionTypes()).map(Class::getName).sorted().toList();
        if (!thrown.equals(realThrown)) {
            problems.add("MISMATCH " + owner + "." + m.getName() + " throws " + thrown + ", the real one " + realThrown);
        }
    }

    /** The same parameter types, loaded by the real API's loader (API types by name, JDK types as they are). */
    private static Class<?>[] types(Class<?>[] standIn, ClassLoader real) throws ClassNotFoundException {
        Class<?>[] out = new Class<?>[standIn.length];
        for (int i = 0; i < standIn.length; i++) {
            out[i] = standIn[i].isPrimitive() ? standIn[i] : Class.forName(standIn[i].getName(), false, real);
        }
        return out;
    }

    private static String names(Class<?>[] types) {
        return Arrays.stream(types).map(Class::getSimpleName).collect(Collectors.joining(", "));
    }

    private static final class File {
        static final char separatorChar = java.io.File.separatorChar;
    }
}
