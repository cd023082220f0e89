//! Priorities and deadlines: the [`Priority`] levels, the level of the task running on the
//! current thread (which work it spawns or installs inherits), the per-pool queues that hold
//! work of every level but the default one (`queue.rs`), and spawning with a level
//! (`task.rs`). Tasks get deadlines (and handles) from fault isolation's task builder,
//! [`fault::Task`](crate::fault::Task).
//!
//! Work at [`Priority::Normal`] with no deadline takes the paths it always took (worker
//! deques and the pool's injector), so a program that never names a priority pays one
//! relaxed load per job a worker picks from its main loop. Everything else goes through the
//! pool's [`PriorityQueues`]; `README.md` beside this file describes the pick order.

#[cfg(all(test, loom))]
mod loom;
mod queue;
#[cfg(not(loom))]
mod task;
#[cfg(all(test, not(loom)))]
mod test;

pub(crate) use queue::{DeadlineStart, PriorityQueues};
#[cfg(not(loom))]
pub(crate) use task::{spawn_prioritized, Deadline};
#[cfg(not(loom))]
pub use task::{spawn_with_priority, DeadlineMisses, OnDeadlineMiss};

#[cfg(not(loom))]
use crate::registry::WorkerThread;
#[cfg(not(loom))]
use crate::sync::{AtomicBool, Ordering as AtomicOrdering};
use std::cell::Cell;
use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

/// How urgent a task is: workers start queued work of a higher level first.
///
/// Levels order from [`Critical`](Priority::Critical), the most urgent, down to
/// [`Background`](Priority::Background); `Priority::Critical > Priority::Background`. Work that
/// names no level runs at its pool's default level
/// ([`ThreadPoolBuilder::default_priority`](crate::ThreadPoolBuilder::default_priority),
/// [`Priority::Normal`] unless set), and work spawned or installed from inside a task runs at
/// that task's level.
///
/// A worker never interrupts a task it runs: a level decides which queued task starts next.
/// So that no level waits forever, a task queued for longer than its pool's
/// [aging bound](crate::ThreadPoolBuilder::aging_bound) gets every other pick, ahead of work
/// of any level.
///
/// # Examples
///
/// ```
/// use veda::Priority;
///
/// assert!(Priority::Critical > Priority::High);
/// assert!(Priority::Low > Priority::Background);
/// assert_eq!(Priority::default(), Priority::Normal);
/// assert_eq!("background".parse(), Ok(Priority::Background));
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Priority {
    /// The most urgent: latency-sensitive requests.
    Critical,
    /// Ahead of ordinary work.
    High,
    /// Ordinary work; what Rayon's API runs at.
    #[default]
    Normal,
    /// After ordinary work.
    Low,
    /// Only when nothing more urgent waits (or once it has waited the aging bound).
    Background,
}

impl Priority {
    /// Every level, the most urgent first.
    pub const ALL: [Priority; 5] = [
        Priority::Critical,
        Priority::High,
        Priority::Normal,
        Priority::Low,
        Priority::Background,
    ];

    /// The level's place in [`Priority::ALL`]: 0 for `Critical`, 4 for `Background`.
    #[inline]
    pub(crate) const fn rank(self) -> usize {
        match self {
            Priority::Critical => 0,
            Priority::High => 1,
            Priority::Normal => 2,
            Priority::Low => 3,
            Priority::Background => 4,
        }
    }
}

impl PartialOrd for Priority {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Priority {
    /// The more urgent level is the greater.
    fn cmp(&self, other: &Self) -> Ordering {
        other.rank().cmp(&self.rank())
    }
}

impl fmt::Display for Priority {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Priority::Critical => "critical",
            Priority::High => "high",
            Priority::Normal => "normal",
            Priority::Low => "low",
            Priority::Background => "background",
        })
    }
}

impl FromStr for Priority {
    type Err = UnknownPriority;

    /// Parses a level's name as [`Display`](fmt::Display) writes it (case does not matter).
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let name = text.trim().to_ascii_lowercase();
        Priority::ALL
            .into_iter()
            .find(|level| level.to_string() == name)
            .ok_or_else(|| UnknownPriority {
                name: text.to_owned(),
            })
    }
}

