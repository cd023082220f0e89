//! Device discovery and the real backend. Without a CUDA driver these check that every
//! entry point gives the typed reason and that the router keeps everything on the CPU;
//! with one, they check what the driver reports.
#![cfg(feature = "gpu")]

use veda::gpu::{
    devices, health_check, pool_stats, Backend, CudaBackend, FailureKind, Placement, Policy,
    Reason, Router, RouterConfig, WorkItem,
};

#[test]
fn discovery_gives_devices_or_a_typed_reason() {
    match devices() {
        Ok(devices) => {
            assert!(!devices.is_empty());
            for (index, device) in devices.iter().enumerate() {
                assert_eq!(device.ordinal, index);
                assert!(!device.name.is_empty());
                assert!(device.total_memory > 0);
                assert!(device.compute_capability.0 >= 3, "{device:?}");
                assert!(device.multiprocessors > 0);
                let health = health_check(device.ordinal).unwrap();
                assert!(health.free_memory <= health.total_memory);
                let stats = pool_stats(device.ordinal).unwrap();
                assert!(stats.cap > 0 && stats.cap <= device.total_memory);
            }
        }
        Err(reason) => {
            println!("no GPU, discovery says: {reason}");
            assert_eq!(reason.kind(), FailureKind::Unavailable, "{reason:?}");
        }
    }
}

#[test]
fn the_real_backend_routes_to_the_cpu_when_no_gpu_is_usable() {
    let backend = CudaBackend::new();
    let Err(reason) = backend.gpu_status() else {
        println!("skipped: a GPU is present (tests/gpu_kernels.rs routes to it)");
        return;
    };
    println!("no GPU: {reason}");
    let router = Router::new(backend, RouterConfig::default()).unwrap();
    let item = WorkItem::new(
        "triple",
        100_000,
        |range, out: &mut [u64]| {
            out.iter_mut()
                .zip(range)
                .for_each(|(o, i)| *o = 3 * i as u64)
        },
        |_, _: &mut [u64]| panic!("the GPU side must not run without a GPU"),
    );
    for policy in [Policy::Auto, Policy::GpuOnly, Policy::Split] {
        let mut out = vec![0; 100_000];
        let report = router.run_with_policy(&item, &mut out, policy).unwrap();
        assert_eq!(report.ran_on, Placement::Cpu);
        assert_eq!(report.decision.reason, Reason::GpuUnavailable);
        assert!(out.iter().enumerate().all(|(i, &v)| v == 3 * i as u64));
    }
}
