//! The runner of an isolated task: one attempt per pool job, retries through the timer,
//! then the recovery strategy.
//!
//! A [`Runner`] owns everything a task needs between attempts. It travels by value: into a
//! pool job for each attempt, into a timer action while a retry waits, and is dropped once
//! the handle is resolved. If it is ever dropped before that (a job the pool discarded), its
//! `Drop` resolves the handle with `Cancelled`, so no handle is left waiting.

use super::circuit::{self, CircuitBreaker, Permit};
use super::completion::Completion;
use super::context::{Resolved, TaskContext};
use super::error::TaskError;
use super::handle::{Outcome, OutcomeCell, TaskHandle};
use super::isolate::isolate;
use super::recovery::RetryPolicy;
use super::report;
use super::timer;
use crate::job::HeapJob;
use crate::priority::{self, Deadline, DeadlineStart, OnDeadlineMiss, Priority};
use crate::registry::{Registry, RegistryKeepalive};
use crate::scope::ScopeHold;
use crate::sync::{Arc, Mutex};
use crate::telemetry::FaultEvent;
use std::time::{Duration, Instant};

/// An attempt's own failure, before the runner turns it into a [`TaskError`].
pub(crate) type BodyError = Box<dyn std::error::Error + Send + Sync>;

/// The task's closure, borrowing for `'a`.
pub(crate) type ScopedBody<'a, T> =
    Box<dyn FnMut(&mut TaskContext) -> Result<T, BodyError> + Send + 'a>;

/// The task's closure, with its lifetime erased (see `Launch::scope_hold`).
pub(crate) type Body<T> = ScopedBody<'static, T>;

/// Makes a value out of the failure of a task.
pub(crate) type FallbackFn<T> = Box<dyn FnOnce(&TaskError) -> T + Send>;

/// What the builder hands over to start a task.
pub(crate) struct Launch<T, F> {
    pub(crate) body: F,
    pub(crate) name: Option<String>,
    pub(crate) retry: Option<RetryPolicy>,
    pub(crate) fallback: Option<FallbackFn<T>>,
    pub(crate) skip: bool,
    pub(crate) timeout: Option<Duration>,
    pub(crate) circuit: Option<String>,
    /// The level every attempt runs at.
    pub(crate) level: Priority,
    pub(crate) deadline: Option<Deadline>,
    /// The pool; the caller keeps it from terminating until `launch` returns.
    pub(crate) registry: Arc<Registry>,
    /// For a task spawned in a scope: keeps the scope open while the runner (and so the
    /// closure, which may borrow from the scope) lives.
    pub(crate) scope_hold: Option<ScopeHold>,
}

/// What a task with a runner shares with its handle, its context and its timeout.
pub(crate) struct TaskCell<T> {
    completion: Completion<Outcome<T>>,
    name: Option<String>,
}

impl<T: Send> OutcomeCell<T> for TaskCell<T> {
    fn completion(&self) -> &Completion<Outcome<T>> {
        &self.completion
    }

    fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }
}

impl<T: Send> Resolved for TaskCell<T> {
    fn is_resolved(&self) -> bool {
        self.completion.is_resolved()
    }
}

/// A task between attempts. It lives inline in the pool job of its next attempt, or in a
/// timer action while a retry waits.
struct Runner<T: Send + 'static, F> {
    body: F,
    fallback: Option<FallbackFn<T>>,
    cell: Arc<TaskCell<T>>,
    context: TaskContext,
    name: Option<String>,
    retry: Option<RetryPolicy>,
    skip: bool,
    circuit: Option<(String, Arc<Mutex<CircuitBreaker>>)>,
    level: Priority,
    /// The deadline of the first attempt, until that attempt's turn comes.
    deadline: Option<Deadline>,
    /// xorshift state for the backoff jitter.
    rng: u64,
    /// The pool. A runner is always counted on its terminate count: by the job of its next
    /// attempt while queued or running, by a keepalive while a retry waits on the timer.
    registry: Arc<Registry>,
    /// Declared last, so dropped last: the closures that may borrow from the scope are gone
    /// by the time the scope may end.
    _scope_hold: Option<ScopeHold>,
}

