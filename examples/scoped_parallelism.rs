//! Scoped parallelism: tasks that borrow local data, spawned into a `veda::scope`, plus a
//! broadcast to every worker.
//!
//! Run it with `cargo run --release --example scoped_parallelism`.

use std::sync::atomic::{AtomicUsize, Ordering};

fn main() {
    let words = [
        "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta",
    ];
    let mut lengths = vec![0usize; words.len()];
    let total_chars = AtomicUsize::new(0);

    // Each task borrows one element of `lengths` mutably and `total_chars` shared; the scope
    // returns only when every task has finished, so the borrows are sound.
    veda::scope(|s| {
        for (word, length) in words.iter().zip(lengths.iter_mut()) {
            let total_chars = &total_chars;
            s.spawn(move |_| {
                *length = word.len();
                total_chars.fetch_add(word.len(), Ordering::Relaxed);
            });
        }
    });

    for (word, length) in words.iter().zip(&lengths) {
        println!("{word:>8}: {length}");
    }
    println!("total characters: {}", total_chars.into_inner());

    let pool = veda::ThreadPoolBuilder::new()
        .num_threads(4)
        .thread_name(|index| format!("example-worker-{index}"))
        .build()
        .expect("a 4-thread pool");
    let names = pool.broadcast(|ctx| {
        format!(
            "worker {} of {} is {}",
            ctx.index(),
            ctx.num_threads(),
            std::thread::current().name().unwrap_or("unnamed")
        )
    });
    for line in names {
        println!("{line}");
    }
}
