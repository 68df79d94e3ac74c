package dev.lfm.train;

import dev.lfm.compute.Optimizer;

import dev.lfm.compute.Backend;
import dev.lfm.compute.ErrorSums;
import dev.lfm.objective.Gradient;
import dev.lfm.compute.OptimizerStep;
import dev.lfm.compute.RatingSet;
import dev.lfm.compute.Side;
import dev.lfm.compute.cpu.CpuBackend;
import dev.lfm.data.Ratings;
import dev.lfm.model.FactorModel;
import dev.lfm.objective.LossTerms;
import dev.lfm.objective.Objective;
import java.util.ArrayList;
import java.util.List;

/** A CPU backend that records what the trainer asks of it: one line per call that steers training. */
class RecordingBackend implements Backend {
    final CpuBackend cpu = new CpuBackend(1);
    final List<String> calls = new ArrayList<>();
    final List<Long> seeds = new ArrayList<>();
    final List<Float> lrs = new ArrayList<>();
    final List<Float> lrBiases = new ArrayList<>();
    final List<Objective> objectives = new ArrayList<>();
    final List<OptimizerStep> steps = new ArrayList<>();

    @Override public String name() { return "recording"; }
    @Override public String device() { return "cpu"; }
    @Override public int threads() { return 1; }
    @Override public RatingSet upload(Ratings ratings) { return cpu.upload(ratings); }
    @Override public void setModel(FactorModel model) { calls.add("setModel"); cpu.setModel(model); }
    @Override public void getModel(FactorModel into) { calls.add("getModel"); cpu.getModel(into); }
    @Override public LossTerms loss(RatingSet train, Objective objective) {
        objectives.add(objective);
        return cpu.loss(train, objective);
    }
    int evaluations;
    @Override public ErrorSums evaluate(RatingSet set) { evaluations++; return cpu.evaluate(set); }
    @Override public void sgdEpoch(RatingSet train, Objective objective, Optimizer rule, float lr, float lrBias,
                                   long seed) {
        calls.add("sgdEpoch");
        seeds.add(seed);
        lrs.add(lr);
        lrBiases.add(lrBias);
        objectives.add(objective);
        cpu.sgdEpoch(train, objective, rule, lr, lrBias, seed);
    }
    @Override public void shuffle(RatingSet train, long seed) {
        calls.add("shuffle");
        seeds.add(seed);
        cpu.shuffle(train, seed);
    }
    @Override public void gradientStep(RatingSet train, int from, int to, Objective objective, OptimizerStep step) {
        calls.add("gradientStep " + from + ".." + to);
        steps.add(step);
        cpu.gradientStep(train, from, to, objective, step);
    }
    @Override public void alsSweep(RatingSet train, Objective objective, Side side) {
        calls.add("alsSweep " + side);
        cpu.alsSweep(train, objective, side);
    }
    @Override public float[] residuals(RatingSet set) { return cpu.residuals(set); }
    @Override public Gradient gradient(RatingSet train, int from, int to, Objective objective) {
        return cpu.gradient(train, from, to, objective);
    }
    @Override public void close() { cpu.close(); }
}
