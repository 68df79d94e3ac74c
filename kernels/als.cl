/*
 * ALS half-sweep: with the other side fixed, every row x of one side (user u, say) is set to the
 * exact minimizer of L restricted to it, the solution of the (d×d, d = k+1 with biases, else k)
 * normal equations
 *
 *   A x = rhs,   A = Σ_i z_i z_iᵀ + D,   rhs = Σ_i (r_ui − μ − b_i) z_i,
 *   z_i = [q_i; 1], x = [p_u; b_u],  D = diag(λc, …, λc, λ_b c),  c = 1 (uniform) or n_u (weighted)
 *
 * (without biases z_i = q_i, x = p_u, target r_ui − μ). Rows without ratings become zero.
 * The sum runs over the row's segment of the CSR (users) / CSC (items) index of the set:
 * positions pos[ptr[r]..ptr[r+1]) into the COO arrays.
 *
 * Design: one work-group per row; its lanes cooperate on every stage.
 *  1. Gram build: the ratings' z vectors are staged in local memory in tiles of T rows; each lane
 *     owns entries of A's lower triangle (packed index e → (r, s), advanced incrementally by the
 *     lane stride) and adds Σ_tile z_r z_s, summed in float over the tile and added to A in
 *     als_real. Lanes j < d do the same for rhs.
 *  2. Factorization A = L D Lᵀ (L unit lower; Cholesky without square roots), right-looking:
 *     for column j, pivot p_j = A_jj, then A_rs −= A_rj A_sj / p_j on the trailing lower
 *     triangle (lanes share its entries); one barrier per column. A holds L·D below the
 *     diagonal. An undetermined direction (pivot ≤ 1e-5 of its diagonal) gets x_j = 0
 *     (see als_inverse_pivot; the CPU's double solve gets ≈ 0 there by its own rule).
 *  3. Solve: forward L w = rhs (column-oriented, one barrier per column), w /= p, backward
 *     Lᵀ x = w (column-oriented on Lᵀ, reading rows of A).
 *
 * Two entry points, differing only in where A lives:
 *  - als_solve_local  (d ≤ ALS_LOCAL_MAX_D = 65, i.e. k ≤ 64 with biases): A in local/shared
 *    memory (65² doubles = 33 KiB; with the tiles 44 KiB, inside CUDA's 48 KiB static limit).
 *  - als_solve_global (d ≤ ALS_GLOBAL_MAX_D = 513): A in a global scratch slab per work-group
 *    (d² als_real each; the host launches the rows in batches of as many groups as it has slabs);
 *    the tiles, rhs and pivots stay in local memory. Same algorithm, same results; on GPUs the
 *    slab of a running group stays in L2/L1.
 *
 * Precision: als_real is double on CUDA and on OpenCL devices with cl_khr_fp64 (PoCL has it),
 * float otherwise (als_real_bytes reports which). Products and tile sums are float (T ≤ 32 terms),
 * the accumulation across tiles, the factorization and the solve are als_real, so the result
 * matches the CPU's double-precision solve to float rounding of the inputs and outputs.
 */

#ifdef __CUDACC__
typedef double als_real;
#elif defined(cl_khr_fp64)
#pragma OPENCL EXTENSION cl_khr_fp64 : enable
typedef double als_real;
#else
typedef float als_real;
#endif

#define ALS_LOCAL_MAX_D 65
#define ALS_GLOBAL_MAX_D 513
/* Ratings per tile (at most), and the tile's float capacity per entry point. */
#define ALS_TILE_ROWS 32
#define ALS_LOCAL_TILE (ALS_TILE_ROWS * ALS_LOCAL_MAX_D)
#define ALS_GLOBAL_TILE 4096

/* (r, s) of packed lower-triangle index e = r(r+1)/2 + s. */
DEVICE void tri_index(int e, int *r, int *s) {
    int rr = (int) ((sqrt(8.0f * (float) e + 1.0f) - 1.0f) * 0.5f);
    while ((rr + 1) * (rr + 2) / 2 <= e) {
        rr++;
    }
    while (rr * (rr + 1) / 2 > e) {
        rr--;
    }
    *r = rr;
    *s = e - rr * (rr + 1) / 2;
}

