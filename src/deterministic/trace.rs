//! Logical task ids and the recorded trace of dispatch decisions.

use crate::sync::{Arc, Mutex};
use std::fmt;

/// The logical id of a task in deterministic mode: its path in the task tree.
///
/// The task that [`record_trace`](super::record_trace) runs is the root, `/`. The `k`-th
/// child a task creates (counting from 0, in the order its own code creates them) is its id
/// followed by `k`: `/2` is the root's third child, `/2/0` that child's first. A child is
/// one of:
///
/// * a `join` (including each cut of a parallel iterator): the join itself is a child
///   node, and its two halves are that node's children `0` (the first closure, the left
///   part of the input) and `1`;
/// * a job spawned with [`spawn`](crate::spawn), [`Scope::spawn`](crate::Scope::spawn) and
///   their FIFO forms;
/// * the body of a [`scope`](crate::scope()) (or of any other scope form).
///
/// Ids depend only on what each task does, never on threads, steals or timing.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TaskId(Arc<[u32]>);

impl TaskId {
    /// The root of a recording, `/`.
    pub(crate) fn root() -> Self {
        TaskId(Arc::from(Vec::new()))
    }

    /// The `index`-th child of this task.
    pub(crate) fn child(&self, index: u32) -> Self {
        let mut path = Vec::with_capacity(self.0.len() + 1);
        path.extend_from_slice(&self.0);
        path.push(index);
        TaskId(Arc::from(path))
    }

    /// The path from the root: one child index per level (empty for the root).
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::{SchedulingPolicy, ThreadPoolBuilder};
    ///
    /// let pool = ThreadPoolBuilder::new()
    ///     .num_threads(2)
    ///     .scheduling_policy(SchedulingPolicy::Deterministic { seed: 7 })
    ///     .build()
    ///     .unwrap();
    /// let (_, trace) = pool.record_trace(|| veda::join(|| 1, || 2)).unwrap();
    /// // The join is the root's first child; its halves are the join's children.
    /// assert_eq!(trace.dispatches()[0].parent().path(), [0]);
    /// ```
    pub fn path(&self) -> &[u32] {
        &self.0
    }

    /// A well-mixed 64-bit key for this id under `seed` (splitmix64 over the path).
    pub(crate) fn key(&self, seed: u64) -> u64 {
        let mut state = seed;
        let mut key = mix(&mut state);
        for &index in self.0.iter() {
            state ^= u64::from(index)
                .wrapping_add(1)
                .wrapping_mul(0xA076_1D64_78BD_642F);
            key = mix(&mut state);
        }
        key
    }
}

/// One step of splitmix64.
fn mix(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl fmt::Display for TaskId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str("/");
        }
        for index in self.0.iter() {
            write!(f, "/{index}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for TaskId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TaskId({self})")
    }
}

/// What a [`Dispatch`] released.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum DispatchKind {
    /// The two halves of a `join`: the first in [`Dispatch::order`] ran on the joining
    /// thread, the second was offered to other threads (and ran there or afterwards).
    Join,
    /// The jobs a task spawned, released when its body returned, in this order.
    Spawn,
}

/// One dispatch decision: the order in which a task released its children.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Dispatch {
    parent: TaskId,
    kind: DispatchKind,
    order: Vec<TaskId>,
}

impl Dispatch {
    /// The task that released the children: for [`DispatchKind::Join`], the join node.
    pub fn parent(&self) -> &TaskId {
        &self.parent
    }

    /// Whether this was a join or a batch of spawns.
    pub fn kind(&self) -> DispatchKind {
        self.kind
    }

    /// The children, in the order they were released.
    pub fn order(&self) -> &[TaskId] {
        &self.order
    }
}

/// The dispatch decisions of a recorded run, as [`record_trace`](super::record_trace)
/// returns them.
///
/// Each [`Dispatch`] says in which order one task released its children; the list is sorted
/// by parent id (then kind), so two traces compare equal exactly when every task released
/// the same children in the same order, whatever threads ran them and whenever. With the
/// same program and seed, the trace is the same on every run and for every thread count;
/// another seed gives another order wherever a task has two or more children (for a join,
/// each seed picks one of the two orders, so a single join matches under half of all
/// seeds).
///
/// # Examples
///
/// ```
/// use veda::{SchedulingPolicy, ThreadPoolBuilder};
///
/// let run = |seed| {
///     let pool = ThreadPoolBuilder::new()
///         .num_threads(2)
///         .scheduling_policy(SchedulingPolicy::Deterministic { seed })
///         .build()
///         .unwrap();
///     let ((), trace) = pool
///         .record_trace(|| {
///             veda::scope(|s| {
///                 for _ in 0..8 {
///                     s.spawn(|_| {});
///                 }
///             })
///         })
///         .unwrap();
///     trace
/// };
/// assert_eq!(run(1), run(1));
/// assert_ne!(run(1), run(2));
/// println!("{}", run(1));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Trace {
    seed: u64,
    dispatches: Vec<Dispatch>,
}

impl Trace {
    /// The seed of the pool that ran the recording.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// Every dispatch decision, sorted by parent id.
    pub fn dispatches(&self) -> &[Dispatch] {
        &self.dispatches
    }

    /// The number of dispatch decisions.
    pub fn len(&self) -> usize {
        self.dispatches.len()
    }

    /// True if the recorded run made no join and spawned nothing.
    pub fn is_empty(&self) -> bool {
        self.dispatches.is_empty()
    }
}

impl fmt::Display for Trace {
    /// One line per dispatch: `join /0: /0/1 /0/0` (the join node, then its halves in the
    /// order they were released) or `spawn /1: /1/2 /1/0 /1/1`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for dispatch in &self.dispatches {
            let kind = match dispatch.kind {
                DispatchKind::Join => "join",
                DispatchKind::Spawn => "spawn",
            };
            write!(f, "{kind} {}:", dispatch.parent)?;
            for child in &dispatch.order {
                write!(f, " {child}")?;
            }
            writeln!(f)?;
        }
        Ok(())
    }
}

/// Collects dispatch decisions from every thread of a recording.
#[derive(Debug)]
pub(crate) struct Recorder {
    seed: u64,
    dispatches: Mutex<Vec<Dispatch>>,
}

impl Recorder {
    pub(crate) fn new(seed: u64) -> Self {
        Recorder {
            seed,
            dispatches: Mutex::new(Vec::new()),
        }
    }

    pub(crate) fn record(&self, parent: TaskId, kind: DispatchKind, order: Vec<TaskId>) {
        self.dispatches.lock().push(Dispatch {
            parent,
            kind,
            order,
        });
    }

    /// The trace so far, in canonical order.
    pub(crate) fn trace(&self) -> Trace {
        let mut dispatches = self.dispatches.lock().clone();
        dispatches.sort_by(|a, b| (&a.parent, a.kind).cmp(&(&b.parent, b.kind)));
        Trace {
            seed: self.seed,
            dispatches,
        }
    }
}
