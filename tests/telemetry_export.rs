//! Exporters: Prometheus text checked with a real parser, JSON with a real JSON parser,
//! and the console report.
#![cfg(feature = "telemetry")]

mod common;

use prometheus_parse::{Scrape, Value};
use std::time::Duration;
use veda::telemetry::export::{ConsoleExporter, JsonExporter, MetricsExporter, PrometheusExporter};
use veda::telemetry::metrics::Snapshot;

/// A snapshot of a 2-thread pool that ran 101 tasks, every one of them timed.
fn busy_snapshot() -> Snapshot {
    let pool = common::pool(2);
    pool.metrics().set_sample_every(1);
    pool.scope(|s| {
        for i in 0..100u64 {
            s.spawn(move |_| std::thread::sleep(Duration::from_micros(i * 10)));
        }
    });
    pool.metrics().snapshot()
}

fn parse(text: &str) -> Scrape {
    Scrape::parse(text.lines().map(|line| Ok(line.to_owned()))).expect("valid exposition text")
}

#[test]
fn prometheus_text_parses_and_carries_the_counters() {
    let snapshot = busy_snapshot();
    let text = PrometheusExporter::new().render(&snapshot);
    let scrape = parse(&text);
    for name in [
        "veda_tasks_total",
        "veda_steals_total",
        "veda_busy_seconds_total",
        "veda_workers_alive",
        "veda_queue_depth",
        "veda_job_queue_wait_seconds",
        "veda_job_run_seconds",
        "veda_faults_total",
    ] {
        assert!(scrape.docs.contains_key(name), "no HELP for {name}");
        assert!(
            text.contains(&format!("# TYPE {name} ")),
            "no TYPE for {name}"
        );
    }
    let tasks: Vec<_> = scrape
        .samples
        .iter()
        .filter(|s| s.metric == "veda_tasks_total")
        .collect();
    assert_eq!(tasks.len(), 2, "one sample per worker");
    let mut total = 0.0;
    for sample in &tasks {
        assert_eq!(sample.labels.get("pool"), Some(snapshot.pool.as_str()));
        let worker: usize = sample.labels.get("worker").unwrap().parse().unwrap();
        let Value::Counter(value) = sample.value else {
            panic!("{sample:?} is not a counter");
        };
        assert_eq!(value, snapshot.workers[worker].counters.tasks as f64);
        total += value;
    }
    assert_eq!(total, 101.0);

    let run = scrape
        .samples
        .iter()
        .find(|s| s.metric == "veda_job_run_seconds")
        .expect("the run-time histogram");
    let Value::Histogram(buckets) = &run.value else {
        panic!("{run:?} is not a histogram");
    };
    assert_eq!(buckets.len(), 23, "22 bounds and +Inf");
    assert!(buckets.windows(2).all(|b| b[0].less_than < b[1].less_than));
    assert!(
        buckets.windows(2).all(|b| b[0].count <= b[1].count),
        "cumulative"
    );
    assert_eq!(buckets.last().unwrap().less_than, f64::INFINITY);
    assert_eq!(buckets.last().unwrap().count, 101.0);
    let alive = scrape
        .samples
        .iter()
        .find(|s| s.metric == "veda_workers_alive")
        .unwrap();
    assert_eq!(alive.value, Value::Gauge(2.0));
}

#[test]
fn prometheus_label_values_are_escaped() {
    let mut snapshot = busy_snapshot();
    snapshot.pool = "a \"quoted\\\" pool\nname".to_owned();
    let scrape = parse(&PrometheusExporter::new().render(&snapshot));
    let sample = scrape
        .samples
        .iter()
        .find(|s| s.metric == "veda_workers_alive")
        .unwrap();
    assert!(sample.labels.get("pool").unwrap().contains("quoted"));
}

#[test]
fn json_parses_and_carries_the_snapshot() {
    let snapshot = busy_snapshot();
    let text = JsonExporter::new().render(&snapshot);
    let json: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
    assert_eq!(json["pool"], snapshot.pool.as_str());
    assert_eq!(json["totals"]["tasks"], 101);
    assert_eq!(json["workers"].as_array().unwrap().len(), 2);
    assert_eq!(json["gauges"]["workers_alive"], 2);
    assert_eq!(json["run_time"]["count"], 101);
    let p99 = json["run_time"]["p99_seconds"].as_f64().unwrap();
    assert!((p99 - snapshot.run_time.quantile(0.99).as_secs_f64()).abs() < 1e-12);
    let buckets = json["run_time"]["buckets"].as_array().unwrap();
    assert_eq!(buckets.len(), 22);
    assert_eq!(json["faults"]["panics"], 0);
    assert!(json["named_tasks"].as_array().unwrap().is_empty());
}

