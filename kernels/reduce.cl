/*
 * Reductions for the loss and for evaluation (the per-epoch monitoring). The REDUCE_WG work-items
 * of a group form REDUCE_WG/lanes slots of `lanes` lanes (a power of two ≤ 32, as in sgd.cl); a
 * slot takes one rating (or row) at a time in a grid-stride loop whose trip count is the same for
 * the whole group, and its lanes read components c ≡ lane (mod lanes) of p_u and q_i, so the
 * lanes of a warp read consecutive floats (coalesced) instead of one thread walking k floats of
 * a row. The lane partials are summed across the slot (warp shuffle on CUDA, a local-memory tree
 * on OpenCL 1.2; skipped when lanes = 1, the host's choice on CPU devices), lane 0 adds the
 * rating's terms, then a tree over the group writes one partial per term per group at
 * [W·g + t]. The host adds the few partials in double. Geometry: local = REDUCE_WG, global =
 * groups × REDUCE_WG with groups chosen by the host (at most a few thousand).
 */

/* Tree-reduces a[0..REDUCE_WG) and b[0..REDUCE_WG) in local memory; the sums end in a[0], b[0]. */
#define TREE_REDUCE2(a, b)                                              \
    for (int s = REDUCE_WG / 2; s > 0; s >>= 1) {                       \
        if (lid < s) {                                                  \
            a[lid] += a[lid + s];                                       \
            b[lid] += b[lid + s];                                       \
        }                                                               \
        SYNC();                                                         \
    }

/* Tree-reduces three arrays of REDUCE_WG floats in local memory; the sums end in a[0], b[0], c[0]. */
#define TREE_REDUCE3(a, b, c)                                           \
    for (int s = REDUCE_WG / 2; s > 0; s >>= 1) {                       \
        if (lid < s) {                                                  \
            a[lid] += a[lid + s];                                       \
            b[lid] += b[lid + s];                                       \
            c[lid] += c[lid + s];                                       \
        }                                                               \
        SYNC();                                                         \
    }

/*
 * error_partials: the three error sums of one pass over the ratings of a set, with
 * r̂ = μ + b_u + b_i + p_u·q_i and e = r − r̂:
 *   partial[3g]   = Σ e²             (unclipped: the objective's data term)
 *   partial[3g+1] = Σ (r − clip(r̂))² (predictions clipped to [lo, hi]: RMSE)
 *   partial[3g+2] = Σ |r − clip(r̂)|  (MAE)
 * so the train loss and the train RMSE come from one read of the ratings and factors.
 */
KERNEL void error_partials(int count, const GLOBAL int *users, const GLOBAL int *items,
                           const GLOBAL float *values, const GLOBAL float *P, const GLOBAL float *Q,
                           const GLOBAL float *bu, const GLOBAL float *bi, float mu, int k,
                           int useBias, float lo, float hi, int lanes, GLOBAL float *partial) {
    LOCAL float accE[REDUCE_WG];
    LOCAL float accS[REDUCE_WG];
    LOCAL float accA[REDUCE_WG];
    const int lid = local_id();
    const int lane = lid & (lanes - 1);
    const int slots = REDUCE_WG / lanes;
    const long stride = num_groups() * slots;
    float se = 0.0f;
    float ss = 0.0f;
    float sa = 0.0f;
    for (long base = group_id() * slots; base < count; base += stride) {
        const long n = base + lid / lanes;
        const int active = n < count;
        int u = 0;
        int i = 0;
        float part = 0.0f;
        if (active) {
            u = users[n];
            i = items[n];
            const long pu = (long) u * k;
            const long qi = (long) i * k;
            for (int c = lane; c < k; c += lanes) {
                part += P[pu + c] * Q[qi + c];
            }
        }
        const float dot = lanes == 1 ? part : lane_sum(part, lanes, accE);
        if (active && lane == 0) {
            float pr = mu + dot;
            if (useBias) {
                pr += bu[u] + bi[i];
            }
            const float e = values[n] - pr;
            se += e * e;
            /* clip to the rating scale; a NaN prediction stays NaN (fmin/fmax would hide it) */
            const float pc = isnan(pr) ? pr : fmax(lo, fmin(hi, pr));
            const float ec = values[n] - pc;
            ss += ec * ec;
            sa += fabs(ec);
        }
    }
    accE[lid] = se;
    accS[lid] = ss;
    accA[lid] = sa;
    SYNC();
    TREE_REDUCE3(accE, accS, accA)
    if (lid == 0) {
        partial[3 * group_id()] = accE[0];
        partial[3 * group_id() + 1] = accS[0];
        partial[3 * group_id() + 2] = accA[0];
    }
}

/*
 * penalty_partials: over rows r < rows of one factor matrix F (k columns) and its biases b,
 * partial[2g] = Σ c_r ‖F_r‖², partial[2g+1] = Σ c_r b_r², c_r = 1 (uniform) or n_r (weighted).
 * λ and λ_b are applied by the host. Rows are taken by slots of `lanes` lanes like ratings above.
 */
KERNEL void penalty_partials(int rows, const GLOBAL float *F, const GLOBAL float *b,
                             const GLOBAL int *counts, int k, int weighted, int lanes,
                             GLOBAL float *partial) {
    LOCAL float accF[REDUCE_WG];
    LOCAL float accB[REDUCE_WG];
    const int lid = local_id();
    const int lane = lid & (lanes - 1);
    const int slots = REDUCE_WG / lanes;
    const long stride = num_groups() * slots;
    float sf = 0.0f;
    float sb = 0.0f;
    for (long base = group_id() * slots; base < rows; base += stride) {
        const long r = base + lid / lanes;
        const int active = r < rows;
        float part = 0.0f;
        if (active) {
            const long o = r * k;
            for (int j = lane; j < k; j += lanes) {
                part += F[o + j] * F[o + j];
            }
        }
        const float norm = lanes == 1 ? part : lane_sum(part, lanes, accF);
        if (active && lane == 0) {
            const float c = row_coefficient(counts[r], weighted);
            sf += c * norm;
            sb += c * b[r] * b[r];
        }
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
