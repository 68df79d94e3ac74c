package dev.lfm.experiment;

import dev.lfm.train.TrainingConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/** The training settings of a configuration as a JSON-friendly map (for the summaries). */
public final class Settings {
    private Settings() {
    }

    public static Map<String, Object> of(TrainingConfig c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("algorithm", c.describeAlgorithm());
        m.put("rank", c.rank);
        m.put("epochs", c.epochs);
        m.put("lr", c.lr);
        m.put("lambda", c.lambda);
        m.put("lambda_bias", c.lambdaBias);
        m.put("regularization", c.regularization.name().toLowerCase(java.util.Locale.ROOT));
        m.put("batch_size", c.batchSize);
        m.put("optimizer", c.optimizer.label());
        m.put("patience", c.patience);
        m.put("seed", c.seed);
        return m;
    }
}
