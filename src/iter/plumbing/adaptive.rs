//! Demand-driven splitting for pools whose policy is
//! [`SchedulingPolicy::Adaptive`](crate::SchedulingPolicy::Adaptive): lazy binary
//! splitting of indexed work, and the demand test that unindexed work adds to its budget.
//!
//! An indexed piece of work does not cut itself up front. It runs its items in *chunks*, in
//! order: each chunk cuts the producer and the consumer where the chunk ends, folds the
//! chunk with a folder of its own, and joins the chunk's result to those before it with the
//! reducer of that cut. Between two chunks the piece looks at its pool. When a worker is
//! idle, nothing this worker offered earlier still waits to be taken, and what is left is
//! worth sharing, the piece cuts the rest in half and runs the halves under `join_context`;
//! each half goes on in the same way. Uniform work on a busy pool thus stays in about one
//! piece per thread, while a piece whose items turn out costly is cut exactly when some
//! thread runs dry.
//!
//! A [`Pacer`] sizes the chunks. They start at one item and double while they run fast, so
//! cheap items pay for a logarithmic number of chunks; a chunk that runs longer than
//! [`CHUNK_TARGET_NS`] shrinks the next ones, so an idle thread waits about that long at
//! most before it is noticed, however heavy the items. Time is read once per chunk, never
//! per item. The pacer also estimates what the rest will cost: work worth less than
//! [`MIN_SHARED_NS`] is finished where it is instead of being handed to a thread that may
//! need longer than that to wake up.
//!
//! [`Limits`] keep the producer's length hints as the work-stealing splitter does: no
//! folded chunk is shorter than `min_len` (unless the whole input is), and none is longer
//! than `max_len` unless cutting it would leave a part under `min_len`.
//!
//! From a thread outside every pool, the global pool's work starts on the calling thread
//! ([`drive_from_outside`]): chunks run there within a budget of about what waking the pool
//! costs ([`INLINE_BUDGET_NS`]). A small input is then finished before any worker hears of
//! it; a larger one hands its rest to the pool, and the caller joins the two results in
//! order.

use super::{Consumer, Folder, Producer, Reducer};
use crate::join_context;
use crate::registry::{self, WorkerThread};
use crate::scheduling_policy::SchedulingPolicy;
use crate::unwind::{self, PanicPayload};
use std::time::{Duration, Instant};

/// The time one chunk should take, in nanoseconds. Chunks grow while they take less than
/// half of it and shrink once one takes more than twice it.
const CHUNK_TARGET_NS: u64 = 25_000;
/// Below this much measured time (in nanoseconds), the cost of an item is not known yet:
/// timer reads and cold caches would dominate the estimate.
const MEASURED_NS: u64 = 1_000;
/// Work estimated below this (in nanoseconds) is not worth handing to another thread.
const MIN_SHARED_NS: u64 = 10_000;
/// How long (in nanoseconds) a thread outside every pool works on its own before it hands
/// the rest to the pool: about what a round trip through a sleeping pool costs.
const INLINE_BUDGET_NS: u64 = 20_000;

/// Where a bridge starts, and under which policy.
#[derive(Clone, Copy, Debug)]
pub(super) enum Start<'a> {
    /// The pool that will run the work splits as Rayon does.
    WorkStealing,
    /// On a worker of an adaptive pool.
    Worker(&'a WorkerThread),
    /// On a thread outside every pool, while the global pool is adaptive.
    Outside,
}

impl Start<'_> {
    /// How work started on the current thread will be scheduled.
    #[inline]
    pub(super) fn current() -> Self {
        match WorkerThread::current_ref() {
            Some(worker) => match worker.registry().scheduling_policy() {
                SchedulingPolicy::Adaptive => Start::Worker(worker),
                SchedulingPolicy::WorkStealing => Start::WorkStealing,
            },
            None => match registry::global_scheduling_policy() {
                SchedulingPolicy::Adaptive => Start::Outside,
                SchedulingPolicy::WorkStealing => Start::WorkStealing,
            },
        }
    }
}

/// True when `worker` should expose more work: a worker of its pool is idle, and nothing
/// that `worker` published before still waits in its deque to be taken.
#[inline]
fn work_is_wanted(worker: &WorkerThread) -> bool {
    worker.local_deque_is_empty() && worker.pool_has_idle_workers()
}

