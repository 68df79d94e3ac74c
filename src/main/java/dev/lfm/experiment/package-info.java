/**
 * The experiments (regularization and rank sweeps, optimizers, SGD vs ALS, early stopping, landscape, generalization gap) and their outputs.
 * May import train, compute, objective, model, data, io, and report for writing its tables, charts and JSON.
 */
package dev.lfm.experiment;
