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
 * One radix pass of topn_select over row[0..ni): a local histogram of the digit (v >> shift) & 255
 * of the values v with (v & st[1]) == st[0], v being the key of each valid item (byIndex = 0) or
 * the index of each item whose key is `key` (byIndex = 1); then lane 0 walks the digits from the
 * top (keys) or the bottom (indices) to the one holding the st[2]-th value and narrows st:
 * [0] prefix, [1] mask, [2] how many of the values at the new prefix are wanted, [4] how many
 * there are. The pass over the key's top byte also caps the list: st[2] = st[6] = min(n, valid).
 * A macro, not a function: PoCL 3.1 loses the local writes of a helper function that contains
 * barriers (seen here: the histogram and st stayed untouched), so the pass is expanded in place.
 */
#define TOPN_PASS(byIndex, key, shift)                                                             \
    do {                                                                                           \
        for (int d = lid; d < TOPN_BINS; d += lanes) {                                             \
            hist[d] = 0;                                                                           \
        }                                                                                          \
        SYNC();                                                                                    \
        const uint prefix = st[0];                                                                 \
        const uint mask = st[1];                                                                   \
        for (int i = lid; i < ni; i += lanes) {                                                    \
            const uint kv = topn_key(row[i]);                                                      \
            const uint v = (byIndex) ? (uint) i : kv;                                              \
            const int take = (byIndex) ? kv == (key) : kv != 0u;                                   \
            if (take && (v & mask) == prefix) {                                                    \
                atomic_inc_i(&hist[(v >> (shift)) & (TOPN_BINS - 1)]);                             \
            }                                                                                      \
        }                                                                                          \
        SYNC();                                                                                    \
        if (lid == 0) {                                                                            \
            if (!(byIndex) && (shift) == 24) {                                                     \
                int valid = 0;                                                                     \
                for (int d = 0; d < TOPN_BINS; d++) {                                              \
                    valid += hist[d];                                                              \
                }                                                                                  \
                st[2] = (uint) (valid < n ? valid : n);                                            \
                st[6] = st[2];                                                                     \
            }                                                                                      \
            const int want = (int) st[2];                                                          \
            int before = 0;                                                                        \
            int d = (byIndex) ? 0 : TOPN_BINS - 1;                                                 \
            while (want > 0 && before + hist[d] < want) {                                          \
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

/*
 * topn_select: for each block row b < numRows (one work-group each), user u = rows[b]: sets the
 * scores of u's excluded items (exItems[exPtr[u]..exPtr[u+1])) to −∞ in S, then writes the
 * min(n, valid) best items of S's row b, unordered, to outItems/outScores[b·n ..] and their
 * number to outCount[b]. The N-th best key T is found by four 8-bit radix passes (most
 * significant byte first); when more items have key T than are wanted, the wanted ones (the
 * lowest indices) end at the index found by radix passes over the index's ⌈indexBits/8⌉ bytes.
 * Then every item above T, and those at T up to that index, are written. Each pass reads the
 * row once: 5 reads for distinct scores, up to 9 with ties.
 * Geometry: local = any size ≥ 1 (the lanes stride over the row), groups = numRows.
 */
KERNEL void topn_select(int numRows, int ni, int n, int indexBits, const GLOBAL int *rows,
                        const GLOBAL int *exPtr, const GLOBAL int *exItems, GLOBAL float *S,
                        GLOBAL int *outItems, GLOBAL float *outScores, GLOBAL int *outCount) {
    LOCAL int hist[TOPN_BINS];
    LOCAL uint st[8];
    LOCAL int slots[1];
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
    if (lid == 0) {
        st[0] = 0u;
        st[1] = 0u;
        slots[0] = 0;
    }
    SYNC_GLOBAL();
    TOPN_PASS(0, 0u, 24);
    const int count = (int) st[6];
    if (count == 0) {
        if (lid == 0) {
            outCount[b] = 0;
        }
        return;
    }
    TOPN_PASS(0, 0u, 16);
    TOPN_PASS(0, 0u, 8);
    TOPN_PASS(0, 0u, 0);
    const uint threshold = st[0];
    const int tiesWanted = (int) st[2];
    const int tiesThere = (int) st[4];
    uint lastTie = 0xffffffffu;
    if (tiesThere > tiesWanted) {
        SYNC(); /* every lane has read st before lane 0 resets it */
        if (lid == 0) {
            st[0] = 0u;
            st[1] = 0u;
            st[2] = (uint) tiesWanted;
        }
        SYNC();
        for (int shift = ((indexBits + 7) / 8 - 1) * 8; shift >= 0; shift -= 8) {
            TOPN_PASS(1, threshold, shift);
        }
        lastTie = st[0];
    }
    for (int i = lid; i < ni; i += lanes) {
        const float s = row[i];
        const uint kv = topn_key(s);
        if (kv > threshold || (kv == threshold && (uint) i <= lastTie)) {
            const int slot = atomic_inc_i(&slots[0]);
            outItems[b * n + slot] = i;
            outScores[b * n + slot] = s;
        }
    }
    if (lid == 0) {
        outCount[b] = count;
    }
}
