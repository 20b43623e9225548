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
 * {@code UNROLL_TOKENIZERS} names a folder holding {@code <name>/tokenizer.json}, where the ids are also
 * compared with {@link HfTokenizer} reading that tokenizer.json.
 */
class GgufBpeTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"tiny-llama-bpe", "tiny-qwen2", "tiny-smollm", "tiny-gpt-2"})
    void tinyVocabulariesMatchLlamaCpp(String name) throws IOException {
        check(name, TestData.fixture("tokenizers/tiny-bytelevel/tokenizer.json"), false);
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
