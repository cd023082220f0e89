//! Side-by-side fork-join benchmark: veda against rayon, chili and a sequential baseline.
//!
//! Run it with `cargo bench --bench fork_join`; a positional argument keeps only the
//! workloads whose name contains it, e.g. `cargo bench --bench fork_join -- fib` (arguments
//! starting with `--` are ignored). `VEDA_BENCH_ROUNDS` sets the number of rounds (default
//! 21) and `VEDA_BENCH_THREADS` the size of every pool (default: all cores).
//!
//! Every contender gets its own pool of the same size, all built up front. A chili pool of `n`
//! threads counts the calling thread as one of them; veda and rayon run the workload inside
//! `install` on `n` workers while the caller waits, so each contender computes on `n` threads.
//!
//! Each round runs every contender once on the same input, rotating which one goes first, with
//! a short pause between runs so that one pool's idle spinning does not eat into the next
//! contender's time. A timed run repeats the workload often enough to last at least
//! [`TARGET_RUN`] (the count is calibrated once per contender, after a warm-up run that also
//! checks the result), and its time is divided by that count.
//!
//! Reading the table: the time columns are the median time of one iteration of the workload
//! over all rounds. `rayon/veda` and `chili/veda` are the medians of the per-round ratios of
//! the paired runs (that round's rayon or chili time divided by that round's veda time), so
//! above 1.0 means veda was faster and 1.05 means rayon (or chili) took 5% longer. A `-` marks
//! a contender that has no counterpart of the workload.

use std::env;
use std::fmt;
use std::hint::black_box;
use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread;
use std::time::{Duration, Instant};

/// Rounds per workload unless `VEDA_BENCH_ROUNDS` says otherwise.
const DEFAULT_ROUNDS: usize = 21;
/// The least time one timed run should take; comfortably above the 5 ms below which the
/// timings on this machine get too noisy.
const TARGET_RUN: Duration = Duration::from_millis(8);
/// Pause before every timed run, for the previous contender's pool to go idle.
const SETTLE: Duration = Duration::from_millis(2);

/// Number of nodes in the tree of the tree-sum workload.
const TREE_NODES: usize = 1 << 20;
/// Argument of the fib workload.
const FIB_N: u32 = 30;
/// Number of spawns in the scope workload.
const SPAWNS: u64 = 100_000;

/// A heap-allocated binary tree node.
struct Node {
    value: u64,
    left: Option<Box<Node>>,
    right: Option<Box<Node>>,
}

impl Node {
    /// Builds a balanced tree of `count` (at least 1) nodes holding `first..first + count`.
    fn build(first: u64, count: usize) -> Box<Node> {
        let left_count = (count - 1) / 2;
        let right_count = count - 1 - left_count;
        Box::new(Node {
            value: first,
            left: (left_count > 0).then(|| Node::build(first + 1, left_count)),
            right: (right_count > 0)
                .then(|| Node::build(first + 1 + left_count as u64, right_count)),
        })
    }
}

fn tree_sum_seq(node: &Node) -> u64 {
    node.value
        + node.left.as_deref().map_or(0, tree_sum_seq)
        + node.right.as_deref().map_or(0, tree_sum_seq)
}

fn fib_seq(n: u32) -> u64 {
    if n < 2 {
        return u64::from(n);
    }
    fib_seq(n - 1) + fib_seq(n - 2)
}

/// The work a spawn does in the scope workload, done `spawns` times in a row.
fn adds_seq(spawns: u64) -> u64 {
    let counter = AtomicU64::new(0);
    for _ in 0..spawns {
        counter.fetch_add(black_box(1), Ordering::Relaxed);
    }
    counter.into_inner()
}

fn tree_sum_chili(node: &Node, s: &mut chili::Scope<'_>) -> u64 {
    let (left, right) = s.join(
        |s| node.left.as_deref().map_or(0, |n| tree_sum_chili(n, s)),
        |s| node.right.as_deref().map_or(0, |n| tree_sum_chili(n, s)),
    );
    node.value + left + right
}

fn fib_chili(n: u32, s: &mut chili::Scope<'_>) -> u64 {
    if n < 2 {
        return u64::from(n);
    }
    let (a, b) = s.join(|s| fib_chili(n - 1, s), |s| fib_chili(n - 2, s));
    a + b
}

