package dev.lfm.cli;

import static dev.lfm.cli.CliRun.lfm;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lfm.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The serving commands (fold-in, recommend --all-users, evaluate --ranking, train --init-model) driven in-process. */
class ServeCliTest {
    @TempDir
    Path dir;

    private static String oneLineError(CliRun r) {
        assertThat(r.code()).as(r.out() + r.err()).isEqualTo(2);
        assertThat(r.err()).doesNotContain("\tat ").doesNotContain("Exception");
        String[] lines = r.err().strip().split("\n");
        assertThat(Arrays.stream(lines).filter(l -> l.startsWith("lfm:")).count()).as(r.err()).isEqualTo(1);
        return lines[lines.length - 1];
    }

    private static void ok(CliRun r) {
        assertThat(r.code()).as(r.out() + r.err()).isZero();
    }

    private String[] files() {
        String[] names = dir.toFile().list();
        Arrays.sort(names);
        return names;
    }

    /** A MovieLens-style CSV of planted ratings r = 3 + a_u + b_i + x_u·y_i for users [from, to) of 40 items. */
    private Path planted(String name, int from, int to, double fraction, int extraItem) throws IOException {
        StringBuilder sb = new StringBuilder("userId,movieId,rating,timestamp\n");
        for (int u = from; u < to; u++) {
            SplittableRandom rnd = new SplittableRandom(u);
            double a = rnd.nextDouble(-0.5, 0.5);
            double x = rnd.nextDouble(-1, 1);
            for (int i = 1; i <= 40; i++) {
                SplittableRandom ri = new SplittableRandom(1000 + i);
                double r = 3 + a + ri.nextDouble(-0.7, 0.7) + x * ri.nextDouble(-1, 1);
                if (new SplittableRandom(u * 131L + i).nextDouble() < fraction) {
                    sb.append(u).append(',').append(100 + i).append(',')
                            .append(Math.round(Math.max(1, Math.min(5, r)) * 2) / 2.0).append(",0\n");
                }
            }
            if (extraItem > 0) {
                sb.append(u).append(',').append(extraItem).append(",4.0,0\n");
            }
        }
        Path p = dir.resolve(name);
        Files.writeString(p, sb.toString());
        return p;
    }

    @Test
    void foldInAddsNewUsersAndReSolvesKnownOnesEndToEnd() throws IOException {
        Path train = planted("train.csv", 1, 81, 0.6, 0);
        Path fresh = planted("new.csv", 75, 101, 0.5, 9999); // 75..80 known, 81..100 new, item 9999 unknown
        Path model = dir.resolve("m.lfm");
        ok(lfm("train", "--data", train.toString(), "--algorithm", "als", "-k", "4", "--epochs", "5", "-q",
                "--backend", "cpu", "--save", model.toString()));
        Path folded = dir.resolve("m2.lfm");
        Path report = dir.resolve("fold.json");
        CliRun r = lfm("fold-in", "--model", model.toString(), "--data", fresh.toString(), "--save", folded.toString(),
                "--report", report.toString());
        ok(r);
        assertThat(r.out()).contains("26 users folded (20 added, 6 updated), 0 unchanged")
                .contains("26 ratings of 1 unknown items ignored").contains("users/s").contains("saved model to");
        JsonNode j = new ObjectMapper().readTree(report.toFile());
        assertThat(j.get("users_added").asInt()).isEqualTo(20);
        assertThat(j.get("users_updated").asInt()).isEqualTo(6);
        assertThat(j.get("unknown_items").asInt()).isEqualTo(1);
        assertThat(j.get("ratings_ignored").asInt()).isEqualTo(26);
        assertThat(j.get("num_users").asInt()).isEqualTo(100);

        // the folded model knows the new users: recommend for one, and predicts them better than μ + b_i
        CliRun rec = lfm("recommend", "--model", folded.toString(), "--data", fresh.toString(), "--user", "90", "--top", "3");
        ok(rec);
        assertThat(rec.out()).contains("top 3 for user 90");
        CliRun before = lfm("evaluate", "--model", model.toString(), "--data", fresh.toString());
        CliRun after = lfm("evaluate", "--model", folded.toString(), "--data", fresh.toString());
        assertThat(rmse(after)).isLessThan(rmse(before));
        assertThat(oneLineError(lfm("recommend", "--model", model.toString(), "--data", fresh.toString(), "--user", "90")))
                .contains("user 90 is not in the model");
    }

