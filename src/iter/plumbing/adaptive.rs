//! Demand-driven splitting for pools whose policy is
//! [`SchedulingPolicy::Adaptive`](crate::SchedulingPolicy::Adaptive): lazy binary
//! splitting of indexed work, and the demand test that unindexed work adds to its budget.
//!
//! An indexed piece of work does not cut itself up front. It runs its items in *chunks*, in
//! order, grouped in *runs* of a few chunks ([`CHUNKS_PER_RUN`]): each run cuts the consumer
//! where the run ends and folds its chunks with one folder, and the run's result joins those
//! before it with the reducer of that cut. (A folder per chunk would cost a collect one
//! growing vector per chunk.) Before each chunk the piece decides whether to cut the items
//! after the current run in two and run the halves under a join, the first one with the
//! rest of the run (each half then goes on in the same way). It cuts when either
//!
//! * its split budget is not spent, as with the work-stealing splitter (a job may make about
//!   one cut per thread, and a piece another thread took gets a fresh budget), and the rest
//!   is long ([`EAGER_LEN`] items) or is measured to be worth sharing ([`MIN_SHARED_NS`]).
//!   These cuts give every thread a piece at once, as under work stealing; or
//! * the rest is worth sharing, some worker of the pool is idle, and nothing this worker
//!   offered before still waits in its deque: the demand signal of lazy binary splitting.
//!
//! Large uniform work thus ends in about as many pieces as under the work-stealing splitter,
//! while a piece whose items turn out costly is cut again exactly when some thread runs dry;
//! and a small input whose whole cost is below the threshold is never cut at all, so it
//! neither wakes nor waits for another thread.
//!
//! A [`Pacer`] sizes the chunks from the time the previous ones took (time is read once per
//! chunk, never per item). They start at one item, so a heavy first item is noticed at
//! once; grow to what fits half of [`CHUNK_TARGET_NS`] at the pace measured, so cheap items
//! pay for two or three chunks (and timer reads); and shrink after a chunk that took more
//! than twice the target, so an idle thread waits about that long at most before it is
//! noticed. While the rest is worth sharing, a chunk also takes at most an eighth of it,
//! since costly items often cluster in one region.
//!
//! Three kinds of input are not chunked but cut with the split budget alone, as under
//! `WorkStealing` ([`Start::Budget`]). One of few items (under [`FEW_ITEMS_PER_THREAD`] per
//! thread): each item may be a big task, and the other threads should not wait for the first
//! one to be measured. One whose producer caps its pieces below its length (`with_max_len`):
//! the caller asked for tasks of that size, which Rayon's joins expose at once. And a
//! parallel iterator nested in a chunk (the inner iterator of a
//! `flat_map`, say): the chunk around it is timed already, the timer reads of its own chunks
//! would cost more than the items of a typical inner iterator, and the lazy joins of its cuts
//! expose its work to idle threads at little cost.
//!
//! [`Limits`] keep the producer's length hints as the work-stealing splitter does: no
//! folded chunk is shorter than `min_len` (unless the whole input is), and none is longer
//! than `max_len` unless cutting it would leave a part under `min_len`.
//!
//! From a thread outside every pool, a small input (at most [`INLINE_MAX_LEN`] items, but
//! not few of them) for the global pool starts on the calling thread
//! ([`drive_from_outside`]): chunks run there within a budget of about what a round trip
//! through the pool costs ([`INLINE_BUDGET_NS`]). If that finishes the input, no worker ever
//! hears of it; otherwise the rest goes to the pool, and the caller joins the two results in
//! order. Other inputs go to the pool at once.

use super::{Consumer, Folder, Producer, Reducer};
use crate::join::join_on_current_worker;
use crate::registry::{self, WorkerThread};
use crate::scheduling_policy::SchedulingPolicy;
use crate::unwind::{self, PanicPayload};
use std::cell::Cell;
use std::time::{Duration, Instant};