/// [`work_is_wanted`] for the current thread; never outside a pool.
#[inline]
pub(super) fn current_worker_wants_work() -> bool {
    WorkerThread::current_ref().is_some_and(work_is_wanted)
}

/// The producer's length hints, in the form chunking needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Limits {
    /// No chunk is shorter, unless the whole input is.
    min: usize,
    /// No chunk is longer, unless a cut would leave a part under `min`; at least `min`.
    max: usize,
}

impl Limits {
    pub(super) fn new(min_len: usize, max_len: usize) -> Self {
        let min = min_len.max(1);
        Limits {
            min,
            max: max_len.max(min),
        }
    }

    /// Whether `len` items can be cut in two halves of at least `min` items.
    #[inline]
    fn can_halve(self, len: usize) -> bool {
        len / 2 >= self.min
    }

    /// The length of the next chunk of `len` items, given that the pacer asks for `wanted`:
    /// everything if no cut can leave two parts of `min` items, else `wanted` pulled
    /// within the limits and short enough that `min` items remain.
    #[inline]
    fn chunk(self, len: usize, wanted: usize) -> usize {
        if self.can_halve(len) {
            wanted.clamp(self.min, self.max).min(len - self.min)
        } else {
            len
        }
    }
}

/// Sizes chunks from the time the previous ones took, and estimates the cost of the rest.
#[derive(Clone, Copy, Debug)]
struct Pacer {
    /// Items the next chunk should hold, before the limits apply.
    chunk: usize,
    /// Items measured so far.
    items: u64,
    /// Nanoseconds those items took.
    nanos: u64,
}

impl Pacer {
    fn new() -> Self {
        Pacer {
            chunk: 1,
            items: 0,
            nanos: 0,
        }
    }

    /// The same estimates, but the next chunk starts small again: for a piece that moved to
    /// another thread, which may find items of another cost.
    fn restarted(self) -> Self {
        Pacer { chunk: 1, ..self }
    }

    /// Records that a chunk of `items` items took `elapsed`, and sizes the next one.
    fn record(&mut self, items: usize, elapsed: Duration) {
        let nanos = u64::try_from(elapsed.as_nanos()).unwrap_or(u64::MAX);
        self.items = self.items.saturating_add(items as u64);
        self.nanos = self.nanos.saturating_add(nanos);
        self.chunk = if nanos < CHUNK_TARGET_NS / 2 {
            items.saturating_mul(2)
        } else if nanos > 2 * CHUNK_TARGET_NS {
            // As many items as fit the target at this chunk's pace.
            let fitting = items as u128 * u128::from(CHUNK_TARGET_NS) / u128::from(nanos);
            usize::try_from(fitting).unwrap_or(usize::MAX).max(1)
        } else {
            items
        };
    }

    /// The expected cost of `items` more items in nanoseconds, once enough was measured.
    fn estimate_ns(&self, items: usize) -> Option<u64> {
        if self.nanos < MEASURED_NS {
            return None;
        }
        let estimate =
            (items as u128 * u128::from(self.nanos)).checked_div(u128::from(self.items))?;
        Some(u64::try_from(estimate).unwrap_or(u64::MAX))
    }

    /// Whether `items` more items are worth handing to another thread.
    fn worth_sharing(&self, items: usize) -> bool {
        self.estimate_ns(items)
            .is_some_and(|nanos| nanos >= MIN_SHARED_NS)
    }
}

/// What a piece has finished: the combined result of its first chunks, and the reducer of
/// the cut between them and the rest.
type Done<C, T> = Option<(<C as Consumer<T>>::Result, <C as Consumer<T>>::Reducer)>;

/// Joins the result of the rest of a piece to what it had finished.
fn finish<C, T>(done: Done<C, T>, rest: C::Result) -> C::Result
where
    C: Consumer<T>,
{
    match done {
        Some((result, reducer)) => reducer.reduce(result, rest),
        None => rest,
    }
}

/// Where [`run_chunks`] stopped.
enum Progress<P: Producer, C: Consumer<P::Item>> {
    /// Every item was consumed (or the consumer became full); here is the piece's result.
    Finished(C::Result),
    /// Paused between two chunks: what is finished, and `len` items left.
    Paused {
        done: Done<C, P::Item>,
        len: usize,
        producer: P,
        consumer: C,
    },
    /// A chunk panicked with `payload`; `len` items after it are left. As under Rayon, the
    /// rest of the job must still run before the panic goes on.
    Panicked {
        payload: PanicPayload,
        len: usize,
        producer: P,
        consumer: C,
    },
}