/// Defines module `$module` with the parallel workloads written against the rayon-core API
/// of crate `$runtime`, so that veda and rayon run exactly the same code.
macro_rules! rayon_api_workloads {
    ($module:ident, $runtime:ident) => {
        mod $module {
            use super::Node;
            use std::hint::black_box;
            use std::sync::atomic::{AtomicU64, Ordering};

            /// Sums the tree with a join at every node.
            pub(crate) fn tree_sum(node: &Node) -> u64 {
                let (left, right) = $runtime::join(
                    || node.left.as_deref().map_or(0, tree_sum),
                    || node.right.as_deref().map_or(0, tree_sum),
                );
                node.value + left + right
            }

            /// Fibonacci with a join at every call.
            pub(crate) fn fib(n: u32) -> u64 {
                if n < 2 {
                    return u64::from(n);
                }
                let (a, b) = $runtime::join(|| fib(n - 1), || fib(n - 2));
                a + b
            }

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

rayon_api_workloads!(on_veda, veda);
rayon_api_workloads!(on_rayon, rayon);

/// One pool per contender, all of the same size.
struct Pools {
    veda: veda::ThreadPool,
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

/// The contenders, in the order of the table's columns.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Who {
    Veda,
    Rayon,
    Chili,
    Seq,
}

const COLUMNS: [Who; 4] = [Who::Veda, Who::Rayon, Who::Chili, Who::Seq];

impl Who {
    fn name(self) -> &'static str {
        match self {
            Who::Veda => "veda",
            Who::Rayon => "rayon",
            Who::Chili => "chili",
            Who::Seq => "seq",
        }
    }
}

/// One contender's version of a workload: one call runs one iteration and returns its result.
struct Contender<'a> {
    who: Who,
    run: Box<dyn Fn() -> u64 + 'a>,
}

impl<'a> Contender<'a> {
    fn new(who: Who, run: impl Fn() -> u64 + 'a) -> Contender<'a> {
        Contender {
            who,
            run: Box::new(run),
        }
    }

    /// Runs one warm-up iteration, checks its result, and returns how many iterations one timed
    /// run needs to last at least [`TARGET_RUN`].
    fn calibrate(&self, workload: &str, expected: u64) -> u32 {
        let got = (self.run)();
        assert_eq!(
            got,
            expected,
            "{workload}: {} computed a wrong result",
            self.who.name()
        );
        let mut iterations = 1;
        while self.time_run(iterations) < TARGET_RUN {
            iterations *= 2;
        }
        iterations
    }

    /// Times one run of `iterations` back-to-back iterations.
    fn time_run(&self, iterations: u32) -> Duration {
        let start = Instant::now();
        for _ in 0..iterations {
            black_box((self.run)());
        }
        start.elapsed()
    }
}

/// What one workload's row of the table shows.
struct Row {
    workload: &'static str,
    /// Median time of one iteration, per column of [`COLUMNS`].
    medians: [Option<Duration>; 4],
    rayon_over_veda: Option<f64>,
    chili_over_veda: Option<f64>,
}

/// Runs `rounds` rounds of the contenders of one workload, each contender once a round,
/// starting each round with the next contender in turn.
fn measure(
    workload: &'static str,
    expected: u64,
    contenders: &[Contender<'_>],
    rounds: usize,
) -> Row {
    let iterations: Vec<u32> = contenders
        .iter()
        .map(|c| c.calibrate(workload, expected))
        .collect();
    // times[i][round]: time of one iteration of contender i in that round.
    let mut times = vec![Vec::with_capacity(rounds); contenders.len()];
    for round in 0..rounds {
        for turn in 0..contenders.len() {
            let i = (round + turn) % contenders.len();
            thread::sleep(SETTLE);
            times[i].push(contenders[i].time_run(iterations[i]) / iterations[i]);
        }
    }
    let times_of = |who: Who| {
        contenders
            .iter()
            .position(|c| c.who == who)
            .map(|i| &times[i])
    };
    let paired_ratio = |who: Who| {
        let veda = times_of(Who::Veda)?;
        let other = times_of(who)?;
        let mut ratios: Vec<f64> = other
            .iter()
            .zip(veda)
            .map(|(o, v)| o.as_secs_f64() / v.as_secs_f64())
            .collect();
        Some(median(&mut ratios))
    };
    Row {
        workload,
        medians: COLUMNS.map(|who| {
            times_of(who).map(|t| {
                let mut secs: Vec<f64> = t.iter().map(Duration::as_secs_f64).collect();
                Duration::from_secs_f64(median(&mut secs))
            })
        }),
        rayon_over_veda: paired_ratio(Who::Rayon),
        chili_over_veda: paired_ratio(Who::Chili),
    }
}

/// Median of a non-empty sample (the mean of the middle two for an even count).
fn median(sample: &mut [f64]) -> f64 {
    sample.sort_by(f64::total_cmp);
    let mid = sample.len() / 2;
    if sample.len() % 2 == 0 {
        (sample[mid - 1] + sample[mid]) / 2.0
    } else {
        sample[mid]
    }
}

/// A table cell: a duration with a readable unit, or `-` when there is none.
struct TimeCell(Option<Duration>);

impl fmt::Display for TimeCell {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Some(time) = self.0 else {
            return f.pad("-");
        };
        let secs = time.as_secs_f64();
        let text = if secs < 1e-6 {
            format!("{:.1} ns", secs * 1e9)
        } else if secs < 1e-3 {
            format!("{:.2} µs", secs * 1e6)
        } else if secs < 1.0 {
            format!("{:.2} ms", secs * 1e3)
        } else {
            format!("{secs:.2} s")
        };
        f.pad(&text)
    }
}

/// A table cell: a ratio, or `-` when there is none.
struct RatioCell(Option<f64>);

impl fmt::Display for RatioCell {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(ratio) => f.pad(&format!("{ratio:.3}")),
            None => f.pad("-"),
        }
    }
}

