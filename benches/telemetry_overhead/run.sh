#!/usr/bin/env bash
# Telemetry on against off, in one process. The fork_join, iter and adaptive benches link
# veda twice: as `veda` (default features, telemetry on) and as `veda_telemetry_off` (the
# same sources built without the feature, see `veda-telemetry-off/Cargo.toml`). With
# VEDA_BENCH_TELEMETRY_OFF=1 the second copy is one more contender, rotated with the others
# round after round, and the `notel/veda` column is the median of its per-round time ratio
# to veda's. The two measurements of a pair lie milliseconds apart, so the machine's drift
# (larger than the effect measured) cancels out as it does for rayon/veda.
#
# What is left is code placement: the two copies lie at different addresses, and on this
# machine where a hot loop falls alone moved one copy's fib by ±5 % against the other's,
# and a same-source chili by 25 % between two binaries. So the benches are built here with
# every function and every branch target aligned to 64 bytes, which takes placement out:
# built so, the two copies' fine-grained join workloads agreed within 1 %.
#
# Reports per workload the median over passes of
#
#     on/off = veda's time with telemetry on / veda's time with telemetry off
#
# (1 / notel/veda): above 1.0 means telemetry costs time.
#
# Usage: benches/telemetry_overhead/run.sh [PASSES] [BENCH...]
#   PASSES (default 3); BENCH among fork_join iter adaptive (default all three).
#   VEDA_BENCH_ROUNDS (default 9 here) and VEDA_BENCH_THREADS are passed to the benches.
set -euo pipefail
cd "$(dirname "$0")/../.."

passes=${1:-3}
shift || true
benches=("$@")
if [ ${#benches[@]} -eq 0 ]; then
    benches=(fork_join iter adaptive)
fi
export VEDA_BENCH_ROUNDS=${VEDA_BENCH_ROUNDS:-9}
export VEDA_BENCH_TELEMETRY_OFF=1
out=target/telemetry-overhead
mkdir -p "$out"

bench_args=()
for bench in "${benches[@]}"; do
    bench_args+=(--bench "$bench")
done
export CARGO_TARGET_DIR=target/telemetry-overhead-build
export RUSTFLAGS="-C llvm-args=-align-all-functions=6 -C llvm-args=-align-all-nofallthru-blocks=6"

echo "building (functions and branch targets aligned to 64 bytes)..." >&2
cargo bench --no-run "${bench_args[@]}" >&2
declare -A binaries
while read -r name executable; do
    binaries[$name]=$executable
done < <(cargo bench --no-run "${bench_args[@]}" --message-format=json 2>/dev/null |
    jq -r 'select(.reason == "compiler-artifact" and .executable != null) | "\(.target.name) \(.executable)"')

for pass in $(seq 1 "$passes"); do
    for bench in "${benches[@]}"; do
        echo "$bench pass $pass" >&2
        "${binaries[$bench]}" --bench >"$out/$bench.$pass.txt"
    done
done

python3 - "$out" "$passes" "${benches[@]}" <<'PY'
import statistics, sys
out, passes, benches = sys.argv[1], int(sys.argv[2]), sys.argv[3:]

def ratios(path):
    """workload -> the notel/veda ratio of its row, in the table's order."""
    lines = open(path).read().splitlines()
    header = next(l for l in lines if l.startswith("workload"))
    columns = header.split()
    from_end = len(columns) - columns.index("notel/veda")
    rows = {}
    for line in lines[lines.index(header) + 1:]:
        # The name fills the first 14 characters; the ratios are the last cells.
        name, cells = line[:14].strip(), line[14:].split()
        if name and len(cells) >= from_end:
            rows[name] = float(cells[-from_end])
    return rows

print(f"{'bench':<10} {'workload':<14} {'on/off':>8}   per pass")
for bench in benches:
    per_pass = [ratios(f"{out}/{bench}.{p}.txt") for p in range(1, passes + 1)]
    for name in per_pass[0]:
        on_off = [1 / rows[name] for rows in per_pass if name in rows]
        print(f"{bench:<10} {name:<14} {statistics.median(on_off):>8.3f}   "
              + " ".join(f"{v:.3f}" for v in on_off))
PY
