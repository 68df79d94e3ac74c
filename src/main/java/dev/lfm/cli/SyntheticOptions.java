package dev.lfm.cli;

import dev.lfm.LfmException;
import dev.lfm.data.SyntheticRatings;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * The synthetic-problem flags (a picocli mixin): the preset used when no rating file is given,
 * overridden field by field.
 */
public final class SyntheticOptions {
    @Option(names = "--synthetic", defaultValue = "default",
            description = "Synthetic preset when no file is given: default (50k x 10k, 5M ratings, rank 8), "
                    + "small, netflix (480k x 18k, 100M) (default: ${DEFAULT-VALUE})")
    public String preset;

    @Option(names = "--users", description = "Synthetic: number of users (overrides the preset).")
    public Integer users;

    @Option(names = "--items", description = "Synthetic: number of items (overrides the preset).")
    public Integer items;

    @Option(names = "--ratings", description = "Synthetic: number of observed ratings (overrides the preset).")
    public Long ratings;

    @Option(names = "--true-rank", description = "Synthetic: rank of the planted matrix (overrides the preset).")
    public Integer trueRank;

    @Option(names = "--noise", description = "Synthetic: noise standard deviation (overrides the preset).")
    public Double noise;

    /** A one-line error when a synthetic flag was given but a rating file is read instead: it would be ignored. */
    public void checkNotGiven(String why) {
        String given = preset != null && !preset.trim().equalsIgnoreCase("default") ? "--synthetic"
                : users != null ? "--users" : items != null ? "--items" : ratings != null ? "--ratings"
                : trueRank != null ? "--true-rank" : noise != null ? "--noise" : null;
        if (given != null) {
            throw new LfmException(given + " applies to the synthetic problem only, not with " + why);
        }
    }

    /** The synthetic recipe these flags describe (preset, overridden field by field). */
    public SyntheticRatings.Config config(long seed) {
        SyntheticRatings.Preset p = null;
        for (SyntheticRatings.Preset x : SyntheticRatings.Preset.values()) {
            if (x.cliName().equalsIgnoreCase(preset.trim())) {
                p = x;
            }
        }
        if (p == null) {
            throw new LfmException("--synthetic must be small, default or netflix (got '" + preset + "')");
        }
        SyntheticRatings.Config c = p.config();
        try {
            c = new SyntheticRatings.Config(users != null ? users : c.numUsers(), items != null ? items : c.numItems(),
                    trueRank != null ? trueRank : c.rank(), ratings != null ? ratings : c.numRatings(),
                    ratings != null ? 0 : c.density(), noise != null ? noise : c.noise(), seed);
            c.targetRatings();
        } catch (IllegalArgumentException e) {
            throw new LfmException("synthetic data: " + e.getMessage());
        }
        return c;
    }

    /** "synthetic default (rank 8, noise 0.25, seed 42)". */
    public String describe(SyntheticRatings.Config c, long seed) {
        return String.format(Locale.ROOT, "synthetic %s (rank %d, noise %.2f, seed %d)",
                preset.toLowerCase(Locale.ROOT), c.rank(), c.noise(), seed);
    }
}