    private static double rmse(CliRun r) {
        ok(r);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("RMSE (\\d\\.\\d+)").matcher(r.out());
        assertThat(m.find()).as(r.out()).isTrue();
        return Double.parseDouble(m.group(1));
    }

    @Test
    void movieLensTopTenForEveryUserAndRankingMetrics() throws IOException {
        Path ml = TestData.movieLensSmall();
        List<String> lines = Files.readAllLines(ml);
        StringBuilder train = new StringBuilder(lines.get(0)).append('\n');
        StringBuilder test = new StringBuilder(lines.get(0)).append('\n');
        Map<String, Set<String>> rated = new HashMap<>();
        for (int n = 1; n < lines.size(); n++) {
            String[] f = lines.get(n).split(",");
            rated.computeIfAbsent(f[0], u -> new HashSet<>()).add(f[1]);
            (n % 5 == 0 ? test : train).append(lines.get(n)).append('\n');
        }
        Path trainFile = dir.resolve("train.csv");
        Path testFile = dir.resolve("test.csv");
        Files.writeString(trainFile, train);
        Files.writeString(testFile, test);
        Path model = dir.resolve("ml.lfm");
        ok(lfm("train", "--data", trainFile.toString(), "--algorithm", "als", "-k", "16", "--epochs", "5", "-q",
                "--backend", "cpu", "--save", model.toString()));

        // every user of ml-latest-small: exactly 10 rows, none of them rated in --data, ranked by score
        Path recs = dir.resolve("recs.csv");
        Path movies = ml.resolveSibling("movies.csv");
        List<String> extra = Files.isRegularFile(movies) ? List.of("--items", movies.toString()) : List.of();
        List<String> args = new ArrayList<>(List.of("recommend", "--model", model.toString(), "--data", ml.toString(),
                "--all-users", "--top", "10", "--out", recs.toString()));
        args.addAll(extra);
        CliRun r = lfm(args.toArray(String[]::new));
        ok(r);
        assertThat(r.out()).contains("610 users, 6100 rows").contains("items/s");
        List<String> rows = Files.readAllLines(recs);
        assertThat(rows.get(0)).isEqualTo(extra.isEmpty() ? "user,item,score,rank,rating" : "user,item,score,rank,rating,title");
        Map<String, Integer> perUser = new HashMap<>();
        String lastUser = null;
        double lastScore = Double.POSITIVE_INFINITY;
        for (String row : rows.subList(1, rows.size())) {
            String[] f = row.split(",");
            perUser.merge(f[0], 1, Integer::sum);
            assertThat(rated.get(f[0])).as(row).doesNotContain(f[1]);
            double score = Double.parseDouble(f[2]);
            if (f[0].equals(lastUser)) {
                assertThat(score).isLessThanOrEqualTo(lastScore);
            }
            assertThat(Integer.parseInt(f[3])).isEqualTo(perUser.get(f[0]));
            lastUser = f[0];
            lastScore = score;
        }
        assertThat(perUser).hasSize(610);
        assertThat(perUser.values()).containsOnly(10);
        if (!extra.isEmpty()) {
            assertThat(rows).anyMatch(l -> l.contains("(19") || l.contains("(20"));
        }

        // a subset from --users FILE
        Path users = dir.resolve("users.txt");
        Files.writeString(users, "userId\n1\n5\n424242\n");
        Path some = dir.resolve("some.csv");
        CliRun s = lfm("recommend", "--model", model.toString(), "--data", ml.toString(), "--users", users.toString(),
                "--top", "10", "--out", some.toString());
        ok(s);
        assertThat(s.out()).contains("2 users, 20 rows").contains("1 unknown users skipped");
        assertThat(Files.readAllLines(some)).hasSize(21);

        // one user: the unclipped score beside the clipped rating, titles with --items
        List<String> one = new ArrayList<>(List.of("recommend", "--model", model.toString(), "--data", ml.toString(),
                "--user", "1", "--top", "5"));
        one.addAll(extra);
        CliRun u = lfm(one.toArray(String[]::new));
        ok(u);
        assertThat(u.out()).contains("top 5 for user 1 (232 rated items excluded)").contains("score").contains("rating");
        assertThat(u.out().lines().filter(l -> l.matches("\\s+\\d+\\s+\\d+\\s+-?[0-9.]+\\s+[0-9.]+.*"))).hasSize(5);

        // ranking quality on the held-out fifth, training items excluded
        Path report = dir.resolve("r.json");
        CliRun e = lfm("evaluate", "--model", model.toString(), "--data", testFile.toString(), "--ranking", "--top", "10",
                "--exclude", trainFile.toString(), "--report", report.toString());
        ok(e);
        assertThat(e.out()).contains("RMSE").contains("ranking@10 over").contains("NDCG");
        JsonNode j = new ObjectMapper().readTree(report.toFile());
        for (String key : new String[] {"rmse", "mae", "precision_at_k", "recall_at_k", "ndcg_at_k", "map_at_k",
            "coverage"}) {
            assertThat(j.get(key).isNumber()).as(key).isTrue();
            assertThat(j.get(key).asDouble()).as(key).isBetween(0.0, 1.0);
        }
        assertThat(j.get("coverage").asDouble()).isPositive();
        assertThat(j.get("users").asInt()).isGreaterThan(500);
        Path plain = dir.resolve("plain.json");
        ok(lfm("evaluate", "--model", model.toString(), "--data", testFile.toString(), "--report", plain.toString()));
        assertThat(new ObjectMapper().readTree(plain.toFile()).has("precision_at_k")).isFalse();
    }

