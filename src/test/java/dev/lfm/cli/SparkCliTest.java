package dev.lfm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lfm.model.FactorModel;
import dev.lfm.model.ModelIO;
import dev.lfm.spark.Sessions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lfm train --engine spark|spark-als} and {@code lfm compare --engines ...} through the CLI,
 * on one embedded local[2] session for the class (the CLI reuses a session it finds and leaves it
 * running).
 */
class SparkCliTest {
    private static SparkSession spark;

    @TempDir
    Path dir;

    /** 400 users x 300 items, 20000 ratings of a rank-4 matrix: seconds per engine. */
    private static final String[] PROBLEM = {"--synthetic", "small", "--users", "400", "--items", "300", "--ratings",
        "20000", "--true-rank", "4", "--seed", "3"};
    private static final String[] SETTINGS = {"--optimizer", "sgd", "-k", "4", "--reg", "0.02", "--epochs", "15"};

    @BeforeAll
    static void start() {
        spark = Sessions.local("local[2]", 2);
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
    }

    static CliRun lfm(String[]... parts) {
        List<String> args = new ArrayList<>();
        for (String[] p : parts) {
            args.addAll(Arrays.asList(p));
        }
        return CliRun.lfm(args.toArray(String[]::new));
    }

    private static String[] a(String... s) {
        return s;
    }

    private static String oneLineError(CliRun r) {
        assertThat(r.code()).as(r.out() + r.err()).isNotZero();
        assertThat(r.err()).doesNotContain("\tat ").doesNotContain("Exception");
        String[] lines = r.err().strip().split("\n");
        assertThat(lines).hasSize(1);
        return lines[0];
    }

    @Test
    void trainOnSparkReportsItsEngineAndMatchesTheLocalRun() throws IOException {
        Path local = dir.resolve("local.json");
        Path onSpark = dir.resolve("spark.json");
        Path model = dir.resolve("spark.lfm");
        CliRun l = lfm(a("train"), PROBLEM, SETTINGS, a("--backend", "cpu", "--report", local.toString()));
        assertThat(l.code()).as(l.out() + l.err()).isZero();
        CliRun s = lfm(a("train"), PROBLEM, SETTINGS, a("--engine", "spark", "--master", "local[2]", "--partitions", "2",
                "--report", onSpark.toString(), "--save", model.toString()));
        assertThat(s.code()).as(s.out() + s.err()).isZero();
        assertThat(s.out()).contains("engine: DSGD on local[2]").contains("2 x 2 blocks").doesNotContain("note:");

        ObjectMapper json = new ObjectMapper();
        JsonNode lr = json.readTree(local.toFile());
        JsonNode sr = json.readTree(onSpark.toFile());
        assertThat(sr.get("engine").asText()).isEqualTo("spark");
        assertThat(sr.get("master").asText()).isEqualTo("local[2]");
        assertThat(sr.get("partitions").asInt()).isEqualTo(2);
        // the same split (the synthetic problem is generated and split on the driver), the same report keys
        assertThat(sr.get("num_train").asLong()).isEqualTo(lr.get("num_train").asLong());
        assertThat(sr.get("num_test").asLong()).isEqualTo(lr.get("num_test").asLong());
        lr.fieldNames().forEachRemaining(k -> assertThat(sr.has(k)).as(k).isTrue());
        double dl = lr.get("test_rmse").asDouble();
        double ds = sr.get("test_rmse").asDouble();
        System.out.printf("planted 400x300, k=4: local test RMSE %.5f, spark local[2] p=2 %.5f%n", dl, ds);
        assertThat(ds).isLessThanOrEqualTo(dl + 0.01);
        FactorModel m = ModelIO.load(model);
        assertThat(m.provenance.get("engine")).isEqualTo("spark");
        assertThat(m.rank).isEqualTo(4);
    }

    @Test
    void sparkDefaultsAreDsgdsAndSaidSo() {
        // without --optimizer, -k, --reg: plain SGD, k=32, reg=0.05, printed
        CliRun s = lfm(a("train"), PROBLEM, a("--engine", "spark", "--epochs", "1", "-q"));
        assertThat(s.code()).as(s.out() + s.err()).isZero();
        assertThat(s.out()).contains("note: --engine spark uses plain per-rating SGD, k=32, reg=0.05")
                .contains("model: sgd, k=32");
    }

