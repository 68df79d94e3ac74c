/*
 * Top-N kernels: score a block of users against every item, then select each user's N best on
 * the device, so only users x N (item, score) pairs come back (serve/TopN's GPU path).
 *
 * Scores are those of the CPU ranker bit for bit: s = (μ + b_i) + b_u, then s = fma(q_ic, p_uc, s)
 * for c = 0..k-1 in that order (explicit fma, no reassociation), so the same items come out in
 * the same order, ties included. Order of a list: score descending, then item index ascending;
 * −0 and +0 tie; NaN, −∞ and excluded items are never selected (as on the CPU).
 */

/* Users a work-item of topn_score scores (register blocking: each Qᵀ element read once for them). */
#define TOPN_USERS 4
/* Radix digits of the selection: 8 bits, 256 bins. */
#define TOPN_BINS 256

/*
 * topn_score: S[b·ni + i] = score(rows[b], i) for b < numRows, i < ni, from Qᵀ (k rows of ni:
 * consecutive work-items read consecutive items, coalesced on a GPU and SIMD-packed by PoCL) and
 * P (each work-item's users' rows, the same for every work-item of a group). Geometry: local = L
 * (any), tiles = ⌈ni/L⌉, groups = ⌈numRows/TOPN_USERS⌉ · tiles; group g scores users
 * (g / tiles)·TOPN_USERS .. + TOPN_USERS against items (g mod tiles)·L + local id.
 */
KERNEL void topn_score(int numRows, int ni, int k, const GLOBAL int *rows, const GLOBAL float *P,
                       const GLOBAL float *Qt, const GLOBAL float *bu, const GLOBAL float *bi, float mu,
                       int useBias, GLOBAL float *S) {
    const int tiles = (ni + local_size() - 1) / local_size();
    const long g = group_id();
    const int b0 = (int) (g / tiles) * TOPN_USERS;
    const int i = (int) (g % tiles) * local_size() + local_id();
    if (i >= ni) {
        return;
    }
    /* rows past the block's end repeat its last user (computed, not stored) */
    const int last = numRows - 1;
    const int u0 = rows[b0 < last ? b0 : last];
    const int u1 = rows[b0 + 1 < last ? b0 + 1 : last];
    const int u2 = rows[b0 + 2 < last ? b0 + 2 : last];
    const int u3 = rows[b0 + 3 < last ? b0 + 3 : last];
    const float base = mu + (useBias ? bi[i] : 0.0f);
    float s0 = base + (useBias ? bu[u0] : 0.0f);
    float s1 = base + (useBias ? bu[u1] : 0.0f);
    float s2 = base + (useBias ? bu[u2] : 0.0f);
    float s3 = base + (useBias ? bu[u3] : 0.0f);
    const GLOBAL float *p0 = P + (long) u0 * k;
    const GLOBAL float *p1 = P + (long) u1 * k;
    const GLOBAL float *p2 = P + (long) u2 * k;
    const GLOBAL float *p3 = P + (long) u3 * k;
    const GLOBAL float *q = Qt + i;
    for (int c = 0; c < k; c++) {
        const float qc = q[(long) c * ni];
        s0 = fma_f(qc, p0[c], s0);
        s1 = fma_f(qc, p1[c], s1);
        s2 = fma_f(qc, p2[c], s2);
        s3 = fma_f(qc, p3[c], s3);
    }
    GLOBAL float *out = S + (long) b0 * ni + i;
    out[0] = s0;
    if (b0 + 1 < numRows) {
        out[ni] = s1;
    }
    if (b0 + 2 < numRows) {
        out[2L * ni] = s2;
    }
    if (b0 + 3 < numRows) {
        out[3L * ni] = s3;
    }
}

/* The selection key of a score: order-preserving unsigned bits, −0 as +0; 0 for NaN and −∞ (never selected). */
DEVICE uint topn_key(float s) {
    if (!(s >= -3.402823466e+38f)) {
        return 0u;
    }
    const uint x = s == 0.0f ? 0u : float_bits(s);
    return (x & 0x80000000u) ? ~x : (x | 0x80000000u);
}

/*
 * One radix pass of topn_select over `count` values: a local histogram of the digit
 * (v >> shift) & 255 of the values v with (v & st[1]) == st[0], v being KEY_AT(j) for the valid
 * values (byIndex = 0) or INDEX_AT(j) for those whose key is `key` (byIndex = 1); then lane 0 walks
 * the digits from the top (keys) or the bottom (indices) to the one holding the st[2]-th value
 * and narrows st: [0] prefix, [1] mask, [2] how many values at the new prefix are wanted, [4] how
 * many there are. A macro, not a function: PoCL 3.1 loses the local writes of a helper function
 * that contains barriers (seen here: the histogram and st stayed untouched).
 */
