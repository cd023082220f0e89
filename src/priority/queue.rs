//! `PriorityQueues`: one pool's queued work of every level but the default path's, in the
//! order workers take it.
//!
//! One lock guards all the levels, so every pick weighs urgency against age consistently;
//! three hints beside it let workers skip the lock when nothing there concerns them: the
//! number of queued entries, the number at `Normal` or above, and when the oldest entry will
//! have waited the aging bound. The hints are written only under the lock; see `README.md`
//! for the pick order and for how the queues take part in the sleep protocol.

use super::Priority;
use crate::sync::{AtomicU64, AtomicUsize, Mutex, Ordering};
use crossbeam_utils::CachePadded;
use std::collections::{BTreeMap, VecDeque};
use std::time::{Duration, Instant};

/// The queued work of one pool, by level: job references in a pool, plain values in the
/// loom models (`loom.rs`).
#[derive(Debug)]
pub(crate) struct PriorityQueues<T> {
    /// Entries queued at any level. Read at every job boundary of every worker, so it gets
    /// a cache line of its own; written only when an entry comes or goes.
    pending: CachePadded<AtomicUsize>,
    /// Entries queued at `Normal` or above: workers take those before their own deque.
    urgent: AtomicUsize,
    /// When the oldest queued entry will have waited `aging_bound`, in nanoseconds since
    /// `epoch`; `u64::MAX` when nothing is queued.
    aging_due: AtomicU64,
    epoch: Instant,
    aging_bound: Duration,
    levels: Mutex<Levels<T>>,
    ran_late: AtomicU64,
    dropped: AtomicU64,
}

/// Everything the lock guards.
#[derive(Debug)]
struct Levels<T> {
    /// Indexed by [`Priority::rank`].
    queues: [LevelQueue<T>; 5],
    /// Numbers entries in the order they came, across levels.
    next_seq: u64,
    /// Flips at every pick where an aged entry competes with other work: aged entries get
    /// every other such pick.
    aged_turn: bool,
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

impl<T> Default for Levels<T> {
    fn default() -> Self {
        Levels {
            queues: std::array::from_fn(|_| LevelQueue::default()),
            next_seq: 0,
            aged_turn: false,
        }
    }
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

impl<T> Levels<T> {
    /// The oldest entry of all levels, with its level's rank.
    fn oldest(&self) -> Option<(usize, Oldest)> {
        self.queues
            .iter()
            .enumerate()
            .filter_map(|(rank, queue)| queue.oldest().map(|oldest| (rank, oldest)))
            .min_by_key(|(_, oldest)| oldest.seq)
    }
}

impl<T> PriorityQueues<T> {
    pub(crate) fn new(aging_bound: Duration) -> Self {
        PriorityQueues {
            pending: CachePadded::new(AtomicUsize::new(0)),
            urgent: AtomicUsize::new(0),
            aging_due: AtomicU64::new(u64::MAX),
            epoch: Instant::now(),
            aging_bound,
            levels: Mutex::new(Levels::default()),
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

    /// Queues `job` at `level`, with a deadline or none; returns whether every level was
    /// empty before (for the sleep protocol's wake-up).
    pub(crate) fn push(&self, level: Priority, deadline: Option<Instant>, job: T) -> bool {
        // Read before the lock, to keep it short: entries pushed concurrently may get their
        // sequence numbers in the other order, which only blurs their ages by as much.
        let enqueued = self.now();
        let mut levels = self.levels.lock();
        let seq = levels.next_seq;
        levels.next_seq += 1;
        let was_empty = self.pending.load(Ordering::Relaxed) == 0;
        let deadline = deadline.map(|deadline| self.nanos(deadline));
        levels.queues[level.rank()].push(Entry { job, seq, enqueued }, deadline);
        self.publish(&levels);
        was_empty
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
        let now = self.now();
        if self.urgent.load(Ordering::Relaxed) == 0 && now < self.aging_due.load(Ordering::Relaxed)
        {
            return None;
        }
        let mut levels = self.levels.lock();
        self.pop_locked(&mut levels, Priority::Normal.rank(), now)
    }

    /// When the worker found nothing else: an entry of any level.
    pub(crate) fn pop_any(&self) -> Option<T> {
        // Sequentially consistent, like the sleep protocol's reads of the other queues: a
        // worker about to sleep must see an entry whose push it could have missed.
        if self.pending.load(Ordering::SeqCst) == 0 {
            return None;
        }
        let now = self.now();
        let mut levels = self.levels.lock();
        self.pop_locked(&mut levels, Priority::Background.rank(), now)
    }

    /// Takes the next entry of the levels up to rank `floor` (0 = `Critical`), or the
    /// oldest entry of any level when it has waited the aging bound and it is its turn.
    fn pop_locked(&self, levels: &mut Levels<T>, floor: usize, now: u64) -> Option<T> {
        let bound = self.bound_nanos();
        let aged = levels
            .oldest()
            .filter(|(_, oldest)| now.saturating_sub(oldest.enqueued) >= bound)
            .map(|(rank, _)| rank);
        let best = levels.queues[..=floor]
            .iter()
            .position(|queue| queue.len() > 0);
        let job = match aged {
            Some(rank) => {
                levels.aged_turn = !levels.aged_turn;
                if levels.aged_turn {
                    levels.queues[rank].pop_oldest()
                } else {
                    // Not its turn: the other work goes first, which at a job boundary with
                    // nothing urgent is the worker's own deque.
                    best.and_then(|rank| levels.queues[rank].pop_next())
                }
            }
            None => best.and_then(|rank| levels.queues[rank].pop_next()),
        };
        self.publish(levels);
        job
    }

    /// Updates the hints from the queues; called under the lock after every change.
    fn publish(&self, levels: &Levels<T>) {
        let urgent: usize = levels.queues[..=Priority::Normal.rank()]
            .iter()
            .map(LevelQueue::<T>::len)
            .sum();
        let pending = urgent
            + levels.queues[Priority::Normal.rank() + 1..]
                .iter()
                .map(LevelQueue::<T>::len)
                .sum::<usize>();
        let aging_due = levels.oldest().map_or(u64::MAX, |(_, oldest)| {
            oldest.enqueued.saturating_add(self.bound_nanos())
        });
        self.urgent.store(urgent, Ordering::Relaxed);
        self.aging_due.store(aging_due, Ordering::Relaxed);
        self.pending.store(pending, Ordering::SeqCst);
    }

    /// Counts a task that started after its deadline (`dropped`: it did not run at all).
    pub(crate) fn count_miss(&self, dropped: bool) {
        let counter = if dropped {
            &self.dropped
        } else {
            &self.ran_late
        };
        counter.fetch_add(1, Ordering::Relaxed);
    }

    /// The misses counted so far: (ran late, dropped).
    pub(crate) fn misses(&self) -> (u64, u64) {
        (
            self.ran_late.load(Ordering::Relaxed),
            self.dropped.load(Ordering::Relaxed),
        )
    }
}
