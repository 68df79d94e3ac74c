package dev.lfm.compute;

import dev.lfm.data.Ratings;

/** A rating set made resident on a backend by {@link Backend#upload}. */
public interface RatingSet {
    /** The host copy it was made from. */
    Ratings host();

    default int size() {
        return host().size();
    }

    /** Throws unless [from, to) is a batch of positions of this set. */
    default void checkBatch(int from, int to) {
        if (from < 0 || to > size() || from > to) {
            throw new IllegalArgumentException("batch [" + from + ", " + to + ") outside 0.." + size());
        }
    }
}
