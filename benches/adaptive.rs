//! Side-by-side benchmark of the scheduling policies: veda under its default policy
//! (`SchedulingPolicy::Adaptive`) against veda under `SchedulingPolicy::WorkStealing`
//! (rayon's scheme), rayon itself, chili where the workload is made of joins, and a
//! sequential baseline, on workloads whose cost is uniform, variable, skewed, nested, very
//! fine-grained, very small or very large.
//!
//! Run it with `cargo bench --bench adaptive`; a positional argument keeps only the
//! workloads whose name contains it (`cargo bench --bench adaptive -- small`).
//! `VEDA_BENCH_ROUNDS` sets the number of rounds (default 21) and `VEDA_BENCH_THREADS` the size
//! of every pool (default: all cores). The whole run takes about two minutes on a 2-core
//! machine, a third of it in the large-tasks workload.
//!
//! Every contender gets its own pool of the same size, all built up front: a veda pool with
//! the adaptive policy (`veda`), a veda pool with the work-stealing policy (`veda-ws`), a
//! rayon pool and a chili pool; the small-inputs workload also uses veda's and rayon's global
//! pools, started up front with the same size (veda's with the adaptive policy). Both veda
//! pools set their policy explicitly, so `VEDA_SCHEDULING_POLICY` changes nothing here.
//! Rounds, shuffled order, calibration and the result check work as in `fork_join`.
//!
//! Reading the table: the time columns are the median time of one iteration of the workload.
//! `ws/veda`, `rayon/veda` and `chili/veda` are medians of per-round paired ratios (that
//! round's time of the other contender divided by that round's veda time): above 1.0 means
//! veda under the adaptive policy was faster, so `ws/veda` is what the adaptive policy gains
//! over plain work stealing in the same runtime. A `-` marks a contender that has no
//! counterpart of the workload.
//!
//! The workloads:
//! - `uniform`: the sum of a cheap integer mix of every index of a range of 2^22, the same
//!   cost for every item.
//! - `collatz`: the total number of Collatz steps of every number in `1..=2^19`; the cost of
//!   an item varies from one step to a few hundred and cannot be predicted.
//! - `skewed`: 200 000 items, of which every 100th item of the first tenth (200 items, 1 in
//!   1 000) runs 1 000 times as many mixing rounds as the others (32 000 against 32): these
//!   200 items, all in the first tenth of the range, hold half of the work.
//! - `mandelbrot`: iteration counts of a 512×512 image of the Mandelbrot set (at most 256
//!   iterations per pixel), one parallel item per row; rows crossing the set cost far more.
//! - `nested`: an outer parallel iterator over 256 items, each summing an inner parallel
//!   iterator over 4 096 items.
//! - `tree sum`, `fib`: the fine-grained joins of `fork_join` (a join per node of a tree of
//!   2^20 nodes, a join per call of fib(30)); chili runs them with `Scope::join`.
//! - `small global`: the sum of squares of a 1 000-element slice, computed with a parallel
//!   iterator 10 000 times per iteration by the bench thread, outside every pool, as a user
//!   would: veda and rayon run it on their global pools. There is one global pool per
//!   runtime, so `veda-ws` has no column here; `small install` measures it.
//! - `small install`: the same 10 000 calls, each entering the contender's own pool through
//!   `install` from the bench thread.
//! - `large tasks`: a parallel iterator over 10 tasks of unequal cost, about 100 to 300 ms
//!   each on the 2-core development machine (2 s in all sequentially). Each of its iterations
//!   lasts seconds, so it runs a quarter of the rounds (rounded up).
//! - `blocking`: a parallel iterator over 64 tasks that each wait 1 ms (standing for a
//!   blocking I/O call) and then do a little computing, one task per piece
//!   (`with_max_len(1)`). veda wraps the wait in `veda::block_in_place`, so stand-in workers
//!   keep the pool busy; rayon has no such call and waits on its workers. The sequential
//!   column waits 64 times in a row.

mod harness;
mod join_workloads;

use harness::{measure, Contender, Settings, Table, Who};
use join_workloads::{
    fib_chili, fib_seq, tree_sum_chili, tree_sum_expected, tree_sum_seq, Node, FIB_N, TREE_NODES,
};
use std::hint::black_box;
use veda::SchedulingPolicy;

