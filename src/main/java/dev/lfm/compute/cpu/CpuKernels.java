package dev.lfm.compute.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The CPU inner loops, vectorized with the Vector API (FMA at the machine's preferred width,
 * scalar tail for k not a multiple of it).
 */
final class CpuKernels {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private CpuKernels() {
    }

    /** Σ_c a[ao+c]·b[bo+c]. */
    static float dot(float[] a, int ao, float[] b, int bo, int k) {
        int c = 0;
        float s = 0f;
        int bound = S.loopBound(k);
        if (bound > 0) {
            FloatVector acc = FloatVector.zero(S);
            for (; c < bound; c += S.length()) {
                acc = FloatVector.fromArray(S, a, ao + c).fma(FloatVector.fromArray(S, b, bo + c), acc);
            }
            s = acc.reduceLanes(VectorOperators.ADD);
        }
        for (; c < k; c++) {
            s += a[ao + c] * b[bo + c];
        }
        return s;
    }

    /**
     * The SGD update of one rating (old values on the right-hand side):
     * p ← p + lr(e q − λ w_u p), q ← q + lr(e p − λ w_i q).
     */
    static void sgdUpdate(float[] p, int po, float[] q, int qo, int k, float e, float lr, float decayP, float decayQ) {
        // decayP = 1 − lr λ w_u, so p ← decayP p + lr e q (one FMA pair per lane)
        float le = lr * e;
        int c = 0;
        int bound = S.loopBound(k);
        for (; c < bound; c += S.length()) {
            FloatVector pv = FloatVector.fromArray(S, p, po + c);
            FloatVector qv = FloatVector.fromArray(S, q, qo + c);
            pv.mul(decayP).add(qv.mul(le)).intoArray(p, po + c);
            qv.mul(decayQ).add(pv.mul(le)).intoArray(q, qo + c);
        }
        for (; c < k; c++) {
            float pc = p[po + c];
            float qc = q[qo + c];
            p[po + c] = decayP * pc + le * qc;
            q[qo + c] = decayQ * qc + le * pc;
        }
    }

    /** acc[ao..ao+k) += s · x[xo..xo+k). */
    static void axpy(float[] acc, int ao, float s, float[] x, int xo, int k) {
        int c = 0;
        int bound = S.loopBound(k);
        for (; c < bound; c += S.length()) {
            FloatVector.fromArray(S, x, xo + c).fma(FloatVector.broadcast(S, s), FloatVector.fromArray(S, acc, ao + c)).intoArray(acc, ao + c);
        }
        for (; c < k; c++) {
            acc[ao + c] += s * x[xo + c];
        }
    }

    /**
     * SGD over one run: the ratings [from, to) of one user u (p_u at {@code p[po..po+k)}, bias bu),
     * in order; for each, e = r − (μ + b_u + b_i + p_u·q_i), then with old values on the right
     * p_u += lr(e q_i − λ w_u p_u), q_i += lr(e p_u − λ w_i q_i),
     * b_u += lrBias(e − λ_b w_u b_u), b_i += lrBias(e − λ_b w_i b_i) (biases only when {@code biases}).
     * Returns the new b_u (the caller stores it).
     */
    static float sgdRun(float[] p, int po, float[] q, int k, int[] items, float[] values, int from, int to,
                        float mu, float bu, float[] bi, float[] wi, float wu, float lr, float lrBias,
                        float lambda, float lambdaB, boolean biases) {
        float decayP = 1f - lr * lambda * wu;
        float biasDecayU = lambdaB * wu;
        for (int n = from; n < to; n++) {
            int i = items[n];
            int qo = i * k;
            float pred = mu + dot(p, po, q, qo, k);
            float bii = 0f;
            if (biases) {
                bii = bi[i];
                pred += bu + bii;
            }
            float e = values[n] - pred;
            sgdUpdate(p, po, q, qo, k, e, lr, decayP, 1f - lr * lambda * wi[i]);
            if (biases) {
                bu += lrBias * (e - biasDecayU * bu);
                bi[i] = bii + lrBias * (e - lambdaB * wi[i] * bii);
            }
        }
        return bu;
    }
}
