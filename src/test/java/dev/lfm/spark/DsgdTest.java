package dev.lfm.spark;

import dev.lfm.train.Algorithm;

import dev.lfm.compute.Optimizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lfm.LfmException;
import dev.lfm.compute.cpu.CpuBackend;
import dev.lfm.data.Ratings;
import dev.lfm.data.Split;
import dev.lfm.data.SyntheticRatings;
import dev.lfm.model.FactorModel;
import dev.lfm.model.ModelIO;
import dev.lfm.train.EpochRecord;
import dev.lfm.train.Trainer;
import dev.lfm.train.TrainingConfig;
import dev.lfm.train.TrainingResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** DSGD on an embedded local[2] session (one per class) against the single-machine trainer. */
class DsgdTest {
    private static SparkSession spark;
    /** 300 users x 200 items, true rank 4, 30% observed, noise 0.1: about 14400 train and 3600 test ratings. */
    private static Split planted;

    @BeforeAll
    static void start() {
        spark = Sessions.local("local[2]", 4);
        Split s = SyntheticRatings.planted(300, 200, 4, 0.3, 0.1, 7);
        planted = new Split(sorted(s.train()), s.validation(), s.test());
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
    }

    /** The ratings ordered by (user, item), the order DSGD blocks keep (so p = 1 sees the same layout). */
    static Ratings sorted(Ratings r) {
        Integer[] idx = new Integer[r.size()];
        for (int j = 0; j < idx.length; j++) {
            idx[j] = j;
        }
        java.util.Arrays.sort(idx, (a, b) -> r.user(a) != r.user(b) ? Integer.compare(r.user(a), r.user(b))
                : Integer.compare(r.item(a), r.item(b)));
        int[] pos = new int[idx.length];
        for (int j = 0; j < idx.length; j++) {
            pos[j] = idx[j];
        }
        return r.select(pos, pos.length);
    }

    static TrainingConfig config() {
        TrainingConfig c = TrainingConfig.defaults(Algorithm.GD, Optimizer.SGD); // DSGD runs plain per-rating SGD
        c.rank = 4;
        c.epochs = 20;
        c.lr = 0.05;
        c.lambda = 0.02;
        c.lambdaBias = 0.01;
        c.seed = 5;
        c.evalEvery = 1; // exact train objective every epoch, as DSGD reports it
        return c;
    }

    private static TrainingResult local(TrainingConfig c, Split s, int threads) {
        try (CpuBackend b = new CpuBackend(threads)) {
            return new Trainer(c, null).train(b, s.train(), s.validation(), s.test());
        }
    }

    private static SparkTrainingResult dsgd(TrainingConfig c, Split s, int p) {
        SparkData data = SparkData.prepare(spark, SparkRatings.of(spark, s, 2), p, "planted");
        try {
            return new DsgdTrainer(c, DsgdOptions.of(p), null).train(data);
        } finally {
            data.release();
        }
    }

    @Test
    void oneBlockReproducesTheSingleMachineRun() {
        TrainingConfig c = config();
        c.epochs = 6;
        TrainingResult single = local(c, planted, 1);
        SparkTrainingResult spark1 = dsgd(c, planted, 1);
        List<EpochRecord> a = single.history();
        List<EpochRecord> b = spark1.result().history();
        assertThat(b).hasSameSizeAs(a);
        for (int e = 0; e < a.size(); e++) {
            assertThat(b.get(e).objective()).isCloseTo(a.get(e).objective(), org.assertj.core.data.Percentage.withPercentage(1e-4));
            assertThat(b.get(e).trainRmse()).isCloseTo(a.get(e).trainRmse(), org.assertj.core.data.Offset.offset(1e-6));
            assertThat(b.get(e).testRmse()).isCloseTo(a.get(e).testRmse(), org.assertj.core.data.Offset.offset(1e-6));
        }
        FactorModel ma = single.model();
        FactorModel mb = spark1.result().model();
        for (int j = 0; j < ma.p.length; j += 7) {
            assertThat(mb.p[j]).isCloseTo(ma.p[j], org.assertj.core.data.Offset.offset(1e-5f));
        }
        for (int j = 0; j < ma.itemBias.length; j++) {
            assertThat(mb.itemBias[j]).isCloseTo(ma.itemBias[j], org.assertj.core.data.Offset.offset(1e-5f));
        }
    }

