/*
 * A small driver of llama.cpp's C API for bench/vs-llamacpp.sh.
 *
 *   driver decode  MODEL.gguf BACKENDS_DIR POSITIONS THREADS RUNS
 *       greedy from BOS (id 1) at position 0, argmax each step, stop at BOS or after POSITIONS
 *       positions (run.c's rule); tokens/s as run.c counts them: (pos - 1) / the time after the
 *       first forward. RUNS runs in one process (the KV cache cleared between them); prints every
 *       run, the median of the warm ones (all but the first), and the first run's tokens.
 *   driver prompt  MODEL.gguf BACKENDS_DIR TOKENS THREADS RUNS
 *       one llama_decode of a batch of TOKENS prompt tokens from position 0 (logits of the last
 *       only, as llama-bench's ppN); tokens/s = TOKENS / time; median of the warm runs.
 *   driver quantize IN.gguf OUT.gguf [q4_0|q4_0-pure]
 *       llama_model_quantize to Q8_0 (or Q4_0; "pure": every matrix that has whole blocks in Q4_0,
 *       the embedding and classifier included, as llama-quantize --pure does).
 *   driver logits  MODEL.gguf BACKENDS_DIR TOKEN,TOKEN,... STRIDE
 *       one token at a time from position 0, F32 KV cache, no flash attention, one thread; prints JSON as
 *       bench/hf/llama-reference.py does: the tokens, each position's argmax and every STRIDE-th logit.
 *   driver tokenize MODEL.gguf BACKENDS_DIR TEXTFILE
 *       the vocabulary only (no weights needed), the file's bytes tokenized as llama.cpp's command line
 *       tokenizes a prompt (llama_tokenize with add_special and parse_special); prints the ids as a JSON array.
 *
 * Prints one line per result: "<what> <value>" (tok/s), for the script to read.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ggml-backend.h"
#include "llama.h"

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int cmp(const void *a, const void *b) {
    double x = *(const double *) a, y = *(const double *) b;
    return x < y ? -1 : x > y;
}

static double median(double *v, int n) {
    qsort(v, n, sizeof(double), cmp);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void quiet(enum ggml_log_level level, const char *text, void *user) {
    (void) user;
    if (level >= GGML_LOG_LEVEL_ERROR) {
        fputs(text, stderr);
    }
}

static int argmax(const float *v, int n) {
    int best = 0;
    for (int i = 1; i < n; i++) {
        if (v[i] > v[best]) {
            best = i;
        }
    }
    return best;
}

/* llama.cpp's backends from BACKENDS_DIR, then the model; NULL (said on stderr) when it does not load. */
static struct llama_model *load(const char *path, const char *backends) {
    llama_log_set(quiet, NULL);
    ggml_backend_load_all_from_path(backends);
    llama_backend_init();
    struct llama_model *model = llama_model_load_from_file(path, llama_model_default_params());
    if (!model) {
        fprintf(stderr, "cannot load %s\n", path);
    }
    return model;
}

/* The ids llama.cpp gives a text file's bytes with the model's own special-token rules; a JSON array on stdout. */
static int tokenize(const char *path, const char *backends, const char *textfile) {
    FILE *f = fopen(textfile, "rb");
    if (!f) {
        fprintf(stderr, "cannot read %s\n", textfile);
        return 1;
    }
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *text = malloc(size + 1);
    if (!text || fread(text, 1, size, f) != (size_t) size) {
        fprintf(stderr, "cannot read %s\n", textfile);
        fclose(f);
        return 1;
    }
    fclose(f);
    llama_log_set(quiet, NULL);
    ggml_backend_load_all_from_path(backends);
    llama_backend_init();
    struct llama_model_params mp = llama_model_default_params();
    mp.vocab_only = true;
    struct llama_model *model = llama_model_load_from_file(path, mp);
    if (!model) {
        fprintf(stderr, "cannot load %s\n", path);
        free(text);
        return 1;
    }
    const struct llama_vocab *vocab = llama_model_get_vocab(model);
    int cap = (int) size + 16;
    llama_token *ids = malloc(sizeof(llama_token) * cap);
    int n = llama_tokenize(vocab, text, (int32_t) size, ids, cap, true, true);
    if (n < 0) {
        fprintf(stderr, "llama_tokenize failed (%d)\n", n);
        return 1;
    }
    printf("[");
    for (int i = 0; i < n; i++) {
        printf(i ? ",%d" : "%d", ids[i]);
    }
    printf("]\n");
    free(ids);
    free(text);
    llama_model_free(model);
    llama_backend_free();
    return 0;
}

/* A context of the given parameters; NULL (said on stderr) when it cannot be made. */
static struct llama_context *context(struct llama_model *model, struct llama_context_params cp) {
    struct llama_context *ctx = llama_init_from_model(model, cp);
    if (!ctx) {
        fprintf(stderr, "cannot create a context\n");
    }
    return ctx;
}

