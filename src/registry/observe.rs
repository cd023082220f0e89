//! Read-only views of the registry's queues, for telemetry snapshots (kept apart from the
//! files the workers run, as only the reading side needs them).

use super::Registry;

impl Registry {
    /// Jobs waiting in the injector.
    pub(crate) fn injector_depth(&self) -> usize {
        self.injected_jobs.len()
    }

    /// Jobs waiting in slot `index`'s deque.
    pub(crate) fn deque_depth(&self, index: usize) -> usize {
        self.thread_infos[index].stealer.len()
    }
}
