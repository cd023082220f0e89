//! Fault isolation: a batch with poisoned inputs, flaky work retried with backoff, and a
//! circuit breaker that opens on a failing backend and closes once it recovers — printed
//! as it happens.
//!
//! Run it with `cargo run --release --example fault_isolation`.

use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use veda::fault::{BreakerConfig, RetryPolicy, Task, TaskError};
use veda::prelude::*;

/// Parses a record; some records are poisoned and make the parser panic.
fn parse(record: u32) -> u64 {
    assert!(record % 997 != 13, "record {record} is corrupt");
    u64::from(record) * 3
}

fn main() {
    let start = Instant::now();
    let stamp = move || format!("[{:>6.1} ms]", start.elapsed().as_secs_f64() * 1e3);

    // 1. A batch where a few inputs are poisoned: every good result survives.
    println!(
        "{} 1. parsing 100 000 records, some of them corrupt",
        stamp()
    );
    let results: Vec<Result<u64, TaskError>> = (0..100_000u32)
        .into_par_iter()
        .map_isolated(parse)
        .collect();
    let good = results.iter().filter(|r| r.is_ok()).count();
    println!(
        "{}    {good} parsed, {} failed:",
        stamp(),
        results.len() - good
    );
    for (record, error) in results
        .iter()
        .enumerate()
        .filter_map(|(i, r)| r.as_ref().err().map(|e| (i, e)))
        .take(3)
    {
        println!("{}    record {record}: {error}", stamp());
    }

    // 2. Flaky work, retried with exponential backoff and jitter; the waits run on veda's
    // timer thread, not on a worker.
    println!("{} 2. three flaky downloads, retried", stamp());
    let policy = RetryPolicy::new(4)
        .initial_backoff(Duration::from_millis(20))
        .multiplier(2.0)
        .jitter(0.25);
    let downloads: Vec<_> = (1..=3u32)
        .map(|id| {
            Task::new()
                .name(format!("download-{id}"))
                .retry(policy)
                .try_spawn(move |ctx| {
                    let attempt = ctx.attempt();
                    // Resume from the bytes an earlier attempt got.
                    let mut bytes: u32 = ctx.checkpoint().unwrap_or(0);
                    bytes += 100;
                    ctx.save_checkpoint(bytes);
                    if attempt <= id {
                        println!(
                            "{} download-{id}: attempt {attempt} failed at {bytes} bytes",
                            stamp()
                        );
                        return Err(format!("connection reset at {bytes} bytes"));
                    }
                    println!("{} download-{id}: attempt {attempt} done", stamp());
                    Ok(bytes)
                })
        })
        .collect();
    for handle in downloads {
        let name = handle.name().unwrap_or_default().to_owned();
        match handle.join() {
            Ok(bytes) => println!("{}    {name}: {bytes} bytes", stamp()),
            Err(error) => println!("{}    {name}: {error}", stamp()),
        }
    }

    // 3. A circuit breaker: the backend is down for a while; after 3 failures the breaker
    // opens and calls fail fast (answered from a cache), then a probe finds the backend
    // back and the breaker closes.
    println!(
        "{} 3. calls to a backend that goes down and comes back",
        stamp()
    );
    veda::fault::configure_circuit(
        "backend",
        BreakerConfig::new(3, Duration::from_secs(10), Duration::from_millis(100)),
    )
    .expect("valid thresholds");
    veda::fault::set_circuit_observer(move |t| {
        println!("{}    breaker {:?}: {} -> {}", stamp(), t.key, t.from, t.to);
    });
    let backend_up = Arc::new(AtomicBool::new(false));
    let calls = Arc::new(AtomicU32::new(0));
    for request in 0..12 {
        if request == 9 {
            println!("{}    (the backend recovers)", stamp());
            backend_up.store(true, Ordering::SeqCst);
        }
        let (up, calls) = (Arc::clone(&backend_up), Arc::clone(&calls));
        let answer = Task::new()
            .circuit("backend")
            .fallback_value(String::from("cached answer"))
            .try_spawn(move |_| {
                calls.fetch_add(1, Ordering::SeqCst);
                if up.load(Ordering::SeqCst) {
                    Ok(format!("fresh answer {request}"))
                } else {
                    Err("backend unavailable")
                }
            })
            .join()
            .expect("the fallback answers when the backend cannot");
        println!("{}    request {request:>2}: {answer}", stamp());
        std::thread::sleep(Duration::from_millis(30));
    }
    veda::fault::clear_circuit_observer();
    println!(
        "{} the backend saw {} of 12 requests; the breaker is {}",
        stamp(),
        calls.load(Ordering::SeqCst),
        veda::fault::circuit_state("backend").expect("the key was used")
    );
}
