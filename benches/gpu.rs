//! GPU figures for the acceptance of the `gpu` feature, each measured in one run and
//! reported as a ratio against its reference:
//!
//! 1. device-resident saxpy on 10^8 floats against the device-to-device copy bandwidth
//!    (target: saxpy ≥ 80 % of the copy's bytes per second);
//! 2. veda's pinned transfers against raw cudarc copies of the same size (target ≥ 90 %);
//! 3. small kernel jobs per second through veda's queue (target ≥ 100 000);
//! 4. the router on a mixed batch against the best static choice per call (target: within
//!    10 %), with all-CPU and all-GPU for reference.
//!
//! Without a usable GPU it prints why and exits successfully.
//!
//! `cargo bench --bench gpu --features gpu` (or build it with `--no-run` and copy the binary
//! to a machine with a GPU).

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use veda::gpu::{
    devices, execute, execute_blocking, saxpy, CudaBackend, GpuError, KernelFn, MapExpr, MapKernel,
    Policy, Router, RouterConfig, SaxpyKernel, WorkItem,
};
use veda::prelude::*;

const ROUNDS: usize = 7;

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn gigabytes_per_second(bytes: usize, took: Duration) -> f64 {
    bytes as f64 / took.as_secs_f64() / 1e9
}

/// Measures saxpy and copy bandwidth in the same job, each round, and reports the median
/// of the per-round ratios.
fn saxpy_copy_ratio() -> Result<f64, GpuError> {
    const N: usize = 100_000_000;
    const REPEATS: usize = 10;
    let mut ratios = Vec::new();
    let mut saxpy_rates = Vec::new();
    let mut copy_rates = Vec::new();
    for _ in 0..ROUNDS {
        let (saxpy_rate, copy_rate) =
            execute_blocking(KernelFn::new("saxpy vs copy", |launcher| {
                let x = launcher.upload(&vec![1.0f32; N])?;
                let mut y = launcher.upload(&vec![2.0f32; N])?;
                let mut dst = launcher.zeros::<f32>(N)?;
                launcher.synchronize()?;
                let started = Instant::now();
                for _ in 0..REPEATS {
                    saxpy(launcher, 0.5, &x, &mut y)?;
                }
                launcher.synchronize()?;
                let saxpy_rate = gigabytes_per_second(3 * 4 * N * REPEATS, started.elapsed());
                let started = Instant::now();
                for _ in 0..REPEATS {
                    launcher.copy(&x, &mut dst)?;
                }
                launcher.synchronize()?;
                let copy_rate = gigabytes_per_second(2 * 4 * N * REPEATS, started.elapsed());
                Ok((saxpy_rate, copy_rate))
            }))?;
        saxpy_rates.push(saxpy_rate);
        copy_rates.push(copy_rate);
        ratios.push(saxpy_rate / copy_rate);
    }
    println!(
        "saxpy_1e8_f32_GBps={:.1} d2d_copy_GBps={:.1}",
        median(saxpy_rates),
        median(copy_rates)
    );
    Ok(median(ratios))
}

