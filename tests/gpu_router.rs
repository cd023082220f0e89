//! The CPU/GPU router against a simulated device (no GPU needed): where work goes and why,
//! split balance against the ideal finish time computed from the true costs, fallback on
//! GPU failures with every result present, the circuit, and calibration of the cost model.
#![cfg(feature = "gpu")]

use proptest::prelude::*;
use std::time::Duration;
use veda::fault::{BreakerConfig, CircuitState};
use veda::gpu::{
    GpuError, Placement, Policy, QueueLengths, Reason, Router, RouterConfig, SimCosts,
    SimulatedBackend, WorkItem,
};

/// The value every implementation computes for element `i`.
fn expected(i: usize) -> u32 {
    (i as u32).wrapping_mul(2_654_435_761).rotate_left(7)
}

fn fill(range: std::ops::Range<usize>, out: &mut [u32]) {
    assert_eq!(
        range.len(),
        out.len(),
        "a side got an output of the wrong length"
    );
    for (o, i) in out.iter_mut().zip(range) {
        *o = expected(i);
    }
}

/// An item whose two sides compute the same values (the simulated device runs the GPU
/// side on the host).
fn item(kernel: &str, len: usize, bytes_per_element: usize) -> WorkItem<'_, u32> {
    WorkItem::new(kernel, len, fill, |range, out: &mut [u32]| {
        fill(range, out);
        Ok(())
    })
    .bytes_per_element(bytes_per_element)
}

/// Runs `len` elements and checks that every one of them is right.
fn run_checked(
    router: &Router<SimulatedBackend>,
    kernel: &str,
    len: usize,
    bytes: usize,
    policy: Policy,
) -> veda::gpu::RunReport {
    let mut out = vec![u32::MAX; len];
    let report = router
        .run_with_policy(&item(kernel, len, bytes), &mut out, policy)
        .unwrap();
    for (i, value) in out.iter().enumerate() {
        assert_eq!(
            *value,
            expected(i),
            "element {i} is missing or wrong ({report})"
        );
    }
    report
}

fn router(backend: SimulatedBackend) -> Router<SimulatedBackend> {
    Router::new(backend, RouterConfig::default()).unwrap()
}

/// Calibrates both sides of `kernel` with a few split runs.
fn warm_up(router: &Router<SimulatedBackend>, kernel: &str, len: usize, bytes: usize) {
    for _ in 0..3 {
        run_checked(router, kernel, len, bytes, Policy::Split);
    }
}

/// The ideal finish time of `len` elements split between both sides, from the true costs:
/// the smallest `max(cpu(len - g), gpu(g))` over every `g`.
fn ideal_split(costs: SimCosts, len: usize, bytes: usize) -> Duration {
    let finish = |g: usize| {
        let cpu = if g < len {
            costs.cpu_time(len - g)
        } else {
            Duration::ZERO
        };
        let gpu = if g > 0 {
            costs.gpu_time(g, g * bytes)
        } else {
            Duration::ZERO
        };
        (cpu, gpu)
    };
    // The CPU side shrinks and the GPU side grows with g: find where they cross.
    let (mut low, mut high) = (0, len);
    while low < high {
        let mid = (low + high) / 2;
        let (cpu, gpu) = finish(mid);
        if gpu >= cpu {
            high = mid;
        } else {
            low = mid + 1;
        }
    }
    let at = |g: usize| {
        let (cpu, gpu) = finish(g);
        cpu.max(gpu)
    };
    at(low).min(at(low.saturating_sub(1)))
}

#[test]
fn small_inputs_stay_on_the_cpu() {
    let router = router(SimulatedBackend::new(SimCosts::default()));
    warm_up(&router, "small", 1 << 20, 8);
    for len in [1, 10, 100, 1000, 3000] {
        let report = run_checked(&router, "small", len, 8, Policy::Auto);
        assert_eq!(report.ran_on, Placement::Cpu, "{len} elements: {report}");
        assert_eq!(
            report.decision.reason,
            Reason::SmallInput,
            "{len} elements: {report}"
        );
    }
}

#[test]
fn transfer_bound_work_stays_on_the_cpu() {
    // A cheap element-wise operation on 16 bytes per element: the link costs 27 times the
    // CPU's work, however fast the GPU computes.
    let backend = SimulatedBackend::new(SimCosts::default()).with_kernel("add", 0.05, 0.01);
    let costs = backend.costs_of("add");
    let router = router(backend);
    warm_up(&router, "add", 1_000_000, 16);
    for len in [100_000, 1_000_000, 4_000_000] {
        let report = run_checked(&router, "add", len, 16, Policy::Auto);
        assert_eq!(report.ran_on, Placement::Cpu, "{len} elements: {report}");
        assert_eq!(report.decision.reason, Reason::TransferBound, "{report}");
        assert!(costs.cpu_time(len) < costs.gpu_time(len, 16 * len));
    }
}

