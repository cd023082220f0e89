//! Deterministic mode: the same f64 reduction under 1, 2 and 8 threads gives the same bits,
//! and a run's dispatch decisions can be recorded and replayed by seed.
//!
//! Run with `cargo run --release --features deterministic --example deterministic_debug`.

use veda::prelude::*;
use veda::{SchedulingPolicy, ThreadPoolBuilder};

/// Terms whose sum depends on the order of additions.
fn terms(len: usize) -> Vec<f64> {
    (0..len)
        .map(|i| {
            let sign = if i % 2 == 0 { 1.0 } else { -1.0 };
            sign * 10f64.powi((i % 13) as i32 - 6) / (1.0 + i as f64)
        })
        .collect()
}

fn sum_on(policy: SchedulingPolicy, threads: usize, values: &[f64]) -> f64 {
    let pool = ThreadPoolBuilder::new()
        .num_threads(threads)
        .scheduling_policy(policy)
        .build()
        .expect("a pool of a few threads starts");
    pool.install(|| values.par_iter().sum())
}

/// A small job tree: a scope whose jobs spawn jobs and sum a range in parallel.
fn workload() -> u64 {
    let total = std::sync::atomic::AtomicU64::new(0);
    veda::scope(|s| {
        for i in 0..3u64 {
            let total = &total;
            s.spawn(move |s| {
                s.spawn(move |_| {
                    total.fetch_add(i, std::sync::atomic::Ordering::Relaxed);
                });
                let part: u64 = (0..4u64).into_par_iter().map(|x| x * i).sum();
                total.fetch_add(part, std::sync::atomic::Ordering::Relaxed);
            });
        }
    });
    total.into_inner()
}

fn main() {
    let values = terms(5_000_000);

    println!("sum of {} f64 terms", values.len());
    for policy in [
        SchedulingPolicy::Deterministic { seed: 0 },
        SchedulingPolicy::Adaptive,
    ] {
        for threads in [1, 2, 8] {
            let sum = sum_on(policy, threads, &values);
            println!(
                "  {:<14} {threads} threads: {sum:.17e} (bits {:#018x})",
                policy.to_string(),
                sum.to_bits()
            );
        }
    }
    println!("  (adaptive sums may differ in their last bits from run to run and by thread count)");

    for (seed, threads) in [(1, 4), (1, 2), (2, 4)] {
        let pool = ThreadPoolBuilder::new()
            .num_threads(threads)
            .scheduling_policy(SchedulingPolicy::Deterministic { seed })
            .build()
            .expect("a pool of a few threads starts");
        let (total, trace) = pool
            .record_trace(workload)
            .expect("the pool is deterministic");
        println!("\ntrace, seed {seed}, {threads} threads (result {total}):\n{trace}");
    }
}
