/**
 * The distributed engine on Apache Spark (an optional, {@code provided} dependency): DSGD
 * (Gemulla et al., KDD 2011) whose tasks run lfm's own single-machine SGD on their block (the CPU
 * backend, or an executor's OpenCL/CUDA backend, opened through {@link dev.lfm.compute.Backends} by
 * {@link dev.lfm.spark.TaskBackends}), and MLlib's ALS on the same split for comparison;
 * {@link dev.lfm.spark.SyntheticParquet} writes lfm's synthetic problem to Parquet from Spark tasks.
 *
 * <p>{@link dev.lfm.spark.SparkAvailability} is the only class here that may be loaded without
 * Spark on the class path: callers check it before touching anything else in this package.
 *
 * <p>May import data, model, objective, compute, train (public API only); nothing after it.
 */
package dev.lfm.spark;
