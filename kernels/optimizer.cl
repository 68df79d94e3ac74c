/*
 * Optimizer steps on the rows a batch touched (lazy state): for the j-th touched row (j below
 * touchedCount[slot]) and component c, with h = g/2 the accumulated half gradient:
 *   opt_plain:    θ ← θ − lr·h
 *   opt_momentum: v ← β v + h;  θ ← θ − lr·v
 *   opt_nesterov: v ← β v + h;  θ ← θ − lr·(h + β v)
 *   opt_adam:     m ← β1 m + (1−β1) h;  v ← β2 v + (1−β2) h²;
 *                 θ ← θ − lr·(m/c1)/(√(v/c2) + ε),  c1 = 1−β1^t, c2 = 1−β2^t (from the host)
 * The same rule with lrBias updates the row's bias (component 0, when useBias). Every kernel
 * then clears h (and the bias's h) and the row's mark, restoring the zero accumulators.
 * Learning-rate schedules are the host's: it passes the step's lr.
 * Geometry: global ≥ bound × k where bound ≥ the touched count (min(batch, rows)), 1-D.
 */

#define TOUCHED_ROW()                                        \
    const long gid = global_id();                            \
    const long j = gid / k;                                  \
    if (gid >= (long) bound * k || j >= touchedCount[slot]) { \
        return;                                              \
    }                                                        \
    const int c = (int) (gid - j * k);                       \
    const int row = touched[j];                              \
    const long x = (long) row * k + c;

KERNEL void opt_plain(int bound, const GLOBAL int *touched, const GLOBAL int *touchedCount,
                      int slot, int k, float lr, float lrBias, int useBias, GLOBAL float *theta,
                      GLOBAL float *g, GLOBAL float *thetaB, GLOBAL float *gB, GLOBAL int *mark) {
    TOUCHED_ROW()
    theta[x] -= lr * g[x];
    g[x] = 0.0f;
    if (c == 0) {
        if (useBias) {
            thetaB[row] -= lrBias * gB[row];
        }
        gB[row] = 0.0f;
        mark[row] = 0;
    }
}

KERNEL void opt_momentum(int bound, const GLOBAL int *touched, const GLOBAL int *touchedCount,
                         int slot, int k, float lr, float lrBias, int useBias, float beta,
                         GLOBAL float *theta, GLOBAL float *g, GLOBAL float *v,
                         GLOBAL float *thetaB, GLOBAL float *gB, GLOBAL float *vB,
                         GLOBAL int *mark) {
    TOUCHED_ROW()
    v[x] = beta * v[x] + g[x];
    theta[x] -= lr * v[x];
    g[x] = 0.0f;
    if (c == 0) {
        if (useBias) {
            vB[row] = beta * vB[row] + gB[row];
            thetaB[row] -= lrBias * vB[row];
        }
        gB[row] = 0.0f;
        mark[row] = 0;
    }
}

KERNEL void opt_nesterov(int bound, const GLOBAL int *touched, const GLOBAL int *touchedCount,
                         int slot, int k, float lr, float lrBias, int useBias, float beta,
                         GLOBAL float *theta, GLOBAL float *g, GLOBAL float *v,
                         GLOBAL float *thetaB, GLOBAL float *gB, GLOBAL float *vB,
                         GLOBAL int *mark) {
    TOUCHED_ROW()
    v[x] = beta * v[x] + g[x];
    theta[x] -= lr * (g[x] + beta * v[x]);
    g[x] = 0.0f;
    if (c == 0) {
        if (useBias) {
            vB[row] = beta * vB[row] + gB[row];
            thetaB[row] -= lrBias * (gB[row] + beta * vB[row]);
        }
        gB[row] = 0.0f;
        mark[row] = 0;
    }
}

DEVICE float adam_delta(float h, GLOBAL float *m, GLOBAL float *v, long x, float beta1,
                        float beta2, float eps, float c1, float c2) {
    m[x] = beta1 * m[x] + (1.0f - beta1) * h;
    v[x] = beta2 * v[x] + (1.0f - beta2) * h * h;
    return (m[x] / c1) / (sqrt(v[x] / c2) + eps);
}

KERNEL void opt_adam(int bound, const GLOBAL int *touched, const GLOBAL int *touchedCount,
                     int slot, int k, float lr, float lrBias, int useBias, float beta1,
                     float beta2, float eps, float c1, float c2, GLOBAL float *theta,
                     GLOBAL float *g, GLOBAL float *m, GLOBAL float *v, GLOBAL float *thetaB,
                     GLOBAL float *gB, GLOBAL float *mB, GLOBAL float *vB, GLOBAL int *mark) {
    TOUCHED_ROW()
    theta[x] -= lr * adam_delta(g[x], m, v, x, beta1, beta2, eps, c1, c2);
    g[x] = 0.0f;
    if (c == 0) {
        if (useBias) {
            thetaB[row] -= lrBias * adam_delta(gB[row], mB, vB, row, beta1, beta2, eps, c1, c2);
        }
        gB[row] = 0.0f;
        mark[row] = 0;
    }
}