    @Test
    void compareRunsTheThreeEnginesOnOneSplit() throws IOException {
        Path report = dir.resolve("compare.json");
        Path chart = dir.resolve("engines.png");
        CliRun c = lfm(a("compare", "--engines", "local,spark,spark-als", "--master", "local[2]", "--backends", "cpu",
                "-k", "4", "--reg", "0.02", "--epochs", "5", "--report", report.toString(), "--chart", chart.toString()),
                PROBLEM);
        assertThat(c.code()).as(c.out() + c.err()).isZero();
        List<String> rows = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^(local|spark|spark-als) +(.*)$").matcher(c.out());
        while (m.find()) {
            rows.add(m.group(1));
        }
        assertThat(rows).containsExactly("local", "spark", "spark-als");
        assertThat(c.out()).contains("no μ and no biases");
        JsonNode engines = new ObjectMapper().readTree(report.toFile()).get("engines");
        assertThat(engines).hasSize(3);
        for (JsonNode e : engines) {
            assertThat(e.get("test_rmse").asDouble()).as(e.toString()).isBetween(0.0, 2.0);
            assertThat(e.get("objective").asDouble()).isPositive();
        }
        assertThat(Files.size(chart)).isPositive();
    }

    @Test
    void badEngineFlagsAreOneLine() {
        assertThat(oneLineError(lfm(a("train", "--engine", "bogus"), PROBLEM)))
                .isEqualTo("lfm: --engine must be local, spark or spark-als (got 'bogus')");
        assertThat(oneLineError(lfm(a("train", "--master", "local[2]"), PROBLEM)))
                .contains("--master applies to --engine spark");
        assertThat(oneLineError(lfm(a("train", "--engine", "spark", "--optimizer", "adagrad"), PROBLEM)))
                .contains("DSGD");
        assertThat(oneLineError(lfm(a("train", "--engine", "spark-als", "--backend", "opencl"), PROBLEM)))
                .contains("--backend opencl applies to --engine spark (DSGD) and --engine local");
        assertThat(oneLineError(lfm(a("train", "--engine", "spark", "--regularization", "uniform"), PROBLEM)))
                .endsWith("use --engine local for --regularization uniform");
        assertThat(oneLineError(lfm(a("train", "--engine", "spark-als", "--regularization", "uniform"), PROBLEM)))
                .endsWith("use --engine local for --regularization uniform");
        String noCuda = dev.lfm.compute.Backends.provider("cuda").unavailableReason();
        if (noCuda != null) { // DSGD's tasks would run on the GPU where there is one
            assertThat(oneLineError(lfm(a("train", "--engine", "spark", "--master", "local[2]", "--backend", "cuda"),
                    PROBLEM))).isEqualTo("lfm: cuda backend not available: " + noCuda);
        }
        assertThat(oneLineError(lfm(a("train", "--engine", "spark-als", "--save", "x.lfm"), PROBLEM)))
                .contains("no lfm model");
        assertThat(oneLineError(lfm(a("compare", "--engines", "local,bogus"), PROBLEM))).contains("--engine must be");
        assertThat(oneLineError(lfm(a("compare", "--engines", "spark", "--backends", "cpu"), PROBLEM)))
                .contains("--backends applies to the local engine");
    }

    /** bin/lfm passes the embedded driver exactly the options the pom gives the tests' JVM (Spark's list). */
    @Test
    void launcherCarriesThePomsSparkJavaOptions() throws IOException {
        String pom = Files.readString(Path.of("pom.xml"));
        Matcher m = Pattern.compile("<spark.java.options>(.*?)</spark.java.options>").matcher(pom);
        assertThat(m.find()).isTrue();
        String launcher = Files.readString(Path.of("bin/lfm"));
        Matcher block = Pattern.compile("(?s)spark_java_options=\\((.*?)\\)").matcher(launcher);
        assertThat(block.find()).isTrue();
        List<String> inLauncher = Arrays.asList(block.group(1).trim().split("\\s+"));
        assertThat(inLauncher).containsExactlyInAnyOrder(m.group(1).trim().split("\\s+"));
    }
}