/// veda's pinned copies (through the queue, pooled buffers) against cudarc's own on the
/// same sizes, host to device and back, alternating which goes first.
fn pinned_against_raw() -> Result<(f64, f64), GpuError> {
    use cudarc::driver::CudaContext;
    const BYTES: usize = 256 << 20;
    const N: usize = BYTES / 4;
    let context = CudaContext::new(0).map_err(|e| GpuError::Driver {
        call: "cuCtxCreate",
        reason: format!("{e:?}"),
    })?;
    let stream = context.new_stream().map_err(|e| GpuError::Driver {
        call: "cuStreamCreate",
        reason: format!("{e:?}"),
    })?;
    let raw_error = |e: cudarc::driver::DriverError| GpuError::Driver {
        call: "raw cudarc copy",
        reason: format!("{e:?}"),
    };
    // SAFETY: the pinned buffer's contents are unset; they are only copied, never read as
    // values by this benchmark.
    let mut host = unsafe { context.alloc_pinned::<f32>(N) }.map_err(raw_error)?;
    let mut device = stream.alloc_zeros::<f32>(N).map_err(raw_error)?;
    let mut up_ratios = Vec::new();
    let mut down_ratios = Vec::new();
    for round in 0..ROUNDS {
        let mut raw = || -> Result<(f64, f64), GpuError> {
            stream.synchronize().map_err(raw_error)?;
            let started = Instant::now();
            stream.memcpy_htod(&host, &mut device).map_err(raw_error)?;
            stream.synchronize().map_err(raw_error)?;
            let up = gigabytes_per_second(BYTES, started.elapsed());
            let started = Instant::now();
            stream.memcpy_dtoh(&device, &mut host).map_err(raw_error)?;
            stream.synchronize().map_err(raw_error)?;
            Ok((up, gigabytes_per_second(BYTES, started.elapsed())))
        };
        let veda = || {
            execute_blocking(KernelFn::new("pinned copies", |launcher| {
                let mut pinned = launcher.pinned::<f32>(N)?;
                let mut buffer = launcher.zeros::<f32>(N)?;
                launcher.synchronize()?;
                let started = Instant::now();
                launcher.copy_to_device(&pinned, &mut buffer)?;
                launcher.synchronize()?;
                let up = gigabytes_per_second(BYTES, started.elapsed());
                let started = Instant::now();
                launcher.copy_to_pinned(&buffer, &mut pinned)?;
                launcher.synchronize()?;
                Ok((up, gigabytes_per_second(BYTES, started.elapsed())))
            }))
        };
        let ((raw_up, raw_down), (veda_up, veda_down)) = if round % 2 == 0 {
            let r = raw()?;
            (r, veda()?)
        } else {
            let v = veda()?;
            (raw()?, v)
        };
        up_ratios.push(veda_up / raw_up);
        down_ratios.push(veda_down / raw_down);
        if round == ROUNDS - 1 {
            println!(
                "h2d_GBps veda={veda_up:.1} raw={raw_up:.1}; d2h_GBps veda={veda_down:.1} raw={raw_down:.1}"
            );
        }
    }
    Ok((median(up_ratios), median(down_ratios)))
}

/// Small jobs — one 256-element saxpy launch each, on buffers made once — submitted all at
/// once, then awaited.
fn small_jobs_per_second() -> Result<f64, GpuError> {
    const JOBS: usize = 200_000;
    let buffers = execute_blocking(KernelFn::new("small buffers", |launcher| {
        Ok((launcher.zeros::<f32>(256)?, launcher.zeros::<f32>(256)?))
    }))?;
    let buffers = Arc::new(Mutex::new(buffers));
    let mut rates = Vec::new();
    for _ in 0..3 {
        let started = Instant::now();
        let futures: Vec<_> = (0..JOBS)
            .map(|_| {
                let buffers = buffers.clone();
                execute(KernelFn::new("small", move |launcher| {
                    let mut guard = buffers.lock().expect("no job panics holding the buffers");
                    let (x, y) = &mut *guard;
                    saxpy(launcher, 2.0, x, y)
                }))
            })
            .collect();
        for future in futures {
            future.wait()?;
        }
        rates.push(JOBS as f64 / started.elapsed().as_secs_f64());
    }
    Ok(median(rates))
}

