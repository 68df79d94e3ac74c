package dev.lfm.compute.gpu;

import dev.lfm.compute.Optimizer;

import dev.lfm.compute.Backend;
import dev.lfm.compute.ErrorSums;
import dev.lfm.objective.Gradient;
import dev.lfm.objective.LossTerms;
import dev.lfm.compute.OptimizerStep;
import dev.lfm.compute.RatingSet;
import dev.lfm.compute.Side;
import dev.lfm.compute.gpu.Accelerator.Buffer;
import dev.lfm.data.Permutation;
import dev.lfm.data.Ratings;
import dev.lfm.model.FactorModel;
import dev.lfm.objective.Objective;
import dev.lfm.objective.Regularization;
import java.util.ArrayList;
import java.util.List;

/**
 * The device backend, written once against {@link Accelerator} and shared by OpenCL and CUDA.
 * Parameters, optimizer state, gradient accumulators and rating sets stay on the device across
 * steps; only reduction partials (a few KiB) come back until {@link #getModel}.
 *
 * <ul>
 *   <li>{@link #sgdEpoch}: lock-free batch-Hogwild SGD ({@link SgdKernels}), plain or with the
 *       per-row AdaGrad schedule; the order is a seeded permutation computed inside the kernel,
 *       so nothing is uploaded per epoch.
 *   <li>{@link #shuffle}: the same permutation as the CPU backend for the same seed
 *       ({@link Permutation#seeded}), made on the host and uploaded once per call, so
 *       mini-batches are identical across backends.
 *   <li>{@link #gradientStep}: residuals of the batch, half gradients scattered by float atomics
 *       into accumulators that are zero outside a step (full batch: by CSR/CSC segments when
 *       {@link GradientKernels#FULL_BATCH_SEGMENTS}), then the optimizer on the touched rows
 *       only, which also clears their accumulators (O(batch·k) per step).
 *   <li>{@link #alsSweep}: per-row normal equations built from the set's CSR/CSC segments and
 *       solved on the device by LDLᵀ, one work-group per row ({@link AlsKernels}); parameters
 *       stay on the device.
 *   <li>{@link #ranker}: top-N for blocks of users ({@link DeviceRanker}, {@link TopNKernels}):
 *       scores against every item and each user's N best selected on the device; the kernels are
 *       a program of their own, compiled on first use, so training never pays for them.
 * </ul>
 *
 * <p>Half-precision factor storage ({@link #GpuBackend(Accelerator, boolean)}, cuMF_SGD's option):
 * SGD epochs read and write fp16 copies of P and Q (arithmetic stays float; an update moves
 * 4·k·2 bytes of factors instead of 4·k·4). After each epoch the copies are widened into the
 * float P and Q, which every other kernel (loss, evaluation, gradients, ALS) and {@link #getModel}
 * use unchanged; the float values then equal the fp16 ones exactly, so the next epoch needs no
 * conversion. {@link #setModel}, {@link #gradientStep} and {@link #alsSweep} write the float
 * P and Q and mark the copies stale; they are rounded afresh before the next epoch. The
 * conversions cost O((m + n)·k) per epoch against the epoch's O(|R|·k).
 */
public final class GpuBackend implements Backend {
    /** Kernel files compiled into the one program (after common.h). */
    public static final List<String> FILES = List.of(PredictKernels.FILE, ReduceKernels.FILE, GradientKernels.FILE,
            OptimizerKernels.FILE, SgdKernels.FILE, AlsKernels.FILE, ConvertKernels.FILE);

    private final Accelerator acc;
    private final PredictKernels predict;
    private final ReduceKernels reduce;
    private final GradientKernels gradient;
    private final OptimizerKernels optimizer;
    private final SgdKernels sgd;
    private final AlsKernels als;
    private final ConvertKernels convert;
    /** The top-N kernels, built on the first {@link #ranker}. */
    private TopNKernels topn;
    private final boolean halfFactors;
    /** Whether the fp16 copies of P and Q differ from the float ones (half storage only). */
    private boolean halfStale = true;
    private final List<GpuRatingSet> sets = new ArrayList<>();
    private DeviceModel m;
    private Accumulators acc0;
    /** Optimizer state: first moment / velocity (m1) and second moment (m2), per side; lazily allocated. */
    private Buffer m1P;
    private Buffer m1Q;
    private Buffer m1Bu;
    private Buffer m1Bi;
    private Buffer m2P;
    private Buffer m2Q;
    private Buffer m2Bu;
    private Buffer m2Bi;
    /** AdaGrad state of SGD epochs: (G, H) per user / item row, lazily allocated, 1 after setModel. */
    private Buffer adaUsers;
    private Buffer adaItems;
    private Buffer residual;
    private boolean closed;
    private int sgdLanes;
    /** Bumped by every change of the parameters; keys the error sums {@link #loss} leaves behind. */
    private long modelVersion;
    /** The clipped error sums of the last {@link #loss} pass: {@link #evaluate} of the same set and model reuses them. */
    private GpuRatingSet lastErrorsSet;
    private long lastErrorsVersion = -1;
    private ErrorSums lastErrors;

