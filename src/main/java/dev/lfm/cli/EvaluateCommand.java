package dev.lfm.cli;

import dev.lfm.LfmException;
import dev.lfm.OrderedMap;
import dev.lfm.compute.Backend;
import dev.lfm.data.Ratings;
import dev.lfm.data.RatingsReader;
import dev.lfm.model.FactorModel;
import dev.lfm.serve.RankingMetrics;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code lfm evaluate}: RMSE and MAE of a saved model on a rating file and, with --ranking, top-N quality. */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"RMSE and MAE of a saved model on every rating of a file (predictions clipped to",
            "the model's rating scale). Users or items the model has never seen are predicted",
            "from what is known (μ plus the known bias). --ranking adds precision@N, recall@N,",
            "NDCG@N and MAP@N over the users with a relevant rating in the file (rated >=",
            "--relevant), and the catalog coverage of their top-N lists, which skip each",
            "user's items in --exclude."})
public final class EvaluateCommand extends LfmCommand {
    @Mixin
    ModelFileOptions model;

    @Mixin
    RatingFileOptions data;

    @Option(names = "--ranking", description = "Also rank the top N for every user and score the lists.")
    boolean ranking;

    @Option(names = "--top", paramLabel = "N", description = "With --ranking: list length N (default: 10).")
    Integer top;

    @Option(names = "--relevant", paramLabel = "RATING",
            description = "With --ranking: ratings >= this are relevant (default: " + RankingMetrics.DEFAULT_RELEVANT + ").")
    Double relevant;

    @Option(names = "--exclude", paramLabel = "FILE",
            description = "With --ranking: ratings (normally the training file) whose items are never recommended to "
                    + "their user; read with the --format flags of --data.")
    Path exclude;

    @Mixin
    OutputOptions output;

    @Mixin
    ServingBackend serving;

    @Override
    public Integer call() {
        PrintWriter out = out();
        if (!ranking && (top != null || relevant != null || exclude != null || serving.flags.backend != null)) {
            throw new LfmException((top != null ? "--top" : relevant != null ? "--relevant" : exclude != null
                    ? "--exclude" : "--backend") + " applies to --ranking only");
        }
        serving.check();
        int n = top == null ? 10 : top;
        double threshold = relevant == null ? RankingMetrics.DEFAULT_RELEVANT : relevant;
        if (n < 1) {
            throw new LfmException("--top must be >= 1 (got " + n + ")");
        }
        if (!Double.isFinite(threshold)) {
            throw new LfmException("--relevant must be a number (got " + threshold + ")");
        }
        data.required("the ratings to evaluate on");
        output.checkWritable();
        // the ranking backend opens first: an unavailable one is the only line, before any result is printed
        try (Backend b = ranking ? serving.open(err()) : null) {
            return evaluate(out, n, threshold, b);
        }
    }

    private Integer evaluate(PrintWriter out, int n, double threshold, Backend b) {
        FactorModel m = model.load();
        Ratings excluded = exclude == null ? null : RatingsReader.read(exclude, data.readOptions());
        Ratings r = data.read(data.readOptions(), m.userIds, m.itemIds);
        double sse = 0;
        double sae = 0;
        int cold = 0;
        for (int j = 0; j < r.size(); j++) {
            int u = r.user(j);
            int i = r.item(j);
            if (u >= m.numUsers || i >= m.numItems) {
                cold++;
            }
            double e = r.value(j) - Predictions.predict(m, u, i);
            sse += e * e;
            sae += Math.abs(e);
        }
        double rmse = Math.sqrt(sse / r.size());
        double mae = sae / r.size();
        out.printf("%s on %s: %d ratings, RMSE %.5f, MAE %.5f%s%n", model.file.getFileName(), data.name(),
                r.size(), rmse, mae, cold > 0 ? " (" + cold + " with a user or item unknown to the model)" : "");
        Map<String, Object> report = OrderedMap.of("model", model.file.toString(), "data", data.data.toString(),
                "num_ratings", r.size(), "num_unknown", cold, "rmse", rmse, "mae", mae);
        if (ranking) {
            RankingMetrics.Result res = "cpu".equals(b.name())
                    ? RankingMetrics.evaluate(m, r, excluded, n, threshold, serving.threads())
                    : RankingMetrics.evaluate(m, r, excluded, n, threshold, b);
            out.printf("ranking%s (relevant: rated >= %s%s)%s%n", res, threshold,
                    exclude == null ? "; nothing excluded" : "; " + exclude.getFileName() + " excluded",
                    res.unknownUsers() > 0 ? "; " + res.unknownUsers() + " users unknown to the model skipped" : "");
            report.put("exclude", exclude == null ? null : exclude.toString());
            report.putAll(res.toMap());
        }
        if (output.write(report)) {
            out.println("wrote report to " + output.report);
        }
        return 0;
    }
}
