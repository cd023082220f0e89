//! The task tree of deterministic pools: each thread's current logical task, the hooks the
//! pool calls (joins, spawns, scope bodies, executed jobs), and the deferred, seeded
//! dispatch of spawned jobs, which a task holds until it returns or waits (or until the
//! watchdog, `watchdog.rs`, finds them held too long).
//!
//! Every hook first asks the pool for its policy and does nothing more unless it is
//! `Deterministic`; without the `deterministic` feature, `mock.rs` replaces this file and
//! the hooks vanish.

use super::trace::{DispatchKind, Recorder, TaskId};
use super::watchdog;
use crate::job::{JobFifo, JobRef};
use crate::registry::{Registry, WorkerThread};
use crate::sync::{Arc, Mutex};
use std::cell::RefCell;
use std::time::{Duration, Instant};

thread_local! {
    /// The logical task running on this thread, if any.
    static CURRENT: RefCell<Option<Frame>> = const { RefCell::new(None) };
}

/// A logical task while its body runs on this thread.
struct Frame {
    id: TaskId,
    /// The index the next child gets.
    next_child: u32,
    recorder: Option<Arc<Recorder>>,
    /// The seed of the pool the task runs in.
    seed: u64,
    /// Spawned jobs waiting for the body to return (or to yield); made at the first spawn.
    held: Option<Arc<Held>>,
}

impl Frame {
    /// The task's held spawns, made on first use.
    fn held(&mut self) -> Arc<Held> {
        let held = self.held.get_or_insert_with(|| {
            Arc::new(Held {
                parent: self.id.clone(),
                recorder: self.recorder.clone(),
                seed: self.seed,
                jobs: Mutex::new(HeldJobs {
                    pending: Vec::new(),
                    since: None,
                    watched: false,
                }),
            })
        });
        Arc::clone(held)
    }
}

/// The spawned jobs a task holds, shared with the watchdog.
pub(super) struct Held {
    parent: TaskId,
    recorder: Option<Arc<Recorder>>,
    seed: u64,
    jobs: Mutex<HeldJobs>,
}

struct HeldJobs {
    pending: Vec<Pending>,
    /// When the oldest job in `pending` was spawned.
    since: Option<Instant>,
    /// Whether the watchdog's list has this task.
    watched: bool,
}

impl Held {
    /// Holds `job` until the task releases it (or the watchdog does).
    fn hold(self: &Arc<Self>, job: Pending) {
        let mut jobs = self.jobs.lock();
        if jobs.pending.is_empty() {
            jobs.since = Some(Instant::now());
        }
        jobs.pending.push(job);
        if !jobs.watched {
            jobs.watched = true;
            drop(jobs);
            watchdog::watch(Arc::downgrade(self));
        }
    }

    /// Queues every job held so far.
    fn release_all(&self) {
        let pending = std::mem::take(&mut self.jobs.lock().pending);
        self.release(pending);
    }

    /// The watchdog's visit: releases the held jobs if the oldest has waited `grace`.
    /// Returns whether the watchdog should look again (jobs are held, not for long yet).
    pub(super) fn release_if_held_for(&self, grace: Duration) -> bool {
        let mut jobs = self.jobs.lock();
        let overdue = jobs.since.is_some_and(|since| since.elapsed() >= grace);
        if !jobs.pending.is_empty() && !overdue {
            return true;
        }
        jobs.watched = false;
        let pending = std::mem::take(&mut jobs.pending);
        drop(jobs);
        self.release(pending);
        false
    }

    /// Queues `pending` (jobs of this task): by key under a non-zero seed, else in the order
    /// they were spawned; and records the order.
    fn release(&self, mut pending: Vec<Pending>) {
        if pending.is_empty() {
            return;
        }
        if self.seed != 0 {
            pending.sort_by_key(|job| job.key);
        }
        if let Some(recorder) = &self.recorder {
            let order = pending.iter().map(|job| job.id.clone()).collect();
            recorder.record(self.parent.clone(), DispatchKind::Spawn, order);
        }
        for job in pending {
            queue(job.job, &job.registry, job.order);
        }
    }
}

