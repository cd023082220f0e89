//! The watchdog of deterministic pools. It releases the spawns a task has held for
//! [`GRACE`] without returning or waiting inside the pool, and settles `find_any` searches
//! that have held a match for [`SEARCH_GRACE`] without certifying it.
//!
//! A task's spawns are held until it returns or waits inside the pool, so that they can be
//! queued in the seed's order. A task that blocks *outside* the pool (on a channel, a lock,
//! a sleep) until one of its own spawns has run would wait forever; the watchdog sees the
//! spawns held past the grace period and releases them. Its releases happen at a time that
//! depends on the clock, so they appear in a [`Trace`](super::Trace) as a batch of their
//! own: a program whose tasks never hold spawns that long keeps its exact replays.
//!
//! `find_any` returns the first match in a deterministic pool, which it can only do once
//! every item before that match was checked. When those items are astronomically many (a
//! match lies in the second half of a 10^27-item range), that certificate never comes; a
//! search that has found some match and still lacks it after [`SEARCH_GRACE`] is settled:
//! it returns the best match found so far, which depends on timing, as under Rayon,
//! instead of never returning.
//!
//! One thread, started at the first held spawn or search, watches every deterministic pool.
//! With nothing to watch it sleeps on a condition variable; otherwise it looks four times
//! per spawn grace period.

use super::task::Held;
use crate::sync::{Condvar, Mutex, Weak};
use std::time::{Duration, Instant};

/// How long a task may hold its spawns before the watchdog releases them.
const GRACE: Duration = Duration::from_millis(100);
/// How long a search may hold a match it cannot yet certify as the first before the
/// watchdog settles it.
const SEARCH_GRACE: Duration = Duration::from_secs(1);

/// A search the watchdog can settle: it stops every piece, and the search returns the
/// best match it holds.
pub(crate) trait SettleSearch: Send + Sync {
    /// Whether some piece has found a match.
    fn has_match(&self) -> bool;
    /// Stops every piece, if the search has a match (else does nothing).
    fn settle(&self);
}

/// A search under watch.
struct WatchedSearch {
    search: Weak<dyn SettleSearch>,
    /// When the watchdog first saw the search hold a match.
    match_seen: Option<Instant>,
}

impl WatchedSearch {
    /// The watchdog's visit: settles the search once it has held a match for
    /// [`SEARCH_GRACE`]. Returns whether the watchdog should look again.
    fn visit(&mut self) -> bool {
        let Some(search) = self.search.upgrade() else {
            return false;
        };
        if !search.has_match() {
            return true;
        }
        let seen = *self.match_seen.get_or_insert_with(Instant::now);
        if seen.elapsed() < SEARCH_GRACE {
            return true;
        }
        search.settle();
        false
    }
}

struct Watched {
    /// Tasks that held spawns when they were last seen.
    tasks: Vec<Weak<Held>>,
    /// Searches that were still running when they were last seen.
    searches: Vec<WatchedSearch>,
    /// Whether the watchdog thread runs.
    running: bool,
}

impl Watched {
    fn is_empty(&self) -> bool {
        self.tasks.is_empty() && self.searches.is_empty()
    }

    /// Starts the watchdog thread, or wakes it if it runs.
    fn wake(&mut self) {
        if self.running {
            SOMETHING_WATCHED.notify_one();
            return;
        }
        let started = std::thread::Builder::new()
            .name("veda-deterministic-watchdog".into())
            .spawn(run);
        // Without a watchdog thread (the system refused one), held spawns wait for their
        // task and searches for their certificate, as they would with no watchdog; the next
        // watch tries again.
        self.running = started.is_ok();
    }
}

static WATCHED: Mutex<Watched> = Mutex::new(Watched {
    tasks: Vec::new(),
    searches: Vec::new(),
    running: false,
});
static SOMETHING_WATCHED: Condvar = Condvar::new();

/// Watches `task` (which holds spawns) from now on, until it holds none.
pub(super) fn watch(task: Weak<Held>) {
    let mut watched = WATCHED.lock();
    watched.tasks.push(task);
    watched.wake();
}

/// Watches `search` (a `find_any` in a deterministic pool) until it ends or is settled.
pub(crate) fn watch_search(search: Weak<dyn SettleSearch>) {
    let mut watched = WATCHED.lock();
    watched.searches.push(WatchedSearch {
        search,
        match_seen: None,
    });
    watched.wake();
}

fn run() {
    let mut watched = WATCHED.lock();
    loop {
        if watched.is_empty() {
            watched = SOMETHING_WATCHED.wait(watched);
            continue;
        }
        watched = SOMETHING_WATCHED.wait_timeout(watched, GRACE / 4).0;
        let tasks = std::mem::take(&mut watched.tasks);
        let mut searches = std::mem::take(&mut watched.searches);
        drop(watched);
        let still_held: Vec<Weak<Held>> = tasks
            .into_iter()
            .filter(|task| {
                task.upgrade()
                    .is_some_and(|held| held.release_if_held_for(GRACE))
            })
            .collect();
        searches.retain_mut(WatchedSearch::visit);
        watched = WATCHED.lock();
        watched.tasks.extend(still_held);
        watched.searches.extend(searches);
    }
}
