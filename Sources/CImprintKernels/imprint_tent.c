// See imprint_kernels.h: PDQ's tent filter and 64 x 64 decimation as a stream.
//
// Every running box keeps the arithmetic of Meta's box1DFloat per lane: in the first
// phases sum = sum + x, in the steady phase sum = (sum + x) - leaving, in the last
// phase sum = sum - leaving, and each output is sum / (float)count. The loops below run
// that over many lanes at once (GROUP rows for a row box, all columns for a column box)
// and the compiler vectorises them; each lane's operations and their order are those of
// the one-dimensional box (-ffp-contract=off, no reassociation), so every value has the
// same float32 bits as filtering the whole plane.
#include "imprint_kernels.h"

#include <string.h>

#include "imprint_simd.h"

#define GROUP IMPRINT_TENT_GROUP

// Meta's four phases of a box of `window` over `length` samples: adds without output
// (phase1 steps), adds with output (phase2), the steady state, removals with output.
// A window longer than the samples is clamped, so that nothing outside them is read.
static void box_init(imprint_tent_box *box, int length, int requested_window) {
    const int most = length > 0 ? length : 1;
    const int window = requested_window < 1 ? 1 : (requested_window > most ? most : requested_window);
    const int half = (window + 2) / 2;
    box->length = length;
    box->window = window;
    box->phase1 = half - 1;
    box->phase2 = window - half + 1;
    box->right = 0;
    box->left = 0;
    box->count = 0;
    box->out = 0;
}

// Step `right` in (`lanes` values at x). In the steady state `leaving` holds step
// right - window, which is step `left`. Returns 1 when output `out` is ready.
static inline int box_push(imprint_tent_box *box, float *restrict sums, const float *restrict x,
                           const float *restrict leaving, int lanes) {
    if (box->right >= box->length) return 0;
    if (box->right >= box->phase1 + box->phase2) {
        for (int l = 0; l < lanes; l++) sums[l] = (sums[l] + x[l]) - leaving[l];
        box->right++;
        box->left++;
        return 1;
    }
    for (int l = 0; l < lanes; l++) sums[l] = sums[l] + x[l];
    box->right++;
    box->count++;
    return box->right > box->phase1;
}

// After the last push: step `left` (at `leaving`) leaves. Returns 1 when an output is
// ready, 0 when none is left.
static inline int box_drain(imprint_tent_box *box, float *restrict sums, const float *restrict leaving, int lanes) {
    if (box->right != box->length || box->out >= box->length) return 0;
    for (int l = 0; l < lanes; l++) sums[l] = sums[l] - leaving[l];
    box->left++;
    box->count--;
    return 1;
}

static inline void box_output(imprint_tent_box *box, const float *restrict sums, float *restrict target, int lanes) {
    const float divisor = (float)box->count;
    for (int l = 0; l < lanes; l++) target[l] = sums[l] / divisor;
    box->out++;
}

// Output `out` of a row box: every column to out_t[column * GROUP], or with `first_slot`
// only sampled columns, to out_t[slot * GROUP].
static inline void row_box_emit(imprint_tent_box *box, const float *sums, const int32_t *first_slot, float *out_t) {
    const int column = box->out;
    if (!first_slot) {
        box_output(box, sums, out_t + (long)column * GROUP, GROUP);
    } else if (first_slot[column] >= 0) {
        box_output(box, sums, out_t + (long)first_slot[column] * GROUP, GROUP);
    } else {
        box->out++;
    }
}

// A box along the rows of a transposed group (in_t[column * GROUP + row]): GROUP rows
// advance together, a lane each. The whole group is at hand, so the leaving step is
// read from it and no ring is needed.
static void row_box(const float *restrict in_t, int cols, int window, const int32_t *first_slot, float *restrict out_t) {
    imprint_tent_box box;
    box_init(&box, cols, window);
    float sums[GROUP] = {0};
    for (int column = 0; column < cols; column++) {
        if (box_push(&box, sums, in_t + (long)column * GROUP, in_t + (long)box.left * GROUP, GROUP)) {
            row_box_emit(&box, sums, first_slot, out_t);
        }
    }
    while (box.left < cols && box_drain(&box, sums, in_t + (long)box.left * GROUP, GROUP)) {
        row_box_emit(&box, sums, first_slot, out_t);
    }
}

