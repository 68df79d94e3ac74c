#!/usr/bin/env python3
"""Writes src/main/java/dev/lfm/compute/cpu/CpuSgdKernels.java: the register-resident per-rating
SGD and AdaGrad kernels, one method per (vector species, vectors per row). Run from the
repository root after editing the template; the output is checked in (Java has no templates, and
the Vector API intrinsifies only when the species is a compile-time constant). With --check it only
compares (CI runs that)."""
import sys

SPECIES = {"F": ("SF", "the preferred species"), "H": ("SH", "half the preferred width"),
           "Q": ("SQ", "a quarter of the preferred width")}
# (species, vectors) generated; CpuSgdKernels.choose picks among them
SHAPES = [("F", 1), ("F", 2), ("F", 3), ("F", 4), ("F", 5), ("F", 6), ("F", 7), ("F", 8),
          ("H", 1), ("H", 2), ("Q", 1), ("Q", 2)]
# AdaGrad's pair kernels past 4 vectors exceed the 8000 bytecodes above which HotSpot compiles
# nothing (DontCompileHugeMethods): k above 4·L takes the loop for AdaGrad
ADA_SHAPES = [(s, v) for s, v in SHAPES if v <= 4]
# past this many vectors a pair kernel (two runs interleaved) is too large for C1 to compile
# ("out of virtual registers"; a method C1 cannot compile is never profiled, so never reaches C2):
# the pair method takes the two runs one after the other
PAIR_MAX = 4


def off(j, v):
    if j == v - 1:
        return "oL"
    return "0" if j == 0 else f"{j} * l"


def tree(terms):
    # Σ a·b over the (a, b) pairs as a shallow tree: pairs of products (one mul, one FMA), then a
    # balanced sum of the pairs
    groups = []
    for g in range(0, len(terms), 2):
        (a0, b0) = terms[g]
        if g + 1 < len(terms):
            (a1, b1) = terms[g + 1]
            groups.append(f"{a1}.fma({b1}, {a0}.mul({b0}))")
        else:
            groups.append(f"{a0}.mul({b0})")
    while len(groups) > 1:
        groups = [f"{groups[g]}.add({groups[g + 1]})" if g + 1 < len(groups) else groups[g]
                  for g in range(0, len(groups), 2)]
    return groups[0]


def dot(x, v):
    # p_j·q_j summed; the last vector's q is pre-weighted (zero on lanes that overlap the one before)
    # receivers q (fresh loads, their class known to C2), never the loop-carried p: see the class comment
    return tree([(f"qw{x}" if (j == v - 1 and v > 1) else f"q{x}{j}", f"p{x}{j}") for j in range(v)])


def norm(r, x, v, w):
    # ‖r_x‖² with the overlapping lanes of the last vector weighted out (w: that vector times the weights)
    return tree([(f"{r}{x}{j}", w if (j == v - 1 and v > 1) else f"{r}{x}{j}") for j in range(v)])