/// The time one chunk should take, in nanoseconds. Chunks grow while they take less than
/// half of it and shrink once one takes more than twice it.
const CHUNK_TARGET_NS: u64 = 25_000;
/// Below this much measured time (in nanoseconds), the cost of an item is not known yet:
/// timer reads and cold caches would dominate the estimate.
const MEASURED_NS: u64 = 1_000;
/// Work estimated below this (in nanoseconds) is not worth handing to another thread.
const MIN_SHARED_NS: u64 = 5_000;
/// How long (in nanoseconds) a thread outside every pool works on its own before it hands
/// the rest to the pool: about what a round trip through a sleeping pool costs.
const INLINE_BUDGET_NS: u64 = 20_000;
/// Inputs longer than this, driven from outside every pool, go to the pool at once: only
/// small inputs start on the calling thread, so that Rayon's placement (every closure on a
/// worker) still holds for the rest.
const INLINE_MAX_LEN: usize = 4096;
/// A piece at least this long spends its split budget before its first chunk, without
/// waiting for a measurement, as the work-stealing splitter does: however cheap its items,
/// it is worth a few microseconds, and its first chunk may be long (items can hold nested
/// parallel work) while idle threads should get their share at once.
const EAGER_LEN: usize = 4096;
/// How many chunks one run takes: the consumer is cut, and a folder made, once per run, not
/// once per chunk. A collect then fills one vector per run. Only the rest after the run
/// under way can be handed to an idle thread, so a run must stay short too.
const CHUNKS_PER_RUN: usize = 8;
/// An input of fewer items than this many per thread is not chunked: it is cut with the
/// split budget alone, as under `WorkStealing`. Few items are often each a sizeable task,
/// and waiting for the first one to be measured would idle the other threads that long (a
/// loss of about `threads / items` of the run), while timing the tiny pieces of a cheap
/// small input would cost more than its items.
const FEW_ITEMS_PER_THREAD: usize = 32;

thread_local! {
    /// True while the current thread folds a chunk of an adaptive piece.
    static IN_CHUNK: Cell<bool> = const { Cell::new(false) };
}

/// Marks the current thread as folding a chunk, until dropped (unwinding included).
struct ChunkMark {
    was_in_chunk: bool,
}

impl ChunkMark {
    #[inline]
    fn new() -> Self {
        ChunkMark {
            was_in_chunk: IN_CHUNK.with(|in_chunk| in_chunk.replace(true)),
        }
    }
}

impl Drop for ChunkMark {
    #[inline]
    fn drop(&mut self) {
        IN_CHUNK.with(|in_chunk| in_chunk.set(self.was_in_chunk));
    }
}

/// How a bridge called on the current thread cuts its work.
#[derive(Clone, Copy, Debug)]
pub(super) enum Start<'a> {
    /// With the split budget alone, as Rayon does: in work-stealing pools, for inputs of few
    /// items, and for parallel iterators nested in a chunk of an adaptive piece (including
    /// work a thread runs while it waits inside a chunk). (`bridge_producer_consumer` also
    /// cuts an input with a `max_len` below its length this way.)
    Budget,
    /// In chunks, on a worker of an adaptive pool.
    Worker(&'a WorkerThread),
    /// In chunks, on a thread outside every pool, while the global pool is adaptive.
    Outside,
    /// Along a tree fixed by the input's length: the pool is deterministic.
    #[cfg(feature = "deterministic")]
    Fixed,
}

