package dev.lfm.cli;

import dev.lfm.LfmException;
import dev.lfm.compute.Backend;
import dev.lfm.data.Ratings;
import dev.lfm.data.SyntheticRatings;
import dev.lfm.io.OutputFiles;
import dev.lfm.model.FactorModel;
import dev.lfm.serve.ItemTitles;
import dev.lfm.serve.Recommendation;
import dev.lfm.serve.RecommendationFiles;
import dev.lfm.serve.TopN;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code lfm recommend}: the top-N items by the unclipped score for one user (a table), or for every
 * user or a list of users (a CSV written atomically), excluding the items each user already rated;
 * the lists come from {@link TopN}, the file from {@link RecommendationFiles}.
 */
@Command(name = "recommend", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"The top-N items for one user (--user, a table) or for every user (--all-users) or",
            "the users of --users FILE (a CSV to --out: user,item,score,rank,rating[,title]),",
            "ranked by the unclipped score μ + b_u + b_i + p_u·q_i (rating: the score clipped",
            "to the rating scale), excluding the items each user rated in --data (normally the",
            "training file). Without --data: the ratings of the synthetic problem the model",
            "was trained on, regenerated from its provenance (--synthetic, --ratings,",
            "--true-rank and --noise override it)."})
public final class RecommendCommand extends LfmCommand {
    private static final Pattern SYNTHETIC = Pattern.compile("synthetic (\\S+) \\(rank (\\d+), noise ([0-9.]+), seed "
            + "(-?\\d+)\\): (\\d+) users x (\\d+) items; (\\d+) train / (\\d+) validation / (\\d+) test ratings");

    @Mixin
    ModelFileOptions model;

    @Option(names = "--user", paramLabel = "ID", description = "One user (id as in the rating file): a table on standard output.")
    Long user;

    @Option(names = "--all-users", description = "Every user of the model, written to --out.")
    boolean allUsers;

    @Option(names = "--users", paramLabel = "FILE",
            description = "Only the users in FILE (one id per line, or the first field of a delimited line), written to --out.")
    Path usersFile;

    @Option(names = "--top", defaultValue = "10", paramLabel = "N", description = "Items per user (default: ${DEFAULT-VALUE})")
    int top;

    @Option(names = "--out", paramLabel = "FILE", converter = OutputPath.class, description = "CSV for --all-users / --users (written whole or not at all).")
    Path out;

    @Option(names = "--items", paramLabel = "FILE",
            description = "Item titles: MovieLens movies.csv, movies.dat, u.item, or a delimited id,title file.")
    Path titlesFile;

    @Option(names = {"-q", "--quiet"}, description = "No progress lines on standard error.")
    boolean quiet;

    @Mixin
    RatingFileOptions data;

    @Mixin
    ServingBackend serving;

    @Option(names = "--synthetic", paramLabel = "PRESET",
            description = "Without --data: the synthetic preset the model was trained on (default: from the model).")
    String preset;

    @Option(names = "--ratings", paramLabel = "N", description = "Without --data: the synthetic number of ratings.")
    Long numRatings;

    @Option(names = "--true-rank", paramLabel = "K", description = "Without --data: the synthetic planted rank.")
    Integer trueRank;

    @Option(names = "--noise", paramLabel = "SIGMA", description = "Without --data: the synthetic noise.")
    Double noise;

    @Override
    public Integer call() {
        PrintWriter stdout = out();
        PrintWriter err = err();
        boolean batch = allUsers || usersFile != null;
        checkFlags(batch);
        if (batch) {
            OutputFiles.checkWritable(out);
        }
        FactorModel m = model.load();
        long[] ids = usersFile == null ? null : RecommendationFiles.readIds(usersFile);
        if (user != null && userRow(m, user) < 0) {
            throw new LfmException("user " + user + " is not in the model " + model.file.getFileName());
        }
        ItemTitles titles = titlesFile == null ? null : ItemTitles.read(titlesFile);
        Ratings rated = ratedItems(m, err);
        TopN topN = new TopN(m, top).threads(serving.threads()).exclude(rated).titles(titles);
        if (!batch) {
            printOne(stdout, m, rated, topN, titles != null);
            return 0;
        }
        try (Backend b = serving.open(err)) {
            return writeAll(stdout, err, m, ids, titles, topN.backend(b), b.name());
        }
    }

