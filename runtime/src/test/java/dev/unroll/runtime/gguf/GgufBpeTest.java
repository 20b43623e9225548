package dev.unroll.runtime.gguf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.runtime.TestData;
import dev.unroll.runtime.internal.json.Json;
import dev.unroll.runtime.transformer.HfTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.text.Normalizer;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link GgufBpe} against the ids llama.cpp gives the same GGUF files (see
 * {@code data/gguf-bpe/README.md}): the file is written here byte for byte as it was for llama.cpp (its
 * sha256 is checked), read, and every text encoded. The vocabularies written from the repository's tiny
 * tokenizer always run; the hub ones (Llama 3, Qwen2.5, GPT-2) when {@code -Dunroll.tokenizers=DIR} or
 * {@code UNROLL_TOKENIZERS} names a folder holding {@code <name>/tokenizer.json}. Where the tokenizer.json
 * declares the pre-tokenizer the GGUF file names (the tiny one under llama-bpe, the hub ones), the ids are
 * also compared with {@link HfTokenizer} reading that tokenizer.json.
 */
class GgufBpeTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"tiny-llama-bpe", "tiny-qwen2", "tiny-smollm", "tiny-gpt-2"})
    void tinyVocabulariesMatchLlamaCpp(String name) throws IOException {
        // the tokenizer.json declares Llama 3's pre-tokenizer: comparable with the GGUF reading under llama-bpe
        check(name, TestData.fixture("tokenizers/tiny-bytelevel/tokenizer.json"), name.equals("tiny-llama-bpe"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama3", "qwen2_5", "gpt2", "gpt2-smollm"})
    void hubVocabulariesMatchLlamaCppAndTheTokenizerJson(String name) throws IOException {
        String hub = System.getProperty("unroll.tokenizers", System.getenv("UNROLL_TOKENIZERS"));
        String folder = name.replace("-smollm", "");
        Path file = hub == null ? null : Path.of(hub, folder, "tokenizer.json");
        if (file == null || !Files.isRegularFile(file)) {
            String line = "skipped: " + (file == null ? "the hub vocabularies as GGUF" : file + " is missing")
                    + ": set -Dunroll.tokenizers=DIR or UNROLL_TOKENIZERS (see runtime/src/test/resources/data/gguf-bpe/README.md)";
            System.out.println("[Unroll tests] " + line);
            Assumptions.abort(line);
        }
        // smollm's pre-tokenizer on GPT-2's vocabulary is not what GPT-2's tokenizer.json declares: llama.cpp's ids only
        check(name, file, !name.endsWith("-smollm"));
    }

    @SuppressWarnings("unchecked")
    private void check(String name, Path tokenizerJson, boolean againstTokenizerJson) throws IOException {
        Map<String, Object> expected = (Map<String, Object>) Json.parse(Files.readString(TestData.fixture("gguf-bpe/" + name + ".json")));
        byte[] gguf = GgufBytes.bpeVocabulary(tokenizerJson, (String) expected.get("pre"), ((Long) expected.get("bos")).intValue(),
                ((Long) expected.get("eos")).intValue(), (Boolean) expected.get("add_bos"));
        assertEquals(expected.get("gguf_sha256"), sha256(gguf), name + ": the file llama.cpp read");
        Path path = dir.resolve(name + ".gguf");
        Files.write(path, gguf);
        HfTokenizer hf = againstTokenizerJson ? HfTokenizer.load(tokenizerJson) : null;
        // a GGUF vocabulary has no normalizer: Qwen2.5's tokenizer.json normalizes to NFC first, which the comparison does for it
        boolean nfc = hf != null && ((Map<String, Object>) Json.parse(Files.readString(tokenizerJson))).get("normalizer") instanceof Map<?, ?> n
                && "NFC".equals(n.get("type"));
        List<String> failures = new ArrayList<>();
        List<Object> vectors = (List<Object>) expected.get("vectors");
        assertTrue(vectors.size() >= 40, name);
        try (GgufFile f = GgufFile.open(path)) {
            HfTokenizer t = GgufBpe.tokenizer(f).orElseThrow();
            for (Object o : vectors) {
                Map<String, Object> v = (Map<String, Object>) o;
                String text = (String) v.get("text");
                int[] ids = ((List<Object>) v.get("ids")).stream().mapToInt(x -> ((Long) x).intValue()).toArray();
                int[] got = t.encode(text, true);
                if (!Arrays.equals(ids, got)) {
                    failures.add("llama.cpp " + quote(text) + ": expected " + Arrays.toString(ids) + ", got " + Arrays.toString(got));
                }
                int[] plain = t.encode(text, false);
                if (!text.equals(t.decode(plain))) {
                    failures.add("decode " + quote(text) + ": got " + quote(t.decode(plain)));
                }
                if (hf != null && comparable(hf, text) && !Arrays.equals(hf.encode(text, false), nfc ? t.encode(Normalizer.normalize(text,
                        Normalizer.Form.NFC), false) : plain)) {
                    failures.add("tokenizer.json " + quote(text) + ": HfTokenizer " + Arrays.toString(hf.encode(text, false)) + ", GGUF "
                            + Arrays.toString(plain));
                }
            }
        }
        assertTrue(failures.isEmpty(), name + ": " + failures.size() + " differences:\n" + String.join("\n", failures));
    }

    /** The tiny vocabulary's keys (llama-bpe, BOS 286, EOS 287), for a test to break. */
    private static Map<String, Object> tinyKeys() throws IOException {
        Map<String, Object> m = new LinkedHashMap<>(GgufBytes.bpeKeys(TestData.fixture("tokenizers/tiny-bytelevel/tokenizer.json"), "llama-bpe"));
        m.put("tokenizer.ggml.bos_token_id", 286);
        m.put("tokenizer.ggml.eos_token_id", 287);
        return m;
    }

    private GgufFile open(Map<String, Object> keys) throws IOException {
        return GgufFile.open(Files.write(dir.resolve("v" + (serial++) + ".gguf"), GgufBytes.metadataOnly(keys)));
    }

    private int serial;

    /** The message of reading a vocabulary with one key set to a value (null: removed); it must name the file and the key. */
    private String refusal(String key, Object value) throws IOException {
        Map<String, Object> keys = tinyKeys();
        if (value == null) {
            keys.remove(key);
        } else {
            keys.put(key, value);
        }
        try (GgufFile f = open(keys)) {
            String message = assertThrows(GgufFormatException.class, () -> GgufBpe.tokenizer(f)).getMessage();
            assertTrue(message.startsWith(f.source() + ": "), message);
            assertTrue(message.contains(key), message);
            return message;
        }
    }

    @Test
    void specialTokensBosAndStops() throws IOException {
        try (GgufFile f = open(tinyKeys())) {
            HfTokenizer t = GgufBpe.tokenizer(f).orElseThrow();
            assertEquals(290, t.vocabSize());
            assertEquals(286, t.bos().getAsInt());
            // control tokens are matched whole and skipped on request; the user-defined one is text
            int[] ids = t.encode("<|im_start|>a <tool>b<|end_of_text|>", true);
            assertArrayEquals(new int[] {286, 288, 97, 32, 289, 98, 287}, ids);
            assertEquals("<|begin_of_text|><|im_start|>a <tool>b<|end_of_text|>", t.decode(ids));
            assertEquals("a <tool>b", t.decode(ids, true));
            assertEquals(Set.of(287), GgufBpe.stopTokens(f));
        }
        Map<String, Object> noBos = tinyKeys();
        noBos.put("tokenizer.ggml.add_bos_token", false);
        noBos.put("tokenizer.ggml.add_eos_token", true);
        noBos.put("tokenizer.ggml.eot_token_id", 288);
        try (GgufFile f = open(noBos)) {
            HfTokenizer t = GgufBpe.tokenizer(f).orElseThrow();
            assertArrayEquals(new int[] {274, 287}, t.encode("Hello", true));
            assertEquals(Set.of(287, 288), GgufBpe.stopTokens(f));
        }
        assertEquals(List.of("llama-bpe", "llama3", "llama-v3", "qwen2", "smollm", "gpt-2"), List.copyOf(GgufBpe.preTokenizers()));
        assertThrows(UnsupportedOperationException.class, () -> GgufBpe.preTokenizers().remove("qwen2"));
        // a SentencePiece vocabulary is not this class's
        try (GgufFile f = GgufFile.open(TestData.fixture("gguf/stories260K-q4_0.gguf"))) {
            assertTrue(GgufBpe.tokenizer(f).isEmpty());
        }
    }

    @Test
    void hostileVocabulariesAreRefusedNamingTheKeyAndValue() throws IOException {
        assertTrue(refusal("tokenizer.ggml.pre", "falcon").contains("tokenizer.ggml.pre \"falcon\" is not read (read: llama-bpe, llama3, llama-v3, qwen2, "
                + "smollm, gpt-2)"));
        assertTrue(refusal("tokenizer.ggml.pre", null).contains("tokenizer.ggml.pre is absent"));
        assertTrue(refusal("tokenizer.ggml.pre", 7).contains("not a string"));
        assertTrue(refusal("tokenizer.ggml.tokens", "x").contains("tokenizer.ggml.tokens is not an array"));
        assertTrue(refusal("tokenizer.ggml.tokens", List.of()).contains("has 0 tokens"));
        assertTrue(refusal("tokenizer.ggml.merges", null).contains("tokenizer.ggml.merges is absent"));
        assertTrue(refusal("tokenizer.ggml.merges", new int[] {1, 2}).contains("tokenizer.ggml.merges[0] is not a string"));
        assertTrue(refusal("tokenizer.ggml.merges", List.of("t h", "zz qq")).contains("tokenizer.ggml.merges[1] \"zz qq\" makes or uses \"zz\""));
        assertTrue(refusal("tokenizer.ggml.merges", List.of("t h", "x y")).contains("\"xy\", which is not in tokenizer.ggml.tokens"));
        for (String bad : new String[] {"th", " t", "t ", "t h e"}) {
            assertTrue(refusal("tokenizer.ggml.merges", List.of(bad)).contains("tokenizer.ggml.merges[0] \"" + bad + "\" is not two tokens separated by one space"));
        }
        assertTrue(refusal("tokenizer.ggml.token_type", new int[5]).contains("tokenizer.ggml.token_type is an array of 5 where tokenizer.ggml.tokens holds 290"));
        int[] types = (int[]) tinyKeys().get("tokenizer.ggml.token_type");
        types[7] = 9;
        assertTrue(refusal("tokenizer.ggml.token_type", types).contains("tokenizer.ggml.token_type[7] is 9, not a token type (0 to 6)"));
        assertTrue(refusal("tokenizer.ggml.token_type", List.of("a")).contains("an array of 1"));
        assertTrue(refusal("tokenizer.ggml.bos_token_id", 9999).contains("tokenizer.ggml.bos_token_id is 9999, not a token id (0 to 289"));
        assertTrue(refusal("tokenizer.ggml.eos_token_id", -1L).contains("tokenizer.ggml.eos_token_id is -1"));
        assertTrue(refusal("tokenizer.ggml.bos_token_id", null).contains("tokenizer.ggml.add_bos_token asks for a BOS token but tokenizer.ggml.bos_token_id is absent"));
        assertTrue(refusal("tokenizer.ggml.add_bos_token", "yes").contains("tokenizer.ggml.add_bos_token is yes, not a boolean"));
        List<String> twice = new ArrayList<>((List<String>) tinyKeys().get("tokenizer.ggml.tokens"));
        twice.set(5, "a");
        assertTrue(refusal("tokenizer.ggml.tokens", twice).contains("tokenizer.ggml.tokens[97] \"a\" is token 5 already"));
        List<String> empty = new ArrayList<>((List<String>) tinyKeys().get("tokenizer.ggml.tokens"));
        empty.set(288, "");
        assertTrue(refusal("tokenizer.ggml.tokens", empty).contains("tokenizer.ggml.tokens[288] is empty, and of type 3"));
    }

    @Test
    void aHugeArrayCountIsRefusedBeforeAnythingIsAllocated() throws IOException {
        // one key: tokenizer.ggml.tokens, an array of 2^40 strings, and nothing after it
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(128).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        byte[] key = "tokenizer.ggml.tokens".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        b.putInt(0x46554747).putInt(3).putLong(0).putLong(1).putLong(key.length).put(key).putInt(9).putInt(8).putLong(1L << 40);
        Path file = Files.write(dir.resolve("huge.gguf"), Arrays.copyOf(b.array(), b.position()));
        String message = assertThrows(GgufFormatException.class, () -> GgufFile.open(file).close()).getMessage();
        assertTrue(message.contains("tokenizer.ggml.tokens"), message);
    }

    /**
     * Whether the tokenizer.json and the GGUF reading of a text can be compared: not where llama.cpp reads a
     * token the tokenizer.json holds as text as a control token ({@link GgufBpe#END_OF_GENERATION}), nor
     * where GPT-2's {@code ByteLevel} regex, read with JavaScript's {@code \s} as the Hugging Face reference
     * does, and llama.cpp's (the White_Space property) disagree: U+FEFF and U+0085.
     */
    private static boolean comparable(HfTokenizer hf, String text) {
        for (String t : GgufBpe.END_OF_GENERATION) {
            if (text.contains(t) && hf.tokenId(t).isPresent() && !hf.isSpecial(hf.tokenId(t).getAsInt())) {
                return false;
            }
        }
        return hf.tokenId("<|begin_of_text|>").isPresent() || hf.tokenId("<|im_start|>").isPresent()
                || (text.indexOf('\ufeff') < 0 && text.indexOf('\u0085') < 0);
    }

    private static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String quote(String s) {
        return "\"" + s.replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r") + "\"";
    }
}
