package dev.lfm.experiment;

import dev.lfm.OrderedMap;
import dev.lfm.report.Table;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * The outcome of one experiment, in the forms it is reported: the numbers behind the chart
 * ({@link #data()}, written as CSV), a short console table ({@link #summary()}), a JSON summary
 * ({@link #json()}) and the chart panels ({@link #charts()}, saved as one PNG).
 */
public interface ExperimentResult {
    /** The experiment's command name ("reg-sweep", ...), also the base of its file names. */
    String name();

    /** Every number plotted, one row per point. */
    Table data();

    /** A one-screen summary for the console. */
    Table summary();

    /** The JSON summary: settings, choices made and their scores. */
    Map<String, Object> json();

    /** The start of every {@link #json()}: {@code experiment} (the name) and {@code settings} (its configuration). */
    default Map<String, Object> jsonHeader(dev.lfm.train.TrainingConfig settings) {
        return OrderedMap.of("experiment", name(), "settings", settings.toMap());
    }

    /** Chart panels, saved side by side in one PNG ({@link #chartColumns()} per row). */
    List<Chart<?, ?>> charts();

    default int chartColumns() {
        return 2;
    }

    /** Lines worth telling the user (skipped parts, caveats). */
    default List<String> notes() {
        return List.of();
    }
}
