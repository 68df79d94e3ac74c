package dev.lfm.cli;

import dev.lfm.LfmException;
import dev.lfm.data.Ratings;
import dev.lfm.data.SyntheticRatings;
import dev.lfm.data.UnknownIds;
import dev.lfm.model.FactorModel;
import dev.lfm.model.ModelIO;
import dev.lfm.train.TrainingConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.PriorityQueue;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code lfm recommend}: the top-N items for a user by predicted rating, excluding items already rated. */
@Command(name = "recommend", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"The top-N items for a user by predicted rating, excluding the items the user already rated.",
            "The user's ratings come from --data (the file the model was trained on); without it, from the",
            "synthetic problem regenerated with the model's seed and the same --synthetic flags."})
public final class RecommendCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "MODEL", description = "Model file written by 'lfm train --save'.")
    Path modelFile;

    @Option(names = "--user", required = true, paramLabel = "ID", description = "User id as in the rating file.")
    long user;

    @Option(names = "--top", defaultValue = "10", paramLabel = "N", description = "Number of items (default: ${DEFAULT-VALUE})")
    int top;

    @Mixin
    RatingFileOptions data;

    @Mixin
    SyntheticOptions synthetic;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (top < 1) {
            throw new LfmException("--top must be >= 1 (got " + top + ")");
        }
        FactorModel m = ModelIO.load(modelFile);
        int u = m.userIds.indexOf(user);
        if (u < 0 || u >= m.numUsers) {
            throw new LfmException("user " + user + " is not in the model " + modelFile.getFileName());
        }
        boolean[] rated = new boolean[m.numItems];
        int numRated = 0;
        for (Ratings r : userRatings(m)) {
            for (int n = 0; n < r.size(); n++) {
                if (r.user(n) == u && r.item(n) < m.numItems && !rated[r.item(n)]) {
                    rated[r.item(n)] = true;
                    numRated++;
                }
            }
        }
        // a min-heap of the best N (score, item)
        PriorityQueue<double[]> heap = new PriorityQueue<>((a, b) -> Double.compare(a[0], b[0]));
        for (int i = 0; i < m.numItems; i++) {
            if (rated[i]) {
                continue;
            }
            double s = m.predictRaw(u, i);
            if (heap.size() < top) {
                heap.add(new double[] {s, i});
            } else if (s > heap.peek()[0]) {
                heap.poll();
                heap.add(new double[] {s, i});
            }
        }
        double[][] best = heap.toArray(new double[0][]);
        java.util.Arrays.sort(best, (a, b) -> Double.compare(b[0], a[0]));
        out.printf("top %d for user %d (%d rated items excluded)%n", best.length, user, numRated);
        out.println("rank  item        predicted");
        for (int r = 0; r < best.length; r++) {
            int i = (int) best[r][1];
            out.printf("%4d  %-10d  %9.4f%n", r + 1, m.itemIds.externalId(i),
                    Math.max(m.minRating, Math.min(m.maxRating, best[r][0])));
        }
        return 0;
    }

    private Ratings[] userRatings(FactorModel m) {
        if (data.data != null) {
            synthetic.checkNotGiven("--data");
            return new Ratings[] {data.read(data.readOptions().withUnknownIds(UnknownIds.ADD), m.userIds, m.itemIds)};
        }
        data.checkNoFileFlags("--data");
        String seed = m.provenance.get("seed");
        SyntheticRatings.Config c = synthetic.config(seed != null ? Long.parseLong(seed) : TrainingConfig.defaults().seed);
        spec.commandLine().getErr().println("regenerating synthetic ratings: " + c);
        Ratings all = SyntheticRatings.generate(c).ratings();
        if (all.numUsers() != m.numUsers || all.numItems() != m.numItems) {
            throw new LfmException("the regenerated synthetic data does not match the model's shape: pass --data FILE"
                    + " or the --synthetic flags used for training");
        }
        return new Ratings[] {all};
    }
}
