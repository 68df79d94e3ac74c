/**
 * The Backend seam (open, upload, step, download, close), its value types, the Optimizer list, and backend selection by ServiceLoader.
 * May import data, model and objective; never a backend package below it.
 */
package dev.lfm.compute;
