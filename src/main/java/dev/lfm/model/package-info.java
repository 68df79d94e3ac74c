/**
 * FactorModel (P, Q, biases, μ, rating range, provenance) and its file format (ModelIO).
 * May import data and io.
 */
package dev.lfm.model;
