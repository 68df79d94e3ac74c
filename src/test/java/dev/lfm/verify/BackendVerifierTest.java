package dev.lfm.verify;

import dev.lfm.objective.Gradient;

import dev.lfm.objective.LossTerms;

import dev.lfm.compute.Side;

import dev.lfm.compute.OptimizerStep;

import dev.lfm.compute.ErrorSums;

import dev.lfm.compute.RatingSet;

import dev.lfm.compute.Backend;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lfm.cli.CliRun;
import dev.lfm.compute.cpu.CpuBackend;
import dev.lfm.data.Ratings;
import dev.lfm.model.FactorModel;
import dev.lfm.objective.Objective;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackendVerifierTest {

    /** The CPU backend with one deliberate slip: residuals off by 1e-3, or ALS one step short. */
    static final class Slipped implements Backend {
        final Backend d = new CpuBackend(1);
        final boolean slipResiduals;

        Slipped(boolean slipResiduals) {
            this.slipResiduals = slipResiduals;
        }

        public String name() { return "slipped"; }
        public String device() { return d.device(); }
        public int threads() { return 1; }
        public RatingSet upload(Ratings r) { return d.upload(r); }
        public void setModel(FactorModel m) { d.setModel(m); }
        public void getModel(FactorModel m) { d.getModel(m); }
        public LossTerms loss(RatingSet s, Objective o) { return d.loss(s, o); }
        public ErrorSums evaluate(RatingSet s) { return d.evaluate(s); }
        public void sgdEpoch(RatingSet s, Objective o, dev.lfm.compute.Optimizer rule, float lr, float lrb, long seed) {
            d.sgdEpoch(s, o, rule, lr, lrb, seed);
        }
        public void shuffle(RatingSet s, long seed) { d.shuffle(s, seed); }
        public void gradientStep(RatingSet s, int a, int b, Objective o, OptimizerStep st) { d.gradientStep(s, a, b, o, st); }
        public Gradient gradient(RatingSet s, int a, int b, Objective o) { return d.gradient(s, a, b, o); }
        public void close() { d.close(); }

        public float[] residuals(RatingSet s) {
            float[] e = d.residuals(s);
            if (slipResiduals) {
                e[e.length / 2] += 1e-3f;
            }
            return e;
        }

        public void alsSweep(RatingSet s, Objective o, Side side) {
            // solves with a slightly wrong regularization: not the minimizer of L
            Objective wrong = new Objective(o.lambda() * 1.01, o.lambdaBias(), o.regularization(), o.biases());
            d.alsSweep(s, slipResiduals ? o : wrong, side);
        }
    }

    private static Row row(List<BackendVerifier.Row> rows, String prefix) {
        return new Row(rows.stream().filter(r -> r.check().startsWith(prefix)).toList());
    }

    record Row(List<BackendVerifier.Row> rows) {
        boolean allOk() {
            return !rows.isEmpty() && rows.stream().allMatch(BackendVerifier.Row::ok);
        }
    }

    @Test
    void theCpuBackendPassesEveryCheck() {
        try (Backend b = new CpuBackend(2)) {
            List<BackendVerifier.Row> rows = BackendVerifier.verify(b);
            assertThat(rows).isNotEmpty().allMatch(BackendVerifier.Row::ok);
            assertThat(rows).anyMatch(r -> r.check().startsWith("als users"));
        }
    }

    @Test
    void aWrongResidualIsCaught() {
        try (Backend b = new Slipped(true)) {
            List<BackendVerifier.Row> rows = BackendVerifier.verify(b);
            assertThat(row(rows, "residuals").allOk()).isFalse();
            assertThat(row(rows, "als").allOk()).isTrue();
        }
    }

    @Test
    void anAlsSolveThatIsNotTheMinimizerIsCaught() {
        try (Backend b = new Slipped(false)) {
            List<BackendVerifier.Row> rows = BackendVerifier.verify(b);
            assertThat(row(rows, "als").allOk()).isFalse();
            assertThat(row(rows, "residuals").allOk()).isTrue();
        }
    }

    @Test
    void verifyAndDevicesCommandsExitCleanly() {
        CliRun verify = CliRun.lfm("verify", "--backend", "cpu");
        assertThat(verify.code()).as(verify.err()).isZero();
        assertThat(verify.out()).contains("all checks passed");
        CliRun devices = CliRun.lfm("devices");
        assertThat(devices.code()).isZero();
        assertThat(devices.out()).contains("cpu").contains("cuda");
        CliRun unknown = CliRun.lfm("verify", "--backend", "nope");
        assertThat(unknown.code()).isNotZero();
        assertThat(unknown.err().strip()).startsWith("lfm: unknown backend 'nope'");
    }
}
