/**
 * Ratings (COO) and IdMap, the rating-file readers and formats, splits, and the one synthetic generator with its Gaussian.
 * Imports nothing of ours (only dev.lfm).
 */
package dev.lfm.data;