/// A name that is not a [`Priority`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "{name:?} is not a priority: use \"critical\", \"high\", \"normal\", \"low\" or \"background\""
)]
pub struct UnknownPriority {
    /// The name given.
    pub name: String,
}

/// Whether any level other than `Normal` was ever set in this process: by a task or an
/// install running at another level (`run_at`), or as a pool's default level. Until then
/// every spawn is at `Normal`, so the default path reads this one flag (it never changes
/// after it is set) instead of the current level and the pool's default.
#[cfg(not(loom))]
static LEVELS_IN_USE: AtomicBool = AtomicBool::new(false);

/// Records that `level` is in use, for [`levels_in_use`]. A thread that set the flag (or that
/// received a pool built after it was set) sees it by program order or by the
/// synchronisation that handed it the pool.
#[cfg(not(loom))]
pub(crate) fn note_level(level: Priority) {
    if level != Priority::Normal && !LEVELS_IN_USE.load(AtomicOrdering::Relaxed) {
        LEVELS_IN_USE.store(true, AtomicOrdering::Relaxed);
    }
}

/// False while only `Normal` has ever been used: spawns may skip the level lookup.
#[cfg(not(loom))]
#[inline]
pub(crate) fn levels_in_use() -> bool {
    LEVELS_IN_USE.load(AtomicOrdering::Relaxed)
}

#[cfg(not(loom))]
thread_local! {
    /// The level of the task the current thread runs, if one was set (by a prioritized job,
    /// an `install` that carried a level, or `with_priority`).
    static CURRENT: Cell<Option<Priority>> = const { Cell::new(None) };
}

/// The level set for the current thread, if any.
#[cfg(not(loom))]
#[inline]
pub(crate) fn current_level() -> Option<Priority> {
    CURRENT.with(Cell::get)
}

/// Runs `op` with the current thread's level set to `level`, restoring the previous level
/// afterwards (on unwinding too).
#[cfg(not(loom))]
pub(crate) fn run_at<R>(level: Priority, op: impl FnOnce() -> R) -> R {
    struct Restore(Option<Priority>);
    impl Drop for Restore {
        fn drop(&mut self) {
            CURRENT.with(|current| current.set(self.0));
        }
    }
    note_level(level);
    let _restore = Restore(CURRENT.with(|current| current.replace(Some(level))));
    op()
}

/// The level of the work running on the current thread: the level of the task it runs, or,
/// when none was set, the default level of the pool it works for, or [`Priority::Normal`]
/// outside every pool.
///
/// Work spawned ([`spawn`](crate::spawn), [`Scope::spawn`](crate::Scope::spawn)) or
/// installed ([`ThreadPool::install`](crate::ThreadPool::install)) from here runs at this
/// level unless it names another.
///
/// # Examples
///
/// ```
/// use veda::Priority;
///
/// assert_eq!(veda::current_priority(), Priority::Normal);
/// let pool = veda::ThreadPoolBuilder::new().num_threads(1).build().unwrap();
/// let level = veda::with_priority(Priority::High, || pool.install(veda::current_priority));
/// assert_eq!(level, Priority::High);
/// ```
#[cfg(not(loom))]
pub fn current_priority() -> Priority {
    current_level().unwrap_or_else(|| {
        WorkerThread::current_ref().map_or(Priority::Normal, |worker| {
            worker.registry().default_priority()
        })
    })
}

/// Runs `op` on the current thread at `level`: what `op` spawns or installs inherits it, as
/// if `op` were a task of that level.
///
/// It changes no order by itself: `op` runs at once, here.
///
/// # Examples
///
/// ```
/// use veda::Priority;
///
/// let pool = veda::ThreadPoolBuilder::new().num_threads(2).build().unwrap();
/// // The install is queued ahead of any Normal, Low or Background work of the pool.
/// let sum: u64 = veda::with_priority(Priority::Critical, || {
///     pool.install(|| (1..=100u64).sum())
/// });
/// assert_eq!(sum, 5050);
/// ```
#[cfg(not(loom))]
pub fn with_priority<R>(level: Priority, op: impl FnOnce() -> R) -> R {
    run_at(level, op)
}
