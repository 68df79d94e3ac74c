/**
 * Serving a trained model: fold-in of new users ({@link dev.lfm.serve.FoldIn}), top-N for every
 * user in blocks ({@link dev.lfm.serve.TopN}), ranking metrics ({@link dev.lfm.serve.RankingMetrics}),
 * item titles ({@link dev.lfm.serve.ItemTitles}) and the small Java API ({@link dev.lfm.serve.Lfm}).
 * Everything here maps ids through the models' and rating sets' {@link dev.lfm.data.IdMap}s, so a
 * rating file read into its own id space works with any model. Fold-in and top-N run on the CPU
 * or on a GPU backend (fold-in through {@link dev.lfm.compute.Backend#alsSweep}, top-N through
 * {@link dev.lfm.compute.gpu.GpuBackend#ranker}).
 *
 * <p>May import: data, model, objective, compute, train.
 */
package dev.lfm.serve;
