package dev.lfm.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lfm.data.Ratings;
import dev.lfm.data.Split;
import dev.lfm.data.Splits;
import dev.lfm.data.SyntheticRatings;
import dev.lfm.model.FactorModel;
import dev.lfm.train.Algorithm;
import dev.lfm.train.TrainingConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "Use from Java" section: {@link #example} is that code, checked to be in README.md
 * word for word and run here on a small synthetic rating file.
 */
class UseFromJavaTest {
    @TempDir
    Path dir;

    static void example(Path ratingsFile, Path newRatingsFile, Path modelFile, PrintStream out) {
        // README:begin
        // read ratings (MovieLens u.data / ratings.dat / ratings.csv, LIBMF text); ids stay the file's
        Ratings ratings = Lfm.read(ratingsFile);
        Split split = Splits.random(ratings, 0.2, 0, 42);

        // train: every setting and its default is in TrainingConfig
        TrainingConfig config = TrainingConfig.defaults();
        config.algorithm = Algorithm.ALS;
        config.rank = 16;
        config.epochs = 10;
        config.lambda = 0.1;
        config.lambdaBias = 0.1;
        FactorModel model = Lfm.train(split.train(), null, config, "cpu", null).model();

        // save, load, predict (clipped to the rating scale)
        Lfm.save(model, modelFile);
        model = Lfm.load(modelFile);
        out.printf("user 1, item 318: %.2f%n", Lfm.predict(model, 1, 318));

        // the top 10 for user 1 among the items they have not rated
        for (Recommendation r : Lfm.recommend(model, 1, 10, split.train())) {
            out.printf("%2d. item %d, score %.3f, rating %.2f%n", r.rank(), r.item(), r.score(), r.rating());
        }

        // ranking quality on the held-out ratings (relevant: rated 4 or more)
        out.println(RankingMetrics.evaluate(model, split.test(), split.train(), 10, 4.0, 0));

        // users who arrived after training: their factors solved with the items fixed
        FoldIn.Result folded = Lfm.foldIn(model, Lfm.read(newRatingsFile));
        out.println(folded);
        model = folded.model();

        // continue training from the model (warm start), e.g. on all ratings
        model = Lfm.train(ratings, null, config, "cpu", model).model();
        // README:end
        out.println("trained users: " + model.numUsers);
    }

    @Test
    void readmeSnippetIsThisCode() throws Exception {
        List<String> snippet = snippet();
        String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
        StringBuilder block = new StringBuilder();
        for (String line : snippet) {
            block.append(line.isEmpty() ? "" : "    " + line).append('\n');
        }
        assertThat(readme).contains("## Use from Java");
        assertThat(readme).as("README.md holds the code of UseFromJavaTest.example, indented 4").contains(block);
    }

    @Test
    void readmeSnippetRuns() throws Exception {
        Ratings r = SyntheticRatings.uniform(200, 400, 12000, 4, 0.3, 8);
        StringBuilder csv = new StringBuilder("userId,movieId,rating,timestamp\n");
        java.util.Set<Long> seen = new java.util.HashSet<>();
        for (int j = 0; j < r.size(); j++) {
            if (!seen.add((long) r.user(j) << 32 | r.item(j))) {
                continue;
            }
            csv.append(r.user(j) + 1).append(',').append(r.item(j) + 1).append(',')
                    .append(Math.round(r.value(j) * 2) / 2.0).append(",0\n");
        }
        Path ratings = Files.writeString(dir.resolve("ratings.csv"), csv);
        Path fresh = Files.writeString(dir.resolve("new.csv"),
                "userId,movieId,rating,timestamp\n5001,1,4.0,0\n5001,2,3.5,0\n5002,3,5.0,0\n5002,9999,1.0,0\n");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        example(ratings, fresh, dir.resolve("model.lfm"), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(out).contains("user 1, item 318: ", " 1. item ", "10. item ", "precision", "folded in 2 users (2 added",
                "1 unknown items", "trained users: 200");
        assertThat(Files.exists(dir.resolve("model.lfm"))).isTrue();
    }

    private static List<String> snippet() throws Exception {
        List<String> lines = Files.readAllLines(Path.of("src/test/java/dev/lfm/serve/UseFromJavaTest.java"));
        List<String> out = new ArrayList<>();
        boolean in = false;
        int indent = -1;
        for (String line : lines) {
            if (line.strip().equals("// README:end")) {
                break;
            }
            if (in) {
                if (indent < 0) {
                    indent = line.length() - line.stripLeading().length();
                }
                out.add(line.isBlank() ? "" : line.substring(Math.min(indent, line.length() - line.stripLeading().length())));
            }
            if (line.strip().equals("// README:begin")) {
                in = true;
            }
        }
        return out;
    }
}
