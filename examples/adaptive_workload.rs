//! The adaptive scheduling policy next to plain work stealing, on workloads whose cost is
//! hard to split evenly in advance.
//!
//! Two pools of the same size differ only in their `SchedulingPolicy`: `Adaptive` (veda's
//! default: work is exposed to other threads when some thread is idle, and parallel
//! iterators split by demand) and `WorkStealing` (rayon's scheme: every `join` publishes its
//! second half, and iterators split into a number of pieces fixed by the thread count). Each
//! workload runs several times on each pool, alternating, and the table shows the median time
//! of each and the speed-up of the adaptive policy (work-stealing time / adaptive time, above
//! 1.0 when adaptive is faster). Both pools must compute the same value as a sequential loop.
//!
//! The workloads:
//! - variable: the total length of the Collatz sequences of the numbers below 300 000, whose
//!   cost per number varies from one step to hundreds;
//! - skewed: 100 000 items of which every 100th of the first tenth costs 1 000 times as much
//!   as the others, so half the work sits in 100 items at the start;
//! - small inputs: the sum of squares of a 1 000-element slice, asked of the pool 2 000 times
//!   in a row from the main thread.
//!
//! Run it with `cargo run --release --example adaptive_workload`.

use std::time::{Duration, Instant};
use veda::prelude::*;
use veda::{SchedulingPolicy, ThreadPool, ThreadPoolBuilder};

/// Timed runs per workload and pool.
const RUNS: usize = 7;
/// The variable workload covers the numbers `1..COLLATZ_BOUND`.
const COLLATZ_BOUND: u64 = 300_000;
/// Items of the skewed workload; every `HEAVY_EVERY`th item of its first tenth is heavy.
const SKEWED_ITEMS: u64 = 100_000;
const HEAVY_EVERY: u64 = 100;
/// Work units of a light and of a heavy item of the skewed workload.
const LIGHT_COST: u32 = 32;
const HEAVY_COST: u32 = 1_000 * LIGHT_COST;
/// Length of the small input, and how many times it is summed.
const SMALL_LEN: u64 = 1_000;
const SMALL_CALLS: usize = 2_000;

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

/// `cost` units of integer mixing of `x`; returns a 24-bit value, so sums cannot overflow.
fn mix(mut x: u64, cost: u32) -> u64 {
    for _ in 0..cost {
        x ^= x >> 29;
        x = x.wrapping_mul(0xBF58_476D_1CE4_E5B9);
    }
    x >> 40
}

/// Item `i` of the skewed workload.
fn skewed_item(i: u64) -> u64 {
    let heavy = i < SKEWED_ITEMS / 10 && i.is_multiple_of(HEAVY_EVERY);
    mix(i, if heavy { HEAVY_COST } else { LIGHT_COST })
}

/// A workload: its name, its parallel version on a given pool, and its sequential version.
struct Workload {
    name: &'static str,
    parallel: fn(&ThreadPool, &[u64]) -> u64,
    sequential: fn(&[u64]) -> u64,
}

const WORKLOADS: [Workload; 3] = [
    Workload {
        name: "variable (Collatz)",
        parallel: |pool, _| {
            pool.install(|| (1..COLLATZ_BOUND).into_par_iter().map(collatz_steps).sum())
        },
        sequential: |_| (1..COLLATZ_BOUND).map(collatz_steps).sum(),
    },
    Workload {
        name: "skewed",
        parallel: |pool, _| {
            pool.install(|| (0..SKEWED_ITEMS).into_par_iter().map(skewed_item).sum())
        },
        sequential: |_| (0..SKEWED_ITEMS).map(skewed_item).sum(),
    },
    Workload {
        name: "small inputs",
        parallel: |pool, small| {
            (0..SMALL_CALLS)
                .map(|_| pool.install(|| small.par_iter().map(|&x| x * x).sum::<u64>()))
                .sum()
        },
        sequential: |small| {
            (0..SMALL_CALLS)
                .map(|_| small.iter().map(|&x| x * x).sum::<u64>())
                .sum()
        },
    },
];

/// Median of a non-empty sample.
fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

/// A readable duration.
fn show(time: Duration) -> String {
    format!("{:.2} ms", time.as_secs_f64() * 1e3)
}

fn main() {
    let pool = |policy| {
        ThreadPoolBuilder::new()
            .scheduling_policy(policy)
            .build()
            .expect("building a pool")
    };
    let adaptive = pool(SchedulingPolicy::Adaptive);
    let work_stealing = pool(SchedulingPolicy::WorkStealing);
    let pools = [&adaptive, &work_stealing];
    let small: Vec<u64> = (0..SMALL_LEN).collect();

    println!(
        "{} threads in each pool; median of {RUNS} runs per pool, the pools taking turns\n",
        adaptive.current_num_threads()
    );
    println!(
        "{:<20} {:>14} {:>10} {:>14} {:>9}",
        "workload", "result", "adaptive", "work-stealing", "speed-up"
    );
    for workload in &WORKLOADS {
        let expected = (workload.sequential)(&small);
        let mut times = [Vec::new(), Vec::new()];
        for run in 0..RUNS {
            // Alternate which pool goes first.
            for which in [run % 2, 1 - run % 2] {
                let pool = pools[which];
                let start = Instant::now();
                let result = (workload.parallel)(pool, &small);
                times[which].push(start.elapsed());
                assert_eq!(
                    result,
                    expected,
                    "{}: the {} pool computed a wrong result",
                    workload.name,
                    pool.scheduling_policy()
                );
            }
        }
        let [adaptive_time, work_stealing_time] = times.map(median);
        println!(
            "{:<20} {:>14} {:>10} {:>14} {:>8.2}x",
            workload.name,
            expected,
            show(adaptive_time),
            show(work_stealing_time),
            work_stealing_time.as_secs_f64() / adaptive_time.as_secs_f64()
        );
    }
    println!("\nspeed-up: work-stealing time / adaptive time (above 1.00: adaptive faster)");
}
