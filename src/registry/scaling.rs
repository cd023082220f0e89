//! Threads that come and go: the main loop of every worker thread (where an idle worker may
//! retire), starting a slot's thread again when work needs it, and stand-ins for workers
//! that block in [`block_in_place`](crate::block_in_place).
//!
//! The sleep side of the protocol — when a slot counts as vacant, and who starts its next
//! thread — lives in `sleep/slot.rs`; this file owns the threads themselves. A retiring
//! thread hands its deque back to its slot before it ends, and the slot's next thread joins
//! its predecessor before it takes the deque, so a slot never has two owners.

use super::{Registry, ThreadInfo, WorkerThread};
use crate::job::JobRef;
use crate::latch::{AsCoreLatch, OnceLatch};
use crate::sync::Arc;
use crate::thread_pool::{ThreadBuilder, ThreadPoolBuilder};
use crate::unwind;
use crossbeam_deque::Worker;
use std::cell::Cell;
use std::io;
use std::thread::JoinHandle;

/// How the registry starts threads after the pool was built (the default spawner only: a
/// custom spawn handler is gone once the pool is built).
pub(super) struct Spawner {
    /// Each slot's thread name, asked of the builder up front.
    names: Vec<Option<String>>,
    stack_size: Option<usize>,
}

impl Spawner {
    pub(super) fn new<S>(builder: &mut ThreadPoolBuilder<S>, num_slots: usize) -> Self {
        Spawner {
            names: (0..num_slots)
                .map(|index| builder.thread_name_for(index))
                .collect(),
            stack_size: builder.stack_size,
        }
    }

    pub(super) fn name(&self, index: usize) -> Option<String> {
        self.names[index].clone()
    }
}

impl Registry {
    /// Threads that work for this pool now (stand-ins included, retired ones not).
    pub(crate) fn live_threads(&self) -> usize {
        self.sleep.live_threads()
    }

    /// Starts `body` on a new thread for slot `index` and keeps its join handle. `body`
    /// receives the handle of the slot's previous thread, if any.
    pub(crate) fn spawn_slot_thread(
        &self,
        index: usize,
        name: Option<String>,
        stack_size: Option<usize>,
        body: impl FnOnce(Option<JoinHandle<()>>) + Send + 'static,
    ) -> io::Result<()> {
        // Held until the new handle is stored, so that the next start in this slot gets it.
        let mut handle = self.thread_infos[index].handle.lock();
        let predecessor = handle.take();
        let mut builder = std::thread::Builder::new();
        if let Some(name) = name {
            builder = builder.name(name);
        }
        if let Some(size) = stack_size {
            builder = builder.stack_size(size);
        }
        *handle = Some(builder.spawn(move || body(predecessor))?);
        Ok(())
    }

    /// Starts a thread for slot `index` (the sleep state's start hook). False if the pool
    /// cannot start threads or the spawn failed.
    pub(super) fn start_thread(self: &Arc<Self>, index: usize) -> bool {
        let Some(spawner) = &self.spawner else {
            return false;
        };
        self.thread_starting();
        let registry = Arc::clone(self);
        let spawned = self.spawn_slot_thread(
            index,
            spawner.name(index),
            spawner.stack_size,
            move |predecessor| {
                if let Some(predecessor) = predecessor {
                    // It handed the deque back before it ended; a panic it carried was
                    // already reported by its own panic handling.
                    let _ = predecessor.join();
                }
                let deque = registry.thread_infos[index]
                    .parked_deque
                    .lock()
                    .take()
                    .expect("a slot holds its deque while it has no thread");
                run_worker(registry, index, deque);
            },
        );
        if spawned.is_err() {
            self.thread_ended();
        }
        spawned.is_ok()
    }
}

/// The body of every worker thread started by a spawn handler.
pub(crate) fn main_loop(thread: ThreadBuilder) {
    let ThreadBuilder {
        worker,
        index,
        registry,
        ..
    } = thread;
    run_worker(registry, index, worker);
}