/// Items of the uniform workload.
const UNIFORM_ITEMS: u64 = 1 << 22;
/// Mixing rounds per item of the uniform and nested workloads.
const CHEAP_ROUNDS: u32 = 8;
/// The Collatz workload covers `1..=COLLATZ_BOUND`.
const COLLATZ_BOUND: u64 = 1 << 19;
/// Items of the skewed workload.
const SKEWED_ITEMS: u64 = 200_000;
/// Mixing rounds of a light item of the skewed workload.
const LIGHT_ROUNDS: u32 = 32;
/// Mixing rounds of a heavy item of the skewed workload: 1 000 times a light one.
const HEAVY_ROUNDS: u32 = 1_000 * LIGHT_ROUNDS;
/// Every this many items of the first tenth of the skewed workload is heavy.
const HEAVY_EVERY: u64 = 100;
/// Width and height of the Mandelbrot image, in pixels.
const IMAGE_SIZE: u32 = 512;
/// The most iterations per pixel.
const MAX_ITERATIONS: u32 = 256;
/// Outer and inner items of the nested workload.
const NESTED_OUTER: u64 = 256;
const NESTED_INNER: u64 = 4_096;
/// Items of one small input, and how often one iteration processes it.
const SMALL_ITEMS: u64 = 1_000;
const SMALL_REPEATS: usize = 10_000;
/// Tasks of the blocking workload.
const BLOCKING_TASKS: u32 = 64;
/// How long each of them waits.
const BLOCKING_WAIT: std::time::Duration = std::time::Duration::from_millis(1);

/// The nominal cost of each large task, in milliseconds.
const LARGE_TASK_MS: [u32; 10] = [300, 120, 260, 100, 220, 180, 140, 280, 160, 200];
/// Mixing rounds per nominal millisecond of a large task, measured on the development
/// machine.
const ROUNDS_PER_MS: u32 = 600_000;

/// `rounds` rounds of a multiply-xorshift mix: cheap integer work, one round after the other,
/// whose result the compiler cannot foresee.
fn mix(mut x: u64, rounds: u32) -> u64 {
    for _ in 0..rounds {
        x ^= x >> 29;
        x = x.wrapping_mul(0xBF58_476D_1CE4_E5B9);
    }
    x
}

/// An item's share of a sum: the top 24 bits of its mix, so sums cannot overflow.
fn mixed(x: u64, rounds: u32) -> u64 {
    mix(x, rounds) >> 40
}

/// The number of steps the Collatz sequence of `n` (at least 1) takes to reach 1.
fn collatz_steps(mut n: u64) -> u64 {
    let mut steps = 0;
    while n != 1 {
        n = if n.is_multiple_of(2) {
            n / 2
        } else {
            3 * n + 1
        };
        steps += 1;
    }
    steps
}

/// Item `i` of the skewed workload: heavy for every `HEAVY_EVERY`th item of the first tenth.
fn skewed_item(i: u64) -> u64 {
    let heavy = i < SKEWED_ITEMS / 10 && i.is_multiple_of(HEAVY_EVERY);
    mixed(i, if heavy { HEAVY_ROUNDS } else { LIGHT_ROUNDS })
}

/// The sum of the iteration counts of row `y` of the Mandelbrot image of the region
/// [-2, 0.5] × [-1.25, 1.25].
fn mandelbrot_row(y: u32) -> u64 {
    let scale = 2.5 / f64::from(IMAGE_SIZE);
    let c_im = -1.25 + f64::from(y) * scale;
    (0..IMAGE_SIZE)
        .map(|x| {
            let c_re = -2.0 + f64::from(x) * scale;
            let (mut re, mut im) = (0.0f64, 0.0f64);
            let mut iterations = 0;
            while iterations < MAX_ITERATIONS && re * re + im * im <= 4.0 {
                (re, im) = (re * re - im * im + c_re, 2.0 * re * im + c_im);
                iterations += 1;
            }
            u64::from(iterations)
        })
        .sum()
}

/// Large task `ms`: about `ms` milliseconds of mixing.
fn large_task(ms: u32) -> u64 {
    mixed(u64::from(ms), ms * ROUNDS_PER_MS)
}

