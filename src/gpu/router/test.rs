//! Unit tests of the cost model's arithmetic.

use super::backend::{GpuTiming, LinkCosts, QueueLengths};
use super::config::RouterConfig;
use super::cost::{CostModel, Shape};
use std::time::Duration;

fn model() -> CostModel {
    CostModel::new(
        &RouterConfig::default()
            .smoothing(0.5)
            .cpu_overhead(Duration::from_nanos(1000))
            .prior_cpu_ns_per_element(4.0)
            .prior_gpu_speedup(8.0)
            .prior_bandwidth(2e9)
            .prior_launch_latency(Duration::from_nanos(3000)),
    )
}

fn shape(elements: usize, bytes_per_element: usize) -> Shape {
    Shape {
        elements,
        bytes_per_element,
    }
}

#[test]
fn predictions_follow_the_formulas() {
    let model = model();
    let p = model.predict("k", shape(1000, 4), QueueLengths::default());
    // CPU: 1 000 ns + 1 000 × 4 ns. GPU: 3 000 ns + 1 000 × (4 B / 2 B/ns + 0.5 ns).
    assert_eq!(p.cpu, 5000.0);
    assert_eq!(p.gpu, 3000.0 + 1000.0 * 2.5);
    assert_eq!(p.transfer, 2000.0);
    assert_eq!(p.gpu_fixed, 3000.0);
    // Balanced: 1 000 + 4 (1 000 - g) = 3 000 + 2.5 g, so g = 2 000 / 6.5 ≈ 308.
    assert_eq!(p.split_gpu_elements, 308);
    let cpu_side = 1000.0 + 4.0 * 692.0;
    let gpu_side = 3000.0 + 2.5 * 308.0;
    assert_eq!(p.split_finish, f64::max(cpu_side, gpu_side));
}

#[test]
fn queues_count_at_the_mean_job_time_of_their_side() {
    let mut model = model();
    model.record_cpu("k", 1000, Duration::from_nanos(9000));
    let timing = GpuTiming {
        total: Duration::from_nanos(6000),
        transfer: Some(Duration::from_nanos(2000)),
        launch: Some(Duration::from_nanos(3000)),
    };
    model.record_gpu("k", 1000, 4000, timing);
    let queues = QueueLengths { cpu: 2, gpu: 3 };
    let p = model.predict("k", shape(10, 0), queues);
    assert_eq!(p.cpu_backlog, 2.0 * 9000.0);
    assert_eq!(p.gpu_backlog, 3.0 * 6000.0);
}

#[test]
fn the_first_sample_replaces_the_prior_and_later_ones_are_smoothed() {
    let mut model = model();
    model.record_cpu("k", 1000, Duration::from_nanos(11_000));
    assert_eq!(model.estimates("k").cpu_ns_per_element, 10.0);
    model.record_cpu("k", 1000, Duration::from_nanos(21_000));
    // Halfway (smoothing 0.5) from 10 to 20.
    assert_eq!(model.estimates("k").cpu_ns_per_element, 15.0);
    assert_eq!(model.estimates("k").cpu_samples, 2);
    // Another kernel still has the priors.
    assert_eq!(model.estimates("other").cpu_ns_per_element, 4.0);
    assert_eq!(model.estimates("other").gpu_ns_per_element, 0.5);
}

#[test]
fn gpu_samples_split_into_link_launch_and_compute() {
    let mut model = model();
    let timing = GpuTiming {
        total: Duration::from_nanos(10_000),
        transfer: Some(Duration::from_nanos(4000)),
        launch: Some(Duration::from_nanos(2000)),
    };
    model.record_gpu("k", 2000, 8000, timing);
    let e = model.estimates("k");
    assert_eq!(e.bandwidth_bytes_per_s, 2e9);
    assert_eq!(e.launch_latency_ns, 2000.0);
    assert_eq!(e.gpu_ns_per_element, 2.0);
    // Without a breakdown, transfer and launch come from the estimates: 10 000 - 4 000 -
    // 2 000 leaves 4 000 ns of compute again.
    let mut unbroken = model;
    let total_only = GpuTiming {
        total: Duration::from_nanos(10_000),
        transfer: None,
        launch: None,
    };
    unbroken.record_gpu("k", 2000, 8000, total_only);
    assert_eq!(unbroken.estimates("k").gpu_ns_per_element, 2.0);
}

#[test]
fn empty_runs_teach_nothing() {
    let mut model = model();
    model.record_cpu("k", 0, Duration::from_secs(1));
    model.record_gpu("k", 0, 0, GpuTiming::default());
    let e = model.estimates("k");
    assert_eq!((e.cpu_samples, e.gpu_samples), (0, 0));
}

#[test]
fn measured_link_costs_replace_the_priors() {
    let mut model = model();
    model.seed_link(LinkCosts::new(25e9, Duration::from_micros(40)));
    let e = model.estimates("k");
    assert_eq!(e.bandwidth_bytes_per_s, 25e9);
    assert_eq!(e.launch_latency_ns, 40_000.0);
    model.seed_link(LinkCosts::new(f64::NAN, Duration::from_micros(40)));
    assert_eq!(model.estimates("k").bandwidth_bytes_per_s, 25e9);
}
