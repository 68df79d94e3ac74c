/**
 * The one atomic output-file writer (OutputFiles): temporary sibling, fsync, rename; models, reports, CSV and charts all go through it.
 * The lowest layer, below data so that model/ can write through it: imports nothing of ours but dev.lfm.
 */
package dev.lfm.io;
