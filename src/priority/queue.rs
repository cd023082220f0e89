//! `PriorityQueues`: one pool's queued work of every level but the default path's, in the
//! order workers take it.
//!
//! Each level has its own lock, so that pushing a `Critical` task never waits behind workers
//! busy taking `Background` tasks. Hints beside the locks, written only under them, let
//! workers skip the queues when nothing there concerns them: the number of queued entries,
//! the number at `Normal` or above, and per level its length and the age of its oldest
//! entry. See `README.md` for the pick order and for how the queues take part in the sleep
//! protocol.

use super::Priority;
use crate::sync::{AtomicBool, AtomicU64, AtomicUsize, Mutex, Ordering};
use crossbeam_utils::CachePadded;
use std::collections::{BTreeMap, VecDeque};
use std::time::{Duration, Instant};

/// The queued work of one pool, by level: job references in a pool, plain values in the
/// loom models (`loom.rs`).
#[derive(Debug)]
pub(crate) struct PriorityQueues<T> {
    /// Entries queued at any level. Read at every job boundary of every worker, so it gets
    /// a cache line of its own; written only when an entry comes or goes, under the lock of
    /// the entry's level.
    pending: CachePadded<AtomicUsize>,
    /// Entries queued at `Normal` or above: workers take those before their own deque.
    urgent: AtomicUsize,
    /// Indexed by [`Priority::rank`].
    levels: [CachePadded<Level<T>>; 5],
    /// Numbers entries in the order they came, across levels.
    next_seq: AtomicU64,
    /// Flips at every pick where an aged entry competes with other work: aged entries get
    /// every other such pick.
    aged_turn: AtomicBool,
    epoch: Instant,
    aging_bound: Duration,
    /// Tasks with a deadline whose turn came by it...
    on_time: AtomicU64,
    /// ...after it, and that ran anyway...
    ran_late: AtomicU64,
    /// ...or that were dropped unrun.
    dropped: AtomicU64,
}

/// How a task with a deadline started, for [`PriorityQueues::count_deadline`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum DeadlineStart {
    /// Its turn came by its deadline.
    OnTime,
    /// It came after, and the task ran late.
    Late,
    /// It came after, and the task was dropped.
    Dropped,
}

/// One level: its entries under their lock, and hints about them written under it.
#[derive(Debug)]
struct Level<T> {
    queue: Mutex<LevelQueue<T>>,
    len: AtomicUsize,
    /// The sequence number of the level's oldest entry (`u64::MAX` when empty).
    oldest_seq: AtomicU64,
    /// When the level's oldest entry was queued, in nanoseconds since the epoch.
    oldest_enqueued: AtomicU64,
}

/// The entries of one level.
#[derive(Debug)]
struct LevelQueue<T> {
    /// Entries without a deadline, oldest first.
    fifo: VecDeque<Entry<T>>,
    /// Entries with a deadline, keyed by (deadline, sequence number): earliest first, then
    /// oldest.
    by_deadline: BTreeMap<(u64, u64), Entry<T>>,
    /// The same entries keyed by sequence number, giving their deadline key.
    by_age: BTreeMap<u64, u64>,
}

#[derive(Debug)]
struct Entry<T> {
    job: T,
    seq: u64,
    /// When it was queued, in nanoseconds since the queues' epoch.
    enqueued: u64,
}

/// The oldest entry of a level: its sequence number and when it was queued.
#[derive(Clone, Copy)]
struct Oldest {
    seq: u64,
    enqueued: u64,
}

impl<T> Default for LevelQueue<T> {
    fn default() -> Self {
        LevelQueue {
            fifo: VecDeque::new(),
            by_deadline: BTreeMap::new(),
            by_age: BTreeMap::new(),
        }
    }
}

impl<T> LevelQueue<T> {
    fn len(&self) -> usize {
        self.fifo.len() + self.by_deadline.len()
    }

    fn push(&mut self, entry: Entry<T>, deadline: Option<u64>) {
        match deadline {
            None => self.fifo.push_back(entry),
            Some(deadline) => {
                self.by_age.insert(entry.seq, deadline);
                self.by_deadline.insert((deadline, entry.seq), entry);
            }
        }
    }

