//! The no-op twin of the telemetry hooks, compiled without the `telemetry` feature: the same
//! names and signatures as the real recorder, with empty bodies and zero-sized types, so
//! the pool's hot code calls them unconditionally and the optimizer removes every call.

use crate::sleep::IdleState;
use std::time::Duration;

/// How a named task's run ended (see the real `veda::telemetry::TaskOutcome`).
#[allow(dead_code)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum TaskOutcome {
    Completed,
    Failed,
    Panicked,
    TimedOut,
    Cancelled,
}

/// A fault event (see the real `veda::telemetry::FaultEvent`).
#[allow(dead_code)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum FaultEvent {
    Panic,
    Retry,
    Timeout,
    Cancellation,
    BreakerTransition,
}

/// A pool's telemetry: nothing.
#[derive(Debug)]
pub(crate) struct PoolTelemetry;

/// A worker's recorder: nothing.
#[derive(Debug)]
pub(crate) struct WorkerRecorder;

/// An idle timer that reads no clock.
#[derive(Debug)]
pub(crate) struct IdleTimer;

/// A job stamp: none can exist, so the code of sampled jobs is dead.
#[derive(Debug)]
pub(crate) enum JobStamp {}

#[allow(dead_code)]
impl PoolTelemetry {
    #[inline(always)]
    pub(crate) fn new(_num_slots: usize) -> Self {
        PoolTelemetry
    }

    #[inline(always)]
    pub(crate) fn worker(&self, _index: usize) -> &WorkerRecorder {
        &WorkerRecorder
    }

    #[inline(always)]
    pub(crate) fn sample_job(&self) -> Option<JobStamp> {
        None
    }

    #[inline(always)]
    pub(crate) fn record_named_task(
        &self,
        _name: &str,
        _queue_wait: Option<Duration>,
        _run_time: Duration,
        _outcome: TaskOutcome,
    ) {
    }

    #[inline(always)]
    pub(crate) fn record_fault(&self, _event: FaultEvent) {}
}

impl WorkerRecorder {
    #[inline(always)]
    pub(crate) fn task_run(&self) {}

    #[inline(always)]
    pub(crate) fn steal_attempt(&self) {}

    #[inline(always)]
    pub(crate) fn steal_success(&self) {}

    #[inline(always)]
    pub(crate) fn injector_pop(&self) {}

    #[inline(always)]
    pub(crate) fn thread_started(&self) {}

    #[inline(always)]
    pub(crate) fn thread_stopped(&self) {}

    #[inline(always)]
    pub(crate) fn idle_timer(&self) -> IdleTimer {
        IdleTimer
    }
}

impl IdleTimer {
    #[inline(always)]
    pub(crate) fn searched_in_vain(&mut self, _idle: &IdleState<'_>) {}

    #[inline(always)]
    pub(crate) fn stop(self, _idle: &IdleState<'_>, _retired: bool) {}
}

impl JobStamp {
    #[inline(always)]
    pub(crate) fn run<R>(self, _body: impl FnOnce() -> R) -> R {
        match self {}
    }
}

/// Runs a job's `body`: no job is ever timed.
#[inline(always)]
pub(crate) fn run_stamped<R>(_stamp: Option<JobStamp>, body: impl FnOnce() -> R) -> R {
    body()
}