#define TOPN_PASS(byIndex, key, shift, count, KEY_AT, INDEX_AT)                                    \
    do {                                                                                           \
        for (int d = lid; d < TOPN_BINS; d += lanes) {                                             \
            hist[d] = 0;                                                                           \
        }                                                                                          \
        SYNC();                                                                                    \
        const uint prefix = st[0];                                                                 \
        const uint mask = st[1];                                                                   \
        for (int j = lid; j < (count); j += lanes) {                                               \
            const uint kv = KEY_AT(j);                                                             \
            const uint v = (byIndex) ? (uint) INDEX_AT(j) : kv;                                    \
            const int take = (byIndex) ? kv == (key) : kv != 0u;                                   \
            if (take && (v & mask) == prefix) {                                                    \
                atomic_inc_i(&hist[(v >> (shift)) & (TOPN_BINS - 1)]);                             \
            }                                                                                      \
        }                                                                                          \
        SYNC();                                                                                    \
        if (lid == 0) {                                                                            \
            const int want = (int) st[2];                                                          \
            int before = 0;                                                                        \
            int d = (byIndex) ? 0 : TOPN_BINS - 1;                                                 \
            while (before + hist[d] < want) {                                                      \
                before += hist[d];                                                                 \
                d += (byIndex) ? 1 : -1;                                                           \
            }                                                                                      \
            st[0] = prefix | ((uint) d << (shift));                                                \
            st[1] = mask | ((uint) (TOPN_BINS - 1) << (shift));                                    \
            st[2] = (uint) (want - before);                                                        \
            st[4] = (uint) hist[d];                                                                \
        }                                                                                          \
        SYNC();                                                                                    \
    } while (0)

/* The N-th key T and the last index among the ties at T to take (see topn_select), over `count` values. */
#define TOPN_THRESHOLD(count, KEY_AT, INDEX_AT)                                                    \
    do {                                                                                           \
        TOPN_PASS(0, 0u, 24, count, KEY_AT, INDEX_AT);                                             \
        TOPN_PASS(0, 0u, 16, count, KEY_AT, INDEX_AT);                                             \
        TOPN_PASS(0, 0u, 8, count, KEY_AT, INDEX_AT);                                              \
        TOPN_PASS(0, 0u, 0, count, KEY_AT, INDEX_AT);                                              \
        threshold = st[0];                                                                         \
        const int tiesWanted = (int) st[2];                                                        \
        if ((int) st[4] > tiesWanted) {                                                            \
            SYNC(); /* every lane has read st before lane 0 resets it */                           \
            if (lid == 0) {                                                                        \
                st[0] = 0u;                                                                        \
                st[1] = 0u;                                                                        \
                st[2] = (uint) tiesWanted;                                                         \
            }                                                                                      \
            SYNC();                                                                                \
            for (int shift = ((indexBits + 7) / 8 - 1) * 8; shift >= 0; shift -= 8) {              \
                TOPN_PASS(1, threshold, shift, count, KEY_AT, INDEX_AT);                           \
            }                                                                                      \
            lastTie = st[0];                                                                       \
        }                                                                                          \
    } while (0)

#define TOPN_ROW_KEY(j) topn_key(row[j])
#define TOPN_ROW_INDEX(j) (j)
#define TOPN_CAND_KEY(j) candKey[j]
#define TOPN_CAND_INDEX(j) candItem[j]

/*
 * topn_select: for each block row b < numRows (one work-group each), user u = rows[b]: sets the
 * scores of u's excluded items (exItems[exPtr[u]..exPtr[u+1])) to −∞ in S, then writes the
 * count = min(n, valid) best items of S's row b, unordered, to outItems/outScores[b·n ..] and
 * count to outCount[b].
 *
 * 1. One read of the row: each lane's best key and valid items. When count ≤ lanes, the
 *    count-th best of the lanes' best keys is a lower bound B of the count-th best key T (that
 *    many distinct items reach it); otherwise B is the lowest valid key.
 * 2. A second read gathers the items with key ≥ B (every item that can be selected) into local
 *    memory, when they are at most TOPN_CAND (the usual case for small N).
 * 3. T is found by four 8-bit radix passes (most significant byte first) over the candidates (or,
 *    when they did not fit, over the row: four more reads); when more items have key T than are
 *    wanted, the wanted ones (the lowest indices) end at the index found by radix passes over the
 *    index's ⌈indexBits/8⌉ bytes.
 * 4. Every item above T, and those at T up to that index, are written.
 * Geometry: local = 1..TOPN_MAX_LANES lanes (they stride over the row), groups = numRows.
 */
