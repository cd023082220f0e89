//! Telemetry counters and histograms against workloads whose counts are known.
#![cfg(feature = "telemetry")]

mod common;

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::Duration;
use veda::telemetry::metrics::Snapshot;
use veda::SchedulingPolicy;

fn pools(num_threads: usize) -> Vec<veda::ThreadPool> {
    [SchedulingPolicy::Adaptive, SchedulingPolicy::WorkStealing]
        .into_iter()
        .map(|policy| {
            veda::ThreadPoolBuilder::new()
                .num_threads(num_threads)
                .scheduling_policy(policy)
                .build()
                .expect("failed to build a thread pool")
        })
        .collect()
}

/// Spawns `width` jobs per level, `depth` levels deep, counting them in `spawned`.
fn spawn_tree<'s>(s: &veda::Scope<'s>, depth: u32, width: usize, spawned: &'s AtomicUsize) {
    if depth == 0 {
        return;
    }
    for _ in 0..width {
        spawned.fetch_add(1, Ordering::Relaxed);
        s.spawn(move |s| spawn_tree(s, depth - 1, width, spawned));
    }
}

#[test]
fn a_scope_counts_its_body_and_every_spawn() {
    for pool in pools(2) {
        let metrics = pool.metrics();
        let before = metrics.snapshot();
        let spawned = AtomicUsize::new(0);
        pool.scope(|s| spawn_tree(s, 4, 4, &spawned));
        let spawned = spawned.into_inner() as u64;
        assert_eq!(spawned, 4 + 16 + 64 + 256);
        let delta = metrics.snapshot().delta(&before);
        // The scope's body was injected from this thread; every spawn went through a deque.
        assert_eq!(delta.totals.tasks, spawned + 1);
        assert_eq!(delta.totals.injector_pops, 1);
        assert!(delta.totals.steals <= spawned);
        assert!(delta.totals.steals <= delta.totals.steal_attempts);
        let per_worker: u64 = delta.workers.iter().map(|w| w.counters.tasks).sum();
        assert_eq!(per_worker, delta.totals.tasks);
    }
}

#[test]
fn joins_run_inline_are_not_tasks() {
    fn sum(range: std::ops::Range<u64>) -> u64 {
        if range.end - range.start <= 1 {
            return range.start;
        }
        let mid = (range.start + range.end) / 2;
        let (a, b) = veda::join(|| sum(range.start..mid), || sum(mid..range.end));
        a + b
    }
    // One thread: nobody steals, so every join half runs inline.
    for pool in pools(1) {
        let metrics = pool.metrics();
        let before = metrics.snapshot();
        assert_eq!(pool.install(|| sum(0..1024)), 1023 * 1024 / 2);
        let delta = metrics.snapshot().delta(&before);
        assert_eq!(delta.totals.tasks, 1, "only the injected install job");
        assert_eq!(delta.totals.injector_pops, 1);
        assert_eq!(delta.totals.steals, 0);
    }
}

#[test]
fn steals_under_a_forced_imbalance_are_exact() {
    const JOBS: usize = 200;
    for pool in pools(2) {
        let before = pool.metrics().snapshot();
        let ran_on: Vec<AtomicUsize> = (0..JOBS).map(|_| AtomicUsize::new(usize::MAX)).collect();
        let other_ran = AtomicBool::new(false);
        let owner = pool.scope(|s| {
            let owner = veda::current_thread_index().unwrap();
            for slot in &ran_on {
                let other_ran = &other_ran;
                s.spawn(move |_| {
                    let me = veda::current_thread_index().unwrap();
                    slot.store(me, Ordering::Relaxed);
                    if me != owner {
                        other_ran.store(true, Ordering::Release);
                    }
                });
            }
            // Keep the owner busy until the other worker has stolen something: every job
            // sits in the owner's deque, so the other worker can only steal.
            while !other_ran.load(Ordering::Acquire) {
                std::thread::yield_now();
            }
            owner
        });
        let delta = pool.metrics().snapshot().delta(&before);
        let mut ran_by = [0u64; 2];
        for slot in &ran_on {
            ran_by[slot.load(Ordering::Relaxed)] += 1;
        }
        let thief = 1 - owner;
        assert!(ran_by[thief] >= 1);
        let thief_counters = delta.workers[thief].counters;
        let owner_counters = delta.workers[owner].counters;
        assert_eq!(thief_counters.tasks, ran_by[thief]);
        assert_eq!(thief_counters.steals, ran_by[thief]);
        assert_eq!(thief_counters.injector_pops, 0);
        assert!(thief_counters.steal_attempts >= thief_counters.steals);
        assert_eq!(owner_counters.tasks, ran_by[owner] + 1);
        assert_eq!(owner_counters.steals, 0);
        assert_eq!(owner_counters.injector_pops, 1);
    }
}

