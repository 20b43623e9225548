package dev.unroll.runtime.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.annotations.Precision;
import dev.unroll.runtime.attention.AttentionSpec;
import dev.unroll.runtime.attention.WeightLayout;
import dev.unroll.runtime.attention.WeightTensor;
import dev.unroll.runtime.attention.definition.ModeDefinition;
import dev.unroll.runtime.attention.definition.Modes;
import dev.unroll.runtime.transformer.TransformerSpec;
import dev.unroll.runtime.trm.TrmSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The docs' member and mode tables are generated from the parameter tables and the mode definitions,
 * between {@code <!-- generated:NAME -->} and {@code <!-- /generated -->}, and must match them: a new
 * parameter or mode shows up in the docs or fails the build. Rewrite them with
 * {@code mvn -pl runtime test -Dtest=DocTablesTest -Dunroll.updateDocs=true}.
 */
class DocTablesTest {
    private static final Path DOCS = Path.of("../docs");
    private static final Pattern BLOCK = Pattern.compile("<!-- generated:([\\w-]+) -->\\n(.*?)<!-- /generated -->", Pattern.DOTALL);

    /** @return every generated block by name */
    static Map<String, String> blocks() {
        Map<String, String> b = new TreeMap<>();
        List<Parameter<?>> attention = new ArrayList<>(AttentionSpec.PARAMETERS);
        Map<Parameter<?>, String> owners = new java.util.HashMap<>();
        for (ModeDefinition d : Modes.all()) {
            for (Parameter<?> p : d.parameters()) {
                attention.add(p);
                owners.put(p, d.mode().name());
            }
        }
        b.put("attention-members", members(attention, p -> owners.getOrDefault(p, "all")));
        b.put("attention-modes", modes());
        b.put("trm-members", members(TrmSpec.PARAMETERS, p -> TrmSpec.applies(p, dev.unroll.annotations.TokenMixer.MLP) ? "all" : "ATTENTION mixer"));
        List<Parameter<?>> transformer = new ArrayList<>(TransformerSpec.PARAMETERS);
        transformer.addAll(TransformerSpec.BLOCK_PARAMETERS);
        b.put("transformer-members", members(transformer, p -> TransformerSpec.BLOCK_PARAMETERS.contains(p) ? "`@RecurrentPass`" : "`@Transformer`"));
        return b;
    }

    private static String members(List<Parameter<?>> table, java.util.function.Function<Parameter<?>, String> usedBy) {
        StringBuilder s = new StringBuilder("| member | type | default | on | accepts | reference key | meaning |\n|---|---|---|---|---|---|---|\n");
        for (Parameter<?> p : table) {
            s.append("| `").append(p.name()).append("` | ").append(p.typeName()).append(" | ")
                    .append(p.required() ? "required" : "`" + p.toSource(p.defaultValue()) + "`").append(" | ")
                    .append(usedBy.apply(p)).append(" | ").append(p.range() instanceof Range.Any ? "" : p.range().describe()).append(" | ")
                    .append(p.referenceKey() == null ? "" : "`" + p.referenceKey() + "`").append(" | ").append(p.description()).append(" |\n");
        }
        return s.toString();
    }

    private static String modes() {
        StringBuilder s = new StringBuilder("| mode | reference name | update | per-head tensors after key, value, query | output | notes |\n"
                + "|---|---|---|---|---|---|\n");
        for (ModeDefinition d : Modes.all()) {
            AttentionSpec spec = AttentionSpec.builder(d.mode(), 16).heads(2).precision(Precision.F32).buildUnchecked();
            List<String> tensors = new ArrayList<>();
            for (WeightTensor w : WeightLayout.of(spec)) {
                if (w.head() == 0 && !List.of("w_key", "w_value", "w_query").contains(w.field())) {
                    tensors.add("`" + w.field() + "`");
                }
            }
            s.append("| ").append(d.mode()).append(" | ").append(d.referenceName()).append(" | ").append(d.update()).append(" | ")
                    .append(String.join(", ", tensors)).append(" | ").append(d.tanhOutput() ? "tanh" : "").append(" | ").append(d.notes()).append(" |\n");
        }
        return s.toString();
    }

    @Test
    void theDocsTablesAreTheDefinitions() throws IOException {
        Map<String, String> want = blocks();
        Map<String, String> found = new TreeMap<>();
        List<Path> files = List.of(DOCS.resolve("linear-attention.md"), DOCS.resolve("trm.md"), DOCS.resolve("transformer.md"));
        for (Path f : files) {
            String text = Files.readString(f);
            Matcher m = BLOCK.matcher(text);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                found.put(m.group(1), m.group(2));
                String body = want.getOrDefault(m.group(1), m.group(2));
                m.appendReplacement(out, Matcher.quoteReplacement("<!-- generated:" + m.group(1) + " -->\n" + body + "<!-- /generated -->"));
            }
            m.appendTail(out);
            if (Boolean.getBoolean("unroll.updateDocs")) {
                Files.writeString(f, out.toString());
            }
        }
        assertEquals(want.keySet(), found.keySet(), "every generated table has its place in the docs");
        if (!Boolean.getBoolean("unroll.updateDocs")) {
            for (Map.Entry<String, String> e : want.entrySet()) {
                assertEquals(e.getValue(), found.get(e.getKey()), e.getKey() + " is out of date: run with -Dunroll.updateDocs=true");
            }
        }
    }

    @Test
    void everyModeHasItsRowAndEveryParameterItsLine() {
        String modes = blocks().get("attention-modes");
        for (ModeDefinition d : Modes.all()) {
            assertTrue(modes.contains("| " + d.mode() + " |"), d.mode().name());
        }
        String members = blocks().get("attention-members");
        for (Parameter<?> p : Modes.allParameters()) {
            assertTrue(members.contains("| `" + p.name() + "` |"), p.name());
        }
        assertEquals(Arrays.asList(dev.unroll.annotations.AttentionMode.values()), Modes.all().stream().map(ModeDefinition::mode).toList());
    }
}
