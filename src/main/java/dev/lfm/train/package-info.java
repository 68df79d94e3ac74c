/**
 * TrainingConfig (every default, once; toMap, the one serialized form), the Trainer epoch loop, algorithms, history and results.
 * May import compute, objective, model and data.
 */
package dev.lfm.train;