#[test]
fn large_compute_heavy_work_goes_to_the_gpu() {
    let backend = SimulatedBackend::new(SimCosts::default()).with_kernel("heavy", 50.0, 0.5);
    let router = router(backend);
    warm_up(&router, "heavy", 200_000, 8);
    for len in [200_000, 1_000_000] {
        let report = run_checked(&router, "heavy", len, 8, Policy::Auto);
        assert_eq!(report.ran_on, Placement::Gpu, "{len} elements: {report}");
        assert_eq!(report.decision.reason, Reason::GpuFaster, "{report}");
    }
}

#[test]
fn comparable_sides_split_and_finish_together() {
    let backend = SimulatedBackend::new(SimCosts::default()).with_kernel("even", 2.0, 1.0);
    let costs = backend.costs_of("even");
    let router = router(backend);
    warm_up(&router, "even", 500_000, 8);
    let len = 1_000_000;
    let report = run_checked(&router, "even", len, 8, Policy::Auto);
    assert!(
        matches!(report.ran_on, Placement::Split { .. }),
        "expected a split: {report}"
    );
    assert_eq!(report.decision.reason, Reason::Balanced);
    let ideal = ideal_split(costs, len, 8);
    let finish = report.finish_time();
    assert!(
        finish.as_secs_f64() <= 1.10 * ideal.as_secs_f64(),
        "finished at {finish:?}, ideal {ideal:?}"
    );
    let (cpu, gpu) = (report.cpu_time.unwrap(), report.gpu_time.unwrap());
    let gap = cpu.abs_diff(gpu).as_secs_f64() / ideal.as_secs_f64();
    assert!(gap <= 0.10, "sides finished {cpu:?} and {gpu:?} apart");
}

#[test]
fn a_busy_gpu_sends_work_it_would_win_to_the_cpu() {
    let backend = SimulatedBackend::new(SimCosts::default()).with_kernel("mid", 4.0, 0.5);
    let router = router(backend);
    warm_up(&router, "mid", 100_000, 8);
    let idle = run_checked(&router, "mid", 100_000, 8, Policy::Auto);
    assert_ne!(idle.ran_on, Placement::Cpu, "{idle}");
    router
        .backend()
        .set_queue_lengths(QueueLengths { cpu: 0, gpu: 64 });
    let busy = run_checked(&router, "mid", 100_000, 8, Policy::Auto);
    assert_eq!(busy.ran_on, Placement::Cpu, "{busy}");
    assert_eq!(busy.decision.reason, Reason::GpuBusy);
}

#[test]
fn policies_fix_the_placement() {
    let backend = SimulatedBackend::new(SimCosts::default()).with_kernel("heavy", 50.0, 0.5);
    let router = router(backend);
    let cpu = run_checked(&router, "heavy", 100_000, 8, Policy::CpuOnly);
    assert_eq!(
        (cpu.ran_on, cpu.decision.reason),
        (Placement::Cpu, Reason::Policy)
    );
    let gpu = run_checked(&router, "heavy", 10, 8, Policy::GpuOnly);
    assert_eq!(
        (gpu.ran_on, gpu.decision.reason),
        (Placement::Gpu, Reason::Policy)
    );
    let split = run_checked(&router, "heavy", 10, 8, Policy::Split);
    assert!(
        matches!(
            split.ran_on,
            Placement::Split {
                gpu: 1..=9,
                cpu: 1..=9
            }
        ),
        "{split}"
    );
    let one = run_checked(&router, "heavy", 1, 8, Policy::Split);
    assert_eq!(one.ran_on, Placement::Gpu);
    let empty = run_checked(&router, "heavy", 0, 8, Policy::GpuOnly);
    assert_eq!(
        (empty.ran_on, empty.decision.reason),
        (Placement::Cpu, Reason::Empty)
    );
}

#[test]
fn a_wrong_output_length_is_an_error() {
    let router = router(SimulatedBackend::new(SimCosts::default()));
    let mut out = vec![0u32; 9];
    let error = router.run(&item("k", 10, 4), &mut out).unwrap_err();
    assert!(matches!(error, GpuError::InvalidArgument { .. }), "{error}");
}

#[test]
fn without_a_gpu_everything_runs_on_the_cpu() {
    let backend = SimulatedBackend::new(SimCosts::default()).with_kernel("heavy", 50.0, 0.5);
    backend.set_unavailable(Some(GpuError::NoDriver));
    let router = router(backend);
    for policy in [Policy::Auto, Policy::GpuOnly, Policy::Split] {
        let report = run_checked(&router, "heavy", 100_000, 8, policy);
        assert_eq!(report.ran_on, Placement::Cpu);
        assert_eq!(report.decision.reason, Reason::GpuUnavailable);
    }
    assert_eq!(
        router.backend().gpu_runs() + router.backend().gpu_failures(),
        0
    );
}