/// Starts a task with a runner (one with a retry policy, a recovery strategy, a timeout, a
/// breaker, a deadline or a level other than `Normal`: see `lean` for the others) and
/// returns its handle.
pub(crate) fn launch<T, F>(launch: Launch<T, F>) -> TaskHandle<T>
where
    T: Send + 'static,
    F: FnMut(&mut TaskContext) -> Result<T, BodyError> + Send + 'static,
{
    let cell = Arc::new(TaskCell {
        completion: Completion::new(),
        name: launch.name.clone(),
    });
    let status: Arc<dyn Resolved> = cell.clone();
    // The cell's address differs between live tasks, which is all the jitter needs.
    let seed = (Arc::as_ptr(&cell) as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    let runner = Runner {
        body: launch.body,
        fallback: launch.fallback,
        cell: Arc::clone(&cell),
        context: TaskContext::new(status),
        name: launch.name.clone(),
        retry: launch.retry,
        skip: launch.skip,
        circuit: launch
            .circuit
            .map(|key| (key.clone(), circuit::breaker(&key))),
        level: launch.level,
        deadline: launch.deadline,
        rng: seed | 1,
        registry: launch.registry,
        _scope_hold: launch.scope_hold,
    };
    if let Some(after) = launch.timeout {
        let weak = Arc::downgrade(&cell);
        let pool = Arc::downgrade(&runner.registry);
        let task = launch.name.clone();
        let fire: timer::Action = Box::new(move || {
            if let Some(cell) = weak.upgrade() {
                if cell
                    .completion
                    .resolve(Err(Box::new(TaskError::TimedOut { after, task })))
                    .is_ok()
                {
                    if let Some(pool) = pool.upgrade() {
                        report::fault(&pool, FaultEvent::Timeout);
                    }
                    timer::release_resolved();
                }
            }
        });
        // Without a timer thread the timeout cannot fire: the task then simply runs to its
        // end, which is all a timeout could have shortened.
        let _ = timer::schedule(Instant::now() + after, fire);
    }
    runner.submit();
    TaskHandle::new(cell)
}

impl<T, F> Runner<T, F>
where
    T: Send + 'static,
    F: FnMut(&mut TaskContext) -> Result<T, BodyError> + Send + 'static,
{
    /// Queues the next attempt on the task's pool, which must not have terminated (the
    /// caller holds a count on it).
    fn submit(self) {
        // The job's own count keeps the pool running until the attempt is done, as for
        // `spawn`; the runner lives inline in the job.
        let registry = Arc::clone(&self.registry);
        registry.increment_terminate_count();
        let (level, deadline) = (self.level, self.deadline.map(|deadline| deadline.at));
        let job = HeapJob::new(move || {
            // `attempt` catches the task's panics; this catches veda's own, should any
            // escape, as a spawned job's would be. The registry outlives the runner: the
            // job's count is dropped last.
            let registry = Arc::clone(&self.registry);
            registry.catch_unwind(|| self.attempt());
            registry.terminate();
        })
        .into_static_job_ref();
        // At `Normal` with no deadline, the job takes `spawn`'s path; else it waits in the
        // pool's priority queues.
        registry.inject_prioritized(level, deadline, job);
    }

    /// Queues the next attempt after `delay`, through the timer.
    fn submit_after(self, delay: Duration) {
        if delay.is_zero() {
            return self.submit();
        }
        // Counted while it waits, so that its pool drains it instead of ending under it.
        let keepalive = RegistryKeepalive::new(&self.registry);
        let owner: Arc<dyn Resolved> = self.cell.clone();
        let resolved = Arc::clone(&self.cell);
        let action: timer::Action = Box::new(move || {
            self.submit();
            drop(keepalive);
        });
        match timer::schedule_for(Instant::now() + delay, owner, action) {
            // A cancel that came before the entry was in the heap found nothing to release.
            Ok(()) if resolved.is_resolved() => timer::release_resolved(),
            Ok(()) => {}
            // No timer thread: retry at once rather than never.
            Err(action) => action(),
        }
    }

    fn next_random(&mut self) -> f64 {
        let mut x = self.rng;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.rng = x;
        (x >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Runs one attempt, unless the outcome is already decided.
    fn attempt(mut self) {
        if self.cell.completion.is_resolved() {
            // Cancelled or timed out before this attempt started: it never runs.
            report::fault(&self.registry, FaultEvent::Cancellation);
            return;
        }
        if let Some(deadline) = self.deadline.take() {
            if let Err(error) = self.check_deadline(deadline) {
                return self.give_up(error);
            }
        }
        let permit = match &self.circuit {
            Some((key, breaker)) => {
                circuit::with_breaker(key, breaker, |breaker, now| breaker.acquire(now))
            }
            None => Permit::Normal,
        };
        if permit == Permit::Rejected {
            let (key, _) = self.circuit.as_ref().expect("only a breaker rejects");
            let error = TaskError::CircuitOpen {
                key: key.clone(),
                task: self.name.clone(),
            };
            return self.give_up(error);
        }
        self.context.next_attempt();
        let Runner {
            body,
            context,
            name,
            level,
            ..
        } = &mut self;
        let started = report::attempt_started(name.as_deref());
        let run = || isolate(name.as_deref(), || body(context));
        let outcome = match priority::run_at(*level, run) {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(source)) => Err(TaskError::Failed {
                source,
                task: name.clone(),
            }),
            Err(panicked) => Err(panicked),
        };
        report::attempt_finished(&self.registry, self.name.as_deref(), started, &outcome);
        if let Some((key, breaker)) = &self.circuit {
            circuit::with_breaker(key, breaker, |breaker, now| {
                breaker.record(permit, outcome.is_ok(), now)
            });
        }
        match outcome {
            Ok(value) => {
                let _ = self.cell.completion.resolve(Ok(value));
            }
            Err(error) => self.failed(error),
        }
    }

    /// The first attempt's turn came: counts it for its deadline, and tells whether the
    /// task is dropped for missing it.
    fn check_deadline(&self, deadline: Deadline) -> Result<(), TaskError> {
        let queues = &self.registry.priorities;
        let now = Instant::now();
        if now <= deadline.at {
            queues.count_deadline(DeadlineStart::OnTime);
            return Ok(());
        }
        match deadline.on_miss {
            OnDeadlineMiss::RunLate => {
                queues.count_deadline(DeadlineStart::Late);
                Ok(())
            }
            OnDeadlineMiss::Drop => {
                queues.count_deadline(DeadlineStart::Dropped);
                Err(TaskError::DeadlineMissed {
                    missed_by: now - deadline.at,
                    task: self.name.clone(),
                })
            }
        }
    }

    /// An attempt failed: retry if the policy allows, else give up.
    fn failed(mut self, error: TaskError) {
        let attempt = self.context.attempt();
        if let Some(policy) = self.retry {
            if attempt < policy.max_attempts() && !self.cell.completion.is_resolved() {
                report::fault(&self.registry, FaultEvent::Retry);
                let delay = policy.backoff(attempt, self.next_random());
                return self.submit_after(delay);
            }
        }
        self.give_up(error)
    }

    /// No attempt is left: resolve through the recovery strategy.
    fn give_up(mut self, error: TaskError) {
        if self.cell.completion.is_resolved() {
            // Cancelled or timed out meanwhile: nobody is waiting for a fallback.
            return;
        }
        let attempts = self.context.attempt();
        // A breaker that opened while a retry waited ends the task with `CircuitOpen`.
        let error = if self.retry.is_some() && attempts > 1 && !is_circuit_open(&error) {
            TaskError::RetriesExhausted {
                attempts,
                last: Box::new(error),
                task: self.name.clone(),
            }
        } else {
            error
        };
        let outcome = match self.fallback.take() {
            Some(fallback) => isolate(self.name.as_deref(), || fallback(&error)),
            None if self.skip => Err(TaskError::Skipped {
                cause: Box::new(error),
                task: self.name.clone(),
            }),
            None => Err(error),
        };
        let _ = self.cell.completion.resolve(outcome.map_err(Box::new));
    }
}

fn is_circuit_open(error: &TaskError) -> bool {
    matches!(error, TaskError::CircuitOpen { .. })
}

impl<T: Send + 'static, F> Drop for Runner<T, F> {
    fn drop(&mut self) {
        if !self.cell.completion.is_resolved() {
            let _ = self
                .cell
                .completion
                .resolve(Err(Box::new(TaskError::Cancelled {
                    task: self.name.clone(),
                })));
        }
    }
}