    @Test
    void gridReachesTheSingleMachineRmseAndStrataShareNoRowOrColumn() {
        TrainingConfig c = config();
        int p = 3;
        TrainingResult single = local(c, planted, 2);
        SparkData data = SparkData.prepare(spark, SparkRatings.of(spark, planted, 2), p, "planted");
        try {
            SparkTrainingResult r = new DsgdTrainer(c, DsgdOptions.of(p), null).train(data);
            double dsgd = r.result().last().testRmse();
            double one = single.last().testRmse();
            System.out.printf("planted 300x200: single machine (2 threads) test RMSE %.4f, DSGD p=3 %.4f%n", one, dsgd);
            assertThat(dsgd).isLessThanOrEqualTo(one + 0.01);
            assertThat(dsgd).isLessThan(0.2); // noise 0.1
            assertThat(r.result().history().get(0).objective()).isGreaterThan(r.result().last().objective());
            assertThat(r.reportFields()).containsEntry("engine", "spark").containsEntry("partitions", 3)
                    .containsEntry("master", "local[2]");

            // every epoch: p strata, each a permutation (no shared user or item block), all p² blocks once
            for (int[][] schedule : r.schedules()) {
                Set<Long> visited = new HashSet<>();
                for (int[] stratum : schedule) {
                    assertThat(stratum).hasSize(p);
                    assertThat(new HashSet<>(boxed(stratum))).hasSize(p);
                    for (int b = 0; b < p; b++) {
                        visited.add((long) b * p + stratum[b]);
                    }
                }
                assertThat(visited).hasSize(p * p);
            }
            // the cells hold exactly the training ratings, each in the cell of its user and item block,
            // so the blocks of a stratum have disjoint users and disjoint items
            List<Blocks.RatingBlock> blocks = data.blocks.collect();
            Set<Long> pairs = new HashSet<>();
            int[][] schedule = r.schedules().get(0);
            for (int[] stratum : schedule) {
                Set<Integer> users = new HashSet<>();
                Set<Integer> items = new HashSet<>();
                for (Blocks.RatingBlock rb : blocks) {
                    Blocks.Cell cell = rb.cells[HashSplit.TRAIN][stratum[rb.block]];
                    for (int x = 0; x < cell.size(); x++) {
                        int u = rb.block + cell.u[x] * p;
                        int i = stratum[rb.block] + cell.i[x] * p;
                        assertThat(users.add(u) || sameBlockUser(users, u, rb.block, p)).isTrue();
                        items.add(i);
                        pairs.add((long) u * 1_000_000 + i);
                    }
                }
                // disjointness: users of different blocks differ in u mod p, items in i mod p
                assertThat(users.stream().map(u -> u % p).distinct().count()).isLessThanOrEqualTo(p);
            }
            Set<Long> expected = new HashSet<>();
            Ratings t = planted.train();
            for (int n = 0; n < t.size(); n++) {
                expected.add((long) t.user(n) * 1_000_000 + t.item(n));
            }
            assertThat(pairs).isEqualTo(expected);
            for (Blocks.RatingBlock rb : blocks) {
                for (int j = 0; j < p; j++) {
                    for (int part = 0; part < 3; part++) {
                        Blocks.Cell cell = rb.cells[part][j];
                        Set<Integer> cellUsers = new HashSet<>();
                        for (int x = 0; x < cell.size(); x++) {
                            cellUsers.add(rb.block + cell.u[x] * p);
                        }
                        for (Blocks.RatingBlock other : blocks) {
                            if (other != rb) {
                                Blocks.Cell oc = other.cells[part][j];
                                for (int x = 0; x < oc.size(); x++) {
                                    assertThat(cellUsers).doesNotContain(other.block + oc.u[x] * p);
                                }
                            }
                        }
                    }
                }
            }
        } finally {
            data.release();
        }
    }

    private static boolean sameBlockUser(Set<Integer> users, int u, int block, int p) {
        return u % p == block;
    }

    private static List<Integer> boxed(int[] a) {
        List<Integer> l = new ArrayList<>();
        for (int x : a) {
            l.add(x);
        }
        return l;
    }