    /** --all-users / --users FILE: the lists into the CSV, with progress on a terminal. */
    private int writeAll(PrintWriter stdout, PrintWriter err, FactorModel m, long[] ids, ItemTitles titles, TopN topN,
                         String on) {
        if (!quiet && Terminal.stderrIsTerminal()) {
            topN.progress(progress(err, ids == null ? m.numUsers : ids.length));
        }
        TopN.Summary[] summary = new TopN.Summary[1];
        OutputFiles.write(out, os -> {
            Writer w = new BufferedWriter(new OutputStreamWriter(os, StandardCharsets.UTF_8), 1 << 16);
            try {
                Consumer<Recommendation> sink = RecommendationFiles.csv(w, titles != null);
                summary[0] = ids == null ? topN.allUsers(sink) : topN.users(ids, sink);
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            w.flush();
        });
        stdout.printf("wrote %s: top %d of %d items for %s on %s%n", out, top, m.numItems, summary[0], on);
        return 0;
    }

    /** Options that belong to one mode are errors in the other. */
    private void checkFlags(boolean batch) {
        if (user != null && batch) {
            throw new LfmException("--user ranks one user, --all-users and --users FILE rank many: give one of them");
        }
        if (user == null && !batch) {
            throw new LfmException("give --user ID, --all-users or --users FILE");
        }
        if (batch && out == null) {
            throw new LfmException((allUsers ? "--all-users" : "--users FILE") + " writes a CSV: give --out FILE");
        }
        if (!batch && out != null) {
            throw new LfmException("--out applies to --all-users and --users FILE only (--user prints a table)");
        }
        if (top < 1) {
            throw new LfmException("--top must be >= 1 (got " + top + ")");
        }
        if (!batch && (serving.device.device != -1 || serving.flags.backend != null && !"cpu".equalsIgnoreCase(serving.flags.name()))) {
            throw new LfmException((serving.device.device != -1 ? "--device" : "--backend") + " applies to --all-users and "
                    + "--users FILE (--user ranks one user on the CPU)");
        }
        serving.check();
        if (data.data != null && (preset != null || numRatings != null || trueRank != null || noise != null)) {
            throw new LfmException("--synthetic, --ratings, --true-rank and --noise describe the synthetic problem: "
                    + "they do not go with --data");
        }
    }

    private void printOne(PrintWriter stdout, FactorModel m, Ratings rated, TopN topN, boolean withTitles) {
        List<Recommendation> list = new ArrayList<>(top);
        topN.users(new long[] {user}, list::add);
        stdout.printf(Locale.ROOT, "top %d for user %d (%d rated items excluded); score: μ + b_u + b_i + p_u·q_i, "
                + "rating: the score clipped to [%s, %s]%n", list.size(), user, ratedCount(rated, user),
                fmt(m.minRating), fmt(m.maxRating));
        stdout.println("rank  item            score  rating" + (withTitles ? "  title" : ""));
        for (Recommendation r : list) {
            stdout.printf(Locale.ROOT, "%4d  %-10d  %9.4f  %6.4f%s%n", r.rank(), r.item(), r.score(), r.rating(),
                    withTitles ? "  " + (r.title() == null ? "-" : r.title()) : "");
        }
    }

    /** The model's row of a user id, or -1. */
    static int userRow(FactorModel m, long id) {
        int u = m.userIds == null ? (id >= 0 && id < m.numUsers ? (int) id : -1) : m.userIds.indexOf(id);
        return u < m.numUsers ? u : -1;
    }

    private static String fmt(float x) {
        return x == Math.rint(x) ? Integer.toString((int) x) : Float.toString(x);
    }

    private static int ratedCount(Ratings rated, long id) {
        int u = rated.userIds() == null ? (id >= 0 && id < rated.numUsers() ? (int) id : -1) : rated.userIds().indexOf(id);
        int count = 0;
        for (int n = 0; u >= 0 && n < rated.size(); n++) {
            if (rated.user(n) == u) {
                count++;
            }
        }
        return count;
    }

    /** Progress lines, at most one a second, on standard error. */
    private static TopN.Progress progress(PrintWriter err, long users) {
        dev.lfm.report.Progress p = new dev.lfm.report.Progress(err::println);
        p.start("ranking " + users + " users", 0);
        long[] last = {System.nanoTime()};
        return (done, total) -> {
            long now = System.nanoTime();
            if (now - last[0] >= 1_000_000_000L && done < total) {
                last[0] = now;
                p.note(String.format(Locale.ROOT, "%d / %d users (%.0f%%), %.1f s", done, total, 100.0 * done / total,
                        p.seconds()));
            }
        };
    }

    /** The ratings whose items are never recommended: --data, or the regenerated synthetic problem. */
    private Ratings ratedItems(FactorModel m, PrintWriter err) {
        if (data.data != null) {
            return data.read();
        }
        String trainedOn = m.provenance.get("data");
        Matcher x = trainedOn == null ? null : SYNTHETIC.matcher(trainedOn);
        if (x == null || !x.lookingAt()) {
            throw new LfmException("the model was trained on " + (trainedOn == null ? "data it does not name"
                    : trainedOn.split(":")[0]) + ": pass --data FILE with the ratings to exclude");
        }
        SyntheticOptions s = new SyntheticOptions();
        s.preset = preset != null ? preset : x.group(1);
        s.trueRank = trueRank != null ? trueRank : Integer.valueOf(x.group(2));
        s.noise = noise != null ? noise : Double.valueOf(x.group(3));
        s.users = Integer.valueOf(x.group(5));
        s.items = Integer.valueOf(x.group(6));
        s.ratings = numRatings;
        String seed = m.provenance.get("seed");
        SyntheticRatings.Config c = s.config(seed != null ? Long.parseLong(seed) : Long.parseLong(x.group(4)));
        err.println("regenerating synthetic ratings to exclude: " + c);
        Ratings all = SyntheticRatings.generate(c).ratings();
        long expected = Long.parseLong(x.group(7)) + Long.parseLong(x.group(8)) + Long.parseLong(x.group(9));
        if (all.numUsers() != s.users || all.numItems() != s.items || all.size() != expected) {
            throw new LfmException("the regenerated synthetic data (" + c + ") is not what the model was trained on ("
                    + expected + " ratings): pass --data FILE or the --synthetic, --ratings flags used for training");
        }
        return all;
    }
}