#if defined(__AVX2__)
// The row box of `row_box` read straight from the GROUP row-major rows, 8 x 8 tiles
// transposed in registers on the way in (each column also kept in in_t, where the
// leaving step is read) and, for full outputs, on the way out to the row-major out_rows.
// The GROUP rows run as GROUP / 8 independent 8-lane sums, so that their add-subtract
// chains overlap. The per-lane arithmetic is box_push/box_drain/box_output's.
#define SUB (GROUP / 8)
static void row_box_fused(const float *restrict rows, int cols, int window, float *restrict in_t,
                          const int32_t *first_slot, float *restrict out_t, float *restrict out_rows) {
    imprint_tent_box box;
    box_init(&box, cols, window);
    __m256 sums[SUB];
    __m256 pending[SUB][8];
    for (int g = 0; g < SUB; g++) {
        sums[g] = _mm256_setzero_ps();
        for (int k = 0; k < 8; k++) pending[g][k] = _mm256_setzero_ps();
    }
    const int steady = box.phase1 + box.phase2;
#define EMIT()                                                                                       \
    do {                                                                                             \
        const int index = box.out;                                                                   \
        const __m256 divisor = _mm256_set1_ps((float)box.count);                                     \
        if (out_rows) {                                                                              \
            for (int g = 0; g < SUB; g++) pending[g][index & 7] = _mm256_div_ps(sums[g], divisor);   \
            if ((index & 7) == 7) {                                                                  \
                for (int g = 0; g < SUB; g++) {                                                      \
                    imprint_transpose8_ps(pending[g]);                                                          \
                    for (int k = 0; k < 8; k++)                                                      \
                        _mm256_storeu_ps(out_rows + (long)(8 * g + k) * cols + index - 7, pending[g][k]); \
                }                                                                                    \
            }                                                                                        \
        } else if (first_slot[index] >= 0) {                                                         \
            for (int g = 0; g < SUB; g++)                                                            \
                _mm256_storeu_ps(out_t + (long)first_slot[index] * GROUP + 8 * g, _mm256_div_ps(sums[g], divisor)); \
        }                                                                                            \
        box.out++;                                                                                   \
    } while (0)
    for (int c0 = 0; c0 < cols; c0 += 8) {
        const int n = cols - c0 < 8 ? cols - c0 : 8;
        for (int g = 0; g < SUB; g++) {
            __m256 x[8];
            if (n == 8) {
                for (int k = 0; k < 8; k++) x[k] = _mm256_loadu_ps(rows + (long)(8 * g + k) * cols + c0);
                imprint_transpose8_ps(x);
            } else {
                for (int j = 0; j < n; j++) {
                    float lanes[8];
                    for (int k = 0; k < 8; k++) lanes[k] = rows[(long)(8 * g + k) * cols + c0 + j];
                    x[j] = _mm256_loadu_ps(lanes);
                }
            }
            for (int j = 0; j < n; j++) _mm256_storeu_ps(in_t + (long)(c0 + j) * GROUP + 8 * g, x[j]);
        }
        for (int j = 0; j < n; j++) {
            const float *column = in_t + (long)(c0 + j) * GROUP;
            if (box.right >= steady) {
                const float *leaving = in_t + (long)box.left * GROUP;
                for (int g = 0; g < SUB; g++) {
                    sums[g] = _mm256_sub_ps(_mm256_add_ps(sums[g], _mm256_loadu_ps(column + 8 * g)),
                                            _mm256_loadu_ps(leaving + 8 * g));
                }
                box.right++;
                box.left++;
                EMIT();
            } else {
                for (int g = 0; g < SUB; g++) sums[g] = _mm256_add_ps(sums[g], _mm256_loadu_ps(column + 8 * g));
                box.right++;
                box.count++;
                if (box.right > box.phase1) EMIT();
            }
        }
    }
    while (box.out < cols) {
        const float *leaving = in_t + (long)box.left * GROUP;
        for (int g = 0; g < SUB; g++) sums[g] = _mm256_sub_ps(sums[g], _mm256_loadu_ps(leaving + 8 * g));
        box.left++;
        box.count--;
        EMIT();
    }
#undef EMIT
    // The outputs of a last, partial tile of columns.
    const int rest = cols & 7;
    if (out_rows && rest) {
        for (int g = 0; g < SUB; g++) {
            for (int j = 0; j < rest; j++) {
                float lanes[8];
                _mm256_storeu_ps(lanes, pending[g][j]);
                for (int k = 0; k < 8; k++) out_rows[(long)(8 * g + k) * cols + cols - rest + j] = lanes[k];
            }
        }
    }
}
#undef SUB
#endif

