#!/usr/bin/env bash
# fuzz_campaign.sh - a long libFuzzer campaign on the runtime's whole API
# (tests/fuzz_model.c, ASan + UBSan + LeakSanitizer), one worker.
#
#   tests/fuzz_campaign.sh [RUNS] [extra libFuzzer flags...]     (from runtime_c/)
#   make fuzz-campaign RUNS=10000000
#
# RUNS executions (default 10,000,000), or until the first crash, leak,
# undefined behaviour or broken promise; the reproducer is written to
# build/fuzz/artifacts/. The corpus grows in build/fuzz/campaign (kept between
# campaigns), seeded from build/fuzz/seeds (make_fuzz_corpus.py). The full
# libFuzzer log is build/fuzz/campaign.log; the last lines printed are the
# figures: executions, seconds, executions per second, corpus size, crashes.
set -uo pipefail
cd "$(dirname "$0")/.."

RUNS=${1:-10000000}
shift || true
BIN=build/fuzz/fuzz_model
SEEDS=build/fuzz/seeds
CORPUS=build/fuzz/campaign
ARTIFACTS=build/fuzz/artifacts
LOG=${FUZZ_LOG:-build/fuzz/campaign.log}

make -s "$BIN" "$SEEDS/.done" PYTHON="${PYTHON:-python3}" || exit 2
mkdir -p "$CORPUS" "$ARTIFACTS"
# Run a copy, so that rebuilding (make fuzz) during a campaign is safe.
cp "$BIN" "$BIN.campaign"
BIN=$BIN.campaign

start=$(date +%s)
"$BIN" -runs="$RUNS" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
  -dict=tests/fuzz_model.dict -print_final_stats=1 -print_pcs=0 \
  -artifact_prefix="$ARTIFACTS/" "$@" "$CORPUS" "$SEEDS" >"$LOG" 2>&1
rc=$?
end=$(date +%s)

secs=$((end - start))
execs=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$LOG" | tail -1 | grep -o '[0-9]*$')
if [ -z "$execs" ]; then   # killed before the final stats: the last status line
  execs=$(grep -o '^#[0-9]*' "$LOG" | tail -1 | tr -d '#')
fi
execs=${execs:-0}
crashes=$(grep -c -E '^==[0-9]+==ERROR|runtime error:|broken promise|^==[0-9]+== ERROR: libFuzzer' "$LOG")
echo "log:        $LOG"
tail -n 25 "$LOG" | grep -E 'ERROR|runtime error|broken promise|Test unit written|SUMMARY' || true
echo "executions: $execs"
echo "seconds:    $secs"
echo "exec/s:     $(( secs > 0 ? execs / secs : execs ))"
echo "corpus:     $(find "$CORPUS" -type f | wc -l) inputs in $CORPUS"
echo "crashes:    $crashes (libFuzzer exit status $rc; reproducers in $ARTIFACTS/)"
exit $rc