/// A spawned job that waits for its parent's body to return.
struct Pending {
    id: TaskId,
    key: u64,
    job: JobRef,
    registry: Arc<Registry>,
    order: SpawnOrder,
}

// SAFETY: the one field that is not `Send` is a `SpawnOrder::ScopeFifo` pointer. Only a
// worker of the job's pool follows it (`queue` pushes through it when it runs on such a
// worker, else injects the job itself), and the scope that owns the FIFO waits for the job
// (see `SpawnOrder::ScopeFifo`), so the FIFO is alive whichever thread releases the job.
unsafe impl Send for Pending {}

/// How a spawned job is queued once released.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum SpawnOrder {
    /// As `spawn` and `Scope::spawn`: onto the worker's deque (last in, first out there).
    Lifo,
    /// As `spawn_fifo`: onto the worker's FIFO.
    Fifo,
    /// As `ScopeFifo::spawn_fifo`: onto this FIFO of the scope (the spawning worker's), then
    /// a reference to it onto the worker's deque.
    ///
    /// The scope outlives the FIFO's use: the job was counted in the scope before it was
    /// deferred, so the scope cannot end before the job has run, after its release.
    ScopeFifo(*const JobFifo),
}

/// A new child of the current task.
struct NewChild {
    id: TaskId,
    /// The recorder the child inherits.
    recorder: Option<Arc<Recorder>>,
    /// Whether its parent defers dispatch (a thread with no current task dispatches at
    /// once).
    defer: bool,
    /// The seed it runs under: its parent's (which is the pool's, except inside a search,
    /// see [`unseeded`]), or `pool_seed` on a thread with no current task.
    seed: u64,
}

fn new_child(pool_seed: u64) -> NewChild {
    CURRENT.with_borrow_mut(|current| match current {
        Some(frame) => {
            let id = frame.id.child(frame.next_child);
            frame.next_child += 1;
            NewChild {
                id,
                recorder: frame.recorder.clone(),
                defer: true,
                seed: frame.seed,
            }
        }
        None => NewChild {
            id: TaskId::root().child(0),
            recorder: None,
            defer: false,
            seed: pool_seed,
        },
    })
}

/// Runs `body`, a search in a deterministic pool, under seed 0: its joins run their halves
/// in source order (as under `WorkStealing`) and its tasks' spawns go out in spawn order.
/// A search's answer does not depend on that order, but how soon it stops does: a
/// `find_first` whose first half waits behind a seeded second half may scan that half
/// through before it looks where its match is.
pub(crate) fn unseeded<R>(body: impl FnOnce() -> R) -> R {
    let seed = CURRENT.with_borrow_mut(|current| {
        current
            .as_mut()
            .map(|frame| std::mem::replace(&mut frame.seed, 0))
    });
    match seed {
        // On a thread with no task, the search's joins would take the pool's seed.
        None => run_as(TaskId::root().child(0), None, 0, body),
        Some(seed) => {
            let _restore = RestoreSeed(seed);
            body()
        }
    }
}

/// Gives the current task its seed back, after [`unseeded`].
struct RestoreSeed(u64);

impl Drop for RestoreSeed {
    fn drop(&mut self) {
        CURRENT.with_borrow_mut(|current| {
            if let Some(frame) = current {
                frame.seed = self.0;
            }
        });
    }
}

/// Runs `body` as the task `id`: children it creates are numbered under `id`, and the jobs
/// it spawns are released, in seeded order, when it returns or unwinds.
pub(crate) fn run_as<R>(
    id: TaskId,
    recorder: Option<Arc<Recorder>>,
    seed: u64,
    body: impl FnOnce() -> R,
) -> R {
    let frame = Frame {
        id,
        next_child: 0,
        recorder,
        seed,
        held: None,
    };
    let _restore = Restore {
        saved: CURRENT.replace(Some(frame)),
    };
    body()
}

