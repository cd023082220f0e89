//! Scopes: spawn any number of jobs that may borrow from the enclosing stack frame; the
//! scope returns only when all of them have finished.
//!
//! A scope counts its outstanding jobs with a count latch; the owner waits on it (as a
//! worker, by running jobs; as an outside thread, by blocking). The first panic of any job
//! is kept and re-raised by the owner after every job has finished.

use crate::broadcast::BroadcastContext;
use crate::deterministic::{self, SpawnOrder};
use crate::job::{ArcJob, HeapJob, JobFifo, JobRef};
use crate::latch::{CountLatch, Latch};
use crate::priority::{self, Priority};
use crate::registry::{self, Registry, RegistryKeepalive, WorkerThread};
use crate::sync::{Arc, AtomicPtr, Ordering};
use crate::unwind::{self, PanicPayload};
use std::fmt;
use std::marker::PhantomData;
use std::ptr;

/// A scope for [`Scope::spawn`]: its jobs run in LIFO order on the spawning worker (the
/// newest first), and are stolen oldest-first by others. Created by [`scope`] and
/// [`in_place_scope`].
pub struct Scope<'scope> {
    base: ScopeBase<'scope>,
}

/// A scope for [`ScopeFifo::spawn_fifo`]: its jobs run in FIFO order on each worker.
/// Created by [`scope_fifo`] and [`in_place_scope_fifo`].
pub struct ScopeFifo<'scope> {
    base: ScopeBase<'scope>,
    /// One FIFO per worker of the pool.
    fifos: Vec<JobFifo>,
}

struct ScopeBase<'scope> {
    /// The pool the jobs go to, kept from terminating while the scope lives.
    registry: RegistryKeepalive,
    /// The first panic of any job.
    panic: AtomicPtr<PanicPayload>,
    job_completed_latch: CountLatch,
    /// Makes `'scope` invariant (a function both taking and returning it): jobs may borrow
    /// exactly `'scope`, no more, no less.
    marker: PhantomData<fn(&'scope ()) -> &'scope ()>,
}

