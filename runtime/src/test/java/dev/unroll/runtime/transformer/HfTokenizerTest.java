package dev.unroll.runtime.transformer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.runtime.Limits;
import dev.unroll.runtime.TestData;
import dev.unroll.runtime.TestProperties;
import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.internal.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link HfTokenizer} against ids the reference (Transformers.js's tokenizers) computed, see
 * {@code data/tokenizers/README.md}: the small hand-written tokenizers of the repository always, the
 * hub tokenizers (Llama 3, Qwen2.5, Qwen3, GPT-2, a SentencePiece-style 32000-token one) when
 * {@code -Dunroll.tokenizers=DIR} or {@code UNROLL_TOKENIZERS} names a folder holding
 * {@code <name>/tokenizer.json}.
 */
class HfTokenizerTest {
    /** The system property naming the folder of hub tokenizer files. */
    static final String PROPERTY = "unroll.tokenizers";
    /** The environment variable naming it. */
    static final String ENV = "UNROLL_TOKENIZERS";

    @ParameterizedTest
    @ValueSource(strings = {"tiny-bytelevel", "tiny-gpt2", "tiny-sentencepiece", "tiny-metaspace"})
    void fixturesMatchTheReference(String name) throws IOException {
        check(HfTokenizer.load(TestData.fixture("tokenizers/" + name + "/tokenizer.json")), name);
    }

    /** The hub tokenizers with vectors. */
    static final String HUB = "llama3, qwen2_5, qwen3, gpt2, llama2";
    private static boolean reported;

    @ParameterizedTest
    @ValueSource(strings = {"llama3", "qwen2_5", "qwen3", "gpt2", "llama2"})
    void hubTokenizersMatchTheReference(String name) throws IOException {
        String dir = System.getProperty(PROPERTY, System.getenv(ENV));
        Path file = dir == null ? null : Path.of(dir, name, "tokenizer.json");
        if (file == null || !Files.isRegularFile(file)) {
            String line = "skipped: " + (file == null ? "the hub tokenizers' vectors (" + HUB + ")" : file + " is missing")
                    + ": set -D" + PROPERTY + "=DIR or " + ENV + " to a folder holding <name>/tokenizer.json"
                    + " (see runtime/src/test/resources/data/tokenizers/README.md)";
            synchronized (HfTokenizerTest.class) {
                if (file != null || !reported) {
                    System.out.println("[Unroll tests] " + line);
                    reported = true;
                }
            }
            Assumptions.abort(line);
        }
        check(HfTokenizer.load(file), name);
    }

    private static void check(HfTokenizer t, String name) throws IOException {
        List<Object> vectors = (List<Object>) Json.parse(Files.readString(TestData.fixture("tokenizers/" + name + "/vectors.json")));
        assertTrue(vectors.size() >= 30, name);
        List<String> failures = new ArrayList<>();
        for (Object o : vectors) {
            Map<String, Object> v = (Map<String, Object>) o;
            String text = (String) v.get("text");
            int[] ids = ints(v.get("ids"));
            int[] withSpecial = ints(v.get("with_special"));
            compare(failures, "encode " + quote(text), ids, t.encode(text, false));
            compare(failures, "encode with special tokens " + quote(text), withSpecial, t.encode(text, true));
            if (v.containsKey("decoded")) {
                compare(failures, "decode " + quote(text), v.get("decoded"), t.decode(withSpecial));
                compare(failures, "decode skipping special tokens " + quote(text), v.get("decoded_skip_special"), t.decode(withSpecial, true));
            }
        }
        assertTrue(failures.isEmpty(), name + ": " + failures.size() + " differences from the reference:\n" + String.join("\n", failures));
    }

    private static void compare(List<String> failures, String what, Object expected, Object actual) {
        Object e = expected instanceof int[] ? java.util.Arrays.toString((int[]) expected) : expected;
        Object a = actual instanceof int[] ? java.util.Arrays.toString((int[]) actual) : actual;
        if (!e.equals(a)) {
            failures.add(what + ": expected " + e + ", got " + a);
        }
    }

    private static String quote(String s) {
        return "\"" + s.replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r") + "\"";
    }

    private static int[] ints(Object list) {
        return ((List<Object>) list).stream().mapToInt(x -> ((Long) x).intValue()).toArray();
    }

    @Test
    void idsAndSpecialTokens() {
        HfTokenizer t = HfTokenizer.load(TestData.fixture("tokenizers/tiny-sentencepiece/tokenizer.json"));
        assertEquals(1, t.bos().getAsInt());
        assertEquals(2, t.eos().getAsInt());
        assertEquals(0, t.tokenId("<unk>").getAsInt());
        assertTrue(t.tokenId("no such token").isEmpty());
        assertTrue(t.isSpecial(1));
        assertEquals("<0x41>", t.token(3 + 0x41));
        assertThrows(UnrollException.class, () -> t.token(t.vocabSize()));
        assertThrows(UnrollException.class, () -> t.decode(new int[] {-1}));
        HfTokenizer b = HfTokenizer.load(TestData.fixture("tokenizers/tiny-bytelevel/tokenizer.json"));
        assertEquals(b.tokenId("<|begin_of_text|>").getAsInt(), b.bos().getAsInt());
        assertEquals(b.tokenId("<|end_of_text|>").getAsInt(), b.eos().getAsInt());
        assertEquals(b.vocabSize(), b.tokenId("<tool>").getAsInt() + 1);
        HfTokenizer m = HfTokenizer.load(TestData.fixture("tokenizers/tiny-metaspace/tokenizer.json"));
        assertEquals(2, m.eos().getAsInt(), "the template's token after the text");
        assertArrayEquals(new int[] {1, 2}, m.encode("", true));
        // byte-level round trip of any text
        String text = "Grüße, 世界! 😀 don't\n\t 12345";
        assertEquals(text, b.decode(b.encode(text, true), true));
    }

    @Test
    void aTreeInMemoryReadsAsTheFileAndWhatNoParserGivesIsRefused() throws IOException {
        Path file = TestData.fixture("tokenizers/tiny-bytelevel/tokenizer.json");
        Map<String, Object> tree = (Map<String, Object>) Json.parse(Files.readString(file));
        check(HfTokenizer.of("tiny tree", tree), "tiny-bytelevel");
        Map<String, Object> cycle = new java.util.HashMap<>(tree);
        cycle.put("pre_tokenizer", cycle);
        assertTrue(assertThrows(UnrollException.class, () -> HfTokenizer.of("t", cycle)).getMessage()
                .startsWith("t: .pre_tokenizer.pre_tokenizer.pre_tokenizer."));
        Map<Object, Object> key = new java.util.HashMap<>(tree);
        key.put(7, "x");
        assertEquals("t: the root has a key that is not a string (7)", assertThrows(UnrollException.class, () -> HfTokenizer.of("t", (Map) key)).getMessage());
        Map<String, Object> model = new java.util.HashMap<>((Map<String, Object>) tree.get("model"));
        Map<String, Object> vocab = new java.util.HashMap<>((Map<String, Object>) model.get("vocab"));
        vocab.put("zz", 7);
        model.put("vocab", vocab);
        Map<String, Object> ints = new java.util.HashMap<>(tree);
        ints.put("model", model);
        assertEquals("t: .model.vocab.zz is a Integer: not a JSON value (Map, List, String, Boolean, Long, Double or null)",
                assertThrows(UnrollException.class, () -> HfTokenizer.of("t", ints)).getMessage());
    }

    @Test
    void llama3PatternSplitsAsTheReference() {
        String llama3 = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
        HfNode at = new HfNode("test", "pattern", Map.of("Regex", llama3));
        List<String> pieces = HfPattern.split(HfPattern.of(at), "I'M don't 1234567 héllo世界  \n\nx!?\u00a0y", true, true);
        assertEquals(List.of("I", "'M", " don", "'t", " ", "123", "456", "7", " héllo世界", "  \n\n", "x", "!?", "\u00a0y"), pieces);
    }

    /** A valid small tokenizer, edited by {@code edit} (a replacement of one JSON fragment). */
    private static String tiny(String from, String to) throws IOException {
        String json = Files.readString(TestData.fixture("tokenizers/tiny-sentencepiece/tokenizer.json"));
        assertTrue(json.contains(from), from);
        return json.replace(from, to);
    }

    private static UnrollException refused(Path dir, String json) throws IOException {
        Path f = dir.resolve("tokenizer.json");
        Files.writeString(f, json, StandardCharsets.UTF_8);
        UnrollException e = assertThrows(UnrollException.class, () -> HfTokenizer.load(f));
        assertTrue(e.getMessage().startsWith(f.toString() + ": "), e.getMessage());
        return e;
    }

    @Test
    void refusesWhatItDoesNotImplement(@TempDir Path dir) throws IOException {
        assertEquals(dir.resolve("tokenizer.json") + ": model.type \"Unigram\" is not supported: BPE only",
                refused(dir, tiny("\"type\": \"BPE\"", "\"type\": \"Unigram\"")).getMessage());
        assertTrue(refused(dir, tiny("\"type\": \"Prepend\"", "\"type\": \"BertNormalizer\""))
                .getMessage().contains("normalizer.normalizers[0].type \"BertNormalizer\" is not supported"));
        assertTrue(refused(dir, tiny("\"truncation\": null", "\"truncation\": {\"max_length\": 5}")).getMessage().contains("truncation an object is not supported"));
        assertTrue(refused(dir, tiny("\"dropout\": null", "\"dropout\": 0.1")).getMessage().contains("model.dropout 0.1 is not supported"));
        assertTrue(refused(dir, tiny("\"type\": \"Fuse\"", "\"type\": \"CTC\"")).getMessage().contains("decoder.decoders[2].type \"CTC\""));
        assertTrue(refused(dir, tiny("\"type\": \"TemplateProcessing\"", "\"type\": \"BertProcessing\"")).getMessage().contains("post_processor.type \"BertProcessing\""));
        assertTrue(refused(dir, tiny("\"pre_tokenizer\": null", "\"pre_tokenizer\": {\"type\": \"Whitespace\"}")).getMessage().contains("pre_tokenizer.type \"Whitespace\""));
        assertTrue(refused(dir, tiny("\"pre_tokenizer\": null", "\"pre_tokenizer\": {\"type\": \"Split\", \"pattern\": {\"Regex\": \"[a-\"}, \"behavior\": \"Isolated\", \"invert\": false}"))
                .getMessage().contains("pre_tokenizer.pattern.Regex does not compile"));
        assertTrue(refused(dir, tiny("\"pre_tokenizer\": null", "\"pre_tokenizer\": {\"type\": \"Split\", \"pattern\": {\"Regex\": \"a\"}, \"behavior\": \"MergedWithNext\", \"invert\": false}"))
                .getMessage().contains("pre_tokenizer.behavior \"MergedWithNext\" is not supported"));
        assertTrue(refused(dir, tiny("\"single_word\": false", "\"single_word\": true"))
                .getMessage().contains("added_tokens[0].single_word true is not supported"));
    }

    @Test
    void refusesMalformedFiles(@TempDir Path dir) throws IOException {
        assertTrue(refused(dir, "{\"model\": ").getMessage().contains("unexpected end of input"));
        assertTrue(refused(dir, "[1, 2]").getMessage().contains("the document is an array, expected an object"));
        assertTrue(refused(dir, "[".repeat(10_000)).getMessage().contains("nesting deeper"));
        assertTrue(refused(dir, tiny("\"<unk>\": 0,", "\"<unk>\": \"zero\",")).getMessage().contains("model.vocab[\"<unk>\"] is \"zero\", expected an integer"));
        assertTrue(refused(dir, tiny("\"<unk>\": 0,", "\"<unk>\": 99999999,")).getMessage().contains("model.vocab[\"<unk>\"] is 99999999, outside [0, "));
        assertTrue(refused(dir, tiny("\"<unk>\": 0,", "\"<unk>\": 5,")).getMessage().contains("is id 5, which"));
        assertTrue(refused(dir, tiny("\"▁ t\"", "\"▁ Q\"")).getMessage().contains("model.merges[0] merges \"▁\" and \"Q\", but \"Q\" is not a token"));
        assertTrue(refused(dir, tiny("\"▁ t\"", "\"▁t\"")).getMessage().contains("model.merges[0] \"▁t\" is not two tokens"));
        assertTrue(refused(dir, tiny("\"id\": 0,", "\"id\": 7,")).getMessage().contains("added_tokens[0].id is 7, the id of \"<0x04>\" in model.vocab"));
        assertTrue(refused(dir, tiny("\"unk_token\": \"<unk>\"", "\"unk_token\": \"<nope>\"")).getMessage().contains("model.unk_token \"<nope>\" is not a token"));
    }

    @Test
    void aHugeVocabularyHitsTheMemoryBudget(@TempDir Path dir) throws Exception {
        TestProperties.with(Limits.BUDGET_PROPERTY, "1m", () -> {
            String message = refused(dir, tiny("\"<unk>\": 0,", "\"<unk>\": 4000000,")).getMessage();
            assertTrue(message.contains("ids up to 4000000") && message.contains("memory budget"), message);
        });
    }

    @Test
    void longWordsEncodeInTime() {
        HfTokenizer t = HfTokenizer.load(TestData.fixture("tokenizers/tiny-sentencepiece/tokenizer.json"));
        String text = "the world ".repeat(20_000);
        long start = System.nanoTime();
        int[] ids = t.encode(text, false);
        assertTrue(System.nanoTime() - start < 5_000_000_000L, "200000 characters, one word, in under 5 s");
        assertEquals(text.stripTrailing(), t.decode(ids).stripTrailing());
    }
}