long imprint_tent_workspace_floats(int rows, int cols, int window_along_cols) {
    if (rows < 1 || cols < 1) return 0;
    const long window = window_along_cols < 1 ? 1 : (window_along_cols > rows ? rows : window_along_cols);
    return 5L * GROUP * cols          // group, group_t, filtered_t, p1, q1
         + cols + window * cols       // first column box: sums, ring
         + 64L * GROUP + GROUP * 64L  // sampled_t, p2
         + 64 + window * 64           // second column box: sums, ring
         + 64                         // one output line
         + 64L * 64;                  // the decimated plane
}

int imprint_tent_begin(imprint_tent_stream *s, int rows, int cols, int window_along_rows, int window_along_cols,
                       const int32_t *sample_rows, const int32_t *sample_cols, float *workspace, long workspace_count,
                       int32_t *first_slot) {
    if (!s || rows < 1 || cols < 1 || !workspace || !first_slot ||
        workspace_count < imprint_tent_workspace_floats(rows, cols, window_along_cols)) return -1;
    for (int i = 0; i < 64; i++) {
        if (sample_rows[i] < 0 || sample_rows[i] >= rows || sample_cols[i] < 0 || sample_cols[i] >= cols) return -1;
    }
    memset(s, 0, sizeof *s);
    s->rows = rows;
    s->cols = cols;
    s->window_along_rows = window_along_rows;
    memcpy(s->sample_rows, sample_rows, sizeof s->sample_rows);
    memcpy(s->sample_cols, sample_cols, sizeof s->sample_cols);
    box_init(&s->column_box1, rows, window_along_cols);
    box_init(&s->column_box2, rows, window_along_cols);
    const long window = s->column_box1.window;
    memset(workspace, 0, (size_t)imprint_tent_workspace_floats(rows, cols, window_along_cols) * sizeof(float));
    float *next = workspace;
    s->group = next; next += (long)GROUP * cols;
    s->group_t = next; next += (long)GROUP * cols;
    s->filtered_t = next; next += (long)GROUP * cols;
    s->p1 = next; next += (long)GROUP * cols;
    s->q1 = next; next += (long)GROUP * cols;
    s->sums1 = next; next += cols;
    s->ring1 = next; next += window * cols;
    s->sampled_t = next; next += 64L * GROUP;
    s->p2 = next; next += GROUP * 64L;
    s->sums2 = next; next += 64;
    s->ring2 = next; next += window * 64;
    s->line = next; next += 64;
    s->output = next;
    // For each column, the first decimation slot sampling it (-1: none); a column
    // sampled twice (narrow images) is copied to its other slots afterwards.
    s->first_slot = first_slot;
    for (int c = 0; c < cols; c++) first_slot[c] = -1;
    for (int slot = 0; slot < 64; slot++) {
        if (first_slot[sample_cols[slot]] < 0) first_slot[sample_cols[slot]] = slot;
    }
    return 0;
}

float *imprint_tent_group(imprint_tent_stream *s) { return s->group; }

// The second column box's output `out`: kept for every decimation row sampling it.
static void column_box2_emit(imprint_tent_stream *s) {
    imprint_tent_box *box = &s->column_box2;
    const int index = box->out;
    int sampled = 0;
    for (int i = 0; i < 64; i++) sampled |= s->sample_rows[i] == index;
    if (!sampled) {
        box->out++;
        return;
    }
    box_output(box, s->sums2, s->line, 64);
    for (int i = 0; i < 64; i++) {
        if (s->sample_rows[i] == index) memcpy(s->output + i * 64, s->line, 64 * sizeof(float));
    }
}

