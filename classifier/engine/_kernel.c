/* complaint-classifier: the lean engine's batch scoring in C (optional; see kernel.py).
 *
 * Given a batch of normalised texts as code points (rows separated by '\n') and their word
 * tokens as word ids (rows separated by BREAK), add every row's TF-IDF-weighted coefficients
 * to its decision values: the same features, weights and sums as NumpyBatchScorer.score in
 * NumPy, one row at a time, without sorting. No Python API: loaded with ctypes.
 *
 * The n-gram tables are compact (kernel.py builds them): characters are numbered 1..V (0 = in
 * no feature), an n-gram's code is its characters' numbers side by side, and a table slot
 * holds code << feature_bits | feature in one int64 (-1 = empty), so the tables are small
 * enough to stay in the processor's cache.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

/* Shared with tables.py and kernel.py (a test compares them): keep them in step. */
#define EMPTY (-1)
#define NOT_WORD (-2)
#define BREAK (-3)
#define SEPARATOR 10 /* '\n' */
#define MAX_CLASSES 16
#define MAX_CHAR_N 3
#define MAX_WORD_N 2
#define FIBONACCI 0x9E3779B97F4A7C15ULL

typedef struct {
    const int64_t *slots;
    uint64_t mask;
    unsigned shift;
} table_t;

/* The feature of a code, or -1: open addressing, linear probing, Fibonacci hashing (as
 * tables.CodeTable places the codes). */
static inline int64_t lookup(const table_t *t, int64_t code, unsigned feature_bits) {
    uint64_t slot = ((uint64_t)code * FIBONACCI) >> t->shift;
    for (;;) {
        int64_t entry = t->slots[slot];
        if (entry == EMPTY) return -1;
        if ((entry >> feature_bits) == code) return entry & ((1LL << feature_bits) - 1);
        slot = (slot + 1) & t->mask;
    }
}

/* 1 + log(count) for small counts: most n-grams occur once or twice in a complaint */
#define TF_TABLE 64
static double tf_table[TF_TABLE];
static int tf_ready = 0;

static inline double sublinear_tf(int32_t count) {
    return count < TF_TABLE ? tf_table[count] : log((double)count) + 1.0;
}

/* One row's distinct features and their counts, kept between add() and flush(). */
typedef struct {
    int32_t *count;    /* per feature of the channel, zero between rows */
    int64_t *distinct; /* the row's features in order of first sight */
    double *weight;
    int64_t n;
} row_t;

static inline void add(row_t *row, int64_t feature) {
    if (row->count[feature]++ == 0) row->distinct[row->n++] = feature;
}

/* Sublinear tf times idf, l2-normalised, times the coefficients: added to decision[0..k). */
static void flush(row_t *row, const double *idf, const double *coef, int64_t offset, int64_t k,
                  double *decision) {
    double norm2 = 0.0;
    for (int64_t i = 0; i < row->n; i++) {
        int64_t f = row->distinct[i];
        double w = sublinear_tf(row->count[f]) * idf[f];
        row->weight[i] = w;
        norm2 += w * w;
        row->count[f] = 0;
    }
    if (row->n > 0 && norm2 > 0.0) {
        double norm = sqrt(norm2);
        double sums[MAX_CLASSES] = {0.0};
        for (int64_t i = 0; i < row->n; i++) {
            const double *c = coef + (offset + row->distinct[i]) * k;
            double w = row->weight[i] / norm;
            for (int64_t j = 0; j < k; j++) sums[j] += w * c[j];
        }
        for (int64_t j = 0; j < k; j++) decision[j] += sums[j];
    }
    row->n = 0;
}

static int alloc_row(row_t *row, int64_t n_features) {
    size_t n = n_features > 0 ? (size_t)n_features : 1;
    row->count = calloc(n, sizeof(int32_t));
    row->distinct = malloc(n * sizeof(int64_t));
    row->weight = malloc(n * sizeof(double));
    row->n = 0;
    return row->count && row->distinct && row->weight;
}

static void free_row(row_t *row) {
    free(row->count);
    free(row->distinct);
    free(row->weight);
}

/* The number of a character beyond the BMP: binary search in the sorted list; 0 if absent. */
static int64_t astral_id(uint32_t c, const int64_t *astral, int64_t n_astral) {
    int64_t low = 0, high = n_astral - 1;
    while (low <= high) {
        int64_t middle = (low + high) / 2;
        int64_t found = astral[2 * middle];
        if (found == (int64_t)c) return astral[2 * middle + 1];
        if (found < (int64_t)c) low = middle + 1;
        else high = middle - 1;
    }
    return 0;
}

/* Everything one call reads and writes. kernel.py declares the same fields in the same order
 * (a ctypes Structure; a test compares the two): every field is 8 bytes, so there is no padding. */
typedef struct {
    int64_t n_rows, k;
    double *decision; /* n_rows x k, holding the intercepts; the scores are added in place */
    const double *coef;
    int64_t feature_bits;
    /* words: ids of the raw tokens; unigram feature per word id; pair table */
    const int64_t *tokens;
    int64_t n_tokens, word_low, word_high, n_word_ids;
    const int64_t *word_unigram, *pair_slots;
    int64_t pair_mask, pair_shift;
    const double *word_idf;
    int64_t n_word_features;
    /* characters: numbering, unigram feature per number, bigram and trigram tables */
    const uint32_t *chars;
    int64_t n_chars, char_low, char_high;
    const int32_t *bmp_id;
    const int64_t *astral;
    int64_t n_astral, char_bits;
    const int64_t *char_unigram, *bigram_slots;
    int64_t bigram_mask, bigram_shift;
    const int64_t *trigram_slots;
    int64_t trigram_mask, trigram_shift, prune;
    const double *char_idf;
    int64_t n_char_features;
} batch_t;

