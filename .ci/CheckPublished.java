import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Checks a deployed set of dev.unroll artifacts against Maven Central's publishing rules: each POM has
 * its own name, and (itself or through its dev.unroll parents) a description, url, licence, developer
 * and scm; a jar-like artifact has its jar, sources jar and javadoc jar, none empty; every file has a
 * signature (.asc) and correct .md5/.sha1 checksums; the set is exactly the artifacts named, nothing
 * more (modules that are not published stay out). Run: {@code java .ci/CheckPublished.java REPO VERSION
 * ARTIFACT...}; prints one line per problem and exits 1 when there is any.
 */
public final class CheckPublished {
    private static final List<String> problems = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: java .ci/CheckPublished.java REPO VERSION ARTIFACT...");
            System.exit(2);
        }
        Path repo = Path.of(args[0]);
        String version = args[1];
        Path group = repo.resolve("dev/unroll");
        Set<String> want = new TreeSet<>(List.of(args).subList(2, args.length));
        Set<String> found = new TreeSet<>();
        try (Stream<Path> s = Files.list(group)) {
            s.filter(Files::isDirectory).forEach(p -> found.add(p.getFileName().toString()));
        }
        for (String extra : found) {
            if (!want.contains(extra)) {
                problems.add(extra + ": deployed, but not in the published set");
            }
        }
        for (String a : want) {
            Path dir = group.resolve(a).resolve(version);
            if (!Files.isDirectory(dir)) {
                problems.add(a + ": not deployed (" + dir + " missing)");
                continue;
            }
            check(a, dir, version, group);
        }
        if (problems.isEmpty()) {
            System.out.println("published set: " + want.size() + " artifacts at " + version + ", metadata, jars, checksums and signatures complete");
            return;
        }
        problems.forEach(System.out::println);
        System.exit(1);
    }

    private static void check(String a, Path dir, String version, Path group) throws Exception {
        Path pom = dir.resolve(a + "-" + version + ".pom");
        if (!Files.isRegularFile(pom)) {
            problems.add(a + ": no POM");
            return;
        }
        Element project = parse(pom);
        if (text(project, "name") == null) {
            problems.add(a + ": the POM has no <name> (not inherited)");
        }
        for (String member : List.of("description", "url", "licenses/license/name", "licenses/license/url", "developers/developer/name",
                "scm/url", "scm/connection")) {
            if (inherited(project, member, version, group) == null) {
                problems.add(a + ": no <" + member + "> in its POM or its parents'");
            }
        }
        String packaging = text(project, "packaging") == null ? "jar" : text(project, "packaging");
        List<String> files = new ArrayList<>(List.of(a + "-" + version + ".pom"));
        if (!packaging.equals("pom")) {
            for (String suffix : List.of(".jar", "-sources.jar", "-javadoc.jar")) {
                String f = a + "-" + version + suffix;
                files.add(f);
                Path p = dir.resolve(f);
                if (Files.isRegularFile(p) && entries(p) == 0) {
                    problems.add(a + ": " + f + " is empty");
                }
            }
        }
        for (String f : files) {
            if (!Files.isRegularFile(dir.resolve(f))) {
                problems.add(a + ": " + f + " missing");
            }
        }
        List<Path> deployed;
        try (Stream<Path> s = Files.list(dir)) {
            deployed = s.filter(p -> p.toString().endsWith(".jar") || p.toString().endsWith(".pom")).sorted().toList();
        }
        for (Path p : deployed) {
            String f = p.getFileName().toString();
            if (!Files.isRegularFile(dir.resolve(f + ".asc"))) {
                problems.add(a + ": " + f + " is not signed (.asc missing)");
            }
            checksum(a, p, "MD5", ".md5");
            checksum(a, p, "SHA-1", ".sha1");
        }
    }

    /** A member of the POM or, failing that, of its dev.unroll parent chain in the same repository. */
    private static String inherited(Element project, String member, String version, Path group) throws Exception {
        for (Element p = project; p != null; ) {
            String v = text(p, member);
            if (v != null) {
                return v;
            }
            String parent = text(p, "parent/artifactId");
            if (parent == null || !"dev.unroll".equals(text(p, "parent/groupId"))) {
                return null;
            }
            Path pom = group.resolve(parent).resolve(version).resolve(parent + "-" + version + ".pom");
            p = Files.isRegularFile(pom) ? parse(pom) : null;
        }
        return null;
    }

    private static void checksum(String a, Path file, String algorithm, String suffix) throws Exception {
        Path sum = Path.of(file + suffix);
        if (!Files.isRegularFile(sum)) {
            problems.add(a + ": " + file.getFileName() + suffix + " missing");
            return;
        }
        String want = HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(Files.readAllBytes(file)));
        String got = Files.readString(sum).trim().split("\\s+")[0];
        if (!want.equalsIgnoreCase(got)) {
            problems.add(a + ": " + file.getFileName() + suffix + " does not match the file");
        }
    }

    private static int entries(Path jar) throws IOException {
        try (ZipFile z = new ZipFile(jar.toFile())) {
            return (int) z.stream().filter(e -> !e.isDirectory() && !e.getName().startsWith("META-INF/")).count();
        }
    }

    private static Element parse(Path pom) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Document d = f.newDocumentBuilder().parse(pom.toFile());
        return d.getDocumentElement();
    }

    /** The text of a slash-separated path of child elements (the first match at each step), or null. */
    private static String text(Element root, String path) {
        Element e = root;
        for (String step : path.split("/")) {
            Element next = null;
            for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n instanceof Element c && c.getTagName().equals(step)) {
                    next = c;
                    break;
                }
            }
            if (next == null) {
                return null;
            }
            e = next;
        }
        String t = e.getTextContent().trim();
        return t.isEmpty() ? null : t;
    }
}
