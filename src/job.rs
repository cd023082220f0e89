//! Jobs: the type-erased units of work that travel through deques and injectors.
//!
//! A [`JobRef`] is a data pointer plus the function that knows how to run it. Three owners
//! stand behind those pointers:
//! - [`StackJob`] lives in the stack frame of a thread that waits (on the job's latch) until
//!   the job has run, so nothing is allocated: `join`, `install`, `broadcast`.
//! - [`HeapJob`] is boxed and frees itself when run: `spawn` and scope spawns.
//! - [`ArcJob`] is shared by several runs: broadcast spawns.
//!
//! [`JobFifo`] turns the LIFO worker deque into a per-owner FIFO for `spawn_fifo`.

use crate::latch::Latch;
use crate::sync::{Arc, UnsafeCell};
use crate::unwind::{self, PanicPayload};
use crossbeam_deque::{Injector, Steal};
use std::mem;

/// A job that can be run through a raw pointer to it.
pub(crate) trait Job {
    /// Runs the job.
    ///
    /// # Safety
    /// `this` must point to a live job of this type that has not run yet, and the caller must
    /// not touch it afterwards: running may free it or wake a thread that frees it.
    unsafe fn execute(this: *const ());
}

/// A type-erased pointer to a job and the function that runs it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct JobRef {
    pointer: *const (),
    execute_fn: unsafe fn(*const ()),
}

// SAFETY: a JobRef is only a pointer; every job type it can point to is built from `Send`
// closures and results, and the protocols around it ensure exactly one thread runs it.
unsafe impl Send for JobRef {}
// SAFETY: as above; sharing the pointer value does not give access to the job.
unsafe impl Sync for JobRef {}

impl JobRef {
    /// Erases the type of a job.
    ///
    /// # Safety
    /// `data` must stay valid until the returned reference has been executed.
    pub(crate) unsafe fn new<T: Job>(data: *const T) -> JobRef {
        JobRef {
            pointer: data.cast(),
            execute_fn: <T as Job>::execute,
        }
    }

    /// A reference from a data pointer and the function that runs what it points to.
    ///
    /// # Safety
    /// `execute_fn` must run the job `pointer` points to, and `pointer` must stay valid
    /// until the returned reference has been executed.
    #[inline]
    pub(crate) unsafe fn from_raw(pointer: *const (), execute_fn: unsafe fn(*const ())) -> JobRef {
        JobRef {
            pointer,
            execute_fn,
        }
    }

    /// Identifies the job: two live jobs never share an address (jobs that could, boxes of
    /// zero-sized closures, never meet the stack jobs this is compared with).
    #[inline]
    pub(crate) fn id(&self) -> *const () {
        self.pointer
    }

    /// Runs the job.
    ///
    /// # Safety
    /// Each `JobRef` must be executed at most once, while the job it points to is alive.
    #[inline]
    pub(crate) unsafe fn execute(self) {
        // SAFETY: forwarded from this function's contract.
        unsafe { (self.execute_fn)(self.pointer) }
    }
}

/// The outcome of a job, written by the thread that ran it.
#[derive(Debug)]
pub(crate) enum JobResult<T> {
    /// The job has not run.
    None,
    /// The job returned a value.
    Ok(T),
    /// The job panicked.
    Panic(PanicPayload),
}

impl<T> JobResult<T> {
    /// Runs `func`, catching its panic.
    pub(crate) fn call(func: impl FnOnce() -> T) -> Self {
        match unwind::halt_unwinding(func) {
            Ok(value) => JobResult::Ok(value),
            Err(payload) => JobResult::Panic(payload),
        }
    }

    /// The value, or the job's panic resumed in the caller.
    pub(crate) fn into_return_value(self) -> T {
        match self {
            JobResult::Ok(value) => value,
            JobResult::Panic(payload) => unwind::resume_unwinding(payload),
            JobResult::None => unreachable!("a job's result was read before the job ran"),
        }
    }
}

/// A job stored in the frame of the thread that waits for it.
///
/// The closure receives `true` when it runs through [`Job::execute`] (it was injected or
/// stolen) and the caller's flag when it runs inline.
pub(crate) struct StackJob<L, F, R> {
    pub(crate) latch: L,
    func: UnsafeCell<Option<F>>,
    result: UnsafeCell<JobResult<R>>,
}

impl<L, F, R> StackJob<L, F, R>
where
    L: Latch,
    F: FnOnce(bool) -> R + Send,
    R: Send,
{
    pub(crate) fn new(func: F, latch: L) -> Self {
        StackJob {
            latch,
            func: UnsafeCell::new(Some(func)),
            result: UnsafeCell::new(JobResult::None),
        }
    }

    /// A reference that another thread can run.
    ///
    /// # Safety
    /// The job must not move or be dropped until its latch is set.
    pub(crate) unsafe fn as_job_ref(&self) -> JobRef {
        // SAFETY: forwarded from this function's contract.
        unsafe { JobRef::new(self) }
    }

    /// Runs the closure on the current thread, when no other thread took the job.
    ///
    /// Borrows the job rather than consuming it, and is always inlined, so that only the
    /// closure is read out of it: moving the whole job into a callee's frame was a hot spot
    /// of fine-grained joins.
    ///
    /// # Safety
    /// No other thread may run the job, now or later: it was never shared, or its owner
    /// took it back out of its deque. It must not have run already.
    #[inline(always)]
    pub(crate) unsafe fn run_inline(&self, migrated: bool) -> R {
        // SAFETY: by this function's contract, the current thread is the only one that
        // touches the job.
        let func = self.func.with_mut(|func| unsafe { (*func).take() });
        let func = func.expect("a stack job was run inline after it had already run");
        func(migrated)
    }

    /// The result after the latch was set.
    pub(crate) fn into_result(self) -> R {
        self.result.into_inner().into_return_value()
    }
}

