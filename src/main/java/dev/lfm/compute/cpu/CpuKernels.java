package dev.lfm.compute.cpu;

import dev.lfm.model.FactorModel;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The CPU inner loops, vectorized with the Vector API (FMA at the machine's preferred width L; for
 * k ≥ L not a multiple of L an overlapping last vector instead of a scalar tail). The per-pair
 * SGD and AdaGrad kernels for 4 ≤ k ≤ 4·L are in {@link CpuSgdKernels}.
 */
final class CpuKernels {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private CpuKernels() {
    }

    /** r̂(u, i) = μ + p_u·q_i (+ b_u + b_i when the model has biases), unclipped. */
    static float predict(FactorModel m, int u, int i) {
        int k = m.rank;
        float s = m.mu + dot(m.p, u * k, m.q, i * k, k);
        if (m.biases) {
            s += m.userBias[u] + m.itemBias[i];
        }
        return s;
    }

    /** Fills every non-null array with 0. */
    static void zero(float[]... arrays) {
        for (float[] a : arrays) {
            if (a != null) {
                Arrays.fill(a, 0f);
            }
        }
    }

    /**
     * Σ_c a[ao+c]·b[bo+c]. k ≥ L: whole vectors, and for k not a multiple of L one more vector at
     * k − L whose lanes overlapping the last whole vector are weighted 0 (no scalar tail); k &lt; L:
     * scalar.
     */
    static float dot(float[] a, int ao, float[] b, int bo, int k) {
        final int l = S.length();
        if (k < l) {
            float s = 0f;
            for (int c = 0; c < k; c++) {
                s += a[ao + c] * b[bo + c];
            }
            return s;
        }
        int bound = S.loopBound(k);
        FloatVector acc = FloatVector.zero(S);
        for (int c = 0; c < bound; c += l) {
            acc = FloatVector.fromArray(S, a, ao + c).fma(FloatVector.fromArray(S, b, bo + c), acc);
        }
        if (bound < k) {
            int o = k - l;
            FloatVector w = tailWeight(k - bound);
            acc = FloatVector.fromArray(S, a, ao + o).fma(FloatVector.fromArray(S, b, bo + o).mul(w), acc);
        }
        return CpuSgdKernels.sumSF(acc);
    }

    /** 1 on the last {@code live} lanes of {@link #S}, 0 before (the tail vector at k − L). */
    private static FloatVector tailWeight(int live) {
        return FloatVector.fromArray(S, CpuSgdKernels.TAIL_WEIGHTS, CpuSgdKernels.MAX_LANES - (S.length() - live));
    }

    /**
     * The SGD update of one rating (old values on the right-hand side):
     * p ← p + lr(e q − λ w_u p), q ← q + lr(e p − λ w_i q). For k not a multiple of L the tail
     * vector at k − L is loaded before any store, so its lanes that overlap the last whole vector
     * are computed from the same old values and stored twice with the same result.
     */
    static void sgdUpdate(float[] p, int po, float[] q, int qo, int k, float e, float lr, float decayP, float decayQ) {
        // decayP = 1 − lr λ w_u, so p ← decayP p + lr e q (one FMA pair per lane)
        float le = lr * e;
        final int l = S.length();
        if (k < l) {
            for (int c = 0; c < k; c++) {
                float pc = p[po + c];
                float qc = q[qo + c];
                p[po + c] = decayP * pc + le * qc;
                q[qo + c] = decayQ * qc + le * pc;
            }
            return;
        }
        int bound = S.loopBound(k);
        if (bound < k) {
            int o = k - l;
            FloatVector pt = FloatVector.fromArray(S, p, po + o);
            FloatVector qt = FloatVector.fromArray(S, q, qo + o);
            sgdUpdateWhole(p, po, q, qo, bound, le, decayP, decayQ);
            pt.mul(decayP).add(qt.mul(le)).intoArray(p, po + o);
            qt.mul(decayQ).add(pt.mul(le)).intoArray(q, qo + o);
        } else {
            sgdUpdateWhole(p, po, q, qo, bound, le, decayP, decayQ);
        }
    }

