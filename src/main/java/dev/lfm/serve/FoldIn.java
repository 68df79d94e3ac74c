package dev.lfm.serve;

import dev.lfm.compute.RatingSet;

import dev.lfm.LfmException;
import dev.lfm.compute.Backend;
import dev.lfm.compute.Side;
import dev.lfm.compute.cpu.AlsRowSolver;
import dev.lfm.data.IdMap;
import dev.lfm.data.Ratings;
import dev.lfm.model.FactorModel;
import dev.lfm.objective.Objective;
import dev.lfm.objective.Regularization;

/**
 * Fold-in: solves the factors and bias of the users in a new rating set exactly, with the item
 * side of a trained model fixed. Each user's (p_u, b_u) is the ALS row solve of the objective the
 * model was trained with (λ, λ_b and the regularization form read from its provenance, see
 * {@link #objectiveOf}):
 *
 * <pre>
 *   minimize Σ_{i ∈ new ratings of u} (r_ui − μ − b_i − b_u − p_u·q_i)² + λ c_u ‖p_u‖² + λ_b c_u b_u²
 * </pre>
 *
 * with c_u = 1 (uniform) or n_u (weighted), n_u counting the user's ratings of items the model
 * knows. Users are matched by their file ids (the rating set's and the model's {@link IdMap}s):
 * users the model does not have are appended as new rows (the user id map is extended), users it
 * has are re-solved from the given ratings alone (their old ratings are not remembered by the
 * model). Ratings of items the model does not know are ignored and counted. μ, Q and the item
 * biases are left as they are. The input model is not modified; users are solved in parallel on
 * the CPU.
 */
public final class FoldIn {
    private FoldIn() {
    }

    /**
     * What a fold-in did.
     *
     * @param model the new model: the input's rows, the re-solved users, the appended users
     * @param usersFolded users whose factors were solved (added + updated)
     * @param usersAdded users new to the model (appended rows; those without any rating of a known
     *     item are appended with zero factors and bias, predicted by μ + b_i)
     * @param usersUpdated users the model had, re-solved
     * @param usersUnchanged users the model had whose new ratings are all of unknown items (left as they were)
     * @param unknownItems distinct items of the new ratings the model does not know (ignored)
     * @param ratingsUsed ratings of known items, used in the solves
     * @param ratingsIgnored ratings of unknown items
     * @param seconds wall time of the solves
     */
    public record Result(FactorModel model, int usersFolded, int usersAdded, int usersUpdated, int usersUnchanged,
                         int unknownItems, long ratingsUsed, long ratingsIgnored, double seconds) {
        /** Users solved per second. */
        public double usersPerSecond() {
            return seconds > 0 ? usersFolded / seconds : Double.NaN;
        }

        @Override
        public String toString() {
            return String.format("folded in %d users (%d added, %d re-solved, %d unchanged) from %d ratings; "
                    + "%d unknown items (%d ratings) ignored", usersFolded, usersAdded, usersUpdated, usersUnchanged,
                    ratingsUsed, unknownItems, ratingsIgnored);
        }
    }

    /**
     * The objective a model was trained with, from its provenance ({@code reg}, {@code reg_bias},
     * {@code regularization}, as {@link dev.lfm.train.Trainer} writes them) and its biases flag.
     *
     * @throws LfmException when the provenance lacks them (pass an {@link Objective} explicitly)
     */
    public static Objective objectiveOf(FactorModel m) {
        String reg = m.provenance.get("reg");
        String regBias = m.provenance.get("reg_bias");
        String form = m.provenance.get("regularization");
        if (reg == null || form == null || (m.biases && regBias == null)) {
            throw new LfmException("the model's provenance does not say how it was regularized (reg, reg_bias, "
                    + "regularization): give the regularization explicitly");
        }
        try {
            double lambda = Double.parseDouble(reg);
            double lambdaBias = m.biases ? Double.parseDouble(regBias) : 0;
            return new Objective(lambda, lambdaBias, Regularization.parse(form), m.biases);
        } catch (IllegalArgumentException e) {
            throw new LfmException("the model's provenance has a bad regularization (reg=" + reg + ", reg_bias="
                    + regBias + ", regularization=" + form + "): " + e.getMessage());
        }
    }

