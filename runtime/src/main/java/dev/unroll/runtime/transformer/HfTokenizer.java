package dev.unroll.runtime.transformer;

import dev.unroll.runtime.Limits;
import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.internal.Checks;
import dev.unroll.runtime.internal.json.Json;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * A Hugging Face {@code tokenizer.json} with a BPE model, read as the reference implementations
 * (Hugging Face tokenizers and Transformers.js) encode and decode: the two families small hub models
 * use, byte-level BPE (GPT-2 style: Llama 3, Qwen2/2.5/3, SmolLM2) and SentencePiece-style BPE with
 * byte fallback (Llama 2, Mistral, TinyLlama).
 *
 * <p>Encoding splits the text around the added tokens (the longest first, honouring {@code lstrip}
 * and {@code rstrip}), normalizes what is between them ({@code NFC}, {@code NFKC}, {@code NFD},
 * {@code NFKD}, {@code Prepend}, {@code Replace}), pre-tokenizes it into words ({@code ByteLevel},
 * {@code Split}, {@code Metaspace}), encodes each word by BPE (merges by rank, {@code ignore_merges},
 * {@code byte_fallback}, {@code fuse_unk}) and, when asked, adds the special tokens of the
 * {@code TemplateProcessing} post-processor. Decoding runs the file's decoder ({@code ByteLevel},
 * {@code Replace}, {@code ByteFallback}, {@code Fuse}, {@code Strip}, {@code Metaspace}); it does
 * not clean up spaces before punctuation ({@code clean_up_tokenization_spaces} is a setting of
 * {@code tokenizer_config.json}, not read here).
 *
 * <p>Whatever a file declares that this class does not implement (a Unigram or WordPiece model, a
 * BERT normalizer, truncation, BPE dropout ...) is refused at load with an {@link UnrollException}
 * naming the file, the JSON path and the value, never tokenized differently.
 *
 * <p>A tokenizer is immutable but for a cache of encoded words, and may be shared between threads.
 */
public final class HfTokenizer {
    /** Largest {@code tokenizer.json} read (the largest hub tokenizers are some 20 MB). */
    public static final long MAX_FILE_BYTES = 256L << 20;

    private final String source;
    private final String[] tokens;
    private final boolean[] special;
    private final Map<String, Integer> ids;
    private final HfBpe model;
    private final boolean fuseUnk;
    private final UnaryOperator<String> normalizer;
    private final HfPreTokenizer preTokenizer;
    private final HfDecoder decoder;
    private final HfAddedTokens unnormalized = new HfAddedTokens();
    private final HfAddedTokens normalized = new HfAddedTokens();
    private final Map<String, HfAddedTokens.Token> added = new HashMap<>();
    private final HfPostProcessor post;
    private final OptionalInt bos;
    private final OptionalInt eos;

    /**
     * Reads a {@code tokenizer.json}.
     *
     * @param tokenizerJson the file
     * @return the tokenizer
     * @throws UnrollException when the file cannot be read, is not valid JSON, or declares what this
     *     class does not implement (the message names the file, the JSON path and the value)
     */
    public static HfTokenizer load(Path tokenizerJson) {
        Checks.notNull("HfTokenizer.load: tokenizerJson", tokenizerJson);
        if (!Files.isRegularFile(tokenizerJson)) {
            throw new UnrollException(tokenizerJson + ": not a regular file (expected a Hugging Face tokenizer.json)");
        }
        byte[] bytes;
        try {
            long size = Files.size(tokenizerJson);
            if (size > MAX_FILE_BYTES) {
                throw new UnrollException(tokenizerJson + ": " + size + " bytes, more than a tokenizer.json may take (" + MAX_FILE_BYTES + ")");
            }
            // the text, its parse tree and the tables built from it: some 24 bytes per byte of JSON
            Limits.checkBudget(tokenizerJson + ": reading the file", Limits.product(tokenizerJson + ": size", size, 24));
            bytes = Files.readAllBytes(tokenizerJson);
        } catch (IOException e) {
            throw new UnrollException(tokenizerJson + ": cannot read: " + e.getMessage(), e);
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new UnrollException(tokenizerJson + ": not UTF-8 text (" + e + ")", e);
        }
        Object root;
        try {
            root = Json.parse(text);
        } catch (UnrollException e) {
            throw new UnrollException(tokenizerJson + ": " + e.getMessage(), e);
        }
        return new HfTokenizer(new HfNode(String.valueOf(tokenizerJson), "", root));
    }