fn print_header() {
    print!("{:<12}", "workload");
    for who in COLUMNS {
        print!(" {:>10}", who.name());
    }
    println!(" {:>10} {:>10}", "rayon/veda", "chili/veda");
}

fn print_row(row: &Row) {
    print!("{:<12}", row.workload);
    for median in row.medians {
        print!(" {:>10}", TimeCell(median));
    }
    println!(
        " {:>10} {:>10}",
        RatioCell(row.rayon_over_veda),
        RatioCell(row.chili_over_veda)
    );
}

/// Reads a positive count from environment variable `name`, or returns `default`.
fn env_count(name: &str, default: NonZeroUsize) -> NonZeroUsize {
    match env::var(name) {
        Ok(text) => text
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("{name} must be a positive integer, not {text:?}")),
        Err(_) => default,
    }
}

fn main() {
    let filters: Vec<String> = env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let selected = |workload: &str| {
        filters.is_empty() || filters.iter().any(|f| workload.contains(f.as_str()))
    };
    let rounds = env_count(
        "VEDA_BENCH_ROUNDS",
        NonZeroUsize::new(DEFAULT_ROUNDS).expect("non-zero"),
    )
    .get();
    let cores = thread::available_parallelism().unwrap_or(NonZeroUsize::MIN);
    let threads = env_count("VEDA_BENCH_THREADS", cores);
    let pools = Pools::new(threads);

    println!(
        "fork_join: {threads} threads per pool, {rounds} rounds, contenders rotated each round; \
         ratios are medians of per-round rayon/veda and chili/veda (> 1.0: veda faster)"
    );
    print_header();

    if selected("tree sum") {
        let root = Node::build(0, TREE_NODES);
        let tree: &Node = &root;
        let nodes = TREE_NODES as u64;
        let pools = &pools;
        let contenders = [
            Contender::new(Who::Veda, move || {
                pools.veda.install(|| on_veda::tree_sum(black_box(tree)))
            }),
            Contender::new(Who::Rayon, move || {
                pools.rayon.install(|| on_rayon::tree_sum(black_box(tree)))
            }),
            Contender::new(Who::Chili, move || {
                tree_sum_chili(black_box(tree), &mut pools.chili.scope())
            }),
            Contender::new(Who::Seq, move || tree_sum_seq(black_box(tree))),
        ];
        print_row(&measure(
            "tree sum",
            nodes * (nodes - 1) / 2,
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
            Contender::new(Who::Rayon, move || {
                pools.rayon.install(|| on_rayon::fib(black_box(FIB_N)))
            }),
            Contender::new(Who::Chili, move || {
                fib_chili(black_box(FIB_N), &mut pools.chili.scope())
            }),
            Contender::new(Who::Seq, || fib_seq(black_box(FIB_N))),
        ];
        print_row(&measure("fib", fib_seq(FIB_N), &contenders, rounds));
    }

    // chili has no scope/spawn API.
    if selected("scope spawn") {
        let pools = &pools;
        let contenders = [
            Contender::new(Who::Veda, move || {
                pools
                    .veda
                    .install(|| on_veda::scope_spawns(black_box(SPAWNS)))
            }),
            Contender::new(Who::Rayon, move || {
                pools
                    .rayon
                    .install(|| on_rayon::scope_spawns(black_box(SPAWNS)))
            }),
            Contender::new(Who::Seq, || adds_seq(black_box(SPAWNS))),
        ];
        print_row(&measure("scope spawn", SPAWNS, &contenders, rounds));
    }

    // One `install(|| 1)` from the main thread per iteration. chili cannot hand a closure to
    // its workers from outside (its scopes run on the calling thread), and there is no
    // sequential counterpart of a round trip, so only veda and rayon take part.
    if selected("install") {
        let pools = &pools;
        let contenders = [
            Contender::new(Who::Veda, move || pools.veda.install(|| black_box(1))),
            Contender::new(Who::Rayon, move || pools.rayon.install(|| black_box(1))),
        ];
        print_row(&measure("install", 1, &contenders, rounds));
    }
}