def step(x, idx, v, sp, ada, ind, single=False):
    # Every Vector API receiver below is a fresh load, a broadcast, a loop invariant or the result
    # of an op on such a receiver; the loop-carried p vectors appear only as arguments (class comment)
    o = []
    a = o.append
    a(f"final int i{x} = items[{idx}];")
    a(f"final int qo{x} = i{x} * k;")
    for j in range(v):
        a(f"final FloatVector q{x}{j} = FloatVector.fromArray({sp}, q, qo{x} + {off(j, v)});")
    if v > 1:
        a(f"final FloatVector qw{x} = q{x}{v - 1}.mul(tw);")
    a(f"final float bi{x} = biases ? bi[i{x}] : 0f;")
    a("// r − μ − b_u − b_i is off the p_u dependency chain; only the dot product is on it")
    if not ada:
        a(f"final float c{x} = values[{idx}] - mu - bu{x} - bi{x};")
        o.extend(red(f"d{x}", dot(x, v), sp))
        a(f"final float e{x} = c{x} - d{x};")
        a(f"sse += e{x} * e{x};")
        a(f"final float wi{x} = wi[i{x}];")
        if single:
            # lr·e = lr·c − lr·d as one FMA on the broadcast d: the scalar e is off the p_u chain, one
            # multiply fewer on it; a lone run is bound by that chain (k = 128: 0.255 -> 0.235 s an
            # epoch on 20M ratings), a pair of runs is not (there the two forms measure alike)
            a(f"final FloatVector vle{x} = FloatVector.broadcast({sp}, d{x}).fma(vNegLr, FloatVector.broadcast({sp}, lr * c{x}));")
        else:
            a(f"final FloatVector vle{x} = FloatVector.broadcast({sp}, lr * e{x});")
        a(f"final FloatVector vDecayQ{x} = FloatVector.broadcast({sp}, 1f - lr * lambda * wi{x});")
        for j in range(v):
            a(f"vle{x}.fma(p{x}{j}, q{x}{j}.mul(vDecayQ{x})).intoArray(q, qo{x} + {off(j, v)});")
        for j in range(v):
            a(f"p{x}{j} = q{x}{j}.fma(vle{x}, vDecayP{x}.mul(p{x}{j}));")
        a("if (biases) {")
        a(f"    bu{x} += lrBias * (e{x} - biasDecayU{x} * bu{x});")
        a(f"    bi[i{x}] = bi{x} + lrBias * (e{x} - lambdaB * wi{x} * bi{x});")
        a("}")
    else:
        # ‖h_p‖² = e²‖q‖² − 2eλw_u(p·q) + λ²w_u²‖p‖² (and ‖h_q‖² alike) from p·q and ‖q‖², two
        # reductions that do not wait for e (‖q‖² not even for p), and ‖p‖², carried along the run
        # as a scalar (below)
        o.extend(red(f"d{x}", dot(x, v), sp))
        o.extend(red(f"qq{x}", norm('q', x, v, f"qw{x}"), sp))
        a(f"final float e{x} = (values[{idx}] - mu - bu{x} - bi{x}) - d{x};")
        a(f"sse += e{x} * e{x};")
        a(f"final float wi{x} = wi[i{x}];")
        a(f"final float lwi{x} = lambda * wi{x};")
        a(f"final float etaP{x} = lr / (float) Math.sqrt(g{x});")
        a(f"final FloatVector vEtaP{x} = FloatVector.broadcast({sp}, etaP{x});")
        a(f"final FloatVector vEtaQ{x} = FloatVector.broadcast({sp}, lr / (float) Math.sqrt(gi[2 * i{x}]));")
        a(f"final FloatVector ve{x} = FloatVector.broadcast({sp}, e{x});")
        a(f"final FloatVector vNegLwi{x} = FloatVector.broadcast({sp}, -lwi{x});")
        for j in range(v):
            a(f"final FloatVector dp{x}{j} = q{x}{j}.fma(ve{x}, vNegLwu{x}.mul(p{x}{j}));")
            a(f"final FloatVector dq{x}{j} = ve{x}.fma(p{x}{j}, q{x}{j}.mul(vNegLwi{x}));")
            a(f"dq{x}{j}.fma(vEtaQ{x}, q{x}{j}).intoArray(q, qo{x} + {off(j, v)});")
            a(f"p{x}{j} = dp{x}{j}.fma(vEtaP{x}, p{x}{j});")
        a(f"final float np{x} = Math.fma(Math.fma(e{x}, qq{x}, -2f * lwu{x} * d{x}), e{x}, lwu{x} * lwu{x} * pp{x});")
        a(f"final float nq{x} = Math.fma(Math.fma(e{x}, pp{x}, -2f * lwi{x} * d{x}), e{x}, lwi{x} * lwi{x} * qq{x});")
        a(f"g{x} += Math.max(np{x}, 0f) * invK;")
        a(f"gi[2 * i{x}] += Math.max(nq{x}, 0f) * invK;")
        a(f"// ‖p + η h‖² = ‖p‖² + 2η p·h + η²‖h‖², with p·h = e p·q − λw_u‖p‖² (h = e q − λw_u p)")
        a(f"pp{x} = Math.max(0f, Math.fma(etaP{x} * etaP{x}, np{x}, Math.fma(2f * etaP{x}, Math.fma(e{x}, d{x}, -lwu{x} * pp{x}), pp{x})));")
        a("if (biases) {")
        a(f"    final float du{x} = e{x} - biasDecayU{x} * bu{x};")
        a(f"    final float di{x} = e{x} - lambdaB * wi{x} * bi{x};")
        a(f"    bu{x} += lrBias / (float) Math.sqrt(h{x}) * du{x};")
        a(f"    bi[i{x}] = bi{x} + lrBias / (float) Math.sqrt(gi[2 * i{x} + 1]) * di{x};")
        a(f"    h{x} += du{x} * du{x};")
        a(f"    gi[2 * i{x} + 1] += di{x} * di{x};")
        a("}")
    return "\n".join(ind + s for s in o)


