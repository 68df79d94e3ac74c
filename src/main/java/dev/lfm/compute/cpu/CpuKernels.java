package dev.lfm.compute.cpu;

import dev.lfm.model.FactorModel;
import java.util.Arrays;
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
     * One SGD update (old values on the right): e = r − (μ + b_u + b_i + p_u·q_i),
     * p_u += lr(e q_i − λ w_u p_u), q_i += lr(e p_u − λ w_i q_i),
     * b_u += lrBias(e − λ_b w_u b_u), b_i += lrBias(e − λ_b w_i b_i) (biases only when {@code biases}).
     */
    static void sgdOne(float[] p, float[] q, int k, int u, int i, float r, float mu, float[] bu, float[] bi,
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
    }

    /**
     * One AdaGrad-scheduled SGD update ({@link dev.lfm.compute.OptimizerStep}'s ADAGRAD; old
     * values on the right): e = r − (μ + b_u + b_i + p_u·q_i), with −h_p = e q_i − λ w_u p_u and
     * −h_q = e p_u − λ w_i q_i, p_u += (lr/√G_u)(−h_p), q_i += (lr/√G_i)(−h_q), then
     * G_u += ‖h_p‖²/k, G_i += ‖h_q‖²/k; biases likewise with their own H:
     * b_u += (lrBias/√H_u)(e − λ_b w_u b_u), H_u += (e − λ_b w_u b_u)². gu/gi hold (G, H) per
     * row at [2·row], [2·row + 1].
     */
    static void adagradOne(float[] p, float[] q, int k, int u, int i, float r, float mu, float[] bu, float[] bi,
                           float[] wu, float[] wi, float lr, float lrBias, float lambda, float lambdaB,
                           boolean biases, float[] gu, float[] gi) {
        int po = u * k;
        int qo = i * k;
        float bui = biases ? bu[u] : 0f;
        float bii = biases ? bi[i] : 0f;
        float e = (r - mu - bui - bii) - dot(p, po, q, qo, k);
        float etaP = lr / (float) Math.sqrt(gu[2 * u]);
        float etaQ = lr / (float) Math.sqrt(gi[2 * i]);
        float lwu = lambda * wu[u];
        float lwi = lambda * wi[i];
        float sp = 0f;
        float sq = 0f;
        int c = 0;
        int bound = S.loopBound(k);
        if (bound > 0) {
            FloatVector accP = FloatVector.zero(S);
            FloatVector accQ = FloatVector.zero(S);
            FloatVector vEtaP = FloatVector.broadcast(S, etaP);
            FloatVector vEtaQ = FloatVector.broadcast(S, etaQ);
            for (; c < bound; c += S.length()) {
                FloatVector pv = FloatVector.fromArray(S, p, po + c);
                FloatVector qv = FloatVector.fromArray(S, q, qo + c);
                FloatVector dp = qv.mul(e).sub(pv.mul(lwu));
                FloatVector dq = pv.mul(e).sub(qv.mul(lwi));
                dp.fma(vEtaP, pv).intoArray(p, po + c);
                dq.fma(vEtaQ, qv).intoArray(q, qo + c);
                accP = dp.fma(dp, accP);
                accQ = dq.fma(dq, accQ);
            }
            sp = accP.reduceLanes(VectorOperators.ADD);
            sq = accQ.reduceLanes(VectorOperators.ADD);
        }
        for (; c < k; c++) {
            float pc = p[po + c];
            float qc = q[qo + c];
            float dp = e * qc - lwu * pc;
            float dq = e * pc - lwi * qc;
            p[po + c] = pc + etaP * dp;
            q[qo + c] = qc + etaQ * dq;
            sp += dp * dp;
            sq += dq * dq;
        }
        gu[2 * u] += sp / k;
        gi[2 * i] += sq / k;
        if (biases) {
            float du = e - lambdaB * wu[u] * bui;
            float di = e - lambdaB * wi[i] * bii;
            bu[u] = bui + lrBias / (float) Math.sqrt(gu[2 * u + 1]) * du;
            bi[i] = bii + lrBias / (float) Math.sqrt(gi[2 * i + 1]) * di;
            gu[2 * u + 1] += du * du;
            gi[2 * i + 1] += di * di;
        }
    }

    /**
     * {@link #adagradOne} over two runs of users A and B in {@link #sgdPair}'s order (A₁ B₁ A₂ B₂ …,
     * then the rest of the longer run); pass uB = −1 for a lone last run.
     */
    static void adagradPair(float[] p, float[] q, int k, int[] items, float[] values, float mu, float[] bu,
                            float[] bi, float[] wu, float[] wi, float lr, float lrBias, float lambda, float lambdaB,
                            boolean biases, float[] gu, float[] gi, int uA, int a, int endA, int uB, int b, int endB) {
        if (uB < 0) {
            b = endB = 0;
        }
        for (; a < endA && b < endB; a++, b++) {
            adagradOne(p, q, k, uA, items[a], values[a], mu, bu, bi, wu, wi, lr, lrBias, lambda, lambdaB, biases, gu, gi);
            adagradOne(p, q, k, uB, items[b], values[b], mu, bu, bi, wu, wi, lr, lrBias, lambda, lambdaB, biases, gu, gi);
        }
        for (; a < endA; a++) {
            adagradOne(p, q, k, uA, items[a], values[a], mu, bu, bi, wu, wi, lr, lrBias, lambda, lambdaB, biases, gu, gi);
        }
        for (; b < endB; b++) {
            adagradOne(p, q, k, uB, items[b], values[b], mu, bu, bi, wu, wi, lr, lrBias, lambda, lambdaB, biases, gu, gi);
        }
    }

    /**
     * SGD over two runs of different users A and B in the same block (ratings [a, endA) of user
     * uA and [b, endB) of uB), interleaved: A's first, B's first, A's second, ..., then the rest of
     * the longer run. Each update is {@link #sgdOne}'s, applied in that order. The two users'
     * dependency chains (p_u → p_u·q_i → e → p_u) are independent, so the core overlaps them;
     * where A and B rate the same item, B's update sees A's (program order). Pass uB = −1 for a
     * lone last run.
     */
    static void sgdPair(float[] p, float[] q, int k, int[] items, float[] values, float mu, float[] bu, float[] bi,
                        float[] wu, float[] wi, float lr, float lrBias, float lambda, float lambdaB, boolean biases,
                        int uA, int a, int endA, int uB, int b, int endB) {
        if (uB < 0) {
            uB = uA;
            b = endB = 0;
        }
        // k of 1, 2 or 4 vectors: both p rows in registers. Wider (8 vectors: 16 p registers plus
        // the q rows) made C2 box the vectors (about 50x slower), so those take the loop below.
        if (k % S.length() == 0) {
            switch (k / S.length()) {
                case 1 -> {
                    sgdPair1(p, q, k, items, values, mu, bu, bi, wu, wi, lr, lrBias, lambda, lambdaB, biases, uA, a, endA, uB, b, endB);
                    return;
                }
                case 2 -> {
                    sgdPair2(p, q, k, items, values, mu, bu, bi, wu, wi, lr, lrBias, lambda, lambdaB, biases, uA, a, endA, uB, b, endB);
                    return;
                }
                case 4 -> {
                    sgdPair4(p, q, k, items, values, mu, bu, bi, wu, wi, lr, lrBias, lambda, lambdaB, biases, uA, a, endA, uB, b, endB);
                    return;
                }
                default -> {
                }
            }
        }
        for (; a < endA && b < endB; a++, b++) {
            sgdOne(p, q, k, uA, items[a], values[a], mu, bu, bi, wu, wi, lr, lrBias, lambda, lambdaB, biases);
            sgdOne(p, q, k, uB, items[b], values[b], mu, bu, bi, wu, wi, lr, lrBias, lambda, lambdaB, biases);
        }
        for (; a < endA; a++) {
            sgdOne(p, q, k, uA, items[a], values[a], mu, bu, bi, wu, wi, lr, lrBias, lambda, lambdaB, biases);
        }
        for (; b < endB; b++) {
            sgdOne(p, q, k, uB, items[b], values[b], mu, bu, bi, wu, wi, lr, lrBias, lambda, lambdaB, biases);
        }
    }

    /** {@link #sgdPair} for k = 1·L (L = {@link #S} lanes): both users' p rows live in vector registers. */
    private static void sgdPair1(float[] p, float[] q, int k, int[] items, float[] values, float mu, float[] bu,
                                 float[] bi, float[] wu, float[] wi, float lr, float lrBias, float lambda,
                                 float lambdaB, boolean biases, int uA, int a, int endA, int uB, int b, int endB) {
        final int poA = uA * k;
        final float decayPA = 1f - lr * lambda * wu[uA];
        final float biasDecayUA = lambdaB * wu[uA];
        float buA = biases ? bu[uA] : 0f;
        FloatVector pA0 = FloatVector.fromArray(S, p, poA);
        final int poB = uB * k;
        final float decayPB = 1f - lr * lambda * wu[uB];
        final float biasDecayUB = lambdaB * wu[uB];
        float buB = biases ? bu[uB] : 0f;
        FloatVector pB0 = FloatVector.fromArray(S, p, poB);
        for (; a < endA && b < endB; a++, b++) {
            {
                final int iA = items[a];
                final int qoA = iA * k;
                final FloatVector qA0 = FloatVector.fromArray(S, q, qoA);
                final float biA = biases ? bi[iA] : 0f;
                // r − μ − b_u − b_i is off the p_u dependency chain; only the dot product is on it
                final float eA = (values[a] - mu - buA - biA) - pA0.mul(qA0).reduceLanes(VectorOperators.ADD);
                final float leA = lr * eA;
                final float wiA = wi[iA];
                final float decayQA = 1f - lr * lambda * wiA;
                qA0.mul(decayQA).add(pA0.mul(leA)).intoArray(q, qoA);
                pA0 = qA0.fma(FloatVector.broadcast(S, leA), pA0.mul(decayPA));
                if (biases) {
                    buA += lrBias * (eA - biasDecayUA * buA);
                    bi[iA] = biA + lrBias * (eA - lambdaB * wiA * biA);
                }
            }
            {
                final int iB = items[b];
                final int qoB = iB * k;
                final FloatVector qB0 = FloatVector.fromArray(S, q, qoB);
                final float biB = biases ? bi[iB] : 0f;
                // r − μ − b_u − b_i is off the p_u dependency chain; only the dot product is on it
                final float eB = (values[b] - mu - buB - biB) - pB0.mul(qB0).reduceLanes(VectorOperators.ADD);
                final float leB = lr * eB;
                final float wiB = wi[iB];
                final float decayQB = 1f - lr * lambda * wiB;
                qB0.mul(decayQB).add(pB0.mul(leB)).intoArray(q, qoB);
                pB0 = qB0.fma(FloatVector.broadcast(S, leB), pB0.mul(decayPB));
                if (biases) {
                    buB += lrBias * (eB - biasDecayUB * buB);
                    bi[iB] = biB + lrBias * (eB - lambdaB * wiB * biB);
                }
            }
        }
        for (; a < endA; a++) {
            final int iA = items[a];
            final int qoA = iA * k;
            final FloatVector qA0 = FloatVector.fromArray(S, q, qoA);
            final float biA = biases ? bi[iA] : 0f;
            // r − μ − b_u − b_i is off the p_u dependency chain; only the dot product is on it
            final float eA = (values[a] - mu - buA - biA) - pA0.mul(qA0).reduceLanes(VectorOperators.ADD);
            final float leA = lr * eA;
            final float wiA = wi[iA];
            final float decayQA = 1f - lr * lambda * wiA;
            qA0.mul(decayQA).add(pA0.mul(leA)).intoArray(q, qoA);
            pA0 = qA0.fma(FloatVector.broadcast(S, leA), pA0.mul(decayPA));
            if (biases) {
                buA += lrBias * (eA - biasDecayUA * buA);
                bi[iA] = biA + lrBias * (eA - lambdaB * wiA * biA);
            }
        }
        for (; b < endB; b++) {
            final int iB = items[b];
            final int qoB = iB * k;
            final FloatVector qB0 = FloatVector.fromArray(S, q, qoB);
            final float biB = biases ? bi[iB] : 0f;
            // r − μ − b_u − b_i is off the p_u dependency chain; only the dot product is on it
            final float eB = (values[b] - mu - buB - biB) - pB0.mul(qB0).reduceLanes(VectorOperators.ADD);
            final float leB = lr * eB;
            final float wiB = wi[iB];
            final float decayQB = 1f - lr * lambda * wiB;
            qB0.mul(decayQB).add(pB0.mul(leB)).intoArray(q, qoB);
            pB0 = qB0.fma(FloatVector.broadcast(S, leB), pB0.mul(decayPB));
            if (biases) {
                buB += lrBias * (eB - biasDecayUB * buB);
                bi[iB] = biB + lrBias * (eB - lambdaB * wiB * biB);
            }
        }
        // B first: for a lone run (uB == uA, no B ratings) A's values must be the ones left
        pB0.intoArray(p, poB);
        if (biases) {
            bu[uB] = buB;
        }
        pA0.intoArray(p, poA);
        if (biases) {
            bu[uA] = buA;
        }
    }

    /** {@link #sgdPair} for k = 2·L (L = {@link #S} lanes): both users' p rows live in vector registers. */
    private static void sgdPair2(float[] p, float[] q, int k, int[] items, float[] values, float mu, float[] bu,
                                 float[] bi, float[] wu, float[] wi, float lr, float lrBias, float lambda,
                                 float lambdaB, boolean biases, int uA, int a, int endA, int uB, int b, int endB) {
        final int l = S.length();
        final int poA = uA * k;
        final float decayPA = 1f - lr * lambda * wu[uA];
        final float biasDecayUA = lambdaB * wu[uA];
        float buA = biases ? bu[uA] : 0f;
        FloatVector pA0 = FloatVector.fromArray(S, p, poA);
        FloatVector pA1 = FloatVector.fromArray(S, p, poA + 1 * l);
        final int poB = uB * k;
        final float decayPB = 1f - lr * lambda * wu[uB];
        final float biasDecayUB = lambdaB * wu[uB];
        float buB = biases ? bu[uB] : 0f;
        FloatVector pB0 = FloatVector.fromArray(S, p, poB);
        FloatVector pB1 = FloatVector.fromArray(S, p, poB + 1 * l);
        for (; a < endA && b < endB; a++, b++) {
            {
                final int iA = items[a];
                final int qoA = iA * k;
                final FloatVector qA0 = FloatVector.fromArray(S, q, qoA);
                final FloatVector qA1 = FloatVector.fromArray(S, q, qoA + 1 * l);
                final float biA = biases ? bi[iA] : 0f;
                // r − μ − b_u − b_i is off the p_u dependency chain; only the dot product is on it
                final float eA = (values[a] - mu - buA - biA) - pA1.fma(qA1, pA0.mul(qA0)).reduceLanes(VectorOperators.ADD);
                final float leA = lr * eA;
                final float wiA = wi[iA];
                final float decayQA = 1f - lr * lambda * wiA;
                qA0.mul(decayQA).add(pA0.mul(leA)).intoArray(q, qoA);
                qA1.mul(decayQA).add(pA1.mul(leA)).intoArray(q, qoA + 1 * l);
                pA0 = qA0.fma(FloatVector.broadcast(S, leA), pA0.mul(decayPA));
                pA1 = qA1.fma(FloatVector.broadcast(S, leA), pA1.mul(decayPA));
                if (biases) {
                    buA += lrBias * (eA - biasDecayUA * buA);
                    bi[iA] = biA + lrBias * (eA - lambdaB * wiA * biA);
                }
            }
            {
                final int iB = items[b];
                final int qoB = iB * k;
                final FloatVector qB0 = FloatVector.fromArray(S, q, qoB);
                final FloatVector qB1 = FloatVector.fromArray(S, q, qoB + 1 * l);
                final float biB = biases ? bi[iB] : 0f;
                // r − μ − b_u − b_i is off the p_u dependency chain; only the dot product is on it
                final float eB = (values[b] - mu - buB - biB) - pB1.fma(qB1, pB0.mul(qB0)).reduceLanes(VectorOperators.ADD);
                final float leB = lr * eB;
                final float wiB = wi[iB];
                final float decayQB = 1f - lr * lambda * wiB;
                qB0.mul(decayQB).add(pB0.mul(leB)).intoArray(q, qoB);
                qB1.mul(decayQB).add(pB1.mul(leB)).intoArray(q, qoB + 1 * l);
                pB0 = qB0.fma(FloatVector.broadcast(S, leB), pB0.mul(decayPB));
                pB1 = qB1.fma(FloatVector.broadcast(S, leB), pB1.mul(decayPB));
                if (biases) {
                    buB += lrBias * (eB - biasDecayUB * buB);
                    bi[iB] = biB + lrBias * (eB - lambdaB * wiB * biB);
                }
            }
        }
        for (; a < endA; a++) {
            final int iA = items[a];
            final int qoA = iA * k;
            final FloatVector qA0 = FloatVector.fromArray(S, q, qoA);
            final FloatVector qA1 = FloatVector.fromArray(S, q, qoA + 1 * l);
            final float biA = biases ? bi[iA] : 0f;
            // r − μ − b_u − b_i is off the p_u dependency chain; only the dot product is on it
            final float eA = (values[a] - mu - buA - biA) - pA1.fma(qA1, pA0.mul(qA0)).reduceLanes(VectorOperators.ADD);
            final float leA = lr * eA;
            final float wiA = wi[iA];
            final float decayQA = 1f - lr * lambda * wiA;
            qA0.mul(decayQA).add(pA0.mul(leA)).intoArray(q, qoA);
            qA1.mul(decayQA).add(pA1.mul(leA)).intoArray(q, qoA + 1 * l);
            pA0 = qA0.fma(FloatVector.broadcast(S, leA), pA0.mul(decayPA));
            pA1 = qA1.fma(FloatVector.broadcast(S, leA), pA1.mul(decayPA));
            if (biases) {
                buA += lrBias * (eA - biasDecayUA * buA);
                bi[iA] = biA + lrBias * (eA - lambdaB * wiA * biA);
            }
        }
        for (; b < endB; b++) {
            final int iB = items[b];
            final int qoB = iB * k;
            final FloatVector qB0 = FloatVector.fromArray(S, q, qoB);
            final FloatVector qB1 = FloatVector.fromArray(S, q, qoB + 1 * l);
            final float biB = biases ? bi[iB] : 0f;
            // r − μ − b_u − b_i is off the p_u dependency chain; only the dot product is on it
            final float eB = (values[b] - mu - buB - biB) - pB1.fma(qB1, pB0.mul(qB0)).reduceLanes(VectorOperators.ADD);
            final float leB = lr * eB;
            final float wiB = wi[iB];
            final float decayQB = 1f - lr * lambda * wiB;
            qB0.mul(decayQB).add(pB0.mul(leB)).intoArray(q, qoB);
            qB1.mul(decayQB).add(pB1.mul(leB)).intoArray(q, qoB + 1 * l);
            pB0 = qB0.fma(FloatVector.broadcast(S, leB), pB0.mul(decayPB));
            pB1 = qB1.fma(FloatVector.broadcast(S, leB), pB1.mul(decayPB));
            if (biases) {
                buB += lrBias * (eB - biasDecayUB * buB);
                bi[iB] = biB + lrBias * (eB - lambdaB * wiB * biB);
            }
        }
        // B first: for a lone run (uB == uA, no B ratings) A's values must be the ones left
        pB0.intoArray(p, poB);
        pB1.intoArray(p, poB + 1 * l);
        if (biases) {
            bu[uB] = buB;
        }
        pA0.intoArray(p, poA);
        pA1.intoArray(p, poA + 1 * l);
        if (biases) {
            bu[uA] = buA;
        }
    }

    /** {@link #sgdPair} for k = 4·L (L = {@link #S} lanes): both users' p rows live in vector registers. */
    private static void sgdPair4(float[] p, float[] q, int k, int[] items, float[] values, float mu, float[] bu,
                                 float[] bi, float[] wu, float[] wi, float lr, float lrBias, float lambda,
                                 float lambdaB, boolean biases, int uA, int a, int endA, int uB, int b, int endB) {
        final int l = S.length();
        final int poA = uA * k;
        final float decayPA = 1f - lr * lambda * wu[uA];
        final float biasDecayUA = lambdaB * wu[uA];
        float buA = biases ? bu[uA] : 0f;
        FloatVector pA0 = FloatVector.fromArray(S, p, poA);
        FloatVector pA1 = FloatVector.fromArray(S, p, poA + 1 * l);
        FloatVector pA2 = FloatVector.fromArray(S, p, poA + 2 * l);
        FloatVector pA3 = FloatVector.fromArray(S, p, poA + 3 * l);
        final int poB = uB * k;
        final float decayPB = 1f - lr * lambda * wu[uB];
        final float biasDecayUB = lambdaB * wu[uB];
        float buB = biases ? bu[uB] : 0f;
        FloatVector pB0 = FloatVector.fromArray(S, p, poB);
        FloatVector pB1 = FloatVector.fromArray(S, p, poB + 1 * l);
        FloatVector pB2 = FloatVector.fromArray(S, p, poB + 2 * l);
        FloatVector pB3 = FloatVector.fromArray(S, p, poB + 3 * l);
        for (; a < endA && b < endB; a++, b++) {
            {
                final int iA = items[a];
                final int qoA = iA * k;
                final FloatVector qA0 = FloatVector.fromArray(S, q, qoA);
                final FloatVector qA1 = FloatVector.fromArray(S, q, qoA + 1 * l);
                final FloatVector qA2 = FloatVector.fromArray(S, q, qoA + 2 * l);
                final FloatVector qA3 = FloatVector.fromArray(S, q, qoA + 3 * l);
                final float biA = biases ? bi[iA] : 0f;
                // r − μ − b_u − b_i is off the p_u dependency chain; only the dot product is on it
                final float eA = (values[a] - mu - buA - biA) - pA1.fma(qA1, pA0.mul(qA0)).add(pA3.fma(qA3, pA2.mul(qA2))).reduceLanes(VectorOperators.ADD);
                final float leA = lr * eA;
                final float wiA = wi[iA];
                final float decayQA = 1f - lr * lambda * wiA;
                qA0.mul(decayQA).add(pA0.mul(leA)).intoArray(q, qoA);
                qA1.mul(decayQA).add(pA1.mul(leA)).intoArray(q, qoA + 1 * l);
                qA2.mul(decayQA).add(pA2.mul(leA)).intoArray(q, qoA + 2 * l);
                qA3.mul(decayQA).add(pA3.mul(leA)).intoArray(q, qoA + 3 * l);
                pA0 = qA0.fma(FloatVector.broadcast(S, leA), pA0.mul(decayPA));
                pA1 = qA1.fma(FloatVector.broadcast(S, leA), pA1.mul(decayPA));
                pA2 = qA2.fma(FloatVector.broadcast(S, leA), pA2.mul(decayPA));
                pA3 = qA3.fma(FloatVector.broadcast(S, leA), pA3.mul(decayPA));
                if (biases) {
                    buA += lrBias * (eA - biasDecayUA * buA);
                    bi[iA] = biA + lrBias * (eA - lambdaB * wiA * biA);
                }
            }
            {
                final int iB = items[b];
                final int qoB = iB * k;
                final FloatVector qB0 = FloatVector.fromArray(S, q, qoB);
                final FloatVector qB1 = FloatVector.fromArray(S, q, qoB + 1 * l);
                final FloatVector qB2 = FloatVector.fromArray(S, q, qoB + 2 * l);
                final FloatVector qB3 = FloatVector.fromArray(S, q, qoB + 3 * l);
                final float biB = biases ? bi[iB] : 0f;
                // r − μ − b_u − b_i is off the p_u dependency chain; only the dot product is on it
                final float eB = (values[b] - mu - buB - biB) - pB1.fma(qB1, pB0.mul(qB0)).add(pB3.fma(qB3, pB2.mul(qB2))).reduceLanes(VectorOperators.ADD);
                final float leB = lr * eB;
                final float wiB = wi[iB];
                final float decayQB = 1f - lr * lambda * wiB;
                qB0.mul(decayQB).add(pB0.mul(leB)).intoArray(q, qoB);
                qB1.mul(decayQB).add(pB1.mul(leB)).intoArray(q, qoB + 1 * l);
                qB2.mul(decayQB).add(pB2.mul(leB)).intoArray(q, qoB + 2 * l);
                qB3.mul(decayQB).add(pB3.mul(leB)).intoArray(q, qoB + 3 * l);
                pB0 = qB0.fma(FloatVector.broadcast(S, leB), pB0.mul(decayPB));
                pB1 = qB1.fma(FloatVector.broadcast(S, leB), pB1.mul(decayPB));
                pB2 = qB2.fma(FloatVector.broadcast(S, leB), pB2.mul(decayPB));
                pB3 = qB3.fma(FloatVector.broadcast(S, leB), pB3.mul(decayPB));
                if (biases) {
                    buB += lrBias * (eB - biasDecayUB * buB);
                    bi[iB] = biB + lrBias * (eB - lambdaB * wiB * biB);
                }
            }
        }
        for (; a < endA; a++) {
            final int iA = items[a];
            final int qoA = iA * k;
            final FloatVector qA0 = FloatVector.fromArray(S, q, qoA);
            final FloatVector qA1 = FloatVector.fromArray(S, q, qoA + 1 * l);
            final FloatVector qA2 = FloatVector.fromArray(S, q, qoA + 2 * l);
            final FloatVector qA3 = FloatVector.fromArray(S, q, qoA + 3 * l);
            final float biA = biases ? bi[iA] : 0f;
            // r − μ − b_u − b_i is off the p_u dependency chain; only the dot product is on it
            final float eA = (values[a] - mu - buA - biA) - pA1.fma(qA1, pA0.mul(qA0)).add(pA3.fma(qA3, pA2.mul(qA2))).reduceLanes(VectorOperators.ADD);
            final float leA = lr * eA;
            final float wiA = wi[iA];
            final float decayQA = 1f - lr * lambda * wiA;
            qA0.mul(decayQA).add(pA0.mul(leA)).intoArray(q, qoA);
            qA1.mul(decayQA).add(pA1.mul(leA)).intoArray(q, qoA + 1 * l);
            qA2.mul(decayQA).add(pA2.mul(leA)).intoArray(q, qoA + 2 * l);
            qA3.mul(decayQA).add(pA3.mul(leA)).intoArray(q, qoA + 3 * l);
            pA0 = qA0.fma(FloatVector.broadcast(S, leA), pA0.mul(decayPA));
            pA1 = qA1.fma(FloatVector.broadcast(S, leA), pA1.mul(decayPA));
            pA2 = qA2.fma(FloatVector.broadcast(S, leA), pA2.mul(decayPA));
            pA3 = qA3.fma(FloatVector.broadcast(S, leA), pA3.mul(decayPA));
            if (biases) {
                buA += lrBias * (eA - biasDecayUA * buA);
                bi[iA] = biA + lrBias * (eA - lambdaB * wiA * biA);
            }
        }
        for (; b < endB; b++) {
            final int iB = items[b];
            final int qoB = iB * k;
            final FloatVector qB0 = FloatVector.fromArray(S, q, qoB);
            final FloatVector qB1 = FloatVector.fromArray(S, q, qoB + 1 * l);
            final FloatVector qB2 = FloatVector.fromArray(S, q, qoB + 2 * l);
            final FloatVector qB3 = FloatVector.fromArray(S, q, qoB + 3 * l);
            final float biB = biases ? bi[iB] : 0f;
            // r − μ − b_u − b_i is off the p_u dependency chain; only the dot product is on it
            final float eB = (values[b] - mu - buB - biB) - pB1.fma(qB1, pB0.mul(qB0)).add(pB3.fma(qB3, pB2.mul(qB2))).reduceLanes(VectorOperators.ADD);
            final float leB = lr * eB;
            final float wiB = wi[iB];
            final float decayQB = 1f - lr * lambda * wiB;
            qB0.mul(decayQB).add(pB0.mul(leB)).intoArray(q, qoB);
            qB1.mul(decayQB).add(pB1.mul(leB)).intoArray(q, qoB + 1 * l);
            qB2.mul(decayQB).add(pB2.mul(leB)).intoArray(q, qoB + 2 * l);
            qB3.mul(decayQB).add(pB3.mul(leB)).intoArray(q, qoB + 3 * l);
            pB0 = qB0.fma(FloatVector.broadcast(S, leB), pB0.mul(decayPB));
            pB1 = qB1.fma(FloatVector.broadcast(S, leB), pB1.mul(decayPB));
            pB2 = qB2.fma(FloatVector.broadcast(S, leB), pB2.mul(decayPB));
            pB3 = qB3.fma(FloatVector.broadcast(S, leB), pB3.mul(decayPB));
            if (biases) {
                buB += lrBias * (eB - biasDecayUB * buB);
                bi[iB] = biB + lrBias * (eB - lambdaB * wiB * biB);
            }
        }
        // B first: for a lone run (uB == uA, no B ratings) A's values must be the ones left
        pB0.intoArray(p, poB);
        pB1.intoArray(p, poB + 1 * l);
        pB2.intoArray(p, poB + 2 * l);
        pB3.intoArray(p, poB + 3 * l);
        if (biases) {
            bu[uB] = buB;
        }
        pA0.intoArray(p, poA);
        pA1.intoArray(p, poA + 1 * l);
        pA2.intoArray(p, poA + 2 * l);
        pA3.intoArray(p, poA + 3 * l);
        if (biases) {
            bu[uA] = buA;
        }
    }
}
