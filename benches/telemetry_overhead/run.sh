#!/usr/bin/env bash
# Telemetry on against off: builds the fork_join, iter and adaptive benches twice (default
# features, and --no-default-features), then runs the two builds alternately, swapping
# which goes first every pass. The first pass runs each bench whole (which also lists its
# workloads); later passes run one workload at a time, on and off back to back, so the two
# measurements of a pair lie seconds apart rather than minutes (the machine's drift over
# minutes was larger than the effect measured). Reports per workload the median over
# passes of
#
#     on/off    = veda's time with telemetry on / veda's time with telemetry off
#     via rayon = (rayon/veda with telemetry off) / (rayon/veda with telemetry on)
#
# Above 1.0 means telemetry costs time. The second form uses rayon, run in the same
# process, as a yardstick for the machine's drift between the two processes; but rayon's
# own time moves between the two binaries too (code and stack layout: measured 291 ms in
# one and 429 ms in the other for the same fold), so `on/off` is the figure to read, on a
# quiet machine.
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
    for which in on off; do
        echo "$bench pass 1: telemetry $which" >&2
        if [ "$which" = on ]; then "$on" --bench >"$out/$bench.1.on.txt"; else "$off" --bench >"$out/$bench.1.off.txt"; fi
    done
    # The workload names: the rows of the first table (names fill the first 14 columns).
    mapfile -t workloads < <(sed -n '/^workload/,$p' "$out/$bench.1.on.txt" | tail -n +2 | cut -c1-14 | sed 's/ *$//' | grep -v '^$')
    for pass in $(seq 2 "$passes"); do
        echo "$bench pass $pass: ${#workloads[@]} workloads" >&2
        : >"$out/$bench.$pass.on.txt"
        : >"$out/$bench.$pass.off.txt"
        for index in "${!workloads[@]}"; do
            workload=${workloads[$index]}
            if [ $(((pass + index) % 2)) -eq 1 ]; then order="on off"; else order="off on"; fi
            for which in $order; do
                if [ "$which" = on ]; then "$on" --bench "$workload" >>"$out/$bench.$pass.on.txt"; else "$off" --bench "$workload" >>"$out/$bench.$pass.off.txt"; fi
            done
        done
    done
done

python3 - "$out" "$passes" "${benches[@]}" <<'PY'
import statistics, sys
out, passes, benches = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
UNITS = {"ns": 1e-9, "µs": 1e-6, "ms": 1e-3, "s": 1.0}

def table(path):
    """workload -> (veda's time in seconds, rayon/veda ratio), from a bench's table."""
    lines = open(path).read().splitlines()
    header = next(l for l in lines if l.startswith("workload"))
    columns = header.split()
    from_end = len(columns) - columns.index("rayon/veda")
    rows = {}
    for line in lines[lines.index(header) + 1:]:
        # The name fills the first 14 characters; time cells hold a unit ("1.23 ms"),
        # veda's comes first and the ratios are the last cells.
        name, cells = line[:14].strip(), line[14:].split()
        if not name or len(cells) < 2:
            continue
        try:
            rows[name] = (float(cells[0]) * UNITS[cells[1]], float(cells[-from_end]))
        except (ValueError, KeyError, IndexError):
            pass
    return rows

print(f"{'bench':<10} {'workload':<14} {'on/off':>8} {'via rayon':>10}   per pass (on/off)")
for bench in benches:
    direct, via_rayon = {}, {}
    for p in range(1, passes + 1):
        on = table(f"{out}/{bench}.{p}.on.txt")
        off = table(f"{out}/{bench}.{p}.off.txt")
        for name in on.keys() & off.keys():
            direct.setdefault(name, []).append(on[name][0] / off[name][0])
            via_rayon.setdefault(name, []).append(off[name][1] / on[name][1])
    for name in sorted(direct, key=list(table(f"{out}/{bench}.1.on.txt")).index):
        print(f"{bench:<10} {name:<14} {statistics.median(direct[name]):>8.3f} "
              f"{statistics.median(via_rayon[name]):>10.3f}   "
              + " ".join(f"{v:.3f}" for v in direct[name]))
PY