impl Start<'_> {
    /// How `len` items, started on the current thread, will be cut (unless the producer
    /// caps its pieces below `len`: see `bridge_producer_consumer`).
    #[inline]
    pub(super) fn current(len: usize) -> Self {
        if IN_CHUNK.with(Cell::get) {
            return Start::Budget;
        }
        match WorkerThread::current_ref() {
            Some(worker) => match worker.registry().scheduling_policy() {
                SchedulingPolicy::Adaptive if !few_items(len, worker.registry().num_threads()) => {
                    Start::Worker(worker)
                }
                #[cfg(feature = "deterministic")]
                SchedulingPolicy::Deterministic { .. } => Start::Fixed,
                _ => Start::Budget,
            },
            None => match registry::global_scheduling_policy() {
                SchedulingPolicy::Adaptive if !few_items(len, registry::global_num_threads()) => {
                    Start::Outside
                }
                #[cfg(feature = "deterministic")]
                SchedulingPolicy::Deterministic { .. } => Start::Fixed,
                _ => Start::Budget,
            },
        }
    }
}

/// Whether `len` items are few for a pool of `num_threads` threads (see
/// [`FEW_ITEMS_PER_THREAD`]).
#[inline]
fn few_items(len: usize, num_threads: usize) -> bool {
    len < FEW_ITEMS_PER_THREAD.saturating_mul(num_threads)
}

/// How unindexed work started on the current thread is cut.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum UnindexedStart {
    /// With the split budget alone: in work-stealing pools, and nested in a chunk.
    Budget,
    /// With the split budget, and also whenever a worker is idle: in adaptive pools.
    OnDemand,
    /// Along a fixed tree: in deterministic pools.
    #[cfg(feature = "deterministic")]
    Fixed,
}

/// How unindexed work started on the current thread is cut.
#[inline]
pub(super) fn unindexed_start() -> UnindexedStart {
    if IN_CHUNK.with(Cell::get) {
        return UnindexedStart::Budget;
    }
    let policy = match WorkerThread::current_ref() {
        Some(worker) => worker.registry().scheduling_policy(),
        None => registry::global_scheduling_policy(),
    };
    match policy {
        SchedulingPolicy::Adaptive => UnindexedStart::OnDemand,
        #[cfg(feature = "deterministic")]
        SchedulingPolicy::Deterministic { .. } => UnindexedStart::Fixed,
        _ => UnindexedStart::Budget,
    }
}

/// True when `worker` should expose more work: a worker of its pool is idle, and nothing
/// that `worker` published before still waits in its deque to be taken. (The `join` that
/// serves the demand publishes this worker's oldest private join half, which may be an
/// older and larger piece than the one just cut.)
#[inline]
fn work_is_wanted(worker: &WorkerThread) -> bool {
    worker.deque_is_empty() && worker.pool_has_idle_workers()
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
    /// everything if `wanted` covers it within `max` or no cut can leave two parts of `min`
    /// items, else `wanted` pulled within the limits and short enough that `min` items
    /// remain.
    #[inline]
    fn chunk(self, len: usize, wanted: usize) -> usize {
        if (wanted >= len && len <= self.max) || !self.can_halve(len) {
            len
        } else {
            wanted.clamp(self.min, self.max).min(len - self.min)
        }
    }
}

/// The pace of one piece of work: how long its next chunk should be, what its items cost so
/// far, and how many more cuts it may make without waiting for demand.
#[derive(Clone, Copy, Debug)]
struct Pacer {
    /// Items the next chunk should hold, before the limits apply.
    chunk: usize,
    /// Items measured so far.
    items: u64,
    /// Nanoseconds those items took.
    nanos: u64,
    /// Cuts this piece may still make without waiting for an idle worker, counted as the
    /// work-stealing splitter counts them: about one piece per thread.
    splits: usize,
}

impl Pacer {
    fn new(num_threads: usize) -> Self {
        Pacer {
            chunk: 1,
            items: 0,
            nanos: 0,
            splits: num_threads,
        }
    }

    /// The pace of both halves after a cut: the budget halves.
    fn halved(self) -> Self {
        Pacer {
            splits: self.splits / 2,
            ..self
        }
    }

