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
        if (k % S.length() == 0) {
            switch (k / S.length()) {
                case 1: return sgdRun1(p, po, q, k, items, values, from, to, mu, bu, bi, wi, wu, lr, lrBias, lambda, lambdaB, biases);
                case 2: return sgdRun2(p, po, q, k, items, values, from, to, mu, bu, bi, wi, wu, lr, lrBias, lambda, lambdaB, biases);
                case 4: return sgdRun4(p, po, q, k, items, values, from, to, mu, bu, bi, wi, wu, lr, lrBias, lambda, lambdaB, biases);
                case 8: return sgdRun8(p, po, q, k, items, values, from, to, mu, bu, bi, wi, wu, lr, lrBias, lambda, lambdaB, biases);
                default: break;
            }
        }
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

    /** {@link #sgdRun} for k = 1·L (L = {@link #S} lanes): p_u lives in 1 vector register(s) for the whole run. */
    private static float sgdRun1(float[] p, int po, float[] q, int k, int[] items, float[] values, int from, int to,
                                 float mu, float bu, float[] bi, float[] wi, float wu, float lr, float lrBias,
                                 float lambda, float lambdaB, boolean biases) {
        final int l = S.length();
        final float decayP = 1f - lr * lambda * wu;
        final float biasDecayU = lambdaB * wu;
        FloatVector p0 = FloatVector.fromArray(S, p, po);
        for (int n = from; n < to; n++) {
            final int i = items[n];
            final int qo = i * k;
            final FloatVector q0 = FloatVector.fromArray(S, q, qo);
            float pred = mu + p0.mul(q0).reduceLanes(VectorOperators.ADD);
            float bii = 0f;
            if (biases) {
                bii = bi[i];
                pred += bu + bii;
            }
            final float e = values[n] - pred;
            final float le = lr * e;
            final float wii = wi[i];
            final float decayQ = 1f - lr * lambda * wii;
            q0.mul(decayQ).add(p0.mul(le)).intoArray(q, qo);
            p0 = p0.mul(decayP).add(q0.mul(le));
            if (biases) {
                bu += lrBias * (e - biasDecayU * bu);
                bi[i] = bii + lrBias * (e - lambdaB * wii * bii);
            }
        }
        p0.intoArray(p, po);
        return bu;
    }

    /** {@link #sgdRun} for k = 2·L (L = {@link #S} lanes): p_u lives in 2 vector register(s) for the whole run. */
    private static float sgdRun2(float[] p, int po, float[] q, int k, int[] items, float[] values, int from, int to,
                                 float mu, float bu, float[] bi, float[] wi, float wu, float lr, float lrBias,
                                 float lambda, float lambdaB, boolean biases) {
        final int l = S.length();
        final float decayP = 1f - lr * lambda * wu;
        final float biasDecayU = lambdaB * wu;
        FloatVector p0 = FloatVector.fromArray(S, p, po);
        FloatVector p1 = FloatVector.fromArray(S, p, po + 1 * l);
        for (int n = from; n < to; n++) {
            final int i = items[n];
            final int qo = i * k;
            final FloatVector q0 = FloatVector.fromArray(S, q, qo);
            final FloatVector q1 = FloatVector.fromArray(S, q, qo + 1 * l);
            float pred = mu + p1.fma(q1, p0.mul(q0)).reduceLanes(VectorOperators.ADD);
            float bii = 0f;
            if (biases) {
                bii = bi[i];
                pred += bu + bii;
            }
            final float e = values[n] - pred;
            final float le = lr * e;
            final float wii = wi[i];
            final float decayQ = 1f - lr * lambda * wii;
            q0.mul(decayQ).add(p0.mul(le)).intoArray(q, qo);
            q1.mul(decayQ).add(p1.mul(le)).intoArray(q, qo + 1 * l);
            p0 = p0.mul(decayP).add(q0.mul(le));
            p1 = p1.mul(decayP).add(q1.mul(le));
            if (biases) {
                bu += lrBias * (e - biasDecayU * bu);
                bi[i] = bii + lrBias * (e - lambdaB * wii * bii);
            }
        }
        p0.intoArray(p, po);
        p1.intoArray(p, po + 1 * l);
        return bu;
    }

    /** {@link #sgdRun} for k = 4·L (L = {@link #S} lanes): p_u lives in 4 vector register(s) for the whole run. */
    private static float sgdRun4(float[] p, int po, float[] q, int k, int[] items, float[] values, int from, int to,
                                 float mu, float bu, float[] bi, float[] wi, float wu, float lr, float lrBias,
                                 float lambda, float lambdaB, boolean biases) {
        final int l = S.length();
        final float decayP = 1f - lr * lambda * wu;
        final float biasDecayU = lambdaB * wu;
        FloatVector p0 = FloatVector.fromArray(S, p, po);
        FloatVector p1 = FloatVector.fromArray(S, p, po + 1 * l);
        FloatVector p2 = FloatVector.fromArray(S, p, po + 2 * l);
        FloatVector p3 = FloatVector.fromArray(S, p, po + 3 * l);
        for (int n = from; n < to; n++) {
            final int i = items[n];
            final int qo = i * k;
            final FloatVector q0 = FloatVector.fromArray(S, q, qo);
            final FloatVector q1 = FloatVector.fromArray(S, q, qo + 1 * l);
            final FloatVector q2 = FloatVector.fromArray(S, q, qo + 2 * l);
            final FloatVector q3 = FloatVector.fromArray(S, q, qo + 3 * l);
            float pred = mu + p1.fma(q1, p0.mul(q0)).add(p3.fma(q3, p2.mul(q2))).reduceLanes(VectorOperators.ADD);
            float bii = 0f;
            if (biases) {
                bii = bi[i];
                pred += bu + bii;
            }
            final float e = values[n] - pred;
            final float le = lr * e;
            final float wii = wi[i];
            final float decayQ = 1f - lr * lambda * wii;
            q0.mul(decayQ).add(p0.mul(le)).intoArray(q, qo);
            q1.mul(decayQ).add(p1.mul(le)).intoArray(q, qo + 1 * l);
            q2.mul(decayQ).add(p2.mul(le)).intoArray(q, qo + 2 * l);
            q3.mul(decayQ).add(p3.mul(le)).intoArray(q, qo + 3 * l);
            p0 = p0.mul(decayP).add(q0.mul(le));
            p1 = p1.mul(decayP).add(q1.mul(le));
            p2 = p2.mul(decayP).add(q2.mul(le));
            p3 = p3.mul(decayP).add(q3.mul(le));
            if (biases) {
                bu += lrBias * (e - biasDecayU * bu);
                bi[i] = bii + lrBias * (e - lambdaB * wii * bii);
            }
        }
        p0.intoArray(p, po);
        p1.intoArray(p, po + 1 * l);
        p2.intoArray(p, po + 2 * l);
        p3.intoArray(p, po + 3 * l);
        return bu;
    }

    /** {@link #sgdRun} for k = 8·L (L = {@link #S} lanes): p_u lives in 8 vector register(s) for the whole run. */
    private static float sgdRun8(float[] p, int po, float[] q, int k, int[] items, float[] values, int from, int to,
                                 float mu, float bu, float[] bi, float[] wi, float wu, float lr, float lrBias,
                                 float lambda, float lambdaB, boolean biases) {
        final int l = S.length();
        final float decayP = 1f - lr * lambda * wu;
        final float biasDecayU = lambdaB * wu;
        FloatVector p0 = FloatVector.fromArray(S, p, po);
        FloatVector p1 = FloatVector.fromArray(S, p, po + 1 * l);
        FloatVector p2 = FloatVector.fromArray(S, p, po + 2 * l);
        FloatVector p3 = FloatVector.fromArray(S, p, po + 3 * l);
        FloatVector p4 = FloatVector.fromArray(S, p, po + 4 * l);
        FloatVector p5 = FloatVector.fromArray(S, p, po + 5 * l);
        FloatVector p6 = FloatVector.fromArray(S, p, po + 6 * l);
        FloatVector p7 = FloatVector.fromArray(S, p, po + 7 * l);
        for (int n = from; n < to; n++) {
            final int i = items[n];
            final int qo = i * k;
            final FloatVector q0 = FloatVector.fromArray(S, q, qo);
            final FloatVector q1 = FloatVector.fromArray(S, q, qo + 1 * l);
            final FloatVector q2 = FloatVector.fromArray(S, q, qo + 2 * l);
            final FloatVector q3 = FloatVector.fromArray(S, q, qo + 3 * l);
            final FloatVector q4 = FloatVector.fromArray(S, q, qo + 4 * l);
            final FloatVector q5 = FloatVector.fromArray(S, q, qo + 5 * l);
            final FloatVector q6 = FloatVector.fromArray(S, q, qo + 6 * l);
            final FloatVector q7 = FloatVector.fromArray(S, q, qo + 7 * l);
            float pred = mu + p1.fma(q1, p0.mul(q0)).add(p3.fma(q3, p2.mul(q2))).add(p5.fma(q5, p4.mul(q4)).add(p7.fma(q7, p6.mul(q6)))).reduceLanes(VectorOperators.ADD);
            float bii = 0f;
            if (biases) {
                bii = bi[i];
                pred += bu + bii;
            }
            final float e = values[n] - pred;
            final float le = lr * e;
            final float wii = wi[i];
            final float decayQ = 1f - lr * lambda * wii;
            q0.mul(decayQ).add(p0.mul(le)).intoArray(q, qo);
            q1.mul(decayQ).add(p1.mul(le)).intoArray(q, qo + 1 * l);
            q2.mul(decayQ).add(p2.mul(le)).intoArray(q, qo + 2 * l);
            q3.mul(decayQ).add(p3.mul(le)).intoArray(q, qo + 3 * l);
            q4.mul(decayQ).add(p4.mul(le)).intoArray(q, qo + 4 * l);
            q5.mul(decayQ).add(p5.mul(le)).intoArray(q, qo + 5 * l);
            q6.mul(decayQ).add(p6.mul(le)).intoArray(q, qo + 6 * l);
            q7.mul(decayQ).add(p7.mul(le)).intoArray(q, qo + 7 * l);
            p0 = p0.mul(decayP).add(q0.mul(le));
            p1 = p1.mul(decayP).add(q1.mul(le));
            p2 = p2.mul(decayP).add(q2.mul(le));
            p3 = p3.mul(decayP).add(q3.mul(le));
            p4 = p4.mul(decayP).add(q4.mul(le));
            p5 = p5.mul(decayP).add(q5.mul(le));
            p6 = p6.mul(decayP).add(q6.mul(le));
            p7 = p7.mul(decayP).add(q7.mul(le));
            if (biases) {
                bu += lrBias * (e - biasDecayU * bu);
                bi[i] = bii + lrBias * (e - lambdaB * wii * bii);
            }
        }
        p0.intoArray(p, po);
        p1.intoArray(p, po + 1 * l);
        p2.intoArray(p, po + 2 * l);
        p3.intoArray(p, po + 3 * l);
        p4.intoArray(p, po + 4 * l);
        p5.intoArray(p, po + 5 * l);
        p6.intoArray(p, po + 6 * l);
        p7.intoArray(p, po + 7 * l);
        return bu;
    }
}
