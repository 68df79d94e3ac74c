package dev.lfm.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lfm.compute.Backend;
import dev.lfm.compute.cpu.CpuBackend;
import dev.lfm.objective.Reference;
import dev.lfm.report.Json;
import dev.lfm.report.Progress;
import dev.lfm.train.Algorithm;
import dev.lfm.train.EpochRecord;
import dev.lfm.train.TrainingConfig;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExperimentsTest {
    @TempDir
    Path dir;

    private ExperimentOutputs.Files write(ExperimentResult r) throws Exception {
        ExperimentOutputs.Files f = ExperimentOutputs.write(r, Fixtures.outDir(dir));
        BufferedImage img = ImageIO.read(f.png().toFile());
        assertThat(img).as(r.name() + ".png decodes").isNotNull();
        assertThat(img.getWidth()).isBetween(600, 2000);
        assertThat(img.getHeight()).isBetween(400, 1600);
        return f;
    }

    private static double d(String s) {
        return Double.parseDouble(s);
    }

    @Test
    void gapSeriesIsTestMinusTrainInResultAndCsv() throws Exception {
        TrainingConfig c = Fixtures.config();
        c.rank = 12;
        c.lambda = 0.001;
        c.epochs = 12;
        GeneralizationGap.Result r = GeneralizationGap.run(Fixtures.context(c));
        assertThat(r.history()).hasSize(12);
        double[] gap = r.gap();
        for (int j = 0; j < gap.length; j++) {
            EpochRecord e = r.history().get(j);
            assertThat(gap[j]).isEqualTo(e.testRmse() - e.trainRmse());
        }
        // an under-regularized rank-12 fit of a rank-3 problem generalizes worse than it fits
        assertThat(gap[gap.length - 1]).isGreaterThan(0.02);
        List<String[]> csv = Fixtures.readCsv(write(r).csv());
        int tr = Fixtures.column(csv, "train_rmse");
        int te = Fixtures.column(csv, "test_rmse");
        int g = Fixtures.column(csv, "gap");
        assertThat(csv).hasSize(13);
        for (int j = 1; j < csv.size(); j++) {
            String[] row = csv.get(j);
            assertThat(d(row[g])).isEqualTo(d(row[te]) - d(row[tr]));
            assertThat(d(row[g])).isEqualTo(gap[j - 1]);
        }
    }

    @Test
    void landscapeMinimumIsTheConvergedSolutionAtTheGridCentre() throws Exception {
        TrainingConfig c = Fixtures.config();
        c.algorithm = Algorithm.ALS;
        c.rank = 3;
        c.lambda = 0.05;
        c.epochs = 25;
        for (Landscape.Block block : Landscape.Block.values()) {
            Landscape.Result r = Landscape.run(Fixtures.context(c), block, 7, 0.05);
            assertThat(r.coords()[r.center()]).isEqualTo(0.0);
            assertThat(r.argmin()).as(block + ": minimum at the centre").containsExactly(r.center(), r.center());
            double corner = r.objective()[0][0];
            assertThat(corner).as("the slice is not flat").isGreaterThan(r.centerObjective() * 1.0001);
            // the backend's objective at the centre is the objective of the trained model
            assertThat(r.centerObjective()).isCloseTo(
                    Reference.loss(r.trained().model(), Fixtures.SMALL.train, c.objective()).value(),
                    within(1e-4 * r.centerObjective()));
            if (block == Landscape.Block.P) {
                ExperimentOutputs.Files f = write(r);
                List<String[]> csv = Fixtures.readCsv(f.csv());
                assertThat(csv).hasSize(1 + 49);
                int oc = Fixtures.column(csv, "objective");
                int ic = Fixtures.column(csv, "i");
                int jc = Fixtures.column(csv, "j");
                for (int n = 1; n < csv.size(); n++) {
                    String[] row = csv.get(n);
                    assertThat(d(row[oc])).isEqualTo(r.objective()[Integer.parseInt(row[ic])][Integer.parseInt(row[jc])]);
                }
                JsonNode json = Json.mapper().readTree(f.json().toFile());
                assertThat(json.get("min_at_center").asBoolean()).isTrue();
                assertThat(json.get("center_objective").asDouble()).isEqualTo(r.centerObjective());
            }
        }
    }

    @Test
    void landscapeDirectionsAreOrthonormal() {
        double[][] d = Landscape.directions(1000, 3);
        assertThat(Landscape.dot(d[0], d[0])).isCloseTo(1.0, within(1e-12));
        assertThat(Landscape.dot(d[1], d[1])).isCloseTo(1.0, within(1e-12));
        assertThat(Landscape.dot(d[0], d[1])).isCloseTo(0.0, within(1e-12));
        assertThat(Landscape.directions(1000, 3)[1]).isEqualTo(d[1]);
    }

    @Test
    void earlyStoppingKeepsTheValidationBestEpochOfAPrefixOfTheFixedRun() throws Exception {
        TrainingConfig c = Fixtures.config();
        c.rank = 16;
        c.lambda = 0.0;
        c.lr = 0.03;
        c.epochs = 40;
        EarlyStopping.Result r = EarlyStopping.run(Fixtures.context(c), 3);
        assertThat(r.early().stoppedEarly()).isTrue();
        assertThat(r.fixed().epochsRun()).isEqualTo(40);
        List<EpochRecord> eh = r.early().history();
        double bestVal = eh.stream().mapToDouble(EpochRecord::validationRmse).min().orElseThrow();
        assertThat(r.early().best().validationRmse()).isEqualTo(bestVal);
        assertThat(eh.size() - r.early().bestEpoch()).isEqualTo(3);
        // same seed, same settings: the early run retraces the fixed run until it stops
        for (int j = 0; j < eh.size(); j++) {
            assertThat(eh.get(j).validationRmse()).isEqualTo(r.fixed().history().get(j).validationRmse());
        }
        List<String[]> csv = Fixtures.readCsv(write(r).csv());
        assertThat(csv).hasSize(1 + 40 + eh.size());
        JsonNode json = Json.mapper().readTree(Fixtures.outDir(dir).resolve("early-stopping.json").toFile());
        assertThat(json.get("early").get("model_epoch").asInt()).isEqualTo(r.early().bestEpoch());
        assertThat(json.get("early").get("test_rmse").asDouble()).isEqualTo(r.early().best().testRmse());
    }

    @Test
    void sgdVsAlsReportsTheSameObjectiveForBoth() throws Exception {
        TrainingConfig c = Fixtures.config();
        c.epochs = 6;
        SgdVsAls.Result r = SgdVsAls.run(Fixtures.context(c));
        assertThat(r.runs()).extracting(SgdVsAls.Run::algorithm).containsExactly("sgd", "als");
        assertThat(r.notes()).isEmpty();
        for (SgdVsAls.Run run : r.runs()) {
            assertThat(run.config().objective()).isEqualTo(c.objective());
            assertThat(run.history()).hasSize(6);
        }
        // ALS minimizes L exactly per half-sweep: after 6 sweeps it is below SGD's 6 epochs
        assertThat(r.runs().get(1).last().objective()).isLessThan(r.runs().get(0).last().objective());
        List<String[]> csv = Fixtures.readCsv(write(r).csv());
        int ac = Fixtures.column(csv, "algorithm");
        int oc = Fixtures.column(csv, "objective");
        int ec = Fixtures.column(csv, "epoch");
        for (int j = 1; j < csv.size(); j++) {
            SgdVsAls.Run run = r.runs().get(csv.get(j)[ac].equals("sgd") ? 0 : 1);
            EpochRecord e = run.history().get(Integer.parseInt(csv.get(j)[ec]) - 1);
            assertThat(d(csv.get(j)[oc])).isEqualTo(e.objective());
        }
    }

    @Test
    void sgdVsAlsSkipsAlsWhereTheBackendHasNone() {
        ExperimentContext ctx = new ExperimentContext(Fixtures.SMALL.train, Fixtures.SMALL.validation,
                Fixtures.SMALL.test, NoAlsBackend::new, Fixtures.config(), Progress.silent());
        SgdVsAls.Result r = SgdVsAls.run(ctx);
        assertThat(r.runs()).extracting(SgdVsAls.Run::algorithm).containsExactly("sgd");
        assertThat(r.notes()).singleElement().asString().contains("ALS is not available");
    }

    @Test
    void optimizerSearchPicksTheValidationBestLearningRatePerVariant() throws Exception {
        TrainingConfig c = Fixtures.config();
        c.epochs = 4;
        ExperimentContext ctx = Fixtures.context(c);
        List<OptimizerComparison.Variant> variants = OptimizerComparison.defaultVariants(Fixtures.SMALL.train, 256);
        assertThat(variants).extracting(OptimizerComparison.Variant::name)
                .containsExactly("sgd", "minibatch", "fullbatch", "momentum", "nesterov", "adam");
        OptimizerComparison.Result r = OptimizerComparison.run(ctx, variants, 3, 3.0);
        // 6 variants x 3 rates, plus at most MAX_EXTENSIONS past an edge per variant
        assertThat(r.trials().size()).isBetween(18, 18 + 6 * OptimizerComparison.MAX_EXTENSIONS);
        for (OptimizerComparison.Outcome o : r.outcomes()) {
            double bestTried = o.trials().stream().mapToDouble(OptimizerComparison.Trial::validationRmse).min()
                    .orElseThrow();
            assertThat(o.last().validationRmse()).as(o.variant().name()).isEqualTo(bestTried);
            assertThat(o.trials()).anyMatch(t -> t.lr() == o.lr() && t.validationRmse() == bestTried);
            assertThat(o.history()).hasSize(4);
            // the search does not stop on an edge while it may still extend
            double lo = o.trials().stream().mapToDouble(OptimizerComparison.Trial::lr).min().orElseThrow();
            double hi = o.trials().stream().mapToDouble(OptimizerComparison.Trial::lr).max().orElseThrow();
            boolean interior = o.lr() > lo && o.lr() < hi;
            assertThat(interior || o.trials().size() == 3 + OptimizerComparison.MAX_EXTENSIONS)
                    .as(o.variant().name() + " lr " + o.lr() + " in [" + lo + ", " + hi + "]").isTrue();
        }
        List<String[]> csv = Fixtures.readCsv(write(r).csv());
        int vc = Fixtures.column(csv, "variant");
        int tc = Fixtures.column(csv, "test_rmse");
        int ec = Fixtures.column(csv, "epoch");
        List<String> seen = new ArrayList<>();
        for (int j = 1; j < csv.size(); j++) {
            String v = csv.get(j)[vc];
            OptimizerComparison.Outcome o = r.outcomes().stream().filter(x -> x.variant().name().equals(v))
                    .findFirst().orElseThrow();
            assertThat(d(csv.get(j)[tc])).isEqualTo(o.history().get(Integer.parseInt(csv.get(j)[ec]) - 1).testRmse());
            if (!seen.contains(v)) {
                seen.add(v);
            }
        }
        assertThat(seen).hasSize(r.outcomes().size());
    }

    @Test
    void rankSweepRetunedLambdaIsTheValidationArgminPerRank() throws Exception {
        TrainingConfig c = Fixtures.config();
        c.lambda = 0.002;
        c.epochs = 15;
        c.lr = 0.02;
        RankSweep.Result r = RankSweep.run(Fixtures.context(c), new int[] {1, 3, 24}, new double[] {0.02, 0.08});
        assertThat(r.rows()).extracting(RankSweep.RankRow::rank).containsExactly(1, 3, 24);
        assertThat(r.all()).hasSize(9);
        for (RankSweep.RankRow row : r.rows()) {
            assertThat(row.fixed().lambda()).isEqualTo(0.002);
            double best = r.all().stream().filter(p -> p.rank() == row.rank())
                    .mapToDouble(RankSweep.Point::validationRmse).min().orElseThrow();
            assertThat(row.tuned().validationRmse()).isEqualTo(best);
        }
        // on a rank-3 problem, k = 24 at a tiny λ over-fits, and a larger λ repairs it
        RankSweep.RankRow big = r.rows().get(2);
        assertThat(r.overfitRank()).isLessThan(24);
        assertThat(big.tuned().lambda()).isGreaterThan(0.002);
        List<String[]> csv = Fixtures.readCsv(write(r).csv());
        int kc = Fixtures.column(csv, "rank");
        int lc = Fixtures.column(csv, "lambda");
        int tc = Fixtures.column(csv, "tuned");
        for (int j = 1; j < csv.size(); j++) {
            if (csv.get(j)[tc].equals("1")) {
                RankSweep.RankRow row = r.row(Integer.parseInt(csv.get(j)[kc]));
                assertThat(d(csv.get(j)[lc])).isEqualTo(row.tuned().lambda());
            }
        }
    }

    /** A CPU backend that, like the GPU backends for now, has no ALS. */
    private static final class NoAlsBackend implements Backend {
        private final CpuBackend cpu = new CpuBackend(1);

        @Override public String name() { return "no-als"; }
        @Override public String device() { return "test"; }
        @Override public int threads() { return 1; }
        @Override public dev.lfm.compute.RatingSet upload(dev.lfm.data.Ratings r) { return cpu.upload(r); }
        @Override public void setModel(dev.lfm.model.FactorModel m) { cpu.setModel(m); }
        @Override public void getModel(dev.lfm.model.FactorModel m) { cpu.getModel(m); }
        @Override public dev.lfm.objective.LossTerms loss(dev.lfm.compute.RatingSet s, dev.lfm.objective.Objective o) {
            return cpu.loss(s, o);
        }
        @Override public dev.lfm.compute.ErrorSums evaluate(dev.lfm.compute.RatingSet s) { return cpu.evaluate(s); }
        @Override public void sgdEpoch(dev.lfm.compute.RatingSet s, dev.lfm.objective.Objective o,
                                       dev.lfm.compute.Optimizer rule, float lr, float lrBias, long seed) {
            cpu.sgdEpoch(s, o, rule, lr, lrBias, seed);
        }
        @Override public void shuffle(dev.lfm.compute.RatingSet s, long seed) { cpu.shuffle(s, seed); }
        @Override public void gradientStep(dev.lfm.compute.RatingSet s, int from, int to,
                                           dev.lfm.objective.Objective o, dev.lfm.compute.OptimizerStep step) {
            cpu.gradientStep(s, from, to, o, step);
        }
        @Override public void alsSweep(dev.lfm.compute.RatingSet s, dev.lfm.objective.Objective o,
                                       dev.lfm.compute.Side side) {
            throw new UnsupportedOperationException("ALS is not implemented on this test backend");
        }
        @Override public float[] residuals(dev.lfm.compute.RatingSet s) { return cpu.residuals(s); }
        @Override public dev.lfm.objective.Gradient gradient(dev.lfm.compute.RatingSet s, int from, int to,
                                                           dev.lfm.objective.Objective o) {
            return cpu.gradient(s, from, to, o);
        }
        @Override public void close() { cpu.close(); }
    }
}