fn oom() -> GpuError {
    GpuError::OutOfMemory {
        requested: 1 << 30,
        reason: "simulated".into(),
    }
}

#[test]
fn a_failed_gpu_run_is_recomputed_on_the_cpu() {
    let backend = SimulatedBackend::new(SimCosts::default()).with_kernel("heavy", 50.0, 0.5);
    let router = router(backend);
    for policy in [Policy::GpuOnly, Policy::Split, Policy::Auto] {
        router.backend().fail_next(oom());
        let report = run_checked(&router, "heavy", 50_000, 8, policy);
        assert_eq!(report.ran_on, Placement::Cpu, "{policy:?}: {report}");
        assert_eq!(report.fallback, Some(oom()));
        assert!(report.gpu_time.is_none());
    }
    // Three failures within the default window open the circuit: the GPU is left alone.
    assert_eq!(router.circuit_state(), CircuitState::Open);
    let report = run_checked(&router, "heavy", 50_000, 8, Policy::GpuOnly);
    assert_eq!(
        (report.ran_on, report.decision.reason),
        (Placement::Cpu, Reason::CircuitOpen)
    );

    let router = router_with_kernel("heavy", 50.0, 0.5);
    let launch = GpuError::LaunchFailed {
        kernel: "heavy".into(),
        reason: "simulated".into(),
    };
    router.backend().fail_next(launch.clone());
    let report = run_checked(&router, "heavy", 50_000, 8, Policy::GpuOnly);
    assert_eq!(report.fallback, Some(launch));
    assert_eq!(router.circuit_state(), CircuitState::Closed);
}

fn router_with_kernel(kernel: &str, cpu_ns: f64, gpu_ns: f64) -> Router<SimulatedBackend> {
    router(SimulatedBackend::new(SimCosts::default()).with_kernel(kernel, cpu_ns, gpu_ns))
}

#[test]
fn repeated_failures_open_the_circuit_until_a_probe_succeeds() {
    let backend = SimulatedBackend::new(SimCosts::default()).with_kernel("heavy", 50.0, 0.5);
    let breaker = BreakerConfig::new(2, Duration::from_secs(60), Duration::from_secs(1));
    let router = Router::new(backend, RouterConfig::default().circuit_breaker(breaker)).unwrap();
    let sim = router.backend();
    sim.fail_next(oom());
    sim.fail_next(oom());
    run_checked(&router, "heavy", 50_000, 8, Policy::GpuOnly);
    assert_eq!(router.circuit_state(), CircuitState::Closed);
    run_checked(&router, "heavy", 50_000, 8, Policy::GpuOnly);
    assert_eq!(router.circuit_state(), CircuitState::Open);
    let attempts = sim.gpu_runs() + sim.gpu_failures();
    let report = run_checked(&router, "heavy", 50_000, 8, Policy::GpuOnly);
    assert_eq!(report.decision.reason, Reason::CircuitOpen);
    assert_eq!(report.ran_on, Placement::Cpu);
    assert_eq!(
        sim.gpu_runs() + sim.gpu_failures(),
        attempts,
        "an open circuit tried the GPU"
    );
    sim.advance(Duration::from_secs(2));
    let probe = run_checked(&router, "heavy", 50_000, 8, Policy::GpuOnly);
    assert_eq!(probe.ran_on, Placement::Gpu, "{probe}");
    assert_eq!(router.circuit_state(), CircuitState::Closed);
}

#[test]
fn a_lost_device_stays_off() {
    let backend = SimulatedBackend::new(SimCosts::default()).with_kernel("heavy", 50.0, 0.5);
    let router = router(backend);
    let lost = GpuError::DeviceLost {
        reason: "fell off the bus".into(),
    };
    router.backend().lose_device(lost.clone());
    let first = run_checked(&router, "heavy", 50_000, 8, Policy::GpuOnly);
    assert_eq!(first.fallback, Some(lost));
    for policy in [Policy::Auto, Policy::GpuOnly, Policy::Split] {
        let later = run_checked(&router, "heavy", 50_000, 8, policy);
        assert_eq!(later.decision.reason, Reason::DeviceLost);
    }
    assert_eq!(router.backend().gpu_failures(), 1);
}

#[test]
fn an_unmeasured_side_is_explored_once() {
    // With its priors the router believes the GPU 10 times faster: a size where that
    // hardly matters gets one GPU run to measure it, then goes where it belongs.
    let router = router(SimulatedBackend::new(SimCosts::default()));
    let first = run_checked(&router, "fresh", 8_000, 4, Policy::Auto);
    assert_eq!(
        (first.ran_on, first.decision.reason),
        (Placement::Gpu, Reason::Exploring)
    );
    assert_eq!(router.estimates("fresh").gpu_samples, 1);
    let explore_off = Router::new(
        SimulatedBackend::new(SimCosts::default()),
        RouterConfig::default().explore(false),
    )
    .unwrap();
    let report = run_checked(&explore_off, "fresh", 8_000, 4, Policy::Auto);
    assert_ne!(report.decision.reason, Reason::Exploring);
}

