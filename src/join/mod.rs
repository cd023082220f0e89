//! `join` and `join_context`: run two closures, potentially in parallel.
//!
//! Under [`SchedulingPolicy::WorkStealing`](crate::SchedulingPolicy) (Rayon's scheme), the
//! calling worker pushes the second closure onto its deque, where idle workers can steal
//! it, and runs the first itself. Then it takes the second back if nobody stole it, or runs
//! other jobs until the thief is done.
//!
//! Under [`SchedulingPolicy::Adaptive`](crate::SchedulingPolicy), the second closure is
//! first recorded on the worker's private *latent stack* (`registry/latent.rs`), which no
//! other thread reads: a join that nobody steals from costs a few plain loads and stores
//! more than calling both closures (the half's latch and result slot are written only if it
//! is published). The worker publishes its oldest latent half — the largest
//! piece of pending work — onto its deque when another worker is idle and its deque is
//! empty (checked at every join), for the outermost join of every job, and all of them
//! before it waits or yields. A published half follows Rayon's protocol from then on. So
//! work is exposed exactly when some thread could take it, and `join_context().migrated()`,
//! panics and nesting behave as in Rayon.
//!
//! One difference remains observable: if the first closure blocks until the second has
//! run on another thread, while every other worker was busy when the join started and the
//! blocked worker makes no further `join` call, nothing publishes the second closure.
//! Rayon does not promise that the second closure runs in parallel either; code that
//! blocks this way should wrap the blocking call in [`crate::block_in_place`], which
//! publishes the latent halves first, or use `WorkStealing`.

use crate::deterministic;
use crate::job::{JobRef, StackJob};
use crate::latch::{AsCoreLatch, CoreLatch, SpinLatch};
use crate::registry::{self, LatentJob, WorkerThread};
use crate::scheduling_policy::SchedulingPolicy;
use crate::unwind;
use std::marker::PhantomData;

/// Runs `oper_a` and `oper_b`, potentially in parallel, and returns both results.
///
/// `oper_a` runs on the calling thread (or, if it is outside every pool, on a worker of the
/// global pool); `oper_b` runs there too unless another worker steals it first. If either
/// closure panics, the panic is re-raised here once both closures have finished (when both
/// panic, one of the two panics is re-raised).
///
/// In a pool with the default [`SchedulingPolicy::Adaptive`](crate::SchedulingPolicy),
/// `oper_b` becomes stealable only when another worker is idle (or when the caller waits,
/// yields or calls [`block_in_place`](crate::block_in_place)), so a join nobody needs costs
/// about as much as two calls. A closure must therefore not block until the other one has
/// run elsewhere without going through `block_in_place`; Rayon gives no such guarantee
/// either.
///
/// # Examples
///
/// ```
/// fn sum(values: &[u64]) -> u64 {
///     if values.len() <= 1024 {
///         return values.iter().sum();
///     }
///     let (left, right) = values.split_at(values.len() / 2);
///     let (a, b) = veda::join(|| sum(left), || sum(right));
///     a + b
/// }
///
/// let values: Vec<u64> = (1..=100_000).collect();
/// assert_eq!(sum(&values), 5_000_050_000);
/// ```
///
/// Both closures may run on other threads, so what they capture must be `Send`:
///
/// ```compile_fail,E0277
/// let shared = std::rc::Rc::new(1);
/// veda::join(|| *shared + 1, || *shared + 2); // Rc is not Send
/// ```
///
/// and they cannot both borrow the same data mutably:
///
/// ```compile_fail,E0499
/// let mut data = vec![1, 2, 3];
/// veda::join(|| data.push(4), || data.push(5));
/// ```
pub fn join<A, B, RA, RB>(oper_a: A, oper_b: B) -> (RA, RB)
where
    A: FnOnce() -> RA + Send,
    B: FnOnce() -> RB + Send,
    RA: Send,
    RB: Send,
{
    join_context(|_| oper_a(), |_| oper_b())
}

