package dev.lfm.cli;

import dev.lfm.compute.Backend;
import dev.lfm.data.Ratings;
import dev.lfm.io.OutputFiles;
import dev.lfm.model.FactorModel;
import dev.lfm.model.ModelIO;
import dev.lfm.objective.Objective;
import dev.lfm.serve.FoldIn;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code lfm fold-in}: solves the users of a new rating file into a saved model, items fixed ({@link FoldIn}). */
@Command(name = "fold-in", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Fold new ratings into a saved model without retraining: each user's factors and",
            "bias are solved exactly with the items fixed (the ALS row solve of the objective",
            "and regularization the model was trained with). Users new to the model are added;",
            "known users are re-solved from the given ratings alone; ratings of items the model",
            "does not know are counted and ignored. Ids are those of the original rating file."})
public final class FoldInCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    ModelFileOptions model;

    @Mixin
    RatingFileOptions data;

    @Option(names = "--save", required = true, paramLabel = "MODEL", description = "Write the new model here (may be --model).")
    Path save;

    @Mixin
    OutputOptions output;

    @Mixin
    BackendFlags backend;

    @Mixin
    DeviceOptions device;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        data.required("the new users' ratings");
        device.checkServing(backend);
        OutputFiles.checkWritable(save);
        output.checkWritable();
        FactorModel m = model.load();
        Objective objective = FoldIn.objectiveOf(m); // before reading: a model that cannot be folded fails fast
        Ratings fresh = data.read();
        FoldIn.Result r;
        String on;
        try (Backend b = backend.open(device, spec.commandLine().getErr())) {
            on = b.name();
            r = "cpu".equals(on) ? FoldIn.foldIn(m, fresh, objective, device.threads) : FoldIn.foldIn(m, fresh, objective, b);
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
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", model.file.toString());
        m.put("data", data.data.toString());
        m.put("saved", save.toString());
        m.put("users_folded", r.usersFolded());
        m.put("users_added", r.usersAdded());
        m.put("users_updated", r.usersUpdated());
        m.put("users_unchanged", r.usersUnchanged());
        m.put("unknown_items", r.unknownItems());
        m.put("ratings_used", r.ratingsUsed());
        m.put("ratings_ignored", r.ratingsIgnored());
        m.put("backend", on);
        m.put("seconds", r.seconds());
        m.put("users_per_second", r.usersPerSecond());
        m.put("num_users", r.model().numUsers);
        m.put("num_items", r.model().numItems);
        return m;
    }
}
