package dev.lfm;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Shared rating data for tests, found in {@code ../shared/data/} beside the project checkout
 * (resolved from the working directory). When it is absent a test is skipped with one line,
 * unless {@code LFM_REQUIRE_SHARED_DATA=1}, in which case it fails.
 */
public final class TestData {
    private TestData() {
    }

    /** The shared data directory ({@code ../shared/data}), which may not exist. */
    public static Path sharedDataDir() {
        return Path.of("").toAbsolutePath().resolveSibling("shared").resolve("data");
    }

    /**
     * {@code ml-latest-small/ratings.csv}: 100836 ratings, 610 users, 9724 items, mean 3.5016.
     * Skips (or fails, when required) the calling test if it is missing.
     */
    public static Path movieLensSmall() {
        return require(sharedDataDir().resolve("ml-latest-small").resolve("ratings.csv"));
    }

    private static Path require(Path file) {
        if (!Files.isRegularFile(file)) {
            String msg = "shared test data not found: " + file;
            if ("1".equals(System.getenv("LFM_REQUIRE_SHARED_DATA"))) {
                fail(msg + " (LFM_REQUIRE_SHARED_DATA=1)");
            }
            Assumptions.abort(msg);
        }
        return file;
    }
}
