/**
 * The pure-Java multithreaded backend (Vector API): block-scheduled SGD, batch gradients, optimizer steps, ALS with Cholesky.
 * May import compute, objective, model and data.
 */
package dev.lfm.compute.cpu;