    /**
     * Builds a tokenizer from a {@code tokenizer.json}'s content already in memory: maps, lists,
     * strings, booleans, {@code Long} integers and {@code Double} reals, as a JSON parser gives them (a
     * GGUF file's vocabulary translated, for example). Read as {@link #load} reads a file.
     *
     * @param source what the content came from, for messages
     * @param tokenizerJson the content's root object
     * @return the tokenizer
     * @throws UnrollException when the content declares what this class does not implement or is not a
     *     tokenizer (the message names the source, the JSON path and the value)
     */
    public static HfTokenizer of(String source, Map<String, ?> tokenizerJson) {
        Checks.notNull("HfTokenizer.of: source", source);
        Checks.notNull("HfTokenizer.of: tokenizerJson", tokenizerJson);
        checkTree(source, "", tokenizerJson, 0);
        return new HfTokenizer(new HfNode(source, "", tokenizerJson));
    }

    /** The deepest nesting {@link #of} reads (a real tokenizer.json nests some 6 deep; a cycle never ends). */
    private static final int MAX_DEPTH = 64;

    /**
     * Refuses what a JSON parser never gives, naming the path: another type, a key not a string, a cycle.
     * A leaf's path is spelt only when it is refused (a vocabulary has some 10^5 of them).
     */
    private static void checkTree(String source, String path, Object v, int depth) {
        if (depth > MAX_DEPTH) {
            throw new UnrollException(source + ": " + path + " nests more than " + MAX_DEPTH + " deep");
        }
        if (v instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!(e.getKey() instanceof String k)) {
                    throw new UnrollException(source + ": " + (path.isEmpty() ? "the root" : path) + " has a key that is not a string ("
                            + HfNode.describe(e.getKey()) + ")");
                }
                if (!isLeaf(e.getValue())) {
                    checkTree(source, path + "." + k, e.getValue(), depth + 1);
                }
            }
        } else if (v instanceof List<?> l) {
            for (int i = 0; i < l.size(); i++) {
                if (!isLeaf(l.get(i))) {
                    checkTree(source, path + "[" + i + "]", l.get(i), depth + 1);
                }
            }
        } else if (!isLeaf(v)) {
            throw new UnrollException(source + ": " + path + " is a " + v.getClass().getSimpleName() + ": not a JSON value (Map, List, String, "
                    + "Boolean, Long, Double or null)");
        }
    }

    /** @return whether a value is a JSON scalar as a parser gives it */
    private static boolean isLeaf(Object v) {
        return v == null || v instanceof String || v instanceof Boolean || v instanceof Long || v instanceof Double;
    }

    private HfTokenizer(HfNode root) {
        this.source = root.file();
        root.object();
        for (String key : new String[] {"truncation", "padding"}) {
            HfNode n = root.at(key);
            if (!n.isNull()) {
                throw n.unsupported("encoding one text needs neither truncation nor padding: set it to null");
            }
        }
        HfNode m = root.at("model");
        HfNode type = m.at("type");
        if (!type.isNull() && !"BPE".equals(type.string())) {
            throw type.unsupported("BPE only");
        }
        if (type.isNull() && m.at("merges").isNull()) {
            throw m.error("has neither a type nor merges: only BPE models are supported");
        }
        HfNode dropout = m.at("dropout");
        if (!dropout.isNull() && !(dropout.raw() instanceof Number && ((Number) dropout.raw()).doubleValue() == 0)) {
            throw dropout.unsupported("BPE dropout is for training; set it to null");
        }
        m.requireAbsent("continuing_subword_prefix", "BPE without subword prefixes only");
        m.requireAbsent("end_of_word_suffix", "BPE without end-of-word suffixes only");

        // vocabulary and added tokens
        HfNode vocabNode = m.at("vocab");
        Map<String, Object> vocab = vocabNode.object();
        List<HfNode> addedNodes = root.at("added_tokens").isNull() ? List.of() : root.at("added_tokens").list();
        Limits.checkBudget(source + ": the vocabulary of " + vocab.size() + " tokens",
                Limits.product(source + ": vocabulary", (long) vocab.size() + addedNodes.size(), 128));
        ids = new HashMap<>(vocab.size() * 4 / 3 + addedNodes.size() + 16);
        Map<Integer, String> byId = new HashMap<>(vocab.size() * 4 / 3 + 16);
        int max = -1;
        for (Map.Entry<String, Object> e : vocab.entrySet()) {
            HfNode idNode = new HfNode(source, vocabNode.path() + "[" + HfNode.describe(e.getKey()) + "]", e.getValue());
            int id = idNode.integer(0, Limits.MAX_VOCAB - 1);
            String before = byId.putIfAbsent(id, e.getKey());
            if (before != null) {
                throw idNode.error("is id " + id + ", which " + HfNode.describe(before) + " has already");
            }
            ids.put(e.getKey(), id);
            max = Math.max(max, id);
        }
        List<HfAddedTokens.Token> addedList = new ArrayList<>();
        Set<Integer> addedIds = new HashSet<>();
        for (HfNode a : addedNodes) {
            int id = a.at("id").integer(0, Limits.MAX_VOCAB - 1);
            String content = a.at("content").string();
            if (content.isEmpty()) {
                throw a.at("content").error("is empty");
            }
            if (a.at("single_word").bool(false)) {
                throw a.at("single_word").unsupported("added tokens matched anywhere only");
            }
            boolean isSpecial = a.at("special").bool(false);
            HfAddedTokens.Token t = new HfAddedTokens.Token(id, content, isSpecial, a.at("lstrip").bool(false),
                    a.at("rstrip").bool(false), a.at("normalized").bool(!isSpecial));
            if (!addedIds.add(id)) {
                throw a.at("id").error("is " + id + ", the id of an earlier added token");
            }
            String before = byId.get(id);
            if (before != null && !before.equals(content)) {
                throw a.at("id").error("is " + id + ", the id of " + HfNode.describe(before) + " in model.vocab");
            }
            byId.put(id, content);
            ids.put(content, id);
            max = Math.max(max, id);
            addedList.add(t);
        }
        if (max < 0) {
            throw vocabNode.error("is empty");
        }
        Limits.checkBudget(source + ": a vocabulary of ids up to " + max, Limits.product(source + ": ids", max + 1L, 16));
        tokens = new String[max + 1];
        special = new boolean[max + 1];
        for (Map.Entry<Integer, String> e : byId.entrySet()) {
            tokens[e.getKey()] = e.getValue();
        }

        normalizer = HfNormalizer.of(root.at("normalizer"));
        preTokenizer = HfPreTokenizer.of(root.at("pre_tokenizer"));
        for (HfAddedTokens.Token t : addedList) {
            special[t.id()] = t.special();
            added.put(t.content(), t);
            if (t.normalized() && normalizer != null) {
                String n = normalizer.apply(t.content());
                added.putIfAbsent(n, t);
                normalized.add(n, t);
            } else {
                unnormalized.add(t.content(), t);
            }
        }

        // merges
        HfNode unkNode = m.at("unk_token");
        int unk = -1;
        if (!unkNode.isNull()) {
            Integer u = ids.get(unkNode.string());
            if (u == null) {
                throw unkNode.error(HfNode.describe(unkNode.raw()) + " is not a token of the vocabulary");
            }
            unk = u;
        }
        HfNode mergesNode = m.at("merges");
        List<HfNode> mergeList = mergesNode.isNull() ? List.of() : mergesNode.list();
        Limits.checkBudget(source + ": " + mergeList.size() + " merges", Limits.product(source + ": merges", mergeList.size(), 96));
        Map<Long, Long> merges = HfBpe.newMerges(mergeList.size());
        for (int rank = 0; rank < mergeList.size(); rank++) {
            HfNode mn = mergeList.get(rank);
            String a;
            String b;
            if (mn.raw() instanceof String) {
                String s = mn.string();
                int sp = s.indexOf(' ');
                if (sp < 0 || s.indexOf(' ', sp + 1) >= 0) {
                    throw mn.error(HfNode.describe(s) + " is not two tokens separated by one space");
                }
                a = s.substring(0, sp);
                b = s.substring(sp + 1);
            } else {
                List<HfNode> pair = mn.list();
                if (pair.size() != 2) {
                    throw mn.error("has " + pair.size() + " elements, expected a pair of tokens");
                }
                a = pair.get(0).string();
                b = pair.get(1).string();
            }
            Integer ia = ids.get(a);
            Integer ib = ids.get(b);
            Integer merged = ids.get(a + b);
            if (ia == null || ib == null || merged == null) {
                String missing = ia == null ? a : ib == null ? b : a + b;
                throw mn.error("merges " + HfNode.describe(a) + " and " + HfNode.describe(b) + ", but "
                        + HfNode.describe(missing) + " is not a token of the vocabulary");
            }
            merges.put(HfBpe.pair(ia, ib), ((long) rank << 32) | merged);
        }
        fuseUnk = m.at("fuse_unk").bool(false);
        model = new HfBpe(ids, merges, unk, m.at("byte_fallback").bool(false), m.at("ignore_merges").bool(false));
        Set<String> contents = new HashSet<>();
        for (HfAddedTokens.Token t : addedList) {
            contents.add(t.content());
        }
        decoder = HfDecoder.of(root.at("decoder"), contents);
        post = HfPostProcessor.of(root.at("post_processor"), ids);
        bos = post.prefix.length > 0 ? OptionalInt.of(post.prefix[post.prefix.length - 1])
                : known("<s>", "<|begin_of_text|>", "<bos>");
        eos = post.suffix.length > 0 ? OptionalInt.of(post.suffix[0]) : known("</s>", "<|end_of_text|>", "<|endoftext|>", "<eos>");
    }

    private OptionalInt known(String... names) {
        for (String n : names) {
            HfAddedTokens.Token t = added.get(n);
            if (t != null && t.special()) {
                return OptionalInt.of(t.id());
            }
        }
        return OptionalInt.empty();
    }

    /**
     * Encodes a text.
     *
     * @param text the text
     * @param addSpecialTokens whether to add the special tokens the post-processor's template puts
     *     around a text (for example BOS)
     * @return the token ids
     */
    public int[] encode(String text, boolean addSpecialTokens) {
        Checks.notNull("HfTokenizer.encode: text", text);
        HfBpe.IntList out = new HfBpe.IntList();
        if (addSpecialTokens) {
            for (int id : post.prefix) {
                out.add(id);
            }
        }
        List<String> sections = unnormalized.split(text);
        unnormalized.strip(sections, added);
        for (int si = 0; si < sections.size(); si++) {
            String section = sections.get(si);
            if (section.isEmpty()) {
                continue;
            }
            HfAddedTokens.Token t = added.get(section);
            if (t != null) {
                out.add(t.id());
                continue;
            }
            if (normalizer != null) {
                section = normalizer.apply(section);
                if (section.isEmpty()) {
                    continue;
                }
            }
            List<String> subsections = normalized.split(section);
            normalized.strip(subsections, added);
            for (String sub : subsections) {
                if (sub.isEmpty()) {
                    continue;
                }
                HfAddedTokens.Token s = added.get(sub);
                if (s != null) {
                    out.add(s.id());
                    continue;
                }
                List<String> words = preTokenizer == null ? List.of(sub) : preTokenizer.split(sub, si);
                HfBpe.IntList part = new HfBpe.IntList();
                model.encode(words, fuseUnk, part);
                for (int id : part.toArray()) {
                    out.add(id);
                }
            }
        }
        if (addSpecialTokens) {
            for (int id : post.suffix) {
                out.add(id);
            }
        }
        return out.toArray();
    }

    /**
     * Decodes token ids, special tokens included.
     *
     * @param ids the token ids
     * @return the text
     */
    public String decode(int[] ids) {
        return decode(ids, false);
    }

    /**
     * Decodes token ids with the file's decoder.
     *
     * @param ids the token ids
     * @param skipSpecialTokens whether to leave out the added tokens marked special (BOS, EOS ...)
     * @return the text
     * @throws UnrollException when an id is not a token of the vocabulary
     */
    public String decode(int[] ids, boolean skipSpecialTokens) {
        Checks.notNull("HfTokenizer.decode: ids", ids);
        List<String> pieces = new ArrayList<>(ids.length);
        for (int id : ids) {
            String t = token(id);
            if (!(skipSpecialTokens && special[id])) {
                pieces.add(t);
            }
        }
        if (decoder == null) {
            return String.join(" ", pieces);
        }
        return String.join("", decoder.chain(pieces));
    }

    /**
     * @param id a token id
     * @return the token's string as the file spells it (byte-level tokens in GPT-2's byte alphabet)
     * @throws UnrollException when the id is not a token of the vocabulary
     */
    public String token(int id) {
        if (id < 0 || id >= tokens.length || tokens[id] == null) {
            throw new UnrollException("token " + id + " is not in the vocabulary of " + source + " (ids 0 to " + (tokens.length - 1) + ")");
        }
        return tokens[id];
    }

    /** @return the number of token ids: the largest id of the vocabulary and the added tokens, plus one */
    public int vocabSize() {
        return tokens.length;
    }

    /**
     * @param token a token's string, as the file spells it (an added token's content, or a vocabulary entry)
     * @return its id, or empty when the file has no such token
     */
    public OptionalInt tokenId(String token) {
        Checks.notNull("HfTokenizer.tokenId: token", token);
        Integer id = ids.get(token);
        return id == null ? OptionalInt.empty() : OptionalInt.of(id);
    }

    /**
     * @param id a token id
     * @return whether it is an added token marked special (decoding can skip those)
     */
    public boolean isSpecial(int id) {
        return id >= 0 && id < special.length && special[id];
    }

    /**
     * @return the beginning-of-sequence token: the last special token the post-processor's template
     *     puts before a text, or else the special added token {@code <s>}, {@code <|begin_of_text|>}
     *     or {@code <bos>}; empty when the file declares none
     */
    public OptionalInt bos() {
        return bos;
    }

    /**
     * @return the end-of-sequence token: the first special token the post-processor's template puts
     *     after a text, or else the special added token {@code </s>}, {@code <|end_of_text|>},
     *     {@code <|endoftext|>} or {@code <eos>}; empty when the file declares none (a chat model's
     *     end-of-turn token is in its {@code generation_config.json})
     */
    public OptionalInt eos() {
        return eos;
    }

    @Override
    public String toString() {
        return "HfTokenizer[" + source + ", " + tokens.length + " ids]";
    }
}
