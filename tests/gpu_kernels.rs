//! The built-in kernels, the queue, the pool and the router on a real GPU, checked against
//! the CPU. Each test prints why it is skipped and passes when no usable GPU is found.
#![cfg(feature = "gpu")]

use std::sync::Arc;
use veda::gpu::{
    compiler_available, devices, execute, execute_across, execute_blocking, pool_stats, saxpy,
    CudaBackend, GpuError, KernelFn, MapExpr, MapKernel, MatmulKernel, Placement, Policy,
    ReduceKernel, ReduceOp, Router, RouterConfig, SaxpyKernel, VectorAddKernel, WorkItem,
};

/// Whether a GPU is usable and kernels can be compiled; prints the reason to skip
/// otherwise.
fn gpu_present(test: &str) -> bool {
    match devices().and_then(|_| compiler_available()) {
        Ok(()) => true,
        Err(reason) => {
            println!("skipping {test}: {reason}");
            false
        }
    }
}

fn data(len: usize, seed: u32) -> Vec<f32> {
    (0..len)
        .map(|i| ((i as u32).wrapping_mul(seed) % 1000) as f32 / 100.0 - 5.0)
        .collect()
}

#[test]
fn vector_add_matches_the_cpu() {
    if !gpu_present("vector_add_matches_the_cpu") {
        return;
    }
    for len in [0, 1, 255, 256, 257, 1_000_003] {
        let (a, b) = (data(len, 7), data(len, 13));
        let sum = execute_blocking(VectorAddKernel::new(a.clone(), b.clone())).unwrap();
        let expected: Vec<f32> = a.iter().zip(&b).map(|(x, y)| x + y).collect();
        assert_eq!(sum, expected, "{len} elements");
    }
    let mismatched = execute_blocking(VectorAddKernel::new(vec![1.0f32; 3], vec![1.0; 4]));
    assert!(matches!(mismatched, Err(GpuError::InvalidArgument { .. })));
}

#[test]
fn saxpy_matches_the_cpu_including_the_pipelined_form() {
    if !gpu_present("saxpy_matches_the_cpu_including_the_pipelined_form") {
        return;
    }
    // The last size is above two chunks of 2^22: the pipelined path over several streams.
    for len in [1, 4096, (1 << 23) + 12_345] {
        let (x, y) = (data(len, 3), data(len, 11));
        let out = execute_blocking(SaxpyKernel::new(1.5f32, x.clone(), y.clone())).unwrap();
        for i in 0..len {
            let expected = 1.5f32.mul_add(x[i], y[i]);
            assert!(
                (out[i] - expected).abs() <= 1e-5 * expected.abs().max(1.0),
                "element {i}"
            );
        }
    }
    let f64_out = execute_blocking(SaxpyKernel::new(2.0f64, vec![1.0, 2.0], vec![0.5, 0.5]));
    assert_eq!(f64_out.unwrap(), [2.5, 4.5]);
}

#[test]
fn map_compiles_user_expressions_and_reports_bad_ones() {
    if !gpu_present("map_compiles_user_expressions_and_reports_bad_ones") {
        return;
    }
    let x = data(10_000, 17);
    // SAFETY (this and the next): the expressions read only `x`.
    let expr = unsafe { MapExpr::new("x * x - 2.0f * x") }.unwrap();
    let out = execute_blocking(MapKernel::new(expr.clone(), x.clone())).unwrap();
    for (o, v) in out.iter().zip(&x) {
        assert!((o - (v * v - 2.0 * v)).abs() <= 1e-4 * o.abs().max(1.0));
    }
    // A second job with the same expression uses the cached module.
    assert_eq!(execute_blocking(MapKernel::new(expr, x)).unwrap(), out);
    let broken = unsafe { MapExpr::new("x +* undefined_name") }.unwrap();
    let error = execute_blocking(MapKernel::new(broken, vec![1.0f32])).unwrap_err();
    assert!(matches!(error, GpuError::Compile { .. }), "{error}");
}

#[test]
fn reductions_match_the_cpu() {
    if !gpu_present("reductions_match_the_cpu") {
        return;
    }
    for len in [0, 1, 1000, 3_000_001] {
        let x: Vec<f64> = data(len, 29).into_iter().map(f64::from).collect();
        let sum = execute_blocking(ReduceKernel::new(ReduceOp::Sum, x.clone())).unwrap();
        let expected: f64 = x.iter().sum();
        assert!(
            (sum - expected).abs() <= 1e-9 * len.max(1) as f64,
            "{sum} vs {expected}"
        );
        let min = execute_blocking(ReduceKernel::new(ReduceOp::Min, x.clone())).unwrap();
        assert_eq!(min, x.iter().copied().fold(f64::INFINITY, f64::min));
        let max = execute_blocking(ReduceKernel::new(ReduceOp::Max, x.clone())).unwrap();
        assert_eq!(max, x.iter().copied().fold(f64::NEG_INFINITY, f64::max));
        let x32: Vec<f32> = x.iter().map(|&v| v as f32).collect();
        let max32 = execute_blocking(ReduceKernel::new(ReduceOp::Max, x32.clone())).unwrap();
        assert_eq!(max32, x32.iter().copied().fold(f32::NEG_INFINITY, f32::max));
    }
}

