/*
 * One lock-free SGD epoch (batch-Hogwild, as cuMF_SGD): SGD_GROUP work-items form groups of
 * `lanes` lanes (a power of two ≤ 32); each lane group is one stream that walks its own
 * contiguous slice [s·perStream, (s+1)·perStream) of a seeded pseudo-random permutation of the
 * ratings, one rating at a time. Streams update shared P, Q, b without locks (Hogwild): two
 * streams on the same row race, which SGD tolerates on sparse data.
 *
 * Per rating (u, i, r), lanes own components c ≡ lane (mod lanes):
 *   e = r − (μ + b_u + b_i + Σ_c p_uc q_ic)         (lane partials, reduced across the lanes)
 *   p_uc ← p_uc + lr(e q_ic − λ w_u p_uc),  q_ic ← q_ic + lr(e p_uc − λ w_i q_ic)   (old values)
 *   lane 0: b_u ← b_u + lrBias(e − λ_b w_u b_u),  b_i ← b_i + lrBias(e − λ_b w_i b_i)
 *
 * With adagrad = 1 (sgd_epoch_adagrad*, LIBMF's per-row schedule; OptimizerStep's ADAGRAD) each
 * row keeps (G, H) at GU/GI[2·row], [2·row + 1] (factor and bias; 1 at the start), and the same
 * rating does, with old values:
 *   ηp = lr/√G_u, ηq = lr/√G_i
 *   p_uc ← p_uc + ηp(e q_ic − λ w_u p_uc),  q_ic ← q_ic + ηq(e p_uc − λ w_i q_ic)
 *   G_u += Σ_c (e q_ic − λ w_u p_uc)² / k,  G_i += Σ_c (e p_uc − λ w_i q_ic)² / k   (lane sums)
 *   lane 0: d = e − λ_b w_u b_u; b_u ← b_u + (lrBias/√H_u) d; H_u += d²   (b_i likewise)
 * G and H are read and written without locks like the factors (Hogwild).
 *
 * The reduction is a warp shuffle on CUDA (lanes of one stream sit in one warp; no barrier) and a
 * local-memory tree with work-group barriers on OpenCL 1.2 (no sub-groups there), for which every
 * stream runs the same number of iterations (streams past the end idle through them).
 *
 * The order is generated in the kernel, not stored: position j maps to rating perm(j), a
 * bijection of [0, 2^b) made of three rounds of (odd multiply, xor-shift, add) mod 2^b,
 * cycle-walked into [0, count) (2^b < 2·count, so under two rounds on average). Its keys come
 * from the epoch's seed. Geometry: local = SGD_GROUP, global = groups × SGD_GROUP.
 */

#define SGD_GROUP 128

DEVICE uint perm_round(uint x, uint mask, uint shift, uint mul, uint add) {
    x = (x * mul) & mask;
    x ^= x >> shift;
    return (x + add) & mask;
}

DEVICE uint permute(uint j, uint count, uint mask, uint shift, uint m0, uint a0, uint m1,
                    uint a1, uint m2, uint a2) {
    uint x = j;
    do {
        x = perm_round(x, mask, shift, m0, a0);
        x = perm_round(x, mask, shift, m1, a1);
        x = perm_round(x, mask, shift, m2, a2);
    } while (x >= count);
    return x;
}

/*
 * The epoch body, shared by both storage variants. P, Q hold the factors as float (halfFactors = 0)
 * or Ph, Qh as fp16 (halfFactors = 1; loads widen to float, stores round to nearest even); the
 * other pair is unused. Each kernel passes a constant, so after inlining each variant is
 * straight-line code with no storage branch. `red` is the OpenCL reduction scratch (unused on CUDA).
 */
DEVICE float ld_factor(const GLOBAL float *F, const GLOBAL half_t *H, long j, int halfFactors) {
    return halfFactors ? load_half(H, j) : F[j];
}

DEVICE void st_factor(GLOBAL float *F, GLOBAL half_t *H, long j, float v, int halfFactors) {
    if (halfFactors) {
        store_half(H, j, v);
    } else {
        F[j] = v;
    }
}

#ifdef __CUDACC__
#define SGD_RED_PARAM float *red
#else
#define SGD_RED_PARAM __local float *red
#endif