    /** Builds the kernels on {@code accelerator}, factors stored as float; the backend owns and closes it. */
    public GpuBackend(Accelerator accelerator) {
        this(accelerator, false);
    }

    /**
     * Builds the kernels on {@code accelerator}; the backend owns and closes it. With
     * {@code halfFactors}, SGD epochs store P and Q as fp16 (see the class comment).
     */
    public GpuBackend(Accelerator accelerator, boolean halfFactors) {
        this.acc = accelerator;
        this.halfFactors = halfFactors;
        try {
            Accelerator.Program program = acc.build(FILES);
            predict = new PredictKernels(acc, program);
            reduce = new ReduceKernels(acc, program);
            gradient = new GradientKernels(acc, program);
            optimizer = new OptimizerKernels(acc, program);
            sgd = new SgdKernels(acc, program);
            als = new AlsKernels(acc, program);
            convert = new ConvertKernels(acc, program);
        } catch (RuntimeException | Error e) {
            acc.close();
            throw e;
        }
    }

    @Override
    public String name() {
        return acc.api();
    }

    @Override
    public String device() {
        return acc.device();
    }

    @Override
    public int threads() {
        return acc.computeUnits();
    }

    /** Whether SGD epochs store P and Q as fp16. */
    public boolean halfFactors() {
        return halfFactors;
    }

    /**
     * Forces the lanes per rating of SGD epochs (a power of two 1..32; 0 = automatic), so tests
     * can run the cross-lane reduction on any device.
     */
    public void forceSgdLanes(int lanes) {
        if (lanes < 0 || lanes > 32 || Integer.bitCount(Math.max(1, lanes)) != 1) {
            throw new IllegalArgumentException("lanes must be 0 or a power of two up to 32");
        }
        this.sgdLanes = lanes;
    }

    /**
     * Forces the lanes per rating (or row) of the loss and evaluation reductions (a power of two
     * 1..32; 0 = automatic), so tests can run their cross-lane sums on any device.
     */
    public void forceReduceLanes(int lanes) {
        if (lanes < 0 || lanes > 32 || Integer.bitCount(Math.max(1, lanes)) != 1) {
            throw new IllegalArgumentException("lanes must be 0 or a power of two up to 32");
        }
        reduce.forceLanes(lanes);
        lastErrorsSet = null;
    }

    /**
     * Fills device scratch outputs (residual buffer, reduction partials) with NaN, so an element a
     * kernel fails to write shows up in the next result (contract tests).
     */
    public void poisonScratch() {
        if (residual != null) {
            acc.fill(residual, Float.NaN);
        }
        reduce.poison();
        lastErrorsSet = null;
    }

    @Override
    public RatingSet upload(Ratings ratings) {
        GpuRatingSet s = new GpuRatingSet(acc, ratings, this::forget);
        sets.add(s);
        return s;
    }

    /** A set closed by its holder: no longer this backend's (its device memory is already freed). */
    private void forget(GpuRatingSet s) {
        sets.remove(s);
        if (lastErrorsSet == s) {
            lastErrorsSet = null;
        }
    }

    /** How many uploaded rating sets are still resident (not closed): for tests and diagnostics. */
    public int residentRatingSets() {
        return sets.size();
    }

    private GpuRatingSet dev(RatingSet s) {
        if (!(s instanceof GpuRatingSet g) || !sets.contains(g)) {
            throw new IllegalArgumentException("rating set was not uploaded to this backend, or is closed");
        }
        return g;
    }

