package dev.lfm.data;

/** What the reader does when a (user, item) pair is rated more than once in one file. */
public enum DuplicatePolicy {
    /** Refuse the file; the message names the line of the repeat and of the first rating. */
    ERROR,
    /** Keep the rating given last in the file. */
    LAST,
    /** Keep the arithmetic mean of all ratings given for the pair. */
    MEAN
}