    /** Fold-in with the model's own objective ({@link #objectiveOf}) on all processors. */
    public static Result foldIn(FactorModel model, Ratings ratings) {
        return foldIn(model, ratings, objectiveOf(model), 0);
    }

    /**
     * Folds the users of {@code ratings} into a copy of {@code model}, solved on the CPU.
     *
     * @param ratings new ratings in any id space (matched to the model through the file ids)
     * @param objective the objective to solve (normally {@link #objectiveOf}(model))
     * @param threads CPU threads (0 = all processors)
     */
    public static Result foldIn(FactorModel model, Ratings ratings, Objective objective, int threads) {
        return fold(model, ratings, (out, f) -> {
            int k = out.rank;
            int chunk = 256;
            int tasks = (f.numUsers + chunk - 1) / chunk;
            Workers.run(tasks, threads, t -> {
                AlsRowSolver solver = new AlsRowSolver(k, objective, out.biases);
                for (int u = t * chunk, end = Math.min(f.numUsers, u + chunk); u < end; u++) {
                    int row = f.target[u];
                    if (row >= 0) {
                        solver.solve(out.q, out.itemBias, out.mu, f.other, f.vals, f.ptr[u], f.ptr[u + 1], out.p,
                                row * k, out.userBias, row);
                    }
                }
            });
        });
    }

    /**
     * The same fold-in, solved on {@code backend} by its ALS user half-sweep
     * ({@link Backend#alsSweep} with {@link Side#USERS}): the users to solve and their ratings of
     * known items are uploaded as one rating set over the model's items, with a model of those
     * users and the model's item side, and only their rows come back. Users, counts and the
     * returned model are as with the CPU solve; the factors agree with it to the backend's float
     * rounding (GPU backends solve in double where the device has it). The backend's current
     * model is replaced.
     */
    public static Result foldIn(FactorModel model, Ratings ratings, Objective objective, Backend backend) {
        return fold(model, ratings, (out, f) -> {
            int k = out.rank;
            // the solvable users, densely numbered in rating-set order; their ratings, grouped by user
            int[] solved = new int[f.numUsers];
            int count = 0;
            for (int u = 0; u < f.numUsers; u++) {
                if (f.target[u] >= 0 && f.ptr[u + 1] > f.ptr[u]) {
                    solved[count++] = u;
                }
            }
            if (count == 0) {
                return;
            }
            int used = f.ptr[f.numUsers];
            int[] users = new int[used];
            for (int j = 0; j < count; j++) {
                java.util.Arrays.fill(users, f.ptr[solved[j]], f.ptr[solved[j] + 1], j);
            }
            Ratings set = new Ratings(count, out.numItems, users, f.other, f.vals, used, null, null, out.minRating,
                    out.maxRating);
            FactorModel part = new FactorModel(count, out.numItems, k, out.biases);
            System.arraycopy(out.q, 0, part.q, 0, out.q.length);
            System.arraycopy(out.itemBias, 0, part.itemBias, 0, out.itemBias.length);
            part.mu = out.mu;
            part.minRating = out.minRating;
            part.maxRating = out.maxRating;
            backend.setModel(part);
            try (RatingSet resident = backend.upload(set)) {
                backend.alsSweep(resident, objective, Side.USERS);
            }
            backend.getModel(part);
            for (int j = 0; j < count; j++) {
                int row = f.target[solved[j]];
                System.arraycopy(part.p, j * k, out.p, row * k, k);
                out.userBias[row] = part.userBias[j];
            }
        });
    }

    /** The new users' known-item ratings by user (CSR over the rating set's users) and each one's target row. */
    private record Folding(int numUsers, int[] ptr, int[] other, float[] vals, int[] target) {
    }

    /** Solves the target rows of {@code out} (a copy of the model with the new rows appended, zero). */
    @FunctionalInterface
    private interface Solve {
        void into(FactorModel out, Folding f);
    }

