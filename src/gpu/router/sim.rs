//! `SimulatedBackend`: a machine with a modelled GPU, for testing and planning the router
//! without one. Time is virtual: each run returns the time the model gives it (optionally
//! with seeded noise) and advances the backend's clock by as much.

use super::backend::{Backend, GpuTiming, JobShape, QueueLengths};
use crate::gpu::GpuError;
use crate::sync::{AtomicU64, AtomicUsize, Mutex, Ordering};
use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

/// The true costs of a simulated machine.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use veda::gpu::SimCosts;
///
/// let costs = SimCosts::default()
///     .cpu_ns_per_element(2.0)
///     .gpu_ns_per_element(0.05)
///     .bandwidth(16e9)
///     .launch_latency(Duration::from_micros(20));
/// // 1 000 elements: 5 µs of CPU overhead plus 2 µs of work.
/// assert_eq!(costs.cpu_time(1000), Duration::from_nanos(7_000));
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SimCosts {
    cpu_overhead: Duration,
    cpu_ns_per_element: f64,
    gpu_ns_per_element: f64,
    bandwidth_bytes_per_s: f64,
    launch_latency: Duration,
}

impl Default for SimCosts {
    /// 5 µs per CPU call and 1 ns per element on the CPU; 0.1 ns per element on the GPU,
    /// 12 GB/s over the link and 10 µs per launch.
    fn default() -> Self {
        SimCosts {
            cpu_overhead: Duration::from_micros(5),
            cpu_ns_per_element: 1.0,
            gpu_ns_per_element: 0.1,
            bandwidth_bytes_per_s: 12e9,
            launch_latency: Duration::from_micros(10),
        }
    }
}

impl SimCosts {
    /// Fixed cost of a CPU call.
    pub fn cpu_overhead(mut self, overhead: Duration) -> Self {
        self.cpu_overhead = overhead;
        self
    }

    /// CPU nanoseconds per element (for kernels without costs of their own).
    pub fn cpu_ns_per_element(mut self, nanos: f64) -> Self {
        self.cpu_ns_per_element = nanos;
        self
    }

    /// GPU compute nanoseconds per element (for kernels without costs of their own).
    pub fn gpu_ns_per_element(mut self, nanos: f64) -> Self {
        self.gpu_ns_per_element = nanos;
        self
    }

    /// Link bandwidth in bytes per second.
    pub fn bandwidth(mut self, bytes_per_s: f64) -> Self {
        self.bandwidth_bytes_per_s = bytes_per_s;
        self
    }

    /// Fixed cost of one GPU launch.
    pub fn launch_latency(mut self, latency: Duration) -> Self {
        self.launch_latency = latency;
        self
    }

    /// The modelled CPU time of `elements` elements.
    pub fn cpu_time(&self, elements: usize) -> Duration {
        self.cpu_overhead + nanos(self.cpu_ns_per_element * elements as f64)
    }

    /// The modelled GPU time of `elements` elements moving `bytes` bytes: launch, transfer
    /// and compute.
    pub fn gpu_time(&self, elements: usize, bytes: usize) -> Duration {
        self.launch_latency + self.transfer_time(bytes) + self.compute_time(elements)
    }

    fn transfer_time(&self, bytes: usize) -> Duration {
        nanos(bytes as f64 / self.bandwidth_bytes_per_s * 1e9)
    }

    fn compute_time(&self, elements: usize) -> Duration {
        nanos(self.gpu_ns_per_element * elements as f64)
    }
}

fn nanos(value: f64) -> Duration {
    Duration::from_nanos(value.max(0.0).round() as u64)
}

/// A simulated machine: the router's logic runs against it exactly as against a real
/// device, with costs, queue lengths, noise and failures set by the test.
///
/// Bodies run for real (so results are real) but take the modelled time; a GPU run that is
/// made to fail does not run its body at all, so the router must recompute its part.
///
/// # Examples
///
/// ```
/// use veda::gpu::{GpuError, SimCosts, SimulatedBackend};
///
/// let sim = SimulatedBackend::new(SimCosts::default())
///     .with_kernel("heavy", 50.0, 0.5)
///     .with_noise(0.05, 7);
/// sim.fail_next(GpuError::OutOfMemory { requested: 1 << 30, reason: "simulated".into() });
/// assert_eq!(sim.gpu_runs(), 0);
/// ```
#[derive(Debug)]
pub struct SimulatedBackend {
    costs: SimCosts,
    kernels: HashMap<String, (f64, f64)>,
    noise: f64,
    rng: AtomicU64,
    base: Instant,
    clock_ns: AtomicU64,
    queues: Mutex<QueueLengths>,
    failures: Mutex<VecDeque<GpuError>>,
    lost: Mutex<Option<GpuError>>,
    unavailable: Mutex<Option<GpuError>>,
    cpu_runs: AtomicUsize,
    gpu_runs: AtomicUsize,
    gpu_failures: AtomicUsize,
}

