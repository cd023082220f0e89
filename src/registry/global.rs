//! The global pool: started lazily on first use (as Rayon's is), or explicitly by
//! `build_global`/`init`, and — unlike Rayon's — able to shut down and start again.
//!
//! The slot holds the registry and one count of its terminate count. Anything that submits
//! work to the global pool from outside takes a [`RegistryKeepalive`] *under the slot's
//! lock*, so a concurrent `shutdown` can never end the workers under a pending job: shutdown
//! empties the slot first, drops the slot's count, and waits for the workers to finish
//! whatever the keepalives still guard.

use super::{AdoptedThread, Registry, RegistryKeepalive, WorkerThread};
use crate::sync::{Arc, Mutex};
use crate::thread_pool::{ErrorKind, ThreadPoolBuildError, ThreadPoolBuilder, ThreadSpawn};

struct GlobalPool {
    registry: Arc<Registry>,
    /// Index of the worker that is the thread which called `build_global` with
    /// `use_current_thread`: shutdown cannot wait for it.
    adopted_index: Option<usize>,
}

static GLOBAL: Mutex<Option<GlobalPool>> = Mutex::new(None);

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

/// The global registry, started with the default configuration if needed.
pub(crate) fn global_registry() -> Arc<Registry> {
    let mut slot = GLOBAL.lock();
    Arc::clone(&slot.get_or_insert_with(start_default).registry)
}

/// A keepalive on the global registry, started with the default configuration if needed.
pub(crate) fn global_keepalive() -> RegistryKeepalive {
    let mut slot = GLOBAL.lock();
    RegistryKeepalive::new(&slot.get_or_insert_with(start_default).registry)
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
    *slot = Some(GlobalPool {
        registry,
        adopted_index,
    });
    Ok(())
}

/// Ends the global pool, if one runs: waits until its queued work has finished and its
/// threads have exited. The next use starts a fresh pool.
///
/// Called from a worker of the global pool, it cannot wait for that worker's own job: the
/// pool then ends in the background, as soon as its outstanding work is done.
pub(crate) fn shutdown_global() {
    let Some(pool) = GLOBAL.lock().take() else {
        return;
    };
    match pool.registry.current_thread().map(WorkerThread::index) {
        // The adopted thread stops being a worker; it has no main loop to leave.
        Some(index) if Some(index) == pool.adopted_index => {
            WorkerThread::clear_current();
            pool.registry.terminate();
            pool.registry.wait_until_stopped(pool.adopted_index);
        }
        Some(_) => pool.registry.terminate(),
        None => {
            pool.registry.terminate();
            pool.registry.wait_until_stopped(pool.adopted_index);
        }
    }
}
