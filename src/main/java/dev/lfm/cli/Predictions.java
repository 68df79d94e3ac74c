package dev.lfm.cli;

import dev.lfm.model.FactorModel;

/** Predictions that tolerate users and items the model has not seen (indices past its rows). */
final class Predictions {
    private Predictions() {
    }

    /** Clipped prediction; an unknown side contributes no bias and no factors. */
    static float predict(FactorModel m, int u, int i) {
        boolean ku = u < m.numUsers;
        boolean ki = i < m.numItems;
        if (ku && ki) {
            return m.predict(u, i);
        }
        float s = m.mu;
        if (m.biases) {
            s += (ku ? m.userBias[u] : 0f) + (ki ? m.itemBias[i] : 0f);
        }
        return Math.max(m.minRating, Math.min(m.maxRating, s));
    }
}