impl SimulatedBackend {
    /// A machine with these costs, no noise, empty queues and no failure.
    pub fn new(costs: SimCosts) -> Self {
        SimulatedBackend {
            costs,
            kernels: HashMap::new(),
            noise: 0.0,
            rng: AtomicU64::new(0x9E37_79B9_7F4A_7C15),
            base: Instant::now(),
            clock_ns: AtomicU64::new(0),
            queues: Mutex::new(QueueLengths::default()),
            failures: Mutex::new(VecDeque::new()),
            lost: Mutex::new(None),
            unavailable: Mutex::new(None),
            cpu_runs: AtomicUsize::new(0),
            gpu_runs: AtomicUsize::new(0),
            gpu_failures: AtomicUsize::new(0),
        }
    }

    /// Gives `kernel` costs of its own: CPU and GPU compute nanoseconds per element.
    pub fn with_kernel(mut self, kernel: &str, cpu_ns: f64, gpu_ns: f64) -> Self {
        self.kernels.insert(kernel.to_owned(), (cpu_ns, gpu_ns));
        self
    }

    /// Multiplies every modelled time by a factor drawn uniformly from
    /// `1 - fraction ..= 1 + fraction`, from a generator seeded with `seed`.
    pub fn with_noise(mut self, fraction: f64, seed: u64) -> Self {
        self.noise = fraction.clamp(0.0, 0.99);
        self.rng = AtomicU64::new(seed | 1);
        self
    }

    /// The costs of `kernel`, its own or the machine's.
    pub fn costs_of(&self, kernel: &str) -> SimCosts {
        match self.kernels.get(kernel) {
            Some(&(cpu, gpu)) => self.costs.cpu_ns_per_element(cpu).gpu_ns_per_element(gpu),
            None => self.costs,
        }
    }

    /// Sets the queue lengths the router will see.
    pub fn set_queue_lengths(&self, queues: QueueLengths) {
        *self.queues.lock() = queues;
    }

    /// Makes the next GPU run fail with `error` (calls queue up, one failure per run).
    pub fn fail_next(&self, error: GpuError) {
        self.failures.lock().push_back(error);
    }

    /// Makes every later GPU run fail with `error` (a device that fell off the bus).
    pub fn lose_device(&self, error: GpuError) {
        *self.lost.lock() = Some(error);
    }

    /// Makes the backend report no usable GPU (`None` brings it back).
    pub fn set_unavailable(&self, error: Option<GpuError>) {
        *self.unavailable.lock() = error;
    }

    /// Moves the virtual clock forward (e.g. past a circuit's cool-down).
    pub fn advance(&self, by: Duration) {
        self.clock_ns
            .fetch_add(by.as_nanos() as u64, Ordering::Relaxed);
    }

    /// CPU runs so far.
    pub fn cpu_runs(&self) -> usize {
        self.cpu_runs.load(Ordering::Relaxed)
    }

    /// Successful GPU runs so far.
    pub fn gpu_runs(&self) -> usize {
        self.gpu_runs.load(Ordering::Relaxed)
    }

    /// Failed GPU runs so far.
    pub fn gpu_failures(&self) -> usize {
        self.gpu_failures.load(Ordering::Relaxed)
    }

    /// Scales `time` by this run's noise.
    fn noisy(&self, time: Duration) -> Duration {
        if self.noise == 0.0 {
            return time;
        }
        // xorshift64: deterministic for a seed (up to the order of concurrent runs).
        let mut x = self.rng.load(Ordering::Relaxed);
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.rng.store(x, Ordering::Relaxed);
        let unit = (x >> 11) as f64 / (1u64 << 53) as f64;
        time.mul_f64(1.0 + self.noise * (2.0 * unit - 1.0))
    }

    fn tick(&self, by: Duration) {
        self.advance(by);
    }
}

impl Backend for SimulatedBackend {
    fn gpu_status(&self) -> Result<(), GpuError> {
        match self.unavailable.lock().clone() {
            Some(error) => Err(error),
            None => Ok(()),
        }
    }

    fn now(&self) -> Instant {
        self.base + Duration::from_nanos(self.clock_ns.load(Ordering::Relaxed))
    }

    fn queue_lengths(&self) -> QueueLengths {
        *self.queues.lock()
    }

    fn run_cpu(&self, job: JobShape<'_>, body: &mut dyn FnMut()) -> Duration {
        body();
        let took = self.noisy(self.costs_of(job.kernel).cpu_time(job.elements));
        self.cpu_runs.fetch_add(1, Ordering::Relaxed);
        self.tick(took);
        took
    }

    fn run_gpu(
        &self,
        job: JobShape<'_>,
        body: &mut dyn FnMut() -> Result<(), GpuError>,
    ) -> Result<GpuTiming, GpuError> {
        let injected = self
            .lost
            .lock()
            .clone()
            .or_else(|| self.failures.lock().pop_front());
        if let Some(error) = injected {
            self.gpu_failures.fetch_add(1, Ordering::Relaxed);
            self.tick(self.costs.launch_latency);
            return Err(error);
        }
        body()?;
        let costs = self.costs_of(job.kernel);
        let launch = self.noisy(costs.launch_latency);
        let transfer = self.noisy(costs.transfer_time(job.bytes));
        let compute = self.noisy(costs.compute_time(job.elements));
        let total = launch + transfer + compute;
        self.gpu_runs.fetch_add(1, Ordering::Relaxed);
        self.tick(total);
        Ok(GpuTiming {
            total,
            transfer: Some(transfer),
            launch: Some(launch),
        })
    }
}
