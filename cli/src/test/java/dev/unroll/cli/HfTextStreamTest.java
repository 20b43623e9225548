package dev.unroll.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.runtime.TestData;
import dev.unroll.runtime.transformer.HfTokenizer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link HfTextStream} on the repository's small tokenizer.json files (byte-level BPE, SentencePiece
 * style with byte fallback, Metaspace): token by token it prints exactly the text decoding the whole
 * sequence gives, never half a character, for texts the tokenizers encode (multi-byte characters
 * split over tokens included) and for random token streams.
 */
class HfTextStreamTest {
    @ParameterizedTest
    @ValueSource(strings = {"tiny-bytelevel", "tiny-gpt2", "tiny-sentencepiece", "tiny-metaspace"})
    void streamingPrintsTheWholeDecodingAndNoHalfCharacter(String name) {
        HfTokenizer tok = HfTokenizer.load(TestData.fixture("tokenizers/" + name + "/tokenizer.json"));
        List<int[]> streams = new ArrayList<>();
        for (String text : List.of("Hello world, once upon a time.", "caf\u00e9 na\u00efve \u6f22\u5b57 \ud83d\ude00 done", "  spaces\n\nand lines  ")) {
            streams.add(tok.encode(text, true));
        }
        Random r = new Random(5);
        for (int i = 0; i < 40; i++) {
            streams.add(r.ints(1 + r.nextInt(60), 0, tok.vocabSize()).toArray());
        }
        for (int[] ids : streams) {
            StringWriter sw = new StringWriter();
            HfTextStream s = new HfTextStream(tok, new PrintWriter(sw));
            for (int id : ids) {
                s.add(id);
                String soFar = sw.toString();
                assertTrue(!soFar.endsWith("\ufffd") || tok.decode(ids, true).contains("\ufffd"), name + ": half a character printed: " + soFar);
            }
            s.end(ids);
            assertEquals(tok.decode(ids, true) + System.lineSeparator(), sw.toString(), name + " " + java.util.Arrays.toString(ids));
        }
    }
}