/// A mixed batch: saxpy and a heavy polynomial at sizes from 2^10 to 2^24.
fn router_against_static() -> Result<(), GpuError> {
    let largest = 1 << 24;
    let x: Arc<Vec<f32>> = Arc::new((0..largest).map(|i| (i % 1000) as f32 / 1000.0).collect());
    let y: Arc<Vec<f32>> = Arc::new((0..largest).map(|i| (i % 7) as f32).collect());
    let heavy_text = (0..64).fold(String::from("x"), |acc, _| {
        format!("sinf({acc}) * 0.5f + x")
    });
    // SAFETY: the expression reads only `x` and calls `sinf`.
    let heavy = unsafe { MapExpr::new(heavy_text) }?;
    let heavy_cpu = |v: f32| (0..64).fold(v, |acc, _| acc.sin() * 0.5 + v);
    let sizes = [1 << 10, 1 << 14, 1 << 18, 1 << 20, 1 << 22, 1 << 24];
    let saxpy_item = |len: usize| {
        let (x, y, gx, gy) = (x.clone(), y.clone(), x.clone(), y.clone());
        WorkItem::new(
            "saxpy",
            len,
            move |range, out: &mut [f32]| {
                let start = range.start;
                out.par_iter_mut()
                    .enumerate()
                    .for_each(|(j, o)| *o = 2.0 * x[start + j] + y[start + j]);
            },
            move |range, out: &mut [f32]| {
                let job = SaxpyKernel::new(2.0f32, gx[range.clone()].to_vec(), gy[range].to_vec());
                out.copy_from_slice(&execute_blocking(job)?);
                Ok(())
            },
        )
        .bytes_per_element(12)
    };
    let heavy_item = |len: usize| {
        let (x, gx, expr) = (x.clone(), x.clone(), heavy.clone());
        WorkItem::new(
            "heavy",
            len,
            move |range, out: &mut [f32]| {
                let start = range.start;
                out.par_iter_mut()
                    .enumerate()
                    .for_each(|(j, o)| *o = heavy_cpu(x[start + j]));
            },
            move |range, out: &mut [f32]| {
                let job = MapKernel::new(expr.clone(), gx[range].to_vec());
                out.copy_from_slice(&execute_blocking(job)?);
                Ok(())
            },
        )
        .bytes_per_element(8)
    };
    let router = Router::new(CudaBackend::new(), RouterConfig::default())?;
    let mut out = vec![0.0f32; largest];
    let mut calls: Vec<(&str, usize)> = Vec::new();
    for &len in &sizes {
        calls.push(("saxpy", len));
        calls.push(("heavy", len));
    }
    let run =
        |kernel: &str, len: usize, policy: Policy, out: &mut [f32]| -> Result<Duration, GpuError> {
            let item = if kernel == "saxpy" {
                saxpy_item(len)
            } else {
                heavy_item(len)
            };
            let started = Instant::now();
            router.run_with_policy(&item, &mut out[..len], policy)?;
            Ok(started.elapsed())
        };
    // Warm-up: compile the kernels and calibrate the model on both sides.
    for _ in 0..3 {
        for &(kernel, len) in &calls {
            run(kernel, len, Policy::Split, &mut out)?;
        }
    }
    let mut best_static_ratios = Vec::new();
    let mut cpu_ratios = Vec::new();
    let mut gpu_ratios = Vec::new();
    for round in 0..ROUNDS {
        let (mut cpu_total, mut gpu_total, mut auto_total, mut best_total) = (
            Duration::ZERO,
            Duration::ZERO,
            Duration::ZERO,
            Duration::ZERO,
        );
        for &(kernel, len) in &calls {
            let mut times = [Duration::ZERO; 3];
            let policies = [Policy::CpuOnly, Policy::GpuOnly, Policy::Auto];
            for offset in 0..3 {
                let which = (round + offset) % 3;
                times[which] = run(kernel, len, policies[which], &mut out)?;
            }
            cpu_total += times[0];
            gpu_total += times[1];
            auto_total += times[2];
            best_total += times[0].min(times[1]);
        }
        best_static_ratios.push(auto_total.as_secs_f64() / best_total.as_secs_f64());
        cpu_ratios.push(auto_total.as_secs_f64() / cpu_total.as_secs_f64());
        gpu_ratios.push(auto_total.as_secs_f64() / gpu_total.as_secs_f64());
    }
    println!(
        "router_time / best_static_per_call = {:.3} (target <= 1.10); router / all_cpu = {:.3}; \
         router / all_gpu = {:.3}",
        median(best_static_ratios),
        median(cpu_ratios),
        median(gpu_ratios)
    );
    for &(kernel, len) in &calls {
        let item = if kernel == "saxpy" {
            saxpy_item(len)
        } else {
            heavy_item(len)
        };
        let report = router.run(&item, &mut out[..len])?;
        println!("  {kernel:>5} {len:>9}: {report}");
    }
    Ok(())
}

fn main() {
    let devices = match devices() {
        Ok(devices) => devices,
        Err(reason) => {
            println!("gpu bench skipped: {reason}");
            return;
        }
    };
    for device in &devices {
        println!(
            "device {}: {} ({} SMs, cc {}.{})",
            device.ordinal,
            device.name,
            device.multiprocessors,
            device.compute_capability.0,
            device.compute_capability.1
        );
    }
    if let Err(reason) = veda::gpu::compiler_available() {
        println!("kernels cannot be compiled, so the kernel figures will fail: {reason}");
    }
    let report = |name: &str, result: Result<String, GpuError>| match result {
        Ok(line) => println!("{name}: {line}"),
        Err(error) => println!("{name}: FAILED: {error}"),
    };
    report(
        "saxpy_vs_d2d_copy",
        saxpy_copy_ratio().map(|r| format!("ratio={r:.3} (target >= 0.80)")),
    );
    report(
        "pinned_vs_raw_cudarc",
        pinned_against_raw()
            .map(|(up, down)| format!("h2d_ratio={up:.3} d2h_ratio={down:.3} (target >= 0.90)")),
    );
    report(
        "small_jobs_through_queue",
        small_jobs_per_second().map(|rate| format!("jobs_per_s={rate:.0} (target >= 100000)")),
    );
    report(
        "router_mixed_batch",
        router_against_static().map(|()| "see the lines above".to_owned()),
    );
}
