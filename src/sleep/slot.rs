//! Worker slots and their threads: which slots have a thread, when a thread may retire, and
//! how a thread is started again (see "Threads that come and go" in `README.md`).
//!
//! A pool has `max_threads` slots. The first `num_threads` are its workers proper (indices
//! `0..num_threads`); the rest hold *stand-ins*, extra threads started while workers block in
//! `block_in_place`. Each slot's state lives under its sleep mutex:
//!
//! - `Running`: a thread is there and not blocked;
//! - `Blocked`: its thread sleeps on the condition variable (counted in `sleeping`);
//! - `Vacant`: a worker slot whose thread retired. It stays counted as sleeping and idle, so
//!   publishers treat it as a sleeper, and "waking" it starts a new thread;
//! - `Unused`: a stand-in slot with no thread, not counted at all.

use super::{Sleep, ONE_IDLE, ONE_SLEEPING};
use crate::sync::{MutexGuard, Ordering};
use std::time::Duration;

/// Starts a thread for a slot; returns false if it could not.
pub(crate) type StartThread = dyn Fn(usize) -> bool + Send + Sync;

/// The thread limits of a pool.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Scaling {
    /// The pool's parallelism: slots `0..num_threads` are its workers.
    pub(crate) num_threads: usize,
    /// Workers below this index never retire.
    pub(crate) min_threads: usize,
    /// Slots in all, stand-ins included.
    pub(crate) max_threads: usize,
    /// How long a worker that may retire sleeps before it does.
    pub(crate) keep_alive: Duration,
}

impl Scaling {
    /// The limits of a pool whose `num_threads` threads live as long as the pool.
    #[cfg(test)]
    pub(crate) fn fixed(num_threads: usize) -> Self {
        Scaling {
            num_threads,
            min_threads: num_threads,
            max_threads: num_threads,
            keep_alive: Duration::MAX,
        }
    }

    /// True when no thread ever retires and no stand-in can start.
    pub(crate) fn is_fixed(&self) -> bool {
        self.min_threads == self.num_threads && self.max_threads == self.num_threads
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum SlotState {
    Running,
    Blocked,
    Vacant,
    Unused,
}

/// What a slot's sleep mutex guards.
#[derive(Debug)]
pub(super) struct Slot {
    pub(super) state: SlotState,
    /// Reasons a stand-in must stay: the blocked workers it stands in for, plus one while
    /// it blocks itself. A stand-in nobody claims may be lent, and may retire.
    claims: usize,
}

impl Slot {
    pub(super) fn initial(index: usize, limits: &Scaling) -> Self {
        let state = if index < limits.min_threads {
            SlotState::Running
        } else if index < limits.num_threads {
            SlotState::Vacant
        } else {
            SlotState::Unused
        };
        Slot { state, claims: 0 }
    }
}

/// How a slot lets its thread go.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Retirement {
    /// A worker slot above `min_threads`: it becomes vacant.
    Worker,
    /// A stand-in slot: it becomes unused once nobody claims it.
    StandIn,
}

impl Sleep {
    /// Slots that have a thread now.
    pub(crate) fn live_threads(&self) -> usize {
        self.live_threads.load(Ordering::SeqCst)
    }

    /// One past the highest slot that ever had a thread.
    #[inline]
    pub(crate) fn slot_bound(&self) -> usize {
        self.slot_bound.load(Ordering::Acquire)
    }

    /// How the thread of slot `index` may retire, if it may.
    pub(super) fn retirement(&self, index: usize) -> Option<Retirement> {
        if self.start_thread.is_none() || index < self.limits.min_threads {
            None
        } else if index < self.limits.num_threads {
            Some(Retirement::Worker)
        } else {
            Some(Retirement::StandIn)
        }
    }

