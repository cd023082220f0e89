//! The CPU/GPU router: per call, sends a [`WorkItem`] to the CPU, the GPU or a split of its
//! range, from an online cost model calibrated by every run; GPU failures fall back to the
//! CPU and open a circuit. See `src/gpu/README.md` for the model.

mod backend;
mod config;
mod cost;
mod cuda;
mod decision;
mod sim;
#[cfg(test)]
mod test;
mod work;

pub use backend::{Backend, GpuTiming, JobShape, LinkCosts, QueueLengths};
pub use config::{Policy, RouterConfig};
pub use cost::Estimates;
pub use cuda::CudaBackend;
pub use decision::{Decision, Placement, Reason, RunReport};
pub use sim::{SimCosts, SimulatedBackend};
pub use work::WorkItem;

use crate::fault::{CircuitBreaker, CircuitState, Permit};
use crate::gpu::{FailureKind, GpuError};
use crate::sync::Mutex;
use cost::{CostModel, Prediction, Shape};
use std::time::Duration;

/// Places calls on the CPU, the GPU, or both, and learns from every run.
///
/// The router is shared by reference: every method takes `&self`, so threads may route
/// calls through one router at the same time.
///
/// # Examples
///
/// ```
/// use veda::gpu::{Placement, Router, RouterConfig, SimCosts, SimulatedBackend, WorkItem};
///
/// // A simulated device (no GPU needed): the GPU computes 50 times faster than the CPU.
/// let backend = SimulatedBackend::new(SimCosts::default().gpu_ns_per_element(0.02));
/// let router = Router::new(backend, RouterConfig::default()).unwrap();
/// let item = WorkItem::new(
///     "square",
///     10,
///     |range, out: &mut [u64]| out.iter_mut().zip(range).for_each(|(o, i)| *o = (i * i) as u64),
///     |range, out: &mut [u64]| {
///         out.iter_mut().zip(range).for_each(|(o, i)| *o = (i * i) as u64);
///         Ok(())
///     },
/// );
/// let mut out = vec![0; 10];
/// let report = router.run(&item, &mut out).unwrap();
/// assert_eq!(report.ran_on, Placement::Cpu); // ten elements: not worth a launch
/// assert_eq!(out[3], 9);
/// ```
#[derive(Debug)]
pub struct Router<B> {
    backend: B,
    config: RouterConfig,
    state: Mutex<State>,
}

#[derive(Debug)]
struct State {
    model: CostModel,
    breaker: CircuitBreaker,
    lost: bool,
}

fn nanos(value: f64) -> Duration {
    Duration::from_nanos(value.max(0.0).min(u64::MAX as f64) as u64)
}

impl<B: Backend> Router<B> {
    /// A router over `backend`; fails when `config` does not validate.
    pub fn new(backend: B, config: RouterConfig) -> Result<Self, GpuError> {
        config.validate()?;
        let mut model = CostModel::new(&config);
        if let Some(link) = backend.link_costs() {
            model.seed_link(link);
        }
        Ok(Router {
            state: Mutex::new(State {
                model,
                breaker: CircuitBreaker::new(config.breaker),
                lost: false,
            }),
            backend,
            config,
        })
    }

    /// The backend.
    pub fn backend(&self) -> &B {
        &self.backend
    }

    /// The settings.
    pub fn config(&self) -> &RouterConfig {
        &self.config
    }

    /// What the cost model believes about `kernel` now.
    pub fn estimates(&self, kernel: &str) -> Estimates {
        self.state.lock().model.estimates(kernel)
    }

    /// The state of the circuit guarding the GPU.
    pub fn circuit_state(&self) -> CircuitState {
        self.state.lock().breaker.state()
    }

    /// Runs `item`, writing element `i` to `out[i]`, wherever the configured policy and the
    /// cost model say; returns where it ran and why. Every element is written even when the
    /// GPU fails (the CPU recomputes the GPU's share). Fails only when `out` does not have
    /// `item.len()` elements.
    pub fn run<T: Send>(
        &self,
        item: &WorkItem<'_, T>,
        out: &mut [T],
    ) -> Result<RunReport, GpuError> {
        self.run_with_policy(item, out, self.config.policy)
    }

