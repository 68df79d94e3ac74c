package dev.lfm.cli;

import dev.lfm.data.Ratings;
import dev.lfm.model.FactorModel;
import dev.lfm.model.ModelIO;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code lfm evaluate}: RMSE and MAE of a saved model on a rating file. */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"RMSE and MAE of a saved model on every rating of a file (predictions clipped to the model's rating scale).",
            "Users or items the model has never seen are predicted from what is known (μ plus the known bias)."})
public final class EvaluateCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "MODEL", description = "Model file written by 'lfm train --save'.")
    Path modelFile;

    @Mixin
    RatingFileOptions data;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        FactorModel m = ModelIO.load(modelFile);
        data.required("the ratings to evaluate on");
        Ratings r = data.read(data.readOptions(), m.userIds, m.itemIds);
        double sse = 0;
        double sae = 0;
        int cold = 0;
        for (int n = 0; n < r.size(); n++) {
            int u = r.user(n);
            int i = r.item(n);
            if (u >= m.numUsers || i >= m.numItems) {
                cold++;
            }
            double e = r.value(n) - Predictions.predict(m, u, i);
            sse += e * e;
            sae += Math.abs(e);
        }
        out.printf("%s on %s: %d ratings, RMSE %.5f, MAE %.5f%s%n", modelFile.getFileName(), data.data.getFileName(),
                r.size(), Math.sqrt(sse / r.size()), sae / r.size(),
                cold > 0 ? " (" + cold + " with a user or item unknown to the model)" : "");
        return 0;
    }
}
