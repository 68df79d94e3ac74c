/**
 * lfm, a latent factor model training engine; this package holds only LfmException, the one-line user error every layer throws.
 * Imports nothing of ours; every package may import it.
 */
package dev.lfm;