#[test]
fn sampled_latencies_count_every_job_when_asked() {
    const JOBS: u64 = 50;
    for pool in pools(2) {
        let metrics = pool.metrics();
        metrics.set_sample_every(1);
        assert_eq!(metrics.sample_every(), 1);
        let before = metrics.snapshot();
        pool.scope(|s| {
            for _ in 0..JOBS {
                s.spawn(|_| std::thread::sleep(Duration::from_millis(2)));
            }
        });
        let delta = metrics.snapshot().delta(&before);
        // The spawns, and the scope's body (injected by `pool.scope`).
        assert_eq!(delta.run_time.count(), JOBS + 1);
        assert_eq!(delta.queue_wait.count(), JOBS + 1);
        // Every spawn slept at least 2 ms; the histogram is within 1 % of the truth.
        let p = delta.run_time.percentiles();
        assert!(p.p50 >= Duration::from_micros(1980), "{p:?}");
        assert!(p.max >= p.p999 && p.p999 >= p.p99 && p.p99 >= p.p90 && p.p90 >= p.p50);
        assert!(delta.run_time.sum() >= Duration::from_millis(2 * JOBS));
        // Two workers share 50 jobs of 2 ms: someone waited for a worker.
        assert!(
            delta.queue_wait.max() >= Duration::from_millis(2),
            "{delta:?}"
        );
    }
}

#[test]
fn sampling_times_one_job_in_n_per_submitting_thread() {
    let pool = common::pool(2);
    let metrics = pool.metrics();
    metrics.set_sample_every(4);
    let before = metrics.snapshot();
    pool.scope(|s| {
        for _ in 0..100 {
            s.spawn(|_| {});
        }
    });
    let timed = metrics.snapshot().delta(&before).run_time.count();
    // The scope's body (the first job this thread submits after the change), and 25 of the
    // spawns (made by one worker thread, a fresh one whose countdown starts at zero).
    assert_eq!(timed, 26);

    metrics.set_sample_every(0);
    let before = metrics.snapshot();
    pool.scope(|s| (0..100).for_each(|_| s.spawn(|_| {})));
    assert_eq!(metrics.snapshot().delta(&before).run_time.count(), 0);
}

#[test]
fn spawned_panics_are_counted() {
    let (sender, receiver) = mpsc::channel();
    let pool = veda::ThreadPoolBuilder::new()
        .num_threads(2)
        .panic_handler(move |_| sender.send(()).unwrap())
        .build()
        .unwrap();
    for _ in 0..3 {
        pool.spawn(|| panic!("counted"));
    }
    for _ in 0..3 {
        receiver.recv_timeout(common::TIMEOUT).unwrap();
    }
    assert_eq!(pool.metrics().snapshot().faults.panics, 3);
}

#[test]
fn gauges_describe_a_quiet_pool() {
    let pool = common::pool(3);
    // Every worker has run a job, so every thread has started.
    pool.broadcast(|_| ());
    let snapshot: Snapshot = pool.metrics().snapshot();
    assert_eq!(snapshot.workers.len(), 3);
    assert_eq!(snapshot.gauges.workers_alive, 3);
    assert_eq!(snapshot.gauges.injector_depth, 0);
    assert_eq!(snapshot.gauges.deque_depth, 0);
    assert!(snapshot.gauges.workers_sleeping <= 3);
    assert_eq!(
        snapshot.gauges.workers_active + snapshot.gauges.workers_idle,
        snapshot.gauges.workers_alive
    );
    assert!(snapshot.workers.iter().all(|w| w.alive && !w.stand_in));
    assert!(snapshot.totals.wakeups <= snapshot.totals.parks);
    assert!(snapshot.pool.starts_with("pool-"));
}