    @Override
    public void setModel(FactorModel model) {
        if (m == null || !m.sameShape(model)) {
            freeModel();
            m = new DeviceModel(acc, model);
            acc0 = new Accumulators(acc, m);
        }
        m.upload(acc, model);
        modelVersion++;
        halfStale = true;
        for (Buffer b : new Buffer[] {m1P, m1Q, m1Bu, m1Bi, m2P, m2Q, m2Bu, m2Bi}) {
            if (b != null) {
                acc.fill(b, 0);
            }
        }
        for (Buffer b : new Buffer[] {adaUsers, adaItems}) {
            if (b != null) {
                acc.fill(b, 1f);
            }
        }
    }

    private void freeModel() {
        if (m != null) {
            m.close();
            acc0.close();
            m = null;
            acc0 = null;
        }
        for (Buffer b : new Buffer[] {m1P, m1Q, m1Bu, m1Bi, m2P, m2Q, m2Bu, m2Bi, adaUsers, adaItems}) {
            if (b != null) {
                b.close();
            }
        }
        m1P = m1Q = m1Bu = m1Bi = m2P = m2Q = m2Bu = m2Bi = adaUsers = adaItems = null;
    }

    private void requireModel() {
        if (m == null) {
            throw new IllegalStateException("setModel must be called first");
        }
    }

    @Override
    public void getModel(FactorModel into) {
        requireModel();
        m.download(acc, into);
    }

    @Override
    public LossTerms loss(RatingSet train, Objective obj) {
        requireModel();
        GpuRatingSet s = dev(train);
        boolean weighted = obj.regularization() == Regularization.WEIGHTED;
        // one pass gives the objective's squared error and the clipped sums of evaluate(train)
        double[] e = reduce.errors(s, m);
        lastErrorsSet = s;
        lastErrorsVersion = modelVersion;
        lastErrors = new ErrorSums(e[1], e[2], s.size());
        double sse = e[0];
        double[] pu = reduce.penalty(m.numUsers, m.p, m.bu, s.userCounts, m.rank, weighted);
        double[] pi = reduce.penalty(m.numItems, m.q, m.bi, s.itemCounts, m.rank, weighted);
        return new LossTerms(sse, obj.lambda() * (pu[0] + pi[0]),
                obj.biases() ? obj.lambdaBias() * (pu[1] + pi[1]) : 0, s.size());
    }

    @Override
    public ErrorSums evaluate(RatingSet set) {
        requireModel();
        GpuRatingSet s = dev(set);
        if (s == lastErrorsSet && modelVersion == lastErrorsVersion) {
            return lastErrors;
        }
        double[] sums = reduce.errors(s, m);
        return new ErrorSums(sums[1], sums[2], s.size());
    }

    private Buffer residualScratch(int count) {
        long bytes = Math.max(1L, count) * Float.BYTES;
        if (residual == null || residual.bytes() < bytes) {
            if (residual != null) {
                residual.close();
            }
            residual = acc.alloc(bytes);
        }
        return residual;
    }

    @Override
    public float[] residuals(RatingSet set) {
        requireModel();
        GpuRatingSet s = dev(set);
        Buffer e = residualScratch(s.size());
        predict.residuals(s, m, e);
        float[] out = new float[s.size()];
        acc.download(e, 0, out, 0, out.length);
        return out;
    }

    // ---------------------------------------------------------------- SGD

    @Override
    public void sgdEpoch(RatingSet train, Objective obj, Optimizer rule, float lr, float lrBias, long seed) {
        requireModel();
        GpuRatingSet s = dev(train);
        if (!rule.perRating()) {
            throw new IllegalArgumentException(rule.label() + " is not a per-rating SGD rule");
        }
        if (rule == Optimizer.ADAGRAD && adaUsers == null) {
            adaUsers = acc.alloc(2L * m.numUsers * Float.BYTES);
            adaItems = acc.alloc(2L * m.numItems * Float.BYTES);
            acc.fill(adaUsers, 1f);
            acc.fill(adaItems, 1f);
        }
        boolean adagrad = rule == Optimizer.ADAGRAD;
        modelVersion++;
        Buffer p = m.p;
        Buffer q = m.q;
        if (halfFactors) {
            m.ensureHalf(acc);
            if (halfStale) {
                convert.toHalf(m.p, m.pHalf, m.pElements());
                convert.toHalf(m.q, m.qHalf, m.qElements());
                halfStale = false;
            }
            p = m.pHalf;
            q = m.qHalf;
        }
        sgd.epoch(s, m, p, q, halfFactors, adagrad ? adaUsers : null, adagrad ? adaItems : null, lr, lrBias, (float) obj.lambda(), (float) obj.lambdaBias(),
                obj.regularization() == Regularization.WEIGHTED, obj.biases() && m.biases, seed, sgdLanes);
        if (halfFactors) {
            convert.toFloat(m.pHalf, m.p, m.pElements());
            convert.toFloat(m.qHalf, m.q, m.qElements());
        }
        acc.finish();
    }

