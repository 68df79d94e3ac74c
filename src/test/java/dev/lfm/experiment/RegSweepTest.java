package dev.lfm.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lfm.report.Json;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegSweepTest {
    @TempDir
    Path dir;

    @Test
    void bestLambdaIsTheValidationArgminOfItsOwnCsv() throws Exception {
        double[] lambdas = Grids.logspace(1e-3, 3, 6);
        var c = Fixtures.config();
        c.rank = 12;
        c.epochs = 25;
        c.lr = 0.02;
        RegSweep.Result r = RegSweep.run(Fixtures.context(c), lambdas);
        ExperimentOutputs.Files files = ExperimentOutputs.write(r, Fixtures.outDir(dir));

        List<String[]> csv = Fixtures.readCsv(files.csv());
        assertThat(csv).hasSize(1 + lambdas.length);
        int lc = Fixtures.column(csv, "lambda");
        int vc = Fixtures.column(csv, "validation_rmse");
        int tc = Fixtures.column(csv, "test_rmse");
        int bc = Fixtures.column(csv, "best");
        int argmin = -1;
        int marked = -1;
        for (int j = 1; j < csv.size(); j++) {
            double v = Double.parseDouble(csv.get(j)[vc]);
            if (argmin < 0 || v < Double.parseDouble(csv.get(argmin)[vc])) {
                argmin = j;
            }
            if (csv.get(j)[bc].equals("1")) {
                assertThat(marked).as("one best row").isEqualTo(-1);
                marked = j;
            }
            RegSweep.Point p = r.points().get(j - 1);
            assertThat(Double.parseDouble(csv.get(j)[lc])).isEqualTo(p.lambda());
            assertThat(Double.parseDouble(csv.get(j)[vc])).isEqualTo(p.validationRmse());
            assertThat(Double.parseDouble(csv.get(j)[tc])).isEqualTo(p.testRmse());
        }
        assertThat(marked).isEqualTo(argmin);
        assertThat(r.bestPoint().lambda()).isEqualTo(Double.parseDouble(csv.get(argmin)[lc]));

        // the sweep is a real trade-off on this problem: the extremes are worse than the best
        assertThat(r.points().get(lambdas.length - 1).validationRmse()).isGreaterThan(r.bestPoint().validationRmse());
        assertThat(r.best()).isGreaterThan(0);

        JsonNode json = Json.mapper().readTree(files.json().toFile());
        assertThat(json.get("best_lambda").asDouble()).isEqualTo(r.bestPoint().lambda());
        assertThat(json.get("best_test_rmse").asDouble()).isEqualTo(r.bestPoint().testRmse());
        assertThat(json.get("points")).hasSize(lambdas.length);
        assertThat(json.get("points").get(2).get("validationRmse").asDouble())
                .isCloseTo(r.points().get(2).validationRmse(), within(0.0));

        BufferedImage img = ImageIO.read(files.png().toFile());
        assertThat(img).isNotNull();
        assertThat(img.getWidth()).isGreaterThanOrEqualTo(600);
        assertThat(img.getHeight()).isGreaterThanOrEqualTo(400);
    }
}
