#!/usr/bin/env bash
# Telemetry on against off: builds the fork_join, iter and adaptive benches twice (default
# features, and --no-default-features), then runs the two builds alternately, swapping
# which goes first every pass, and reports per workload the median over passes of
#
#     overhead = (rayon/veda with telemetry off) / (rayon/veda with telemetry on)
#
# i.e. veda's time with telemetry on divided by its time with telemetry off, each measured
# against rayon in the same process (rayon is the yardstick that cancels the machine's
# drift between the two processes). Above 1.0 means telemetry costs time.
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
out=target/telemetry-overhead
mkdir -p "$out"

bench_args=()
for bench in "${benches[@]}"; do
    bench_args+=(--bench "$bench")
done

# Prints the path of the binary of bench $2 built into target dir $1 with features $3...
binary() {
    local dir=$1 bench=$2
    shift 2
    CARGO_TARGET_DIR=$dir cargo bench --no-run "$@" "${bench_args[@]}" --message-format=json 2>/dev/null |
        jq -r "select(.reason == \"compiler-artifact\" and .target.name == \"$bench\" and .executable != null) | .executable"
}

echo "building (telemetry on, then off)..." >&2
CARGO_TARGET_DIR=target/overhead-on cargo bench --no-run "${bench_args[@]}" >&2
CARGO_TARGET_DIR=target/overhead-off cargo bench --no-run --no-default-features "${bench_args[@]}" >&2

for bench in "${benches[@]}"; do
    on=$(binary target/overhead-on "$bench")
    off=$(binary target/overhead-off "$bench" --no-default-features)
    for pass in $(seq 1 "$passes"); do
        if [ $((pass % 2)) -eq 1 ]; then order="on off"; else order="off on"; fi
        for which in $order; do
            echo "$bench pass $pass: telemetry $which" >&2
            if [ "$which" = on ]; then "$on" --bench >"$out/$bench.$pass.on.txt"; else "$off" --bench >"$out/$bench.$pass.off.txt"; fi
        done
    done
done

python3 - "$out" "$passes" "${benches[@]}" <<'PY'
import statistics, sys
out, passes, benches = sys.argv[1], int(sys.argv[2]), sys.argv[3:]

def rayon_ratios(path):
    """workload -> rayon/veda ratio, from a bench's table."""
    lines = open(path).read().splitlines()
    header = next(l for l in lines if l.startswith("workload"))
    columns = header.split()
    col = columns.index("rayon/veda")
    ratios = {}
    for line in lines[lines.index(header) + 1:]:
        # Time cells hold a unit ("1.23 ms"): the ratios are the last cells.
        cells = line[14:].split()
        name = line[:14].strip()
        if not name or not cells:
            continue
        from_end = len(columns) - col
        try:
            ratios[name] = float(cells[-from_end])
        except (ValueError, IndexError):
            pass
    return ratios

print(f"{'bench':<10} {'workload':<14} {'on/off':>8}   per pass")
for bench in benches:
    per_workload = {}
    for p in range(1, passes + 1):
        on = rayon_ratios(f"{out}/{bench}.{p}.on.txt")
        off = rayon_ratios(f"{out}/{bench}.{p}.off.txt")
        for name in on:
            if name in off:
                per_workload.setdefault(name, []).append(off[name] / on[name])
    for name, values in per_workload.items():
        print(f"{bench:<10} {name:<14} {statistics.median(values):>8.3f}   "
              + " ".join(f"{v:.3f}" for v in values))
PY