    private static Result fold(FactorModel model, Ratings ratings, Solve solve) {
        long t0 = System.nanoTime();
        int k = model.rank;
        int[] itemRow = Ids.itemRows(model, ratings);
        int[] userRow = Ids.userRows(model, ratings);
        int nu = ratings.numUsers();
        int[] users = ratings.users();
        int[] items = ratings.items();
        float[] values = ratings.values();
        int size = ratings.size();

        // known-item ratings grouped by the rating set's user (CSR), unknown items counted
        int[] ptr = new int[nu + 1];
        int[] any = new int[nu];
        boolean[] unknownItem = new boolean[ratings.numItems()];
        int unknownItems = 0;
        long ignored = 0;
        for (int n = 0; n < size; n++) {
            any[users[n]]++;
            int i = items[n];
            if (itemRow[i] < 0) {
                ignored++;
                if (!unknownItem[i]) {
                    unknownItem[i] = true;
                    unknownItems++;
                }
            } else {
                ptr[users[n] + 1]++;
            }
        }
        for (int u = 0; u < nu; u++) {
            ptr[u + 1] += ptr[u];
        }
        int used = ptr[nu];
        int[] fill = java.util.Arrays.copyOf(ptr, nu);
        int[] other = new int[used];
        float[] vals = new float[used];
        for (int n = 0; n < size; n++) {
            int i = itemRow[items[n]];
            if (i >= 0) {
                int at = fill[users[n]]++;
                other[at] = i;
                vals[at] = values[n];
            }
        }

        // target rows: existing ones, or appended in the order of the rating set's user indices
        int added = 0;
        int updated = 0;
        int unchanged = 0;
        int[] target = new int[nu];
        long[] newIds = new long[nu];
        for (int u = 0; u < nu; u++) {
            target[u] = -1;
            if (any[u] == 0) {
                continue;
            }
            boolean solvable = ptr[u + 1] > ptr[u];
            if (userRow[u] >= 0) {
                if (solvable) {
                    target[u] = userRow[u];
                    updated++;
                } else {
                    unchanged++;
                }
            } else {
                newIds[added] = Ids.external(ratings.userIds(), u);
                target[u] = model.numUsers + added;
                added++;
            }
        }

        FactorModel out = new FactorModel(model.numUsers + added, model.numItems, k, model.biases);
        System.arraycopy(model.p, 0, out.p, 0, model.p.length);
        System.arraycopy(model.userBias, 0, out.userBias, 0, model.userBias.length);
        System.arraycopy(model.q, 0, out.q, 0, model.q.length);
        System.arraycopy(model.itemBias, 0, out.itemBias, 0, model.itemBias.length);
        out.mu = model.mu;
        out.minRating = model.minRating;
        out.maxRating = model.maxRating;
        out.itemIds = model.itemIds;
        out.userIds = extend(model.userIds, model.numUsers, newIds, added);
        out.provenance.putAll(model.provenance);

        solve.into(out, new Folding(nu, ptr, other, vals, target));
        double seconds = (System.nanoTime() - t0) / 1e9;
        int folded = added + updated;
        String previous = out.provenance.get("fold_in");
        String note = String.format("%d users (%d added, %d re-solved) from %d ratings", folded, added, updated, used);
        out.provenance.put("fold_in", previous == null ? note : previous + "; " + note);
        return new Result(out, folded, added, updated, unchanged, unknownItems, used, ignored, seconds);
    }

    /** A new user id map: the first {@code rows} ids of {@code ids} (identity when null), then {@code added}. */
    private static IdMap extend(IdMap ids, int rows, long[] added, int numAdded) {
        IdMap m = new IdMap(rows + numAdded);
        for (int r = 0; r < rows; r++) {
            m.add(Ids.external(ids, r));
        }
        for (int j = 0; j < numAdded; j++) {
            if (m.add(added[j]) != rows + j) {
                throw new IllegalStateException("id " + added[j] + " added twice");
            }
        }
        return m;
    }
}
