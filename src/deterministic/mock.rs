//! The no-op twin of the deterministic-mode hooks, compiled without the `deterministic`
//! feature: the same names and signatures, with uninhabited types and empty bodies, so the
//! pool calls them unconditionally and the optimizer removes every call.

use crate::job::{JobFifo, JobRef};
use crate::registry::Registry;
use crate::sync::{Arc, Weak};

/// How a spawned job is queued (see the real `SpawnOrder`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum SpawnOrder {
    Lifo,
    Fifo,
    ScopeFifo(*const JobFifo),
}

// The types below are never built without the feature (`ticket` and `fork` return `None`);
// their methods exist so that the pool's code type-checks without `#[cfg]`.

/// A spawn in a deterministic pool (never built here).
#[allow(dead_code)]
#[derive(Debug)]
pub(crate) struct Ticket;

/// A spawned job's logical task (never built here).
#[allow(dead_code)]
#[derive(Debug)]
pub(crate) struct ChildTask;

/// Queues a spawned job (never built here).
#[allow(dead_code)]
#[derive(Debug)]
pub(crate) struct Dispatcher;

/// A deterministic join (never built here).
#[allow(dead_code)]
#[derive(Debug)]
pub(crate) struct Fork;

impl Ticket {
    pub(crate) fn split(self) -> (ChildTask, Dispatcher) {
        (ChildTask, Dispatcher)
    }
}

impl ChildTask {
    pub(crate) fn run<R>(self, body: impl FnOnce() -> R) -> R {
        body()
    }
}

impl Dispatcher {
    pub(crate) fn dispatch(self, job: JobRef, registry: &Arc<Registry>, _order: SpawnOrder) {
        registry.inject_or_push(job);
    }
}

impl Fork {
    pub(crate) fn swapped(&self) -> bool {
        false
    }

    pub(crate) fn halves(self) -> (ChildTask, ChildTask) {
        (ChildTask, ChildTask)
    }
}

#[inline(always)]
pub(crate) fn ticket(_registry: &Registry) -> Option<Ticket> {
    None
}

#[inline(always)]
pub(crate) fn fork(_registry: &Registry) -> Option<Fork> {
    None
}

#[inline(always)]
pub(crate) fn scope_body<R>(_registry: &Registry, body: impl FnOnce() -> R) -> R {
    body()
}

#[inline(always)]
pub(crate) fn release_spawns() {}

/// A search the deterministic watchdog could settle (see the real trait); nothing calls
/// its methods here, where no watchdog runs.
#[allow(dead_code)]
pub(crate) trait SettleSearch: Send + Sync {
    fn has_match(&self) -> bool;
    fn settle(&self);
}

/// Nothing watches searches without the feature (and no pool is deterministic).
#[inline(always)]
pub(crate) fn watch_search(_search: Weak<dyn SettleSearch>) {}

#[inline(always)]
pub(crate) fn in_effect() -> bool {
    false
}

/// Nothing to put aside.
#[derive(Debug)]
pub(crate) struct Detached;

impl Detached {
    #[inline(always)]
    pub(crate) fn new(_registry: &Registry) -> Self {
        Detached
    }
}
