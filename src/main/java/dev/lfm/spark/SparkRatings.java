package dev.lfm.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.trim;

import dev.lfm.LfmException;
import dev.lfm.data.IdMap;
import dev.lfm.data.RatingFormat;
import dev.lfm.data.Ratings;
import dev.lfm.data.Split;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Ratings as Spark reads them: a {@code Dataset<Row>} of {@code (user long, item long, rating
 * float)} with the source file's ids, and the same with a {@code part} column (0 train,
 * 1 validation, 2 test; see {@link HashSplit}). Nothing here collects ratings to the driver.
 *
 * <p>Text formats are lfm's ({@link RatingFormat}): LIBMF {@code row col value}, MovieLens
 * {@code u.data} (tab), {@code ratings.dat} ({@code ::}), {@code ratings.csv} (a header line is
 * skipped) and any delimited text; the first three fields are user, item, rating. Parquet: the
 * columns {@code user}, {@code item}, {@code rating} when present, else the first three.
 */
public final class SparkRatings {
    /** The schema of read ratings. */
    public static final StructType SCHEMA = new StructType()
            .add("user", DataTypes.LongType, false)
            .add("item", DataTypes.LongType, false)
            .add("rating", DataTypes.FloatType, false);

    private SparkRatings() {
    }

    /**
     * Reads {@code path} (a file or directory, local or any Hadoop file system) in {@code format}:
     * "parquet", "auto" or a {@link RatingFormat} CLI name ({@code libmf}, {@code movielens-csv},
     * {@code movielens-dat}, {@code movielens-100k}, {@code delimited} with {@code delimiter}).
     * Lines that do not parse give rows with nulls; {@link SparkData#prepare} reports them.
     */
    public static Dataset<Row> read(SparkSession spark, String path, String format, String delimiter) {
        return read(spark, path, format, delimiter, false);
    }

    /** {@link #read}, with {@code meta}: columns file (the file's path) and, for Parquet, row (its 0-based row in the file). */
    private static Dataset<Row> read(SparkSession spark, String path, String format, String delimiter, boolean meta) {
        String f = format == null ? "auto" : format.toLowerCase(Locale.ROOT);
        if (f.equals("auto")) {
            f = detect(path);
        }
        Column file = col("_metadata.file_path").as("file");
        if (f.equals("parquet")) {
            Dataset<Row> d = spark.read().parquet(path);
            List<String> names = Arrays.asList(d.columns());
            if (names.size() < 3) {
                throw new LfmException(path + ": Parquet ratings need the columns user, item, rating (found " + names + ")");
            }
            String u = names.contains("user") ? "user" : names.get(0);
            String i = names.contains("item") ? "item" : names.get(1);
            String r = names.contains("rating") ? "rating" : names.get(2);
            List<Column> cols = new ArrayList<>(List.of(col(u).try_cast(DataTypes.LongType).as("user"),
                    col(i).try_cast(DataTypes.LongType).as("item"), col(r).try_cast(DataTypes.FloatType).as("rating")));
            if (meta) {
                cols.add(file);
                cols.add(col("_metadata.row_index").as("row"));
            }
            return d.select(cols.toArray(new Column[0]));
        }
        RatingFormat rf = parseFormat(f);
        String delim = rf.delimiter() != null ? rf.delimiter() : delimiter;
        if (delim == null || delim.isEmpty()) {
            throw new LfmException("--format delimited needs --delimiter");
        }
        String regex = delim.equals(" ") ? "[ \\t]+" : Pattern.quote(delim);
        boolean header = rf == RatingFormat.MOVIELENS_CSV || rf == RatingFormat.DELIMITED;
        Dataset<Row> lines = spark.read().text(path).where(trim(col("value")).notEqual(lit("")));
        Column fields = functions.split(trim(col("value")), regex);
        if (header) {
            // a header line, by its content as lfm's reader decides it: three or more fields, none of the first three
            // a number (userId,movieId,rating,...); a line such as "x12,7,4" is a bad rating, reported, never dropped
            Column noNumber = lit(true);
            for (int j = 0; j < 3; j++) {
                noNumber = noNumber.and(trim(fields.getItem(j)).try_cast(DataTypes.DoubleType).isNull());
            }
            lines = lines.where(functions.not(functions.size(fields).geq(3).and(noNumber)));
        }
        List<Column> cols = new ArrayList<>(List.of(
                trim(fields.getItem(0)).try_cast(DataTypes.LongType).as("user"),
                trim(fields.getItem(1)).try_cast(DataTypes.LongType).as("item"),
                trim(fields.getItem(2)).try_cast(DataTypes.FloatType).as("rating"),
                col("value").as("line")));
        if (meta) {
            cols.add(file);
        }
        return lines.select(cols.toArray(new Column[0]));
    }

    /**
     * Where {@link SparkData#prepare} finds the repeated pairs of {@code path} (read as {@link #read}
     * reads it): a text file's FILE:LINE of the repeat and the line of the first; a Parquet file's row
     * indices. Runs only when a pair repeats: it scans the source again.
     */
    public static SparkData.Locator locator(SparkSession spark, String path, String format, String delimiter) {
        return (user, item, part) -> {
            List<Row> rows = read(spark, path, format, delimiter, true)
                    .where(col("user").equalTo(user).and(col("item").equalTo(item))).limit(2).collectAsList();
            if (rows.size() < 2) {
                return null;
            }
            boolean parquet = Arrays.asList(rows.get(0).schema().fieldNames()).contains("row");
            String[] file = new String[2];
            long[] at = new long[2];
            for (int j = 0; j < 2; j++) {
                Row r = rows.get(j);
                file[j] = display(path, r.getString(r.fieldIndex("file")));
                at[j] = parquet ? r.getLong(r.fieldIndex("row"))
                        : lineNumber(spark, r.getString(r.fieldIndex("file")), r.getString(r.fieldIndex("line")),
                        j > 0 && rows.get(0).getString(rows.get(0).fieldIndex("line")).equals(r.getString(r.fieldIndex("line")))
                                && file[0].equals(file[1]) ? 1 : 0);
            }
            String where = parquet ? " row " : ":";
            String first = file[0].equals(file[1]) ? (parquet ? "first given in row " : "first given on line ") + at[0]
                    : "first given at " + file[0] + where + at[0];
            return new SparkData.Location(file[1] + where + at[1], first + (parquet ? "; Parquet rows counted from 0" : ""));
        };
    }

