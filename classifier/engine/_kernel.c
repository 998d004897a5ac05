/* complaint-classifier: the lean engine's batch scoring in C (optional; see kernel.py).
 *
 * Given a batch of normalised texts as code points (rows separated by '\n') and their word
 * tokens as word ids (rows separated by BREAK), add every row's TF-IDF-weighted coefficients
 * to its decision values: the same features, weights and sums as NumpyBatchScorer.score in
 * NumPy, one row at a time, without sorting (the same numbers to 1e-12). With entries asked for
 * (the reasons column), a row's features are put in ascending order and summed in NumPy's
 * order, so the numbers are NumPy's to the bit, and its features and terms are kept for
 * cc_reasons, which picks the row's reasons for its top class and finds the words behind them
 * (see kernel_reasons.py); cc_spell then spells those words as the text writes them (see
 * kernel_spelling.py). No Python API: loaded with ctypes.
 *
 * The n-gram tables are compact (kernel.py builds them): characters are numbered 1..V (0 = in
 * no feature), an n-gram's code is its characters' numbers side by side, and a table slot
 * holds code << feature_bits | feature in one int64 (-1 = empty), so the tables are small
 * enough to stay in the processor's cache.
 */
#include <math.h>
#include <pthread.h>
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
#define UNKNOWN (-1)
/* A token's flags (reasons.py computes them per distinct token): punctuation, a filler at the
 * edge of a phrase, a count (7, 两), a space; its length in code points above TOKEN_SHIFT. */
#define TOKEN_PUNCTUATION 1
#define TOKEN_FILLER 2
#define TOKEN_COUNT 4
#define TOKEN_SPACE 8
#define TOKEN_SHIFT 8
#define PW_BLOCKSIZE 128 /* NumPy's pairwise summation block */

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
    int64_t *distinct; /* the row's features in order of first sight (ascending once sorted) */
    double *weight;
    int64_t n;
    int sorted;        /* keep `seen` to put the features in ascending order (NumPy's order) */
    uint64_t *seen;    /* a bit per feature of the channel: seen in this row */
    uint64_t *summary; /* a bit per word of `seen` that is not zero */
    int64_t n_summary;
    size_t size;       /* the channel's number of features (the length of count, seen) */
} row_t;

static inline void add(row_t *row, int64_t feature) {
    if (row->count[feature]++ == 0) {
        row->distinct[row->n++] = feature;
        if (row->sorted) {
            row->seen[feature >> 6] |= 1ULL << (feature & 63);
            row->summary[feature >> 12] |= 1ULL << ((feature >> 6) & 63);
        }
    }
}

/* The row's features in ascending order (as NumPy's sort puts them), the bits cleared. */
static void collect(row_t *row) {
    int64_t n = 0;
    for (int64_t s = 0; s < row->n_summary; s++) {
        uint64_t words = row->summary[s];
        row->summary[s] = 0;
        while (words) {
            int64_t w = s * 64 + __builtin_ctzll(words);
            words &= words - 1;
            uint64_t bits = row->seen[w];
            row->seen[w] = 0;
            while (bits) {
                row->distinct[n++] = w * 64 + __builtin_ctzll(bits);
                bits &= bits - 1;
            }
        }
    }
}

/* res[j] = NumPy's pairwise sum of terms[i * K + j] for i < n <= PW_BLOCKSIZE, class by class
 * (numpy/_core/src/umath/loops_utils.h.src): each class's additions in NumPy's order, the
 * classes side by side. Inlined with K a constant where the caller can give one. */
static inline __attribute__((always_inline)) void block_sum(const double *terms, int64_t n, double *res,
                                                            const int64_t K) {
    double r[8][MAX_CLASSES], sum[MAX_CLASSES];
    int64_t i = 0;
    if (n < 8) {
        for (int64_t j = 0; j < K; j++) sum[j] = 0.;
    } else {
        for (int m = 0; m < 8; m++)
            for (int64_t j = 0; j < K; j++) r[m][j] = terms[m * K + j];
        for (i = 8; i < n - (n % 8); i += 8)
            for (int m = 0; m < 8; m++)
                for (int64_t j = 0; j < K; j++) r[m][j] += terms[(i + m) * K + j];
        for (int64_t j = 0; j < K; j++)
            sum[j] = ((r[0][j] + r[1][j]) + (r[2][j] + r[3][j])) + ((r[4][j] + r[5][j]) + (r[6][j] + r[7][j]));
    }
    for (; i < n; i++)
        for (int64_t j = 0; j < K; j++) sum[j] += terms[i * K + j];
    for (int64_t j = 0; j < K; j++) res[j] = sum[j];
}

/* The pairwise sum of any n rows of k terms (np.add.reduceat adds a segment's first row to this
 * sum of the rest): longer runs split in two, as NumPy splits them. */
static void pairwise(const double *terms, int64_t n, double *res, int64_t k) {
    if (n <= PW_BLOCKSIZE) {
        if (k == 4) block_sum(terms, n, res, 4); /* four classes: the bundled model */
        else block_sum(terms, n, res, k);
        return;
    }
    int64_t n2 = n / 2;
    n2 -= n2 % 8;
    double right[MAX_CLASSES];
    pairwise(terms, n2, res, k);
    pairwise(terms + n2 * k, n - n2, right, k);
    for (int64_t j = 0; j < k; j++) res[j] += right[j];
}

/* Where flush_sorted() keeps each row's features and their terms (tf-idf weight times each
 * class's coefficient, k per feature) for cc_reasons. starts[c * n_rows + r] is where channel
 * c's entries of row r begin. */
typedef struct {
    int64_t *starts, *features;
    double *terms;
    int64_t capacity, used, slot;
} entries_t;

