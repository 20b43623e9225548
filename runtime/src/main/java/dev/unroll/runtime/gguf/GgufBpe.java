package dev.unroll.runtime.gguf;

import static dev.unroll.runtime.UnrollException.safe;

import dev.unroll.runtime.Limits;
import dev.unroll.runtime.internal.Checks;
import dev.unroll.runtime.transformer.HfTokenizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A GGUF file's byte-level BPE vocabulary ({@code tokenizer.ggml.model} "gpt2": Llama 3, Qwen2/2.5/3,
 * SmolLM2, GPT-2) read as the Hugging Face {@code tokenizer.json} it stands for, so that
 * {@link HfTokenizer} encodes and decodes it: one BPE implementation for both kinds of file.
 *
 * <p>The keys read: {@code tokenizer.ggml.tokens} (the vocabulary, id = index),
 * {@code tokenizer.ggml.merges} (ranked in file order, each "a b"), {@code tokenizer.ggml.token_type}
 * (control and unknown tokens, types 3 and 2, are special tokens matched whole in the text and skipped
 * when decoding skips specials; user-defined tokens, type 4, are matched whole and decoded as written;
 * as in llama.cpp, a token whose text is one of its end-of-generation names, {@code </s>} or
 * {@code <|im_end|>} for example, is a control token whatever its type),
 * {@code tokenizer.ggml.pre} (the pre-tokenizer, below), {@code tokenizer.ggml.bos_token_id},
 * {@code eos_token_id}, {@code eot_token_id}, {@code add_bos_token} and {@code add_eos_token}. As
 * llama.cpp does, {@code tokenizer.ggml.pre} decides the regex that cuts text into words, whether a word
 * that is itself a token skips the merges, and whether BOS is added when the file does not say:
 *
 * <ul>
 *   <li>{@code llama-bpe} (also {@code llama3}, {@code llama-v3}): Llama 3's regex (contractions, letters
 *       with one leading non-letter, numbers of up to three digits, punctuation runs with their line
 *       breaks, whitespace), whole-token words skip the merges, BOS added;
 *   <li>{@code qwen2}: Llama 3's regex with one digit per word, BOS not added;
 *   <li>{@code smollm}: every digit a word of its own, then GPT-2's regex, BOS not added;
 *   <li>{@code gpt-2}: GPT-2's regex, BOS not added.
 * </ul>
 *
 * <p>llama.cpp also guesses fill-in-the-middle tokens ({@code <PRE>}, {@code <|fim_prefix|>} ...) by their
 * text and may promote the first it meets to a control token; that guess is not made here (those tokens are
 * control tokens in the files llama.cpp's converter writes).
 *
 * <p>Any other name is refused naming the key and the value, never read with another regex (llama.cpp
 * knows some fifty; another would tokenize differently, silently). So is a vocabulary that is not one:
 * arrays of other types or lengths, a token twice, an empty special token, a merge that is not two
 * tokens or whose tokens (or their concatenation) are not in the vocabulary, a special token id out of
 * range, a BOS to add without a BOS id.
 */
public final class GgufBpe {
    /** GGUF's token types: llama.cpp's {@code LLAMA_TOKEN_TYPE_*}. */
    private static final int UNKNOWN = 2;
    private static final int CONTROL = 3;
    private static final int USER_DEFINED = 4;
    private static final int MAX_TYPE = 6;

    /**
     * The texts llama.cpp reads as control tokens whatever their type (it warns of a "control-looking
     * token") and as ends of generation: its list, so that a file typing one as normal text (Qwen2.5's
     * {@code </s>}) tokenizes as llama.cpp tokenizes it.
     */
    static final Set<String> END_OF_GENERATION = Set.of("<|eot_id|>", "<|im_end|>", "<|end|>", "<|return|>", "<|call|>", "<|flush|>", "<|calls|>",
            "<end_of_turn>", "<|endoftext|>", "</s>", "<|eom_id|>", "<EOT>", "_<EOT>", "[EOT]", "[EOS]", "<|end_of_text|>", "<end_of_utterance>",
            "<eos>", "<turn|>", "<|tool_response>", "<\uff5cend\u2581of\u2581sentence\uff5c>", "[e~[");

    /** Llama 3's pre-tokenizer regex, as its tokenizer.json and llama.cpp's {@code llama-bpe} state it. */
    static final String LLAMA3 = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+"
            + "|\\s+(?!\\S)|\\s+";
    /** Qwen2's: Llama 3's with one digit per word. */
    static final String QWEN2 = LLAMA3.replace("\\p{N}{1,3}", "\\p{N}");
    /** GPT-2's. */
    static final String GPT2 = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";

    /** A pre-tokenizer llama.cpp names: its regexes (applied in turn, each to the pieces of the last), its merge rule, its BOS default. */
    private record Pre(List<String> regexes, boolean ignoreMerges, boolean addBos) {}

    private static final Map<String, Pre> PRE = pres();

    private GgufBpe() {}

    private static Map<String, Pre> pres() {
        Map<String, Pre> m = new LinkedHashMap<>();
        Pre llama3 = new Pre(List.of(LLAMA3), true, true);
        m.put("llama-bpe", llama3);
        m.put("llama3", llama3);
        m.put("llama-v3", llama3);
        m.put("qwen2", new Pre(List.of(QWEN2), false, false));
        m.put("smollm", new Pre(List.of("\\p{N}", GPT2), false, false));
        m.put("gpt-2", new Pre(List.of(GPT2), false, false));
        return java.util.Collections.unmodifiableMap(m);
    }

    /** @return the {@code tokenizer.ggml.pre} names read, in a stable order (unmodifiable) */
    public static Set<String> preTokenizers() {
        return PRE.keySet();
    }

    /**
     * The file's byte-level BPE vocabulary as a tokenizer: {@link HfTokenizer#encode} with special tokens
     * adds BOS (and EOS) as {@code add_bos_token} ({@code add_eos_token}) say, its {@link HfTokenizer#bos}
     * and {@link HfTokenizer#eos} are the file's ids when it adds them.
     *
     * @param f an open GGUF file
     * @return the tokenizer, or empty when the file's {@code tokenizer.ggml.model} is not "gpt2"
     * @throws GgufFormatException when the vocabulary is not one, or its {@code tokenizer.ggml.pre} is not
     *     read, naming the key, the index and the value
     */
    public static Optional<HfTokenizer> tokenizer(GgufFile f) {
        Checks.notNull("GgufBpe.tokenizer: the file", f);
        if (!"gpt2".equals(f.metadata().get("tokenizer.ggml.model"))) {
            return Optional.empty();
        }
        String src = f.source();
        Object preName = f.metadata().get("tokenizer.ggml.pre");
        if (!(preName instanceof String name)) {
            throw new GgufFormatException(src + ": tokenizer.ggml.pre is " + (preName == null ? "absent" : "not a string")
                    + ": a byte-level BPE vocabulary needs its pre-tokenizer's name (read: " + String.join(", ", PRE.keySet()) + ")");
        }
        Pre pre = PRE.get(name);
        if (pre == null) {
            throw new GgufFormatException(src + ": tokenizer.ggml.pre \"" + safe(name) + "\" is not read (read: " + String.join(", ", PRE.keySet())
                    + "): another pre-tokenizer would cut the text into other words");
        }
        List<String> tokens = strings(f, "tokenizer.ggml.tokens");
        int n = tokens.size();
        if (n == 0 || n > Limits.MAX_VOCAB) {
            throw new GgufFormatException(src + ": tokenizer.ggml.tokens has " + n + " tokens (1 to " + Limits.MAX_VOCAB + ")");
        }
        int[] types = types(f, n);
        List<String> merges = strings(f, "tokenizer.ggml.merges");
        Limits.checkBudget(src + ": the vocabulary of " + n + " tokens and " + merges.size() + " merges",
                Limits.product(src + ": vocabulary", (long) n + merges.size(), 256));

        Map<String, Object> vocab = new LinkedHashMap<>(n * 4 / 3 + 16);
        List<Object> added = new ArrayList<>();
        for (int id = 0; id < n; id++) {
            String t = tokens.get(id);
            Object before = vocab.putIfAbsent(t, (long) id);
            if (before != null) {
                throw new GgufFormatException(src + ": tokenizer.ggml.tokens[" + id + "] \"" + safe(t) + "\" is token " + before + " already");
            }
            int type = END_OF_GENERATION.contains(t) && readAsText(types[id]) ? CONTROL : types[id];
            if (type == CONTROL || type == UNKNOWN || type == USER_DEFINED) {
                if (t.isEmpty()) {
                    throw new GgufFormatException(src + ": tokenizer.ggml.tokens[" + id + "] is empty, and of type " + type
                            + " (a token matched whole in the text)");
                }
                Map<String, Object> a = new HashMap<>();
                a.put("id", (long) id);
                a.put("content", t);
                a.put("special", type != USER_DEFINED);
                a.put("normalized", false);
                added.add(a);
            }
        }
        for (int i = 0; i < merges.size(); i++) {
            String m = merges.get(i);
            int sp = m.indexOf(' ');
            if (sp <= 0 || sp == m.length() - 1 || m.indexOf(' ', sp + 1) >= 0) {
                throw new GgufFormatException(src + ": tokenizer.ggml.merges[" + i + "] \"" + safe(m) + "\" is not two tokens separated by one space");
            }
            String a = m.substring(0, sp);
            String b = m.substring(sp + 1);
            for (String t : new String[] {a, b, a + b}) {
                if (!vocab.containsKey(t)) {
                    throw new GgufFormatException(src + ": tokenizer.ggml.merges[" + i + "] \"" + safe(m) + "\" makes or uses \"" + safe(t)
                            + "\", which is not in tokenizer.ggml.tokens");
                }
            }
        }
        Long bos = id(f, "tokenizer.ggml.bos_token_id", n);
        Long eos = id(f, "tokenizer.ggml.eos_token_id", n);
        boolean addBos = flag(f, "tokenizer.ggml.add_bos_token", pre.addBos());
        boolean addEos = flag(f, "tokenizer.ggml.add_eos_token", false);
        List<Object> single = new ArrayList<>();
        if (addBos) {
            single.add(Map.of("SpecialToken", Map.of("id", tokens.get(required(src, bos, "bos")))));
        }
        single.add(Map.of("Sequence", Map.of("id", "A")));
        if (addEos) {
            single.add(Map.of("SpecialToken", Map.of("id", tokens.get(required(src, eos, "eos")))));
        }

        List<Object> steps = new ArrayList<>();
        for (String regex : pre.regexes()) {
            steps.add(Map.of("type", "Split", "pattern", Map.of("Regex", regex), "behavior", "Isolated", "invert", false));
        }
        steps.add(Map.of("type", "ByteLevel", "add_prefix_space", false, "use_regex", false));
        Map<String, Object> model = new HashMap<>();
        model.put("type", "BPE");
        model.put("vocab", vocab);
        model.put("merges", new ArrayList<Object>(merges));
        model.put("ignore_merges", pre.ignoreMerges());
        Map<String, Object> root = new HashMap<>();
        root.put("model", model);
        root.put("added_tokens", added);
        root.put("pre_tokenizer", Map.of("type", "Sequence", "pretokenizers", steps));
        root.put("post_processor", Map.of("type", "TemplateProcessing", "single", single));
        root.put("decoder", Map.of("type", "ByteLevel"));
        return Optional.of(HfTokenizer.of(src, root));
    }

    /**
     * The tokens that end a generation, as llama.cpp reads them: {@code tokenizer.ggml.eos_token_id} and
     * {@code tokenizer.ggml.eot_token_id} (a chat model's end of turn), those present, and the tokens whose
     * text is one of llama.cpp's end-of-generation names ({@code <|im_end|>}, {@code <|eot_id|>},
     * {@code <|endoftext|>} ...).
     *
     * @param f an open GGUF file
     * @return the ids, possibly none
     * @throws GgufFormatException when one is not a token id of {@code tokenizer.ggml.tokens}
     */
    public static Set<Integer> stopTokens(GgufFile f) {
        Checks.notNull("GgufBpe.stopTokens: the file", f);
        Object tokens = f.metadata().get("tokenizer.ggml.tokens");
        int n = tokens instanceof List<?> l ? l.size() : 0;
        Set<Integer> stops = new LinkedHashSet<>();
        for (String key : new String[] {"tokenizer.ggml.eos_token_id", "tokenizer.ggml.eot_token_id"}) {
            Long id = id(f, key, n);
            if (id != null) {
                stops.add(id.intValue());
            }
        }
        if (tokens instanceof List<?> l) {
            for (int i = 0; i < n; i++) {
                if (l.get(i) instanceof String t && END_OF_GENERATION.contains(t)) {
                    stops.add(i);
                }
            }
        }
        return stops;
    }

    /** @return whether a token of this type is read as text (normal, unused, undefined, byte): llama.cpp promotes those of its end names */
    private static boolean readAsText(int type) {
        return type != CONTROL && type != UNKNOWN && type != USER_DEFINED;
    }

    private static int required(String src, Long id, String which) {
        if (id == null) {
            throw new GgufFormatException(src + ": tokenizer.ggml.add_" + which + "_token asks for a " + which.toUpperCase(java.util.Locale.ROOT)
                    + " token but tokenizer.ggml." + which + "_token_id is absent");
        }
        return id.intValue();
    }

    /** @return the array of strings under the key */
    private static List<String> strings(GgufFile f, String key) {
        Object v = f.metadata().get(key);
        if (!(v instanceof List<?> list)) {
            throw new GgufFormatException(f.source() + ": " + key + " is " + (v == null ? "absent" : "not an array")
                    + ": a byte-level BPE vocabulary holds an array of strings there");
        }
        List<String> out = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof String s)) {
                throw new GgufFormatException(f.source() + ": " + key + "[" + i + "] is not a string");
            }
            out.add(s);
        }
        return out;
    }

    /** @return each token's type (1, normal, when the file has no {@code tokenizer.ggml.token_type}, as llama.cpp reads it) */
    private static int[] types(GgufFile f, int n) {
        String key = "tokenizer.ggml.token_type";
        Object v = f.metadata().get(key);
        int[] types = new int[n];
        java.util.Arrays.fill(types, 1);
        if (v == null) {
            return types;
        }
        if (!(v instanceof List<?> list) || list.size() != n) {
            throw new GgufFormatException(f.source() + ": " + key + " is " + (v instanceof List<?> l ? "an array of " + l.size() : "not an array")
                    + " where tokenizer.ggml.tokens holds " + n + " tokens (one type each)");
        }
        for (int i = 0; i < n; i++) {
            Object t = list.get(i);
            if (!(t instanceof Long l) || l < 0 || l > MAX_TYPE) {
                throw new GgufFormatException(f.source() + ": " + key + "[" + i + "] is " + safe(String.valueOf(t)) + ", not a token type (0 to "
                        + MAX_TYPE + ")");
            }
            types[i] = (int) (long) l;
        }
        return types;
    }

    /** @return the token id under the key, or null when absent */
    private static Long id(GgufFile f, String key, int n) {
        Object v = f.metadata().get(key);
        if (v == null) {
            return null;
        }
        if (!(v instanceof Long id) || id < 0 || id >= n) {
            throw new GgufFormatException(f.source() + ": " + key + " is " + safe(String.valueOf(v)) + ", not a token id (0 to " + (n - 1)
                    + " in tokenizer.ggml.tokens)");
        }
        return id;
    }

    private static boolean flag(GgufFile f, String key, boolean absent) {
        Object v = f.metadata().get(key);
        if (v == null) {
            return absent;
        }
        if (!(v instanceof Boolean b)) {
            throw new GgufFormatException(f.source() + ": " + key + " is " + safe(String.valueOf(v)) + ", not a boolean");
        }
        return b;
    }
}