/// Defines module `$module` with the workloads written against the iterator API of crate
/// `$runtime`, so that veda (under both policies) and rayon run exactly the same code.
/// `$block_in_place` wraps the blocking workload's waits.
macro_rules! iterator_workloads {
    ($module:ident, $runtime:ident, $block_in_place:path) => {
        mod $module {
            use super::*;
            use $runtime::prelude::*;

            pub(crate) fn uniform(items: u64) -> u64 {
                (0..items)
                    .into_par_iter()
                    .map(|i| mixed(i, CHEAP_ROUNDS))
                    .sum()
            }

            pub(crate) fn collatz(bound: u64) -> u64 {
                (1..=bound).into_par_iter().map(collatz_steps).sum()
            }

            pub(crate) fn skewed(items: u64) -> u64 {
                (0..items).into_par_iter().map(skewed_item).sum()
            }

            pub(crate) fn mandelbrot(rows: u32) -> u64 {
                (0..rows).into_par_iter().map(mandelbrot_row).sum()
            }

            pub(crate) fn nested(outer: u64, inner: u64) -> u64 {
                (0..outer)
                    .into_par_iter()
                    .map(|i| {
                        (0..inner)
                            .into_par_iter()
                            .map(|j| mixed(i * inner + j, CHEAP_ROUNDS))
                            .sum::<u64>()
                    })
                    .sum()
            }

            pub(crate) fn sum_of_squares(values: &[u64]) -> u64 {
                values.par_iter().map(|&x| x * x).sum()
            }

            pub(crate) fn large_tasks(costs: &[u32]) -> u64 {
                costs.par_iter().map(|&ms| large_task(ms)).sum()
            }

            pub(crate) fn blocking(tasks: u32) -> u64 {
                (0..tasks)
                    .into_par_iter()
                    .with_max_len(1)
                    .map(|i| blocking_task(i, || $block_in_place(blocking_wait)))
                    .sum()
            }
        }
    };
}

iterator_workloads!(on_veda, veda, veda::block_in_place);
iterator_workloads!(
    on_veda_telemetry_off,
    veda_telemetry_off,
    veda_telemetry_off::block_in_place
);
iterator_workloads!(on_rayon, rayon, wait_in_place);

/// Rayon has no `block_in_place`: the blocking workload's waits hold their worker.
fn wait_in_place<R>(wait: impl FnOnce() -> R) -> R {
    wait()
}

/// Sequential versions of the workloads, for the baseline column and the expected results.
mod sequential {
    use super::*;

    pub(crate) fn uniform(items: u64) -> u64 {
        (0..items).map(|i| mixed(i, CHEAP_ROUNDS)).sum()
    }

    pub(crate) fn collatz(bound: u64) -> u64 {
        (1..=bound).map(collatz_steps).sum()
    }

    pub(crate) fn skewed(items: u64) -> u64 {
        (0..items).map(skewed_item).sum()
    }

    pub(crate) fn mandelbrot(rows: u32) -> u64 {
        (0..rows).map(mandelbrot_row).sum()
    }

    pub(crate) fn nested(outer: u64, inner: u64) -> u64 {
        (0..outer)
            .map(|i| {
                (0..inner)
                    .map(|j| mixed(i * inner + j, CHEAP_ROUNDS))
                    .sum::<u64>()
            })
            .sum()
    }

    pub(crate) fn sum_of_squares(values: &[u64]) -> u64 {
        values.iter().map(|&x| x * x).sum()
    }

    pub(crate) fn large_tasks(costs: &[u32]) -> u64 {
        costs.iter().map(|&ms| large_task(ms)).sum()
    }

    pub(crate) fn blocking(tasks: u32) -> u64 {
        (0..tasks).map(|i| blocking_task(i, blocking_wait)).sum()
    }
}

/// The blocking workload's stand-in for a blocking I/O call.
fn blocking_wait() {
    std::thread::sleep(BLOCKING_WAIT);
}

/// One task of the blocking workload: wait (through `wait`, which may hand the worker's slot
/// to a stand-in), then compute a little.
fn blocking_task(i: u32, wait: impl FnOnce()) -> u64 {
    wait();
    mixed(u64::from(i), CHEAP_ROUNDS)
}

/// The sum of `SMALL_REPEATS` calls of `call`, made one after the other by the calling thread.
fn repeated(call: impl Fn() -> u64) -> u64 {
    (0..SMALL_REPEATS).map(|_| call()).sum()
}

