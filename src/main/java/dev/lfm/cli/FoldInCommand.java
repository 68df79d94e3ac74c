package dev.lfm.cli;

import dev.lfm.OrderedMap;
import dev.lfm.compute.Backend;
import dev.lfm.data.Ratings;
import dev.lfm.io.OutputFiles;
import dev.lfm.model.FactorModel;
import dev.lfm.model.ModelIO;
import dev.lfm.objective.Objective;
import dev.lfm.serve.FoldIn;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code lfm fold-in}: solves the users of a new rating file into a saved model, items fixed ({@link FoldIn}). */
@Command(name = "fold-in", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Fold new ratings into a saved model without retraining: each user's factors and",
            "bias are solved exactly with the items fixed (the ALS row solve of the objective",
            "and regularization the model was trained with). Users new to the model are added;",
            "known users are re-solved from the given ratings alone; ratings of items the model",
            "does not know are counted and ignored. Ids are those of the original rating file."})
public final class FoldInCommand extends LfmCommand {
    @Mixin
    ModelFileOptions model;

    @Mixin
    RatingFileOptions data;

    @Option(names = "--save", required = true, paramLabel = "MODEL", converter = OutputPath.class, description = "Write the new model here (may be --model).")
    Path save;

    @Mixin
    OutputOptions output;

    @Mixin
    ServingBackend serving;

    @Override
    public Integer call() {
        PrintWriter out = out();
        data.required("the new users' ratings");
        serving.check();
        OutputFiles.checkWritable(save);
        output.checkWritable();
        FactorModel m = model.load();
        Objective objective = FoldIn.objectiveOf(m); // before reading: a model that cannot be folded fails fast
        Ratings fresh = data.read();
        FoldIn.Result r;
        String on;
        try (Backend b = serving.open(err())) {
            on = b.name();
            r = "cpu".equals(on) ? FoldIn.foldIn(m, fresh, objective, serving.threads()) : FoldIn.foldIn(m, fresh, objective, b);
        }
        out.printf("fold-in of %s into %s: %d users folded (%d added, %d updated), %d unchanged; %d ratings used, "
                        + "%d ratings of %d unknown items ignored; %.2f s, %.0f users/s on %s%n", data.name(),
                model.file.getFileName(), r.usersFolded(), r.usersAdded(), r.usersUpdated(), r.usersUnchanged(),
                r.ratingsUsed(), r.ratingsIgnored(), r.unknownItems(), r.seconds(), r.usersPerSecond(), on);
        ModelIO.save(r.model(), save);
        out.printf("saved model to %s (%d users x %d items)%n", save, r.model().numUsers, r.model().numItems);
        if (output.write(report(r, on))) {
            out.println("wrote report to " + output.report);
        }
        return 0;
    }

    private Map<String, Object> report(FoldIn.Result r, String on) {
        return OrderedMap.of("model", model.file.toString(), "data", data.data.toString(), "saved", save.toString(),
                "users_folded", r.usersFolded(), "users_added", r.usersAdded(), "users_updated", r.usersUpdated(),
                "users_unchanged", r.usersUnchanged(), "unknown_items", r.unknownItems(),
                "ratings_used", r.ratingsUsed(), "ratings_ignored", r.ratingsIgnored(), "backend", on,
                "seconds", r.seconds(), "users_per_second", r.usersPerSecond(), "num_users", r.model().numUsers,
                "num_items", r.model().numItems);
    }
}
