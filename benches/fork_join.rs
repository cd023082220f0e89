//! Side-by-side fork-join benchmark: veda against rayon, chili and a sequential baseline.
//!
//! Run it with `cargo bench --bench fork_join`; a positional argument keeps only the
//! workloads whose name contains it, e.g. `cargo bench --bench fork_join -- fib` (arguments
//! starting with `--` are ignored). `VEDA_BENCH_ROUNDS` sets the number of rounds (default
//! 21) and `VEDA_BENCH_THREADS` the size of every pool (default: all cores).
//! `VEDA_BENCH_TELEMETRY_OFF=1` adds veda built without telemetry as one more contender
//! (`veda-notel`; `benches/telemetry_overhead/run.sh` uses it).
//!
//! Every contender gets its own pool of the same size, all built up front. A chili pool of `n`
//! threads counts the calling thread as one of them; veda and rayon run the workload inside
//! `install` on `n` workers while the caller waits, so each contender computes on `n` threads.
//!
//! Each round runs every contender once on the same input, in a fresh shuffled order (so no
//! contender always follows the same one), with a short pause between runs so that one pool's idle spinning does not eat into the next
//! contender's time. A timed run repeats the workload often enough to last at least
//! 8 ms (the count is calibrated once per contender, after a warm-up run that also
//! checks the result), and its time is divided by that count.
//!
//! Reading the table: the time columns are the median time of one iteration of the workload
//! over all rounds. `rayon/veda` and `chili/veda` are the medians of the per-round ratios of
//! the paired runs (that round's rayon or chili time divided by that round's veda time), so
//! above 1.0 means veda was faster and 1.05 means rayon (or chili) took 5% longer. A `-` marks
//! a contender that has no counterpart of the workload.

mod harness;
mod join_workloads;

use harness::{measure, Contender, Settings, Table, Who};
use join_workloads::{
    fib_chili, fib_seq, on_rayon, on_veda, on_veda_telemetry_off, tree_sum_chili,
    tree_sum_expected, tree_sum_seq, Node, FIB_N, TREE_NODES,
};
use std::hint::black_box;
use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicU64, Ordering};

/// Number of spawns in the scope workload.
const SPAWNS: u64 = 100_000;

/// The work a spawn does in the scope workload, done `spawns` times in a row.
fn adds_seq(spawns: u64) -> u64 {
    let counter = AtomicU64::new(0);
    for _ in 0..spawns {
        counter.fetch_add(black_box(1), Ordering::Relaxed);
    }
    counter.into_inner()
}

/// Defines module `$module` with the scope workload written against the rayon-core API of
/// crate `$runtime`, so that veda and rayon run exactly the same code.
macro_rules! rayon_api_scope_workload {
    ($module:ident, $runtime:ident) => {
        mod $module {
            use std::hint::black_box;
            use std::sync::atomic::{AtomicU64, Ordering};

            /// Spawns `spawns` jobs in one scope, each adding 1 to a shared counter.
            pub(crate) fn scope_spawns(spawns: u64) -> u64 {
                let counter = AtomicU64::new(0);
                $runtime::scope(|s| {
                    let counter = &counter;
                    for _ in 0..spawns {
                        s.spawn(move |_| {
                            counter.fetch_add(black_box(1), Ordering::Relaxed);
                        });
                    }
                });
                counter.into_inner()
            }
        }
    };
}

rayon_api_scope_workload!(scope_on_veda, veda);
rayon_api_scope_workload!(scope_on_veda_telemetry_off, veda_telemetry_off);
rayon_api_scope_workload!(scope_on_rayon, rayon);

/// One pool per contender, all of the same size.
struct Pools {
    veda: veda::ThreadPool,
    veda_telemetry_off: veda_telemetry_off::ThreadPool,
    rayon: rayon::ThreadPool,
    chili: chili::ThreadPool,
}

impl Pools {
    fn new(threads: NonZeroUsize) -> Pools {
        Pools {
            veda: veda::ThreadPoolBuilder::new()
                .num_threads(threads.get())
                .build()
                .expect("building the veda pool"),
            veda_telemetry_off: veda_telemetry_off::ThreadPoolBuilder::new()
                .num_threads(threads.get())
                .build()
                .expect("building the telemetry-off veda pool"),
            rayon: rayon::ThreadPoolBuilder::new()
                .num_threads(threads.get())
                .build()
                .expect("building the rayon pool"),
            chili: chili::ThreadPool::with_config(chili::Config {
                thread_count: Some(threads),
                ..chili::Config::default()
            }),
        }
    }
}

