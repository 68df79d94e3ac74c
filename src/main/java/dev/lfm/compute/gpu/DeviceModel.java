package dev.lfm.compute.gpu;

import dev.lfm.compute.gpu.Accelerator.Buffer;
import dev.lfm.model.FactorModel;

/**
 * The model's parameters resident on a device (P, Q row-major with {@code rank} columns), and,
 * for half-precision SGD epochs, fp16 copies of P and Q ({@link #ensureHalf}).
 */
final class DeviceModel {
    final int numUsers;
    final int numItems;
    final int rank;
    final boolean biases;
    float mu;
    float minRating;
    float maxRating;
    final Buffer p;
    final Buffer q;
    final Buffer bu;
    final Buffer bi;
    /** fp16 copies of P and Q (2 bytes an element); null until {@link #ensureHalf}. */
    Buffer pHalf;
    Buffer qHalf;

    DeviceModel(Accelerator acc, FactorModel m) {
        numUsers = m.numUsers;
        numItems = m.numItems;
        rank = m.rank;
        biases = m.biases;
        p = acc.alloc((long) m.numUsers * m.rank * Float.BYTES);
        q = acc.alloc((long) m.numItems * m.rank * Float.BYTES);
        bu = acc.alloc((long) m.numUsers * Float.BYTES);
        bi = acc.alloc((long) m.numItems * Float.BYTES);
    }

    boolean sameShape(FactorModel m) {
        return m.numUsers == numUsers && m.numItems == numItems && m.rank == rank && m.biases == biases;
    }

    void upload(Accelerator acc, FactorModel m) {
        acc.upload(p, m.p);
        acc.upload(q, m.q);
        acc.upload(bu, m.userBias);
        acc.upload(bi, m.itemBias);
        mu = m.mu;
        minRating = m.minRating;
        maxRating = m.maxRating;
    }

    void download(Accelerator acc, FactorModel into) {
        if (into.numUsers != numUsers || into.numItems != numItems || into.rank != rank) {
            throw new IllegalArgumentException("shape mismatch");
        }
        acc.download(p, 0, into.p, 0, into.p.length);
        acc.download(q, 0, into.q, 0, into.q.length);
        acc.download(bu, 0, into.userBias, 0, numUsers);
        acc.download(bi, 0, into.itemBias, 0, numItems);
        into.mu = mu;
        into.minRating = minRating;
        into.maxRating = maxRating;
    }

    /** Allocates the fp16 copies of P and Q if absent; their contents are then undefined. */
    void ensureHalf(Accelerator acc) {
        if (pHalf == null) {
            pHalf = acc.alloc(Math.max(4L, (long) numUsers * rank * 2));
            qHalf = acc.alloc(Math.max(4L, (long) numItems * rank * 2));
        }
    }

    long pElements() {
        return (long) numUsers * rank;
    }

    long qElements() {
        return (long) numItems * rank;
    }

    void close() {
        if (pHalf != null) {
            pHalf.close();
            qHalf.close();
        }
        p.close();
        q.close();
        bu.close();
        bi.close();
    }
}