/// Puts back the frame a task replaced, after releasing the task's spawns.
struct Restore {
    saved: Option<Frame>,
}

impl Drop for Restore {
    fn drop(&mut self) {
        let finished = CURRENT.replace(self.saved.take());
        if let Some(held) = finished.and_then(|frame| frame.held) {
            held.release_all();
        }
    }
}

/// Releases the spawns the current task made so far: called where a task waits for other
/// work inside the pool (`yield_now`, `yield_local`, `block_in_place`), so that a body that
/// waits there for its own spawns sees them run.
pub(crate) fn release_spawns() {
    let held = CURRENT.with_borrow(|current| current.as_ref()?.held.clone());
    if let Some(held) = held {
        held.release_all();
    }
}

fn queue(job: JobRef, registry: &Arc<Registry>, order: SpawnOrder) {
    match (order, registry.current_thread()) {
        (SpawnOrder::Fifo, Some(worker)) => worker.push_fifo(job),
        (SpawnOrder::ScopeFifo(fifo), Some(worker)) => {
            // SAFETY: the scope that owns the FIFO waits for this job, counted before it was
            // deferred (see `SpawnOrder::ScopeFifo`), so the FIFO outlives the reference;
            // the reference pops exactly the one job pushed with it.
            worker.push(unsafe { (*fifo).push(job) });
        }
        _ => registry.inject_or_push(job),
    }
}

/// A spawn in a deterministic pool: the child's identity, for its job's body, and the slot
/// that dispatches its job.
#[derive(Debug)]
pub(crate) struct Ticket {
    id: TaskId,
    recorder: Option<Arc<Recorder>>,
    seed: u64,
    defer: bool,
}

/// What a spawned job's body needs to run as its logical task.
#[derive(Debug)]
pub(crate) struct ChildTask {
    id: TaskId,
    recorder: Option<Arc<Recorder>>,
    seed: u64,
}

impl ChildTask {
    /// Runs `body` as this task.
    pub(crate) fn run<R>(self, body: impl FnOnce() -> R) -> R {
        run_as(self.id, self.recorder, self.seed, body)
    }
}

/// The dispatch side of a [`Ticket`].
#[derive(Debug)]
pub(crate) struct Dispatcher {
    id: TaskId,
    key: u64,
    defer: bool,
}

impl Dispatcher {
    /// Queues `job` now (no current task, or one on a thread of no pool), or at the current
    /// task's next release point (see `release_spawns`) or when its body returns.
    pub(crate) fn dispatch(self, job: JobRef, registry: &Arc<Registry>, order: SpawnOrder) {
        if !self.defer {
            return queue(job, registry, order);
        }
        let pending = Pending {
            id: self.id,
            key: self.key,
            job,
            registry: Arc::clone(registry),
            order,
        };
        match CURRENT.with_borrow_mut(|current| current.as_mut().map(Frame::held)) {
            Some(held) => held.hold(pending),
            // Not expected (the ticket was taken under a task of this thread, which still
            // runs); queue the job at once rather than lose it.
            None => queue(pending.job, &pending.registry, pending.order),
        }
        // A task on a thread of no pool (the body of an `in_place_scope` called from
        // outside) may block that thread until its jobs have run, with no worker to wait
        // for: its spawns go out at once, in spawn order.
        if WorkerThread::current_ref().is_none() {
            release_spawns();
        }
    }
}

impl Ticket {
    pub(crate) fn split(self) -> (ChildTask, Dispatcher) {
        let key = self.id.key(self.seed);
        (
            ChildTask {
                id: self.id.clone(),
                recorder: self.recorder,
                seed: self.seed,
            },
            Dispatcher {
                id: self.id,
                key,
                defer: self.defer,
            },
        )
    }
}