    @Test
    void readsTextAndParquetSplitsByHashStopsEarlyAndSavesAnLfmModel(@TempDir Path dir) throws IOException {
        Ratings all = planted.train();
        Path libmf = dir.resolve("train.txt");
        Path csv = dir.resolve("ratings.csv");
        StringBuilder a = new StringBuilder();
        StringBuilder b = new StringBuilder("userId,movieId,rating,timestamp\n");
        for (int n = 0; n < all.size(); n++) {
            a.append(all.user(n)).append(n % 2 == 0 ? " " : "\t ").append(all.item(n)).append(' ').append(all.value(n)).append('\n');
            b.append(all.user(n) + 1000).append(',').append(all.item(n)).append(',').append(all.value(n)).append(",0\r\n");
        }
        Files.writeString(libmf, a);
        Files.writeString(csv, b);
        Dataset<Row> fromText = SparkRatings.read(spark, libmf.toString(), "auto", null);
        Dataset<Row> fromCsv = SparkRatings.read(spark, csv.toString(), "auto", null);
        Path parquet = dir.resolve("ratings.parquet");
        fromCsv.select("user", "item", "rating").write().parquet(parquet.toString());
        Dataset<Row> fromParquet = SparkRatings.read(spark, parquet.toString(), "auto", null);
        for (Dataset<Row> d : List.of(fromText, fromCsv, fromParquet)) {
            assertThat(d.count()).isEqualTo(all.size());
        }

        TrainingConfig c = config();
        c.epochs = 10;
        c.patience = 2;
        c.lr = 0.08;
        SparkData data = SparkData.prepare(spark, SparkRatings.split(fromParquet, 0.2, 0.1, 42), 2, "ratings.parquet");
        try {
            assertThat(data.summary().train() + data.summary().validation() + data.summary().test()).isEqualTo(all.size());
            assertThat(data.summary().test()).isBetween((long) (all.size() * 0.17), (long) (all.size() * 0.23));
            SparkTrainingResult r = new DsgdTrainer(c, new DsgdOptions(2, 2, "cpu"), null).train(data);
            TrainingResult t = r.result();
            assertThat(t.bestEpoch()).isLessThanOrEqualTo(t.epochsRun());
            assertThat(t.best().validationRmse()).isLessThan(0.3);
            FactorModel m = t.model();
            assertThat(m.userIds.externalId(0)).isEqualTo(1000);
            Path file = dir.resolve("model.lfm");
            ModelIO.save(m, file);
            FactorModel back = ModelIO.load(file);
            assertThat(back.provenance).containsEntry("engine", "spark");
            assertThat(back.predict(3, 4)).isEqualTo(m.predict(3, 4));
        } finally {
            data.release();
        }

        Path broken = dir.resolve("broken.txt");
        Files.writeString(broken, "1 2 3\n4 five 1\n");
        assertThatThrownBy(() -> SparkData.prepare(spark, SparkRatings.split(
                SparkRatings.read(spark, broken.toString(), "libmf", null), 0.2, 0, 1), 2, broken.toString()))
                .isInstanceOf(LfmException.class).hasMessageContaining("broken.txt: 1 rating(s)")
                .hasMessageContaining("'4 five 1'");
    }

    /** A CSV's header is decided by its content: a letter-led bad line in the middle is reported, not dropped. */
    @Test
    void aLetterLedLineInACsvIsABadRatingNotAHeader(@TempDir Path dir) throws IOException {
        Path csv = dir.resolve("r.csv");
        Files.writeString(csv, "userId,movieId,rating,timestamp\n1,10,4.0,0\nx12,7,4.0,0\n2,10,5.0,0\n");
        String text = csv.toString();
        assertThatThrownBy(() -> SparkData.prepare(spark, SparkRatings.split(SparkRatings.read(spark, text, "auto", null),
                0, 0, 3), 2, text)).isInstanceOf(LfmException.class).hasMessageContaining("r.csv: 1 rating(s)")
                .hasMessageContaining("'x12,7,4.0,0'");
        // the header itself is still no rating: two good lines load
        Path good = dir.resolve("good.csv");
        Files.writeString(good, "userId,movieId,rating,timestamp\n1,10,4.0,0\n2,10,5.0,0\n");
        assertThat(SparkRatings.read(spark, good.toString(), "auto", null).count()).isEqualTo(2);
    }

