package dev.unroll.processor;

import com.google.testing.compile.Compilation;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import javax.tools.JavaFileObject;

/** Loads the class files a compile-testing {@link Compilation} produced, in a loader of their own. */
final class CompiledClasses extends ClassLoader {
    private final Map<String, byte[]> classes = new HashMap<>();
    /** Other class outputs (the processor's {@code META-INF/services} files), by resource name. */
    private final Map<String, byte[]> resources = new HashMap<>();

    CompiledClasses(Compilation c) {
        super(CompiledClasses.class.getClassLoader());
        for (JavaFileObject f : c.generatedFiles()) {
            String path = f.toUri().getPath();
            if (f.getKind() != JavaFileObject.Kind.CLASS) {
                if (path.contains("CLASS_OUTPUT/")) {
                    try (InputStream in = f.openInputStream()) {
                        resources.put(path.substring(path.indexOf("CLASS_OUTPUT/") + "CLASS_OUTPUT/".length()), in.readAllBytes());
                    } catch (IOException e) {
                        throw new AssertionError(e);
                    }
                }
                continue;
            }
            String name = path.substring(path.indexOf("CLASS_OUTPUT/") + "CLASS_OUTPUT/".length(), path.length() - ".class".length()).replace('/', '.');
            try (InputStream in = f.openInputStream()) {
                classes.put(name, in.readAllBytes());
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        synchronized (getClassLoadingLock(name)) {
            Class<?> c = findLoadedClass(name);
            if (c == null && classes.containsKey(name)) {
                byte[] b = classes.get(name);
                c = defineClass(name, b, 0, b.length);
            }
            if (c == null) {
                return super.loadClass(name, resolve);
            }
            if (resolve) {
                resolveClass(c);
            }
            return c;
        }
    }

    /** Serves the compilation's resources, so that ServiceLoader sees the services files it wrote. */
    @Override
    protected java.util.Enumeration<java.net.URL> findResources(String name) throws IOException {
        byte[] bytes = resources.get(name);
        if (bytes == null) {
            return java.util.Collections.emptyEnumeration();
        }
        java.net.URLStreamHandler handler = new java.net.URLStreamHandler() {
            @Override
            protected java.net.URLConnection openConnection(java.net.URL u) {
                return new java.net.URLConnection(u) {
                    @Override
                    public void connect() {
                        // in memory
                    }

                    @Override
                    public InputStream getInputStream() {
                        return new java.io.ByteArrayInputStream(bytes);
                    }
                };
            }
        };
        return java.util.Collections.enumeration(java.util.List.of(new java.net.URL(null, "compiled:" + name, handler)));
    }

    Class<?> get(String name) {
        try {
            return loadClass(name);
        } catch (ClassNotFoundException e) {
            throw new AssertionError("not compiled: " + name, e);
        }
    }
}