/// Like [`join`], but each closure learns through its [`FnContext`] whether it migrated to
/// another thread than the one that called `join_context`.
///
/// # Examples
///
/// ```
/// let pool = veda::ThreadPoolBuilder::new().num_threads(1).build().unwrap();
/// let (a, b) = pool.install(|| veda::join_context(|ctx| ctx.migrated(), |ctx| ctx.migrated()));
/// // With a single worker, nothing can be stolen.
/// assert_eq!((a, b), (false, false));
/// ```
pub fn join_context<A, B, RA, RB>(oper_a: A, oper_b: B) -> (RA, RB)
where
    A: FnOnce(FnContext) -> RA + Send,
    B: FnOnce(FnContext) -> RB + Send,
    RA: Send,
    RB: Send,
{
    registry::in_worker(|worker, injected| {
        if worker.lazy_joins() {
            join_lazy(worker, injected, oper_a, oper_b)
        } else if let Some(fork) = deterministic::fork(worker.registry()) {
            // A deterministic pool: each half runs as its logical task, and the seed picks
            // which goes first (the results keep their places).
            let swapped = fork.swapped();
            let (first, second) = fork.halves();
            let oper_a = move |ctx| first.run(|| oper_a(ctx));
            let oper_b = move |ctx| second.run(|| oper_b(ctx));
            if swapped {
                let (result_b, result_a) = join_on_worker(worker, injected, oper_b, oper_a);
                (result_a, result_b)
            } else {
                join_on_worker(worker, injected, oper_a, oper_b)
            }
        } else {
            join_on_worker(worker, injected, oper_a, oper_b)
        }
    })
}

/// [`join_context`] for a caller already running on `worker`, in an adaptive pool:
/// `oper_a` runs on this thread, so neither it nor its result need be `Send`. (A
/// deterministic pool may run the second half first and leave the first one to a thief.)
pub(crate) fn join_on_current_worker<A, B, RA, RB>(
    worker: &WorkerThread,
    oper_a: A,
    oper_b: B,
) -> (RA, RB)
where
    A: FnOnce(FnContext) -> RA,
    B: FnOnce(FnContext) -> RB + Send,
    RB: Send,
{
    debug_assert_eq!(
        worker.registry().scheduling_policy(),
        SchedulingPolicy::Adaptive,
        "only an adaptive pool's joins surely run their first half here"
    );
    if worker.lazy_joins() {
        join_lazy(worker, false, oper_a, oper_b)
    } else {
        join_on_worker(worker, false, oper_a, oper_b)
    }
}

/// The adaptive `join`: `oper_b` stays private to this worker (see
/// [`WorkerThread::push_latent`]) unless some worker is idle, so a join that nobody could
/// steal from costs about as much as calling both closures. If it was published meanwhile,
/// the rest is Rayon's protocol.
///
/// Kept out of line: the caller's frame then holds only the worker lookup and this call,
/// so a recursive function built on `join` (fib, say) stays small enough for the compiler
/// to inline its base case into the closures here, sparing every leaf a full call.
/// Callgrind, one thread: fib(30) 100M -> 82M instructions, a tree sum of 2^20 nodes
/// 56M -> 60M.
#[inline(never)]
fn join_lazy<A, B, RA, RB>(worker: &WorkerThread, injected: bool, oper_a: A, oper_b: B) -> (RA, RB)
where
    A: FnOnce(FnContext) -> RA,
    B: FnOnce(FnContext) -> RB + Send,
    RB: Send,
{
    let job_b = LatentJob::new(|migrated| oper_b(FnContext::new(migrated)));
    // `job_b` stays on this frame and its link is taken back just below, after `oper_a`
    // has returned or panicked (its panic is caught), so after every link pushed inside it.
    // SAFETY: if it was published meanwhile, it stays until it is popped back out of the
    // deque or its latch is set, which is awaited below, including when `oper_a` panics.
    unsafe { worker.push_latent(job_b.link()) };

    let outcome_a = unwind::halt_unwinding(|| oper_a(FnContext::new(injected)));
    let published = worker.pop_latent(job_b.link());
    let result_a = match outcome_a {
        Ok(result) => result,
        Err(payload) => {
            // `job_b` borrows this frame: it must be finished before the panic goes on. As
            // in Rayon, it runs even though `oper_a` failed; its own panic is dropped.
            if published {
                // SAFETY: the link was published, so its latch is initialised.
                worker.wait_until(unsafe { job_b.link().latch() });
                // SAFETY: the latch is set: the job ran through its reference (here or on
                // a thief), which wrote its result; read once, to drop it.
                let _ = unwind::halt_unwinding(|| unsafe { job_b.take_result() });
            } else {
                // SAFETY: `job_b` was never published, so no other thread knows of it.
                let _ = unwind::halt_unwinding(|| unsafe { job_b.run_inline(injected) });
            }
            unwind::resume_unwinding(payload)
        }
    };
    if !published {
        // SAFETY: `job_b` was never published, so no other thread knows of it.
        return (result_a, unsafe { job_b.run_inline(injected) });
    }
    let link = job_b.link();
    // SAFETY: the link was published, so its latch is initialised.
    if take_back_or_wait(worker, unsafe { link.latch() }, link.job_ref()) {
        // SAFETY: nobody stole it: it was just taken back out of this worker's deque.
        return (result_a, unsafe { job_b.run_inline(injected) });
    }
    // SAFETY: the latch is set: a thief ran the job and left its result.
    (result_a, unsafe { job_b.take_result() })
}