def method(s, v, ada, single):
    sp = SPECIES[s][0]
    name = ("adagrad" if ada else "sgd") + f"{s}{v}" + ("Run" if single else "")
    extra = ", float[] gu, float[] gi" if ada else ""
    users = "A" if single else "AB"
    out = []
    a = out.append
    rule = "AdaGrad" if ada else "SGD"
    if single:
        a(f"    /** {rule} over one run (user uA, ratings [a, endA)), p_u in {v} vector(s) of {sp}. */")
        a(f"    static float {name}(float[] p, float[] q, int k, int[] items, float[] values, float mu, float[] bu, float[] bi,")
        a(f"            float[] wu, float[] wi, float lr, float lrBias, float lambda, float lambdaB, boolean biases{extra},")
        a(f"            int uA, int a, int endA) {{")
    else:
        a(f"    /**")
        a(f"     * {rule} over a pair of runs, p_u in {v} vector(s) of {sp} ({SPECIES[s][1]}); see the class")
        a(f"     * comment. The interleaved part is here, the rest of the longer run in {{@link #{name}Run}}")
        a(f"     * (one loop per method keeps them small enough for C1 and C2 to compile).")
        a(f"     */")
        a(f"    static float {name}(float[] p, float[] q, int k, int[] items, float[] values, float mu, float[] bu, float[] bi,")
        a(f"            float[] wu, float[] wi, float lr, float lrBias, float lambda, float lambdaB, boolean biases{extra},")
        a(f"            int uA, int a, int endA, int uB, int b, int endB) {{")
    if not single and v > PAIR_MAX:
        # no interleaved loop past PAIR_MAX vectors: the two runs one after the other
        args = "p, q, k, items, values, mu, bu, bi, wu, wi, lr, lrBias, lambda, lambdaB, biases" + (", gu, gi" if ada else "")
        a(f"        return {name}Run({args}, uA, a, endA) + {name}Run({args}, uB, b, endB);")
        a("    }")
        return "\n".join(out)
    a(f"        final int l = {sp}.length();")
    a("        final int oL = k - l;")
    if v > 1:
        a(f"        final FloatVector tw = FloatVector.fromArray({sp}, TAIL_WEIGHTS, MAX_LANES - ({v} * l - k));")
    a("        float sse = 0f;")
    if ada:
        a("        final float invK = 1f / k;")
    elif single:
        a(f"        final FloatVector vNegLr = FloatVector.broadcast({sp}, -lr);")
    for x in users:
        a(f"        final int po{x} = u{x} * k;")
        if ada:
            a(f"        final float lwu{x} = lambda * wu[u{x}];")
            a(f"        float g{x} = gu[2 * u{x}];")
            a(f"        float h{x} = gu[2 * u{x} + 1];")
            a(f"        final FloatVector vNegLwu{x} = FloatVector.broadcast({sp}, -lwu{x});")
        else:
            a(f"        final FloatVector vDecayP{x} = FloatVector.broadcast({sp}, 1f - lr * lambda * wu[u{x}]);")
        a(f"        final float biasDecayU{x} = lambdaB * wu[u{x}];")
        a(f"        float bu{x} = biases ? bu[u{x}] : 0f;")
        for j in range(v):
            a(f"        FloatVector p{x}{j} = FloatVector.fromArray({sp}, p, po{x} + {off(j, v)});")
        if ada:
            # ‖p_u‖², reduced once here (p fresh loads), then carried by each step as a scalar
            w = f"tw.mul(p{x}{v - 1})" if v > 1 else None
            out.extend("        " + line for line in red(f"pp0{x}", norm('p', x, v, w), sp))
            a(f"        float pp{x} = pp0{x};")
    if single:
        a("        for (; a < endA; a++) {")
        a(step("A", "a", v, sp, ada, "            ", single=True))
        a("        }")
    else:
        # one counted loop (a single exit test against a loop-invariant bound): with two exit tests C2's
        # profile-based loop predication guessed which one ends the loop and deoptimized whenever a
        # pair's other run was the shorter, over and over on problems of short runs
        a("        final int pairs = Math.min(endA - a, endB - b);")
        a("        for (int t = 0; t < pairs; t++, a++, b++) {")
        a("            {")
        a(step("A", "a", v, sp, ada, "                "))
        a("            }")
        a("            {")
        a(step("B", "b", v, sp, ada, "                "))
        a("            }")
        a("        }")
        a("        // B first: for a lone run (uB == uA, no B ratings) A's values must be the ones left")
    for x in users[::-1]:
        for j in range(v):
            a(f"        ONE_{sp}.mul(p{x}{j}).intoArray(p, po{x} + {off(j, v)});")
        a("        if (biases) {")
        a(f"            bu[u{x}] = bu{x};")
        a("        }")
        if ada:
            a(f"        gu[2 * u{x}] = g{x};")
            a("        if (biases) {")
            a(f"            gu[2 * u{x} + 1] = h{x};")
            a("        }")
    if not single:
        args = "p, q, k, items, values, mu, bu, bi, wu, wi, lr, lrBias, lambda, lambdaB, biases" + (", gu, gi" if ada else "")
        a("        if (a < endA) {")
        a(f"            sse += {name}Run({args}, uA, a, endA);")
        a("        }")
        a("        if (b < endB) {")
        a(f"            sse += {name}Run({args}, uB, b, endB);")
        a("        }")
    a("        return sse;")
    a("    }")
    return "\n".join(out)




