/*
 * Reductions for the loss and for evaluation. Each kernel runs a grid-stride loop per work-item,
 * then a tree reduction in local memory over REDUCE_WG work-items, and writes one partial per
 * work-group (two values for the two-sum kernels, at [2g] and [2g+1]). The host adds the few
 * partials in double. Geometry: local = REDUCE_WG, global = groups × REDUCE_WG with groups
 * chosen by the host (at most a few thousand, so the partials stay small).
 */

/* Tree-reduces a[0..REDUCE_WG) in local memory; the sum ends in a[0]. */
#define TREE_REDUCE1(a)                                                 \
    for (int s = REDUCE_WG / 2; s > 0; s >>= 1) {                       \
        if (lid < s) {                                                  \
            a[lid] += a[lid + s];                                       \
        }                                                               \
        SYNC();                                                         \
    }

/* Tree-reduces a[0..REDUCE_WG) and b[0..REDUCE_WG) in local memory; the sums end in a[0], b[0]. */
#define TREE_REDUCE2(a, b)                                              \
    for (int s = REDUCE_WG / 2; s > 0; s >>= 1) {                       \
        if (lid < s) {                                                  \
            a[lid] += a[lid + s];                                       \
            b[lid] += b[lid + s];                                       \
        }                                                               \
        SYNC();                                                         \
    }

/*
 * sse_partials: partial[g] = Σ (r − r̂)² over this group's share of the ratings of a set
 * (unclipped predictions: the objective's data term).
 */
KERNEL void sse_partials(int count, const GLOBAL int *users, const GLOBAL int *items,
                         const GLOBAL float *values, const GLOBAL float *P, const GLOBAL float *Q,
                         const GLOBAL float *bu, const GLOBAL float *bi, float mu, int k,
                         int useBias, GLOBAL float *partial) {
    LOCAL float acc[REDUCE_WG];
    const int lid = local_id();
    const long stride = num_groups() * REDUCE_WG;
    float s = 0.0f;
    for (long n = global_id(); n < count; n += stride) {
        const float e = values[n] - predict_one(P, Q, bu, bi, mu, users[n], items[n], k, useBias);
        s += e * e;
    }
    acc[lid] = s;
    SYNC();
    TREE_REDUCE1(acc)
    if (lid == 0) {
        partial[group_id()] = acc[0];
    }
}

/*
 * penalty_partials: over rows r < rows of one factor matrix F (k columns) and its biases b,
 * partial[2g] = Σ c_r ‖F_r‖², partial[2g+1] = Σ c_r b_r², c_r = 1 (uniform) or n_r (weighted).
 * λ and λ_b are applied by the host.
 */
KERNEL void penalty_partials(int rows, const GLOBAL float *F, const GLOBAL float *b,
                             const GLOBAL int *counts, int k, int weighted,
                             GLOBAL float *partial) {
    LOCAL float accF[REDUCE_WG];
    LOCAL float accB[REDUCE_WG];
    const int lid = local_id();
    const long stride = num_groups() * REDUCE_WG;
    float sf = 0.0f;
    float sb = 0.0f;
    for (long r = global_id(); r < rows; r += stride) {
        const float c = row_coefficient(counts[r], weighted);
        const long o = r * k;
        float norm = 0.0f;
        for (int j = 0; j < k; j++) {
            norm += F[o + j] * F[o + j];
        }
        sf += c * norm;
        sb += c * b[r] * b[r];
    }
    accF[lid] = sf;
    accB[lid] = sb;
    SYNC();
    TREE_REDUCE2(accF, accB)
    if (lid == 0) {
        partial[2 * group_id()] = accF[0];
        partial[2 * group_id() + 1] = accB[0];
    }
}

/*
 * eval_partials: with predictions clipped to [lo, hi], e = r − clip(r̂):
 * partial[2g] = Σ e², partial[2g+1] = Σ |e| (RMSE and MAE sums).
 */
KERNEL void eval_partials(int count, const GLOBAL int *users, const GLOBAL int *items,
                          const GLOBAL float *values, const GLOBAL float *P, const GLOBAL float *Q,
                          const GLOBAL float *bu, const GLOBAL float *bi, float mu, int k,
                          int useBias, float lo, float hi, GLOBAL float *partial) {
    LOCAL float accS[REDUCE_WG];
    LOCAL float accA[REDUCE_WG];
    const int lid = local_id();
    const long stride = num_groups() * REDUCE_WG;
    float ss = 0.0f;
    float sa = 0.0f;
    for (long n = global_id(); n < count; n += stride) {
        float pr = predict_one(P, Q, bu, bi, mu, users[n], items[n], k, useBias);
        /* clip to the rating scale; a NaN prediction stays NaN (fmin/fmax would hide it) */
        pr = isnan(pr) ? pr : fmax(lo, fmin(hi, pr));
        const float e = values[n] - pr;
        ss += e * e;
        sa += fabs(e);
    }
    accS[lid] = ss;
    accA[lid] = sa;
    SYNC();
    TREE_REDUCE2(accS, accA)
    if (lid == 0) {
        partial[2 * group_id()] = accS[0];
        partial[2 * group_id() + 1] = accA[0];
    }
}