/* Returns 0, or -1 when the rows in the input do not add up (the caller falls back). */
int cc_score_batch(const batch_t *b) {
    int64_t n_rows = b->n_rows, k = b->k, feature_bits = b->feature_bits;
    double *decision = b->decision;
    const double *coef = b->coef;
    const int64_t *tokens = b->tokens, *word_unigram = b->word_unigram;
    int64_t n_tokens = b->n_tokens, word_low = b->word_low, word_high = b->word_high;
    int64_t n_word_ids = b->n_word_ids, n_word_features = b->n_word_features;
    const double *word_idf = b->word_idf, *char_idf = b->char_idf;
    const uint32_t *chars = b->chars;
    int64_t n_chars = b->n_chars, char_low = b->char_low, char_high = b->char_high;
    const int32_t *bmp_id = b->bmp_id;
    const int64_t *astral = b->astral, *char_unigram = b->char_unigram;
    int64_t n_astral = b->n_astral, char_bits = b->char_bits, prune = b->prune;
    int64_t n_char_features = b->n_char_features;
    if (k > MAX_CLASSES || char_high > MAX_CHAR_N || word_high > MAX_WORD_N) return -1;
    if (!tf_ready) {
        for (int c = 1; c < TF_TABLE; c++) tf_table[c] = log((double)c) + 1.0;
        tf_ready = 1;
    }
    unsigned fbits = (unsigned)feature_bits;
    table_t pairs = {b->pair_slots, (uint64_t)b->pair_mask, (unsigned)b->pair_shift};
    table_t bigrams = {b->bigram_slots, (uint64_t)b->bigram_mask, (unsigned)b->bigram_shift};
    table_t trigrams = {b->trigram_slots, (uint64_t)b->trigram_mask, (unsigned)b->trigram_shift};
    row_t row;
    int status = 0;

    /* word channel: unigrams of word ids, pairs of neighbouring words (punctuation skipped) */
    if (!alloc_row(&row, n_word_features)) return -1;
    int64_t r = 0, previous = -1;
    for (int64_t i = 0; i <= n_tokens; i++) {
        int64_t code = i < n_tokens ? tokens[i] : BREAK;
        if (code == BREAK) {
            if (r >= n_rows) {
                status = -1;
                break;
            }
            flush(&row, word_idf, coef, 0, k, decision + r * k);
            r++;
            previous = -1;
            continue;
        }
        if (code == NOT_WORD) continue;
        if (code >= 0) {
            if (word_low == 1 && word_unigram[code] >= 0) add(&row, word_unigram[code]);
            if (word_high == 2 && previous >= 0) {
                int64_t f = lookup(&pairs, previous * n_word_ids + code, fbits);
                if (f >= 0) add(&row, f);
            }
        }
        previous = code;
    }
    if (status == 0 && r != n_rows) status = -1;
    free_row(&row);
    if (status) return status;

    /* character channel: per row, number the characters, then look up 1-, 2- and 3-grams.
     * A bigram with an unnumbered character is in no feature; with prune set (every trigram
     * feature's two bigrams are features too), neither is a trigram whose bigrams are not. */
    int64_t longest = 0, start = 0;
    for (int64_t end = 0; end <= n_chars; end++) {
        if (end < n_chars && chars[end] != SEPARATOR) continue;
        if (end - start > longest) longest = end - start;
        start = end + 1;
    }
    int64_t *ids = malloc((longest + 2) * sizeof(int64_t));
    int64_t *bigram = malloc((longest + 2) * sizeof(int64_t));
    if (!ids || !bigram || !alloc_row(&row, n_char_features)) {
        free(ids), free(bigram);
        return -1;
    }
    unsigned cbits = (unsigned)char_bits;
    r = 0;
    start = 0;
    for (int64_t end = 0; end <= n_chars; end++) {
        if (end < n_chars && chars[end] != SEPARATOR) continue;
        if (r >= n_rows) {
            status = -1;
            break;
        }
        int64_t length = end - start;
        for (int64_t i = 0; i < length; i++) {
            uint32_t c = chars[start + i];
            ids[i] = c < 0x10000 ? bmp_id[c] : astral_id(c, astral, n_astral);
        }
        if (char_low <= 1)
            for (int64_t i = 0; i < length; i++)
                if (ids[i] && char_unigram[ids[i]] >= 0) add(&row, char_unigram[ids[i]]);
        if (char_high >= 2)
            for (int64_t i = 0; i + 1 < length; i++) {
                bigram[i] = -1;
                if (ids[i] && ids[i + 1]) {
                    bigram[i] = lookup(&bigrams, ids[i] << cbits | ids[i + 1], fbits);
                    if (bigram[i] >= 0 && char_low <= 2) add(&row, bigram[i]);
                }
            }
        if (char_high >= 3)
            for (int64_t i = 0; i + 2 < length; i++) {
                if (prune ? (bigram[i] < 0 || bigram[i + 1] < 0) : !(ids[i] && ids[i + 1] && ids[i + 2]))
                    continue;
                int64_t code = (ids[i] << cbits | ids[i + 1]) << cbits | ids[i + 2];
                int64_t f = lookup(&trigrams, code, fbits);
                if (f >= 0) add(&row, f);
            }
        flush(&row, char_idf, coef, n_word_features, k, decision + r * k);
        r++;
        start = end + 1;
    }
    if (status == 0 && r != n_rows) status = -1;
    free_row(&row);
    free(ids), free(bigram);
    return status;
}
