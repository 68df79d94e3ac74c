package dev.lfm.compute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lfm.LfmException;
import dev.lfm.verify.ConvergencePlan;
import dev.lfm.compute.gpu.GpuBackend;
import dev.lfm.verify.PlantedProblem;
import dev.lfm.model.FactorModel;
import org.junit.jupiter.api.Test;

/**
 * Half-precision (fp16) factor storage of SGD epochs on a GPU backend, against the float run from
 * the same start; one subclass per backend (OpenCL runs on PoCL in CI). Skipped with one line when
 * the backend is unavailable, unless {@code LFM_REQUIRE_<BACKEND>=1}.
 */
abstract class HalfStorageTest {
    /** "opencl" or "cuda". */
    protected abstract String backendName();

    private static PlantedProblem planted;
    private static PlantedProblem tiny;

    private static synchronized PlantedProblem planted() {
        if (planted == null) {
            planted = PlantedProblem.generate(300, 200, 3, 0.3, 0.1, 42);
        }
        return planted;
    }

    /**
     * Under 2·64 training ratings: an SGD epoch is one sequential stream (SgdKernels), so float runs
     * are reproducible and the half run differs from them by rounding alone (on the larger problem,
     * Hogwild races on a multi-core device already move float runs apart by ~2%).
     */
    private static synchronized PlantedProblem tiny() {
        if (tiny == null) {
            tiny = PlantedProblem.generate(20, 16, 3, 0.4, 0.1, 42);
            assertThat(tiny.train().size()).isBetween(64, 127);
        }
        return tiny;
    }

    private Backend open(boolean half) {
        return RequiredBackends.openOrSkip(backendName(), new BackendOptions(0, -1, half));
    }

    /** ‖a − b‖₂ / ‖b‖₂. */
    private static double relative(float[] a, float[] b) {
        double d = 0;
        double n = 0;
        for (int j = 0; j < a.length; j++) {
            d += (a[j] - (double) b[j]) * (a[j] - (double) b[j]);
            n += (double) b[j] * b[j];
        }
        return Math.sqrt(d / n);
    }

    /**
     * Twice the expected relative drift of a row stored in fp16 over {@code updates} updates: each
     * store rounds with relative error of RMS 2⁻¹¹/√3 and the errors walk randomly (≈ 1e-3 for a
     * few tens of updates; a bf16-like 8-bit mantissa or a stale start would be ≥ 10× that).
     */
    static double roundingWalk(double updates) {
        return 2 * Math.sqrt(updates) * 0x1p-11 / Math.sqrt(3);
    }

    /** Whether x is exactly representable in binary16 (|x| ≤ 65504). */
    static boolean isHalf(float x) {
        if (Math.abs(x) >= 0x1p-14f) {
            return Math.abs(x) <= 65504f && (Float.floatToRawIntBits(x) & 0x1FFF) == 0;
        }
        double scaled = x * 0x1p24;
        return scaled == Math.rint(scaled);
    }

    private static FactorModel oneEpoch(Backend b, FactorModel start) {
        RatingSet train = b.upload(tiny().train());
        b.setModel(start);
        b.sgdEpoch(train, ConvergencePlan.OBJECTIVE, 0.03f, 0.03f, 11);
        FactorModel out = start.copy();
        b.getModel(out);
        return out;
    }

