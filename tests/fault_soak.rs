//! The soak test of fault isolation: 200 000 tasks, of which 10 % always panic, 5 % fail
//! once and then succeed on retry, and about 2 % are cancelled at random. Every handle must
//! resolve exactly once, with the value or error its task's kind calls for; none is lost,
//! and the pool still serves work afterwards.

use std::time::Duration;
use veda::fault::{RetryPolicy, Task, TaskError};
use veda::prelude::*;

const TASKS: u64 = 200_000;
const WAVE: u64 = 25_000;

#[derive(Clone, Copy, Debug, PartialEq)]
enum Kind {
    AlwaysPanics,
    Transient,
    Healthy,
}

fn kind(i: u64) -> Kind {
    match i % 20 {
        0 | 1 => Kind::AlwaysPanics,
        2 => Kind::Transient,
        _ => Kind::Healthy,
    }
}

/// xorshift64: the test's own reproducible randomness.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

#[test]
fn soak_200k_tasks_resolve_exactly_once() {
    let pool = veda::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .unwrap();
    let policy = RetryPolicy::new(3)
        .initial_backoff(Duration::from_micros(200))
        .max_backoff(Duration::from_millis(1));
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let (mut ok, mut exhausted, mut cancelled) = (0u64, 0u64, 0u64);
    for wave in 0..TASKS / WAVE {
        let handles: Vec<_> = (wave * WAVE..(wave + 1) * WAVE)
            .map(|i| {
                let handle =
                    Task::new()
                        .retry(policy)
                        .try_spawn_in(&pool, move |ctx| match kind(i) {
                            Kind::AlwaysPanics => panic!("task {i} is poisoned"),
                            Kind::Transient if ctx.attempt() == 1 => {
                                if i % 40 == 2 {
                                    panic!("task {i} hiccups")
                                }
                                Err(format!("task {i} is busy"))
                            }
                            _ => Ok(i * 2),
                        });
                let cancel = rng.next().is_multiple_of(50);
                let cancelled = cancel && handle.cancel();
                (i, handle, cancelled)
            })
            .collect();
        for (i, handle, was_cancelled) in handles {
            let outcome = handle.join();
            if was_cancelled {
                assert!(
                    matches!(outcome, Err(TaskError::Cancelled { .. })),
                    "task {i}: a successful cancel resolves the handle as cancelled, got {outcome:?}"
                );
                cancelled += 1;
                continue;
            }
            match (kind(i), outcome) {
                (Kind::AlwaysPanics, Err(TaskError::RetriesExhausted { attempts, last, .. })) => {
                    assert_eq!(attempts, 3, "task {i}");
                    assert!(
                        matches!(&*last, TaskError::Panicked { message, .. } if *message == format!("task {i} is poisoned")),
                        "task {i}: {last:?}"
                    );
                    exhausted += 1;
                }
                (Kind::Transient | Kind::Healthy, Ok(value)) => {
                    assert_eq!(value, i * 2, "task {i}");
                    ok += 1;
                }
                (kind, outcome) => panic!("task {i} ({kind:?}) resolved with {outcome:?}"),
            }
        }
    }
    assert_eq!(ok + exhausted + cancelled, TASKS, "no handle is lost");
    assert!(cancelled > 0 && exhausted > 0);
    // The pool still serves work, plain and isolated.
    let sum: u64 = pool.install(|| (0..1000u64).into_par_iter().sum());
    assert_eq!(sum, 499_500);
    assert_eq!(Task::new().spawn_in(&pool, |_| 7).join().unwrap(), 7);
}
