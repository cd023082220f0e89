//! The lean path: a task with no retry, timeout, circuit breaker or recovery strategy.
//!
//! Such a task runs exactly once and needs nothing between attempts, so it needs no
//! [`Runner`](super::task): one small allocation holds its completion, its closure and its
//! pool, and is itself the pool job (the job owns one count of the `Arc`, the handle
//! another). Its handle resolves as a runner's would: with the value, the isolated panic or
//! error, or `Cancelled` when `cancel` wins the race before the task starts (it then never
//! runs). Small matters here: a cell of a few words is cheap to allocate and, above all, to
//! free, on the owner's thread, when the handle is joined.

use super::completion::Completion;
use super::context::{Resolved, TaskContext};
use super::error::TaskError;
use super::handle::{Outcome, OutcomeCell};
use super::isolate::isolate;
use super::report;
use super::task::BodyError;
use crate::job::JobRef;
use crate::registry::Registry;
use crate::scope::ScopeHold;
use crate::sync::{Arc, UnsafeCell};
use crate::telemetry::FaultEvent;

/// A lean task: its completion, and what its single run needs.
pub(crate) struct LeanTask<T, F> {
    completion: Completion<Outcome<T>>,
    name: Option<String>,
    /// The pool, counted on its terminate count by the queued job until the run ends.
    registry: Arc<Registry>,
    /// The closure (with the scope hold of a task spawned in a scope, see [`Held`]); taken
    /// by the run, the only place that touches it.
    body: UnsafeCell<Option<F>>,
}

// SAFETY: `body` is touched only by the task's run, which happens once, on one thread (the
// pool job runs once), and by the drop of the last `Arc`, which has exclusive access; every
// other field is `Sync` on its own (the completion's outcome travels between threads, hence
// `T: Send`). Sharing a `LeanTask` thus never gives two threads access to the same `F`,
// which only needs to be `Send`.
unsafe impl<T: Send, F: Send> Sync for LeanTask<T, F> {}

impl<T, F> OutcomeCell<T> for LeanTask<T, F>
where
    T: Send,
    F: Send,
{
    fn completion(&self) -> &Completion<Outcome<T>> {
        &self.completion
    }

    fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }
}

impl<T, F> Resolved for LeanTask<T, F>
where
    T: Send,
    F: Send,
{
    fn is_resolved(&self) -> bool {
        self.completion.is_resolved()
    }
}

/// The closure of a task spawned in a scope, with its count on the scope: the fields drop
/// in order, so the closure, which may borrow from the scope, is gone before the scope may
/// end.
struct Held<F> {
    body: F,
    _hold: ScopeHold,
}

impl<F> Held<F> {
    /// Calls the closure; a method, so that a closure calling it captures the whole `Held`
    /// (a closure naming only `held.body` would capture that field alone, and drop the hold
    /// at once).
    fn call<T>(&mut self, context: &mut TaskContext) -> Result<T, BodyError>
    where
        F: FnMut(&mut TaskContext) -> Result<T, BodyError>,
    {
        (self.body)(context)
    }
}

/// Queues a lean task on `registry`, which the caller keeps from terminating meanwhile, and
/// returns its shared cell. `scope_hold`, for a task spawned in a scope, is released once
/// the closure is dropped.
pub(crate) fn launch<T, F>(
    body: F,
    name: Option<String>,
    registry: &Arc<Registry>,
    scope_hold: Option<ScopeHold>,
) -> Arc<dyn OutcomeCell<T>>
where
    T: Send + 'static,
    F: FnMut(&mut TaskContext) -> Result<T, BodyError> + Send + 'static,
{
    match scope_hold {
        None => queue(body, name, registry),
        Some(hold) => {
            let mut held = Held { body, _hold: hold };
            queue(
                move |context: &mut TaskContext| held.call(context),
                name,
                registry,
            )
        }
    }
}

fn queue<T, F>(body: F, name: Option<String>, registry: &Arc<Registry>) -> Arc<dyn OutcomeCell<T>>
where
    T: Send + 'static,
    F: FnMut(&mut TaskContext) -> Result<T, BodyError> + Send + 'static,
{
    let task = Arc::new(LeanTask {
        completion: Completion::new(),
        name,
        registry: Arc::clone(registry),
        body: UnsafeCell::new(Some(body)),
    });
    // The job's own count keeps the pool running until the run is done, as for `spawn`.
    registry.increment_terminate_count();
    let job = Arc::into_raw(Arc::clone(&task));
    // SAFETY: `job` owns one count of the `Arc`, so it stays valid until `execute` runs,
    // which takes that count back exactly once (a job reference runs once).
    registry.inject_or_push(unsafe { JobRef::from_raw(job.cast(), LeanTask::<T, F>::execute) });
    task
}

impl<T, F> LeanTask<T, F>
where
    T: Send + 'static,
    F: FnMut(&mut TaskContext) -> Result<T, BodyError> + Send + 'static,
{
    /// The pool job of the task.
    ///
    /// # Safety
    /// `this` must come from `Arc::into_raw` in `launch`, and be executed once.
    unsafe fn execute(this: *const ()) {
        // SAFETY: as the caller promises, this takes back the count `launch` gave the job,
        // once.
        let task = unsafe { Arc::from_raw(this.cast::<Self>()) };
        // `run` catches the task's panics; this catches veda's own, should any escape, as a
        // spawned job's would be.
        task.registry.catch_unwind(|| Self::run(&task));
        if !task.completion.is_resolved() {
            // Only a panic of veda's own gets here: the handle must resolve all the same.
            let _ = task.completion.resolve(Err(Box::new(TaskError::Cancelled {
                task: task.name.clone(),
            })));
        }
        // `task` holds the registry until after the job's count is dropped.
        task.registry.terminate();
    }

    /// Runs the closure, unless the task was cancelled first, and resolves the handle.
    fn run(this: &Arc<Self>) {
        // SAFETY: only this run touches `body`, and the job runs once (see the `Sync` impl).
        let body = this.body.with_mut(|body| unsafe { (*body).take() });
        // Cancelled before it started: it never runs, and its closure is dropped here.
        let Some(mut body) = body.filter(|_| !this.completion.is_resolved()) else {
            report::fault(&this.registry, FaultEvent::Cancellation);
            return;
        };
        let status: Arc<dyn Resolved> = this.clone();
        let mut context = TaskContext::new(status);
        context.next_attempt();
        let started = report::attempt_started(this.name.as_deref());
        let outcome = match isolate(this.name.as_deref(), || body(&mut context)) {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(source)) => Err(TaskError::Failed {
                source,
                task: this.name.clone(),
            }),
            Err(panicked) => Err(panicked),
        };
        report::attempt_finished(&this.registry, this.name.as_deref(), started, &outcome);
        let outcome = outcome.map_err(Box::new);
        // A cancellation that won meanwhile keeps its outcome; this one is dropped.
        let _ = this.completion.resolve(outcome);
        // The closure (and with it a scope hold) is dropped after the resolution, so that a
        // scope does not end before the handles of its tasks are resolved.
        drop(body);
    }
}
