package dev.lfm.data;

/**
 * What the reader does with an id that is not yet in the id map it was given (reading a test
 * file in the id space of a training file).
 */
public enum UnknownIds {
    /** Add the id to the map (the id space grows; such rows have no training ratings). */
    ADD,
    /** Refuse the file, naming the line and the id. */
    ERROR
}