def red(name, expr, sp):
    """Statements setting float {name} to Σ of the lanes of {expr} (a vector of species sp): folded
    by halves down to 4 lanes (the upper half brought down by a lane swap, the lower half taken as
    the narrower species: a reinterpretation, no code), then reduced. Java 17's reduceLanes(ADD)
    on floats adds the lanes one by one in order, at 16 lanes 15 dependent scalar adds on the p_u
    chain of every rating; a full butterfly (4 swaps) costs C2 more nodes than these large methods
    can spare (past its inlining cutoffs the Vector API calls are left as calls, which box).
    Written out, not called: a call that C2 declines to inline boxes its vector argument."""
    chain = {"SF": ["SH", "SQ"], "SH": ["SQ"], "SQ": []}[sp]
    o = [f"FloatVector {name}V = {expr};"]
    cur = sp
    for nxt in chain:
        o.append(f"if ({cur}.length() > 4 && {cur}.length() <= 16) {{")
        o.append(f"    {name}V = (FloatVector) {name}V.add({name}V.rearrange(X{cur})).reinterpretShape({nxt}, 0);")
        o.append("}")
        cur = nxt
    o.append(f"final float {name} = {name}V.reduceLanes(VectorOperators.ADD);")
    return o


def shuffles():
    out = []
    for sp in ("SF", "SH", "SQ"):
        out.append(f"    /** 1 on every lane of {sp}: ONE.mul(v) is v, as a vector whose class C2 knows (class comment). */")
        out.append(f"    private static final FloatVector ONE_{sp} = FloatVector.broadcast({sp}, 1f);")
        out.append(f"    /** Lane i to lane i + L/2 mod L of {sp}: the upper half brought down. */")
        out.append(f"    private static final VectorShuffle<Float> X{sp} = swapHalves({sp});")
    out.append("")
    out.append("    private static VectorShuffle<Float> swapHalves(VectorSpecies<Float> s) {")
    out.append("        final int half = Math.max(1, s.length() / 2);")
    out.append("        return VectorShuffle.fromOp(s, i -> (i + half) % s.length());")
    out.append("    }")
    out.append("")
    out.append("    /** Σ of the lanes of v (species SF) as the kernels reduce, for small callers that C2 inlines whole. */")
    out.append("    static float sumSF(FloatVector v) {")
    out.extend("        " + line for line in red("s", "ONE_SF.mul(v)", "SF"))
    out.append("        return s;")
    out.append("    }")
    return "\n".join(out) + "\n"