impl<L, F, R> Job for StackJob<L, F, R>
where
    L: Latch,
    F: FnOnce(bool) -> R + Send,
    R: Send,
{
    unsafe fn execute(this: *const ()) {
        // SAFETY: `JobRef::new` was given a `*const Self` and the owner keeps the job alive
        // until its latch is set, which is the last thing done here.
        let this = unsafe { &*this.cast::<Self>() };
        let abort = unwind::AbortIfPanic;
        // SAFETY: only the one thread that runs the job touches `func` and `result` until the
        // latch is set; the owner reads them only afterwards.
        let func = this.func.with_mut(|func| unsafe { (*func).take() });
        let func = func.expect("a stack job was executed twice");
        let result = JobResult::call(|| func(true));
        // SAFETY: as above.
        this.result.with_mut(|slot| unsafe { *slot = result });
        // SAFETY: `this` is alive until this call returns; it is not used afterwards.
        unsafe { Latch::set(&this.latch) };
        mem::forget(abort);
    }
}

/// A boxed job that frees itself when it runs.
pub(crate) struct HeapJob<BODY> {
    body: BODY,
}

impl<BODY> HeapJob<BODY>
where
    BODY: FnOnce() + Send,
{
    pub(crate) fn new(body: BODY) -> Box<Self> {
        Box::new(HeapJob { body })
    }

    /// Leaks the box into a job reference.
    ///
    /// # Safety
    /// Whatever `BODY` borrows must outlive the execution of the reference (scopes ensure it
    /// by waiting for all their jobs).
    pub(crate) unsafe fn into_job_ref(self: Box<Self>) -> JobRef {
        // SAFETY: the box is leaked here and reclaimed exactly once in `execute`.
        unsafe { JobRef::new(Box::into_raw(self)) }
    }

    /// Leaks the box into a job reference; safe because `BODY` borrows nothing.
    pub(crate) fn into_static_job_ref(self: Box<Self>) -> JobRef
    where
        BODY: 'static,
    {
        // SAFETY: a 'static body cannot outlive anything it borrows.
        unsafe { self.into_job_ref() }
    }
}

impl<BODY> Job for HeapJob<BODY>
where
    BODY: FnOnce() + Send,
{
    unsafe fn execute(this: *const ()) {
        // SAFETY: the pointer came from `Box::into_raw` in `into_job_ref` and each job
        // reference runs once, so the box is reclaimed exactly once.
        let this = unsafe { Box::from_raw(this.cast::<Self>().cast_mut()) };
        (this.body)();
    }
}

/// A job shared by several runs (one per worker for broadcasts); each reference holds one
/// count of the `Arc`.
pub(crate) struct ArcJob<BODY> {
    body: BODY,
}

impl<BODY> ArcJob<BODY>
where
    BODY: Fn() + Send + Sync,
{
    pub(crate) fn new(body: BODY) -> Arc<Self> {
        Arc::new(ArcJob { body })
    }

    /// A job reference owning one count of the `Arc`.
    ///
    /// # Safety
    /// Whatever `BODY` borrows must outlive the execution of the reference.
    pub(crate) unsafe fn as_job_ref(this: &Arc<Self>) -> JobRef {
        // SAFETY: the count taken by `into_raw` is given back exactly once in `execute`.
        unsafe { JobRef::new(Arc::into_raw(Arc::clone(this))) }
    }

    /// A job reference for a body that borrows nothing.
    pub(crate) fn as_static_job_ref(this: &Arc<Self>) -> JobRef
    where
        BODY: 'static,
    {
        // SAFETY: a 'static body cannot outlive anything it borrows.
        unsafe { Self::as_job_ref(this) }
    }
}

impl<BODY> Job for ArcJob<BODY>
where
    BODY: Fn() + Send + Sync,
{
    unsafe fn execute(this: *const ()) {
        // SAFETY: the pointer came from `Arc::into_raw` in `as_job_ref`, whose count this run
        // now owns and releases.
        let this = unsafe { Arc::from_raw(this.cast::<Self>()) };
        (this.body)();
    }
}

/// A FIFO of jobs belonging to one worker (or one worker's share of a `scope_fifo`).
///
/// Pushing a job into the FIFO returns a reference to the FIFO itself; the worker pushes that
/// reference onto its ordinary deque, and whoever runs it pops the *oldest* job of the FIFO.
/// So FIFO order holds within one FIFO while the deque keeps its LIFO discipline across them.
#[derive(Debug, Default)]
pub(crate) struct JobFifo {
    queue: Injector<JobRef>,
}

impl JobFifo {
    pub(crate) fn new() -> Self {
        JobFifo {
            queue: Injector::new(),
        }
    }

    /// Queues `job_ref` and returns the reference to push onto the deque.
    ///
    /// # Safety
    /// The FIFO must outlive the execution of the returned reference.
    pub(crate) unsafe fn push(&self, job_ref: JobRef) -> JobRef {
        self.queue.push(job_ref);
        // SAFETY: forwarded from this function's contract.
        unsafe { JobRef::new(self) }
    }
}

impl Job for JobFifo {
    unsafe fn execute(this: *const ()) {
        // SAFETY: the pointer came from `JobFifo::push`, whose caller keeps the FIFO alive.
        let this = unsafe { &*this.cast::<Self>() };
        // Every reference to the FIFO was pushed together with one job, so a job is there.
        loop {
            match this.queue.steal() {
                // SAFETY: each queued job reference is popped, and so run, once.
                Steal::Success(job_ref) => return unsafe { job_ref.execute() },
                Steal::Retry => continue,
                Steal::Empty => unreachable!("a FIFO job reference ran with its FIFO empty"),
            }
        }
    }
}