#[test]
fn queued_jobs_show_in_the_deque_gauge() {
    let pool = common::pool(1);
    let depth = pool.install(|| {
        // The only worker is busy here, so the spawns stay queued in its deque.
        for _ in 0..5 {
            veda::spawn(|| {});
        }
        pool.metrics().snapshot().gauges.deque_depth
    });
    assert_eq!(depth, 5);
}

#[test]
fn busy_and_idle_time_add_up_to_the_threads_lifetimes() {
    let pool = common::pool(2);
    pool.install(|| std::thread::sleep(Duration::from_millis(20)));
    let snapshot = pool.metrics().snapshot();
    let worker_time = snapshot.totals.busy + snapshot.totals.idle;
    // Two threads, alive at most as long as the pool.
    assert!(worker_time <= snapshot.uptime * 2, "{snapshot:?}");
    assert!(
        snapshot.totals.busy >= Duration::from_millis(20),
        "{snapshot:?}"
    );
    assert!((0.0..=1.0).contains(&snapshot.utilization()));
}

#[test]
fn an_idle_spell_counts_as_idle_while_it_lasts_and_after_it_ends() {
    const SPELL: Duration = Duration::from_millis(100);
    let pool = common::pool(2);
    // Both threads have started; from here on they only wait for work.
    pool.broadcast(|_| ());
    std::thread::sleep(SPELL);
    let during = pool.metrics().snapshot();
    for worker in &during.workers {
        assert!(worker.idle, "{during:?}");
        // Each worker has spun and slept for about the whole spell.
        assert!(worker.counters.idle >= SPELL / 2, "{during:?}");
    }
    // Waking both ends their spells: the time moves from the open spell to the total.
    pool.broadcast(|_| ());
    let after = pool.metrics().snapshot();
    for (worker, before) in after.workers.iter().zip(&during.workers) {
        assert!(worker.counters.idle >= before.counters.idle, "{after:?}");
        assert!(worker.counters.wakeups >= 1, "{after:?}");
    }
}

#[test]
fn the_global_pool_has_metrics_too() {
    let metrics = veda::telemetry::metrics::Metrics::global();
    assert_eq!(metrics.pool_label(), "global");
    let before = metrics.snapshot();
    veda::join(|| (), || ());
    let after = metrics.snapshot();
    assert_eq!(after.pool, "global");
    assert!(after.uptime >= before.uptime);
}

#[test]
fn isolated_tasks_fill_the_named_task_table_and_the_fault_counts() {
    use veda::fault::{RetryPolicy, Task};

    let pool = veda::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .unwrap();
    let ok: Vec<_> = (0..5)
        .map(|i| Task::new().name("parse").spawn_in(&pool, move |_| i))
        .collect();
    let poisoned = Task::new()
        .name("parse")
        .spawn_in(&pool, |_| -> i32 { panic!("poisoned input") });
    // Fails twice, then succeeds on its third attempt.
    let flaky = Task::new()
        .name("fetch")
        .retry(RetryPolicy::new(3).initial_backoff(Duration::from_millis(1)))
        .try_spawn_in(&pool, |context| {
            if context.attempt() < 3 {
                Err("transient")
            } else {
                Ok(7)
            }
        });
    for handle in ok {
        handle.join().unwrap();
    }
    assert!(poisoned.join().unwrap_err().is_panic());
    assert_eq!(flaky.join().unwrap(), 7);

    let snapshot = pool.metrics().snapshot();
    let named = |name: &str| {
        snapshot
            .named_tasks
            .iter()
            .find(|task| task.name == name)
            .unwrap_or_else(|| panic!("no named-task entry for {name}"))
    };
    assert_eq!((named("parse").completed, named("parse").panicked), (5, 1));
    assert_eq!((named("fetch").completed, named("fetch").failed), (1, 2));
    assert_eq!(snapshot.faults.panics, 1);
    assert_eq!(snapshot.faults.retries, 2);
}