    /// [`run`](Self::run) with `policy` for this call instead of the configured one.
    pub fn run_with_policy<T: Send>(
        &self,
        item: &WorkItem<'_, T>,
        out: &mut [T],
        policy: Policy,
    ) -> Result<RunReport, GpuError> {
        if out.len() != item.len() {
            return Err(GpuError::InvalidArgument {
                reason: format!(
                    "the output has {} elements but the work item {} has {}: pass an output \
                     of the item's length",
                    out.len(),
                    item.kernel(),
                    item.len()
                ),
            });
        }
        let (decision, permit) = self.decide(item, policy);
        let len = item.len();
        let report = match decision.placement {
            Placement::Cpu => {
                let cpu_time = self.cpu_part(item, 0, out);
                RunReport {
                    decision,
                    ran_on: Placement::Cpu,
                    fallback: None,
                    cpu_time: Some(cpu_time),
                    gpu_time: None,
                }
            }
            Placement::Gpu => {
                let (gpu_time, fallback, fallback_time) = self.gpu_part(item, 0, out, permit);
                RunReport {
                    decision,
                    ran_on: if fallback.is_some() {
                        Placement::Cpu
                    } else {
                        Placement::Gpu
                    },
                    fallback,
                    cpu_time: fallback_time,
                    gpu_time,
                }
            }
            Placement::Split { gpu, .. } => {
                let (gpu_out, cpu_out) = out.split_at_mut(gpu);
                let ((gpu_time, fallback, fallback_time), cpu_time) = crate::join(
                    || self.gpu_part(item, 0, gpu_out, permit),
                    || self.cpu_part(item, gpu, cpu_out),
                );
                RunReport {
                    decision,
                    ran_on: if fallback.is_some() {
                        Placement::Cpu
                    } else {
                        decision.placement
                    },
                    fallback,
                    cpu_time: Some(cpu_time + fallback_time.unwrap_or_default()),
                    gpu_time,
                }
            }
        };
        debug_assert!(len == 0 || report.cpu_time.is_some() || report.gpu_time.is_some());
        Ok(report)
    }

    /// Runs `out.len()` elements from `start` on the CPU and records the time.
    fn cpu_part<T>(&self, item: &WorkItem<'_, T>, start: usize, out: &mut [T]) -> Duration {
        let elements = out.len();
        let range = start..start + elements;
        let shape = JobShape {
            kernel: item.kernel(),
            elements,
            bytes: 0,
        };
        let took = self
            .backend
            .run_cpu(shape, &mut || item.run_cpu(range.clone(), out));
        self.state
            .lock()
            .model
            .record_cpu(item.kernel(), elements, took);
        took
    }

    /// Tries `out.len()` elements from `start` on the GPU; on failure, recomputes them on
    /// the CPU. Returns the GPU time (on success), the failure, and the fallback's time.
    fn gpu_part<T>(
        &self,
        item: &WorkItem<'_, T>,
        start: usize,
        out: &mut [T],
        permit: Permit,
    ) -> (Option<Duration>, Option<GpuError>, Option<Duration>) {
        let elements = out.len();
        let range = start..start + elements;
        let bytes = elements.saturating_mul(item.transfer_bytes_per_element());
        let shape = JobShape {
            kernel: item.kernel(),
            elements,
            bytes,
        };
        let result = self
            .backend
            .run_gpu(shape, &mut || item.run_gpu(range.clone(), &mut *out));
        let now = self.backend.now();
        match result {
            Ok(timing) => {
                let mut state = self.state.lock();
                state.breaker.record(permit, true, now);
                state
                    .model
                    .record_gpu(item.kernel(), elements, bytes, timing);
                (Some(timing.total), None, None)
            }
            Err(error) => {
                {
                    let mut state = self.state.lock();
                    match error.kind() {
                        FailureKind::DeviceLost | FailureKind::Unavailable => state.lost = true,
                        _ => state.breaker.record(permit, false, now),
                    }
                }
                let took = self.cpu_part(item, start, out);
                (None, Some(error), Some(took))
            }
        }
    }