DEVICE void sgd_run(int count, int perStream, int lanes, const GLOBAL int *users,
                    const GLOBAL int *items, const GLOBAL float *values,
                    const GLOBAL int *userCounts, const GLOBAL int *itemCounts,
                    GLOBAL float *P, GLOBAL float *Q, GLOBAL half_t *Ph, GLOBAL half_t *Qh,
                    int halfFactors, GLOBAL float *bu, GLOBAL float *bi,
                    int adagrad, GLOBAL float *GU, GLOBAL float *GI,
                    float mu, int k, float lr, float lrBias, float lambda, float lambdaBias,
                    int weighted, int useBias, uint mask, uint shift, uint m0, uint a0,
                    uint m1, uint a1, uint m2, uint a2, SGD_RED_PARAM) {
    const int lid = local_id();
    const int lane = lid & (lanes - 1);
    const long stream = group_id() * (SGD_GROUP / lanes) + lid / lanes;
    const long begin = stream * perStream;
    for (int t = 0; t < perStream; t++) {
        const long j = begin + t;
        const int active = j < count;
        uint n = 0;
        int u = 0;
        int i = 0;
        float bU = 0.0f;
        float bI = 0.0f;
        float partial = 0.0f;
        if (active) {
            n = permute((uint) j, (uint) count, mask, shift, m0, a0, m1, a1, m2, a2);
            u = users[n];
            i = items[n];
            for (int c = lane; c < k; c += lanes) {
                partial += ld_factor(P, Ph, (long) u * k + c, halfFactors)
                        * ld_factor(Q, Qh, (long) i * k + c, halfFactors);
            }
            if (useBias && lane == 0) {
                /* lane 0 alone reads and writes the biases, so lanes of a stream never race */
                bU = bu[u];
                bI = bi[i];
                partial += bU + bI;
            }
        }
        /* reduce: s = Σ_c p_uc q_ic + b_u + b_i over the stream's lanes, known to every lane */
        const float s = lane_sum(partial, lanes, red);
        float gU = 1.0f;
        float gI = 1.0f;
        float sqP = 0.0f;
        float sqQ = 0.0f;
        if (active) {
            const float e = values[n] - mu - s;
            const float wu = rating_weight(userCounts[u], weighted);
            const float wi = rating_weight(itemCounts[i], weighted);
            float etaP = lr;
            float etaQ = lr;
            if (adagrad) {
                gU = GU[2 * (long) u];
                gI = GI[2 * (long) i];
                etaP = lr / sqrt(gU);
                etaQ = lr / sqrt(gI);
            }
            for (int c = lane; c < k; c += lanes) {
                const long pu = (long) u * k + c;
                const long qi = (long) i * k + c;
                const float p = ld_factor(P, Ph, pu, halfFactors);
                const float q = ld_factor(Q, Qh, qi, halfFactors);
                const float dp = e * q - lambda * wu * p;
                const float dq = e * p - lambda * wi * q;
                st_factor(P, Ph, pu, p + etaP * dp, halfFactors);
                st_factor(Q, Qh, qi, q + etaQ * dq, halfFactors);
                sqP += dp * dp;
                sqQ += dq * dq;
            }
            if (useBias && lane == 0) {
                const float du = e - lambdaBias * wu * bU;
                const float di = e - lambdaBias * wi * bI;
                if (adagrad) {
                    const float hU = GU[2 * (long) u + 1];
                    const float hI = GI[2 * (long) i + 1];
                    bu[u] = bU + lrBias / sqrt(hU) * du;
                    bi[i] = bI + lrBias / sqrt(hI) * di;
                    GU[2 * (long) u + 1] = hU + du * du;
                    GI[2 * (long) i + 1] = hI + di * di;
                } else {
                    bu[u] = bU + lrBias * du;
                    bi[i] = bI + lrBias * di;
                }
            }
        }
        if (adagrad) {
            /* G += mean squared gradient entry: lane sums of (−h)², then lane 0 writes */
            const float sumP = lane_sum(sqP, lanes, red);
            const float sumQ = lane_sum(sqQ, lanes, red);
            if (active && lane == 0) {
                GU[2 * (long) u] = gU + sumP / (float) k;
                GI[2 * (long) i] = gI + sumQ / (float) k;
            }
        }
    }
}