    /// Called by a blocked thread whose keep-alive ran out: retires it unless it was woken
    /// meanwhile or is claimed. The caller holds the slot's mutex.
    pub(super) fn try_retire(
        &self,
        slot: &mut MutexGuard<'_, Slot>,
        retirement: Retirement,
    ) -> bool {
        if slot.state != SlotState::Blocked || slot.claims > 0 {
            return false;
        }
        match retirement {
            // Still counted as a sleeper: the next wake-up for work starts a thread here.
            Retirement::Worker => slot.state = SlotState::Vacant,
            Retirement::StandIn => {
                slot.state = SlotState::Unused;
                self.counters
                    .fetch_sub(ONE_SLEEPING + ONE_IDLE, Ordering::SeqCst);
            }
        }
        self.live_threads.fetch_sub(1, Ordering::SeqCst);
        true
    }

    /// Starts the thread of slot `index`, which the caller has just marked `Running` and
    /// counted as live and idle. If no thread can be started, undoes that.
    pub(super) fn start(&self, index: usize) -> bool {
        let started = self
            .start_thread
            .as_ref()
            .is_some_and(|start_thread| start_thread(index));
        if !started {
            self.undo_start(index);
        }
        started
    }

    fn undo_start(&self, index: usize) {
        let mut slot = self.workers[index].slot.lock();
        if index < self.limits.num_threads {
            slot.state = SlotState::Vacant;
            self.counters.fetch_add(ONE_SLEEPING, Ordering::SeqCst);
        } else {
            slot.state = SlotState::Unused;
            slot.claims = 0;
            self.counters.fetch_sub(ONE_IDLE, Ordering::SeqCst);
        }
        self.live_threads.fetch_sub(1, Ordering::SeqCst);
        drop(slot);
        // Meanwhile the slot counted as an idle worker that was awake, so a publisher may
        // have left a job to it: wake a sleeper in its place.
        for index in 0..self.slot_bound() {
            if self.wake_specific_thread(index, false) {
                return;
            }
        }
    }

    /// Finds a thread to stand in for a worker about to block, and claims it: a sleeping
    /// stand-in that nobody claims (woken), else a new thread in an unused slot, else a
    /// running stand-in that nobody claims. Either way the stand-in searches for work before
    /// it sleeps again, so it finds the jobs the blocked worker leaves behind. Returns its
    /// slot; `None` when the pool cannot start threads, every stand-in is claimed already,
    /// or the new thread could not start.
    pub(crate) fn claim_stand_in(&self) -> Option<usize> {
        self.start_thread.as_ref()?;
        let stand_ins = self.limits.num_threads..self.limits.max_threads;
        let used = stand_ins.start..self.slot_bound();
        let claim_if = |index: usize, wanted: SlotState| {
            let state = &self.workers[index];
            let mut slot = state.slot.lock();
            if slot.claims > 0 || slot.state != wanted {
                return false;
            }
            slot.claims = 1;
            if slot.state == SlotState::Blocked {
                slot.state = SlotState::Running;
                self.counters.fetch_sub(ONE_SLEEPING, Ordering::SeqCst);
                state.condvar.notify_one();
            }
            true
        };
        if let Some(index) = used
            .clone()
            .find(|&index| claim_if(index, SlotState::Blocked))
        {
            return Some(index);
        }
        for index in stand_ins {
            let mut slot = self.workers[index].slot.lock();
            if slot.state == SlotState::Unused {
                slot.state = SlotState::Running;
                slot.claims = 1;
                self.live_threads.fetch_add(1, Ordering::SeqCst);
                self.worker_starting();
                self.slot_bound.fetch_max(index + 1, Ordering::AcqRel);
                drop(slot);
                return self.start(index).then_some(index);
            }
        }
        used.into_iter()
            .find(|&index| claim_if(index, SlotState::Running))
    }

    /// Claims the stand-in of slot `index` for as long as it blocks itself.
    pub(crate) fn claim(&self, index: usize) {
        self.workers[index].slot.lock().claims += 1;
    }

    /// Drops a claim taken by [`Sleep::claim_stand_in`] or [`Sleep::claim`]; the stand-in
    /// may retire once it has slept for the keep-alive.
    pub(crate) fn release(&self, index: usize) {
        let mut slot = self.workers[index].slot.lock();
        debug_assert!(
            slot.claims > 0,
            "a stand-in was released more often than claimed"
        );
        slot.claims -= 1;
    }
}