    private static void sgdUpdateWhole(float[] p, int po, float[] q, int qo, int bound, float le, float decayP,
                                       float decayQ) {
        for (int c = 0; c < bound; c += S.length()) {
            FloatVector pv = FloatVector.fromArray(S, p, po + c);
            FloatVector qv = FloatVector.fromArray(S, q, qo + c);
            pv.mul(decayP).add(qv.mul(le)).intoArray(p, po + c);
            qv.mul(decayQ).add(pv.mul(le)).intoArray(q, qo + c);
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
     * One SGD update (old values on the right): e = r − (μ + b_u + b_i + p_u·q_i),
     * p_u += lr(e q_i − λ w_u p_u), q_i += lr(e p_u − λ w_i q_i),
     * b_u += lrBias(e − λ_b w_u b_u), b_i += lrBias(e − λ_b w_i b_i) (biases only when {@code biases}).
     * Returns e².
     */
    static float sgdOne(float[] p, float[] q, int k, int u, int i, float r, float mu, float[] bu, float[] bi,
                        float[] wu, float[] wi, float lr, float lrBias, float lambda, float lambdaB, boolean biases) {
        int po = u * k;
        int qo = i * k;
        float bui = biases ? bu[u] : 0f;
        float bii = biases ? bi[i] : 0f;
        float e = (r - mu - bui - bii) - dot(p, po, q, qo, k);
        sgdUpdate(p, po, q, qo, k, e, lr, 1f - lr * lambda * wu[u], 1f - lr * lambda * wi[i]);
        if (biases) {
            bu[u] = bui + lrBias * (e - lambdaB * wu[u] * bui);
            bi[i] = bii + lrBias * (e - lambdaB * wi[i] * bii);
        }
        return e * e;
    }

    /**
     * One AdaGrad-scheduled SGD update ({@link dev.lfm.compute.OptimizerStep}'s ADAGRAD; old
     * values on the right): e = r − (μ + b_u + b_i + p_u·q_i), with −h_p = e q_i − λ w_u p_u and
     * −h_q = e p_u − λ w_i q_i, p_u += (lr/√G_u)(−h_p), q_i += (lr/√G_i)(−h_q), then
     * G_u += ‖h_p‖²/k, G_i += ‖h_q‖²/k; biases likewise with their own H:
     * b_u += (lrBias/√H_u)(e − λ_b w_u b_u), H_u += (e − λ_b w_u b_u)². gu/gi hold (G, H) per
     * row at [2·row], [2·row + 1]. Tail as {@link #sgdUpdate}'s. Returns e².
     */
    static float adagradOne(float[] p, float[] q, int k, int u, int i, float r, float mu, float[] bu, float[] bi,
                            float[] wu, float[] wi, float lr, float lrBias, float lambda, float lambdaB,
                            boolean biases, float[] gu, float[] gi) {
        int po = u * k;
        int qo = i * k;
        float bui = biases ? bu[u] : 0f;
        float bii = biases ? bi[i] : 0f;
        float etaP = lr / (float) Math.sqrt(gu[2 * u]);
        float etaQ = lr / (float) Math.sqrt(gi[2 * i]);
        float lwu = lambda * wu[u];
        float lwi = lambda * wi[i];
        // p·q, ‖p‖², ‖q‖² in one pass (three independent chains); ‖h_p‖² and ‖h_q‖² follow from them
        // as in CpuSgdKernels' register kernels, so the update pass accumulates nothing
        float d = 0f;
        float pp = 0f;
        float qq = 0f;
        final int l = S.length();
        if (k < l) {
            for (int c = 0; c < k; c++) {
                float pc = p[po + c];
                float qc = q[qo + c];
                d += pc * qc;
                pp += pc * pc;
                qq += qc * qc;
            }
        } else {
            int bound = S.loopBound(k);
            FloatVector accD = FloatVector.zero(S);
            FloatVector accP = FloatVector.zero(S);
            FloatVector accQ = FloatVector.zero(S);
            for (int c = 0; c < bound; c += l) {
                FloatVector pv = FloatVector.fromArray(S, p, po + c);
                FloatVector qv = FloatVector.fromArray(S, q, qo + c);
                accD = pv.fma(qv, accD);
                accP = pv.fma(pv, accP);
                accQ = qv.fma(qv, accQ);
            }
            if (bound < k) {
                int o = k - l;
                FloatVector w = tailWeight(k - bound);
                FloatVector pt = FloatVector.fromArray(S, p, po + o);
                FloatVector qt = FloatVector.fromArray(S, q, qo + o);
                FloatVector qw = qt.mul(w);
                accD = pt.fma(qw, accD);
                accP = pt.fma(pt.mul(w), accP);
                accQ = qt.fma(qw, accQ);
            }
            d = CpuSgdKernels.sumSF(accD);
            pp = CpuSgdKernels.sumSF(accP);
            qq = CpuSgdKernels.sumSF(accQ);
        }
        float e = (r - mu - bui - bii) - d;
        if (k < l) {
            for (int c = 0; c < k; c++) {
                float pc = p[po + c];
                float qc = q[qo + c];
                p[po + c] = pc + etaP * (e * qc - lwu * pc);
                q[qo + c] = qc + etaQ * (e * pc - lwi * qc);
            }
        } else {
            int bound = S.loopBound(k);
            int o = k - l;
            FloatVector pt = FloatVector.fromArray(S, p, po + o);
            FloatVector qt = FloatVector.fromArray(S, q, qo + o);
            FloatVector ve = FloatVector.broadcast(S, e);
            FloatVector vEtaP = FloatVector.broadcast(S, etaP);
            FloatVector vEtaQ = FloatVector.broadcast(S, etaQ);
            for (int c = 0; c < bound; c += l) {
                FloatVector pv = FloatVector.fromArray(S, p, po + c);
                FloatVector qv = FloatVector.fromArray(S, q, qo + c);
                qv.fma(ve, pv.mul(-lwu)).fma(vEtaP, pv).intoArray(p, po + c);
                pv.fma(ve, qv.mul(-lwi)).fma(vEtaQ, qv).intoArray(q, qo + c);
            }
            if (bound < k) {
                qt.fma(ve, pt.mul(-lwu)).fma(vEtaP, pt).intoArray(p, po + o);
                pt.fma(ve, qt.mul(-lwi)).fma(vEtaQ, qt).intoArray(q, qo + o);
            }
        }
        // ‖e q − λw_u p‖² = e²‖q‖² − 2eλw_u(p·q) + λ²w_u²‖p‖² (old p and q), and alike for h_q
        float sp = Math.max(0f, Math.fma(Math.fma(e, qq, -2f * lwu * d), e, lwu * lwu * pp));
        float sq = Math.max(0f, Math.fma(Math.fma(e, pp, -2f * lwi * d), e, lwi * lwi * qq));
        gu[2 * u] += sp * (1f / k);
        gi[2 * i] += sq * (1f / k);
        if (biases) {
            float du = e - lambdaB * wu[u] * bui;
            float di = e - lambdaB * wi[i] * bii;
            bu[u] = bui + lrBias / (float) Math.sqrt(gu[2 * u + 1]) * du;
            bi[i] = bii + lrBias / (float) Math.sqrt(gi[2 * i + 1]) * di;
            gu[2 * u + 1] += du * du;
            gi[2 * i + 1] += di * di;
        }
        return e * e;
    }

    /**
     * {@link #adagradOne} over two runs of users A and B in {@link #sgdPair}'s order (A₁ B₁ A₂ B₂ …,
     * then the rest of the longer run); pass uB = −1 for a lone last run. {@code kernel} as for
     * {@link #sgdPair}; returns Σe².
     */
    static float adagradPair(int kernel, float[] p, float[] q, int k, int[] items, float[] values, float mu,
                             float[] bu, float[] bi, float[] wu, float[] wi, float lr, float lrBias, float lambda,
                             float lambdaB, boolean biases, float[] gu, float[] gi, int uA, int a, int endA, int uB,
                             int b, int endB) {
        if (uB < 0 && kernel != CpuSgdKernels.LOOP) {
            return CpuSgdKernels.adagradRun(kernel, p, q, k, items, values, mu, bu, bi, wu, wi, lr, lrBias, lambda,
                    lambdaB, biases, gu, gi, uA, a, endA);
        }
        if (uB < 0) {
            uB = uA;
            b = endB = 0;
        }
        if (kernel != CpuSgdKernels.LOOP) {
            return CpuSgdKernels.adagrad(kernel, p, q, k, items, values, mu, bu, bi, wu, wi, lr, lrBias, lambda,
                    lambdaB, biases, gu, gi, uA, a, endA, uB, b, endB);
        }
        float sse = 0f;
        for (; a < endA && b < endB; a++, b++) {
            sse += adagradOne(p, q, k, uA, items[a], values[a], mu, bu, bi, wu, wi, lr, lrBias, lambda, lambdaB, biases, gu, gi);
            sse += adagradOne(p, q, k, uB, items[b], values[b], mu, bu, bi, wu, wi, lr, lrBias, lambda, lambdaB, biases, gu, gi);
        }
        for (; a < endA; a++) {
            sse += adagradOne(p, q, k, uA, items[a], values[a], mu, bu, bi, wu, wi, lr, lrBias, lambda, lambdaB, biases, gu, gi);
        }
        for (; b < endB; b++) {
            sse += adagradOne(p, q, k, uB, items[b], values[b], mu, bu, bi, wu, wi, lr, lrBias, lambda, lambdaB, biases, gu, gi);
        }
        return sse;
    }

    /**
     * SGD over two runs of different users A and B in the same block (ratings [a, endA) of user
     * uA and [b, endB) of uB), interleaved: A's first, B's first, A's second, ..., then the rest of
     * the longer run. Each update is {@link #sgdOne}'s, applied in that order. The two users'
     * dependency chains (p_u → p_u·q_i → e → p_u) are independent, so the core overlaps them;
     * where A and B rate the same item, B's update sees A's (program order). Pass uB = −1 for a
     * lone last run. {@code kernel} is {@link CpuSgdKernels#choose}(k): a register-resident kernel
     * (p_u in vector registers for the run) or {@link CpuSgdKernels#LOOP}; a kernel that does not
     * {@link CpuSgdKernels#interleaves interleave} takes A's run, then B's. Returns Σe² of the
     * updates (pre-update residuals).
     */
    static float sgdPair(int kernel, float[] p, float[] q, int k, int[] items, float[] values, float mu, float[] bu,
                         float[] bi, float[] wu, float[] wi, float lr, float lrBias, float lambda, float lambdaB,
                         boolean biases, int uA, int a, int endA, int uB, int b, int endB) {
        if (uB < 0 && kernel != CpuSgdKernels.LOOP) {
            return CpuSgdKernels.sgdRun(kernel, p, q, k, items, values, mu, bu, bi, wu, wi, lr, lrBias, lambda, lambdaB,
                    biases, uA, a, endA);
        }
        if (uB < 0) {
            uB = uA;
            b = endB = 0;
        }
        if (kernel != CpuSgdKernels.LOOP) {
            return CpuSgdKernels.sgd(kernel, p, q, k, items, values, mu, bu, bi, wu, wi, lr, lrBias, lambda, lambdaB,
                    biases, uA, a, endA, uB, b, endB);
        }
        float sse = 0f;
        for (; a < endA && b < endB; a++, b++) {
            sse += sgdOne(p, q, k, uA, items[a], values[a], mu, bu, bi, wu, wi, lr, lrBias, lambda, lambdaB, biases);
            sse += sgdOne(p, q, k, uB, items[b], values[b], mu, bu, bi, wu, wi, lr, lrBias, lambda, lambdaB, biases);
        }
        for (; a < endA; a++) {
            sse += sgdOne(p, q, k, uA, items[a], values[a], mu, bu, bi, wu, wi, lr, lrBias, lambda, lambdaB, biases);
        }
        for (; b < endB; b++) {
            sse += sgdOne(p, q, k, uB, items[b], values[b], mu, bu, bi, wu, wi, lr, lrBias, lambda, lambdaB, biases);
        }
        return sse;
    }
}