KERNEL void sgd_epoch(int count, int perStream, int lanes, const GLOBAL int *users,
                      const GLOBAL int *items, const GLOBAL float *values,
                      const GLOBAL int *userCounts, const GLOBAL int *itemCounts,
                      GLOBAL float *P, GLOBAL float *Q, GLOBAL float *bu, GLOBAL float *bi,
                      float mu, int k, float lr, float lrBias, float lambda, float lambdaBias,
                      int weighted, int useBias, uint mask, uint shift, uint m0, uint a0,
                      uint m1, uint a1, uint m2, uint a2) {
#ifdef __CUDACC__
    float *red = 0;
#else
    LOCAL float red[SGD_GROUP];
#endif
    sgd_run(count, perStream, lanes, users, items, values, userCounts, itemCounts, P, Q, 0, 0, 0, bu, bi, 0, 0, 0,
            mu, k, lr, lrBias, lambda, lambdaBias, weighted, useBias, mask, shift, m0, a0, m1, a1, m2, a2, red);
}

/*
 * sgd_epoch with P and Q stored as fp16 (cuMF_SGD's half-precision option): the same update in
 * float arithmetic, each factor widened on load and rounded to nearest even on store, so an
 * update moves 4·k·2 bytes of factors instead of 4·k·4. Biases stay float.
 */
KERNEL void sgd_epoch_half(int count, int perStream, int lanes, const GLOBAL int *users,
                           const GLOBAL int *items, const GLOBAL float *values,
                           const GLOBAL int *userCounts, const GLOBAL int *itemCounts,
                           GLOBAL half_t *Ph, GLOBAL half_t *Qh, GLOBAL float *bu, GLOBAL float *bi,
                           float mu, int k, float lr, float lrBias, float lambda, float lambdaBias,
                           int weighted, int useBias, uint mask, uint shift, uint m0, uint a0,
                           uint m1, uint a1, uint m2, uint a2) {
#ifdef __CUDACC__
    float *red = 0;
#else
    LOCAL float red[SGD_GROUP];
#endif
    sgd_run(count, perStream, lanes, users, items, values, userCounts, itemCounts, 0, 0, Ph, Qh, 1, bu, bi, 0, 0, 0,
            mu, k, lr, lrBias, lambda, lambdaBias, weighted, useBias, mask, shift, m0, a0, m1, a1, m2, a2, red);
}

/* sgd_epoch with the AdaGrad schedule (see the top of this file); GU, GI: (G, H) per row. */
KERNEL void sgd_epoch_adagrad(int count, int perStream, int lanes, const GLOBAL int *users,
                              const GLOBAL int *items, const GLOBAL float *values,
                              const GLOBAL int *userCounts, const GLOBAL int *itemCounts,
                              GLOBAL float *P, GLOBAL float *Q, GLOBAL float *bu, GLOBAL float *bi,
                              GLOBAL float *GU, GLOBAL float *GI,
                              float mu, int k, float lr, float lrBias, float lambda, float lambdaBias,
                              int weighted, int useBias, uint mask, uint shift, uint m0, uint a0,
                              uint m1, uint a1, uint m2, uint a2) {
#ifdef __CUDACC__
    float *red = 0;
#else
    LOCAL float red[SGD_GROUP];
#endif
    sgd_run(count, perStream, lanes, users, items, values, userCounts, itemCounts, P, Q, 0, 0, 0, bu, bi, 1, GU, GI,
            mu, k, lr, lrBias, lambda, lambdaBias, weighted, useBias, mask, shift, m0, a0, m1, a1, m2, a2, red);
}

/* sgd_epoch_adagrad with P and Q stored as fp16 (as sgd_epoch_half); G, H and biases stay float. */
KERNEL void sgd_epoch_adagrad_half(int count, int perStream, int lanes, const GLOBAL int *users,
                                   const GLOBAL int *items, const GLOBAL float *values,
                                   const GLOBAL int *userCounts, const GLOBAL int *itemCounts,
                                   GLOBAL half_t *Ph, GLOBAL half_t *Qh, GLOBAL float *bu, GLOBAL float *bi,
                                   GLOBAL float *GU, GLOBAL float *GI,
                                   float mu, int k, float lr, float lrBias, float lambda, float lambdaBias,
                                   int weighted, int useBias, uint mask, uint shift, uint m0, uint a0,
                                   uint m1, uint a1, uint m2, uint a2) {
#ifdef __CUDACC__
    float *red = 0;
#else
    LOCAL float red[SGD_GROUP];
#endif
    sgd_run(count, perStream, lanes, users, items, values, userCounts, itemCounts, 0, 0, Ph, Qh, 1, bu, bi, 1, GU, GI,
            mu, k, lr, lrBias, lambda, lambdaBias, weighted, useBias, mask, shift, m0, a0, m1, a1, m2, a2, red);
}