    /** A pair given twice stops prepare with one line naming the pair and where it was given. */
    @Test
    void repeatedPairsAreNamedWithTheirLineOrRow(@TempDir Path dir) throws IOException {
        Path csv = dir.resolve("dup.csv");
        Files.writeString(csv, "userId,movieId,rating,timestamp\n1,10,4.0,0\n1,11,3.0,0\n2,10,5.0,0\n"
                + "2,12,1.0,0\n3,11,2.0,0\n1,10,2.5,0\n3,12,4.0,0\n3,11,2.0,0\n");
        String text = csv.toString();
        assertThatThrownBy(() -> SparkData.prepare(spark, SparkRatings.split(SparkRatings.read(spark, text, "auto", null),
                0, 0, 3), 2, text, SparkRatings.locator(spark, text, "auto", null)))
                .isInstanceOf(LfmException.class)
                .hasMessageStartingWith(text + ":7: duplicate rating for user 1, item 10 (first given on line 2; "
                        + "2 repeated (user, item) rating(s) in all");
        // identical lines: the second one's number
        Path same = dir.resolve("same.txt");
        Files.writeString(same, "0 1 3\n0 2 4\n0 1 3\n");
        assertThatThrownBy(() -> SparkData.prepare(spark, SparkRatings.split(SparkRatings.read(spark, same.toString(),
                "libmf", null), 0, 0, 3), 1, "same", SparkRatings.locator(spark, same.toString(), "libmf", null)))
                .hasMessageStartingWith(same + ":3: duplicate rating for user 0, item 1 (first given on line 1;");
        Path parquet = dir.resolve("dup.parquet");
        SparkRatings.read(spark, text, "auto", null).select("user", "item", "rating").coalesce(1).write().parquet(parquet.toString());
        String pq = parquet.toString();
        assertThatThrownBy(() -> SparkData.prepare(spark, SparkRatings.split(SparkRatings.read(spark, pq, "auto", null),
                0, 0, 3), 3, pq, SparkRatings.locator(spark, pq, "auto", null)))
                .isInstanceOf(LfmException.class)
                .hasMessageContaining("row 5: duplicate rating for user 1, item 10 (first given in row 0;");
        // without a locator (a driver-side source): the pair and the source's name
        assertThatThrownBy(() -> SparkData.prepare(spark, SparkRatings.split(SparkRatings.read(spark, pq, "auto", null),
                0, 0, 3), 2, "in memory"))
                .hasMessageStartingWith("in memory: duplicate rating for user 1, item 10 (2 repeated");
        // the same pair in the training and the test file is no repeat (as lfm's reader reads them)
        Path test = dir.resolve("test.txt");
        Files.writeString(test, "0 1 3.5\n");
        Path train = dir.resolve("train.txt");
        Files.writeString(train, "0 1 3\n0 2 4\n1 1 2\n1 2 5\n");
        SparkData ok = SparkData.prepare(spark, SparkRatings.trainTest(SparkRatings.read(spark, train.toString(), "libmf", null),
                SparkRatings.read(spark, test.toString(), "libmf", null), 0, 1), 2, "train + test");
        assertThat(ok.summary().test()).isEqualTo(1);
        ok.release();
    }

