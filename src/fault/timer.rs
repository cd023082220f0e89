//! The timer: one thread, started on first use, that runs short actions at their deadlines.
//!
//! Retries wait here instead of on a worker: a failed attempt hands its task to the timer,
//! whose action queues the task on its pool again when the backoff has passed. Timeouts are
//! actions too: when one fires, it resolves the task's handle with `TimedOut` at once. The
//! retry whose task is cancelled meanwhile runs early (see [`release_resolved`]). The
//! pending actions sit in a binary heap ordered by deadline (ties in scheduling order); the
//! thread sleeps on a condition variable until the earliest deadline, and whoever schedules
//! an action earlier than every pending one wakes it. Actions run outside the lock and must
//! be short: they only queue jobs or resolve handles.

use super::context::Resolved;
use crate::sync::{Arc, Condvar, Mutex};
use crate::unwind;
use std::cmp::Ordering;
use std::collections::BinaryHeap;
use std::time::Instant;

/// Something the timer runs once, at its deadline.
pub(crate) type Action = Box<dyn FnOnce() + Send>;

struct Entry {
    deadline: Instant,
    /// Scheduling order, which breaks ties between equal deadlines.
    seq: u64,
    /// The task a retry belongs to: once its outcome is decided elsewhere (cancelled, timed
    /// out), [`release_resolved`] runs the action early.
    owner: Option<Arc<dyn Resolved>>,
    action: Action,
}

impl PartialEq for Entry {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Entry {}

impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Entry {
    /// Reversed, so that the max-heap pops the earliest deadline first.
    fn cmp(&self, other: &Self) -> Ordering {
        (other.deadline, other.seq).cmp(&(self.deadline, self.seq))
    }
}

struct TimerState {
    pending: BinaryHeap<Entry>,
    next_seq: u64,
    started: bool,
}

static STATE: Mutex<TimerState> = Mutex::new(TimerState {
    pending: BinaryHeap::new(),
    next_seq: 0,
    started: false,
});

/// Signalled when an action earlier than every pending one arrives.
static EARLIER: Condvar = Condvar::new();

/// Runs `action` on the timer thread at `deadline` (at once if it has passed). Returns the
/// action if the timer thread could not be started, so that the caller can do without.
pub(crate) fn schedule(deadline: Instant, action: Action) -> Result<(), Action> {
    schedule_entry(deadline, None, action)
}

/// Like [`schedule`], for the retry of the task whose outcome `owner` tells: the action
/// runs early, by [`release_resolved`], if that outcome is decided before `deadline`.
pub(crate) fn schedule_for(
    deadline: Instant,
    owner: Arc<dyn Resolved>,
    action: Action,
) -> Result<(), Action> {
    schedule_entry(deadline, Some(owner), action)
}

/// Runs now the actions of every waiting retry whose task was resolved meanwhile, so that
/// what they hold (a count on their pool, on their scope) is released at once instead of at
/// their deadline.
pub(crate) fn release_resolved() {
    let due: Vec<Entry> = {
        let mut state = STATE.lock();
        let is_due = |entry: &Entry| entry.owner.as_ref().is_some_and(|o| o.is_resolved());
        if !state.pending.iter().any(is_due) {
            return;
        }
        let (due, waiting): (Vec<Entry>, Vec<Entry>) = std::mem::take(&mut state.pending)
            .into_iter()
            .partition(is_due);
        state.pending = BinaryHeap::from(waiting);
        due
    };
    for entry in due {
        let _ = unwind::halt_unwinding(entry.action);
    }
}

fn schedule_entry(
    deadline: Instant,
    owner: Option<Arc<dyn Resolved>>,
    action: Action,
) -> Result<(), Action> {
    let mut state = STATE.lock();
    if !state.started {
        let spawned = std::thread::Builder::new()
            .name("veda-fault-timer".into())
            .spawn(run);
        if spawned.is_err() {
            return Err(action);
        }
        state.started = true;
    }
    let earliest = state
        .pending
        .peek()
        .is_none_or(|first| deadline < first.deadline);
    let seq = state.next_seq;
    state.next_seq += 1;
    state.pending.push(Entry {
        deadline,
        seq,
        owner,
        action,
    });
    drop(state);
    if earliest {
        EARLIER.notify_one();
    }
    Ok(())
}

/// How many actions wait for their deadline.
pub(crate) fn pending() -> usize {
    STATE.lock().pending.len()
}

/// The timer thread's body: it runs for the rest of the process.
fn run() {
    let mut state = STATE.lock();
    loop {
        let now = Instant::now();
        let next = state.pending.peek().map(|first| first.deadline);
        match next {
            None => state = EARLIER.wait(state),
            Some(deadline) if deadline <= now => {
                let entry = state.pending.pop().expect("the heap has a first entry");
                drop(state);
                // Actions queue a job or resolve a handle; should one panic anyway, it must
                // not take the timer (and every pending retry and timeout) down with it.
                let _ = unwind::halt_unwinding(entry.action);
                state = STATE.lock();
            }
            Some(deadline) => state = EARLIER.wait_timeout(state, deadline - now).0,
        }
    }
}
