package dev.unroll.cli;

import dev.unroll.runtime.spec.Parameter;
import dev.unroll.runtime.transformer.HfConfig;
import dev.unroll.runtime.transformer.TransformerSpec;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import javax.lang.model.SourceVersion;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code unroll descriptor config.json}: the annotated interface a Hugging Face model's
 * {@code config.json} describes ({@link HfConfig}), printed as Java source to paste into a build; the
 * processor then generates its kernels. A configuration the family cannot compute is refused naming the
 * key (exit 3).
 */
@Command(name = "descriptor", mixinStandardHelpOptions = true, synopsisHeading = "usage: ",
        header = "Prints the @Transformer descriptor a Hugging Face config.json describes, as Java source.",
        description = {"Reads a model's config.json (Llama or Mistral decoders: hidden_size, num_hidden_layers, num_attention_heads, "
                + "num_key_value_heads, intermediate_size, vocab_size, max_position_embeddings, rope_theta, rms_norm_eps, "
                + "tie_word_embeddings) and prints the annotated interface that describes it, with every member written out and "
                + "the rotary pairing of Hugging Face weights (HALF_SPLIT). Put it in your sources: the processor generates its "
                + "kernels, and NAMEModel.load(path) loads the weights of a single model.safetensors under Hugging Face's names.", "",
                "A configuration the family cannot compute is refused, naming the key and the value: Qwen2's biases, Qwen3's "
                + "norms on q and k, Llama 3's rope_scaling, another activation, head_dim other than width / heads, a sliding "
                + "window shorter than the context."},
        footer = {"", "exit codes: 0 printed, 2 usage, 3 the file is unreadable or describes a model the family cannot compute"})
final class DescriptorCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CONFIG", description = "a Hugging Face config.json")
    Path config;

    @Option(names = "--name", paramLabel = "NAME", description = "the interface's name (default: from the model's folder, or the file's name)")
    String name;

    @Option(names = "--package", paramLabel = "PACKAGE", description = "the package line to print (default: none)")
    String pkg;

    @Override
    public Integer call() {
        String type = name != null ? checkedName(name) : defaultName(config);
        if (pkg != null && !(SourceVersion.isName(pkg) && pkg.chars().allMatch(c -> c < 128))) {
            throw new ParameterException(spec.commandLine(), "--package " + dev.unroll.runtime.UnrollException.safe(pkg)
                    + ": not a Java package name (dot-separated identifiers, no keyword)");
        }
        TransformerSpec s = HfConfig.read(config);
        PrintWriter out = spec.commandLine().getOut();
        out.print(source(s, type, pkg, config.toString()));
        out.flush();
        return ExitCodes.OK;
    }

    private String checkedName(String n) {
        if (!SourceVersion.isIdentifier(n) || SourceVersion.isKeyword(n) || !n.chars().allMatch(c -> c < 128)) {
            throw new ParameterException(spec.commandLine(), "--name " + dev.unroll.runtime.UnrollException.safe(n)
                    + ": not a Java identifier (letters, digits, _ and $; not starting with a digit; no keyword)");
        }
        return n;
    }

    /** {@code SmolLM2-135M/config.json} gives {@code SmolLM2_135M}; a file of another name gives its own. */
    static String defaultName(Path config) {
        Path file = config.getFileName();
        String base = file == null ? "" : file.toString();
        if (base.equals("config.json") && config.toAbsolutePath().getParent() != null && config.toAbsolutePath().getParent().getFileName() != null) {
            base = config.toAbsolutePath().getParent().getFileName().toString();
        } else if (base.endsWith(".json")) {
            base = base.substring(0, base.length() - ".json".length());
        }
        StringBuilder sb = new StringBuilder();
        boolean upper = true;
        for (char c : base.toCharArray()) {
            if (c < 128 && Character.isLetterOrDigit(c)) {
                sb.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            } else if (sb.length() > 0 && sb.charAt(sb.length() - 1) != '_') {
                sb.append('_');
            }
        }
        String n = sb.toString().replaceAll("_+$", "");
        if (n.isEmpty()) {
            return "Model";
        }
        return Character.isDigit(n.charAt(0)) ? "Model" + n : SourceVersion.isKeyword(n) ? n + "Model" : n;
    }

    /**
     * @param s the descriptor
     * @param type the interface's name
     * @param pkg its package, or null
     * @param origin the file it was read from, for the javadoc
     * @return the source: every member on its line
     */
    static String source(TransformerSpec s, String type, String pkg, String origin) {
        StringBuilder sb = new StringBuilder();
        if (pkg != null) {
            sb.append("package ").append(pkg).append(";\n\n");
        }
        sb.append("import dev.unroll.annotations.RopeLayout;\n");
        sb.append("import dev.unroll.annotations.Transformer;\n\n");
        sb.append("/**\n * The decoder that {@code ").append(javadocSafe(origin)).append("}\n * describes (").append(String.format(Locale.ROOT, "%,d", s.parameters()))
                .append(" parameters), as {@code unroll descriptor} read it.\n */\n");
        sb.append("@Transformer(\n");
        Set<Parameter<?>> members = new java.util.LinkedHashSet<>(TransformerSpec.PARAMETERS);
        members.removeIf(p -> !s.applies(p));
        int i = 0;
        for (Parameter<?> p : members) {
            Object v = s.get(p);
            String value = v instanceof Enum<?> e ? e.getDeclaringClass().getSimpleName() + "." + e.name() : p.toSource(v);
            sb.append("        ").append(p.name()).append(" = ").append(value).append(++i < members.size() ? ",\n" : ")\n");
        }
        sb.append("public interface ").append(type).append(" {}\n");
        return sb.toString();
    }

    /** A path inside {@code {@code ...}}: no comment end, no unbalanced brace, no line break, no unicode escape. */
    private static String javadocSafe(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            sb.append(c == '*' || c == '{' || c == '}' || c == '\\' || c == '@' || Character.isISOControl(c) || c > 126 ? '_' : c);
        }
        return sb.toString();
    }
}