/* Moves (r, s) forward by step entries in the packed lower triangle. */
DEVICE void tri_advance(int step, int *r, int *s) {
    int rr = *r;
    int ss = *s + step;
    while (ss > rr) {
        ss -= rr + 1;
        rr++;
    }
    *r = rr;
    *s = ss;
}

/*
 * 1/p_j, or 0 for a direction A does not determine: a pivot at or below ALS_PIVOT_REL times the
 * column's diagonal before elimination (λ = 0 and fewer ratings than d). The float tile sums leave
 * such a pivot at ~1e-7 of the diagonal instead of ~1e-16, so the CPU solver's absolute test
 * (p ≤ 1e-12 → p + 1e-9) would divide noise by noise here; 0 gives the component 0, which is what
 * the CPU's rule gives in effect (noise/1e-9 ≈ 0). Regularized systems never reach the threshold
 * unless λc is below 1e-5 of the diagonal.
 */
#define ALS_PIVOT_REL 1e-5
DEVICE als_real als_inverse_pivot(als_real p, als_real diag) {
    return p > (als_real) ALS_PIVOT_REL * diag && p > (als_real) 0 ? (als_real) 1 / p : (als_real) 0;
}

/*
 * ALS_ROW_SOLVER(MS, NAME) defines NAME: build, factor and solve one row's system with A (d×d,
 * row-major, lower triangle used) in address space MS; leaves x in rhs. Every lane of the group
 * must call it (it has barriers). ip receives 1/p_j, dg the diagonal before elimination.
 * zt/yt: the tile of z vectors and targets.
 * Written as a macro because OpenCL 1.2 has no generic address space.
 */
