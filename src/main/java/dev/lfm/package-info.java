/**
 * lfm, a latent factor model training engine; this package holds only LfmException, the one-line user error every layer throws,
 * and OrderedMap, the ordered key-value maps every layer reports through.
 * Imports nothing of ours; every package may import it.
 */
package dev.lfm;