/// One pool per contender, all of the same size, and the settings.
struct Bench {
    settings: Settings,
    veda: veda::ThreadPool,
    veda_ws: veda::ThreadPool,
    veda_telemetry_off: veda_telemetry_off::ThreadPool,
    rayon: rayon::ThreadPool,
    chili: chili::ThreadPool,
    table: Table,
}

impl Bench {
    /// Builds every pool, veda's and rayon's global pools included.
    fn new(settings: Settings) -> Bench {
        let threads = settings.threads.get();
        let veda_pool = |policy| {
            veda::ThreadPoolBuilder::new()
                .num_threads(threads)
                .scheduling_policy(policy)
        };
        veda_pool(SchedulingPolicy::Adaptive)
            .build_global()
            .expect("starting veda's global pool (nothing may start it before)");
        let telemetry_off_pool = || {
            veda_telemetry_off::ThreadPoolBuilder::new()
                .num_threads(threads)
                .scheduling_policy(veda_telemetry_off::SchedulingPolicy::Adaptive)
        };
        telemetry_off_pool()
            .build_global()
            .expect("starting the telemetry-off veda's global pool");
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build_global()
            .expect("starting rayon's global pool (nothing may start it before)");
        Bench {
            veda: veda_pool(SchedulingPolicy::Adaptive)
                .build()
                .expect("building the adaptive veda pool"),
            veda_ws: veda_pool(SchedulingPolicy::WorkStealing)
                .build()
                .expect("building the work-stealing veda pool"),
            veda_telemetry_off: telemetry_off_pool()
                .build()
                .expect("building the telemetry-off veda pool"),
            rayon: rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .expect("building the rayon pool"),
            chili: chili::ThreadPool::with_config(chili::Config {
                thread_count: Some(settings.threads),
                ..chili::Config::default()
            }),
            settings,
            table: Table::new(&[
                Who::Veda,
                Who::VedaWorkStealing,
                Who::VedaTelemetryOff,
                Who::Rayon,
                Who::Chili,
                Who::Seq,
            ]),
        }
    }
}

/// One row of `$bench`: veda under both policies, rayon and the sequential baseline, run by
/// calling `$function` with `$args` from each module inside the contender's pool.
macro_rules! iterator_row {
    ($bench:expr, $name:expr, $rounds:expr, $function:ident ( $($args:expr),* )) => {
        let bench: &Bench = $bench;
        if bench.settings.selected($name) {
            let contenders = [
                Contender::new(Who::Veda, || {
                    bench.veda.install(|| on_veda::$function($(black_box($args)),*))
                }),
                Contender::new(Who::VedaWorkStealing, || {
                    bench.veda_ws.install(|| on_veda::$function($(black_box($args)),*))
                }),
                Contender::new(Who::VedaTelemetryOff, || {
                    bench
                        .veda_telemetry_off
                        .install(|| on_veda_telemetry_off::$function($(black_box($args)),*))
                }),
                Contender::new(Who::Rayon, || {
                    bench.rayon.install(|| on_rayon::$function($(black_box($args)),*))
                }),
                Contender::new(Who::Seq, || sequential::$function($(black_box($args)),*)),
            ];
            let expected = sequential::$function($($args),*);
            bench.table.print_row(&measure($name, expected, &contenders, $rounds));
        }
    };
}

