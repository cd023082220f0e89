//! The main example: parallel divide-and-conquer with `veda::join`, timed against the same
//! work run sequentially.
//!
//! Run it with `cargo run --release --example basic_par_iter`.

use std::time::Instant;

/// Sums `values` by splitting the slice in halves and summing them in parallel.
fn parallel_sum(values: &[u64]) -> u64 {
    if values.len() <= 4096 {
        return values.iter().map(|&v| expensive(v)).sum();
    }
    let (left, right) = values.split_at(values.len() / 2);
    let (a, b) = veda::join(|| parallel_sum(left), || parallel_sum(right));
    a + b
}

/// A little arithmetic per element, so that there is work to share.
fn expensive(value: u64) -> u64 {
    (0..32).fold(value, |acc, i| acc.rotate_left(5) ^ i)
}

fn main() {
    let values: Vec<u64> = (0..8_000_000).collect();

    let start = Instant::now();
    let sequential: u64 = values.iter().map(|&v| expensive(v)).sum();
    let sequential_time = start.elapsed();

    let start = Instant::now();
    let parallel = parallel_sum(&values);
    let parallel_time = start.elapsed();

    assert_eq!(sequential, parallel);
    println!("threads:    {}", veda::current_num_threads());
    println!("sum:        {parallel}");
    println!("sequential: {sequential_time:?}");
    println!("parallel:   {parallel_time:?}");
    veda::shutdown();
}