#[test]
fn calibration_converges_to_the_true_costs() {
    let costs = SimCosts::default()
        .cpu_ns_per_element(3.0)
        .gpu_ns_per_element(0.2)
        .bandwidth(20e9)
        .launch_latency(Duration::from_micros(25));
    let backend = SimulatedBackend::new(costs).with_noise(0.10, 42);
    // Priors far from the truth: a GPU 1 000 times faster, a slow link, a slow launch.
    let config = RouterConfig::default()
        .smoothing(0.1)
        .prior_gpu_speedup(1000.0)
        .prior_bandwidth(1e9)
        .prior_launch_latency(Duration::from_millis(1));
    let router = Router::new(backend, config).unwrap();
    let mut len = 100_000;
    for _ in 0..200 {
        run_checked(&router, "k", len, 8, Policy::Split);
        len = 100_000 + (len * 7919) % 150_000;
    }
    let e = router.estimates("k");
    let close = |estimate: f64, truth: f64| (estimate / truth - 1.0).abs() < 0.05;
    assert!(close(e.cpu_ns_per_element, 3.0), "{e:?}");
    assert!(close(e.gpu_ns_per_element, 0.2), "{e:?}");
    assert!(close(e.bandwidth_bytes_per_s, 20e9), "{e:?}");
    assert!(close(e.launch_latency_ns, 25_000.0), "{e:?}");
    assert_eq!((e.cpu_samples, e.gpu_samples), (200, 200));
}

#[test]
fn invalid_router_settings_are_refused() {
    for config in [
        RouterConfig::default().smoothing(1.5),
        RouterConfig::default().prior_bandwidth(0.0),
        RouterConfig::default().prior_gpu_speedup(f64::NAN),
        RouterConfig::default().split_gain(2.0),
        RouterConfig::default().circuit_breaker(BreakerConfig::new(
            0,
            Duration::from_secs(1),
            Duration::from_secs(1),
        )),
    ] {
        let backend = SimulatedBackend::new(SimCosts::default());
        assert!(Router::new(backend, config).is_err());
    }
}

fn arbitrary_costs() -> impl Strategy<Value = SimCosts> {
    (0.5f64..50.0, 0.05f64..5.0, 4e9f64..64e9, 5u64..50).prop_map(|(cpu, gpu, bw, lat)| {
        SimCosts::default()
            .cpu_ns_per_element(cpu)
            .gpu_ns_per_element(gpu)
            .bandwidth(bw)
            .launch_latency(Duration::from_micros(lat))
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    /// Once calibrated, a split finishes within 10 % of the ideal split's finish time, and
    /// `Auto` within 10 % of the best of CPU alone, GPU alone and the ideal split.
    #[test]
    fn calibrated_placements_finish_near_the_ideal(
        costs in arbitrary_costs(),
        len in 100_000usize..400_000,
        bytes in 0usize..24,
    ) {
        let router = router(SimulatedBackend::new(costs));
        warm_up(&router, "k", len, bytes);
        let ideal = ideal_split(costs, len, bytes).as_secs_f64();
        let split = run_checked(&router, "k", len, bytes, Policy::Split);
        prop_assert!(split.finish_time().as_secs_f64() <= 1.10 * ideal, "{split:?}, ideal {ideal}");
        let best = ideal
            .min(costs.cpu_time(len).as_secs_f64())
            .min(costs.gpu_time(len, len * bytes).as_secs_f64());
        let auto = run_checked(&router, "k", len, bytes, Policy::Auto);
        prop_assert!(auto.finish_time().as_secs_f64() <= 1.10 * best, "{auto:?}, best {best}");
    }

    /// Whatever fails and whatever the policy, every element is computed exactly once
    /// correctly (checked by `run_checked`) and failures are reported.
    #[test]
    fn failures_never_lose_results(
        failures in proptest::collection::vec(any::<bool>(), 1..12),
        policy in prop_oneof![Just(Policy::Auto), Just(Policy::GpuOnly), Just(Policy::Split)],
    ) {
        let backend = SimulatedBackend::new(SimCosts::default()).with_kernel("heavy", 50.0, 0.5);
        let router = router(backend);
        for fail in failures {
            if fail {
                router.backend().fail_next(oom());
            }
            let report = run_checked(&router, "heavy", 20_000, 8, policy);
            if report.fallback.is_some() {
                prop_assert_eq!(report.ran_on, Placement::Cpu);
            }
        }
    }
}
