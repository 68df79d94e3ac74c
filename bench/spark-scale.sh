#!/usr/bin/env bash
# DSGD and MLlib ALS on a generated Parquet problem in an embedded Spark local[N], through bin/lfm:
# seconds per epoch / iteration and the driver heap at each DSGD epoch's end. See bench/README.md.
#
#   bench/spark-scale.sh RATINGS [OUTDIR]          e.g. bench/spark-scale.sh 10000000 /tmp/lfm-spark
#
# Environment (defaults): USERS=480000 ITEMS=18000 RANK=8 (true rank of the generated problem, and k),
# MASTER='local[2]', PARTITIONS=2, EPOCHS=3 (DSGD epochs), ALS_ITERS=3 (0: no ALS run), XMX=10g, SEED=42,
# LEVEL=MEMORY_AND_DISK (spark.lfm.storageLevel: where DSGD and ALS cache; DISK_ONLY keeps them off the heap),
# SHARD=10000000 (ratings one generating task holds), KEEP=0 (1: keep the Parquet for the next run).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ratings="${1:?usage: bench/spark-scale.sh RATINGS [OUTDIR]}"
out="${2:-/tmp/lfm-spark-scale}"
USERS="${USERS:-480000}" ITEMS="${ITEMS:-18000}" RANK="${RANK:-8}" MASTER="${MASTER:-local[2]}"
PARTITIONS="${PARTITIONS:-2}" EPOCHS="${EPOCHS:-3}" ALS_ITERS="${ALS_ITERS:-3}" XMX="${XMX:-10g}" SEED="${SEED:-42}"
LEVEL="${LEVEL:-MEMORY_AND_DISK}" SHARD="${SHARD:-10000000}" KEEP="${KEEP:-0}"
cd "$root"
if ! ls target/spark-jars/spark-core_*.jar >/dev/null 2>&1; then
  mvn -B -q -Pspark-libs -DskipTests package
fi
bin/lfm --version >/dev/null   # builds target/lfm.jar when the sources changed (the generator runs from it)
mkdir -p "$out"
data="$out/ratings-$ratings.parquet"
tag="$out/$ratings-p$PARTITIONS-$LEVEL"
# the same JVM options bin/lfm gives an embedded Spark driver (the pom's spark.java.options)
read -r -a spark_opts <<<"$(sed -n 's:.*<spark.java.options>\(.*\)</spark.java.options>.*:\1:p' pom.xml)"
echo "== $(date -u +%FT%TZ) commit ${COMMIT:-$(git describe --always --dirty 2>/dev/null || echo unknown)} load $(cut -d' ' -f1-3 /proc/loadavg)"
if [ ! -f "$data/_SUCCESS" ]; then
  echo "== generating $ratings ratings ($USERS users x $ITEMS items, rank $RANK) to $data"
  /usr/bin/time -f "generate: %e s wall, %M KB max RSS" java "-Xmx$XMX" --add-modules jdk.incubator.vector \
    "${spark_opts[@]}" "-Dlog4j2.configurationFile=$root/bin/spark-log4j2.properties" \
    -cp "target/lfm.jar:target/spark-jars/*" dev.lfm.spark.SyntheticParquet "$data" "$USERS" "$ITEMS" "$ratings" \
    "$RANK" "$SEED" "$SHARD" "$MASTER" 2> >(grep -v 'WARNING: Using incubator modules' >&2)
fi
du -sh "$data"
common=(--master "$MASTER" --partitions "$PARTITIONS" --data "$data" -k "$RANK" --reg 0.05
  --test-fraction 0.1 --validation-fraction 0 --seed "$SEED")
opts="-Xmx$XMX -Dspark.lfm.storageLevel=$LEVEL -Dspark.lfm.gcEachEpoch=true -Xlog:gc:file=$tag-dsgd-gc.log"
echo "== DSGD: $EPOCHS epochs, LFM_JAVA_OPTS='$opts' load $(cut -d' ' -f1-3 /proc/loadavg)"
LFM_JAVA_OPTS="$opts" /usr/bin/time -f "dsgd: %e s wall, %M KB max RSS" bin/lfm train --engine spark "${common[@]}" \
  --lr 0.01 --epochs "$EPOCHS" --report "$tag-dsgd.json" | tee "$tag-dsgd.txt"
if [ "$ALS_ITERS" -gt 0 ]; then
opts="-Xmx$XMX -Dspark.lfm.storageLevel=$LEVEL -Xlog:gc:file=$tag-als-gc.log"
echo "== MLlib ALS: $ALS_ITERS iterations, load $(cut -d' ' -f1-3 /proc/loadavg)"
LFM_JAVA_OPTS="$opts" /usr/bin/time -f "als: %e s wall, %M KB max RSS" bin/lfm train --engine spark-als "${common[@]}" \
  --epochs "$ALS_ITERS" --report "$tag-als.json" | tee "$tag-als.txt"
fi
echo "== summary ($ratings ratings, $MASTER, p=$PARTITIONS, $LEVEL; load $(cut -d' ' -f1-3 /proc/loadavg))"
jq -r '"DSGD: \(.num_train) train ratings, prepared in \(.prepare_seconds | floor) s, " +
  "\(.seconds_per_epoch * 100 | round / 100) s/epoch, test RMSE \(.test_rmse * 10000 | round / 10000); " +
  "MB live after GC at epoch ends: \([.heap_after_gc_bytes_per_epoch[] / 1048576 | floor]), " +
  "of it Spark storage: \([.spark_storage_heap_bytes_per_epoch[] / 1048576 | floor]), " +
  "difference: \([.heap_after_gc_bytes_per_epoch, .spark_storage_heap_bytes_per_epoch] | transpose | map((.[0] - .[1]) / 1048576 | floor))"' \
  "$tag-dsgd.json"
jq -r '"MLlib ALS: prepared in \(.prepare_seconds | floor) s, \(.epochs) iterations in \(.seconds | floor) s = " +
  "\(.seconds / .epochs * 100 | round / 100) s/iteration, test RMSE \(.test_rmse * 10000 | round / 10000)"' "$tag-als.json" \
  2>/dev/null || true
[ "$KEEP" = 1 ] || rm -rf "$data"
