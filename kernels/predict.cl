/*
 * Residual kernels: e = r − r̂, r̂ = μ + b_u + b_i + p_u·q_i (unclipped), one work-item per
 * rating (the dot product is a serial loop over k: k is small next to the rating count).
 */

/*
 * residuals: e[n] = r_n − r̂(u_n, i_n) for every rating n < count of a set, in the set's order.
 * Geometry: global ≥ count (rounded up to the work-group size), 1-D.
 */
KERNEL void residuals(int count, const GLOBAL int *users, const GLOBAL int *items,
                      const GLOBAL float *values, const GLOBAL float *P, const GLOBAL float *Q,
                      const GLOBAL float *bu, const GLOBAL float *bi, float mu, int k, int useBias,
                      GLOBAL float *e) {
    const long n = global_id();
    if (n >= count) {
        return;
    }
    e[n] = values[n] - predict_one(P, Q, bu, bi, mu, users[n], items[n], k, useBias);
}

/*
 * residuals_ordered: e[j] = r_n − r̂ for n = order[from + j], j < count (a batch drawn from a
 * permutation of the set). Geometry: global ≥ count, 1-D.
 */
KERNEL void residuals_ordered(int from, int count, const GLOBAL int *order,
                              const GLOBAL int *users, const GLOBAL int *items,
                              const GLOBAL float *values, const GLOBAL float *P,
                              const GLOBAL float *Q, const GLOBAL float *bu, const GLOBAL float *bi,
                              float mu, int k, int useBias, GLOBAL float *e) {
    const long j = global_id();
    if (j >= count) {
        return;
    }
    const int n = order[from + j];
    e[j] = values[n] - predict_one(P, Q, bu, bi, mu, users[n], items[n], k, useBias);
}
