//! The router's online cost model: per-kernel throughput of each side, and the link's
//! bandwidth and launch latency, each an exponentially weighted moving average of what the
//! router measured, plus the predictions built from them.

use super::backend::{GpuTiming, LinkCosts, QueueLengths};
use super::config::RouterConfig;
use std::collections::HashMap;
use std::time::Duration;

/// An exponentially weighted moving average; its first sample replaces the prior.
#[derive(Clone, Copy, Debug)]
struct Ewma {
    value: f64,
    samples: u64,
}

impl Ewma {
    fn prior(value: f64) -> Self {
        Ewma { value, samples: 0 }
    }

    fn update(&mut self, sample: f64, alpha: f64) {
        if !sample.is_finite() || sample < 0.0 {
            return;
        }
        if self.samples == 0 {
            self.value = sample;
        } else {
            self.value += alpha * (sample - self.value);
        }
        self.samples += 1;
    }
}

/// What the router currently believes about one kernel and the device it runs on.
///
/// Times per element are for the whole input, as the side runs it (the CPU side with all of
/// its workers).
#[derive(Clone, Copy, Debug, PartialEq)]
#[non_exhaustive]
pub struct Estimates {
    /// CPU nanoseconds per element.
    pub cpu_ns_per_element: f64,
    /// GPU compute nanoseconds per element (transfers and launch excluded).
    pub gpu_ns_per_element: f64,
    /// Host–device bandwidth, in bytes per second.
    pub bandwidth_bytes_per_s: f64,
    /// Fixed cost of one GPU launch (submission, synchronisation), in nanoseconds.
    pub launch_latency_ns: f64,
    /// CPU runs measured for this kernel.
    pub cpu_samples: u64,
    /// GPU runs measured for this kernel.
    pub gpu_samples: u64,
}

/// The shape of one call: how many elements, how many bytes cross the link.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Shape {
    pub(crate) elements: usize,
    pub(crate) bytes_per_element: usize,
}

/// Predicted times of one call, in nanoseconds.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Prediction {
    pub(crate) cpu: f64,
    pub(crate) gpu: f64,
    pub(crate) gpu_fixed: f64,
    pub(crate) transfer: f64,
    pub(crate) cpu_backlog: f64,
    pub(crate) gpu_backlog: f64,
    /// GPU elements of the balanced split, and its finish time.
    pub(crate) split_gpu_elements: usize,
    pub(crate) split_finish: f64,
}

#[derive(Clone, Copy, Debug)]
struct KernelModel {
    cpu: Ewma,
    gpu: Ewma,
}

/// The whole model: the link, and one entry per kernel.
#[derive(Debug)]
pub(crate) struct CostModel {
    alpha: f64,
    cpu_overhead_ns: f64,
    prior_cpu_ns: f64,
    prior_speedup: f64,
    bandwidth: Ewma,
    latency: Ewma,
    cpu_job: Ewma,
    gpu_job: Ewma,
    kernels: HashMap<String, KernelModel>,
}

impl CostModel {
    pub(crate) fn new(config: &RouterConfig) -> Self {
        CostModel {
            alpha: config.smoothing,
            cpu_overhead_ns: config.cpu_overhead.as_nanos() as f64,
            prior_cpu_ns: config.prior_cpu_ns_per_element,
            prior_speedup: config.prior_gpu_speedup,
            bandwidth: Ewma::prior(config.prior_bandwidth_bytes_per_s / 1e9),
            latency: Ewma::prior(config.prior_launch_latency.as_nanos() as f64),
            cpu_job: Ewma::prior(0.0),
            gpu_job: Ewma::prior(0.0),
            kernels: HashMap::new(),
        }
    }

    /// Replaces the link priors with measured values (ignoring unusable ones).
    pub(crate) fn seed_link(&mut self, link: LinkCosts) {
        if link.bandwidth_bytes_per_s.is_finite() && link.bandwidth_bytes_per_s > 0.0 {
            self.bandwidth = Ewma::prior(link.bandwidth_bytes_per_s / 1e9);
        }
        self.latency = Ewma::prior(link.launch_latency.as_nanos() as f64);
    }

    fn kernel(&self, name: &str) -> KernelModel {
        self.kernels.get(name).copied().unwrap_or(KernelModel {
            cpu: Ewma::prior(self.prior_cpu_ns),
            gpu: Ewma::prior(self.prior_cpu_ns / self.prior_speedup),
        })
    }

