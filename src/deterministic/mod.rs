//! Deterministic mode (cargo feature `deterministic`): reproducible results and a
//! reproducible, seeded dispatch order, under
//! [`SchedulingPolicy::Deterministic { seed }`](crate::SchedulingPolicy::Deterministic).
//!
//! Select it per pool with
//! [`ThreadPoolBuilder::scheduling_policy`](crate::ThreadPoolBuilder::scheduling_policy),
//! for the global pool with [`ConfigBuilder::scheduling_policy`](crate::ConfigBuilder::scheduling_policy),
//! or for every pool that does not choose with the environment variable
//! `VEDA_SCHEDULING_POLICY=deterministic` (seed 0) or `VEDA_SCHEDULING_POLICY=deterministic:42`.
//!
//! # What is fixed
//!
//! * **Reductions.** An indexed parallel iterator is cut at the midpoint, again and again,
//!   until its pieces hold at most `ceil(len / 256)` items (and honouring `with_min_len` /
//!   `with_max_len`); each piece is folded front to back and neighbouring results are
//!   combined left to right up that tree. The tree depends on the input's length alone —
//!   never on the thread count, on steals or on timing — so `sum`, `product`, `reduce`,
//!   `fold` + `reduce`, `min_by`/`max_by` (ties included), `collect`, `unzip`,
//!   `partition` and the rest give the same result, bit for bit (floating point included),
//!   on every run and with any number of threads. Unindexed sources (`iter::split`, the
//!   wide integer ranges, string and slice splitting, …) are cut into at most 256 pieces
//!   (eight levels of halving) where the source itself says they can be cut, which is
//!   fixed by their contents. [`par_bridge`](crate::iter::ParallelBridge::par_bridge)
//!   takes its iterator's items in order, 1 024 at a time, on the calling thread, and runs
//!   each batch as an indexed input.
//! * **Searches.** `find_any`, `find_map_any` and `position_any` return what `find_first`,
//!   `find_map_first` and `position_first` would — and so, like them, cannot return before
//!   every item ahead of the first match was checked (see below for prefixes too long to
//!   check). `any` and `all`, whose answer is the same whichever match is found, still stop
//!   at the first match any thread meets. Searches are exempt from the fixed tree and from
//!   the seed: their answer is defined by position, not by the cuts
//!   ([`Consumer::split_independent`](crate::iter::plumbing::Consumer::split_independent)),
//!   so they split on demand, run each join's first half first, and stop soon after their
//!   match even in a 10^27-item range.
//! * **Task ids.** Every join (each cut of a parallel iterator is one), spawned job and
//!   scope body is a logical task, named by its path in the task tree ([`TaskId`]): the
//!   `k`-th child its parent created. Threads play no part in ids.
//! * **Dispatch order.** A join decides from the seed and its id which half it runs first
//!   (the other is offered to other threads); a task's spawned jobs wait until its body
//!   returns and are then queued in an order fixed by the seed (seed 0: spawn order). With
//!   one thread this is the execution order, exactly, so a one-thread pool replays a run
//!   step by step; with more threads, the jobs released in that order run in parallel.
//! * **Traces.** [`record_trace`] (or [`ThreadPool::record_trace`](crate::ThreadPool::record_trace))
//!   returns the dispatch decisions of a run as a [`Trace`]: for each join and each task
//!   that spawned, its children in the order they were released. The same program and seed
//!   give the same trace on every run and with any thread count; another seed permutes it.
//!
//! # What is not
//!
//! * Which thread runs what, and the interleaving of tasks that run in parallel: tasks
//!   that race on shared state (a counter, a log, a channel) still race. Results through
//!   the iterator API and the reduction tree are fixed; side effects are not ordered.
//! * `find_any` searches that end only because threads race: when every match lies behind
//!   an astronomically long prefix without one (Rayon's own `octillion` tests look for a
//!   number above 5·10^26 among 10^27), the first match cannot be certified in time. A
//!   watchdog settles a search that has held some match for a second without certifying
//!   it: every piece stops, and the search returns the first of the matches found so far,
//!   which depends on timing, as under Rayon. (A `find_first` there does not end, under
//!   Rayon or here.)
//! * `take_any`, `skip_any`, `take_any_while` and `skip_any_while` pick items by arrival;
//!   use `take`, `skip`, `take_while` and `skip_while` on indexed input.
//! * Errors of `try_for_each`, `try_reduce` and their kin: when several items fail, which
//!   error is returned depends on timing, as under the other policies (a success is fixed).
//! * Jobs spawned at a [`Priority`](crate::Priority) other than `Normal`, broadcasts, and
//!   jobs spawned from a thread that runs no task (outside every pool, or a job that an
//!   `install` sent in) are queued at once, as under `WorkStealing`, and not recorded.
//! * The joins inside a search (`find_*`, `position_*`, `any`, `all`): a search cuts on
//!   demand and stops once its answer is known, so the joins it makes, and its part of a
//!   trace, depend on timing. They all descend from its first cut, so the ids of the
//!   tasks around it do not, and neither does its answer.
//! * `'static` spawns ([`spawn`](crate::spawn)) that still run when `record_trace`
//!   returns are missing from its trace: wait for them (or use a scope) first.
//!
//! A task's spawns wait until its body returns, or until it waits inside the pool (it opens
//! a scope, or calls [`yield_now`](crate::yield_now), [`yield_local`](crate::yield_local),
//! [`block_in_place`](crate::block_in_place)), which releases the spawns made so far. A
//! body that blocks elsewhere until a job it spawned itself has run (on a channel, say)
//! is rescued by a watchdog, which releases spawns held for more than 100 ms; such a
//! release depends on the clock, so it shows in the trace as a batch of its own. For exact
//! replays, spawn such a job from a scope body of its own (`veda::scope(|s| s.spawn(..))`
//! returns after releasing it).
//!
//! # Cost
//!
//! Joins are always published for other threads (as under `WorkStealing`), inputs are cut
//! into up to 256 pieces even when no thread is idle, and every join and task carries an id
//! (a small allocation). On long inputs the cost disappears in the work: on two threads,
//! summing, mapping into a `Vec` and fold + reduce over 2 million `f64` took 0.97 to 1.09
//! times as long as under `Adaptive`, and a `position_first` whose match lies three
//! quarters in about 1.25 times (searches split like `WorkStealing`, not on demand). Short
//! inputs pay for every cut: a sum of 1 000 `f64` took 2 to 11 times as long (60 to 90 µs),
//! since each item becomes a piece of its own (`benches/deterministic.rs` measures these
//! ratios).
//!
//! # Examples
//!
//! ```
//! use veda::prelude::*;
//! use veda::{SchedulingPolicy, ThreadPoolBuilder};
//!
//! let values: Vec<f64> = (0..100_000).map(|i| 1.0 / (1.0 + i as f64)).collect();
//! let sum_with = |threads| {
//!     let pool = ThreadPoolBuilder::new()
//!         .num_threads(threads)
//!         .scheduling_policy(SchedulingPolicy::Deterministic { seed: 0 })
//!         .build()
//!         .unwrap();
//!     pool.install(|| values.par_iter().sum::<f64>())
//! };
//! assert_eq!(sum_with(1).to_bits(), sum_with(3).to_bits());
//! ```