#define ALS_ROW_SOLVER(MS, NAME)                                                                   \
DEVICE void NAME(MS als_real *A, LOCAL_PTR als_real *rhs, LOCAL_PTR als_real *ip,                  \
                 LOCAL_PTR als_real *dg,                                                           \
                 LOCAL_PTR float *zt, LOCAL_PTR float *yt, int tileRows, int start, int end,       \
                 const GLOBAL int *pos, const GLOBAL int *other, const GLOBAL float *values,       \
                 const GLOBAL float *Fother, const GLOBAL float *bother, float mu, int k, int d,    \
                 float diagF, float diagB, int useBias) {                                          \
    const int lid = local_id();                                                                    \
    const int wg = local_size();                                                                   \
    const int tri = d * (d + 1) / 2;                                                               \
    int r;                                                                                         \
    int s;                                                                                         \
    for (int e = lid; e < d * d; e += wg) {                                                        \
        A[e] = (als_real) 0;                                                                       \
    }                                                                                              \
    for (int j = lid; j < d; j += wg) {                                                            \
        rhs[j] = (als_real) 0;                                                                     \
    }                                                                                              \
    SYNC();                                                                                        \
    /* 1. Gram matrix and right-hand side, tile by tile */                                         \
    for (int t0 = start; t0 < end; t0 += tileRows) {                                               \
        const int nt = min(tileRows, end - t0);                                                    \
        for (int e = lid; e < nt * d; e += wg) {                                                   \
            const int t = e / d;                                                                   \
            const int c = e - t * d;                                                               \
            const int o = other[pos[t0 + t]];                                                      \
            zt[e] = c < k ? Fother[(long) o * k + c] : 1.0f;                                       \
        }                                                                                          \
        for (int t = lid; t < nt; t += wg) {                                                       \
            const int n = pos[t0 + t];                                                             \
            float v = values[n] - mu;                                                              \
            if (useBias) {                                                                         \
                v -= bother[other[n]];                                                             \
            }                                                                                      \
            yt[t] = v;                                                                             \
        }                                                                                          \
        SYNC();                                                                                    \
        tri_index(lid, &r, &s);                                                                    \
        for (int e = lid; e < tri; e += wg) {                                                      \
            float acc = 0.0f;                                                                      \
            for (int t = 0; t < nt; t++) {                                                         \
                acc += zt[t * d + r] * zt[t * d + s];                                              \
            }                                                                                      \
            A[r * d + s] += (als_real) acc;                                                        \
            tri_advance(wg, &r, &s);                                                               \
        }                                                                                          \
        for (int j = lid; j < d; j += wg) {                                                        \
            float acc = 0.0f;                                                                      \
            for (int t = 0; t < nt; t++) {                                                         \
                acc += yt[t] * zt[t * d + j];                                                      \
            }                                                                                      \
            rhs[j] += (als_real) acc;                                                              \
        }                                                                                          \
        SYNC();                                                                                    \
    }                                                                                              \
    for (int j = lid; j < d; j += wg) {                                                            \
        A[j * d + j] += (als_real) (j < k ? diagF : diagB);                                        \
        dg[j] = A[j * d + j];                                                                      \
    }                                                                                              \
    SYNC();                                                                                        \
    /* 2. A = L D Lᵀ, right-looking, one barrier per column */                                     \
    for (int j = 0; j < d; j++) {                                                                  \
        const als_real inv = als_inverse_pivot(A[j * d + j], dg[j]);                               \
        if (lid == 0) {                                                                            \
            ip[j] = inv;                                                                           \
        }                                                                                          \
        const int m = d - j - 1;                                                                   \
        const int mt = m * (m + 1) / 2;                                                            \
        const int j1 = j + 1;                                                                      \
        tri_index(lid, &r, &s);                                                                    \
        for (int e = lid; e < mt; e += wg) {                                                       \
            const int R = j1 + r;                                                                  \
            const int S = j1 + s;                                                                  \
            A[R * d + S] -= A[R * d + j] * A[S * d + j] * inv;                                     \
            tri_advance(wg, &r, &s);                                                               \
        }                                                                                          \
        SYNC();                                                                                    \
    }                                                                                              \
    /* 3. forward L w = rhs with L_rj = A_rj / p_j */                                              \
    for (int j = 0; j < d - 1; j++) {                                                              \
        const als_real wj = rhs[j] * ip[j];                                                        \
        for (int i = j + 1 + lid; i < d; i += wg) {                                                \
            rhs[i] -= A[i * d + j] * wj;                                                           \
        }                                                                                          \
        SYNC();                                                                                    \
    }                                                                                              \
    for (int j = lid; j < d; j += wg) {                                                            \
        rhs[j] *= ip[j];                                                                           \
    }                                                                                              \
    SYNC();                                                                                        \
    /* backward Lᵀ x = w: x_j final once every i > j is done; w_i −= L_ji x_j for i < j */         \
    for (int j = d - 1; j > 0; j--) {                                                              \
        const als_real xj = rhs[j];                                                                \
        for (int i = lid; i < j; i += wg) {                                                        \
            rhs[i] -= A[j * d + i] * ip[i] * xj;                                                   \
        }                                                                                          \
        SYNC();                                                                                    \
    }                                                                                              \
}

ALS_ROW_SOLVER(LOCAL_PTR, als_row_in_local)
ALS_ROW_SOLVER(GLOBAL, als_row_in_global)

/* Writes the solution (or zeros for a row without ratings) to F[row] and b[row]. */
DEVICE void als_store(const LOCAL_PTR als_real *x, int empty, long row, int k, int useBias,
                      GLOBAL float *F, GLOBAL float *b) {
    const int lid = local_id();
    for (int j = lid; j < k; j += local_size()) {
        F[row * k + j] = empty ? 0.0f : (float) x[j];
    }
    if (lid == 0 && (useBias || empty)) {
        b[row] = empty ? 0.0f : (float) x[k];
    }
}

