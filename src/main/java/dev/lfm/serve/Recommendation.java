package dev.lfm.serve;

/**
 * One row of a top-N list.
 *
 * @param user the user's file id
 * @param item the item's file id
 * @param rank 1 for the best item
 * @param score the unclipped prediction μ + b_u + b_i + p_u·q_i the list is ranked by
 * @param rating the prediction clipped to the model's rating scale
 * @param title the item's title, or null when no titles were given or the item has none
 */
public record Recommendation(long user, long item, int rank, float score, float rating, String title) {
}
