package dev.lfm.data;

/**
 * Training, validation and test ratings in one id space (same {@code numUsers}, {@code numItems}
 * and id maps). Validation is carved from the training data and is what early stopping watches;
 * the test set is only for the final report. {@code validation} may be empty (size 0).
 */
public record Split(Ratings train, Ratings validation, Ratings test) {
    public Split {
        if (train.numUsers() != test.numUsers() || train.numItems() != test.numItems()
                || train.numUsers() != validation.numUsers() || train.numItems() != validation.numItems()) {
            throw new IllegalArgumentException("train, validation and test must share one id space");
        }
    }

    public int numUsers() {
        return train.numUsers();
    }

    public int numItems() {
        return train.numItems();
    }

    public boolean hasValidation() {
        return validation.size() > 0;
    }

    @Override
    public String toString() {
        return "train " + train.size() + ", validation " + validation.size() + ", test " + test.size()
                + " (" + numUsers() + " users x " + numItems() + " items)";
    }
}
