package dev.unroll.processor.front;

import dev.unroll.processor.read.MemberValues;
import dev.unroll.processor.read.TransformerReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.annotation.processing.Filer;
import javax.tools.FileObject;
import javax.tools.JavaFileManager;
import javax.tools.StandardLocation;

/**
 * Reads the configuration file a descriptor names ({@code @Transformer(config = ...)}) through the
 * Filer, so that the families stay free of the file system: its text joins the annotation's members
 * as {@link TransformerReader#CONFIG_TEXT} (absent when no location holds it, with the locations tried
 * in {@link TransformerReader#CONFIG_WHERE}).
 */
public final class ConfigFiles {
    /** Where a build keeps such a file: beside the sources, in the compiled resources, on the class path. */
    private static final List<JavaFileManager.Location> LOCATIONS = List.of(StandardLocation.SOURCE_PATH, StandardLocation.CLASS_OUTPUT,
            StandardLocation.CLASS_PATH);
    /** Larger than any configuration: a file this big is not one. */
    private static final int MAX_BYTES = 4 << 20;

    private ConfigFiles() {}

    /**
     * @param filer the compilation's filer
     * @param members the annotation's members
     * @return the members, with the named file's text when one was named and found
     */
    public static MemberValues withConfig(Filer filer, MemberValues members) {
        Object name = members.values().get(TransformerReader.CONFIG);
        if (!(name instanceof String path) || path.isEmpty()) {
            return members;
        }
        Map<String, Object> values = new LinkedHashMap<>(members.values());
        if (!relative(path)) {
            values.put(TransformerReader.CONFIG_WHERE, "not a relative name of a file: no leading /, no . or .. segment, no \\ or control character");
            return new MemberValues(values, members.explicit());
        }
        StringBuilder tried = new StringBuilder();
        for (JavaFileManager.Location l : LOCATIONS) {
            String text = read(filer, l, path);
            if (text != null) {
                values.put(TransformerReader.CONFIG_TEXT, text);
                return new MemberValues(values, members.explicit());
            }
            tried.append(tried.length() == 0 ? "" : ", ").append(l.getName());
        }
        values.put(TransformerReader.CONFIG_WHERE, "looked in " + tried);
        return new MemberValues(values, members.explicit());
    }

    /** javac's rule for a resource's relative name, checked here: javac answers others with an exception. */
    static boolean relative(String path) {
        if (path.startsWith("/") || path.endsWith("/") || path.chars().anyMatch(c -> c == '\\' || c < 0x20 || c == 0x7f)) {
            return false;
        }
        for (String segment : path.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                return false;
            }
        }
        return true;
    }

    /** @return the file's text at the location, or null where the location lacks it or cannot be read */
    private static String read(Filer filer, JavaFileManager.Location location, String path) {
        try {
            FileObject f = filer.getResource(location, "", path);
            try (InputStream in = f.openInputStream()) {
                byte[] bytes = in.readNBytes(MAX_BYTES + 1);
                return bytes.length > MAX_BYTES ? null : new String(bytes, StandardCharsets.UTF_8);
            }
        } catch (IOException | RuntimeException e) {
            // not at this location: javac answers a missing file with an IOException, a folder or an odd name with an
            // IllegalArgumentException, wrapped when a build tool's file manager raised it
            return null;
        }
    }
}
