//! A variable-cost workload: the length of the Collatz sequence of every number below a
//! bound. Some numbers take a handful of steps, others hundreds, and which is which cannot be
//! known in advance, so an even split of the range would leave threads idle. veda's splitter
//! reacts to stealing instead: a piece that another thread steals is split further, so the
//! work spreads to wherever threads run out.
//!
//! Run it with `cargo run --release --example adaptive_workload`.

use std::time::Instant;
use veda::prelude::*;

/// The number of steps the Collatz sequence of `n` takes to reach 1.
fn collatz_steps(mut n: u64) -> u32 {
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

fn main() {
    const BOUND: u32 = 3_000_000;

    let start = Instant::now();
    let sequential: u64 = (1..BOUND).map(|n| u64::from(collatz_steps(n.into()))).sum();
    let sequential_time = start.elapsed();

    let start = Instant::now();
    let parallel: u64 = (1..BOUND)
        .into_par_iter()
        .map(|n| u64::from(collatz_steps(n.into())))
        .sum();
    let parallel_time = start.elapsed();

    let start = Instant::now();
    let longest = (1..BOUND)
        .into_par_iter()
        .map(|n| (collatz_steps(n.into()), n))
        .max()
        .expect("the range is not empty");
    let longest_time = start.elapsed();

    assert_eq!(sequential, parallel);
    println!("threads:                   {}", veda::current_num_threads());
    println!("total Collatz steps below {BOUND}: {parallel}");
    println!("sequential sum:            {sequential_time:?}");
    println!("parallel sum:              {parallel_time:?}");
    println!(
        "longest sequence:          {} steps, starting at {} ({longest_time:?})",
        longest.0, longest.1
    );
    println!(
        "speed-up of the sum:       {:.2}x",
        sequential_time.as_secs_f64() / parallel_time.as_secs_f64()
    );
}
