//! GPU offload with the automatic CPU/GPU router.
//!
//! Runs batches of two kinds of work — saxpy (cheap per element, much data to move) and a
//! degree-16 polynomial (compute-heavy) — at sizes from a thousand to a few million
//! elements, and says where each batch ran and why. With a CUDA GPU the router learns the
//! costs as it goes; without one, everything runs on the CPU and the example says so.
//!
//! `cargo run --release --example gpu_offload --features gpu`

use veda::gpu::{
    execute_blocking, CudaBackend, GpuError, MapExpr, MapKernel, Router, RouterConfig, SaxpyKernel,
    WorkItem,
};
use veda::prelude::*;

/// Coefficients of the polynomial, highest degree first.
const COEFFICIENTS: [f32; 17] = [
    0.01, -0.02, 0.03, -0.04, 0.05, -0.06, 0.07, -0.08, 0.09, -0.1, 0.2, -0.3, 0.4, -0.5, 0.6,
    -0.7, 1.0,
];

fn polynomial(x: f32) -> f32 {
    COEFFICIENTS.iter().fold(0.0, |acc, c| acc * x + c)
}

/// The same polynomial as a CUDA C expression of `x` (Horner's scheme).
fn polynomial_expr() -> String {
    COEFFICIENTS.iter().fold(String::from("0.0f"), |acc, c| {
        format!("(({acc}) * x + {c:?}f)")
    })
}

fn saxpy_item<'a>(a: f32, x: &'a [f32], y: &'a [f32]) -> WorkItem<'a, f32> {
    WorkItem::new(
        "saxpy",
        x.len(),
        move |range, out: &mut [f32]| {
            let start = range.start;
            out.par_iter_mut()
                .enumerate()
                .for_each(|(j, o)| *o = a * x[start + j] + y[start + j]);
        },
        move |range, out: &mut [f32]| {
            let kernel = SaxpyKernel::new(a, x[range.clone()].to_vec(), y[range].to_vec());
            out.copy_from_slice(&execute_blocking(kernel)?);
            Ok(())
        },
    )
    // Two inputs in, one output back.
    .bytes_per_element(12)
}

fn polynomial_item<'a>(x: &'a [f32], expr: &'a MapExpr) -> WorkItem<'a, f32> {
    WorkItem::new(
        "polynomial",
        x.len(),
        move |range, out: &mut [f32]| {
            let start = range.start;
            out.par_iter_mut()
                .enumerate()
                .for_each(|(j, o)| *o = polynomial(x[start + j]));
        },
        move |range, out: &mut [f32]| {
            let kernel = MapKernel::new(expr.clone(), x[range].to_vec());
            out.copy_from_slice(&execute_blocking(kernel)?);
            Ok(())
        },
    )
    .bytes_per_element(8)
}

fn main() -> Result<(), GpuError> {
    match veda::gpu::devices() {
        Ok(devices) => {
            for device in &devices {
                println!(
                    "GPU {}: {} ({} SMs, compute capability {}.{}, {:.1} GiB)",
                    device.ordinal,
                    device.name,
                    device.multiprocessors,
                    device.compute_capability.0,
                    device.compute_capability.1,
                    device.total_memory as f64 / (1u64 << 30) as f64
                );
            }
        }
        Err(reason) => println!("No GPU here, so every batch runs on the CPU.\n  Why: {reason}"),
    }

    let router = Router::new(CudaBackend::new(), RouterConfig::default())?;
    // SAFETY: the polynomial reads only `x` and constants.
    let expr = unsafe { MapExpr::new(polynomial_expr()) }?;
    let largest = 1 << 22;
    let x: Vec<f32> = (0..largest).map(|i| (i % 1000) as f32 / 1000.0).collect();
    let y: Vec<f32> = (0..largest).map(|i| (i % 7) as f32).collect();

    for round in 0..3 {
        println!("\nround {round}");
        for len in [1 << 10, 1 << 14, 1 << 18, 1 << 22] {
            let mut out = vec![0.0f32; len];
            let item = saxpy_item(2.0, &x[..len], &y[..len]);
            let report = router.run(&item, &mut out)?;
            assert!(out.iter().enumerate().all(|(i, &v)| v == 2.0 * x[i] + y[i]));
            println!("  saxpy      {len:>8} elements: {report}");

            let item = polynomial_item(&x[..len], &expr);
            let report = router.run(&item, &mut out)?;
            let close = out.iter().enumerate().all(|(i, &v)| {
                (v - polynomial(x[i])).abs() <= 1e-3 * polynomial(x[i]).abs().max(1.0)
            });
            assert!(close, "the polynomial's results differ between the sides");
            println!("  polynomial {len:>8} elements: {report}");
        }
    }
    for kernel in ["saxpy", "polynomial"] {
        let e = router.estimates(kernel);
        println!(
            "\n{kernel}: CPU {:.3} ns/element ({} runs), GPU {:.3} ns/element ({} runs), \
             link {:.1} GB/s, launch {:.1} µs",
            e.cpu_ns_per_element,
            e.cpu_samples,
            e.gpu_ns_per_element,
            e.gpu_samples,
            e.bandwidth_bytes_per_s / 1e9,
            e.launch_latency_ns / 1e3
        );
    }
    Ok(())
}