fn main() {
    let settings = Settings::from_env();
    let (rounds, threads) = (settings.rounds, settings.threads);
    let selected = |workload: &str| settings.selected(workload);
    let pools = Pools::new(threads);

    println!(
        "fork_join: {threads} threads per pool, {rounds} rounds, contenders shuffled each round; \
         ratios are medians of per-round rayon/veda and chili/veda (> 1.0: veda faster)"
    );
    let table = Table::new(&[
        Who::Veda,
        Who::VedaTelemetryOff,
        Who::Rayon,
        Who::Chili,
        Who::Seq,
    ]);
    table.print_header();

    if selected("tree sum") {
        let root = Node::build(TREE_NODES);
        let tree: &Node = &root;
        let pools = &pools;
        let contenders = [
            Contender::new(Who::Veda, move || {
                pools.veda.install(|| on_veda::tree_sum(black_box(tree)))
            }),
            Contender::new(Who::VedaTelemetryOff, move || {
                pools
                    .veda_telemetry_off
                    .install(|| on_veda_telemetry_off::tree_sum(black_box(tree)))
            }),
            Contender::new(Who::Rayon, move || {
                pools.rayon.install(|| on_rayon::tree_sum(black_box(tree)))
            }),
            Contender::new(Who::Chili, move || {
                tree_sum_chili(black_box(tree), &mut pools.chili.scope())
            }),
            Contender::new(Who::Seq, move || tree_sum_seq(black_box(tree))),
        ];
        table.print_row(&measure(
            "tree sum",
            tree_sum_expected(TREE_NODES),
            &contenders,
            rounds,
        ));
    }

    if selected("fib") {
        let pools = &pools;
        let contenders = [
            Contender::new(Who::Veda, move || {
                pools.veda.install(|| on_veda::fib(black_box(FIB_N)))
            }),
            Contender::new(Who::VedaTelemetryOff, move || {
                pools
                    .veda_telemetry_off
                    .install(|| on_veda_telemetry_off::fib(black_box(FIB_N)))
            }),
            Contender::new(Who::Rayon, move || {
                pools.rayon.install(|| on_rayon::fib(black_box(FIB_N)))
            }),
            Contender::new(Who::Chili, move || {
                fib_chili(black_box(FIB_N), &mut pools.chili.scope())
            }),
            Contender::new(Who::Seq, || fib_seq(black_box(FIB_N))),
        ];
        table.print_row(&measure("fib", fib_seq(FIB_N), &contenders, rounds));
    }

    // chili has no scope/spawn API.
    if selected("scope spawn") {
        let pools = &pools;
        let contenders = [
            Contender::new(Who::Veda, move || {
                pools
                    .veda
                    .install(|| scope_on_veda::scope_spawns(black_box(SPAWNS)))
            }),
            Contender::new(Who::VedaTelemetryOff, move || {
                pools
                    .veda_telemetry_off
                    .install(|| scope_on_veda_telemetry_off::scope_spawns(black_box(SPAWNS)))
            }),
            Contender::new(Who::Rayon, move || {
                pools
                    .rayon
                    .install(|| scope_on_rayon::scope_spawns(black_box(SPAWNS)))
            }),
            Contender::new(Who::Seq, || adds_seq(black_box(SPAWNS))),
        ];
        table.print_row(&measure("scope spawn", SPAWNS, &contenders, rounds));
    }

    // One `install(|| 1)` from the main thread per iteration. chili cannot hand a closure to
    // its workers from outside (its scopes run on the calling thread), and there is no
    // sequential counterpart of a round trip, so only veda and rayon take part.
    if selected("install") {
        let pools = &pools;
        let contenders = [
            Contender::new(Who::Veda, move || pools.veda.install(|| black_box(1))),
            Contender::new(Who::VedaTelemetryOff, move || {
                pools.veda_telemetry_off.install(|| black_box(1))
            }),
            Contender::new(Who::Rayon, move || pools.rayon.install(|| black_box(1))),
        ];
        table.print_row(&measure("install", 1, &contenders, rounds));
    }
}
