//! `SchedulingPolicy`: how a pool decides when work becomes parallel.

use std::fmt;
use std::str::FromStr;

/// How a pool decides when work becomes parallel.
///
/// `Adaptive` and `WorkStealing` give the same results and keep Rayon's semantics for every
/// Rayon API; they differ in cost. `Deterministic` (with the cargo feature `deterministic`)
/// also keeps those semantics, and in addition makes results and dispatch order
/// reproducible (see the `veda::deterministic` module). A pool takes its policy
/// from [`ThreadPoolBuilder::scheduling_policy`] (or [`ConfigBuilder::scheduling_policy`]
/// for the global pool), else from the `VEDA_SCHEDULING_POLICY` environment variable
/// (`adaptive`, `work-stealing`, or `deterministic` / `deterministic:SEED`), else
/// [`SchedulingPolicy::Adaptive`].
///
/// The text forms, read by [`FromStr`] and written by [`Display`](fmt::Display), are
/// `adaptive`, `work-stealing`, `deterministic` (seed 0) and `deterministic:SEED` (a
/// decimal `u64`).
///
/// [`ThreadPoolBuilder::scheduling_policy`]: crate::ThreadPoolBuilder::scheduling_policy
/// [`ConfigBuilder::scheduling_policy`]: crate::ConfigBuilder::scheduling_policy
///
/// # Examples
///
/// ```
/// use veda::SchedulingPolicy;
///
/// let pool = veda::ThreadPoolBuilder::new()
///     .num_threads(2)
///     .scheduling_policy(SchedulingPolicy::WorkStealing)
///     .build()
///     .unwrap();
/// assert_eq!(pool.scheduling_policy(), SchedulingPolicy::WorkStealing);
/// assert_eq!("adaptive".parse(), Ok(SchedulingPolicy::Adaptive));
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SchedulingPolicy {
    /// Work becomes stealable when some worker is idle and could take it, and parallel
    /// iterators split by demand: a `join` that nobody needs costs about as much as two
    /// plain calls, and small inputs run without waking the pool.
    ///
    /// An indexed parallel iterator runs its items in chunks, front to back. A long input
    /// is first cut into about one piece per thread, as under `WorkStealing`; after that,
    /// and for smaller inputs, the rest is cut in two only when it is worth a few
    /// microseconds and an idle worker could take it. An input of just a few items per
    /// thread is cut as under `WorkStealing`. Driven from a thread outside every pool, a
    /// small input (up to a few thousand items, but not just a few per thread) starts on
    /// the calling thread and goes to the global pool only after some tens of
    /// microseconds; so, unlike under Rayon, the closures of a small input may run on the
    /// calling thread, where [`current_thread_index`](crate::current_thread_index) is
    /// `None` (its first item always does). Results, their order,
    /// `with_min_len`/`with_max_len` and panics behave as under `WorkStealing`.
    #[default]
    Adaptive,
    /// Rayon's scheme: the second closure of every `join` is pushed where thieves can
    /// steal it, and parallel iterators split into a number of pieces fixed by the thread
    /// count (more when pieces are stolen). Parallel iterators driven from outside every
    /// pool run on the pool's workers, as Rayon's do.
    WorkStealing,
    /// Reproducible runs (cargo feature `deterministic`): parallel iterators split in a
    /// tree fixed by the input's length alone and combine their results in that tree's
    /// order, so reductions — floating point included — give the same bits for any thread
    /// count and on every run; `find_any` and its kin return what `find_first` and its kin
    /// would (unless that match cannot be certified within a second of finding some match:
    /// see [`crate::deterministic`]); and tasks (`join` halves, `spawn`, `scope` jobs) get logical ids from the task
    /// tree and are dispatched in an order fixed by `seed`, which a
    /// [`Trace`](crate::deterministic::Trace) records. Seed 0 keeps the order in which tasks
    /// were spawned (Rayon's order on one thread); other seeds permute it.
    ///
    /// It costs speed: joins are always published (as under `WorkStealing`), small inputs
    /// are cut into pieces down to single items whether or not a thread is idle, and a
    /// task's spawns wait until its body returns. See the module docs of
    /// [`veda::deterministic`](crate::deterministic) for what is fixed and what is not.
    #[cfg(feature = "deterministic")]
    Deterministic {
        /// Chooses the dispatch order of tasks; results do not depend on it.
        seed: u64,
    },
}

/// The environment variable that sets the policy of pools that do not choose one.
pub(crate) const ENV_SCHEDULING_POLICY: &str = "VEDA_SCHEDULING_POLICY";

impl SchedulingPolicy {
    /// The seed of a `Deterministic` policy, or `None` for every other policy.
    #[cfg(feature = "deterministic")]
    #[inline]
    pub(crate) fn deterministic_seed(self) -> Option<u64> {
        match self {
            SchedulingPolicy::Deterministic { seed } => Some(seed),
            _ => None,
        }
    }

    /// The policy `VEDA_SCHEDULING_POLICY` names: `Ok(None)` when it is unset or empty.
    pub(crate) fn from_env() -> Result<Option<Self>, UnknownSchedulingPolicy> {
        match std::env::var(ENV_SCHEDULING_POLICY) {
            Ok(value) if !value.trim().is_empty() => value.parse().map(Some),
            _ => Ok(None),
        }
    }
}

impl fmt::Display for SchedulingPolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SchedulingPolicy::Adaptive => f.write_str("adaptive"),
            SchedulingPolicy::WorkStealing => f.write_str("work-stealing"),
            #[cfg(feature = "deterministic")]
            SchedulingPolicy::Deterministic { seed: 0 } => f.write_str("deterministic"),
            #[cfg(feature = "deterministic")]
            SchedulingPolicy::Deterministic { seed } => write!(f, "deterministic:{seed}"),
        }
    }
}

impl FromStr for SchedulingPolicy {
    type Err = UnknownSchedulingPolicy;

    /// Parses `adaptive`, `work-stealing`, `deterministic` or `deterministic:SEED` (case
    /// and `_`/`-` do not matter; the last two need the `deterministic` feature).
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let name = text.trim().to_ascii_lowercase().replace('_', "-");
        match name.as_str() {
            "adaptive" => Ok(SchedulingPolicy::Adaptive),
            "work-stealing" | "workstealing" => Ok(SchedulingPolicy::WorkStealing),
            #[cfg(feature = "deterministic")]
            "deterministic" => Ok(SchedulingPolicy::Deterministic { seed: 0 }),
            #[cfg(feature = "deterministic")]
            other => match other.strip_prefix("deterministic:").map(str::parse) {
                Some(Ok(seed)) => Ok(SchedulingPolicy::Deterministic { seed }),
                _ => Err(UnknownSchedulingPolicy {
                    name: text.to_owned(),
                }),
            },
            #[cfg(not(feature = "deterministic"))]
            _ => Err(UnknownSchedulingPolicy {
                name: text.to_owned(),
            }),
        }
    }
}

/// A name that is not a [`SchedulingPolicy`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "{name:?} is not a scheduling policy: use \"adaptive\", \"work-stealing\", or \
     \"deterministic\" / \"deterministic:SEED\" (SEED a u64; needs the `deterministic` cargo \
     feature); in VEDA_SCHEDULING_POLICY, unset it for the default"
)]
pub struct UnknownSchedulingPolicy {
    /// The name given.
    pub name: String,
}
