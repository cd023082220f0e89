//! The `metrics` facade bridge, checked through a real recorder (metrics-util's
//! `DebuggingRecorder`): counters arrive as increments and add up to veda's own counts,
//! histograms get exactly the sampled values, gauges the snapshot's values.
#![cfg(feature = "telemetry-metrics")]

mod common;

use metrics_util::debugging::{DebugValue, DebuggingRecorder, Snapshotter};
use std::collections::HashMap;
use std::time::{Duration, Instant};
use veda::fault::Task;
use veda::telemetry::export::{MetricsExporter, MetricsFacadeBridge};
use veda::telemetry::metrics::Snapshot;
use veda::{OnDeadlineMiss, ThreadPool};

/// What the recorder holds: (name, sorted labels) -> value.
type Readings = HashMap<(String, Vec<(String, String)>), DebugValue>;

fn read(snapshotter: &Snapshotter) -> Readings {
    snapshotter
        .snapshot()
        .into_vec()
        .into_iter()
        .map(|(key, _, _, value)| {
            let mut labels: Vec<(String, String)> = key
                .key()
                .labels()
                .map(|label| (label.key().to_owned(), label.value().to_owned()))
                .collect();
            labels.sort();
            ((key.key().name().to_owned(), labels), value)
        })
        .collect()
}

/// The value of metric `name` with exactly `labels`.
fn value<'a>(readings: &'a Readings, name: &str, labels: &[(&str, &str)]) -> &'a DebugValue {
    let mut labels: Vec<(String, String)> = labels
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    labels.sort();
    readings
        .get(&(name.to_owned(), labels.clone()))
        .unwrap_or_else(|| panic!("no {name} {labels:?} among {:?}", readings.keys()))
}

fn counter(readings: &Readings, name: &str, labels: &[(&str, &str)]) -> u64 {
    match value(readings, name, labels) {
        DebugValue::Counter(count) => *count,
        other => panic!("{name} is not a counter: {other:?}"),
    }
}

fn gauge(readings: &Readings, name: &str, labels: &[(&str, &str)]) -> f64 {
    match value(readings, name, labels) {
        DebugValue::Gauge(value) => value.into_inner(),
        other => panic!("{name} is not a gauge: {other:?}"),
    }
}

fn histogram_len(readings: &Readings, name: &str, labels: &[(&str, &str)]) -> usize {
    match value(readings, name, labels) {
        DebugValue::Histogram(values) => values.len(),
        other => panic!("{name} is not a histogram: {other:?}"),
    }
}

/// Spawns `count` empty jobs in a scope of `pool`.
fn spawns(pool: &ThreadPool, count: usize) {
    pool.scope(|s| (0..count).for_each(|_| s.spawn(|_| {})));
}

/// One task that misses its deadline and runs late, and one dropped for its deadline.
fn missed_deadlines(pool: &ThreadPool) {
    let past = Instant::now() - Duration::from_millis(1);
    let late = Task::new().deadline(past).spawn_in(pool, |_| ());
    assert!(late.join().is_ok());
    let dropped = Task::new()
        .deadline(past)
        .on_deadline_miss(OnDeadlineMiss::Drop)
        .spawn_in(pool, |_| ());
    assert!(dropped.join().unwrap_err().is_deadline_missed());
}

/// Checks that the recorder received, per worker, `expected`'s counters (minus those of
/// `since`, when given).
fn check_worker_counters(readings: &Readings, expected: &Snapshot, since: Option<&Snapshot>) {
    for worker in &expected.workers {
        let index = worker.index.to_string();
        let labels = [("pool", expected.pool.as_str()), ("worker", index.as_str())];
        let before = since.map_or(0, |s| {
            s.workers
                .iter()
                .find(|w| w.index == worker.index)
                .map_or(0, |w| w.counters.tasks)
        });
        assert_eq!(
            counter(readings, "veda_tasks_total", &labels),
            worker.counters.tasks - before,
            "worker {index}"
        );
        let steals_before = since.map_or(0, |s| {
            s.workers
                .iter()
                .find(|w| w.index == worker.index)
                .map_or(0, |w| w.counters.steals)
        });
        assert_eq!(
            counter(readings, "veda_steals_total", &labels),
            worker.counters.steals - steals_before
        );
    }
}