// One row of the ring box along columns: `lanes` values in, the leaving row read from
// the ring slot it then takes.
static int column_box_push(imprint_tent_box *box, float *sums, float *ring, const float *row, int lanes) {
    float *slot = ring + (long)(box->right % box->window) * lanes;
    const int ready = box_push(box, sums, row, slot, lanes);
    memcpy(slot, row, (size_t)lanes * sizeof(float));
    return ready;
}

static int column_box_drain(imprint_tent_box *box, float *sums, const float *ring, int lanes) {
    return box_drain(box, sums, ring + (long)(box->left % box->window) * lanes, lanes);
}

// The second row box over the `count` Q1 rows gathered, outputs at the decimation
// columns only; then each P2 row into the second column box (on 64 columns).
static void row_box2(imprint_tent_stream *s, int count) {
    if (count <= 0) return;
    const int cols = s->cols;
    // Unused lanes of a last, partial group are zeros (computed, never read).
    if (count < GROUP) memset(s->q1 + (long)count * cols, 0, (size_t)(GROUP - count) * (size_t)cols * sizeof(float));
#if defined(__AVX2__)
    if (!s->portable) {
        row_box_fused(s->q1, cols, s->window_along_rows, s->group_t, s->first_slot, s->sampled_t, NULL);
    } else
#endif
    {
        imprint_transpose_f32(s->q1, GROUP, cols, s->group_t);
        row_box(s->group_t, cols, s->window_along_rows, s->first_slot, s->sampled_t);
    }
    imprint_transpose_f32(s->sampled_t, 64, GROUP, s->p2);
    for (int r = 0; r < count; r++) {
        float *line = s->p2 + r * 64;
        for (int slot = 0; slot < 64; slot++) {
            const int first = s->first_slot[s->sample_cols[slot]];
            if (first != slot) line[slot] = line[first];
        }
        if (column_box_push(&s->column_box2, s->sums2, s->ring2, line, 64)) column_box2_emit(s);
    }
}

// The first column box's output: a Q1 row, gathered for the second row box.
static void column_box1_emit(imprint_tent_stream *s) {
    box_output(&s->column_box1, s->sums1, s->q1 + (long)s->q1_filled * s->cols, s->cols);
    s->q1_filled++;
    if (s->q1_filled == GROUP) {
        row_box2(s, GROUP);
        s->q1_filled = 0;
    }
}

void imprint_tent_push_group(imprint_tent_stream *s, int count) {
    const int cols = s->cols;
    if (count <= 0) return;
    if (count > GROUP) count = GROUP;
    if (count < GROUP) memset(s->group + (long)count * cols, 0, (size_t)(GROUP - count) * (size_t)cols * sizeof(float));
    // First row box: the group's rows advance together, a lane each; then back to rows.
#if defined(__AVX2__)
    if (!s->portable) {
        row_box_fused(s->group, cols, s->window_along_rows, s->group_t, NULL, NULL, s->p1);
    } else
#endif
    {
        imprint_transpose_f32(s->group, GROUP, cols, s->group_t);
        row_box(s->group_t, cols, s->window_along_rows, NULL, s->filtered_t);
        imprint_transpose_f32(s->filtered_t, cols, GROUP, s->p1);
    }
    for (int r = 0; r < count; r++) {
        if (column_box_push(&s->column_box1, s->sums1, s->ring1, s->p1 + (long)r * cols, cols)) column_box1_emit(s);
    }
}

void imprint_tent_finish(imprint_tent_stream *s, float *out) {
    while (column_box_drain(&s->column_box1, s->sums1, s->ring1, s->cols)) column_box1_emit(s);
    row_box2(s, s->q1_filled);
    s->q1_filled = 0;
    while (column_box_drain(&s->column_box2, s->sums2, s->ring2, 64)) column_box2_emit(s);
    memcpy(out, s->output, 64 * 64 * sizeof(float));
}