/// Runs the rest of a piece whose chunk panicked, drops whatever that gives (a second panic
/// included), then continues the first panic: Rayon lets every piece but the panicking one
/// run to its end, and tests of `panic_fuse` rely on it.
fn run_rest_then_resume(payload: PanicPayload, rest: impl FnOnce()) -> ! {
    // The rest's own panic, if any, is dropped: the first one goes on.
    let _ = unwind::halt_unwinding(rest);
    unwind::resume_unwinding(payload)
}

/// Runs `len` items of `producer` into `consumer` chunk by chunk, in order, until all are
/// consumed or `pause` (asked after each chunk with the items left) says to stop.
fn run_chunks<P, C>(
    mut len: usize,
    mut producer: P,
    mut consumer: C,
    limits: Limits,
    pacer: &mut Pacer,
    mut pause: impl FnMut(usize, &Pacer) -> bool,
) -> Progress<P, C>
where
    P: Producer,
    C: Consumer<P::Item>,
{
    let mut done: Done<C, P::Item> = None;
    let mut chunk_start = Instant::now();
    loop {
        if consumer.full() {
            return Progress::Finished(finish::<C, _>(done, consumer.into_folder().complete()));
        }
        let chunk = limits.chunk(len, pacer.chunk);
        if chunk == len {
            let last = producer.fold_with(consumer.into_folder()).complete();
            return Progress::Finished(finish::<C, _>(done, last));
        }
        let (chunk_producer, rest_producer) = producer.split_at(chunk);
        let (chunk_consumer, rest_consumer, reducer) = consumer.split_at(chunk);
        let folded = unwind::halt_unwinding(|| {
            chunk_producer
                .fold_with(chunk_consumer.into_folder())
                .complete()
        });
        let result = match folded {
            Ok(result) => result,
            Err(payload) => {
                return Progress::Panicked {
                    payload,
                    len: len - chunk,
                    producer: rest_producer,
                    consumer: rest_consumer,
                }
            }
        };
        done = Some(match done {
            Some((before, previous_cut)) => (previous_cut.reduce(before, result), reducer),
            None => (result, reducer),
        });
        (len, producer, consumer) = (len - chunk, rest_producer, rest_consumer);

        let now = Instant::now();
        pacer.record(chunk, now.duration_since(chunk_start));
        chunk_start = now;
        if pause(len, pacer) {
            return Progress::Paused {
                done,
                len,
                producer,
                consumer,
            };
        }
    }
}

/// Drives `len` items of `producer` into `consumer` on a worker of an adaptive pool.
pub(super) fn drive_on_worker<P, C>(
    worker: &WorkerThread,
    len: usize,
    producer: P,
    consumer: C,
    limits: Limits,
) -> C::Result
where
    P: Producer,
    C: Consumer<P::Item>,
{
    drive(worker, len, producer, consumer, limits, Pacer::new())
}

fn drive<P, C>(
    worker: &WorkerThread,
    len: usize,
    producer: P,
    consumer: C,
    limits: Limits,
    mut pacer: Pacer,
) -> C::Result
where
    P: Producer,
    C: Consumer<P::Item>,
{
    let share = |len: usize, pacer: &Pacer| {
        limits.can_halve(len) && pacer.worth_sharing(len) && work_is_wanted(worker)
    };
    let (done, len, producer, consumer) =
        match run_chunks(len, producer, consumer, limits, &mut pacer, share) {
            Progress::Finished(result) => return result,
            Progress::Paused {
                done,
                len,
                producer,
                consumer,
            } => (done, len, producer, consumer),
            Progress::Panicked {
                payload,
                len,
                producer,
                consumer,
            } => run_rest_then_resume(payload, || {
                drive(worker, len, producer, consumer, limits, pacer);
            }),
        };

    let mid = len / 2;
    let (left_producer, right_producer) = producer.split_at(mid);
    let (left_consumer, right_consumer, reducer) = consumer.split_at(mid);
    let (left, right) = join_context(
        |_| {
            registry::in_worker(|worker, _| {
                drive(worker, mid, left_producer, left_consumer, limits, pacer)
            })
        },
        |ctx| {
            let pacer = if ctx.migrated() {
                pacer.restarted()
            } else {
                pacer
            };
            registry::in_worker(|worker, _| {
                drive(
                    worker,
                    len - mid,
                    right_producer,
                    right_consumer,
                    limits,
                    pacer,
                )
            })
        },
    );
    finish::<C, _>(done, reducer.reduce(left, right))
}