/* The logits of each position of a comma-separated token list, fed one at a time; JSON on stdout. */
static int logits(const char *path, const char *backends, const char *list, int stride) {
    llama_token tokens[4096];
    int n = 0;
    for (const char *p = list; *p && n < 4096; n++) {
        tokens[n] = atoi(p);
        const char *comma = strchr(p, ',');
        if (!comma) {
            n++;
            break;
        }
        p = comma + 1;
    }
    struct llama_model *model = load(path, backends);
    if (!model) {
        return 1;
    }
    struct llama_context_params cp = llama_context_default_params();
    cp.n_ctx = n + 8;
    cp.n_threads = 1;
    cp.n_threads_batch = 1;
    cp.type_k = GGML_TYPE_F32;
    cp.type_v = GGML_TYPE_F32;
    cp.flash_attn_type = LLAMA_FLASH_ATTN_TYPE_DISABLED;
    cp.no_perf = 1;
    struct llama_context *ctx = context(model, cp);
    if (!ctx) {
        return 1;
    }
    int nv = llama_vocab_n_tokens(llama_model_get_vocab(model));
    printf("{\"reference\": \"bench/llamacpp/driver.c logits (llama.cpp, F32 KV cache, no flash attention, one thread)\", \"tokens\": [");
    for (int i = 0; i < n; i++) {
        printf(i ? ", %d" : "%d", tokens[i]);
    }
    printf("], \"stride\": %d, ", stride);
    float *all = calloc((size_t) n * nv, sizeof(float));
    for (int i = 0; i < n; i++) {
        if (llama_decode(ctx, llama_batch_get_one(&tokens[i], 1)) != 0) {
            fprintf(stderr, "llama_decode failed at %d\n", i);
            return 1;
        }
        memcpy(all + (size_t) i * nv, llama_get_logits_ith(ctx, -1), nv * sizeof(float));
    }
    printf("\"argmax\": [");
    for (int i = 0; i < n; i++) {
        printf(i ? ", %d" : "%d", argmax(all + (size_t) i * nv, nv));
    }
    printf("], \"logits\": [");
    for (int i = 0; i < n; i++) {
        printf(i ? ", [" : "[");
        for (int j = 0; j < nv; j += stride) {
            printf(j ? ", %.9g" : "%.9g", all[(size_t) i * nv + j]);
        }
        printf("]");
    }
    printf("]}\n");
    free(all);
    llama_free(ctx);
    llama_model_free(model);
    llama_backend_free();
    return 0;
}

int main(int argc, char **argv) {
    if ((argc == 4 || argc == 5) && strcmp(argv[1], "quantize") == 0) {
        llama_log_set(quiet, NULL);
        llama_backend_init();
        struct llama_model_quantize_params q = llama_model_quantize_default_params();
        int q4 = argc == 5 && strncmp(argv[4], "q4_0", 4) == 0;
        q.ftype = q4 ? LLAMA_FTYPE_MOSTLY_Q4_0 : LLAMA_FTYPE_MOSTLY_Q8_0;
        q.pure = argc == 5 && strcmp(argv[4], "q4_0-pure") == 0;
        uint32_t rc = llama_model_quantize(argv[2], argv[3], &q);
        printf("quantize %u\n", rc);
        return rc != 0;
    }
    if (argc == 5 && strcmp(argv[1], "tokenize") == 0) {
        return tokenize(argv[2], argv[3], argv[4]);
    }
    if (argc == 6 && strcmp(argv[1], "logits") == 0) {
        return logits(argv[2], argv[3], argv[4], atoi(argv[5]));
    }
    if (argc != 7 || (strcmp(argv[1], "decode") != 0 && strcmp(argv[1], "prompt") != 0)) {
        fprintf(stderr, "usage: %s decode|prompt MODEL.gguf BACKENDS_DIR N THREADS RUNS | quantize IN OUT [q4_0|q4_0-pure] | logits MODEL.gguf BACKENDS_DIR TOKENS STRIDE | tokenize MODEL.gguf BACKENDS_DIR TEXTFILE\n",
                argv[0]);
        return 2;
    }
    int decode = strcmp(argv[1], "decode") == 0;
    int n = atoi(argv[4]), threads = atoi(argv[5]), runs = atoi(argv[6]);
    struct llama_model *model = load(argv[2], argv[3]);
    if (!model) {
        return 1;
    }
    struct llama_context_params cp = llama_context_default_params();
    cp.n_ctx = n + 8;
    cp.n_batch = n;
    cp.n_ubatch = n;
    cp.n_threads = threads;
    cp.n_threads_batch = threads;
    cp.no_perf = 1;
    struct llama_context *ctx = context(model, cp);
    if (!ctx) {
        return 1;
    }
    const struct llama_vocab *vocab = llama_model_get_vocab(model);
    int nv = llama_vocab_n_tokens(vocab);
    double *rate = calloc(runs, sizeof(double));
    llama_token *prompt = calloc(n, sizeof(llama_token));
    for (int i = 0; i < n; i++) {
        prompt[i] = 1 + (i * 7919) % (nv - 1);
    }
    for (int r = 0; r < runs; r++) {
        llama_memory_clear(llama_get_memory(ctx), 1);
        if (decode) {
            llama_token token = 1;
            double start = 0;
            int pos = 0;
            while (pos < n) {
                if (llama_decode(ctx, llama_batch_get_one(&token, 1)) != 0) {
                    fprintf(stderr, "llama_decode failed at %d\n", pos);
                    return 1;
                }
                llama_token next = argmax(llama_get_logits_ith(ctx, -1), nv);
                if (r == 0) {
                    printf(pos == 0 ? "tokens %d" : " %d", next);
                }
                pos++;
                if (pos == 1) {
                    start = now();
                }
                if (next == 1) {
                    break;
                }
                token = next;
            }
            rate[r] = pos > 1 ? (pos - 1) / (now() - start) : 0;
            if (r == 0) {
                printf("\n");
            }
        } else {
            double t0 = now();
            if (llama_decode(ctx, llama_batch_get_one(prompt, n)) != 0) {
                fprintf(stderr, "llama_decode of the prompt failed\n");
                return 1;
            }
            volatile float sink = llama_get_logits_ith(ctx, -1)[0];
            (void) sink;
            rate[r] = n / (now() - t0);
        }
        printf("run %d %.1f\n", r + 1, rate[r]);
    }
    printf("%s %.1f\n", decode ? "decode" : "prompt", runs > 1 ? median(rate + 1, runs - 1) : rate[0]);
    llama_free(ctx);
    llama_model_free(model);
    llama_backend_free();
    return 0;
}
