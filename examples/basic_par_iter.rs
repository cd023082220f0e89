//! The main example: Rayon-style parallel iterators on veda, each timed against the same
//! work done sequentially.
//!
//! Run it with `cargo run --release --example basic_par_iter`.

use std::time::{Duration, Instant};
use veda::prelude::*;

/// A little arithmetic per element, so that there is work to share.
fn mix(value: u64) -> u64 {
    (0..32).fold(value, |acc, i| acc.rotate_left(5) ^ i)
}

/// Runs `work` and returns its result with the time it took.
fn timed<R>(work: impl FnOnce() -> R) -> (R, Duration) {
    let start = Instant::now();
    let result = work();
    (result, start.elapsed())
}

fn report(name: &str, sequential: Duration, parallel: Duration) {
    println!(
        "{name:<14} sequential {sequential:>10.2?}   parallel {parallel:>10.2?}   ({:.2}x)",
        sequential.as_secs_f64() / parallel.as_secs_f64()
    );
}

fn main() {
    let values: Vec<u64> = (0..8_000_000).collect();
    println!("threads: {}", veda::current_num_threads());

    // sum
    let (seq_sum, seq_time) = timed(|| values.iter().map(|&v| mix(v)).sum::<u64>());
    let (par_sum, par_time) = timed(|| values.par_iter().map(|&v| mix(v)).sum::<u64>());
    assert_eq!(seq_sum, par_sum);
    println!("sum of mixed values: {par_sum}");
    report("map + sum", seq_time, par_time);

    // map + collect
    let (seq_vec, seq_time) = timed(|| values.iter().map(|&v| mix(v)).collect::<Vec<_>>());
    let (par_vec, par_time) = timed(|| values.par_iter().map(|&v| mix(v)).collect::<Vec<_>>());
    assert_eq!(seq_vec, par_vec);
    report("map + collect", seq_time, par_time);

    // filter + count
    let (seq_count, seq_time) =
        timed(|| values.iter().filter(|&&v| mix(v).is_multiple_of(3)).count());
    let (par_count, par_time) = timed(|| {
        values
            .par_iter()
            .filter(|&&v| mix(v).is_multiple_of(3))
            .count()
    });
    assert_eq!(seq_count, par_count);
    println!("values whose mix is divisible by 3: {par_count}");
    report("filter + count", seq_time, par_time);

    // sort
    let mut seq_sorted = par_vec.clone();
    let mut par_sorted = par_vec;
    let ((), seq_time) = timed(|| seq_sorted.sort_unstable());
    let ((), par_time) = timed(|| par_sorted.par_sort_unstable());
    assert_eq!(seq_sorted, par_sorted);
    report("sort_unstable", seq_time, par_time);
}
