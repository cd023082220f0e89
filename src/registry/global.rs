//! The global pool: started lazily on first use (as Rayon's is), or explicitly by
//! `build_global`/`init`, and — unlike Rayon's — able to shut down and start again.
//!
//! The slot holds the registry and one count of its terminate count. Anything that submits
//! work to the global pool from outside takes a [`RegistryKeepalive`] *under the slot's
//! lock*, so a concurrent `shutdown` can never end the workers under a pending job: shutdown
//! empties the slot first, drops the slot's count, and waits for the workers to finish
//! whatever the keepalives still guard.

use super::{AdoptedThread, Registry, RegistryKeepalive, WorkerThread};
use crate::scheduling_policy::SchedulingPolicy;
use crate::sync::{Arc, AtomicUsize, Mutex, Ordering};
use crate::thread_pool::{ErrorKind, ThreadPoolBuildError, ThreadPoolBuilder, ThreadSpawn};

struct GlobalPool {
    registry: Arc<Registry>,
    /// Index of the worker that is the thread which called `build_global` with
    /// `use_current_thread`: shutdown cannot wait for it.
    adopted_index: Option<usize>,
}

static GLOBAL: Mutex<Option<GlobalPool>> = Mutex::new(None);

/// The thread count of the running global pool, or 0: lets `current_num_threads` skip the
/// lock. Written only under the lock of `GLOBAL`.
static GLOBAL_NUM_THREADS: AtomicUsize = AtomicUsize::new(0);

/// The scheduling policy of the running global pool as [`policy_code`] encodes it, or 0:
/// lets `global_scheduling_policy` skip the lock. Written only under the lock of `GLOBAL`.
static GLOBAL_POLICY: AtomicUsize = AtomicUsize::new(0);

/// The seed of the running global pool when its policy is deterministic (code 3). Written
/// only under the lock of `GLOBAL`, before `GLOBAL_POLICY`.
#[cfg(feature = "deterministic")]
static GLOBAL_SEED: crate::sync::AtomicU64 = crate::sync::AtomicU64::new(0);

fn policy_code(policy: SchedulingPolicy) -> usize {
    match policy {
        SchedulingPolicy::Adaptive => 1,
        SchedulingPolicy::WorkStealing => 2,
        #[cfg(feature = "deterministic")]
        SchedulingPolicy::Deterministic { seed } => {
            GLOBAL_SEED.store(seed, Ordering::Relaxed);
            3
        }
    }
}

impl GlobalPool {
    fn put_in(self, slot: &mut Option<GlobalPool>) -> &GlobalPool {
        GLOBAL_NUM_THREADS.store(self.registry.num_threads(), Ordering::Release);
        GLOBAL_POLICY.store(
            policy_code(self.registry.scheduling_policy()),
            Ordering::Release,
        );
        slot.insert(self)
    }
}

fn running_or_default(slot: &mut Option<GlobalPool>) -> &GlobalPool {
    if slot.is_none() {
        start_default().put_in(slot);
    }
    slot.as_ref()
        .expect("the global pool runs: it was just started")
}

fn start_default() -> GlobalPool {
    match Registry::new(ThreadPoolBuilder::new()) {
        Ok((registry, _)) => GlobalPool {
            registry,
            adopted_index: None,
        },
        Err(error) => panic!(
            "veda could not start the global thread pool ({error}); \
             check the thread limits of this process or configure the pool with veda::init_with_config"
        ),
    }
}

/// The thread count of the global pool, started with the default configuration if needed.
pub(crate) fn global_num_threads() -> usize {
    match GLOBAL_NUM_THREADS.load(Ordering::Acquire) {
        0 => running_or_default(&mut GLOBAL.lock())
            .registry
            .num_threads(),
        num_threads => num_threads,
    }
}

/// The scheduling policy of the global pool, started with the default configuration if
/// needed.
pub(crate) fn global_scheduling_policy() -> SchedulingPolicy {
    match GLOBAL_POLICY.load(Ordering::Acquire) {
        1 => SchedulingPolicy::Adaptive,
        2 => SchedulingPolicy::WorkStealing,
        #[cfg(feature = "deterministic")]
        3 => SchedulingPolicy::Deterministic {
            seed: GLOBAL_SEED.load(Ordering::Relaxed),
        },
        _ => running_or_default(&mut GLOBAL.lock())
            .registry
            .scheduling_policy(),
    }
}

/// A keepalive on the global registry, started with the default configuration if needed.
pub(crate) fn global_keepalive() -> RegistryKeepalive {
    RegistryKeepalive::new(&running_or_default(&mut GLOBAL.lock()).registry)
}

/// Starts the global pool from `builder`; fails if it is running already.
pub(crate) fn init_global_registry<S: ThreadSpawn>(
    builder: ThreadPoolBuilder<S>,
) -> Result<(), ThreadPoolBuildError> {
    let mut slot = GLOBAL.lock();
    if slot.is_some() {
        return Err(ThreadPoolBuildError::new(
            ErrorKind::GlobalPoolAlreadyInitialized,
        ));
    }
    let (registry, adopted) = Registry::new(builder)?;
    // A thread adopted by the global pool stays a worker for the pool's whole life.
    let adopted_index = adopted.map(|_: AdoptedThread| 0);
    GlobalPool {
        registry,
        adopted_index,
    }
    .put_in(&mut slot);
    Ok(())
}

/// Ends the global pool, if one runs: waits until its queued work has finished and its
/// threads have exited. The next use starts a fresh pool.
///
/// Called from a worker of the global pool, it cannot wait for that worker's own job: the
/// pool then ends in the background, as soon as its outstanding work is done.
pub(crate) fn shutdown_global() {
    let taken = {
        let mut slot = GLOBAL.lock();
        GLOBAL_NUM_THREADS.store(0, Ordering::Release);
        GLOBAL_POLICY.store(0, Ordering::Release);
        slot.take()
    };
    let Some(pool) = taken else {
        return;
    };
    match pool.registry.current_thread().map(WorkerThread::index) {
        // The adopted thread stops being a worker; it has no main loop to leave.
        Some(index) if Some(index) == pool.adopted_index => {
            WorkerThread::clear_current();
            pool.registry.terminate();
            pool.registry.wait_until_stopped();
        }
        Some(_) => pool.registry.terminate(),
        None => {
            pool.registry.terminate();
            pool.registry.wait_until_stopped();
        }
    }
}