mod task;
#[cfg(test)]
mod test;
mod trace;
mod watchdog;

pub(crate) use task::{fork, release_spawns, scope_body, ticket, unseeded, Detached, SpawnOrder};
pub use trace::{Dispatch, DispatchKind, TaskId, Trace};
pub(crate) use watchdog::{watch_search, SettleSearch};

use crate::registry;
use crate::scheduling_policy::SchedulingPolicy;

/// Why a run could not be recorded.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TraceError {
    /// The pool does not follow a deterministic policy, so there is no order to record.
    #[error(
        "the pool's scheduling policy is {policy}, not deterministic: build it with \
         SchedulingPolicy::Deterministic {{ seed }} (or set VEDA_SCHEDULING_POLICY=deterministic:SEED \
         for pools that do not choose)"
    )]
    NotDeterministic {
        /// The pool's policy.
        policy: SchedulingPolicy,
    },
}

/// Runs `op` in the current pool (the global pool outside every pool) as the root task `/`
/// of a recording, and returns its result with the [`Trace`] of the run's dispatch
/// decisions.
///
/// The pool's policy must be [`SchedulingPolicy::Deterministic`]; `op` runs on one of its
/// workers, as with [`ThreadPool::install`](crate::ThreadPool::install).
///
/// # Errors
///
/// [`TraceError::NotDeterministic`] if the pool follows another policy (then `op` does not
/// run).
///
/// # Examples
///
/// ```
/// use veda::prelude::*;
/// use veda::{SchedulingPolicy, ThreadPoolBuilder};
///
/// let pool = ThreadPoolBuilder::new()
///     .num_threads(4)
///     .scheduling_policy(SchedulingPolicy::Deterministic { seed: 3 })
///     .build()
///     .unwrap();
/// let record = || {
///     pool.install(|| {
///         veda::deterministic::record_trace(|| (0..64).into_par_iter().map(|x| x * 2).sum::<i32>())
///     })
///     .unwrap()
/// };
/// let (sum, trace) = record();
/// assert_eq!(sum, 4032);
/// assert_eq!(record().1, trace);
/// ```
pub fn record_trace<OP, R>(op: OP) -> Result<(R, Trace), TraceError>
where
    OP: FnOnce() -> R + Send,
    R: Send,
{
    registry::in_worker(|worker, _| {
        let policy = worker.registry().scheduling_policy();
        let seed = policy
            .deterministic_seed()
            .ok_or(TraceError::NotDeterministic { policy })?;
        let (result, recorder) = task::run_recorded(seed, op);
        Ok((result, recorder.trace()))
    })
}

/// Whether the current pool (the global pool outside every pool) is deterministic.
#[inline]
pub(crate) fn in_effect() -> bool {
    match registry::WorkerThread::current_ref() {
        Some(worker) => worker.registry().scheduling_policy(),
        None => registry::global_scheduling_policy(),
    }
    .deterministic_seed()
    .is_some()
}