#[test]
fn json_strings_are_escaped() {
    let mut snapshot = busy_snapshot();
    snapshot.pool = "tab\there \"quote\" \\ \u{1}".to_owned();
    let json: serde_json::Value =
        serde_json::from_str(&JsonExporter::new().render(&snapshot)).unwrap();
    assert_eq!(json["pool"], snapshot.pool.as_str());
}

#[test]
fn the_console_report_has_a_row_per_worker_and_bars() {
    let snapshot = busy_snapshot();
    for pretty in [true, false] {
        let report = ConsoleExporter::new(pretty).render(&snapshot);
        assert!(report.contains(&snapshot.pool));
        assert!(report.lines().any(|l| l.trim_start().starts_with("total")));
        assert!(report.contains("run time histogram"));
        let bar = if pretty { '█' } else { '#' };
        let bars = report.lines().filter(|l| l.contains(bar)).count();
        assert!(bars >= 2, "{report}");
        assert_eq!(report.is_ascii(), !pretty, "{report}");
    }
}

/// A snapshot of a 1-thread pool whose tasks with a deadline: 2 started on time, 3 ran
/// late and 1 was dropped.
fn deadline_snapshot() -> Snapshot {
    use std::time::Instant;
    use veda::fault::Task;
    use veda::OnDeadlineMiss;

    let pool = common::pool(1);
    let past = Instant::now() - Duration::from_millis(1);
    let later = Instant::now() + Duration::from_secs(3_600);
    let mut handles = Vec::new();
    for _ in 0..2 {
        handles.push(Task::new().deadline(later).spawn_in(&pool, |_| ()));
    }
    for _ in 0..3 {
        handles.push(Task::new().deadline(past).spawn_in(&pool, |_| ()));
    }
    let dropped = Task::new()
        .deadline(past)
        .on_deadline_miss(OnDeadlineMiss::Drop);
    handles.push(dropped.spawn_in(&pool, |_| ()));
    let outcomes: Vec<_> = handles
        .into_iter()
        .map(|handle| handle.join().is_ok())
        .collect();
    assert_eq!(outcomes, [true, true, true, true, true, false]);
    pool.metrics().snapshot()
}

#[test]
fn deadline_misses_reach_every_exporter() {
    let snapshot = deadline_snapshot();
    let d = snapshot.deadlines;
    assert_eq!((d.on_time, d.ran_late, d.dropped), (2, 3, 1));
    assert_eq!((d.missed(), d.total()), (4, 6));

    let scrape = parse(&PrometheusExporter::new().render(&snapshot));
    let value = |metric: &str, label: Option<(&str, &str)>| {
        let sample = scrape
            .samples
            .iter()
            .find(|s| s.metric == metric && label.is_none_or(|(k, v)| s.labels.get(k) == Some(v)))
            .unwrap_or_else(|| panic!("no sample of {metric} {label:?}"));
        sample.value.clone()
    };
    assert_eq!(
        value("veda_deadline_tasks_total", None),
        Value::Counter(6.0)
    );
    assert_eq!(
        value("veda_deadline_misses_total", Some(("action", "ran_late"))),
        Value::Counter(3.0)
    );
    assert_eq!(
        value("veda_deadline_misses_total", Some(("action", "dropped"))),
        Value::Counter(1.0)
    );

    let json: serde_json::Value =
        serde_json::from_str(&JsonExporter::new().render(&snapshot)).unwrap();
    assert_eq!(json["deadlines"]["on_time"], 2);
    assert_eq!(json["deadlines"]["ran_late"], 3);
    assert_eq!(json["deadlines"]["dropped"], 1);

    let report = ConsoleExporter::new(false).render(&snapshot);
    assert!(
        report.contains("deadlines: 2 on time, 4 missed (3 ran late, 1 dropped)"),
        "{report}"
    );
    // Four misses in six: a critical finding, since work was dropped.
    assert!(
        report.contains("finding: [Critical] DeadlineMisses"),
        "{report}"
    );
}