/// A ticket for a job about to be spawned onto `registry`, if its policy is deterministic.
#[inline]
pub(crate) fn ticket(registry: &Registry) -> Option<Ticket> {
    let pool_seed = registry.scheduling_policy().deterministic_seed()?;
    let child = new_child(pool_seed);
    Some(Ticket {
        id: child.id,
        recorder: child.recorder,
        seed: child.seed,
        defer: child.defer,
    })
}

/// Runs a scope's body as a child task of the current one, in a deterministic pool: its
/// spawns are released when it returns, before the scope waits for them.
#[inline]
pub(crate) fn scope_body<R>(registry: &Registry, body: impl FnOnce() -> R) -> R {
    match registry.scheduling_policy().deterministic_seed() {
        None => body(),
        Some(pool_seed) => {
            // The scope will wait inside the pool at its end: the spawns made so far go out
            // first, as they would have without deferral.
            release_spawns();
            let child = new_child(pool_seed);
            run_as(child.id, child.recorder, child.seed, body)
        }
    }
}

/// A join in a deterministic pool: the join node and the order of its halves.
#[derive(Debug)]
pub(crate) struct Fork {
    node: TaskId,
    recorder: Option<Arc<Recorder>>,
    seed: u64,
}

/// A join `registry` should run as a [`Fork`], if its policy is deterministic.
#[inline]
pub(crate) fn fork(registry: &Registry) -> Option<Fork> {
    let pool_seed = registry.scheduling_policy().deterministic_seed()?;
    let child = new_child(pool_seed);
    Some(Fork {
        node: child.id,
        recorder: child.recorder,
        seed: child.seed,
    })
}

impl Fork {
    /// Whether the second closure goes first (runs on this thread while the first is
    /// offered): decided by the seed and the node's id; never under seed 0.
    pub(crate) fn swapped(&self) -> bool {
        self.seed != 0 && self.node.key(self.seed) & 1 == 1
    }

    /// The two halves' tasks (first closure, second closure), after recording their order.
    pub(crate) fn halves(self) -> (ChildTask, ChildTask) {
        let first = self.node.child(0);
        let second = self.node.child(1);
        if let Some(recorder) = &self.recorder {
            let order = if self.swapped() {
                vec![second.clone(), first.clone()]
            } else {
                vec![first.clone(), second.clone()]
            };
            recorder.record(self.node.clone(), DispatchKind::Join, order);
        }
        let task = |id| ChildTask {
            id,
            recorder: self.recorder.clone(),
            seed: self.seed,
        };
        (task(first), task(second))
    }
}

/// While alive, the current thread runs a job taken from a queue: in a deterministic pool,
/// that job is not part of whatever task the thread was in (it may be waiting in a join
/// and have stolen the job), so the thread's current task is put aside until it ends.
#[derive(Debug)]
pub(crate) struct Detached {
    saved: Option<Option<Frame>>,
}

impl std::fmt::Debug for Frame {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Frame")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

impl Detached {
    #[inline]
    pub(crate) fn new(registry: &Registry) -> Self {
        let saved = registry
            .scheduling_policy()
            .deterministic_seed()
            .map(|_| CURRENT.take());
        Detached { saved }
    }
}

impl Drop for Detached {
    #[inline]
    fn drop(&mut self) {
        if let Some(saved) = self.saved.take() {
            CURRENT.set(saved);
        }
    }
}

/// Runs `body` as the root task `/` of a recording under `seed`; returns its result and
/// the recorder, once the root's own spawns are released.
pub(crate) fn run_recorded<R>(seed: u64, body: impl FnOnce() -> R) -> (R, Arc<Recorder>) {
    let recorder = Arc::new(Recorder::new(seed));
    let result = run_as(TaskId::root(), Some(Arc::clone(&recorder)), seed, body);
    (result, recorder)
}
