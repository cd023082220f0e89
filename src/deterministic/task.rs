//! The task tree of deterministic pools: each thread's current logical task, the hooks the
//! pool calls (joins, spawns, scope bodies, executed jobs), and the deferred, seeded
//! dispatch of spawned jobs.
//!
//! Every hook first asks the pool for its policy and does nothing more unless it is
//! `Deterministic`; without the `deterministic` feature, `mock.rs` replaces this file and
//! the hooks vanish.

use super::trace::{DispatchKind, Recorder, TaskId};
use crate::job::{JobFifo, JobRef};
use crate::registry::{Registry, WorkerThread};
use crate::sync::Arc;
use std::cell::RefCell;

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
    /// Spawned jobs waiting for the body to return (or to yield).
    pending: Vec<Pending>,
}

/// A spawned job that waits for its parent's body to return.
struct Pending {
    id: TaskId,
    key: u64,
    job: JobRef,
    registry: Arc<Registry>,
    order: SpawnOrder,
}

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

/// A new child of the current task: its id, the recorder it inherits, and whether its
/// parent defers dispatch (a thread with no current task dispatches at once).
fn new_child() -> (TaskId, Option<Arc<Recorder>>, bool) {
    CURRENT.with_borrow_mut(|current| match current {
        Some(frame) => {
            let id = frame.id.child(frame.next_child);
            frame.next_child += 1;
            (id, frame.recorder.clone(), true)
        }
        None => (TaskId::root().child(0), None, false),
    })
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
        pending: Vec::new(),
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
        if let Some(mut frame) = finished {
            release(&mut frame);
        }
    }
}

/// Releases the spawns the current task made so far: called where a task waits for other
/// work inside the pool (`yield_now`, `yield_local`, `block_in_place`), so that a body that
/// waits there for its own spawns sees them run.
pub(crate) fn release_spawns() {
    let batch = CURRENT.with_borrow_mut(|current| {
        let frame = current.as_mut()?;
        if frame.pending.is_empty() {
            return None;
        }
        Some(Frame {
            id: frame.id.clone(),
            next_child: frame.next_child,
            recorder: frame.recorder.clone(),
            seed: frame.seed,
            pending: std::mem::take(&mut frame.pending),
        })
    });
    if let Some(mut batch) = batch {
        release(&mut batch);
    }
}

/// Queues a task's waiting spawned jobs: by key under a non-zero seed, else in the order
/// they were spawned; and records the order.
fn release(frame: &mut Frame) {
    let mut pending = std::mem::take(&mut frame.pending);
    if pending.is_empty() {
        return;
    }
    if frame.seed != 0 {
        pending.sort_by_key(|job| job.key);
    }
    if let Some(recorder) = &frame.recorder {
        let order = pending.iter().map(|job| job.id.clone()).collect();
        recorder.record(frame.id.clone(), DispatchKind::Spawn, order);
    }
    for job in pending {
        queue(job.job, &job.registry, job.order);
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
        let refused = CURRENT.with_borrow_mut(|current| match current {
            Some(frame) => {
                frame.pending.push(pending);
                None
            }
            None => Some(pending),
        });
        // Not expected (the ticket was taken under a task of this thread, which still
        // runs); queue the job at once rather than lose it.
        if let Some(pending) = refused {
            queue(pending.job, &pending.registry, pending.order);
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
    let seed = registry.scheduling_policy().deterministic_seed()?;
    let (id, recorder, defer) = new_child();
    Some(Ticket {
        id,
        recorder,
        seed,
        defer,
    })
}

/// Runs a scope's body as a child task of the current one, in a deterministic pool: its
/// spawns are released when it returns, before the scope waits for them.
#[inline]
pub(crate) fn scope_body<R>(registry: &Registry, body: impl FnOnce() -> R) -> R {
    match registry.scheduling_policy().deterministic_seed() {
        None => body(),
        Some(seed) => {
            // The scope will wait inside the pool at its end: the spawns made so far go out
            // first, as they would have without deferral.
            release_spawns();
            let (id, recorder, _) = new_child();
            run_as(id, recorder, seed, body)
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
    let seed = registry.scheduling_policy().deterministic_seed()?;
    let (node, recorder, _) = new_child();
    Some(Fork {
        node,
        recorder,
        seed,
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