/* What the content guard adds up for a row (engine/guard.py): each distinct feature's weight
 * per class (weights[j * stride + f] for class j), into sums[0..k). NULL weights: nothing. */
typedef struct {
    const double *weights;
    int64_t stride;
    double *sums;
} evidence_t;

static inline void add_evidence(const evidence_t *e, int64_t f, int64_t k) {
    if (e->weights)
        for (int64_t j = 0; j < k; j++) e->sums[j] += e->weights[j * e->stride + f];
}

/* Sublinear tf times idf, l2-normalised, times the coefficients: added to decision[0..k). */
static void flush(row_t *row, const double *idf, const double *coef, int64_t offset, int64_t k,
                  double *decision, const evidence_t *evidence) {
    double norm2 = 0.0;
    for (int64_t i = 0; i < row->n; i++) {
        int64_t f = row->distinct[i];
        add_evidence(evidence, f, k);
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

/* flush() in NumPy's order (NumpyBatchScorer.score: features ascending, bincount for the norm,
 * reduceat for the sums), so the numbers are NumPy's to the bit, the row's features and terms
 * kept in `out`. Returns 0, or -1 when they do not fit. */
static int flush_sorted(row_t *row, const double *idf, const double *coef, int64_t offset, int64_t k,
                        double *decision, const evidence_t *evidence, entries_t *out) {
    int64_t n = row->n;
    out->starts[out->slot++] = out->used;
    if (n == 0) return 0;
    row->n = 0;
    collect(row);
    double norm2 = 0.0;
    for (int64_t i = 0; i < n; i++) {
        int64_t f = row->distinct[i];
        add_evidence(evidence, f, k); /* in ascending order: np.bincount's sums, to the bit */
        double w = sublinear_tf(row->count[f]) * idf[f];
        row->weight[i] = w;
        norm2 += w * w;
        row->count[f] = 0;
    }
    if (!(norm2 > 0.0)) return 0;
    if (out->used + n > out->capacity) return -1;
    double norm = sqrt(norm2), *terms = out->terms + out->used * k, rest[MAX_CLASSES];
    for (int64_t i = 0; i < n; i++) {
        const double *c = coef + (offset + row->distinct[i]) * k;
        double w = row->weight[i] / norm;
        for (int64_t j = 0; j < k; j++) terms[i * k + j] = c[j] * w;
        out->features[out->used + i] = offset + row->distinct[i];
    }
    pairwise(terms + k, n - 1, rest, k);
    for (int64_t j = 0; j < k; j++) decision[j] += terms[j] + rest[j];
    out->used += n;
    return 0;
}

/* The row's flush: NumPy's order with entries asked for, else the faster one. */
static int flush_row(row_t *row, const double *idf, const double *coef, int64_t offset, int64_t k,
                     double *decision, const evidence_t *evidence, entries_t *out) {
    if (out->features) return flush_sorted(row, idf, coef, offset, k, decision, evidence, out);
    flush(row, idf, coef, offset, k, decision, evidence);
    return 0;
}

/* Each thread keeps, per channel, the arrays as long as the channel's vocabulary (count, seen,
 * summary: about 4.1 bytes a feature, 0.9 MB for the bundled model's two channels) between
 * calls: allocating and faulting in new ones cost a call for one text more than scoring it. They
 * go back to the pool only after a call that ended cleanly, when every count and bit is zero
 * again; the pool is freed when its thread ends. The row's own lists (distinct, weight) are sized
 * by the batch's longest row and allocated per call. */
#define POOL_SIZE 4
typedef struct {
    row_t rows[POOL_SIZE]; /* count, seen, summary, n_summary and size of each pooled channel */
    int held[POOL_SIZE];
} pool_t;
static pthread_key_t pool_key;
static pthread_once_t pool_once = PTHREAD_ONCE_INIT;
static int pool_ok = 0;

static void free_zeroed(row_t *row) {
    free(row->count);
    free(row->seen);
    free(row->summary);
    row->count = NULL, row->seen = NULL, row->summary = NULL;
}

static void free_pool(void *value) {
    pool_t *pool = value;
    for (int i = 0; i < POOL_SIZE; i++) free_zeroed(&pool->rows[i]);
    free(pool);
}

static void make_pool_key(void) { pool_ok = pthread_key_create(&pool_key, free_pool) == 0; }

/* This thread's pool (NULL if none can be had: the arrays are then allocated each call). */
static pool_t *thread_pool(void) {
    pthread_once(&pool_once, make_pool_key);
    if (!pool_ok) return NULL;
    pool_t *pool = pthread_getspecific(pool_key);
    if (!pool && (pool = calloc(1, sizeof(pool_t))) && pthread_setspecific(pool_key, pool)) {
        free(pool);
        pool = NULL;
    }
    return pool;
}

/* A row for a channel of n_features features whose rows add at most `most` features each. */
static int alloc_row(row_t *row, int64_t n_features, int sorted, int64_t most) {
    size_t n = n_features > 0 ? (size_t)n_features : 1;
    size_t listed = most > 0 && (size_t)most < n ? (size_t)most : n;
    *row = (row_t){0};
    row->sorted = sorted;
    row->distinct = malloc(listed * sizeof(int64_t));
    row->weight = malloc(listed * sizeof(double));
    pool_t *pool = thread_pool();
    for (int i = 0; pool && i < POOL_SIZE; i++)
        if (!pool->held[i] && pool->rows[i].count && pool->rows[i].size == n) {
            row->count = pool->rows[i].count, row->seen = pool->rows[i].seen;
            row->summary = pool->rows[i].summary, row->n_summary = pool->rows[i].n_summary;
            row->size = n;
            pool->held[i] = 1;
            return row->distinct && row->weight;
        }
    row->size = n;
    row->n_summary = (int64_t)((n + 4095) / 4096);
    row->count = calloc(n, sizeof(int32_t));
    row->seen = calloc((n + 63) / 64, sizeof(uint64_t));
    row->summary = calloc((size_t)row->n_summary, sizeof(uint64_t));
    return row->count && row->seen && row->summary && row->distinct && row->weight;
}

/* Done with a row: its zeroed arrays back to the pool if `clean` (every count and bit zero
 * again), else freed; its lists freed. */
static void free_row(row_t *row, int clean) {
    free(row->distinct);
    free(row->weight);
    row->distinct = NULL, row->weight = NULL;
    pool_t *pool = thread_pool();
    int slot = -1;
    for (int i = 0; pool && row->count && i < POOL_SIZE; i++)
        if (pool->rows[i].count == row->count) slot = i;
    if (slot >= 0 && clean) {
        pool->held[slot] = 0;
        return;
    }
    if (slot >= 0) { /* a pooled row left dirty: out of the pool */
        pool->rows[slot] = (row_t){0};
        pool->held[slot] = 0;
    }
    if (clean && pool && row->count && row->seen && row->summary)
        for (int i = 0; i < POOL_SIZE; i++)
            if (!pool->held[i] && !pool->rows[i].count) {
                pool->rows[i] = *row;
                return;
            }
    free_zeroed(row);
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
    /* out, if entry_features is not NULL: each row's features and terms (entries_t) */
    int64_t *entry_starts, *entry_features;
    double *entry_terms;
    int64_t entry_capacity;
    /* out, if guard_weights is not NULL: each row's content evidence per class (n_rows x k,
     * zeros on entry), from the guard's weights (k x n_char_features) of its distinct
     * character features */
    const double *guard_weights;
    double *guard_sums;
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
    entries_t out = {b->entry_starts, b->entry_features, b->entry_terms, b->entry_capacity, 0, 0};
    const evidence_t no_evidence = {NULL, 0, NULL};
    if (b->guard_weights && !b->guard_sums) return -1;

    /* word channel: unigrams of word ids, pairs of neighbouring words (punctuation skipped);
     * a row of t tokens adds at most 2t features */
    int64_t most_tokens = 0, in_row = 0;
    for (int64_t i = 0; i < n_tokens; i++) {
        in_row = tokens[i] == BREAK ? 0 : in_row + 1;
        if (in_row > most_tokens) most_tokens = in_row;
    }
    if (!alloc_row(&row, n_word_features, out.features != NULL, 2 * most_tokens + 1)) {
        free_row(&row, 0);
        return -1;
    }
    int64_t r = 0, previous = -1;
    for (int64_t i = 0; i <= n_tokens; i++) {
        int64_t code = i < n_tokens ? tokens[i] : BREAK;
        if (code == BREAK) {
            if (r >= n_rows) {
                status = -1;
                break;
            }
            if (flush_row(&row, word_idf, coef, 0, k, decision + r * k, &no_evidence, &out)) {
                status = -1;
                break;
            }
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
    free_row(&row, status == 0);
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
    int have_row = alloc_row(&row, n_char_features, out.features != NULL, 3 * longest + 1);
    if (!ids || !bigram || !have_row) {
        free(ids), free(bigram), free_row(&row, 0);
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
        evidence_t evidence = {b->guard_weights, n_char_features, b->guard_sums ? b->guard_sums + r * k : NULL};
        if (flush_row(&row, char_idf, coef, n_word_features, k, decision + r * k, &evidence, &out)) {
            status = -1;
            break;
        }
        r++;
        start = end + 1;
    }
    if (status == 0 && r != n_rows) status = -1;
    if (out.features) out.starts[out.slot] = out.used;
    free_row(&row, status == 0);
    free(ids), free(bigram);
    return status;
}

/* ------------------------------------------------------------------------------------ reasons
 * cc_reasons does for a scored batch what reasons.py does row by row in Python: pick_reasons
 * (a row's largest contributions to its top class, function words and terms inside one already
 * taken skipped) and readable_reasons up to the original text (where each reason is in the
 * row's tokens, overlapping ones merged, cut at punctuation, fillers trimmed): each phrase's
 * span in the normalised text, weight and reasons. Python maps the spans to the original text. */

#define MAX_RAW 16
#define MAX_SHORTLIST 64

/* Everything one cc_reasons call reads and writes (kernel_reasons.py: ReasonsArgs, REASONS_FIELDS). */
typedef struct {
    int64_t n_rows, k, n_raw, shortlist;
    const int64_t *top; /* each row's class */
    /* each row's features and terms, as cc_score_batch left them (entries_t) */
    const int64_t *entry_starts, *entry_features;
    const double *entry_terms;
    /* per feature: the term a reader sees (code points display_starts[f]..[f + 1]); never[f]
     * where it is no reason (empty, a function word) */
    const uint32_t *display;
    const int64_t *display_starts;
    const uint8_t *never;
    /* word features: their words' ids (word_second -1 for one word); character features: the
     * n-gram stripped, as readable_reasons looks for it (gram_starts[f - n_word_features]) */
    const int64_t *word_first, *word_second;
    int64_t n_word_features;
    const uint32_t *grams;
    const int64_t *gram_starts;
    /* the batch: each raw token's word id as cc_score_batch read it, and its flags and length
     * (TOKEN_*); the normalised texts' code points joined by SEPARATOR */
    const int64_t *tokens, *token_info;
    int64_t n_tokens;
    const uint32_t *chars;
    int64_t n_chars;
    /* out: per row, its raw reasons (feature, contribution: n_raw slots) and how many phrases
     * it has; the phrases of all rows one after the other (span in the row's normalised text,
     * weight, how many features), and their features (each raw reason is in one phrase at most,
     * so n_raw slots per row hold either) */
    int64_t *raw_counts, *raw_features;
    double *raw_weights;
    int64_t *phrase_counts, *phrase_starts, *phrase_ends;
    double *phrase_weights;
    int64_t *phrase_sizes, *phrase_features;
    int64_t *status; /* per row: 0, or 1 where Python finds the phrases itself */
} reasons_t;

typedef struct {
    double value;
    int64_t feature;
} candidate_t;

/* Larger contribution first; equal ones in feature order (as np.lexsort puts them). */
static inline int before(const candidate_t *a, const candidate_t *b) {
    return a->value > b->value || (a->value == b->value && a->feature < b->feature);
}

static void sift_down(candidate_t *heap, int64_t n, int64_t i) {
    for (;;) {
        int64_t best = i, left = 2 * i + 1, right = left + 1;
        if (left < n && before(&heap[left], &heap[best])) best = left;
        if (right < n && before(&heap[right], &heap[best])) best = right;
        if (best == i) return;
        candidate_t swap = heap[i];
        heap[i] = heap[best];
        heap[best] = swap;
        i = best;
    }
}

/* Whether b[0..nb) occurs in a[0..na) (Python's `b in a`). */
static int contains(const uint32_t *a, int64_t na, const uint32_t *b, int64_t nb) {
    for (int64_t i = 0; i + nb <= na; i++) {
        int64_t j = 0;
        while (j < nb && a[i + j] == b[j]) j++;
        if (j == nb) return 1;
    }
    return 0;
}

/* Whether feature f is taken after the `taken` reasons in features[] (pick_reasons): it is a
 * reason, and its term is not inside one already taken. */
static int takes(const reasons_t *a, int64_t f, const int64_t *features, int64_t taken) {
    if (a->never[f]) return 0;
    const uint32_t *term = a->display + a->display_starts[f];
    int64_t length = a->display_starts[f + 1] - a->display_starts[f];
    for (int64_t i = 0; i < taken; i++) {
        int64_t s = features[i];
        const uint32_t *seen = a->display + a->display_starts[s];
        if (contains(seen, a->display_starts[s + 1] - a->display_starts[s], term, length)) return 0;
    }
    return 1;
}

/* Row r's raw reasons into features/weights (pick_reasons); returns how many. The largest
 * contributions are kept in order as they are read (a->shortlist of them); only a row that
 * needs more sorts them all, in a heap. */
static int64_t pick(const reasons_t *a, int64_t r, candidate_t *all, int64_t *features, double *weights) {
    candidate_t best[MAX_SHORTLIST];
    int64_t n = 0, n_best = 0, top = a->top[r], k = a->k, cap = a->shortlist;
    for (int64_t c = 0; c < 2; c++) {
        int64_t from = a->entry_starts[c * a->n_rows + r], to = a->entry_starts[c * a->n_rows + r + 1];
        for (int64_t e = from; e < to; e++) {
            double value = a->entry_terms[e * k + top];
            if (!(value > 0)) continue;
            candidate_t candidate = {value, a->entry_features[e]};
            all[n++] = candidate;
            if (n_best == cap && !before(&candidate, &best[cap - 1])) continue;
            int64_t j = n_best < cap ? n_best++ : cap - 1;
            for (; j > 0 && before(&candidate, &best[j - 1]); j--) best[j] = best[j - 1];
            best[j] = candidate;
        }
    }
    int64_t taken = 0;
    for (int64_t i = 0; i < n_best && taken < a->n_raw; i++) {
        if (!takes(a, best[i].feature, features, taken)) continue;
        features[taken] = best[i].feature;
        weights[taken++] = best[i].value;
    }
    if (taken == a->n_raw || n == n_best) return taken;
    /* the shortlist ran out: the rest in order from a heap of them all, past the shortlist */
    for (int64_t i = n / 2 - 1; i >= 0; i--) sift_down(all, n, i);
    for (int64_t popped = 0; n > 0 && taken < a->n_raw; popped++) {
        candidate_t next = all[0];
        all[0] = all[--n];
        sift_down(all, n, 0);
        if (popped < n_best || !takes(a, next.feature, features, taken)) continue;
        features[taken] = next.feature;
        weights[taken++] = next.value;
    }
    return taken;
}

/* A row's tokens and characters: tokens [t0, t0 + nt), characters [c0, c0 + nc). */
typedef struct {
    int64_t t0, nt, c0, nc;
    int64_t *start;   /* nt + 1: each token's first character in the row */
    int64_t *token_at; /* nc: the token each character is in */
    int64_t *kept;    /* the tokens readable_reasons calls words (not punctuation or space) */
    int64_t n_kept;
} text_t;

static inline int64_t flags(const reasons_t *a, const text_t *t, int64_t i) {
    return a->token_info[t->t0 + i];
}

/* Reasons found in the same words (readable_reasons' _Group): token range, weight, reasons. */
typedef struct {
    int64_t first, last;
    double weight;
    int64_t members[MAX_RAW], n_members;
    int64_t low, high; /* a phrase's bounds between cuts */
} group_t;

/* Where feature f first is in the row (readable_reasons' _raw_span): its first and last token;
 * 0, -1 if it is nowhere (skipped), or 1 where a word feature is not among the words (Python
 * then looks for it in the text). */
static int locate(const reasons_t *a, const text_t *t, int64_t f, int64_t *first, int64_t *last) {
    if (f < a->n_word_features) {
        int64_t one = a->word_first[f], two = a->word_second[f];
        for (int64_t p = 0; p < t->n_kept; p++) {
            if (a->tokens[t->t0 + t->kept[p]] != one) continue;
            if (two >= 0 && (p + 1 >= t->n_kept || a->tokens[t->t0 + t->kept[p + 1]] != two)) continue;
            *first = t->kept[p];
            *last = t->kept[two >= 0 ? p + 1 : p];
            return 0;
        }
        return 1;
    }
    const uint32_t *gram = a->grams + a->gram_starts[f - a->n_word_features];
    int64_t length = a->gram_starts[f - a->n_word_features + 1] - a->gram_starts[f - a->n_word_features];
    if (length == 0) return -1;
    const uint32_t *text = a->chars + t->c0;
    for (int64_t i = 0; i + length <= t->nc; i++) {
        int64_t j = 0;
        while (j < length && text[i + j] == gram[j]) j++;
        if (j == length) {
            *first = t->token_at[i];
            *last = t->token_at[i + length - 1];
            return 0;
        }
    }
    return -1;
}

/* Groups sorted by (first, last), equal ones kept in order (Python's sorted is stable). */
static void sort_groups(group_t *g, int64_t n) {
    for (int64_t i = 1; i < n; i++) {
        group_t x = g[i];
        int64_t j = i;
        while (j > 0 && (g[j - 1].first > x.first || (g[j - 1].first == x.first && g[j - 1].last > x.last))) {
            g[j] = g[j - 1];
            j--;
        }
        g[j] = x;
    }
}

/* The phrase a member of a merged run [first, last] goes to (readable_reasons: each feature
 * goes with the words it starts on, cut at punctuation); 0, or -1 if it has no words. */
static int place(const reasons_t *a, const text_t *t, const group_t *m, int64_t first, int64_t last,
                 group_t *phrases, int64_t *n_phrases) {
    int64_t start = -1;
    for (int64_t i = m->first; i <= m->last && start < 0; i++)
        if (!(flags(a, t, i) & TOKEN_FILLER)) start = i;
    if (start < 0) return -1;
    int64_t low = first, high = last;
    for (int64_t c = first; c <= last; c++) {
        if (!(flags(a, t, c) & TOKEN_PUNCTUATION)) continue;
        if (c < start) low = c + 1;
        else if (c > start) {
            high = c - 1;
            break;
        }
    }
    int64_t end = m->last < high ? m->last : high;
    for (int64_t p = 0; p < *n_phrases; p++) {
        group_t *phrase = &phrases[p];
        if (phrase->low != low || phrase->high != high) continue;
        if (start < phrase->first) phrase->first = start;
        if (end > phrase->last) phrase->last = end;
        phrase->weight += m->weight;
        for (int64_t i = 0; i < m->n_members; i++) phrase->members[phrase->n_members++] = m->members[i];
        return 0;
    }
    group_t *phrase = &phrases[(*n_phrases)++];
    *phrase = *m;
    phrase->first = start;
    phrase->last = end;
    phrase->low = low;
    phrase->high = high;
    return 0;
}

/* Where the next phrase and the next phrase feature go. */
typedef struct {
    int64_t phrases, features;
} cursor_t;

/* Row r's phrases from its n raw reasons (readable_reasons before the original text), written
 * at `at`: 0, or 1 where Python must find them. */
static int phrases_of(const reasons_t *a, int64_t r, const text_t *t, int64_t n, cursor_t *at) {
    const int64_t *features = a->raw_features + r * a->n_raw;
    const double *weights = a->raw_weights + r * a->n_raw;
    group_t found[MAX_RAW], phrases[MAX_RAW];
    int64_t n_found = 0, n_phrases = 0;
    for (int64_t j = 0; j < n; j++) {
        int64_t first = 0, last = 0;
        int where = locate(a, t, features[j], &first, &last);
        if (where > 0) return 1;
        if (where < 0) continue;
        group_t *g = &found[n_found++];
        g->first = first;
        g->last = last;
        g->weight = weights[j];
        g->members[0] = j;
        g->n_members = 1;
    }
    sort_groups(found, n_found);
    /* features that share a word make one run (overlapping token ranges, transitively) … */
    for (int64_t s = 0, e; s < n_found; s = e) {
        int64_t reach = found[s].last;
        for (e = s + 1; e < n_found && found[e].first <= reach; e++)
            if (found[e].last > reach) reach = found[e].last;
        /* … cut again at punctuation: each feature goes with the words it starts on */
        for (int64_t m = s; m < e; m++) place(a, t, &found[m], found[s].first, reach, phrases, &n_phrases);
    }
    int64_t shown = 0;
    for (int64_t p = 0; p < n_phrases; p++) {
        int64_t first = phrases[p].first, last = phrases[p].last;
        while (first <= last && (flags(a, t, first) & TOKEN_FILLER)) first++;
        while (last >= first && (flags(a, t, last) & TOKEN_FILLER)) last--;
        if (first > last) continue;
        /* a bare number says little: 7个, 两个小时, 三次 */
        if (first == last && (flags(a, t, first) & TOKEN_COUNT) && last + 1 < t->nt &&
            !(flags(a, t, last + 1) & (TOKEN_PUNCTUATION | TOKEN_SPACE)))
            last++;
        int64_t out = at->phrases + shown++;
        a->phrase_starts[out] = t->start[first];
        a->phrase_ends[out] = t->start[last + 1];
        a->phrase_weights[out] = phrases[p].weight;
        a->phrase_sizes[out] = phrases[p].n_members;
        for (int64_t i = 0; i < phrases[p].n_members; i++)
            a->phrase_features[at->features++] = features[phrases[p].members[i]];
    }
    at->phrases += shown;
    a->phrase_counts[r] = shown;
    return 0;
}

/* The row's token starts, the token of each character and its words; 0, or 1 if the tokens do
 * not cover the row's characters exactly. */
static int index_text(const reasons_t *a, text_t *t) {
    int64_t at = 0;
    t->n_kept = 0;
    for (int64_t i = 0; i < t->nt; i++) {
        int64_t length = flags(a, t, i) >> TOKEN_SHIFT;
        t->start[i] = at;
        if (length <= 0 || at + length > t->nc) return 1;
        for (int64_t c = at; c < at + length; c++) t->token_at[c] = i;
        at += length;
        if (a->tokens[t->t0 + i] >= UNKNOWN) t->kept[t->n_kept++] = i;
    }
    t->start[t->nt] = at;
    return at != t->nc;
}

/* The next row's tokens (up to BREAK) and characters (up to SEPARATOR) after `previous`. */
static void next_text(const reasons_t *a, const text_t *previous, text_t *t) {
    t->t0 = previous ? previous->t0 + previous->nt + 1 : 0;
    t->c0 = previous ? previous->c0 + previous->nc + 1 : 0;
    int64_t i = t->t0, c = t->c0;
    while (i < a->n_tokens && a->tokens[i] != BREAK) i++;
    while (c < a->n_chars && a->chars[c] != SEPARATOR) c++;
    t->nt = i - t->t0;
    t->nc = c - t->c0;
}

/* Returns 0, or -1 when the rows do not add up or memory runs out (the caller falls back). */
int cc_reasons(const reasons_t *a) {
    if (a->n_raw > MAX_RAW || a->n_raw < 1 || a->k > MAX_CLASSES) return -1;
    if (a->shortlist < 1 || a->shortlist > MAX_SHORTLIST) return -1;
    int64_t longest_tokens = 0, longest_chars = 0, most_entries = 0;
    text_t t = {0}, previous;
    for (int64_t r = 0; r < a->n_rows; r++) {
        next_text(a, r ? &previous : NULL, &t);
        if (t.nt > longest_tokens) longest_tokens = t.nt;
        if (t.nc > longest_chars) longest_chars = t.nc;
        int64_t entries = 0;
        for (int64_t c = 0; c < 2; c++)
            entries += a->entry_starts[c * a->n_rows + r + 1] - a->entry_starts[c * a->n_rows + r];
        if (entries > most_entries) most_entries = entries;
        previous = t;
    }
    if (a->n_rows && (t.t0 + t.nt != a->n_tokens || t.c0 + t.nc != a->n_chars)) return -1;
    candidate_t *heap = malloc((size_t)(most_entries + 1) * sizeof(candidate_t));
    t.start = malloc((size_t)(longest_tokens + 1) * sizeof(int64_t));
    t.token_at = malloc((size_t)(longest_chars + 1) * sizeof(int64_t));
    t.kept = malloc((size_t)(longest_tokens + 1) * sizeof(int64_t));
    int status = heap && t.start && t.token_at && t.kept ? 0 : -1;
    cursor_t at = {0, 0};
    for (int64_t r = 0; r < a->n_rows && status == 0; r++) {
        next_text(a, r ? &previous : NULL, &t);
        previous = t;
        int64_t n = pick(a, r, heap, a->raw_features + r * a->n_raw, a->raw_weights + r * a->n_raw);
        a->raw_counts[r] = n;
        a->phrase_counts[r] = 0;
        a->status[r] = n > 0 && (index_text(a, &t) || phrases_of(a, r, &t, n, &at));
    }
    free(heap), free(t.start), free(t.token_at), free(t.kept);
    return status;
}

/* ------------------------------------------------------------------ spelling the reasons
 *
 * cc_spell does for each row what reasons._shown does with the phrases cc_reasons found: it
 * finds where each phrase comes from in the text as written (alignment._read_off's anchors,
 * read off the row's text converted in place), spells it so (a run of spaces as one, none at
 * the ends), adds up the phrases that read the same, folds a term into a longer one holding it,
 * and orders them by weight, then place, then first sight. Python makes the strings. A row
 * whose anchors cannot be read off in one way only, a phrase of which starts or ends inside a
 * number, or whose weights are too close to order without rounding, is left to Python
 * (shown_counts -1). */

typedef struct {
    int64_t n_rows, k;
    /* each row's text as shown (cut), the same text converted in place with its whitespace
     * spaced (as long), and its normalised text: code points, each with n_rows + 1 starts */
    const uint32_t *texts;
    const int64_t *text_starts;
    const uint32_t *spaced;
    const int64_t *spaced_starts;
    const uint32_t *normalized;
    const int64_t *normalized_starts;
    const uint32_t *placeholders;
    int64_t n_placeholders;
    const int64_t *spell;  /* per row: 1 = spelled here, 0 = not */
    /* cc_reasons' phrases: per row how many, then all rows' one after the other */
    const int64_t *phrase_counts, *phrase_starts, *phrase_ends;
    const double *phrase_weights;
    /* out: per row, how many reasons (-1: left to Python); k slots per row for each reason's
     * span in the text, weight and number of phrases; MAX_RAW slots per row for those phrases
     * (their index in the row), reason after reason */
    int64_t *shown_counts, *shown_starts, *shown_ends;
    double *shown_weights;
    int64_t *shown_sizes, *members;
} spell_t;

typedef struct {
    int64_t at, start, stop; /* a placeholder's place in the normalised text, what it stands for */
} anchor_t;

typedef struct {
    const uint32_t *chars; /* the spelled term (in the row's buffer) */
    int64_t length, start, end, alive;
    double weight;
    int64_t members[MAX_RAW], n_members;
} term_t;

static int is_placeholder(const spell_t *s, uint32_t c) {
    for (int64_t i = 0; i < s->n_placeholders; i++)
        if (s->placeholders[i] == c) return 1;
    return 0;
}

static int same(const uint32_t *a, const uint32_t *b, int64_t n) {
    for (int64_t i = 0; i < n; i++)
        if (a[i] != b[i]) return 0;
    return 1;
}

/* str.find(piece, from): the first place at or after `from`, or -1. */
static int64_t find_from(const uint32_t *s, int64_t ns, const uint32_t *p, int64_t np, int64_t from) {
    if (from > ns) return -1;
    for (int64_t i = from; i + np <= ns; i++)
        if (same(s + i, p, np)) return i;
    return -1;
}

/* str.rfind(piece, 0, end): the last place ending by `end` (a slice's end: negative counts from
 * the end of the string), or -1. */
static int64_t rfind_to(const uint32_t *s, int64_t ns, const uint32_t *p, int64_t np, int64_t end) {
    if (end < 0) end += ns;
    if (end < 0) end = 0;
    if (end > ns) end = ns;
    for (int64_t i = end - np; i >= 0; i--)
        if (same(s + i, p, np)) return i;
    return -1;
}

/* The anchors of a normalised text (n) read off its text converted in place (s), as
 * alignment._read_off reads them: the number of anchors, or -1 where it gives None. */
static int64_t read_off(const spell_t *s, const uint32_t *n, int64_t nn, const uint32_t *c, int64_t nc,
                        anchor_t *anchors, int64_t *earliest) {
    int64_t m = 0;
    for (int64_t i = 0; i < nn; i++)
        if (is_placeholder(s, n[i])) anchors[m++].at = i;
    if (m == 0) return nn == nc && same(n, c, nn) ? 0 : -1;
    int64_t head = anchors[0].at, tail = nn - anchors[m - 1].at - 1;
    if (head > nc || tail > nc || !same(c, n, head) || !same(c + nc - tail, n + nn - tail, tail)) return -1;
    /* middle piece j lies between placeholders j and j + 1 */
    int64_t at = head + 1;
    for (int64_t j = 0; j + 1 < m; j++) {
        int64_t from = anchors[j].at + 1, length = anchors[j + 1].at - from;
        int64_t found = find_from(c, nc, n + from, length, at);
        earliest[j] = found;
        if (found < 0) return -1;
        at = found + length + 1;
    }
    at = nc - tail - 1;
    for (int64_t j = m - 2; j >= 0; j--) {
        int64_t from = anchors[j].at + 1, length = anchors[j + 1].at - from;
        int64_t found = rfind_to(c, nc, n + from, length, at);
        if (found < 0 || found != earliest[j]) return -1;
        at = found - 1;
    }
    if (at < head) return -1;
    /* placeholder j stands for what lies between piece j (the head first) and piece j + 1 */
    for (int64_t j = 0; j < m; j++) {
        anchors[j].start = j == 0 ? head : earliest[j - 1] + (anchors[j].at - anchors[j - 1].at - 1);
        anchors[j].stop = j + 1 < m ? earliest[j] : nc - tail;
    }
    return m;
}

/* Where normalised character p comes from: (start, end) in the text (Anchors.origins). */
static void origin(const anchor_t *anchors, int64_t m, int64_t p, int64_t *start, int64_t *end) {
    int64_t lo = 0, hi = m; /* the first anchor after p */
    while (lo < hi) {
        int64_t mid = (lo + hi) / 2;
        if (anchors[mid].at <= p) lo = mid + 1;
        else hi = mid;
    }
    if (lo > 0 && anchors[lo - 1].at == p) {
        *start = anchors[lo - 1].start, *end = anchors[lo - 1].stop;
        return;
    }
    *start = lo > 0 ? anchors[lo - 1].stop + (p - anchors[lo - 1].at - 1) : p;
    *end = *start + 1;
}

/* text[start:end] with each run of spaces as one and none at either end, into out: its length. */
static int64_t spelled(const uint32_t *text, int64_t start, int64_t end, uint32_t *out) {
    int64_t n = 0;
    for (int64_t i = start; i < end; i++) {
        if (text[i] != ' ') out[n++] = text[i];
        else if (n && out[n - 1] != ' ') out[n++] = ' ';
    }
    if (n && out[n - 1] == ' ') n--;
    return n;
}

/* A character a number is written with (reasons._WHOLE_NUMBER: an ASCII digit, a group's comma,
 * a decimal point, 万千百亿, w or k). The caller leaves texts with other digits to Python. */
static int in_a_number(uint32_t c) {
    return (c >= '0' && c <= '9') || c == ',' || c == '.' || c == 0x4E07 || c == 0x5343 || c == 0x767E ||
           c == 0x4EBF || c == 'w' || c == 'W' || c == 'k' || c == 'K';
}

/* A Chinese numeral (reasons._CN_NUMERALS: 零一二两三四五六七八九十百千万亿). */
static int in_a_cn_number(uint32_t c) {
    static const uint32_t numerals[] = {0x96F6, 0x4E00, 0x4E8C, 0x4E24, 0x4E09, 0x56DB, 0x4E94, 0x516D,
                                        0x4E03, 0x516B, 0x4E5D, 0x5341, 0x767E, 0x5343, 0x4E07, 0x4EBF};
    for (size_t i = 0; i < sizeof numerals / sizeof numerals[0]; i++)
        if (numerals[i] == c) return 1;
    return 0;
}

/* Whether position `at` of the text may be inside a number (between two characters of one, as
 * reasons._number_at tells): Python then widens a reason cut there to the whole number, and
 * spells the row itself. */
static int cuts_a_number(const uint32_t *text, int64_t nt, int64_t at) {
    if (at <= 0 || at >= nt) return 0;
    return (in_a_number(text[at - 1]) && in_a_number(text[at])) ||
           (in_a_cn_number(text[at - 1]) && in_a_cn_number(text[at]));
}

static int holds(const term_t *a, const term_t *b) { /* b is in a */
    return find_from(a->chars, a->length, b->chars, b->length, 0) >= 0;
}

/* Stronger first, then earlier in the text, then first seen (the order of `order`). */
static int ahead(const term_t *a, int64_t ia, const term_t *b, int64_t ib) {
    if (-a->weight != -b->weight) return -a->weight < -b->weight;
    if (a->start != b->start) return a->start < b->start;
    return ia < ib;
}

/* One row: its reasons' count, or -1 to leave it to Python. */
static int64_t spell_row(const spell_t *s, int64_t r, int64_t first_phrase, anchor_t *anchors, int64_t *earliest,
                         uint32_t *buffer) {
    const uint32_t *text = s->texts + s->text_starts[r];
    int64_t nt = s->text_starts[r + 1] - s->text_starts[r];
    if (s->spaced_starts[r + 1] - s->spaced_starts[r] != nt) return -1;
    int64_t m = read_off(s, s->normalized + s->normalized_starts[r],
                         s->normalized_starts[r + 1] - s->normalized_starts[r], s->spaced + s->spaced_starts[r],
                         nt, anchors, earliest);
    int64_t n_phrases = s->phrase_counts[r];
    if (m < 0 || n_phrases > MAX_RAW) return -1;
    term_t terms[MAX_RAW];
    int64_t n_terms = 0, used = 0;
    for (int64_t p = 0; p < n_phrases; p++) {
        int64_t first = s->phrase_starts[first_phrase + p], last = s->phrase_ends[first_phrase + p];
        int64_t start, end, ignored;
        origin(anchors, m, first, &start, &ignored);
        origin(anchors, m, last - 1, &ignored, &end);
        if (start < 0 || end > nt || start > end) return -1;
        if (cuts_a_number(text, nt, start) || cuts_a_number(text, nt, end)) return -1;
        term_t *t = &terms[n_terms];
        t->chars = buffer + used;
        t->length = spelled(text, start, end, buffer + used);
        if (!t->length) continue;
        double weight = s->phrase_weights[first_phrase + p];
        term_t *seen = NULL;
        for (int64_t i = 0; i < n_terms && !seen; i++)
            if (terms[i].length == t->length && same(terms[i].chars, t->chars, t->length)) seen = &terms[i];
        if (seen) {
            seen->weight += weight;
            seen->members[seen->n_members++] = p;
            continue;
        }
        t->start = start, t->end = end, t->alive = 1, t->weight = 0.0 + weight;
        t->members[0] = p, t->n_members = 1;
        used += t->length, n_terms++;
    }
    /* a term held by a longer one goes into the first that holds it, shorter terms first */
    int64_t inside[MAX_RAW], n_inside = 0;
    for (int64_t i = 0; i < n_terms && n_terms > 1; i++)
        for (int64_t j = 0; j < n_terms; j++)
            if (j != i && holds(&terms[j], &terms[i])) {
                inside[n_inside++] = i;
                break;
            }
    for (int64_t a = 1; a < n_inside; a++) /* stable, by length */
        for (int64_t b = a; b > 0 && terms[inside[b - 1]].length > terms[inside[b]].length; b--) {
            int64_t swap = inside[b];
            inside[b] = inside[b - 1], inside[b - 1] = swap;
        }
    for (int64_t a = 0; a < n_inside; a++) {
        term_t *t = &terms[inside[a]], *into = NULL;
        for (int64_t j = 0; j < n_terms && !into; j++)
            if (terms[j].alive && &terms[j] != t && holds(&terms[j], t)) into = &terms[j];
        if (!into) return -1;
        into->weight += t->weight;
        for (int64_t i = 0; i < t->n_members; i++) into->members[into->n_members++] = t->members[i];
        t->alive = 0;
    }
    int64_t order[MAX_RAW], n = 0;
    for (int64_t i = 0; i < n_terms; i++)
        if (terms[i].alive) order[n++] = i;
    for (int64_t a = 1; a < n; a++) /* order[] is first sight: its index decides last */
        for (int64_t b = a; b > 0 && !ahead(&terms[order[b - 1]], order[b - 1], &terms[order[b]], order[b]); b--) {
            int64_t swap = order[b];
            order[b] = order[b - 1], order[b - 1] = swap;
        }
    for (int64_t a = 0; a + 1 < n; a++) /* weights this close are ordered after rounding: Python */
        if ((-terms[order[a + 1]].weight) - (-terms[order[a]].weight) <= 1e-8) return -1;
    int64_t shown = n < s->k ? n : s->k, at = r * MAX_RAW;
    for (int64_t a = 0; a < shown; a++) {
        const term_t *t = &terms[order[a]];
        s->shown_starts[r * s->k + a] = t->start;
        s->shown_ends[r * s->k + a] = t->end;
        s->shown_weights[r * s->k + a] = t->weight;
        s->shown_sizes[r * s->k + a] = t->n_members;
        for (int64_t i = 0; i < t->n_members; i++) s->members[at++] = t->members[i];
    }
    return shown;
}

/* Returns 0, or -1 when the rows do not add up or memory runs out (the caller falls back). */
int cc_spell(const spell_t *s) {
    if (s->k < 1 || s->k > MAX_RAW) return -1;
    int64_t longest = 0;
    for (int64_t r = 0; r < s->n_rows; r++) {
        int64_t length = s->normalized_starts[r + 1] - s->normalized_starts[r];
        int64_t text = s->text_starts[r + 1] - s->text_starts[r];
        if (length > longest) longest = length;
        if (text > longest) longest = text;
    }
    anchor_t *anchors = malloc((size_t)(longest + 1) * sizeof(anchor_t));
    int64_t *earliest = malloc((size_t)(longest + 1) * sizeof(int64_t));
    uint32_t *buffer = malloc((size_t)(MAX_RAW * (longest + 1)) * sizeof(uint32_t));
    int status = anchors && earliest && buffer ? 0 : -1;
    for (int64_t r = 0, first = 0; r < s->n_rows && status == 0; r++) {
        s->shown_counts[r] = s->spell[r] ? spell_row(s, r, first, anchors, earliest, buffer) : -1;
        first += s->phrase_counts[r];
    }
    free(anchors), free(earliest), free(buffer);
    return status;
}