    /// Decides where `item` runs; the permit is the circuit's, for a placement that uses
    /// the GPU.
    fn decide<T>(&self, item: &WorkItem<'_, T>, policy: Policy) -> (Decision, Permit) {
        let len = item.len();
        let queues = self.backend.queue_lengths();
        let mut state = self.state.lock();
        let shape = Shape {
            elements: len,
            bytes_per_element: item.transfer_bytes_per_element(),
        };
        let prediction = state.model.predict(item.kernel(), shape, queues);
        let estimates = state.model.estimates(item.kernel());
        let decision = |placement, reason| Decision {
            placement,
            reason,
            expected_cpu: nanos(prediction.cpu_backlog + prediction.cpu),
            expected_gpu: nanos(prediction.gpu_backlog + prediction.gpu),
            expected_split: nanos(prediction.split_finish),
        };
        let cpu = |reason| (decision(Placement::Cpu, reason), Permit::Normal);
        if len == 0 {
            return cpu(Reason::Empty);
        }
        if policy == Policy::CpuOnly {
            return cpu(Reason::Policy);
        }
        if state.lost {
            return cpu(Reason::DeviceLost);
        }
        if self.backend.gpu_status().is_err() {
            return cpu(Reason::GpuUnavailable);
        }
        let (placement, reason) = match policy {
            Policy::GpuOnly => (Placement::Gpu, Reason::Policy),
            Policy::Split if len < 2 => (Placement::Gpu, Reason::Policy),
            Policy::Split => {
                let gpu = prediction.split_gpu_elements.clamp(1, len - 1);
                (
                    Placement::Split {
                        gpu,
                        cpu: len - gpu,
                    },
                    Reason::Policy,
                )
            }
            _ => self.choose(len, &prediction, &estimates),
        };
        if placement == Placement::Cpu {
            return cpu(reason);
        }
        let now = self.backend.now();
        match state.breaker.acquire(now) {
            Permit::Rejected => cpu(Reason::CircuitOpen),
            permit => (decision(placement, reason), permit),
        }
    }

    /// The `Auto` choice: the earliest expected finish, unless exploration tries the other
    /// side first.
    fn choose(
        &self,
        len: usize,
        prediction: &Prediction,
        estimates: &Estimates,
    ) -> (Placement, Reason) {
        let cpu_finish = prediction.cpu_backlog + prediction.cpu;
        let gpu_finish = prediction.gpu_backlog + prediction.gpu;
        let natural = self.earliest(len, prediction);
        if self.config.explore {
            match natural.0 {
                // Not for inputs so small that the launch alone outweighs the CPU's work:
                // measuring those teaches nothing about throughput.
                Placement::Cpu
                    if estimates.gpu_samples == 0
                        && prediction.gpu_fixed < prediction.cpu
                        && gpu_finish <= 2.0 * cpu_finish =>
                {
                    return (Placement::Gpu, Reason::Exploring)
                }
                Placement::Gpu if estimates.cpu_samples == 0 && cpu_finish <= 2.0 * gpu_finish => {
                    return (Placement::Cpu, Reason::Exploring)
                }
                _ => {}
            }
        }
        natural
    }

    /// The placement with the earliest expected finish, and why.
    fn earliest(&self, len: usize, prediction: &Prediction) -> (Placement, Reason) {
        let cpu_finish = prediction.cpu_backlog + prediction.cpu;
        let gpu_finish = prediction.gpu_backlog + prediction.gpu;
        let best_single = cpu_finish.min(gpu_finish);
        let split_gpu = prediction.split_gpu_elements;
        let minimum = self.config.min_split_elements.max(1);
        if split_gpu >= minimum
            && len - split_gpu >= minimum
            && prediction.split_finish < best_single * (1.0 - self.config.split_gain)
        {
            return (
                Placement::Split {
                    gpu: split_gpu,
                    cpu: len - split_gpu,
                },
                Reason::Balanced,
            );
        }
        if cpu_finish <= gpu_finish {
            let reason = if prediction.gpu_fixed >= prediction.cpu {
                Reason::SmallInput
            } else if prediction.transfer >= prediction.cpu {
                Reason::TransferBound
            } else if prediction.gpu < prediction.cpu {
                Reason::GpuBusy
            } else {
                Reason::CpuFaster
            };
            (Placement::Cpu, reason)
        } else {
            let reason = if prediction.cpu < prediction.gpu {
                Reason::CpuBusy
            } else {
                Reason::GpuFaster
            };
            (Placement::Gpu, reason)
        }
    }
}
