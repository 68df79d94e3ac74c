package dev.lfm.cli;

import dev.lfm.data.Ratings;

/** A loaded problem: train / validation (may be empty) / test in one id space, and a description. */
public record Dataset(String description, Ratings train, Ratings validation, Ratings test) {
    public Ratings all() {
        return train;
    }
}
