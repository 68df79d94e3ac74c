package dev.lfm.compute.cpu;

import dev.lfm.compute.Optimizer;
import dev.lfm.compute.OptimizerStep;
import dev.lfm.model.FactorModel;

/**
 * The optimizer rules of {@link OptimizerStep} on the CPU (the counterpart of
 * {@code gpu/OptimizerKernels}), applied to the rows a batch touched and owning their state:
 * first moment / velocity (m1) and second moment (m2) per parameter, allocated on first use.
 * Each thread updates the rows it owned while accumulating, so no two threads share a row.
 */
final class CpuOptimizers {
    private final Parallel parallel;
    private float[] mP;
    private float[] mQ;
    private float[] mBu;
    private float[] mBi;
    private float[] vP;
    private float[] vQ;
    private float[] vBu;
    private float[] vBi;

    CpuOptimizers(Parallel parallel) {
        this.parallel = parallel;
    }

    /** Zeroes the state for a model of the same shape, else drops it. */
    void reset(boolean sameShape) {
        if (sameShape) {
            CpuKernels.zero(mP, mQ, mBu, mBi, vP, vQ, vBu, vBi);
        } else {
            mP = mQ = mBu = mBi = vP = vQ = vBu = vBi = null;
        }
    }

    private void ensureState(FactorModel m, Optimizer kind) {
        if (kind != Optimizer.SGD && mP == null) {
            mP = new float[m.p.length];
            mQ = new float[m.q.length];
            mBu = new float[m.numUsers];
            mBi = new float[m.numItems];
        }
        if (kind == Optimizer.ADAM && vP == null) {
            vP = new float[m.p.length];
            vQ = new float[m.q.length];
            vBu = new float[m.numUsers];
            vBi = new float[m.numItems];
        }
    }

    /** Applies {@code step} to the touched rows with the accumulated half gradients of {@code g}, clearing them. */
    void step(FactorModel m, CpuGradients g, CpuGradients.Touched touched, boolean biases, OptimizerStep step) {
        if (!step.kind().batch()) {
            throw new IllegalArgumentException(step.kind().label() + " has no batch-step rule (per-rating SGD only)");
        }
        ensureState(m, step.kind());
        int k = m.rank;
        parallel.forThreads(touched.threads(), th -> {
            for (int u : touched.users()[th]) {
                applyRow(step, step.lr(), m.p, g.gP, mP, vP, u * k, k);
                if (biases) {
                    applyRow(step, step.lrBias(), m.userBias, g.gBu, mBu, vBu, u, 1);
                }
                g.gBu[u] = 0;
            }
            for (int i : touched.items()[th]) {
                applyRow(step, step.lr(), m.q, g.gQ, mQ, vQ, i * k, k);
                if (biases) {
                    applyRow(step, step.lrBias(), m.itemBias, g.gBi, mBi, vBi, i, 1);
                }
                g.gBi[i] = 0;
            }
        });
    }

    /** Applies the optimizer to θ[o..o+len) with half gradient h = g[o..o+len), then clears g there. */
    private static void applyRow(OptimizerStep s, float lr, float[] theta, float[] g, float[] m1, float[] m2,
                                 int o, int len) {
        switch (s.kind()) {
            case SGD -> {
                for (int c = o; c < o + len; c++) {
                    theta[c] -= lr * g[c];
                    g[c] = 0;
                }
            }
            case MOMENTUM -> {
                float beta = s.momentum();
                for (int c = o; c < o + len; c++) {
                    m1[c] = beta * m1[c] + g[c];
                    theta[c] -= lr * m1[c];
                    g[c] = 0;
                }
            }
            case NESTEROV -> {
                float beta = s.momentum();
                for (int c = o; c < o + len; c++) {
                    m1[c] = beta * m1[c] + g[c];
                    theta[c] -= lr * (g[c] + beta * m1[c]);
                    g[c] = 0;
                }
            }
            case ADAM -> {
                float b1 = s.beta1();
                float b2 = s.beta2();
                float c1 = (float) (1 - Math.pow(b1, s.t()));
                float c2 = (float) (1 - Math.pow(b2, s.t()));
                for (int c = o; c < o + len; c++) {
                    float h = g[c];
                    m1[c] = b1 * m1[c] + (1 - b1) * h;
                    m2[c] = b2 * m2[c] + (1 - b2) * h * h;
                    theta[c] -= lr * (m1[c] / c1) / ((float) Math.sqrt(m2[c] / c2) + s.epsilon());
                    g[c] = 0;
                }
            }
            default -> throw new IllegalArgumentException(s.kind().label() + " has no batch-step rule");
        }
    }
}
