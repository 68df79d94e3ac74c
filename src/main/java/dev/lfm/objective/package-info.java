/**
 * The objective L, its analytic gradient in double precision, the gradient check, and their value types (LossTerms, Gradient).
 * May import data and model.
 */
package dev.lfm.objective;