    /**
     * Tasks on a device backend (opened through Backends, once per concurrent task, and closed
     * when the run ends) reach the CPU DSGD's result: OpenCL runs for real (PoCL here, in CI);
     * CUDA skips without a GPU.
     */
    @ParameterizedTest
    @ValueSource(strings = {"opencl", "cuda"})
    void deviceBackendTasksMatchTheCpuDsgd(String backend) {
        String why = dev.lfm.compute.Backends.provider(backend).unavailableReason();
        if (why != null) {
            String require = "LFM_REQUIRE_" + backend.toUpperCase(java.util.Locale.ROOT);
            assertThat(System.getenv(require)).as(require + "=1 but " + backend + " is unavailable: " + why).isNotEqualTo("1");
            org.junit.jupiter.api.Assumptions.abort(backend + " not available: " + why);
        }
        TrainingConfig c = config();
        c.epochs = 8;
        SparkData data = SparkData.prepare(spark, SparkRatings.of(spark, planted, 2), 2, "planted");
        try {
            SparkTrainingResult cpu = new DsgdTrainer(c, DsgdOptions.of(2), null).train(data);
            int before = TaskBackends.opened();
            SparkTrainingResult dev = new DsgdTrainer(c, DsgdOptions.of(2).withBackend(backend), null).train(data);
            int opened = TaskBackends.opened() - before;
            List<EpochRecord> a = cpu.result().history();
            List<EpochRecord> b = dev.result().history();
            System.out.printf("DSGD p=2, 8 epochs: cpu test RMSE %.5f, %s %.5f; %d %s backends opened for %d tasks%n",
                    a.get(7).testRmse(), backend, b.get(7).testRmse(), opened, backend, 8 * 2 * 2 * 2);
            for (int e = 0; e < a.size(); e++) {
                System.out.printf("  epoch %d: objective cpu %.1f %s %.1f, test RMSE %.4f %.4f%n", e + 1, a.get(e).objective(),
                        backend, b.get(e).objective(), a.get(e).testRmse(), b.get(e).testRmse());
            }
            assertThat(dev.result().backend()).isEqualTo(backend);
            assertThat(dev.result().model().provenance).containsEntry("backend", backend);
            // the same rule on the same blocks; the device visits a block's ratings in its own seeded order
            // (a permutation in lock-free streams, not the CPU's user-grouped order), so the paths differ a little.
            // How little is set by the descent (lr 0.05, RMSE falling 0.04 an epoch): rounding alone (the CPU
            // kernel's q update as one FMA instead of a multiply and an add) moved the CPU's epoch-8 test RMSE
            // from 0.3110 to 0.3047 (OpenCL 0.3172 both times), and the epoch-7 objectives then differed by 6.2%
            for (int e = 0; e < a.size(); e++) {
                assertThat(b.get(e).testRmse()).isCloseTo(a.get(e).testRmse(), org.assertj.core.data.Offset.offset(0.02));
                assertThat(b.get(e).objective()).isCloseTo(a.get(e).objective(), org.assertj.core.data.Percentage.withPercentage(9));
            }
            assertThat(b.get(7).testRmse()).isCloseTo(a.get(7).testRmse(), org.assertj.core.data.Offset.offset(0.02));
            assertThat(b.get(7).testRmse()).isLessThan(b.get(0).testRmse());
            // 2 task threads: at most 2 backends for the 64 train and evaluation tasks, all closed at the end
            assertThat(opened).isBetween(1, 2);
            assertThat(TaskBackends.close(Long.MIN_VALUE)).isZero();
        } finally {
            data.release();
        }
    }

    @Test
    void mllibAlsRunsOnTheSameBlocks() {
        TrainingConfig c = config();
        c.epochs = 8;
        c.lambda = 0.05;
        SparkData data = SparkData.prepare(spark, SparkRatings.of(spark, planted, 2), 2, "planted");
        try {
            MllibAls.Result r = MllibAls.train(data, c);
            assertThat(r.testRmse()).isBetween(0.05, 0.6);
            assertThat(r.objective()).isPositive();
            assertThat(r.seconds()).isPositive();
        } finally {
            data.release();
        }
    }

    @Test
    void refusesWhatDsgdDoesNotDo() {
        TrainingConfig c = config();
        c.regularization = dev.lfm.objective.Regularization.UNIFORM;
        assertThatThrownBy(() -> new DsgdTrainer(c, DsgdOptions.of(2), null)).isInstanceOf(LfmException.class)
                .hasMessageContaining("weighted").hasMessageEndingWith("use --engine local for --regularization uniform");
        assertThatThrownBy(() -> DsgdOptions.of(2).withBackend("auto")).isInstanceOf(LfmException.class)
                .hasMessageContaining("cpu, opencl or cuda");
        TrainingConfig d = config();
        d.batchSize = 64;
        assertThatThrownBy(() -> new DsgdTrainer(d, DsgdOptions.of(2), null)).hasMessageContaining("--batch-size 1");
        assertThat(SparkAvailability.isAvailable()).isTrue();
    }
}
