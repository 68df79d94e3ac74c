package dev.lfm.spark;

import dev.lfm.LfmException;

/**
 * Knobs of the DSGD engine beyond {@link dev.lfm.train.TrainingConfig}.
 *
 * @param partitions p: the grid is p × p blocks and each sub-epoch runs p tasks (default: the
 *        cluster's default parallelism; more than the cores only adds stages)
 * @param checkpointEvery cut the lineage every this many epochs (reliable checkpoint when the
 *        context has a checkpoint directory, else a local checkpoint)
 */
public record DsgdOptions(int partitions, int checkpointEvery) {
    public static final int DEFAULT_CHECKPOINT_EVERY = 5;

    public DsgdOptions {
        if (partitions < 1) {
            throw new LfmException("--partitions must be >= 1 (got " + partitions + ")");
        }
        if (checkpointEvery < 1) {
            throw new LfmException("--checkpoint-every must be >= 1 (got " + checkpointEvery + ")");
        }
    }

    public static DsgdOptions of(int partitions) {
        return new DsgdOptions(partitions, DEFAULT_CHECKPOINT_EVERY);
    }
}
