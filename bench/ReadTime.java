import dev.lfm.data.Ratings;
import dev.lfm.data.RatingsReader;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;

/**
 * Times {@code RatingsReader.read(FILE)} REPS times in one JVM: wall and process CPU seconds, with the
 * load average. Read threads: {@code -Dlfm.readThreads=N} (default: every processor; 1 is the
 * sequential read). Usage: java -Dlfm.readThreads=2 -cp target/lfm.jar bench/ReadTime.java FILE REPS
 */
public class ReadTime {
    public static void main(String[] a) {
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        int reps = Integer.parseInt(a[1]);
        for (int r = 0; r < reps; r++) {
            long c0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            Ratings x = RatingsReader.read(Path.of(a[0]));
            long t1 = System.nanoTime();
            long c1 = os.getProcessCpuTime();
            System.out.printf("rep %d: %d ratings, wall %.2f s, cpu %.2f s, load %.1f%n", r, x.size(), (t1 - t0) / 1e9,
                    (c1 - c0) / 1e9, os.getSystemLoadAverage());
        }
    }
}
