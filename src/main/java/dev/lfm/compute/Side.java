package dev.lfm.compute;

/** Which factor matrix an ALS half-sweep solves for. */
public enum Side {
    USERS,
    ITEMS
}