/*
 * als_solve_local: rows firstRow + group, one work-group per row, A in local memory
 * (d = k + useBias ≤ ALS_LOCAL_MAX_D). For row r with n_r = ptr[r+1] − ptr[r] ratings:
 *   (Σ z zᵀ + diag(λc, …, λc, λ_b c)) x = Σ (r − μ − b_other) z,  c = n_r (weighted) or 1;
 *   F[r] = x[0..k), b[r] = x[k] (with biases); n_r = 0 → F[r] = 0, b[r] = 0.
 * Geometry: global = groups × local, any local size (lanes stride every loop).
 */
KERNEL void als_solve_local(int firstRow, int rows, const GLOBAL int *ptr, const GLOBAL int *pos,
                            const GLOBAL int *other, const GLOBAL float *values,
                            const GLOBAL float *Fother, const GLOBAL float *bother, float mu, int k,
                            float lambda, float lambdaBias, int weighted, int useBias,
                            GLOBAL float *F, GLOBAL float *b) {
    LOCAL als_real A[ALS_LOCAL_MAX_D * ALS_LOCAL_MAX_D];
    LOCAL als_real rhs[ALS_LOCAL_MAX_D];
    LOCAL als_real ip[ALS_LOCAL_MAX_D];
    LOCAL als_real dg[ALS_LOCAL_MAX_D];
    LOCAL float zt[ALS_LOCAL_TILE];
    LOCAL float yt[ALS_TILE_ROWS];
    const long row = firstRow + group_id();
    if (row >= rows) {
        return;
    }
    const int start = ptr[row];
    const int end = ptr[row + 1];
    const int d = useBias ? k + 1 : k;
    if (start < end) {
        const float c = row_coefficient(end - start, weighted);
        als_row_in_local(A, rhs, ip, dg, zt, yt, min(ALS_TILE_ROWS, ALS_LOCAL_TILE / d), start, end, pos, other,
                         values, Fother, bother, mu, k, d, lambda * c, lambdaBias * c, useBias);
    }
    als_store(rhs, start == end, row, k, useBias, F, b);
}

/*
 * als_solve_global: as als_solve_local, with A in scratch + group × d² (als_real), so
 * d ≤ ALS_GLOBAL_MAX_D. The host launches at most (scratch slabs) groups per call and advances
 * firstRow; the in-order queue makes slab reuse across calls safe.
 * Geometry: global = groups × local, any local size.
 */
KERNEL void als_solve_global(int firstRow, int rows, const GLOBAL int *ptr, const GLOBAL int *pos,
                             const GLOBAL int *other, const GLOBAL float *values,
                             const GLOBAL float *Fother, const GLOBAL float *bother, float mu, int k,
                             float lambda, float lambdaBias, int weighted, int useBias,
                             GLOBAL float *F, GLOBAL float *b, GLOBAL als_real *scratch) {
    LOCAL als_real rhs[ALS_GLOBAL_MAX_D];
    LOCAL als_real ip[ALS_GLOBAL_MAX_D];
    LOCAL als_real dg[ALS_GLOBAL_MAX_D];
    LOCAL float zt[ALS_GLOBAL_TILE];
    LOCAL float yt[ALS_TILE_ROWS];
    const long row = firstRow + group_id();
    if (row >= rows) {
        return;
    }
    const int start = ptr[row];
    const int end = ptr[row + 1];
    const int d = useBias ? k + 1 : k;
    if (start < end) {
        const float c = row_coefficient(end - start, weighted);
        GLOBAL als_real *A = scratch + group_id() * (long) d * d;
        als_row_in_global(A, rhs, ip, dg, zt, yt, min(ALS_TILE_ROWS, ALS_GLOBAL_TILE / d), start, end, pos, other,
                          values, Fother, bother, mu, k, d, lambda * c, lambdaBias * c, useBias);
    }
    als_store(rhs, start == end, row, k, useBias, F, b);
}

/* als_real_bytes: out[0] = sizeof(als_real) (8: double, 4: float), so the host sizes the slabs. */
KERNEL void als_real_bytes(GLOBAL int *out) {
    if (global_id() == 0) {
        out[0] = (int) sizeof(als_real);
    }
}
