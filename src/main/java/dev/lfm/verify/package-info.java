/**
 * Any backend checked kernel by kernel against the double-precision reference (BackendVerifier, PlantedProblem, ConvergencePlan).
 * May import compute (and compute.gpu for its kernel checks), objective, model and data.
 */
package dev.lfm.verify;
