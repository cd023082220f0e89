//! Priorities: how long `Critical` tasks wait to start while a flood of `Background` tasks is
//! queued, and what the default path (plain `Normal` spawns) costs, side by side with rayon.
//!
//! Run it with `cargo bench --bench priority`; a positional argument keeps only the parts
//! whose name contains it (`flood`, `spawn`). `VEDA_BENCH_ROUNDS` and `VEDA_BENCH_THREADS`
//! work as in the other benches; `VEDA_BENCH_FLOOD` sets the number of `Background` tasks
//! (default 1 000 000).
//!
//! `flood`: the bench thread queues the `Background` tasks (each a few hundred nanoseconds
//! of mixing) on a pool of its own, then, while they run, spawns a `Critical` probe every
//! 200 µs until the flood is done. Each probe records its start latency: the time from its
//! spawn to the first line of its body. The table gives the probes' p50, p99 and maximum,
//! the time the flood took, and whether it completed. The same is done with rayon, which has
//! no levels: its probes queue behind the flood (fewer probes, since each waits for the
//! whole flood).
//!
//! `spawn`: the cost of spawning `Normal` tasks, which take the default path: 10 000
//! `spawn`s from inside the pool (onto the worker's deque), from outside (onto the
//! injector), and 10 000 `Scope::spawn`s, each task bumping a counter. Columns as in the
//! other benches: `rayon/veda` above 1.0 means veda was faster.

mod harness;

use harness::{env_count, measure, Contender, Settings, Table, Who};
use std::hint::black_box;
use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, SyncSender};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};
use veda::Priority;

/// `Background` tasks in the flood, unless `VEDA_BENCH_FLOOD` says otherwise.
const DEFAULT_FLOOD: usize = 1_000_000;
/// Mixing rounds of one `Background` task.
const FLOOD_TASK_ROUNDS: u32 = 200;
/// Pause between two probes.
const PROBE_INTERVAL: Duration = Duration::from_micros(200);
/// The most probes sent to rayon, whose probes each wait for most of the flood.
const RAYON_PROBES: usize = 50;
/// Tasks spawned per iteration of the spawn workloads.
const SPAWNS: u64 = 10_000;

fn mix(mut x: u64, rounds: u32) -> u64 {
    for _ in 0..rounds {
        x ^= x >> 29;
        x = x.wrapping_mul(0xBF58_476D_1CE4_E5B9);
    }
    x
}

/// Counts finished tasks and tells the waiter when the last one is done.
struct Countdown {
    done: AtomicU64,
    target: u64,
    finished: SyncSender<()>,
}

impl Countdown {
    fn new(target: u64) -> (Arc<Countdown>, mpsc::Receiver<()>) {
        let (finished, receiver) = mpsc::sync_channel(1);
        let countdown = Countdown {
            done: AtomicU64::new(0),
            target,
            finished,
        };
        (Arc::new(countdown), receiver)
    }

    fn tick(&self) {
        if self.done.fetch_add(1, Ordering::AcqRel) + 1 == self.target {
            self.finished.send(()).unwrap();
        }
    }
}

/// Defines module `$module` with the spawn workloads written against crate `$runtime`, so
/// that veda and rayon run the same code.
macro_rules! spawn_workloads {
    ($module:ident, $runtime:ident) => {
        mod $module {
            use super::*;

            pub(crate) fn spawn_inside(pool: &$runtime::ThreadPool, n: u64) -> u64 {
                let (countdown, finished) = Countdown::new(n);
                pool.install(|| {
                    for _ in 0..n {
                        let countdown = Arc::clone(&countdown);
                        $runtime::spawn(move || countdown.tick());
                    }
                });
                finished.recv().unwrap();
                n
            }

            pub(crate) fn spawn_outside(pool: &$runtime::ThreadPool, n: u64) -> u64 {
                let (countdown, finished) = Countdown::new(n);
                for _ in 0..n {
                    let countdown = Arc::clone(&countdown);
                    pool.spawn(move || countdown.tick());
                }
                finished.recv().unwrap();
                n
            }

            pub(crate) fn scope_spawn(pool: &$runtime::ThreadPool, n: u64) -> u64 {
                let done = AtomicU64::new(0);
                pool.scope(|s| {
                    for _ in 0..n {
                        s.spawn(|_| {
                            done.fetch_add(1, Ordering::Relaxed);
                        });
                    }
                });
                done.into_inner()
            }
        }
    };
}

spawn_workloads!(veda_spawns, veda);
spawn_workloads!(rayon_spawns, rayon);