/// Creates a scope on a pool worker and runs `op` in it; returns once `op` and every job
/// spawned in the scope have finished.
///
/// Jobs may borrow anything that outlives the scope. If `op` or any job panics, the panic is
/// re-raised here after all jobs have finished. From outside every pool, `op` runs on the
/// global pool; see [`in_place_scope`] to run it on the calling thread.
///
/// # Examples
///
/// ```
/// let mut halves = [vec![1, 2, 3], vec![4, 5, 6]];
/// let [left, right] = &mut halves;
/// veda::scope(|s| {
///     s.spawn(|_| left.iter_mut().for_each(|x| *x *= 10));
///     s.spawn(|_| right.iter_mut().for_each(|x| *x += 1));
/// });
/// assert_eq!(halves, [vec![10, 20, 30], vec![5, 6, 7]]);
/// ```
///
/// A job cannot borrow data that dies before the scope ends:
///
/// ```compile_fail,E0597
/// let mut length = 0;
/// veda::scope(|s| {
///     let local = vec![1, 2, 3];
///     s.spawn(|_| length = local.len()); // `local` is dropped while the job may still run
/// });
/// ```
///
/// nor can two jobs borrow the same data mutably:
///
/// ```compile_fail,E0499
/// let mut data = vec![1, 2, 3];
/// veda::scope(|s| {
///     s.spawn(|_| data.push(4));
///     s.spawn(|_| data.push(5));
/// });
/// ```
pub fn scope<'scope, OP, R>(op: OP) -> R
where
    OP: FnOnce(&Scope<'scope>) -> R + Send,
    R: Send,
{
    registry::in_worker(|owner, _| {
        let scope = Scope::new(Some(owner), RegistryKeepalive::new(owner.registry()));
        scope.base.complete(Some(owner), || op(&scope))
    })
}

/// Like [`scope`], but the scope's [`spawn_fifo`](ScopeFifo::spawn_fifo) jobs run in FIFO
/// order on each worker.
///
/// # Examples
///
/// ```
/// use std::sync::Mutex;
///
/// let pool = veda::ThreadPoolBuilder::new().num_threads(1).build().unwrap();
/// let order = Mutex::new(Vec::new());
/// pool.scope_fifo(|s| {
///     for i in 0..4 {
///         let order = &order;
///         s.spawn_fifo(move |_| order.lock().unwrap().push(i));
///     }
/// });
/// assert_eq!(order.into_inner().unwrap(), [0, 1, 2, 3]);
/// ```
pub fn scope_fifo<'scope, OP, R>(op: OP) -> R
where
    OP: FnOnce(&ScopeFifo<'scope>) -> R + Send,
    R: Send,
{
    registry::in_worker(|owner, _| {
        let scope = ScopeFifo::new(Some(owner), RegistryKeepalive::new(owner.registry()));
        scope.base.complete(Some(owner), || op(&scope))
    })
}

/// Like [`scope`], but `op` runs on the calling thread, wherever it is (so it needs no
/// `Send`); jobs go to the current worker's pool, or the global pool.
///
/// # Examples
///
/// ```
/// let counter = std::cell::Cell::new(0); // not Sync: only the scope body touches it
/// let total = std::sync::atomic::AtomicUsize::new(0);
/// veda::in_place_scope(|s| {
///     for i in 1..=4 {
///         counter.set(counter.get() + 1);
///         let total = &total;
///         s.spawn(move |_| {
///             total.fetch_add(i, std::sync::atomic::Ordering::Relaxed);
///         });
///     }
/// });
/// assert_eq!(counter.get(), 4);
/// assert_eq!(total.into_inner(), 10);
/// ```
pub fn in_place_scope<'scope, OP, R>(op: OP) -> R
where
    OP: FnOnce(&Scope<'scope>) -> R,
{
    let (owner, registry) = current_owner_and_registry();
    let scope = Scope::new(owner, registry);
    scope.base.complete(owner, || op(&scope))
}

/// Like [`in_place_scope`], with FIFO spawns as in [`scope_fifo`].
pub fn in_place_scope_fifo<'scope, OP, R>(op: OP) -> R
where
    OP: FnOnce(&ScopeFifo<'scope>) -> R,
{
    let (owner, registry) = current_owner_and_registry();
    let scope = ScopeFifo::new(owner, registry);
    scope.base.complete(owner, || op(&scope))
}

/// `in_place_scope` whose jobs go to `registry`.
pub(crate) fn in_place_scope_in<'scope, OP, R>(registry: &Arc<Registry>, op: OP) -> R
where
    OP: FnOnce(&Scope<'scope>) -> R,
{
    let owner = WorkerThread::current_ref();
    let scope = Scope::new(owner, RegistryKeepalive::new(registry));
    scope.base.complete(owner, || op(&scope))
}

/// `in_place_scope_fifo` whose jobs go to `registry`.
pub(crate) fn in_place_scope_fifo_in<'scope, OP, R>(registry: &Arc<Registry>, op: OP) -> R
where
    OP: FnOnce(&ScopeFifo<'scope>) -> R,
{
    let owner = WorkerThread::current_ref();
    let scope = ScopeFifo::new(owner, RegistryKeepalive::new(registry));
    scope.base.complete(owner, || op(&scope))
}

fn current_owner_and_registry<'a>() -> (Option<&'a WorkerThread>, RegistryKeepalive) {
    match WorkerThread::current_ref() {
        Some(owner) => (Some(owner), RegistryKeepalive::new(owner.registry())),
        None => (None, registry::global_keepalive()),
    }
}

impl<'scope> Scope<'scope> {
    fn new(owner: Option<&WorkerThread>, registry: RegistryKeepalive) -> Self {
        Scope {
            base: ScopeBase::new(owner, registry),
        }
    }

    /// Spawns a job into the scope. The job may borrow anything that outlives the scope,
    /// and receives the scope so that it can spawn more jobs.
    ///
    /// The job runs at the [level](crate::Priority) of the task that spawns it, or at the
    /// pool's default level; see [`Scope::spawn_with_priority`] to choose one.
    pub fn spawn<BODY>(&self, body: BODY)
    where
        BODY: FnOnce(&Scope<'scope>) + Send + 'scope,
    {
        match self.base.registry.spawn_level() {
            Priority::Normal => match deterministic::ticket(&self.base.registry) {
                None => {
                    let job_ref = scope_job(self, body);
                    self.base.registry.inject_or_push(job_ref);
                }
                Some(ticket) => {
                    let (task, dispatcher) = ticket.split();
                    let job_ref = scope_job(self, move |scope| task.run(|| body(scope)));
                    dispatcher.dispatch(job_ref, &self.base.registry, SpawnOrder::Lifo);
                }
            },
            level => self.spawn_with_priority(level, body),
        }
    }

    /// Spawns a job into the scope at `priority`: at `Normal` it is [`Scope::spawn`]; at
    /// another level the job waits in the pool's priority queues, where workers take it in
    /// level order (see [`Priority`]).
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::Priority;
    /// use std::sync::Mutex;
    ///
    /// let pool = veda::ThreadPoolBuilder::new().num_threads(1).build().unwrap();
    /// let order = Mutex::new(Vec::new());
    /// pool.scope(|s| {
    ///     // The only worker runs this scope's body, so the jobs start after it, by level.
    ///     s.spawn_with_priority(Priority::Background, |_| order.lock().unwrap().push("background"));
    ///     s.spawn_with_priority(Priority::Critical, |_| order.lock().unwrap().push("critical"));
    /// });
    /// assert_eq!(order.into_inner().unwrap(), ["critical", "background"]);
    /// ```
    pub fn spawn_with_priority<BODY>(&self, priority: Priority, body: BODY)
    where
        BODY: FnOnce(&Scope<'scope>) + Send + 'scope,
    {
        let job_ref = scope_job(self, move |scope: &Scope<'scope>| {
            priority::run_at(priority, || body(scope));
        });
        self.base
            .registry
            .inject_prioritized(priority, None, job_ref);
    }

    /// Spawns a job on every thread of the scope's pool; each receives the scope and a
    /// [`BroadcastContext`].
    pub fn spawn_broadcast<BODY>(&self, body: BODY)
    where
        BODY: Fn(&Scope<'scope>, BroadcastContext<'_>) + Send + Sync + 'scope,
    {
        scope_broadcast(self, body);
    }
}

impl<'scope> ScopeFifo<'scope> {
    fn new(owner: Option<&WorkerThread>, registry: RegistryKeepalive) -> Self {
        let fifos = (0..registry.num_threads())
            .map(|_| JobFifo::new())
            .collect();
        ScopeFifo {
            base: ScopeBase::new(owner, registry),
            fifos,
        }
    }

    /// Spawns a job into the scope; on each worker, the scope's jobs start in the order they
    /// were spawned.
    ///
    /// The job runs at the [level](crate::Priority) of the task that spawns it, or at the
    /// pool's default level. Above or below `Normal` it waits in the pool's priority queue
    /// of that level, which also serves jobs in the order they came (a deadline aside).
    pub fn spawn_fifo<BODY>(&self, body: BODY)
    where
        BODY: FnOnce(&ScopeFifo<'scope>) + Send + 'scope,
    {
        let level = self.base.registry.spawn_level();
        if level != Priority::Normal {
            let job_ref = scope_job(self, move |scope: &ScopeFifo<'scope>| {
                priority::run_at(level, || body(scope));
            });
            return self.base.registry.inject_prioritized(level, None, job_ref);
        }
        if let Some(ticket) = deterministic::ticket(&self.base.registry) {
            let (task, dispatcher) = ticket.split();
            let job_ref = scope_job(self, move |scope| task.run(|| body(scope)));
            let order = match self.base.registry.current_thread() {
                Some(worker) if worker.index() < self.fifos.len() => {
                    SpawnOrder::ScopeFifo(&self.fifos[worker.index()])
                }
                _ => SpawnOrder::Lifo,
            };
            return dispatcher.dispatch(job_ref, &self.base.registry, order);
        }
        let job_ref = scope_job(self, body);
        // A stand-in (index past `num_threads`) has no FIFO of its own here: it injects.
        match self
            .base
            .registry
            .current_thread()
            .filter(|worker| worker.index() < self.fifos.len())
        {
            Some(worker) => {
                let fifo = &self.fifos[worker.index()];
                // SAFETY: the FIFO lives as long as the scope. Each FIFO reference pops one
                // job and was pushed with one, so once every job has finished (which the
                // scope waits for), no reference to the FIFO is left in any queue.
                worker.push(unsafe { fifo.push(job_ref) });
            }
            None => self.base.registry.inject(job_ref),
        }
    }

    /// Spawns a job on every thread of the scope's pool; each receives the scope and a
    /// [`BroadcastContext`].
    pub fn spawn_broadcast<BODY>(&self, body: BODY)
    where
        BODY: Fn(&ScopeFifo<'scope>, BroadcastContext<'_>) + Send + Sync + 'scope,
    {
        scope_broadcast(self, body);
    }
}

impl<'scope> Scope<'scope> {
    /// Takes a count on the scope, for work that may borrow from it without being one of
    /// its jobs (veda's isolated tasks): the scope does not end while the hold lives.
    pub(crate) fn hold(&self) -> ScopeHold {
        self.base.job_completed_latch.increment();
        ScopeHold {
            latch: &self.base.job_completed_latch,
        }
    }

    /// The pool the scope's jobs run on.
    pub(crate) fn registry(&self) -> &Arc<Registry> {
        &self.base.registry
    }
}

/// A count on a scope's job latch, released on drop (see [`Scope::hold`]).
#[derive(Debug)]
pub(crate) struct ScopeHold {
    latch: *const CountLatch,
}

// SAFETY: the latch is a count latch, which any thread may set (scope jobs set it from
// whichever worker runs them); the hold only ever sets it, once, when dropped.
unsafe impl Send for ScopeHold {}

impl Drop for ScopeHold {
    fn drop(&mut self) {
        // SAFETY: the scope cannot end, and free the latch, before this count is released,
        // so the latch is valid here; nothing touches it after the set.
        unsafe { Latch::set(self.latch) };
    }
}

/// What `Scope` and `ScopeFifo` share, for the job builders below.
trait ScopeLike<'scope>: Sync {
    fn base(&self) -> &ScopeBase<'scope>;
}

impl<'scope> ScopeLike<'scope> for Scope<'scope> {
    fn base(&self) -> &ScopeBase<'scope> {
        &self.base
    }
}

impl<'scope> ScopeLike<'scope> for ScopeFifo<'scope> {
    fn base(&self) -> &ScopeBase<'scope> {
        &self.base
    }
}

/// A counted job that runs `body` with the scope.
fn scope_job<'scope, S, BODY>(scope: &S, body: BODY) -> JobRef
where
    S: ScopeLike<'scope> + 'scope,
    BODY: FnOnce(&S) + Send + 'scope,
{
    match scope.base().registry.telemetry().sample_job() {
        None => counted_scope_job(scope, body),
        // A sampled job is a job of another type, so that the others carry no stamp.
        Some(stamp) => counted_scope_job(scope, move |scope: &S| stamp.run(|| body(scope))),
    }
}

/// The job of [`scope_job`], counted in the scope.
fn counted_scope_job<'scope, S, BODY>(scope: &S, body: BODY) -> JobRef
where
    S: ScopeLike<'scope> + 'scope,
    BODY: FnOnce(&S) + Send + 'scope,
{
    let scope_ptr = ScopePtr(scope);
    let job = HeapJob::new(move || {
        // SAFETY: the scope waits for all its jobs, so it outlives this one.
        let scope = unsafe { scope_ptr.as_ref() };
        // SAFETY: as above; the pointer is not used after the job is counted done.
        unsafe { ScopeBase::execute_job(scope.base(), move || body(scope)) };
    });
    scope.base().heap_job_ref(job)
}

/// Runs `body` with the scope on every thread of the scope's pool, each run counted.
fn scope_broadcast<'scope, S, BODY>(scope: &S, body: BODY)
where
    S: ScopeLike<'scope> + 'scope,
    BODY: Fn(&S, BroadcastContext<'_>) + Send + Sync + 'scope,
{
    let scope_ptr = ScopePtr(scope);
    let job = ArcJob::new(move || {
        // SAFETY: the scope waits for all its jobs, so it outlives this one.
        let scope = unsafe { scope_ptr.as_ref() };
        let body = &body;
        let run = move || BroadcastContext::with_current(move |ctx| body(scope, ctx));
        // SAFETY: as above; the pointer is not used after the job is counted done.
        unsafe { ScopeBase::execute_job(scope.base(), run) };
    });
    scope.base().broadcast_job(&job);
}

impl<'scope> ScopeBase<'scope> {
    /// `owner` is the current thread if it is a worker of any pool: it then waits for the
    /// scope's jobs by running its own pool's jobs.
    fn new(owner: Option<&WorkerThread>, registry: RegistryKeepalive) -> Self {
        ScopeBase {
            registry,
            panic: AtomicPtr::new(ptr::null_mut()),
            job_completed_latch: CountLatch::with_count(1, owner),
            marker: PhantomData,
        }
    }

    /// Counts a job and erases it.
    fn heap_job_ref<FUNC>(&self, job: Box<HeapJob<FUNC>>) -> JobRef
    where
        FUNC: FnOnce() + Send + 'scope,
    {
        self.job_completed_latch.increment();
        // SAFETY: the job borrows at most 'scope, and the scope does not end before the job
        // has run, since the job was counted just above.
        unsafe { job.into_job_ref() }
    }

    /// Counts one run per worker and hands them out.
    fn broadcast_job<FUNC>(&self, job: &Arc<ArcJob<FUNC>>)
    where
        FUNC: Fn() + Send + Sync + 'scope,
    {
        let job_refs = (0..self.registry.num_threads()).map(|_| {
            self.job_completed_latch.increment();
            // SAFETY: as for `heap_job_ref`: each run was counted just above.
            unsafe { ArcJob::as_job_ref(job) }
        });
        self.registry.inject_broadcast(job_refs);
    }

    /// Runs the owner's closure, waits for every job, and re-raises the first panic.
    fn complete<FUNC, R>(&self, owner: Option<&WorkerThread>, func: FUNC) -> R
    where
        FUNC: FnOnce() -> R,
    {
        // SAFETY: `self` lives on the owner's frame, beyond the wait below.
        let result = unsafe {
            Self::execute_job_closure(self, || deterministic::scope_body(&self.registry, func))
        };
        self.job_completed_latch.wait(owner);
        self.maybe_propagate_panic();
        result.expect("the scope body's panic was re-raised above")
    }

    /// Runs a job body and counts it done.
    ///
    /// # Safety
    /// `this` must be valid on entry; it may be freed as soon as the job is counted done.
    unsafe fn execute_job<FUNC>(this: *const Self, func: FUNC)
    where
        FUNC: FnOnce(),
    {
        // SAFETY: forwarded from this function's contract.
        let _ = unsafe { Self::execute_job_closure(this, func) };
    }

    /// # Safety
    /// As for [`ScopeBase::execute_job`].
    unsafe fn execute_job_closure<FUNC, R>(this: *const Self, func: FUNC) -> Option<R>
    where
        FUNC: FnOnce() -> R,
    {
        let result = match unwind::halt_unwinding(func) {
            Ok(result) => Some(result),
            Err(payload) => {
                // SAFETY: valid until the latch is set, below.
                unsafe { (*this).job_panicked(payload) };
                None
            }
        };
        // SAFETY: valid on entry; nothing touches `*this` after this call.
        unsafe { Latch::set(&(*this).job_completed_latch) };
        result
    }

    fn job_panicked(&self, payload: PanicPayload) {
        let boxed = Box::into_raw(Box::new(payload));
        if self
            .panic
            .compare_exchange(ptr::null_mut(), boxed, Ordering::Release, Ordering::Relaxed)
            .is_err()
        {
            // Another job panicked first; only the first panic is re-raised.
            // SAFETY: `boxed` came from `Box::into_raw` just above and was not shared.
            drop(unsafe { Box::from_raw(boxed) });
        }
    }

    fn maybe_propagate_panic(&self) {
        let panic = self.panic.swap(ptr::null_mut(), Ordering::Acquire);
        if !panic.is_null() {
            // SAFETY: a non-null pointer was stored by `job_panicked` from `Box::into_raw`,
            // and the swap took it out, so it is reclaimed once.
            let payload = unsafe { Box::from_raw(panic) };
            unwind::resume_unwinding(*payload);
        }
    }
}

impl fmt::Debug for Scope<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Scope")
            .field("num_threads", &self.base.registry.num_threads())
            .finish_non_exhaustive()
    }
}

impl fmt::Debug for ScopeFifo<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ScopeFifo")
            .field("num_threads", &self.base.registry.num_threads())
            .finish_non_exhaustive()
    }
}

/// A pointer to a scope that jobs carry to other threads.
struct ScopePtr<T>(*const T);

// SAFETY: only shared references to a `Sync` scope are made from it, on any thread.
unsafe impl<T: Sync> Send for ScopePtr<T> {}
// SAFETY: as above.
unsafe impl<T: Sync> Sync for ScopePtr<T> {}

impl<T> ScopePtr<T> {
    /// # Safety
    /// The scope must still be alive.
    unsafe fn as_ref(&self) -> &T {
        // SAFETY: forwarded from this function's contract.
        unsafe { &*self.0 }
    }
}
