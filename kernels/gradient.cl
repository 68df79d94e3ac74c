/*
 * Batch gradients of the per-rating terms
 *   f_ui = (r − r̂)² + λ(w_u‖p_u‖² + w_i‖q_i‖²) + λ_b(w_u b_u² + w_i b_i²),  w = c/n,
 * accumulated as HALF gradients (the optimizer's lr multiplies g/2):
 *   g_p/2 += −e q_i + λ w_u p_u,  g_q/2 += −e p_u + λ w_i q_i,
 *   g_bu/2 += −e + λ_b w_u b_u,   g_bi/2 += −e + λ_b w_i b_i,
 * with e = r − r̂ precomputed by residuals / residuals_ordered.
 *
 * Scatter-add, two ways:
 *  - grad_scatter: one work-item per (rating, component), float atomic add into gP/gQ/gbu/gbi
 *    (CUDA atomicAdd; OpenCL 1.2 a compare-and-swap loop). Works for any batch of a shuffled
 *    order, and records each touched row once (an exchange on a per-row mark, then an atomic
 *    increment of the list length) so the optimizer visits only those rows.
 *  - grad_rows: one work-item per (row, component) walking the row's segment of a CSR (users) or
 *    CSC (items) index of the whole set: no atomics, deterministic, every row written (rows with
 *    no ratings get 0). Only for the full batch (a segment index per mini-batch would need a sort
 *    per step).
 *  Choice (PoCL 3.1, 2 cores, 300k ratings, 6000×4000, k = 32, one full-batch step): atomics
 *  79–127 ms, segments 14–25 ms. The host uses grad_rows for full batches and grad_scatter for
 *  mini-batches (GradientKernels.FULL_BATCH_SEGMENTS records it).
 */

/*
 * grad_scatter: for j < count, n = order[from + j], c = component:
 *   gP[u,c] += −e_j Q[i,c] + λ w_u P[u,c];  gQ[i,c] += −e_j P[u,c] + λ w_i Q[i,c]
 * and for c = 0: the bias terms (when useBias) and first-touch registration of u and i
 * (markU/markI from 0 to 1, row appended to touchedU/touchedI, lengths in touchedCount[0|1]).
 * Geometry: global ≥ count × k, 1-D.
 */
KERNEL void grad_scatter(int from, int count, const GLOBAL int *order, const GLOBAL int *users,
                         const GLOBAL int *items, const GLOBAL int *userCounts,
                         const GLOBAL int *itemCounts, const GLOBAL float *e,
                         const GLOBAL float *P, const GLOBAL float *Q, const GLOBAL float *bu,
                         const GLOBAL float *bi, int k, float lambda, float lambdaBias,
                         int weighted, int useBias, GLOBAL float *gP, GLOBAL float *gQ,
                         GLOBAL float *gbu, GLOBAL float *gbi, GLOBAL int *markU,
                         GLOBAL int *markI, GLOBAL int *touchedU, GLOBAL int *touchedI,
                         GLOBAL int *touchedCount) {
    const long gid = global_id();
    if (gid >= (long) count * k) {
        return;
    }
    const long j = gid / k;
    const int c = (int) (gid - j * k);
    const int n = order[from + j];
    const int u = users[n];
    const int i = items[n];
    const float ej = e[j];
    const float wu = rating_weight(userCounts[u], weighted);
    const float wi = rating_weight(itemCounts[i], weighted);
    const long pu = (long) u * k + c;
    const long qi = (long) i * k + c;
    const float p = P[pu];
    const float q = Q[qi];
    atomic_add_f(&gP[pu], -ej * q + lambda * wu * p);
    atomic_add_f(&gQ[qi], -ej * p + lambda * wi * q);
    if (c == 0) {
        if (useBias) {
            atomic_add_f(&gbu[u], -ej + lambdaBias * wu * bu[u]);
            atomic_add_f(&gbi[i], -ej + lambdaBias * wi * bi[i]);
        }
        if (atomic_xchg_i(&markU[u], 1) == 0) {
            touchedU[atomic_inc_i(&touchedCount[0])] = u;
        }
        if (atomic_xchg_i(&markI[i], 1) == 0) {
            touchedI[atomic_inc_i(&touchedCount[1])] = i;
        }
    }
}

/*
 * grad_rows: full-batch half gradient of one side, row r, component c, over the row's segment
 * ptr[r]..ptr[r+1) of positions (pos) into the set, e indexed by position:
 *   gF[r,c] = Σ_t (−e_t F_other[other_t, c]) + n_r λ w_r F[r,c]
 *   gb[r]   = Σ_t (−e_t) + n_r λ_b w_r b[r]          (c = 0, when useBias; else 0)
 * Every row is written (no accumulation, no atomics; rows without ratings get 0). Geometry: global ≥ rows × k, 1-D.
 */
KERNEL void grad_rows(int rows, const GLOBAL int *ptr, const GLOBAL int *pos,
                      const GLOBAL int *other, const GLOBAL float *e, const GLOBAL float *F,
                      const GLOBAL float *Fother, const GLOBAL float *b, int k, float lambda,
                      float lambdaBias, int weighted, int useBias, GLOBAL float *gF,
                      GLOBAL float *gb) {
    const long gid = global_id();
    if (gid >= (long) rows * k) {
        return;
    }
    const long r = gid / k;
    const int c = (int) (gid - r * k);
    const int start = ptr[r];
    const int end = ptr[r + 1];
    const int cnt = end - start;
    const float w = rating_weight(cnt, weighted);
    float acc = 0.0f;
    float accB = 0.0f;
    for (int t = start; t < end; t++) {
        const int n = pos[t];
        const float en = e[n];
        acc -= en * Fother[(long) other[n] * k + c];
        accB -= en;
    }
    /* rows without ratings get an exact 0 (their parameters are never read: they may be anything) */
    gF[r * k + c] = cnt == 0 ? 0.0f : acc + (float) cnt * lambda * w * F[r * k + c];
    if (c == 0) {
        gb[r] = (useBias && cnt > 0) ? accB + (float) cnt * lambdaBias * w * b[r] : 0.0f;
    }
}
