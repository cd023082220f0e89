//! Latency-sensitive requests next to a background flood.
//!
//! A batch job queues 200 000 `Background` tasks; meanwhile "requests" arrive every
//! millisecond. Each request is an isolated task (`fault::Task`) at `Critical` with a deadline
//! of 2 ms and `OnDeadlineMiss::Drop` (a late answer is useless), and its start latency is
//! recorded. The
//! same flood and requests are then spawned as with Rayon, with plain `spawn` (every task at
//! `Normal`, no deadline), to show what priorities buy. Finally the pool's deadline-miss
//! counters are read.
//!
//! Run it with `cargo run --release --example custom_priorities`.

use std::hint::black_box;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc};
use std::thread;
use std::time::{Duration, Instant};
use veda::fault::{Task, TaskHandle};
use veda::{OnDeadlineMiss, Priority, ThreadPool};

const FLOOD: usize = 200_000;
const REQUESTS: usize = 200;
const REQUEST_INTERVAL: Duration = Duration::from_millis(1);
const REQUEST_DEADLINE: Duration = Duration::from_millis(2);

/// A few microseconds of work.
fn busy_work(seed: u64) -> u64 {
    let mut x = seed;
    for _ in 0..2_000 {
        x ^= x >> 29;
        x = x.wrapping_mul(0xBF58_476D_1CE4_E5B9);
    }
    x
}

/// Runs the flood and the requests, with levels and deadlines if `prioritized`, else with
/// plain spawns; prints the requests' start latencies.
fn run(pool: &ThreadPool, prioritized: bool) {
    let (flood_level, request_level) = if prioritized {
        (Priority::Background, Priority::Critical)
    } else {
        (Priority::Normal, Priority::Normal)
    };
    let flood_done = Arc::new(AtomicUsize::new(0));
    let start = Instant::now();
    for i in 0..FLOOD {
        let flood_done = Arc::clone(&flood_done);
        pool.spawn_with_priority(flood_level, move || {
            black_box(busy_work(i as u64));
            flood_done.fetch_add(1, Ordering::Relaxed);
        });
    }
    let (latency_tx, latency_rx) = mpsc::channel();
    let mut handles: Vec<TaskHandle<u64>> = Vec::with_capacity(REQUESTS);
    for request in 0..REQUESTS {
        let latency_tx = latency_tx.clone();
        let sent = Instant::now();
        let request = move || {
            latency_tx.send(sent.elapsed()).unwrap();
            black_box(busy_work(request as u64))
        };
        if prioritized {
            let task = Task::new()
                .priority(request_level)
                .deadline(sent + REQUEST_DEADLINE)
                .on_deadline_miss(OnDeadlineMiss::Drop);
            let mut request = Some(request);
            handles.push(task.spawn_in(pool, move |_| {
                (request.take().expect("no retries: one run"))()
            }));
        } else {
            pool.spawn(move || {
                request();
            });
        }
        thread::sleep(REQUEST_INTERVAL);
    }
    let dropped = handles
        .into_iter()
        .map(TaskHandle::join)
        .filter(|outcome| {
            outcome
                .as_ref()
                .is_err_and(|error| error.is_deadline_missed())
        })
        .count();
    drop(latency_tx);
    let mut latencies: Vec<Duration> = latency_rx.iter().collect();
    latencies.sort();
    while flood_done.load(Ordering::Relaxed) < FLOOD {
        thread::sleep(Duration::from_millis(1));
    }
    let pick = |p: f64| {
        latencies
            .get(((latencies.len().max(1) - 1) as f64 * p) as usize)
            .copied()
            .unwrap_or_default()
    };
    let how = if prioritized {
        format!(
            "flood Background, requests Critical with a deadline: {dropped} dropped past their \
             deadline,"
        )
    } else {
        String::from("plain spawns, everything Normal, no deadlines:")
    };
    println!(
        "{how} {} requests served; start latency p50 {:.1?}, p99 {:.1?}, max {:.1?}; flood \
         done in {:.1?}",
        latencies.len(),
        pick(0.5),
        pick(0.99),
        pick(1.0),
        start.elapsed(),
    );
}

fn main() {
    let pool = veda::ThreadPoolBuilder::new().build().unwrap();
    println!(
        "{} threads, {FLOOD} flood tasks, {REQUESTS} requests every {REQUEST_INTERVAL:?} with a \
         {REQUEST_DEADLINE:?} deadline",
        pool.current_num_threads()
    );
    run(&pool, true);
    run(&pool, false);
    let misses = pool.deadline_misses();
    println!(
        "deadline misses counted by the pool: {} dropped, {} run late",
        misses.dropped, misses.ran_late
    );
}
