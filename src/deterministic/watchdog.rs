//! The watchdog of deterministic pools: it releases the spawns a task has held for
//! [`GRACE`] without returning or waiting inside the pool.
//!
//! A task's spawns are held until it returns or waits inside the pool, so that they can be
//! queued in the seed's order. A task that blocks *outside* the pool (on a channel, a lock,
//! a sleep) until one of its own spawns has run would wait forever; the watchdog sees the
//! spawns held past the grace period and releases them. Its releases happen at a time that
//! depends on the clock, so they appear in a [`Trace`](super::Trace) as a batch of their
//! own: a program whose tasks never hold spawns that long keeps its exact replays.
//!
//! One thread, started at the first held spawn, watches every deterministic pool. With
//! nothing held it sleeps on a condition variable; with spawns held it looks four times per
//! grace period.

use super::task::Held;
use crate::sync::{Condvar, Mutex, Weak};
use std::time::Duration;

/// How long a task may hold its spawns before the watchdog releases them.
const GRACE: Duration = Duration::from_millis(100);

struct Watched {
    /// Tasks that held spawns when they were last seen.
    tasks: Vec<Weak<Held>>,
    /// Whether the watchdog thread runs.
    running: bool,
}

static WATCHED: Mutex<Watched> = Mutex::new(Watched {
    tasks: Vec::new(),
    running: false,
});
static SOMETHING_HELD: Condvar = Condvar::new();

/// Watches `task` (which holds spawns) from now on, until it holds none.
pub(super) fn watch(task: Weak<Held>) {
    let mut watched = WATCHED.lock();
    watched.tasks.push(task);
    if watched.running {
        SOMETHING_HELD.notify_one();
        return;
    }
    let started = std::thread::Builder::new()
        .name("veda-deterministic-watchdog".into())
        .spawn(run);
    // Without a watchdog thread (the system refused one), held spawns wait for their task,
    // as they would with no watchdog; the next held spawn tries again.
    watched.running = started.is_ok();
}

fn run() {
    let mut watched = WATCHED.lock();
    loop {
        if watched.tasks.is_empty() {
            watched = SOMETHING_HELD.wait(watched);
            continue;
        }
        watched = SOMETHING_HELD.wait_timeout(watched, GRACE / 4).0;
        let tasks = std::mem::take(&mut watched.tasks);
        drop(watched);
        let still_held: Vec<Weak<Held>> = tasks
            .into_iter()
            .filter(|task| {
                task.upgrade()
                    .is_some_and(|held| held.release_if_held_for(GRACE))
            })
            .collect();
        watched = WATCHED.lock();
        watched.tasks.extend(still_held);
    }
}