#define TOPN_MAX_LANES 256
#define TOPN_CAND 1024
KERNEL void topn_select(int numRows, int ni, int n, int indexBits, const GLOBAL int *rows,
                        const GLOBAL int *exPtr, const GLOBAL int *exItems, GLOBAL float *S,
                        GLOBAL int *outItems, GLOBAL float *outScores, GLOBAL int *outCount) {
    LOCAL int hist[TOPN_BINS];
    LOCAL uint st[8];
    LOCAL int slots[2];
    LOCAL uint laneBest[TOPN_MAX_LANES];
    LOCAL int laneValid[TOPN_MAX_LANES];
    LOCAL uint candKey[TOPN_CAND];
    LOCAL int candItem[TOPN_CAND];
    const long b = group_id();
    if (b >= numRows) {
        return;
    }
    const int lid = local_id();
    const int lanes = local_size();
    GLOBAL float *row = S + b * ni;
    const int u = rows[b];
    const int e0 = exPtr[u];
    const int e1 = exPtr[u + 1];
    for (int e = e0 + lid; e < e1; e += lanes) {
        row[exItems[e]] = bits_float(0xff800000u);
    }
    SYNC_GLOBAL();
    /* 1. */
    uint best = 0u;
    int valid = 0;
    for (int i = lid; i < ni; i += lanes) {
        const uint kv = topn_key(row[i]);
        best = kv > best ? kv : best;
        valid += kv != 0u;
    }
    laneBest[lid] = best;
    laneValid[lid] = valid;
    SYNC();
    if (lid == 0) {
        int all = 0;
        for (int l = 0; l < lanes; l++) {
            all += laneValid[l];
        }
        const int count = all < n ? all : n;
        uint bound = 1u;
        if (count > 0 && count <= lanes) {
            /* the count-th largest lane best, by count selections of the largest (lane bests destroyed) */
            for (int c = 0; c < count; c++) {
                int at = 0;
                for (int l = 1; l < lanes; l++) {
                    at = laneBest[l] > laneBest[at] ? l : at;
                }
                bound = laneBest[at];
                laneBest[at] = 0u;
            }
            bound = bound > 1u ? bound : 1u;
        }
        st[0] = 0u;
        st[1] = 0u;
        st[2] = (uint) count;
        st[5] = bound;
        st[6] = (uint) count;
        slots[0] = 0;
        slots[1] = 0;
    }
    SYNC();
    const int count = (int) st[6];
    if (count == 0) {
        if (lid == 0) {
            outCount[b] = 0;
        }
        return;
    }
    /* 2. */
    const uint bound = st[5];
    for (int i = lid; i < ni; i += lanes) {
        const uint kv = topn_key(row[i]);
        if (kv >= bound) {
            const int slot = atomic_inc_i(&slots[0]);
            if (slot < TOPN_CAND) {
                candKey[slot] = kv;
                candItem[slot] = i;
            }
        }
    }
    SYNC();
    const int cands = slots[0];
    /* 3. and 4. */
    uint threshold = 0u;
    uint lastTie = 0xffffffffu;
    if (cands <= TOPN_CAND) {
        TOPN_THRESHOLD(cands, TOPN_CAND_KEY, TOPN_CAND_INDEX);
        for (int j = lid; j < cands; j += lanes) {
            const uint kv = candKey[j];
            const int i = candItem[j];
            if (kv > threshold || (kv == threshold && (uint) i <= lastTie)) {
                const int slot = atomic_inc_i(&slots[1]);
                outItems[b * n + slot] = i;
                outScores[b * n + slot] = row[i];
            }
        }
    } else {
        TOPN_THRESHOLD(ni, TOPN_ROW_KEY, TOPN_ROW_INDEX);
        for (int i = lid; i < ni; i += lanes) {
            const float s = row[i];
            const uint kv = topn_key(s);
            if (kv > threshold || (kv == threshold && (uint) i <= lastTie)) {
                const int slot = atomic_inc_i(&slots[1]);
                outItems[b * n + slot] = i;
                outScores[b * n + slot] = s;
            }
        }
    }
    if (lid == 0) {
        outCount[b] = count;
    }
}
