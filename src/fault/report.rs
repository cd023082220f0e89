//! What isolated tasks tell their pool's telemetry: attempts of named tasks, panics,
//! retries, timeouts and cancellations (nothing at all without the `telemetry` feature).

use super::error::TaskError;
use crate::registry::Registry;
use crate::telemetry::{FaultEvent, TaskOutcome};
use std::time::Instant;

/// When an attempt of a task starts: read only for named tasks, and only when telemetry
/// is compiled in, since only the named-task table uses it.
pub(super) fn attempt_started(name: Option<&str>) -> Option<Instant> {
    (cfg!(feature = "telemetry") && name.is_some()).then(Instant::now)
}

/// Records how an attempt ended: its run time in the named-task table (for a named task),
/// and a panic among the pool's fault counts.
pub(super) fn attempt_finished<T>(
    registry: &Registry,
    name: Option<&str>,
    started: Option<Instant>,
    outcome: &Result<T, TaskError>,
) {
    let telemetry = registry.telemetry();
    let kind = match outcome {
        Ok(_) => TaskOutcome::Completed,
        Err(TaskError::Panicked { .. }) => {
            telemetry.record_fault(FaultEvent::Panic);
            TaskOutcome::Panicked
        }
        Err(_) => TaskOutcome::Failed,
    };
    if let (Some(name), Some(started)) = (name, started) {
        telemetry.record_named_task(name, None, started.elapsed(), kind);
    }
}

/// Records a fault event of a task of `registry`'s pool.
pub(super) fn fault(registry: &Registry, event: FaultEvent) {
    registry.telemetry().record_fault(event);
}