fn spawn_costs(settings: &Settings) {
    let threads = settings.threads.get();
    let veda_pool = veda::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap();
    let rayon_pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap();
    let table = Table::new(&[Who::Veda, Who::Rayon]);
    println!("default path: {SPAWNS} Normal spawns per iteration, {threads} threads");
    table.print_header();
    type Workload<P> = fn(&P, u64) -> u64;
    let workloads: [(
        &str,
        Workload<veda::ThreadPool>,
        Workload<rayon::ThreadPool>,
    ); 3] = [
        (
            "spawn inside",
            veda_spawns::spawn_inside,
            rayon_spawns::spawn_inside,
        ),
        (
            "spawn outside",
            veda_spawns::spawn_outside,
            rayon_spawns::spawn_outside,
        ),
        (
            "scope spawn",
            veda_spawns::scope_spawn,
            rayon_spawns::scope_spawn,
        ),
    ];
    for (name, veda_run, rayon_run) in workloads {
        let contenders = [
            Contender::new(Who::Veda, || veda_run(&veda_pool, black_box(SPAWNS))),
            Contender::new(Who::Rayon, || rayon_run(&rayon_pool, black_box(SPAWNS))),
        ];
        table.print_row(&measure(name, SPAWNS, &contenders, settings.rounds));
    }
}

/// What one flood run measured.
struct FloodReport {
    /// Start latencies of the probes, sorted.
    latencies: Vec<Duration>,
    /// From the first `Background` spawn to the last task's end.
    flood_time: Duration,
    /// Time the bench thread took to queue the flood.
    queueing_time: Duration,
    completed: bool,
}

impl FloodReport {
    fn percentile(&self, p: f64) -> Duration {
        let index = ((self.latencies.len() - 1) as f64 * p).round() as usize;
        self.latencies[index]
    }

    fn print(&self, who: &str) {
        println!(
            "{who:<6} probes {:>5}  p50 {:>10.1?}  p99 {:>10.1?}  max {:>10.1?}  queueing {:>8.1?}  \
             flood {:>8.1?}  completed {}",
            self.latencies.len(),
            self.percentile(0.5),
            self.percentile(0.99),
            self.latencies.last().copied().unwrap_or_default(),
            self.queueing_time,
            self.flood_time,
            self.completed
        );
    }
}

/// Runs a flood of `flood` tasks through `spawn_background`, probing with
/// `spawn_critical` every [`PROBE_INTERVAL`] until the flood is done or `max_probes` were sent.
fn flood_run(
    flood: usize,
    max_probes: usize,
    spawn_background: impl Fn(Box<dyn FnOnce() + Send>),
    spawn_critical: impl Fn(Box<dyn FnOnce() + Send>),
) -> FloodReport {
    let (countdown, finished) = Countdown::new(flood as u64);
    let latencies = Arc::new(Mutex::new(Vec::with_capacity(16_384)));
    let start = Instant::now();
    for i in 0..flood {
        let countdown = Arc::clone(&countdown);
        spawn_background(Box::new(move || {
            black_box(mix(i as u64, FLOOD_TASK_ROUNDS));
            countdown.tick();
        }));
    }
    let queueing_time = start.elapsed();
    let mut probes = 0;
    let completed = loop {
        match finished.recv_timeout(PROBE_INTERVAL) {
            Ok(()) => break true,
            Err(mpsc::RecvTimeoutError::Timeout) if probes < max_probes => {
                probes += 1;
                let latencies = Arc::clone(&latencies);
                let spawned = Instant::now();
                spawn_critical(Box::new(move || {
                    let latency = spawned.elapsed();
                    latencies.lock().unwrap().push(latency);
                }));
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {
                break finished.recv_timeout(Duration::from_secs(600)).is_ok();
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => break false,
        }
    };
    let flood_time = start.elapsed();
    // The last probes may still be running.
    while Arc::strong_count(&latencies) > 1 {
        thread::sleep(Duration::from_millis(1));
    }
    let mut latencies = Arc::into_inner(latencies).unwrap().into_inner().unwrap();
    latencies.sort();
    FloodReport {
        latencies,
        flood_time,
        queueing_time,
        completed,
    }
}

fn flood_latency(settings: &Settings) {
    let threads = settings.threads.get();
    let flood = env_count(
        "VEDA_BENCH_FLOOD",
        NonZeroUsize::new(DEFAULT_FLOOD).expect("non-zero"),
    )
    .get();
    println!("Critical start latency under a flood of {flood} Background tasks, {threads} threads");
    let veda_pool = veda::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap();
    let rayon_pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap();
    let veda_report = flood_run(
        flood,
        usize::MAX,
        |task| veda_pool.spawn_with_priority(Priority::Background, task),
        |task| veda_pool.spawn_with_priority(Priority::Critical, task),
    );
    veda_report.print("veda");
    let rayon_report = flood_run(
        flood,
        RAYON_PROBES,
        |task| rayon_pool.spawn(task),
        |task| rayon_pool.spawn(task),
    );
    rayon_report.print("rayon");
    println!(
        "flood time rayon/veda: {:.3}",
        rayon_report.flood_time.as_secs_f64() / veda_report.flood_time.as_secs_f64()
    );
}

fn main() {
    let settings = Settings::from_env();
    if settings.selected("flood") {
        flood_latency(&settings);
        println!();
    }
    if settings.selected("spawn") {
        spawn_costs(&settings);
    }
}