#[test]
fn counters_arrive_as_increments_and_add_up_to_veda_s_counts() {
    let pool = common::pool(2);
    let metrics = pool.metrics();
    metrics.set_sample_every(1);
    let recorder = DebuggingRecorder::new();
    let snapshotter = recorder.snapshotter();
    let bridge = MetricsFacadeBridge::new();
    let publish = |snapshot: &Snapshot| {
        metrics::with_local_recorder(&recorder, || bridge.publish(snapshot));
    };

    spawns(&pool, 50);
    let first = metrics.snapshot();
    publish(&first);
    spawns(&pool, 30);
    missed_deadlines(&pool);
    let second = metrics.snapshot();
    publish(&second);

    // Two publishes, one reading: had totals been re-added, the counters would hold
    // `first` twice.
    let readings = read(&snapshotter);
    let pool_label = [("pool", second.pool.as_str())];
    check_worker_counters(&readings, &second, None);
    let tasks: u64 = second.workers.iter().map(|w| w.counters.tasks).sum();
    assert_eq!(tasks, second.totals.tasks);
    assert!(tasks >= 80 + 2, "two scopes' spawns and the deadline tasks");
    assert_eq!(
        histogram_len(&readings, "veda_job_run_seconds", &pool_label),
        usize::try_from(second.run_time.count()).unwrap()
    );
    assert_eq!(
        histogram_len(&readings, "veda_job_queue_wait_seconds", &pool_label),
        usize::try_from(second.queue_wait.count()).unwrap()
    );
    assert_eq!(
        counter(&readings, "veda_deadline_tasks_total", &pool_label),
        2
    );
    for action in ["ran_late", "dropped"] {
        let labels = [("pool", second.pool.as_str()), ("action", action)];
        assert_eq!(counter(&readings, "veda_deadline_misses_total", &labels), 1);
    }
    let faults = [("pool", second.pool.as_str()), ("kind", "panic")];
    assert_eq!(counter(&readings, "veda_faults_total", &faults), 0);
    assert_eq!(gauge(&readings, "veda_workers_alive", &pool_label), 2.0);
    let injector = [("pool", second.pool.as_str()), ("queue", "injector")];
    assert_eq!(gauge(&readings, "veda_queue_depth", &injector), 0.0);
    assert_eq!(
        gauge(&readings, "veda_uptime_seconds", &pool_label),
        second.uptime.as_secs_f64()
    );

    // The debugging recorder hands out what it received since its last reading: exactly
    // the third interval.
    spawns(&pool, 20);
    let third = metrics.snapshot();
    publish(&third);
    let readings = read(&snapshotter);
    check_worker_counters(&readings, &third, Some(&second));
    assert_eq!(
        histogram_len(&readings, "veda_job_run_seconds", &pool_label),
        usize::try_from(third.run_time.count() - second.run_time.count()).unwrap()
    );
    assert_eq!(
        counter(&readings, "veda_deadline_tasks_total", &pool_label),
        0
    );
}

#[test]
fn a_snapshot_of_a_new_pool_under_the_same_label_is_published_whole() {
    let pool = common::pool(1);
    let recorder = DebuggingRecorder::new();
    let snapshotter = recorder.snapshotter();
    let bridge = MetricsFacadeBridge::new();
    spawns(&pool, 10);
    let young = pool.metrics().snapshot();
    std::thread::sleep(Duration::from_millis(2));
    let old = pool.metrics().snapshot();
    metrics::with_local_recorder(&recorder, || {
        bridge.publish(&old);
        // Shorter uptime than the last one published: a new pool, counted from zero.
        bridge.publish(&young);
    });
    let readings = read(&snapshotter);
    let labels = [("pool", young.pool.as_str()), ("worker", "0")];
    assert_eq!(
        counter(&readings, "veda_tasks_total", &labels),
        old.workers[0].counters.tasks + young.workers[0].counters.tasks
    );
}

#[test]
fn named_tasks_and_the_exporter_trait() {
    let pool = common::pool(1);
    let recorder = DebuggingRecorder::new();
    let snapshotter = recorder.snapshotter();
    let bridge = MetricsFacadeBridge::new();
    for _ in 0..3 {
        Task::new()
            .name("resize")
            .spawn_in(&pool, |_| ())
            .join()
            .unwrap();
    }
    let snapshot = pool.metrics().snapshot();
    let written = metrics::with_local_recorder(&recorder, || bridge.render(&snapshot));
    assert!(written.is_empty(), "the bridge writes nothing");
    let readings = read(&snapshotter);
    let completed = [
        ("pool", snapshot.pool.as_str()),
        ("task", "resize"),
        ("outcome", "completed"),
    ];
    assert_eq!(
        counter(&readings, "veda_named_task_runs_total", &completed),
        3
    );
    let run_time = [("pool", snapshot.pool.as_str()), ("task", "resize")];
    assert_eq!(
        histogram_len(&readings, "veda_named_task_run_seconds", &run_time),
        3
    );
    assert!(format!("{bridge:?}").contains(&snapshot.pool));
}