    fn oldest(&self) -> Option<Oldest> {
        let in_fifo = self.fifo.front().map(|entry| Oldest {
            seq: entry.seq,
            enqueued: entry.enqueued,
        });
        let with_deadline = self.by_age.first_key_value().map(|(&seq, &deadline)| {
            let entry = &self.by_deadline[&(deadline, seq)];
            Oldest {
                seq,
                enqueued: entry.enqueued,
            }
        });
        match (in_fifo, with_deadline) {
            (Some(a), Some(b)) => Some(if a.seq < b.seq { a } else { b }),
            (a, b) => a.or(b),
        }
    }

    /// The level's next entry in its own order: earliest deadline first, then entries
    /// without a deadline, oldest first.
    fn pop_next(&mut self) -> Option<T> {
        if let Some(((_, seq), entry)) = self.by_deadline.pop_first() {
            self.by_age.remove(&seq);
            return Some(entry.job);
        }
        self.fifo.pop_front().map(|entry| entry.job)
    }

    /// The level's oldest entry, whatever its deadline.
    fn pop_oldest(&mut self) -> Option<T> {
        let oldest = self.oldest()?;
        if self
            .fifo
            .front()
            .is_some_and(|entry| entry.seq == oldest.seq)
        {
            return self.fifo.pop_front().map(|entry| entry.job);
        }
        let deadline = self.by_age.remove(&oldest.seq)?;
        self.by_deadline
            .remove(&(deadline, oldest.seq))
            .map(|entry| entry.job)
    }
}

impl<T> Level<T> {
    fn new() -> Self {
        Level {
            queue: Mutex::new(LevelQueue::default()),
            len: AtomicUsize::new(0),
            oldest_seq: AtomicU64::new(u64::MAX),
            oldest_enqueued: AtomicU64::new(u64::MAX),
        }
    }

    /// Updates the level's hints; called under its lock after every change.
    fn publish(&self, queue: &LevelQueue<T>) {
        let oldest = queue.oldest();
        self.len.store(queue.len(), Ordering::Release);
        self.oldest_seq
            .store(oldest.map_or(u64::MAX, |o| o.seq), Ordering::Relaxed);
        self.oldest_enqueued
            .store(oldest.map_or(u64::MAX, |o| o.enqueued), Ordering::Relaxed);
    }

    /// Whether the hints say the level holds something.
    fn is_empty(&self) -> bool {
        self.len.load(Ordering::Acquire) == 0
    }
}

impl<T> PriorityQueues<T> {
    pub(crate) fn new(aging_bound: Duration) -> Self {
        PriorityQueues {
            pending: CachePadded::new(AtomicUsize::new(0)),
            urgent: AtomicUsize::new(0),
            levels: std::array::from_fn(|_| CachePadded::new(Level::new())),
            next_seq: AtomicU64::new(0),
            aged_turn: AtomicBool::new(false),
            epoch: Instant::now(),
            aging_bound,
            on_time: AtomicU64::new(0),
            ran_late: AtomicU64::new(0),
            dropped: AtomicU64::new(0),
        }
    }

    /// How long an entry may wait before it is served ahead of more urgent work.
    pub(crate) fn aging_bound(&self) -> Duration {
        self.aging_bound
    }

    /// Entries queued now, at every level.
    pub(crate) fn len(&self) -> usize {
        self.pending.load(Ordering::SeqCst)
    }

    /// `instant` in nanoseconds since the epoch (0 for instants before it).
    fn nanos(&self, instant: Instant) -> u64 {
        let since = instant.saturating_duration_since(self.epoch);
        u64::try_from(since.as_nanos()).unwrap_or(u64::MAX)
    }

    fn now(&self) -> u64 {
        self.nanos(Instant::now())
    }

    fn bound_nanos(&self) -> u64 {
        u64::try_from(self.aging_bound.as_nanos()).unwrap_or(u64::MAX)
    }

    /// Counts an entry in or out of `rank`; called under the level's lock, so that an
    /// entry's count comes in before it can go out.
    fn count(&self, rank: usize, added: bool) -> usize {
        let urgent = rank <= Priority::Normal.rank();
        if added {
            if urgent {
                self.urgent.fetch_add(1, Ordering::Relaxed);
            }
            self.pending.fetch_add(1, Ordering::SeqCst)
        } else {
            if urgent {
                self.urgent.fetch_sub(1, Ordering::Relaxed);
            }
            self.pending.fetch_sub(1, Ordering::SeqCst)
        }
    }

