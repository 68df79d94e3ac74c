package dev.lfm.objective;

/** A gradient with the model's shape: dP, dQ (row-major, rank columns), db_u, db_i. */
public record Gradient(int rank, float[] p, float[] q, float[] userBias, float[] itemBias) {
}