    @Test
    void warmStartContinuesFromTheSavedModel() throws IOException {
        Path model = dir.resolve("m.lfm");
        Path first = dir.resolve("first.json");
        ok(lfm("train", "--synthetic", "small", "--algorithm", "als", "-k", "4", "--epochs", "4", "--patience", "0",
                "-q", "--backend", "cpu", "--save", model.toString(), "--report", first.toString()));
        Path second = dir.resolve("second.json");
        CliRun r = lfm("train", "--synthetic", "small", "--algorithm", "als", "--epochs", "2", "--patience", "0", "-q",
                "--backend", "cpu", "--init-model", model.toString(), "--report", second.toString());
        ok(r);
        assertThat(r.out()).contains("warm start from " + model).contains("k=4");
        ObjectMapper json = new ObjectMapper();
        JsonNode a = json.readTree(first.toFile());
        JsonNode b = json.readTree(second.toFile());
        assertThat(b.get("init_model").asText()).isEqualTo(model.toString());
        assertThat(b.get("init_users").asInt()).isEqualTo(600);
        double last = a.get("history").get(3).get("objective").asDouble();
        double cold = a.get("history").get(0).get("objective").asDouble();
        double warm = b.get("history").get(0).get("objective").asDouble();
        assertThat(warm).isLessThanOrEqualTo(last * (1 + 1e-6)).isLessThan(cold);

        assertThat(oneLineError(lfm("train", "--synthetic", "small", "-k", "5", "--init-model", model.toString(),
                "--backend", "cpu"))).contains("has rank 4, -k asks for 5");
        assertThat(oneLineError(lfm("train", "--synthetic", "small", "--init-model", dir.resolve("none.lfm").toString(),
                "--backend", "cpu"))).contains("none.lfm");
    }

