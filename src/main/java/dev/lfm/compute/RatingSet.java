package dev.lfm.compute;

import dev.lfm.data.Ratings;

/** A rating set made resident on a backend by {@link Backend#upload}. */
public interface RatingSet {
    /** The host copy it was made from. */
    Ratings host();

    default int size() {
        return host().size();
    }
}
