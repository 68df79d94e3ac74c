package dev.lfm.io;

import dev.lfm.model.FactorModel;
import dev.lfm.model.ModelIO;
import java.nio.file.Path;

/**
 * The child process of {@link CrashSafetyTest}: saves generation 1, 2, 3, ... of a model to the
 * file named by its argument, forever, until it is killed. Generation g is {@link #model(int)}.
 */
public final class CrashSaver {
    private CrashSaver() {
    }

    /** Users x items x rank of the saved model: about 4.5 MB a file. */
    static final int USERS = 30_000;
    static final int ITEMS = 5_000;
    static final int RANK = 32;

    /** Generation {@code g}: every parameter a function of (g, index), so a loaded file can be checked whole. */
    static FactorModel model(int g) {
        FactorModel m = new FactorModel(USERS, ITEMS, RANK, true);
        for (int j = 0; j < m.p.length; j++) {
            m.p[j] = g + j * 1e-6f;
        }
        for (int j = 0; j < m.q.length; j++) {
            m.q[j] = -g - j * 1e-6f;
        }
        m.userBias[USERS - 1] = g;
        m.itemBias[ITEMS - 1] = -g;
        m.mu = 3;
        m.minRating = 1;
        m.maxRating = 5;
        m.provenance.put("generation", Integer.toString(g));
        return m;
    }

    public static void main(String[] args) {
        Path target = Path.of(args[0]);
        FactorModel m = model(1);
        System.out.println("ready");
        System.out.flush();
        for (int g = 2; ; g++) {
            m.provenance.put("generation", Integer.toString(g));
            m.userBias[USERS - 1] = g;
            m.itemBias[ITEMS - 1] = -g;
            for (int j = 0; j < m.p.length; j++) {
                m.p[j] = g + j * 1e-6f;
            }
            for (int j = 0; j < m.q.length; j++) {
                m.q[j] = -g - j * 1e-6f;
            }
            ModelIO.save(m, target);
        }
    }
}
