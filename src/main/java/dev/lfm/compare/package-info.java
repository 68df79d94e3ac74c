/**
 * Engine-against-engine comparison: the traffic model and rows of lfm compare (Comparison) and the throughput harness (Throughput).
 * May import train, compute, objective, model and data.
 */
package dev.lfm.compare;