/// Drives `len` items of `producer` into `consumer` from a thread outside every pool, for
/// the adaptive global pool: chunks run on the calling thread until they are done or
/// [`INLINE_BUDGET_NS`] would be exceeded, and the pool gets whatever is left.
pub(super) fn drive_from_outside<P, C>(
    len: usize,
    producer: P,
    consumer: C,
    limits: Limits,
) -> C::Result
where
    P: Producer,
    C: Consumer<P::Item>,
{
    let mut pacer = Pacer::new();
    let over_budget = |len: usize, pacer: &Pacer| {
        pacer.nanos >= INLINE_BUDGET_NS
            || pacer
                .estimate_ns(len)
                .is_some_and(|rest| pacer.nanos.saturating_add(rest) > INLINE_BUDGET_NS)
    };
    match run_chunks(len, producer, consumer, limits, &mut pacer, over_budget) {
        Progress::Finished(result) => result,
        Progress::Paused {
            done,
            len,
            producer,
            consumer,
        } => {
            let rest = registry::in_worker(move |worker, _| {
                drive_on_worker(worker, len, producer, consumer, limits)
            });
            finish::<C, _>(done, rest)
        }
        Progress::Panicked {
            payload,
            len,
            producer,
            consumer,
        } => run_rest_then_resume(payload, || {
            drive_from_outside(len, producer, consumer, limits);
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_respect_the_limits() {
        for min in 1..12 {
            for max in 1..30 {
                let limits = Limits::new(min, max);
                for len in 1..100 {
                    for wanted in [1, 2, 7, 64, usize::MAX] {
                        let chunk = limits.chunk(len, wanted);
                        assert!(chunk >= min.min(len), "{chunk} under min {min} of {len}");
                        assert!(chunk <= max.max(2 * min - 1), "{chunk} over max {max}");
                        let rest = len - chunk;
                        assert!(rest == 0 || rest >= min, "rest {rest} under min {min}");
                        if len < 2 * min {
                            assert_eq!(chunk, len, "{len} items cannot be cut at min {min}");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn limits_treat_zero_as_one() {
        assert_eq!(Limits::new(0, 0), Limits::new(1, 1));
        assert_eq!(Limits::new(0, 0).chunk(5, 3), 1);
    }

    #[test]
    fn fast_chunks_double_and_slow_ones_shrink() {
        let mut pacer = Pacer::new();
        pacer.record(8, Duration::from_nanos(100));
        assert_eq!(pacer.chunk, 16);
        pacer.record(16, Duration::from_nanos(CHUNK_TARGET_NS));
        assert_eq!(pacer.chunk, 16);
        pacer.record(16, Duration::from_nanos(8 * CHUNK_TARGET_NS));
        assert_eq!(pacer.chunk, 2);
        pacer.record(1, Duration::from_secs(1));
        assert_eq!(pacer.chunk, 1, "a chunk never drops to nothing");
    }

    #[test]
    fn estimates_wait_for_a_measurable_time() {
        let mut pacer = Pacer::new();
        pacer.record(4, Duration::from_nanos(MEASURED_NS / 2));
        assert_eq!(pacer.estimate_ns(1_000_000), None);
        assert!(!pacer.worth_sharing(1_000_000));
        pacer.record(4, Duration::from_nanos(MEASURED_NS * 3 / 2));
        // 8 items took 2 MEASURED_NS.
        assert_eq!(pacer.estimate_ns(4), Some(MEASURED_NS));
        assert!(pacer.worth_sharing(8 * MIN_SHARED_NS as usize));
        assert!(!pacer.worth_sharing(1));
        let restarted = pacer.restarted();
        assert_eq!(restarted.chunk, 1);
        assert_eq!(restarted.estimate_ns(4), Some(MEASURED_NS));
    }
}
