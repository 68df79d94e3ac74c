/**
 * The distributed engine on Apache Spark (an optional, {@code provided} dependency): DSGD
 * (Gemulla et al., KDD 2011) whose tasks run lfm's own single-machine CPU SGD kernel on their
 * block, and MLlib's ALS on the same split for comparison.
 *
 * <p>{@link dev.lfm.spark.SparkAvailability} is the only class here that may be loaded without
 * Spark on the class path: callers check it before touching anything else in this package.
 *
 * <p>May import data, model, objective, compute, train (public API only); nothing after it.
 */
package dev.lfm.spark;