fn main() {
    let bench = &Bench::new(Settings::from_env());
    let (rounds, threads) = (bench.settings.rounds, bench.settings.threads);
    let large_rounds = rounds.div_ceil(4);

    println!(
        "adaptive: {threads} threads per pool, {rounds} rounds ({large_rounds} for large \
         tasks), contenders shuffled each round; ratios are medians of per-round ws/veda, \
         rayon/veda and chili/veda (> 1.0: veda with the adaptive policy faster)"
    );
    bench.table.print_header();

    iterator_row!(bench, "uniform", rounds, uniform(UNIFORM_ITEMS));
    iterator_row!(bench, "collatz", rounds, collatz(COLLATZ_BOUND));
    iterator_row!(bench, "skewed", rounds, skewed(SKEWED_ITEMS));
    iterator_row!(bench, "mandelbrot", rounds, mandelbrot(IMAGE_SIZE));
    iterator_row!(bench, "nested", rounds, nested(NESTED_OUTER, NESTED_INNER));

    if bench.settings.selected("tree sum") {
        let root = Node::build(TREE_NODES);
        let tree: &Node = &root;
        let contenders = [
            Contender::new(Who::Veda, || {
                bench
                    .veda
                    .install(|| join_workloads::on_veda::tree_sum(black_box(tree)))
            }),
            Contender::new(Who::VedaWorkStealing, || {
                bench
                    .veda_ws
                    .install(|| join_workloads::on_veda::tree_sum(black_box(tree)))
            }),
            Contender::new(Who::VedaTelemetryOff, || {
                bench
                    .veda_telemetry_off
                    .install(|| join_workloads::on_veda_telemetry_off::tree_sum(black_box(tree)))
            }),
            Contender::new(Who::Rayon, || {
                bench
                    .rayon
                    .install(|| join_workloads::on_rayon::tree_sum(black_box(tree)))
            }),
            Contender::new(Who::Chili, || {
                tree_sum_chili(black_box(tree), &mut bench.chili.scope())
            }),
            Contender::new(Who::Seq, || tree_sum_seq(black_box(tree))),
        ];
        let expected = tree_sum_expected(TREE_NODES);
        bench
            .table
            .print_row(&measure("tree sum", expected, &contenders, rounds));
    }

    if bench.settings.selected("fib") {
        let contenders = [
            Contender::new(Who::Veda, || {
                bench
                    .veda
                    .install(|| join_workloads::on_veda::fib(black_box(FIB_N)))
            }),
            Contender::new(Who::VedaWorkStealing, || {
                bench
                    .veda_ws
                    .install(|| join_workloads::on_veda::fib(black_box(FIB_N)))
            }),
            Contender::new(Who::VedaTelemetryOff, || {
                bench
                    .veda_telemetry_off
                    .install(|| join_workloads::on_veda_telemetry_off::fib(black_box(FIB_N)))
            }),
            Contender::new(Who::Rayon, || {
                bench
                    .rayon
                    .install(|| join_workloads::on_rayon::fib(black_box(FIB_N)))
            }),
            Contender::new(Who::Chili, || {
                fib_chili(black_box(FIB_N), &mut bench.chili.scope())
            }),
            Contender::new(Who::Seq, || fib_seq(black_box(FIB_N))),
        ];
        bench
            .table
            .print_row(&measure("fib", fib_seq(FIB_N), &contenders, rounds));
    }

    let small: Vec<u64> = (0..SMALL_ITEMS).collect();
    let small = &small[..];
    let small_expected = repeated(|| sequential::sum_of_squares(small));
    let small_seq = || repeated(|| sequential::sum_of_squares(black_box(small)));

    if bench.settings.selected("small global") {
        let contenders = [
            Contender::new(Who::Veda, || {
                repeated(|| on_veda::sum_of_squares(black_box(small)))
            }),
            Contender::new(Who::VedaTelemetryOff, || {
                repeated(|| on_veda_telemetry_off::sum_of_squares(black_box(small)))
            }),
            Contender::new(Who::Rayon, || {
                repeated(|| on_rayon::sum_of_squares(black_box(small)))
            }),
            Contender::new(Who::Seq, small_seq),
        ];
        bench.table.print_row(&measure(
            "small global",
            small_expected,
            &contenders,
            rounds,
        ));
    }

    if bench.settings.selected("small install") {
        let contenders = [
            Contender::new(Who::Veda, || {
                repeated(|| {
                    bench
                        .veda
                        .install(|| on_veda::sum_of_squares(black_box(small)))
                })
            }),
            Contender::new(Who::VedaWorkStealing, || {
                repeated(|| {
                    bench
                        .veda_ws
                        .install(|| on_veda::sum_of_squares(black_box(small)))
                })
            }),
            Contender::new(Who::VedaTelemetryOff, || {
                repeated(|| {
                    bench
                        .veda_telemetry_off
                        .install(|| on_veda_telemetry_off::sum_of_squares(black_box(small)))
                })
            }),
            Contender::new(Who::Rayon, || {
                repeated(|| {
                    bench
                        .rayon
                        .install(|| on_rayon::sum_of_squares(black_box(small)))
                })
            }),
            Contender::new(Who::Seq, small_seq),
        ];
        bench.table.print_row(&measure(
            "small install",
            small_expected,
            &contenders,
            rounds,
        ));
    }

    iterator_row!(
        bench,
        "large tasks",
        large_rounds,
        large_tasks(&LARGE_TASK_MS)
    );

    iterator_row!(bench, "blocking", rounds, blocking(BLOCKING_TASKS));
}
