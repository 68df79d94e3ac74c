package dev.lfm.compute;

import dev.lfm.data.Ratings;

/**
 * A rating set made resident on a backend by {@link Backend#upload}. {@link #close()} releases
 * what the backend holds for it (a GPU backend's device memory); the set must not be used after
 * that (a GPU backend refuses it). Closing the backend closes every set it still holds.
 */
public interface RatingSet extends AutoCloseable {
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

    /** Releases the set's backend resources; idempotent. The CPU backend's sets hold none beyond the host copy. */
    @Override
    default void close() {
    }
}