    /** The 1-based number of the {@code nth} (0-based) line of {@code file} equal to {@code text} (0 if none). */
    private static long lineNumber(SparkSession spark, String file, String text, int nth) {
        List<Long> at = new org.apache.spark.api.java.JavaSparkContext(spark.sparkContext()).textFile(file).zipWithIndex()
                .filter(t -> t._1().equals(text)).map(t -> t._2() + 1).take(nth + 1);
        return at.isEmpty() ? 0 : at.get(Math.min(nth, at.size() - 1));
    }

    /** The locator of {@link #trainTest}'s input: test rows (part 2) are in {@code test}, the others in {@code train}. */
    public static SparkData.Locator locator(SparkData.Locator train, SparkData.Locator test) {
        return (user, item, part) -> (part == HashSplit.TEST ? test : train).locate(user, item, part);
    }

    /** The path as the user gave it when it names this very file, else the file's own path (a file: URI as a path). */
    private static String display(String given, String file) {
        String local = file.startsWith("file:") ? java.net.URI.create(file).getPath() : file;
        if (!given.contains("://") && Files.isRegularFile(Path.of(given))
                && Path.of(given).toAbsolutePath().normalize().toString().equals(local)) {
            return given;
        }
        return local;
    }

    private static RatingFormat parseFormat(String f) {
        for (RatingFormat rf : RatingFormat.values()) {
            if (rf != RatingFormat.AUTO && rf.cliName().equals(f)) {
                return rf;
            }
        }
        if (f.equals("csv")) {
            return RatingFormat.MOVIELENS_CSV;
        }
        throw new LfmException("unknown format '" + f + "' for --engine spark (parquet, libmf, movielens-csv, "
                + "movielens-dat, movielens-100k, delimited)");
    }

    private static String detect(String path) {
        String name = path.replaceAll("/+$", "");
        name = name.substring(name.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
        if (name.endsWith(".parquet") || name.endsWith(".pq")) {
            return "parquet";
        }
        if (!path.contains("://")) {
            Path local = Path.of(path);
            if (Files.isDirectory(local)) {
                return "parquet";
            }
            if (Files.isRegularFile(local)) {
                return RatingFormat.detect(local).cliName();
            }
        }
        if (name.endsWith(".csv")) {
            return "movielens-csv";
        }
        if (name.endsWith(".dat")) {
            return "movielens-dat";
        }
        if (name.equals("u.data")) {
            return "movielens-100k";
        }
        return "libmf";
    }

    /** Adds the {@code part} column by {@link HashSplit#part} (seeded, computed in place). */
    public static Dataset<Row> split(Dataset<Row> ratings, double testFraction, double validationFraction, long seed) {
        UserDefinedFunction part = functions.udf((UDF2<Long, Long, Integer>) (u, i) ->
                u == null || i == null ? HashSplit.TRAIN : HashSplit.part(u, i, seed, testFraction, validationFraction),
                DataTypes.IntegerType);
        return ratings.withColumn("part", part.apply(col("user"), col("item")));
    }

    /**
     * A training and a test file: test rows get part 2; of the training rows a seeded
     * {@code validationFraction} gets part 1.
     */
    public static Dataset<Row> trainTest(Dataset<Row> train, Dataset<Row> test, double validationFraction, long seed) {
        Dataset<Row> t = split(train, 0, validationFraction, seed);
        Dataset<Row> s = test.withColumn("part", lit(HashSplit.TEST));
        return t.unionByName(s, true);
    }

    /**
     * An in-memory split as a Dataset with part (for comparisons on data that is already on the
     * driver, e.g. {@code lfm compare}: the very split the single-machine engine trains on). Ids
     * are the split's external ids where it has id maps, else the dense indices.
     */
    public static Dataset<Row> of(SparkSession spark, Split split, int slices) {
        List<Row> rows = new ArrayList<>(split.train().size() + split.validation().size() + split.test().size());
        add(rows, split.train(), HashSplit.TRAIN);
        add(rows, split.validation(), HashSplit.VALIDATION);
        add(rows, split.test(), HashSplit.TEST);
        StructType schema = SCHEMA.add("part", DataTypes.IntegerType, false);
        return spark.createDataFrame(
                new org.apache.spark.api.java.JavaSparkContext(spark.sparkContext()).parallelize(rows, Math.max(1, slices)),
                schema);
    }

    private static void add(List<Row> rows, Ratings r, int part) {
        if (r == null) {
            return;
        }
        IdMap uid = r.userIds();
        IdMap iid = r.itemIds();
        for (int n = 0; n < r.size(); n++) {
            long u = uid == null ? r.user(n) : uid.externalId(r.user(n));
            long i = iid == null ? r.item(n) : iid.externalId(r.item(n));
            rows.add(RowFactory.create(u, i, r.value(n), part));
        }
    }
}