/// Runs the worker of slot `index` until the pool ends or the worker retires.
fn run_worker(registry: Arc<Registry>, index: usize, deque: Worker<JobRef>) {
    let worker_thread = WorkerThread::new(deque, index, Arc::clone(&registry));
    // SAFETY: `worker_thread` lives on this frame until after `clear_current` below, and a
    // thread started for a slot is not a worker yet.
    unsafe { WorkerThread::set_current(&worker_thread) };
    let info: &ThreadInfo = &registry.thread_infos[index];
    registry.telemetry().worker(index).thread_started();
    // A predecessor that retired in this slot left the latch asleep.
    info.terminate.as_core_latch().wake_up();
    // Counted idle since it was started; from here on it counts itself while it searches.
    registry.sleep.work_found();
    if let Some(handler) = &registry.start_handler {
        registry.catch_unwind(|| handler(index));
    }
    let retired = wait_for_termination(&worker_thread, &info.terminate);
    if let Some(handler) = &registry.exit_handler {
        registry.catch_unwind(|| handler(index));
    }
    WorkerThread::clear_current();
    registry.telemetry().worker(index).thread_stopped();
    if retired {
        // Empty: the worker slept on an empty deque, and only its owner pushes onto it.
        *info.parked_deque.lock() = Some(worker_thread.into_deque());
    } else {
        drop(worker_thread);
    }
    registry.thread_ended();
}

/// The main loop's wait: runs jobs until the pool terminates, or until the worker has slept
/// for the keep-alive and its slot lets it retire (then returns true).
fn wait_for_termination(worker: &WorkerThread, terminate: &OnceLatch) -> bool {
    let latch = terminate.as_core_latch();
    let sleep = &worker.registry().sleep;
    // As in `WorkerThread::wait_until`: job bodies catch their panics.
    let abort_guard = unwind::AbortIfPanic;
    let mut retired = false;
    'search: while !latch.probe() {
        if let Some(job) = worker.find_work_before_idling() {
            worker.execute(job);
            continue;
        }
        let mut idle = sleep.start_looking(worker.index());
        let mut idle_timer = worker.recorder().idle_timer();
        while !latch.probe() {
            if let Some(job) = worker.find_work() {
                sleep.work_found();
                idle_timer.stop(&idle, false);
                worker.execute(job);
                continue 'search;
            }
            if sleep.no_work_found_or_retire(&mut idle, latch) {
                idle_timer.stop(&idle, true);
                retired = true;
                break 'search;
            }
            idle_timer.searched_in_vain(&idle);
        }
        sleep.work_found();
        idle_timer.stop(&idle, false);
        break;
    }
    std::mem::forget(abort_guard);
    retired
}

thread_local! {
    /// Set while the current thread runs a `block_in_place` closure.
    static BLOCKING: Cell<bool> = const { Cell::new(false) };
}

/// A stand-in claimed for the current worker while it blocks; released on drop.
#[derive(Debug)]
pub(crate) struct StandIn<'a> {
    registry: &'a Registry,
    stand_in: usize,
    /// The blocking worker's own slot, claimed when it is a stand-in itself (so nobody else
    /// counts on it while it blocks).
    own_claim: Option<usize>,
}

impl<'a> StandIn<'a> {
    /// Claims a stand-in for `worker`, which is about to block. `None` if the worker already
    /// blocks in an outer call, or if the pool cannot start another thread.
    pub(crate) fn claim(worker: &'a WorkerThread) -> Option<Self> {
        if BLOCKING.get() {
            return None;
        }
        let registry: &Registry = worker.registry();
        let sleep = &registry.sleep;
        let own_claim = (worker.index() >= registry.num_threads()).then_some(worker.index());
        if let Some(index) = own_claim {
            sleep.claim(index);
        }
        let Some(stand_in) = sleep.claim_stand_in() else {
            if let Some(index) = own_claim {
                sleep.release(index);
            }
            return None;
        };
        BLOCKING.set(true);
        Some(StandIn {
            registry,
            stand_in,
            own_claim,
        })
    }
}

impl Drop for StandIn<'_> {
    fn drop(&mut self) {
        BLOCKING.set(false);
        let sleep = &self.registry.sleep;
        sleep.release(self.stand_in);
        if let Some(index) = self.own_claim {
            sleep.release(index);
        }
    }
}
