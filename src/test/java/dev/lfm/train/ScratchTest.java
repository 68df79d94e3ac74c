package dev.lfm.train;
import dev.lfm.compute.Backend;
import dev.lfm.compute.cpu.CpuBackend;
import dev.lfm.data.*;
import dev.lfm.objective.Regularization;
import org.junit.jupiter.api.Test;
class ScratchTest {
  @Test void scratch() {
    Ratings all = RatingsReader.read(java.nio.file.Path.of("../shared/data/ml-latest-small/ratings.csv"));
    Split s = Splits.random(all, 0.2, 0.1, 42);
    for (String spec : System.getProperty("specs").split(";")) {
      String[] f = spec.split(",");
      TrainingConfig c = TrainingConfig.defaults();
      c.algorithm = f[0].equals("als")?Algorithm.ALS:Algorithm.GD;
      c.rank=Integer.parseInt(f[1]); c.lr=Double.parseDouble(f[2]); c.lambda=Double.parseDouble(f[3]); c.lambdaBias=Double.parseDouble(f[4]);
      c.lrDecay=Double.parseDouble(f[5]); c.epochs=Integer.parseInt(f[6]); c.patience=Integer.parseInt(f[7]);
      if (f.length>8) c.regularization=Regularization.parse(f[8]);
      if (f.length>9) c.initScale=Double.parseDouble(f[9]);
      try (Backend b = new CpuBackend(2)) {
        TrainingResult r = new Trainer(c, null).train(b, s.train(), s.validation(), s.test());
        System.out.printf("%s: best %d/%d val %.4f test %.4f train %.4f  %.1fs%n", spec, r.bestEpoch(), r.epochsRun(), r.best().validationRmse(), r.best().testRmse(), r.best().trainRmse(), r.trainSeconds());
      }
    }
  }
}
