//! Telemetry: run a workload on a pool, print the console report, and write the same
//! snapshot as Prometheus text and as JSON.
//!
//! Run it with `cargo run --release --example telemetry_export`; pass a directory to write
//! the files there (default: `veda-telemetry` in the system's temporary directory).

use std::hint::black_box;
use std::path::PathBuf;
use std::time::Duration;
use veda::prelude::*;
use veda::telemetry::export::{ConsoleExporter, JsonExporter, MetricsExporter, PrometheusExporter};

/// Collatz steps of `n`: a cost per item that varies and cannot be predicted.
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

fn main() -> std::io::Result<()> {
    let pool = veda::ThreadPoolBuilder::new()
        .build()
        .expect("failed to build a thread pool");
    let metrics = pool.metrics();
    // Time one job in 4 instead of one in 64: this example runs few jobs.
    metrics.set_sample_every(4);
    let before = metrics.snapshot();

    // A parallel iterator, whose pieces go through the workers' deques.
    let steps: u64 = pool.install(|| (1..=200_000u64).into_par_iter().map(collatz_steps).sum());
    // Spawned tasks of uneven length, which go through queues and are timed.
    pool.scope(|s| {
        for i in 0..400u64 {
            s.spawn(move |_| {
                if i.is_multiple_of(50) {
                    std::thread::sleep(Duration::from_millis(2));
                }
                black_box((1..=(i % 20) * 200).map(collatz_steps).sum::<u64>());
            });
        }
    });
    println!("collatz steps of 1..=200 000: {steps}\n");

    let snapshot = metrics.snapshot().delta(&before);
    print!("{}", ConsoleExporter::new(true).render(&snapshot));

    let dir = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| std::env::temp_dir().join("veda-telemetry"));
    std::fs::create_dir_all(&dir)?;
    let prometheus = dir.join("metrics.prom");
    let json = dir.join("metrics.json");
    std::fs::write(&prometheus, PrometheusExporter::new().render(&snapshot))?;
    std::fs::write(&json, JsonExporter::new().render(&snapshot))?;
    println!("\nwrote {} and {}", prometheus.display(), json.display());
    Ok(())
}