    /// The pace of a half that another thread took: its chunks start small again, since it
    /// may find items of another cost, and, as with the work-stealing splitter, the theft
    /// shows that threads are hungry, so the budget grows back to one cut per thread.
    fn migrated(self, num_threads: usize) -> Self {
        Pacer {
            chunk: 1,
            splits: num_threads.max(self.splits / 2),
            ..self
        }
    }

    /// Records that a chunk of `items` items took `elapsed`, and sizes the next one.
    fn record(&mut self, items: usize, elapsed: Duration) {
        let nanos = u64::try_from(elapsed.as_nanos()).unwrap_or(u64::MAX);
        self.items = self.items.saturating_add(items as u64);
        self.nanos = self.nanos.saturating_add(nanos);
        self.chunk = if nanos < CHUNK_TARGET_NS / 2 {
            // As many items as fit half the target at this chunk's pace, at least twice as
            // many: each chunk costs a timer read, so cheap items must get long chunks soon.
            // (A short chunk's time is mostly the timer's, so its pace is overestimated.)
            let factor = (CHUNK_TARGET_NS / 2 / nanos.max(1)).max(2);
            items.saturating_mul(usize::try_from(factor).unwrap_or(usize::MAX))
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
        // Saturating: an estimate that large is far above every threshold anyway.
        let estimate = (items as u64).saturating_mul(self.nanos) / self.items.max(1);
        Some(estimate)
    }

    /// How many of the `len` items left the next chunk should hold. While the rest is worth
    /// sharing, no chunk takes more than an eighth of it: items may turn costly near the
    /// end of a piece (work often gets heavier in one region), and a short chunk there lets
    /// an idle thread be served sooner.
    fn next_chunk(&self, len: usize) -> usize {
        self.next_run(len, 1)
    }

    /// How many of the `len` items left the next run of `chunks` chunks should hold: that
    /// many chunks at the current pace, and, while the rest is worth sharing, at most an
    /// eighth of it, as for a chunk.
    fn next_run(&self, len: usize, chunks: usize) -> usize {
        let run = self.chunk.saturating_mul(chunks);
        if self.worth_sharing(len) {
            run.min(len / 8).max(1)
        } else {
            run
        }
    }

    /// Whether `items` more items are worth handing to another thread.
    fn worth_sharing(&self, items: usize) -> bool {
        self.estimate_ns(items)
            .is_some_and(|nanos| nanos >= MIN_SHARED_NS)
    }
}

/// What a piece has finished: the combined result of its first runs, and the reducer of
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

/// Adds the result of a finished run to what its piece had finished; `cut` is the reducer
/// between the run and the rest of the piece.
fn add_run<C, T>(done: Done<C, T>, run: C::Result, cut: C::Reducer) -> Done<C, T>
where
    C: Consumer<T>,
{
    Some(match done {
        Some((before, previous_cut)) => (previous_cut.reduce(before, run), cut),
        None => (run, cut),
    })
}

/// The items of a piece that the folder of its current run has not taken yet.
struct OpenRun<P: Producer, C: Consumer<P::Item>> {
    /// How many items are left in the run.
    len: usize,
    /// Those items.
    producer: P,
    /// What the run has folded so far.
    folder: C::Folder,
    /// The reducer between this run and the rest of the piece, or `None` if the run takes
    /// the piece to its end.
    cut: Option<C::Reducer>,
}

impl<P: Producer, C: Consumer<P::Item>> OpenRun<P, C> {
    /// Folds the run's items left, at once, and adds its result to `done`. The run must
    /// have a rest after it.
    fn fold_rest(self, done: Done<C, P::Item>) -> Done<C, P::Item> {
        let result = fold_chunk(self.producer, self.folder).complete();
        let cut = self.cut.expect("a run with a rest after it ends in a cut");
        add_run::<C, _>(done, result, cut)
    }
}

/// The items of a piece after its current run, with the consumer they go to.
struct Rest<P, C> {
    len: usize,
    producer: P,
    consumer: C,
}

/// Where [`run_chunks`] stopped.
enum Progress<P: Producer, C: Consumer<P::Item>> {
    /// Every item was consumed (or the consumer became full); here is the piece's result.
    Finished(C::Result),
    /// Paused between two chunks: what is finished, the run under way if it is not, and the
    /// items after it.
    Paused {
        done: Done<C, P::Item>,
        run: Option<OpenRun<P, C>>,
        rest: Rest<P, C>,
    },
    /// A chunk panicked with `payload`; the items after its run are left. As under Rayon,
    /// the rest of the job must still run before the panic goes on.
    Panicked {
        payload: PanicPayload,
        rest: Rest<P, C>,
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

/// Folds one chunk into `folder`, marking the thread as inside a chunk meanwhile. Kept out
/// of line: the item loop then compiles in a small function of its own, which measured
/// faster than inlined into the chunk loop.
#[inline(never)]
fn fold_chunk<P, F>(producer: P, folder: F) -> F
where
    P: Producer,
    F: Folder<P::Item>,
{
    let _mark = ChunkMark::new();
    producer.fold_with(folder)
}

/// Runs a piece, `run` (if one is under way) and then `rest`, chunk by chunk in order,
/// until all is consumed or `pause` (asked before the first chunk and after each one, with
/// the items left after the current run) says to stop.
///
/// Each run takes up to `chunks_per_run` chunks at the pace measured: the consumer is cut
/// only where a run ends, and the folder of the run takes all its chunks. The limits of the
/// producer apply to runs and to the chunks in them alike.
fn run_chunks<P, C>(
    mut run: Option<OpenRun<P, C>>,
    rest: Rest<P, C>,
    limits: Limits,
    pacer: &mut Pacer,
    chunks_per_run: usize,
    mut pause: impl FnMut(usize, &Pacer) -> bool,
) -> Progress<P, C>
where
    P: Producer,
    C: Consumer<P::Item>,
{
    if pause(rest.len, pacer) {
        return Progress::Paused {
            done: None,
            run,
            rest,
        };
    }
    let mut rest = Some(rest);
    let mut done: Done<C, P::Item> = None;
    let mut chunk_start = Instant::now();
    loop {
        let open = match run.take() {
            Some(open) => open,
            None => {
                let Some(Rest {
                    len,
                    producer,
                    consumer,
                }) = rest.take()
                else {
                    unreachable!("a piece keeps a rest until its last run opens")
                };
                if consumer.full() {
                    let result = consumer.into_folder().complete();
                    return Progress::Finished(finish::<C, _>(done, result));
                }
                let run_len = limits.chunk(len, pacer.next_run(len, chunks_per_run));
                if run_len == len {
                    OpenRun {
                        len,
                        producer,
                        folder: consumer.into_folder(),
                        cut: None,
                    }
                } else {
                    let (run_producer, rest_producer) = producer.split_at(run_len);
                    let (run_consumer, rest_consumer, cut) = consumer.split_at(run_len);
                    rest = Some(Rest {
                        len: len - run_len,
                        producer: rest_producer,
                        consumer: rest_consumer,
                    });
                    OpenRun {
                        len: run_len,
                        producer: run_producer,
                        folder: run_consumer.into_folder(),
                        cut: Some(cut),
                    }
                }
            }
        };

        let rest_len = rest.as_ref().map_or(0, |rest| rest.len);
        let chunk = limits.chunk(open.len, pacer.next_chunk(open.len + rest_len));
        let (chunk_producer, run_producer) = if chunk == open.len {
            (open.producer, None)
        } else {
            let (chunk_producer, run_producer) = open.producer.split_at(chunk);
            (chunk_producer, Some(run_producer))
        };
        let folded = unwind::halt_unwinding(|| fold_chunk(chunk_producer, open.folder));
        let folder = match folded {
            Ok(folder) => folder,
            Err(payload) => match rest {
                Some(rest) => return Progress::Panicked { payload, rest },
                None => unwind::resume_unwinding(payload),
            },
        };
        let now = Instant::now();
        pacer.record(chunk, now.duration_since(chunk_start));
        chunk_start = now;

        match run_producer {
            Some(producer) if !folder.full() => {
                run = Some(OpenRun {
                    len: open.len - chunk,
                    producer,
                    folder,
                    cut: open.cut,
                });
            }
            _ => {
                let result = folder.complete();
                match open.cut {
                    Some(cut) => done = add_run::<C, _>(done, result, cut),
                    None => return Progress::Finished(finish::<C, _>(done, result)),
                }
            }
        }
        if let Some(rest_after) = rest.take_if(|rest| pause(rest.len, pacer)) {
            return Progress::Paused {
                done,
                run,
                rest: rest_after,
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
    let pacer = Pacer::new(worker.registry().num_threads());
    let rest = Rest {
        len,
        producer,
        consumer,
    };
    drive(worker, None, rest, limits, pacer)
}

fn drive<P, C>(
    worker: &WorkerThread,
    run: Option<OpenRun<P, C>>,
    rest: Rest<P, C>,
    limits: Limits,
    mut pacer: Pacer,
) -> C::Result
where
    P: Producer,
    C: Consumer<P::Item>,
{
    let share = |len: usize, pacer: &Pacer| {
        limits.can_halve(len) && {
            let worth_sharing = pacer.worth_sharing(len);
            (pacer.splits > 0 && (worth_sharing || len >= EAGER_LEN))
                || (worth_sharing && work_is_wanted(worker))
        }
    };
    let (done, run, rest) = match run_chunks(run, rest, limits, &mut pacer, CHUNKS_PER_RUN, share) {
        Progress::Finished(result) => return result,
        Progress::Paused { done, run, rest } => (done, run, rest),
        Progress::Panicked { payload, rest } => run_rest_then_resume(payload, || {
            drive(worker, None, rest, limits, pacer);
        }),
    };

    // The run under way stays with this thread: the rest is cut so that both sides get
    // about as many items, within the limits (`share` made sure the rest can be halved).
    let run_len = run.as_ref().map_or(0, |run| run.len);
    let Rest {
        len,
        producer,
        consumer,
    } = rest;
    let mid = (len.saturating_sub(run_len) / 2).clamp(limits.min, len - limits.min);
    let (left_producer, right_producer) = producer.split_at(mid);
    let (left_consumer, right_consumer, reducer) = consumer.split_at(mid);
    let left = Rest {
        len: mid,
        producer: left_producer,
        consumer: left_consumer,
    };
    let right = Rest {
        len: len - mid,
        producer: right_producer,
        consumer: right_consumer,
    };
    let pacer = pacer.halved();
    // The left half, with the run's folder, runs on this thread.
    let (left, right) = join_on_current_worker(
        worker,
        |_| drive(worker, run, left, limits, pacer),
        |ctx| {
            let migrated = ctx.migrated();
            registry::in_worker(|worker, _| {
                let pacer = if migrated {
                    pacer.migrated(worker.registry().num_threads())
                } else {
                    pacer
                };
                drive(worker, None, right, limits, pacer)
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
    let to_pool = move |rest: Rest<P, C>| {
        registry::in_worker(move |worker, _| {
            drive_on_worker(worker, rest.len, rest.producer, rest.consumer, limits)
        })
    };
    let rest = Rest {
        len,
        producer,
        consumer,
    };
    if len > INLINE_MAX_LEN {
        return to_pool(rest);
    }
    // No cuts happen here: the budget is the pool's business once it gets the rest. Each
    // run is one chunk, so that the pool gets the rest soon after the budget is spent.
    let mut pacer = Pacer::new(0);
    let over_budget = |len: usize, pacer: &Pacer| {
        pacer.nanos >= INLINE_BUDGET_NS
            || pacer
                .estimate_ns(len)
                .is_some_and(|rest| pacer.nanos.saturating_add(rest) > INLINE_BUDGET_NS)
    };
    match run_chunks(None, rest, limits, &mut pacer, 1, over_budget) {
        Progress::Finished(result) => result,
        Progress::Paused { done, run, rest } => {
            // A run that the limits made longer than a chunk is finished here first: its
            // folder cannot leave this thread.
            let done = match run {
                None => done,
                Some(run) => match unwind::halt_unwinding(|| run.fold_rest(done)) {
                    Ok(done) => done,
                    Err(payload) => run_rest_then_resume(payload, || {
                        drive_from_outside(rest.len, rest.producer, rest.consumer, limits);
                    }),
                },
            };
            finish::<C, _>(done, to_pool(rest))
        }
        Progress::Panicked { payload, rest } => run_rest_then_resume(payload, || {
            drive_from_outside(rest.len, rest.producer, rest.consumer, limits);
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
                        if wanted >= len && len <= max {
                            assert_eq!(chunk, len, "{wanted} wanted of {len}: no tail is left");
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
        let mut pacer = Pacer::new(4);
        pacer.record(1, Duration::from_nanos(50));
        assert_eq!(
            pacer.chunk, 250,
            "a fast chunk: as many as fit half the target"
        );
        pacer.record(8, Duration::from_nanos(CHUNK_TARGET_NS / 20));
        assert_eq!(
            pacer.chunk, 80,
            "far below the target: as many as fit half of it"
        );
        pacer.record(8, Duration::from_nanos(CHUNK_TARGET_NS / 3));
        assert_eq!(
            pacer.chunk, 16,
            "close to the target: at least twice as long"
        );
        pacer.record(16, Duration::from_nanos(CHUNK_TARGET_NS));
        assert_eq!(pacer.chunk, 16);
        pacer.record(16, Duration::from_nanos(8 * CHUNK_TARGET_NS));
        assert_eq!(pacer.chunk, 2);
        pacer.record(1, Duration::from_secs(1));
        assert_eq!(pacer.chunk, 1, "a chunk never drops to nothing");
    }

    #[test]
    fn estimates_wait_for_a_measurable_time() {
        let mut pacer = Pacer::new(4);
        pacer.record(4, Duration::from_nanos(MEASURED_NS / 2));
        assert_eq!(pacer.estimate_ns(1_000_000), None);
        assert!(!pacer.worth_sharing(1_000_000));
        pacer.record(4, Duration::from_nanos(MEASURED_NS * 3 / 2));
        // 8 items took 2 MEASURED_NS.
        assert_eq!(pacer.estimate_ns(4), Some(MEASURED_NS));
        assert!(pacer.worth_sharing(8 * MIN_SHARED_NS as usize));
        assert!(!pacer.worth_sharing(1));
        // 250 ns an item, and the last chunk fit 8 times in half the target.
        assert_eq!(pacer.chunk, 32);
        assert_eq!(pacer.next_chunk(16), 32, "not worth sharing: as paced");
        assert_eq!(
            pacer.next_chunk(160),
            20,
            "worth sharing: at most an eighth"
        );
        assert_eq!(pacer.next_chunk(800_000), 32, "far from the end: as paced");
        let migrated = pacer.migrated(2);
        assert_eq!(migrated.chunk, 1);
        assert_eq!(migrated.estimate_ns(4), Some(MEASURED_NS));
    }

    #[test]
    fn the_split_budget_halves_and_grows_back_on_theft() {
        let pacer = Pacer::new(8);
        assert_eq!(pacer.halved().splits, 4);
        assert_eq!(pacer.halved().halved().halved().halved().splits, 0);
        assert_eq!(
            pacer.halved().halved().halved().halved().migrated(8).splits,
            8
        );
        assert_eq!(Pacer::new(64).migrated(8).splits, 32);
    }
}
