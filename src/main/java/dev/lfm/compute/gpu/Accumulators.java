package dev.lfm.compute.gpu;

import dev.lfm.compute.gpu.Accelerator.Buffer;

/**
 * Device scratch of batch gradients: half-gradient accumulators with the model's shape (zero
 * outside a step), per-row marks, and the lists of rows a batch touched with their lengths
 * ({@code touchedCount[0]} users, {@code [1]} items).
 */
final class Accumulators {
    final Buffer gP;
    final Buffer gQ;
    final Buffer gBu;
    final Buffer gBi;
    final Buffer markU;
    final Buffer markI;
    final Buffer touchedU;
    final Buffer touchedI;
    final Buffer touchedCount;

    Accumulators(Accelerator acc, DeviceModel m) {
        gP = acc.alloc(m.p.bytes());
        gQ = acc.alloc(m.q.bytes());
        gBu = acc.alloc(m.bu.bytes());
        gBi = acc.alloc(m.bi.bytes());
        markU = acc.alloc((long) m.numUsers * Integer.BYTES);
        markI = acc.alloc((long) m.numItems * Integer.BYTES);
        touchedU = acc.alloc((long) m.numUsers * Integer.BYTES);
        touchedI = acc.alloc((long) m.numItems * Integer.BYTES);
        touchedCount = acc.alloc(2L * Integer.BYTES);
        clear(acc);
    }

    /** Restores the invariant: all accumulators, marks and counts zero. */
    void clear(Accelerator acc) {
        for (Buffer b : new Buffer[] {gP, gQ, gBu, gBi, markU, markI, touchedCount}) {
            acc.fill(b, 0);
        }
    }

    void close() {
        for (Buffer b : new Buffer[] {gP, gQ, gBu, gBi, markU, markI, touchedU, touchedI, touchedCount}) {
            b.close();
        }
    }
}