def main():
    shapes = "\n".join(f"    static final int {s}{v} = {n};" for n, (s, v) in enumerate(SHAPES))
    body = []
    for ada in (False, True):
        for s, v in (ADA_SHAPES if ada else SHAPES):
            body.append(method(s, v, ada, False))
            body.append(method(s, v, ada, True))
    run_cases = lambda ada: "\n".join(
        f"            case {s}{v} -> {'adagrad' if ada else 'sgd'}{s}{v}Run(p, q, k, items, values, mu, bu, bi, wu, wi, lr, lrBias, lambda, lambdaB, biases{', gu, gi' if ada else ''}, uA, a, endA);"
        for s, v in (ADA_SHAPES if ada else SHAPES))
    cases = lambda ada: "\n".join(
        f"            case {s}{v} -> {'adagrad' if ada else 'sgd'}{s}{v}(p, q, k, items, values, mu, bu, bi, wu, wi, lr, lrBias, lambda, lambdaB, biases{', gu, gi' if ada else ''}, uA, a, endA, uB, b, endB);"
        for s, v in (ADA_SHAPES if ada else SHAPES))
    shape_table = ", ".join(f"{{{s}{v}, S{s}.length(), {v}}}" for s, v in SHAPES)
    lanes_cases = "\n".join(f"            case {', '.join(f'{s}{v}' for s2, v in SHAPES if s2 == s)} -> S{s}.length();"
                            for s in ("F", "H", "Q"))
    vec_cases = "\n".join(f"            case {', '.join(f'{s}{v2}' for s, v2 in SHAPES if v2 == v)} -> {v};"
                          for v in sorted(set(v for _, v in SHAPES)))
    src = f"""// GENERATED by tools/gen_cpu_kernels.py — edit the generator, not this file.
package dev.lfm.compute.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Register-resident per-rating kernels for every k from 4 to 8·L for SGD and 4·L for AdaGrad (L =
 * the preferred lane count): the two users' p rows of a pair of runs ({{@link CpuKernels#sgdPair}}'s
 * order: A₁ B₁ A₂ B₂ …, then the rest of the longer run; past {PAIR_MAX} vectors one run after the
 * other, {{@link #interleaves}}) stay in V vectors of one species for the whole run. A row of k
 * floats is covered by V = ⌈k/L_s⌉ vectors at offsets 0, L_s, …, and the last at k − L_s, so
 * the last vector overlaps the one before it when L_s does not divide k: every lane of the overlap
 * is computed twice from the same old values (identical results, stored twice), and the dot
 * product and AdaGrad's squared norms weight the overlapping lanes of the last vector by 0. No
 * masks (masked stores are slow on Java 17) and no scalar tails.
 *
 * <p>SGD: e = r − (μ + b_u + b_i + p_u·q_i), p_u ← (1 − lr λ w_u) p_u + lr e q_i,
 * q_i ← (1 − lr λ w_i) q_i + lr e p_u (old values on the right), biases as {{@link CpuKernels#sgdOne}}.
 * AdaGrad: {{@link CpuKernels#adagradOne}}'s rule; G_u and H_u (one float each per user) also stay
 * in registers for the run, G_i and H_i are read and written per rating.
 *
 * <p>Each returns Σe² of its updates (pre-update residuals), the "during the epoch" error.
 *
 * <p>Written for C2 on Java 17, whose Vector API intrinsics need each vector's class known while
 * the method is compiled: every operation is called as {{@code lanewise(op, …)}}, so its dispatch is
 * a call site of the kernel, with a type profile that sees only the kernel's species (the
 * convenience methods fma, mul, add dispatch inside FloatVector, where one profile serves every
 * species in the JVM: after a kernel of another width has run, a kernel compiled then takes both
 * classes' paths, outgrows C2's inlining cutoffs and leaves calls that box, several times slower);
 * sums of lanes are written out (see {{@code red}} in the generator); a lone run takes the
 * single-run kernel. Kernels compiled after another width has run are still slower (the large ones
 * most): {{@link dev.lfm.train.Trainer}}'s rank probes run the largest rank first.
 */
final class CpuSgdKernels {{
    static final VectorSpecies<Float> SF = FloatVector.SPECIES_PREFERRED;
    static final VectorSpecies<Float> SH = half(SF);
    static final VectorSpecies<Float> SQ = half(SH);
    static final int MAX_LANES = SF.length();
    /** MAX_LANES zeros then MAX_LANES ones: a load at MAX_LANES − z is 0 on lanes [0, z), 1 after. */
    static final float[] TAIL_WEIGHTS = tailWeights();
    /** No register kernel: {{@link CpuKernels#sgdOne}}'s loop. */
    static final int LOOP = -1;
{shapes}

    private CpuSgdKernels() {{
    }}

{shuffles()}
    private static VectorSpecies<Float> half(VectorSpecies<Float> s) {{
        int bits = Math.max(64, s.vectorBitSize() / 2);
        return VectorSpecies.of(float.class, VectorShape.forBitSize(bits));
    }}

    private static float[] tailWeights() {{
        float[] w = new float[2 * MAX_LANES];
        java.util.Arrays.fill(w, MAX_LANES, 2 * MAX_LANES, 1f);
        return w;
    }}

    /**
     * The kernel for rank k: the species that covers k with the fewest vectors (at most 8; ties to
     * the narrower, which moves fewer bytes), from the preferred width and its half and quarter of
     * at least 4 lanes; {{@link #LOOP}} when none does (k &lt; 4 or k &gt; 8·L). The system property
     * {{@code lfm.cpu.kernel=loop}} forces the loop (tests, benchmarks).
     */
    static int choose(int k) {{
        return choose(k, 8);
    }}

    /** As {{@link #choose}}, for AdaGrad: at most 4 vectors (past that, the loop). */
    static int chooseAdagrad(int k) {{
        return choose(k, 4);
    }}

    private static int choose(int k, int maxVectors) {{
        if ("loop".equals(System.getProperty("lfm.cpu.kernel"))) {{
            return LOOP;
        }}
        int best = LOOP;
        int bestV = Integer.MAX_VALUE;
        int[][] shapes = {{{shape_table}}};
        for (int[] s : shapes) {{
            int lanes = s[1];
            int v = s[2];
            if (lanes < 4 || lanes > k || v > maxVectors || (k + lanes - 1) / lanes != v) {{
                continue;
            }}
            if (v < bestV || (v == bestV && lanes < lanesOf(best))) {{
                best = s[0];
                bestV = v;
            }}
        }}
        return best;
    }}

    private static int lanesOf(int kernel) {{
        return switch (kernel) {{
{lanes_cases}
            default -> Integer.MAX_VALUE;
        }};
    }}

    /**
     * Whether {{@code kernel}} visits a pair of runs interleaved (A₁ B₁ A₂ B₂ …, then the rest of
     * the longer): the loop and the kernels of at most {PAIR_MAX} vectors. Past that the pair's runs
     * go one after the other (A's whole run, then B's): such a kernel is bound by its arithmetic, not
     * by the p_u dependency chain, and a pair kernel of its size is too large for C1 to compile.
     */
    static boolean interleaves(int kernel) {{
        return kernel == LOOP || vectors(kernel) <= {PAIR_MAX};
    }}

    private static int vectors(int kernel) {{
        return switch (kernel) {{
{vec_cases}
            default -> throw new IllegalArgumentException("kernel " + kernel);
        }};
    }}

    /** A name for {{@code kernel}} ("512-bit x 4", "loop"), for reports and tests. */
    static String describe(int kernel) {{
        if (kernel == LOOP) {{
            return "loop";
        }}
        return (lanesOf(kernel) * 32) + "-bit x " + vectors(kernel);
    }}

    /** SGD over a pair of runs with register kernel {{@code kernel}} (not {{@link #LOOP}}); returns Σe². */
    static float sgd(int kernel, float[] p, float[] q, int k, int[] items, float[] values, float mu, float[] bu,
            float[] bi, float[] wu, float[] wi, float lr, float lrBias, float lambda, float lambdaB, boolean biases,
            int uA, int a, int endA, int uB, int b, int endB) {{
        return switch (kernel) {{
{cases(False)}
            default -> throw new IllegalArgumentException("kernel " + kernel);
        }};
    }}

    /**
     * SGD over one run (a block's last, unpaired) with register kernel {{@code kernel}}: the pair
     * kernels' loop would run zero times, which C2's loop predication treats as a failed
     * speculation (a deoptimization, and a recompilation whose type profile other vector widths may
     * have polluted since); returns Σe².
     */
    static float sgdRun(int kernel, float[] p, float[] q, int k, int[] items, float[] values, float mu, float[] bu,
            float[] bi, float[] wu, float[] wi, float lr, float lrBias, float lambda, float lambdaB, boolean biases,
            int uA, int a, int endA) {{
        return switch (kernel) {{
{run_cases(False)}
            default -> throw new IllegalArgumentException("kernel " + kernel);
        }};
    }}

    /** As {{@link #sgdRun}}, for AdaGrad. */
    static float adagradRun(int kernel, float[] p, float[] q, int k, int[] items, float[] values, float mu, float[] bu,
            float[] bi, float[] wu, float[] wi, float lr, float lrBias, float lambda, float lambdaB, boolean biases,
            float[] gu, float[] gi, int uA, int a, int endA) {{
        return switch (kernel) {{
{run_cases(True)}
            default -> throw new IllegalArgumentException("kernel " + kernel);
        }};
    }}

    /** AdaGrad over a pair of runs with register kernel {{@code kernel}} (not {{@link #LOOP}}); returns Σe². */
    static float adagrad(int kernel, float[] p, float[] q, int k, int[] items, float[] values, float mu, float[] bu,
            float[] bi, float[] wu, float[] wi, float lr, float lrBias, float lambda, float lambdaB, boolean biases,
            float[] gu, float[] gi, int uA, int a, int endA, int uB, int b, int endB) {{
        return switch (kernel) {{
{cases(True)}
            default -> throw new IllegalArgumentException("kernel " + kernel);
        }};
    }}

{chr(10).join(chr(10) + m for m in body).lstrip(chr(10))}
}}
"""
    # every vector op as lanewise(op, ...): its dispatch is then a call site of the kernel itself,
    # whose type profile sees only the kernel's species (class comment)
    import re
    src = re.sub(r"(?<!Math)\.fma\(", ".lanewise(VectorOperators.FMA, ", src)
    src = src.replace(".mul(", ".lanewise(VectorOperators.MUL, ").replace(".add(", ".lanewise(VectorOperators.ADD, ")
    out = "src/main/java/dev/lfm/compute/cpu/CpuSgdKernels.java"
    if "--check" in sys.argv[1:]:
        # CI: the checked-in file must be this generator's output (an edit by hand, or a generator
        # change without the regenerated file, fails here)
        with open(out) as f:
            if f.read() != src:
                sys.exit(f"{out} is not what tools/gen_cpu_kernels.py writes: run python3 tools/gen_cpu_kernels.py")
        print(f"{out}: matches tools/gen_cpu_kernels.py")
        return
    with open(out, "w") as f:
        f.write(src)


main()