    // ---------------------------------------------------------- gradient steps

    @Override
    public void shuffle(RatingSet train, long seed) {
        GpuRatingSet s = dev(train);
        s.setOrder(Permutation.seeded(s.size(), seed));
    }

    /** Where the touched rows of an accumulated batch are listed. */
    private record Touched(Buffer users, Buffer items, Buffer counts, int boundUsers, int boundItems,
                           boolean scatter) {
    }

    /** Accumulates the batch's half gradients into acc0; returns where its touched rows are listed. */
    private Touched accumulate(GpuRatingSet s, int from, int to, Objective obj) {
        int count = to - from;
        Buffer e = residualScratch(count);
        float lambda = (float) obj.lambda();
        float lambdaBias = (float) obj.lambdaBias();
        boolean weighted = obj.regularization() == Regularization.WEIGHTED;
        boolean useBias = obj.biases() && m.biases;
        if (GradientKernels.FULL_BATCH_SEGMENTS && from == 0 && to == s.size()) {
            predict.residuals(s, m, e);
            gradient.rows(s, m, e, lambda, lambdaBias, weighted, useBias, acc0);
            return new Touched(s.segments(0).active(), s.segments(1).active(), s.activeCounts(),
                    s.segments(0).numActive(), s.segments(1).numActive(), false);
        }
        predict.residualsOrdered(s, from, count, m, e);
        gradient.scatter(s, from, count, m, e, lambda, lambdaBias, weighted, useBias, acc0);
        return new Touched(acc0.touchedU, acc0.touchedI, acc0.touchedCount, Math.min(count, m.numUsers),
                Math.min(count, m.numItems), true);
    }

    @Override
    public Gradient gradient(RatingSet train, int from, int to, Objective obj) {
        requireModel();
        GpuRatingSet s = dev(train);
        s.checkBatch(from, to);
        int k = m.rank;
        float[] dp = new float[m.numUsers * k];
        float[] dq = new float[m.numItems * k];
        float[] dbu = new float[m.numUsers];
        float[] dbi = new float[m.numItems];
        if (to > from) {
            accumulate(s, from, to, obj);
            acc.download(acc0.gP, 0, dp, 0, dp.length);
            acc.download(acc0.gQ, 0, dq, 0, dq.length);
            acc.download(acc0.gBu, 0, dbu, 0, dbu.length);
            acc.download(acc0.gBi, 0, dbi, 0, dbi.length);
            acc0.clear(acc);
            for (float[] a : new float[][] {dp, dq, dbu, dbi}) {
                for (int j = 0; j < a.length; j++) {
                    a[j] *= 2;
                }
            }
        }
        return new Gradient(k, dp, dq, dbu, dbi);
    }

    @Override
    public void gradientStep(RatingSet train, int from, int to, Objective obj, OptimizerStep step) {
        requireModel();
        GpuRatingSet s = dev(train);
        s.checkBatch(from, to);
        if (to == from) {
            return;
        }
        if (!step.kind().batch()) {
            throw new IllegalArgumentException(step.kind().label() + " has no batch-step rule (per-rating SGD only)");
        }
        Touched t = accumulate(s, from, to, obj);
        modelVersion++;
        ensureState(step.kind());
        halfStale = true;
        boolean useBias = obj.biases() && m.biases;
        optimizer.step(step, t.boundUsers(), t.users(), t.counts(), 0, m.rank, useBias,
                new OptimizerKernels.Side(m.p, acc0.gP, m.bu, acc0.gBu, m1P, m1Bu, m2P, m2Bu, acc0.markU));
        optimizer.step(step, t.boundItems(), t.items(), t.counts(), 1, m.rank, useBias,
                new OptimizerKernels.Side(m.q, acc0.gQ, m.bi, acc0.gBi, m1Q, m1Bi, m2Q, m2Bi, acc0.markI));
        if (t.scatter()) {
            acc.fill(acc0.touchedCount, 0);
        }
        // no finish: the in-order queue runs steps back to back; scalar queries and getModel wait
    }

