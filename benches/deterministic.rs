//! What deterministic mode costs: parallel-iterator workloads on an adaptive pool and on a
//! deterministic pool of the same size, side by side in one criterion run, with a
//! sequential baseline.
//!
//! Run it with `cargo bench --features deterministic --bench deterministic`. Each group
//! (`deterministic/<workload>`) has the functions `adaptive`, `deterministic` and
//! `sequential`; the ratio of a group's `deterministic` time to its `adaptive` time is the
//! cost of determinism for that workload. `VEDA_BENCH_THREADS` sets the pools' thread count
//! (default 2).

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use std::hint::black_box;
use std::time::Duration;
use veda::prelude::*;
use veda::{SchedulingPolicy, ThreadPool, ThreadPoolBuilder};

/// Items of the large inputs.
const LARGE: usize = 2_000_000;
/// Items of the small input.
const SMALL: usize = 1_000;

fn threads() -> usize {
    std::env::var("VEDA_BENCH_THREADS")
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(2)
}

fn pool(policy: SchedulingPolicy) -> ThreadPool {
    ThreadPoolBuilder::new()
        .num_threads(threads())
        .scheduling_policy(policy)
        .build()
        .expect("building the bench pool")
}

fn values(len: usize) -> Vec<f64> {
    (0..len).map(|i| (i as f64).sqrt().fract() - 0.5).collect()
}

fn sum(values: &[f64]) -> f64 {
    values.par_iter().sum()
}

fn map_collect(values: &[f64]) -> Vec<f64> {
    values.par_iter().map(|x| x * 1.5 + 2.0).collect()
}

fn fold_reduce(values: &[f64]) -> f64 {
    values
        .par_iter()
        .fold(|| 0.0, |acc, x| acc + x * x)
        .reduce(|| 0.0, |a, b| a + b)
}

/// The index of the first value above `threshold`: a search, which the deterministic policy
/// cuts on demand rather than along its fixed tree.
fn position_above(values: &[f64], threshold: f64) -> Option<usize> {
    values.par_iter().position_first(|&x| x > threshold)
}

fn bench(c: &mut Criterion) {
    let adaptive = pool(SchedulingPolicy::Adaptive);
    let deterministic = pool(SchedulingPolicy::Deterministic { seed: 0 });
    let large = values(LARGE);
    let small = values(SMALL);

    let mut group = c.benchmark_group("deterministic/sum_f64");
    for (name, pool) in [("adaptive", &adaptive), ("deterministic", &deterministic)] {
        group.bench_function(BenchmarkId::from_parameter(name), |b| {
            b.iter(|| pool.install(|| sum(black_box(&large))))
        });
    }
    group.bench_function("sequential", |b| {
        b.iter(|| black_box(&large).iter().sum::<f64>())
    });
    group.finish();

    let mut group = c.benchmark_group("deterministic/map_collect");
    for (name, pool) in [("adaptive", &adaptive), ("deterministic", &deterministic)] {
        group.bench_function(BenchmarkId::from_parameter(name), |b| {
            b.iter(|| pool.install(|| map_collect(black_box(&large))))
        });
    }
    group.bench_function("sequential", |b| {
        b.iter(|| {
            black_box(&large)
                .iter()
                .map(|x| x * 1.5 + 2.0)
                .collect::<Vec<f64>>()
        })
    });
    group.finish();

    let mut group = c.benchmark_group("deterministic/fold_reduce");
    for (name, pool) in [("adaptive", &adaptive), ("deterministic", &deterministic)] {
        group.bench_function(BenchmarkId::from_parameter(name), |b| {
            b.iter(|| pool.install(|| fold_reduce(black_box(&large))))
        });
    }
    group.bench_function("sequential", |b| {
        b.iter(|| black_box(&large).iter().map(|x| x * x).sum::<f64>())
    });
    group.finish();

    // The only value above 1.0 sits three quarters of the way in.
    let mut searched = large.clone();
    searched[LARGE / 4 * 3] = 2.0;
    let mut group = c.benchmark_group("deterministic/position_first");
    for (name, pool) in [("adaptive", &adaptive), ("deterministic", &deterministic)] {
        group.bench_function(BenchmarkId::from_parameter(name), |b| {
            b.iter(|| pool.install(|| position_above(black_box(&searched), 1.0)))
        });
    }
    group.bench_function("sequential", |b| {
        b.iter(|| black_box(&searched).iter().position(|&x| x > 1.0))
    });
    group.finish();

    let mut group = c.benchmark_group("deterministic/sum_f64_small");
    for (name, pool) in [("adaptive", &adaptive), ("deterministic", &deterministic)] {
        group.bench_function(BenchmarkId::from_parameter(name), |b| {
            b.iter(|| pool.install(|| sum(black_box(&small))))
        });
    }
    group.bench_function("sequential", |b| {
        b.iter(|| black_box(&small).iter().sum::<f64>())
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(30)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));
    targets = bench
}
criterion_main!(benches);