    /// Queues `job` at `level`, with a deadline or none; returns whether every level was
    /// empty before (for the sleep protocol's wake-up).
    pub(crate) fn push(&self, level: Priority, deadline: Option<Instant>, job: T) -> bool {
        // Read before the lock, to keep it short: entries pushed concurrently may get their
        // queueing times in the other order than their sequence numbers, which only blurs
        // their ages by as much.
        let enqueued = self.now();
        let deadline = deadline.map(|deadline| self.nanos(deadline));
        let rank = level.rank();
        let level = &self.levels[rank];
        let mut queue = level.queue.lock();
        // Taken under the lock: within a level, sequence numbers follow the queue's order.
        let seq = self.next_seq.fetch_add(1, Ordering::Relaxed);
        queue.push(Entry { job, seq, enqueued }, deadline);
        level.publish(&queue);
        self.count(rank, true) == 0
    }

    /// At a job boundary, before the worker looks at its own deque: an entry at `Normal` or
    /// above, or an aged entry on its turn. With nothing queued this is one relaxed load.
    #[inline]
    pub(crate) fn pop_urgent(&self) -> Option<T> {
        if self.pending.load(Ordering::Relaxed) == 0 {
            return None;
        }
        self.pop_urgent_cold()
    }

    #[cold]
    fn pop_urgent_cold(&self) -> Option<T> {
        self.pop_up_to(Priority::Normal.rank())
    }

    /// When the worker found nothing else: an entry of any level.
    pub(crate) fn pop_any(&self) -> Option<T> {
        // Sequentially consistent, like the sleep protocol's reads of the other queues: a
        // worker about to sleep must see an entry whose push it could have missed.
        if self.pending.load(Ordering::SeqCst) == 0 {
            return None;
        }
        self.pop_up_to(Priority::Background.rank())
    }

    /// The level holding the oldest entry of all, if that entry has waited the aging bound
    /// (from the hints).
    fn aged_level(&self, now: u64) -> Option<usize> {
        let (rank, level) = self
            .levels
            .iter()
            .enumerate()
            .filter(|(_, level)| !level.is_empty())
            .min_by_key(|(_, level)| level.oldest_seq.load(Ordering::Relaxed))?;
        let enqueued = level.oldest_enqueued.load(Ordering::Relaxed);
        (now.saturating_sub(enqueued) >= self.bound_nanos()).then_some(rank)
    }

    /// Takes the next entry of the levels up to rank `floor` (0 = `Critical`), or, on its
    /// turn, the oldest entry of any level once it has waited the aging bound.
    fn pop_up_to(&self, floor: usize) -> Option<T> {
        if let Some(rank) = self.aged_level(self.now()) {
            // `fetch_xor` returns the previous turn: the aged entry's turn is when it was not.
            if !self.aged_turn.fetch_xor(true, Ordering::Relaxed) {
                if let Some(job) = self.pop_from(rank, LevelQueue::pop_oldest) {
                    return Some(job);
                }
            }
        }
        (0..=floor)
            .filter(|&rank| !self.levels[rank].is_empty())
            .find_map(|rank| self.pop_from(rank, LevelQueue::pop_next))
    }

    /// Takes an entry of level `rank` with `pop`, under the level's lock.
    fn pop_from(&self, rank: usize, pop: fn(&mut LevelQueue<T>) -> Option<T>) -> Option<T> {
        let level = &self.levels[rank];
        let mut queue = level.queue.lock();
        let job = pop(&mut queue)?;
        level.publish(&queue);
        self.count(rank, false);
        Some(job)
    }

    /// Counts a task with a deadline whose turn came: on time, late (it ran anyway), or late
    /// and dropped.
    pub(crate) fn count_deadline(&self, start: DeadlineStart) {
        let counter = match start {
            DeadlineStart::OnTime => &self.on_time,
            DeadlineStart::Late => &self.ran_late,
            DeadlineStart::Dropped => &self.dropped,
        };
        counter.fetch_add(1, Ordering::Relaxed);
    }

    /// The tasks with a deadline counted so far: (on time, ran late, dropped).
    pub(crate) fn deadline_counts(&self) -> (u64, u64, u64) {
        (
            self.on_time.load(Ordering::Relaxed),
            self.ran_late.load(Ordering::Relaxed),
            self.dropped.load(Ordering::Relaxed),
        )
    }
}