    private void ensureState(Optimizer kind) {
        if (kind != Optimizer.SGD && m1P == null) {
            m1P = zeros(m.p.bytes());
            m1Q = zeros(m.q.bytes());
            m1Bu = zeros(m.bu.bytes());
            m1Bi = zeros(m.bi.bytes());
        }
        if (kind == Optimizer.ADAM && m2P == null) {
            m2P = zeros(m.p.bytes());
            m2Q = zeros(m.q.bytes());
            m2Bu = zeros(m.bu.bytes());
            m2Bi = zeros(m.bi.bytes());
        }
    }

    private Buffer zeros(long bytes) {
        Buffer b = acc.alloc(bytes);
        acc.fill(b, 0);
        return b;
    }

    // ---------------------------------------------------------------- ALS

    /**
     * One half-sweep on the device ({@link AlsKernels}); waits for it, so an epoch's time is the
     * sweeps' (two waits per epoch cost nothing measurable).
     */
    @Override
    public void alsSweep(RatingSet train, Objective obj, Side side) {
        requireModel();
        GpuRatingSet s = dev(train);
        modelVersion++;
        halfStale = true;
        als.sweep(s, m, side, (float) obj.lambda(), (float) obj.lambdaBias(),
                obj.regularization() == Regularization.WEIGHTED, obj.biases() && m.biases);
        acc.finish();
    }

    /**
     * Forces the ALS form with the matrix in global memory for every rank (normally only d > 65)
     * and/or the lanes per row (0 = automatic): tests and measurements.
     */
    public void forceAls(boolean globalForm, int lanesPerRow) {
        if (lanesPerRow < 0 || lanesPerRow > acc.maxWorkGroupSize()) {
            throw new IllegalArgumentException("lanes per row must be 0..." + acc.maxWorkGroupSize());
        }
        als.forceGlobal(globalForm);
        als.forceLocalSize(lanesPerRow);
    }

    // ---------------------------------------------------------------- top-N

    /** Upper bound on the score slab of a {@link DeviceRanker}, and its share of device memory at most. */
    static final long TOPN_SLAB_BYTES = 128L << 20;
    /** Users per block at most when the block size is automatic. */
    static final int TOPN_MAX_BLOCK = 4096;

    /**
     * A top-N ranker for {@code model} on this device ({@link DeviceRanker}): uploads the model
     * (it becomes this backend's current model, as by {@link #setModel}) and the exclusion lists
     * ({@code exPtr}: numUsers + 1 offsets into {@code exItems}, each user's excluded model item
     * rows; both null for none). {@code blockUsers} ≤ 0 picks the block size: as many users as fit
     * a slab of min({@value #TOPN_SLAB_BYTES} bytes, device memory / 8), at most
     * {@value #TOPN_MAX_BLOCK}. The top-N kernels are compiled on the first call.
     */
    public DeviceRanker ranker(FactorModel model, int n, int[] exPtr, int[] exItems, int blockUsers) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be >= 1");
        }
        if (exPtr != null && exPtr.length != model.numUsers + 1) {
            throw new IllegalArgumentException("exPtr needs numUsers + 1 entries");
        }
        if (topn == null) {
            topn = new TopNKernels(acc, acc.build(List.of(TopNKernels.FILE)));
        }
        setModel(model);
        int block = blockUsers;
        if (block <= 0) {
            long budget = Math.min(TOPN_SLAB_BYTES, acc.globalMemoryBytes() / 8);
            block = (int) Math.max(1, Math.min(TOPN_MAX_BLOCK, budget / (Math.max(1L, model.numItems) * Float.BYTES)));
        }
        return new DeviceRanker(acc, topn, m, model.q, n, exPtr, exItems,
                Math.max(1, Math.min(block, model.numUsers)));
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            for (GpuRatingSet s : List.copyOf(sets)) {
                s.close();
            }
            sets.clear();
            freeModel();
            if (residual != null) {
                residual.close();
            }
            reduce.close();
            als.close();
        } finally {
            acc.close();
        }
    }
}
