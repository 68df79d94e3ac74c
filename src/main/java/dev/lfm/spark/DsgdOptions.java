package dev.lfm.spark;

import dev.lfm.LfmException;
import java.util.List;

/**
 * Knobs of the DSGD engine beyond {@link dev.lfm.train.TrainingConfig}.
 *
 * @param partitions p: the grid is p × p blocks and each sub-epoch runs p tasks (default: the
 *        cluster's default parallelism; more than the cores only adds stages)
 * @param checkpointEvery cut the lineage every this many epochs (reliable checkpoint when the
 *        context has a checkpoint directory, else a local checkpoint)
 * @param backend the backend each task trains its block on: {@code cpu} (one thread), {@code opencl}
 *        or {@code cuda} (the executor's GPU; see {@link TaskBackends})
 */
public record DsgdOptions(int partitions, int checkpointEvery, String backend) {
    public static final int DEFAULT_CHECKPOINT_EVERY = 5;

    public DsgdOptions {
        if (partitions < 1) {
            throw new LfmException("--partitions must be >= 1 (got " + partitions + ")");
        }
        if (checkpointEvery < 1) {
            throw new LfmException("--checkpoint-every must be >= 1 (got " + checkpointEvery + ")");
        }
        if (!List.of("cpu", "opencl", "cuda").contains(backend)) {
            throw new LfmException("--engine spark: each task runs the cpu, opencl or cuda backend (got '" + backend + "')");
        }
    }

    /** p blocks, the default checkpoint interval, the CPU backend. */
    public static DsgdOptions of(int partitions) {
        return new DsgdOptions(partitions, DEFAULT_CHECKPOINT_EVERY, "cpu");
    }

    /** The same on {@code backend}. */
    public DsgdOptions withBackend(String backend) {
        return new DsgdOptions(partitions, checkpointEvery, backend);
    }
}