    @Test
    void modeOptionsAndBadInputsAreOneLineWithNoOutputFile() throws IOException {
        Path train = planted("train.csv", 1, 31, 0.6, 0);
        Path model = dir.resolve("m.lfm");
        ok(lfm("train", "--data", train.toString(), "--algorithm", "als", "-k", "3", "--epochs", "2", "-q",
                "--backend", "cpu", "--save", model.toString()));
        String[] before = files();
        String m = model.toString();
        String d = train.toString();
        String out = dir.resolve("out.csv").toString();
        assertThat(oneLineError(lfm("recommend", "--model", m, "--data", d, "--user", "1", "--out", out)))
                .contains("--out applies to --all-users");
        assertThat(oneLineError(lfm("recommend", "--model", m, "--data", d, "--all-users")))
                .contains("give --out FILE");
        assertThat(oneLineError(lfm("recommend", "--model", m, "--data", d, "--user", "1", "--all-users", "--out", out)))
                .contains("give one of them");
        assertThat(oneLineError(lfm("recommend", "--model", m, "--data", d))).contains("give --user ID, --all-users");
        assertThat(oneLineError(lfm("recommend", "--model", m, "--data", d, "--all-users", "--out", out, "--top", "0")))
                .contains("--top must be >= 1");
        assertThat(oneLineError(lfm("recommend", "--model", m, "--data", d, "--all-users", "--out", out,
                "--items", dir.resolve("nope.csv").toString()))).contains("nope.csv");
        assertThat(oneLineError(lfm("recommend", "--model", m, "--data", d, "--all-users", "--out", dir.toString())))
                .contains("is a directory");
        assertThat(oneLineError(lfm("recommend", "--model", m, "--data", d, "--synthetic", "small", "--user", "1")))
                .contains("do not go with --data");
        assertThat(oneLineError(lfm("recommend", "--model", m, "--all-users", "--out", out)))
                .contains("pass --data FILE");
        assertThat(oneLineError(lfm("evaluate", "--model", m, "--data", d, "--relevant", "4")))
                .contains("--relevant applies to --ranking only");
        assertThat(oneLineError(lfm("evaluate", "--model", m, "--data", d, "--top", "5")))
                .contains("--top applies to --ranking only");
        assertThat(oneLineError(lfm("evaluate", "--model", m, "--data", d, "--exclude", d)))
                .contains("--exclude applies to --ranking only");
        assertThat(oneLineError(lfm("evaluate", "--model", m, "--data", d, "--ranking", "--exclude",
                dir.resolve("nope.csv").toString(), "--report", dir.resolve("r.json").toString()))).contains("nope.csv");
        assertThat(oneLineError(lfm("fold-in", "--model", m, "--data", d))).contains("--save");
        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, "1,101,4\n2,102,x\n");
        assertThat(oneLineError(lfm("fold-in", "--model", m, "--data", bad.toString(), "--save",
                dir.resolve("m2.lfm").toString()))).contains("bad.csv:2:");
        Files.delete(bad);
        assertThat(files()).containsExactly(before);
    }

    /** Runs with standard input replaced by {@code text} (for {@code --data -}). */
    private static CliRun withStdin(String text, String... args) {
        java.io.InputStream saved = System.in;
        System.setIn(new java.io.ByteArrayInputStream(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        try {
            return lfm(args);
        } finally {
            System.setIn(saved);
        }
    }

    @Test
    void anUnavailableRankingBackendIsTheOnlyOutput() throws IOException {
        Path train = planted("train.csv", 1, 31, 0.6, 0);
        Path model = dir.resolve("m.lfm");
        ok(lfm("train", "--data", train.toString(), "--algorithm", "als", "-k", "3", "--epochs", "2", "-q",
                "--backend", "cpu", "--save", model.toString()));
        // no machine has 100 OpenCL devices: the backend fails to open, before RMSE or anything else is printed
        CliRun r = lfm("evaluate", "--model", model.toString(), "--data", train.toString(), "--ranking",
                "--backend", "opencl", "--device", "99", "--report", dir.resolve("r.json").toString());
        assertThat(oneLineError(r)).startsWith("lfm: opencl "); // device 99 missing, or no OpenCL at all
        assertThat(r.out()).isEmpty();
        assertThat(dir.resolve("r.json")).doesNotExist();
    }

    @Test
    void backendFlagsOfTheServingCommandsAndStdinIsNamedStdin() throws IOException {
        Path train = planted("train.csv", 1, 31, 0.6, 0);
        Path model = dir.resolve("m.lfm");
        ok(lfm("train", "--data", train.toString(), "--algorithm", "als", "-k", "3", "--epochs", "2", "-q",
                "--backend", "cpu", "--save", model.toString()));
        String m = model.toString();
        String d = train.toString();
        String fresh = Files.readString(planted("fresh.csv", 25, 41, 0.5, 0));
        Path folded = dir.resolve("m2.lfm");
        CliRun f = withStdin(fresh, "fold-in", "--model", m, "--data", "-", "--save", folded.toString(), "--backend", "cpu",
                "--threads", "1");
        ok(f);
        assertThat(f.out()).contains("fold-in of <stdin> into m.lfm").contains("users/s on cpu");
        CliRun e = withStdin(fresh, "evaluate", "--model", folded.toString(), "--data", "-");
        ok(e);
        assertThat(e.out()).contains("m2.lfm on <stdin>: ");
        CliRun bad = withStdin("1,101,4\n2,102,x\n", "fold-in", "--model", m, "--data", "-", "--save",
                dir.resolve("m3.lfm").toString());
        assertThat(oneLineError(bad)).contains("<stdin>:2:");
        Files.delete(folded);

        String[] before = files();
        String out = dir.resolve("out.csv").toString();
        assertThat(oneLineError(lfm("evaluate", "--model", m, "--data", d, "--backend", "opencl")))
                .contains("--backend applies to --ranking only");
        assertThat(oneLineError(lfm("recommend", "--model", m, "--data", d, "--user", "1", "--backend", "opencl")))
                .contains("--backend applies to --all-users and --users FILE");
        assertThat(oneLineError(lfm("recommend", "--model", m, "--data", d, "--user", "1", "--device", "0")))
                .contains("--device applies to --all-users and --users FILE");
        assertThat(oneLineError(lfm("recommend", "--model", m, "--data", d, "--all-users", "--out", out,
                "--factor-storage", "half"))).contains("--factor-storage half applies to SGD training only");
        assertThat(oneLineError(lfm("fold-in", "--model", m, "--data", d, "--save", dir.resolve("m4.lfm").toString(),
                "--backend", "cpu", "--device", "1"))).contains("--device applies to --backend opencl or cuda");
        assertThat(oneLineError(lfm("evaluate", "--model", m, "--data", d, "--ranking", "--backend", "nope")))
                .contains("nope");
        assertThat(files()).containsExactly(before);
    }

    /**
     * On OpenCL (PoCL here; skipped without it): recommend --all-users writes the same file as on
     * the CPU, byte for byte; evaluate --ranking gives the same metrics; fold-in the same users.
     */
    @Test
    void openClServingGivesTheCpuResults() throws IOException {
        String why = dev.lfm.compute.Backends.provider("opencl").unavailableReason();
        if (why != null && "1".equals(System.getenv("LFM_REQUIRE_OPENCL"))) {
            throw new AssertionError("LFM_REQUIRE_OPENCL=1 but opencl is unavailable: " + why);
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(why == null, "opencl not available: " + why);
        Path train = planted("train.csv", 1, 81, 0.6, 0);
        Path test = planted("test.csv", 1, 81, 0.3, 0);
        Path model = dir.resolve("m.lfm");
        ok(lfm("train", "--data", train.toString(), "--algorithm", "als", "-k", "5", "--epochs", "3", "-q",
                "--backend", "cpu", "--save", model.toString()));
        String m = model.toString();
        Path cpu = dir.resolve("cpu.csv");
        Path gpu = dir.resolve("gpu.csv");
        ok(lfm("recommend", "--model", m, "--data", train.toString(), "--all-users", "--top", "7", "--out",
                cpu.toString(), "--backend", "cpu"));
        CliRun r = lfm("recommend", "--model", m, "--data", train.toString(), "--all-users", "--top", "7", "--out",
                gpu.toString(), "--backend", "opencl");
        ok(r);
        assertThat(r.out()).contains("80 users, 560 rows").contains("on opencl");
        assertThat(Files.readString(gpu)).isEqualTo(Files.readString(cpu));
        CliRun ec = lfm("evaluate", "--model", m, "--data", test.toString(), "--ranking", "--exclude", train.toString());
        CliRun eg = lfm("evaluate", "--model", m, "--data", test.toString(), "--ranking", "--exclude", train.toString(),
                "--backend", "opencl");
        ok(ec);
        ok(eg);
        assertThat(eg.out()).isEqualTo(ec.out());
        Path fresh = planted("new.csv", 75, 101, 0.5, 9999);
        CliRun fc = lfm("fold-in", "--model", m, "--data", fresh.toString(), "--save", dir.resolve("c.lfm").toString());
        CliRun fg = lfm("fold-in", "--model", m, "--data", fresh.toString(), "--save", dir.resolve("g.lfm").toString(),
                "--backend", "opencl");
        ok(fc);
        ok(fg);
        assertThat(fg.out()).contains("26 users folded (20 added, 6 updated)").contains("on opencl");
        CliRun pc = lfm("evaluate", "--model", dir.resolve("c.lfm").toString(), "--data", fresh.toString());
        CliRun pg = lfm("evaluate", "--model", dir.resolve("g.lfm").toString(), "--data", fresh.toString());
        assertThat(rmse(pg)).isCloseTo(rmse(pc), org.assertj.core.api.Assertions.within(1e-4));
    }
}