    fn kernel_mut(&mut self, name: &str) -> &mut KernelModel {
        let fresh = self.kernel(name);
        self.kernels.entry(name.to_owned()).or_insert(fresh)
    }

    pub(crate) fn estimates(&self, name: &str) -> Estimates {
        let kernel = self.kernel(name);
        Estimates {
            cpu_ns_per_element: kernel.cpu.value,
            gpu_ns_per_element: kernel.gpu.value,
            bandwidth_bytes_per_s: self.bandwidth.value * 1e9,
            launch_latency_ns: self.latency.value,
            cpu_samples: kernel.cpu.samples,
            gpu_samples: kernel.gpu.samples,
        }
    }

    /// Predicts the CPU, GPU and balanced-split times of a call.
    pub(crate) fn predict(&self, name: &str, shape: Shape, queues: QueueLengths) -> Prediction {
        let kernel = self.kernel(name);
        let n = shape.elements as f64;
        let cpu_per = kernel.cpu.value;
        let link_per = shape.bytes_per_element as f64 / self.bandwidth.value.max(f64::MIN_POSITIVE);
        let gpu_per = kernel.gpu.value + link_per;
        let cpu_fixed = self.cpu_overhead_ns;
        let gpu_fixed = self.latency.value;
        let cpu_backlog = queues.cpu as f64 * self.cpu_job.value;
        let gpu_backlog = queues.gpu as f64 * self.gpu_job.value;
        // Balanced split: both sides finish together, i.e.
        // cpu_backlog + cpu_fixed + cpu_per (n - g) = gpu_backlog + gpu_fixed + gpu_per g.
        let denominator = cpu_per + gpu_per;
        let g = if denominator > 0.0 {
            ((cpu_backlog + cpu_fixed + cpu_per * n - gpu_backlog - gpu_fixed) / denominator)
                .clamp(0.0, n)
        } else {
            n / 2.0
        };
        let split_gpu_elements = g.round() as usize;
        let split_cpu = split_gpu_elements.abs_diff(shape.elements) as f64;
        let split_gpu = split_gpu_elements as f64;
        let side_cpu = if split_cpu > 0.0 {
            cpu_backlog + cpu_fixed + cpu_per * split_cpu
        } else {
            0.0
        };
        let side_gpu = if split_gpu > 0.0 {
            gpu_backlog + gpu_fixed + gpu_per * split_gpu
        } else {
            0.0
        };
        Prediction {
            cpu: cpu_fixed + cpu_per * n,
            gpu: gpu_fixed + gpu_per * n,
            gpu_fixed,
            transfer: link_per * n,
            cpu_backlog,
            gpu_backlog,
            split_gpu_elements,
            split_finish: side_cpu.max(side_gpu),
        }
    }

    /// Learns from a CPU run of `elements` elements that took `took`.
    pub(crate) fn record_cpu(&mut self, name: &str, elements: usize, took: Duration) {
        if elements == 0 {
            return;
        }
        let total = took.as_nanos() as f64;
        let alpha = self.alpha;
        self.cpu_job.update(total, alpha);
        let per = (total - self.cpu_overhead_ns).max(0.0) / elements as f64;
        self.kernel_mut(name).cpu.update(per, alpha);
    }

    /// Learns from a GPU run: its total time and, where the backend measured them apart,
    /// its transfer and launch times (otherwise the current estimates stand in for them).
    pub(crate) fn record_gpu(
        &mut self,
        name: &str,
        elements: usize,
        bytes: usize,
        timing: GpuTiming,
    ) {
        if elements == 0 {
            return;
        }
        let alpha = self.alpha;
        let total = timing.total.as_nanos() as f64;
        self.gpu_job.update(total, alpha);
        if let Some(transfer) = timing.transfer.filter(|t| !t.is_zero()) {
            if bytes > 0 {
                self.bandwidth
                    .update(bytes as f64 / transfer.as_nanos() as f64, alpha);
            }
        }
        if let Some(launch) = timing.launch {
            self.latency.update(launch.as_nanos() as f64, alpha);
        }
        let transfer = timing.transfer.map_or_else(
            || bytes as f64 / self.bandwidth.value.max(f64::MIN_POSITIVE),
            |t| t.as_nanos() as f64,
        );
        let launch = timing
            .launch
            .map_or(self.latency.value, |l| l.as_nanos() as f64);
        let compute = (total - transfer - launch).max(0.0);
        self.kernel_mut(name)
            .gpu
            .update(compute / elements as f64, alpha);
    }
}