#[test]
fn matmul_matches_the_cpu() {
    if !gpu_present("matmul_matches_the_cpu") {
        return;
    }
    for (m, k, n) in [(1, 1, 1), (17, 33, 9), (128, 64, 96)] {
        let (a, b) = (data(m * k, 5), data(k * n, 19));
        let c = execute_blocking(MatmulKernel::new(a.clone(), b.clone(), (m, k, n))).unwrap();
        for i in 0..m {
            for j in 0..n {
                let expected: f32 = (0..k).map(|p| a[i * k + p] * b[p * n + j]).sum();
                let got = c[i * n + j];
                assert!(
                    (got - expected).abs() <= 1e-3 * expected.abs().max(1.0),
                    "({i}, {j})"
                );
            }
        }
    }
    let wrong = execute_blocking(MatmulKernel::new(vec![1.0f32; 5], vec![1.0; 4], (2, 2, 2)));
    assert!(matches!(wrong, Err(GpuError::InvalidArgument { .. })));
}

#[test]
fn many_small_jobs_complete_through_the_queue_and_reuse_the_pool() {
    if !gpu_present("many_small_jobs_complete_through_the_queue_and_reuse_the_pool") {
        return;
    }
    let futures: Vec<_> = (0..2000)
        .map(|i| {
            execute(KernelFn::new("small", move |launcher| {
                let x = launcher.upload(&[i as f32; 64])?;
                let mut y = launcher.zeros::<f32>(64)?;
                saxpy(launcher, 2.0, &x, &mut y)?;
                launcher.download(&y)
            }))
        })
        .collect();
    for (i, future) in futures.into_iter().enumerate() {
        assert_eq!(future.wait().unwrap(), vec![2.0 * i as f32; 64]);
    }
    let stats = pool_stats(0).unwrap();
    assert!(stats.hits > stats.misses, "{stats:?}");
    let panicking = execute_blocking(KernelFn::new("panics", |_| -> Result<(), GpuError> {
        panic!("a job that panics")
    }));
    assert!(matches!(panicking, Err(GpuError::LaunchFailed { .. })));
    let nested = execute_blocking(KernelFn::new("outer", |_| {
        execute_blocking(VectorAddKernel::new(vec![1.0f32], vec![1.0]))
    }));
    assert!(
        matches!(nested, Err(GpuError::InvalidArgument { .. })),
        "{nested:?}"
    );
    // The queue survived both.
    assert_eq!(
        execute_blocking(VectorAddKernel::new(vec![1.0f32], vec![1.0])).unwrap(),
        [2.0]
    );
}

#[test]
fn a_range_spread_over_every_device_comes_back_whole() {
    if !gpu_present("a_range_spread_over_every_device_comes_back_whole") {
        return;
    }
    let x = Arc::new(data(1_000_000, 23));
    let parts = execute_across(x.len(), {
        let x = x.clone();
        move |launcher, range| {
            let part = launcher.upload(&x[range])?;
            launcher.download(&part)
        }
    })
    .unwrap();
    let joined: Vec<f32> = parts.into_iter().flat_map(|(_, _, part)| part).collect();
    assert_eq!(&joined, &*x);
}

#[test]
fn the_router_on_a_real_gpu_computes_everything() {
    if !gpu_present("the_router_on_a_real_gpu_computes_everything") {
        return;
    }
    let router = Router::new(CudaBackend::new(), RouterConfig::default()).unwrap();
    let x = data(1 << 20, 31);
    let item = WorkItem::new(
        "double",
        x.len(),
        |range, out: &mut [f32]| out.iter_mut().zip(range).for_each(|(o, i)| *o = 2.0 * x[i]),
        |range, out: &mut [f32]| {
            // SAFETY: the expression reads only `x`.
            let expr = unsafe { MapExpr::new("2.0f * x") }?;
            let doubled = MapKernel::new(expr, x[range].to_vec());
            out.copy_from_slice(&execute_blocking(doubled)?);
            Ok(())
        },
    )
    .bytes_per_element(8);
    for policy in [
        Policy::GpuOnly,
        Policy::Split,
        Policy::Auto,
        Policy::CpuOnly,
    ] {
        let mut out = vec![0.0; x.len()];
        let report = router.run_with_policy(&item, &mut out, policy).unwrap();
        println!("{policy:?}: {report}");
        assert!(report.fallback.is_none(), "{report}");
        if policy == Policy::GpuOnly {
            assert_eq!(report.ran_on, Placement::Gpu);
        }
        assert!(out.iter().zip(&x).all(|(o, v)| *o == 2.0 * v));
    }
}