    @Test
    void oneEpochStaysCloseToTheFloatEpoch() {
        FactorModel start = tiny().initialModel(8, 5);
        FactorModel f;
        FactorModel h;
        try (Backend b = open(false)) {
            f = oneEpoch(b, start);
        }
        try (Backend b = open(true)) {
            assertThat(((GpuBackend) b).halfFactors()).isTrue();
            h = oneEpoch(b, start);
        }
        PlantedProblem pp = tiny();
        double perUser = (double) pp.train().size() / pp.train().numUsers();
        double perItem = (double) pp.train().size() / pp.train().numItems();
        assertThat(relative(f.p, start.p)).as("the epoch moved P").isGreaterThan(0.02);
        // measured on PoCL: P, Q 6e-4 (≈ 1% of the epoch's move) against bounds 1.4e-3, 1.5e-3
        assertThat(relative(h.p, f.p)).as("P half vs float").isLessThan(roundingWalk(perUser));
        assertThat(relative(h.q, f.q)).as("Q half vs float").isLessThan(roundingWalk(perItem));
        assertThat(relative(h.userBias, f.userBias)).as("b_u half vs float").isLessThan(2e-4);
        assertThat(relative(h.itemBias, f.itemBias)).as("b_i half vs float").isLessThan(2e-4);
        // the float P read back after a half epoch holds fp16 values exactly
        for (float x : h.p) {
            assertThat(isHalf(x)).as("%s is an fp16 value", x).isTrue();
        }
    }

    @Test
    void trainingReachesTheFloatRmse() {
        double floatRmse;
        double halfRmse;
        try (Backend b = open(false)) {
            floatRmse = ConvergencePlan.SGD.run(b, planted(), 7);
        }
        try (Backend b = open(true)) {
            halfRmse = ConvergencePlan.SGD.run(b, planted(), 7);
        }
        assertThat(floatRmse).as("float rmse").isLessThan(0.13);
        assertThat(halfRmse).as("half rmse vs float " + floatRmse)
                .isCloseTo(floatRmse, org.assertj.core.data.Percentage.withPercentage(1));
    }

    /** The AdaGrad rule on fp16 factors (its G, H state stays float) reaches the float run's RMSE. */
    @Test
    void adagradTrainingReachesTheFloatRmse() {
        double floatRmse;
        double halfRmse;
        try (Backend b = open(false)) {
            floatRmse = ConvergencePlan.SGD_ADAGRAD.run(b, planted(), 7);
        }
        try (Backend b = open(true)) {
            halfRmse = ConvergencePlan.SGD_ADAGRAD.run(b, planted(), 7);
        }
        assertThat(floatRmse).as("float rmse").isLessThan(0.13);
        assertThat(halfRmse).as("half rmse vs float " + floatRmse)
                .isCloseTo(floatRmse, org.assertj.core.data.Percentage.withPercentage(1));
    }

    /** A gradient step between epochs writes float P, Q: the next half epoch must start from them. */
    @Test
    void epochAfterAGradientStepStartsFromTheUpdatedFactors() {
        PlantedProblem pp = tiny();
        FactorModel start = pp.initialModel(4, 3);
        FactorModel[] out = new FactorModel[2];
        for (int v = 0; v < 2; v++) {
            try (Backend b = open(v == 1)) {
                RatingSet train = b.upload(pp.train());
                b.setModel(start);
                b.sgdEpoch(train, ConvergencePlan.OBJECTIVE, 0.03f, 0.03f, 1);
                b.gradientStep(train, 0, train.size(), ConvergencePlan.OBJECTIVE, OptimizerStep.plain(0.005f, 0.005f));
                b.sgdEpoch(train, ConvergencePlan.OBJECTIVE, 0.03f, 0.03f, 2);
                out[v] = start.copy();
                b.getModel(out[v]);
            }
        }
        double perUser = (double) pp.train().size() / pp.train().numUsers();
        double perItem = (double) pp.train().size() / pp.train().numItems();
        assertThat(relative(out[1].p, out[0].p)).isLessThan(roundingWalk(2 * perUser));
        assertThat(relative(out[1].q, out[0].q)).isLessThan(roundingWalk(2 * perItem));
    }

    @Test
    void cpuBackendRejectsHalfStorage() {
        assertThatThrownBy(() -> Backends.open("cpu", new BackendOptions(1, -1, true), null))
                .isInstanceOf(LfmException.class)
                .hasMessage("half-precision factor storage is a GPU option (opencl, cuda)");
    }
}