fn join_on_worker<A, B, RA, RB>(
    worker: &WorkerThread,
    injected: bool,
    oper_a: A,
    oper_b: B,
) -> (RA, RB)
where
    A: FnOnce(FnContext) -> RA,
    B: FnOnce(FnContext) -> RB + Send,
    RB: Send,
{
    let job_b = StackJob::new(
        |migrated| oper_b(FnContext::new(migrated)),
        SpinLatch::new(worker),
    );
    // SAFETY: `job_b` stays on this frame until its latch is set or it is taken back below;
    // a panic of `oper_a` is caught and waits for the latch before unwinding.
    let job_b_ref = unsafe { job_b.as_job_ref() };
    worker.push_join_half(job_b_ref);

    let result_a = match unwind::halt_unwinding(|| oper_a(FnContext::new(injected))) {
        Ok(result) => result,
        Err(payload) => {
            // `job_b` borrows this frame: it must be finished before the panic goes on.
            // Waiting runs it here if it is still in our deque.
            worker.wait_until(&job_b.latch);
            unwind::resume_unwinding(payload)
        }
    };

    if take_back_or_wait(worker, job_b.latch.as_core_latch(), job_b_ref) {
        // SAFETY: nobody stole it: it was just taken back out of this worker's deque.
        return (result_a, unsafe { job_b.run_inline(injected) });
    }
    (result_a, job_b.into_result())
}

/// Finishes a join whose second half was pushed onto the deque: returns true if nobody stole
/// it (the caller then runs it inline), or runs other jobs until the thief has set `latch`
/// and returns false.
#[inline]
fn take_back_or_wait(worker: &WorkerThread, latch: &CoreLatch, job_b_ref: JobRef) -> bool {
    while !latch.probe() {
        match worker.take_local_job() {
            Some(job) if job.id() == job_b_ref.id() => return true,
            Some(job) => worker.execute(job),
            None => {
                worker.wait_until(latch);
                break;
            }
        }
    }
    false
}

/// What a closure run by [`join_context`] learns about where it runs.
#[derive(Debug)]
pub struct FnContext {
    migrated: bool,
    /// Not `Send`/`Sync`: the context describes the current thread.
    _not_send_sync: PhantomData<*mut ()>,
}

impl FnContext {
    #[inline]
    fn new(migrated: bool) -> Self {
        FnContext {
            migrated,
            _not_send_sync: PhantomData,
        }
    }

    /// True if the closure runs on another thread than the one that called
    /// [`join_context`] (it was stolen), or the whole join was sent to a pool from outside.
    #[inline]
    pub fn migrated(&self) -> bool {
        self.migrated
    }
}
