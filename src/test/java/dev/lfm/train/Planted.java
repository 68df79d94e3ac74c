package dev.lfm.train;

import dev.lfm.data.Gaussian;

import dev.lfm.data.IdMap;
import dev.lfm.data.Ratings;
import dev.lfm.model.FactorModel;
import java.util.SplittableRandom;

/** A small planted low-rank problem for tests: ratings = μ + b_u + b_i + u·v + noise, split 80/10/10. */
public final class Planted {
    public final Ratings train;
    public final Ratings validation;
    public final Ratings test;
    public final double noise;

    public Planted(int users, int items, int rank, double density, double noise, long seed) {
        this.noise = noise;
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] u = new double[users * rank];
        double[] v = new double[items * rank];
        double[] bu = new double[users];
        double[] bi = new double[items];
        for (int j = 0; j < u.length; j++) {
            u[j] = Gaussian.next(rnd) / Math.sqrt(rank);
        }
        for (int j = 0; j < v.length; j++) {
            v[j] = Gaussian.next(rnd);
        }
        for (int j = 0; j < users; j++) {
            bu[j] = 0.3 * Gaussian.next(rnd);
        }
        for (int j = 0; j < items; j++) {
            bi[j] = 0.3 * Gaussian.next(rnd);
        }
        int cap = (int) (users * (long) items * density * 1.2) + 16;
        int[][] us = {new int[cap], new int[cap], new int[cap]};
        int[][] is = {new int[cap], new int[cap], new int[cap]};
        float[][] vs = {new float[cap], new float[cap], new float[cap]};
        int[] n = new int[3];
        for (int a = 0; a < users; a++) {
            for (int b = 0; b < items; b++) {
                if (rnd.nextDouble() >= density) {
                    continue;
                }
                double r = 3 + bu[a] + bi[b] + noise * Gaussian.next(rnd);
                for (int c = 0; c < rank; c++) {
                    r += u[a * rank + c] * v[b * rank + c];
                }
                double x = rnd.nextDouble();
                int s = x < 0.8 ? 0 : x < 0.9 ? 1 : 2;
                if (n[s] == us[s].length) {
                    continue;
                }
                us[s][n[s]] = a;
                is[s][n[s]] = b;
                vs[s][n[s]] = (float) r;
                n[s]++;
            }
        }
        IdMap um = IdMap.identity(users);
        IdMap im = IdMap.identity(items);
        Ratings[] sets = new Ratings[3];
        for (int s = 0; s < 3; s++) {
            sets[s] = new Ratings(users, items, us[s], is[s], vs[s], n[s], um, im, -100f, 100f).trimmed();
        }
        train = sets[0];
        validation = sets[1];
        test = sets[2];
    }
}
