//! Fault isolation: tasks that fail without taking the program down.
//!
//! Rayon's API keeps Rayon's semantics (a panic in `join` or a parallel iterator reaches
//! the caller; one in `spawn` goes to the panic handler or aborts). This module is veda's
//! own API beside it:
//!
//! - [`Task`] builds an *isolated task*: its panics and errors become a [`TaskError`] on
//!   its [`TaskHandle`]. It may have a name, a [`Recovery`] strategy (retry with
//!   exponential backoff and jitter, fallback, skip), a timeout, and a circuit breaker key.
//!   It runs on the current pool, on a given [`ThreadPool`](crate::ThreadPool), or inside
//!   a [`scope`](crate::scope()) borrowing from it.
//! - The closure receives a [`TaskContext`]: the attempt number, a cancellation check, and a
//!   checkpoint slot that lets a retry resume where the failed attempt left off.
//! - [`CircuitBreaker`]s per key stop calling something that keeps failing; their states
//!   are observable through [`circuit_state`] and [`set_circuit_observer`].
//! - [`map_isolated`](crate::iter::ParallelIterator::map_isolated) turns a panic in one
//!   item's closure into an `Err` for that item, so that a pipeline with a few poisoned
//!   inputs still returns every good result.
//!
//! Isolated panics do not print: see [`report_isolated_panics`] for how, and how to turn
//! that off. Retries and timeouts are served by one timer thread, started on first use, so
//! a task waiting for its retry never occupies a worker. Every handle resolves exactly
//! once, whatever races (completion, `cancel`, timeout): a pool (or the global pool, on
//! [`shutdown`](crate::shutdown)) does not end before its outstanding tasks have resolved.
//! `README.md` in this folder describes the handle's state machine and the timer.
//!
//! # Examples
//!
//! ```
//! use std::time::Duration;
//! use veda::fault::{RetryPolicy, Task, TaskError};
//!
//! let handles: Vec<_> = (0..10)
//!     .map(|i| {
//!         Task::new()
//!             .retry(RetryPolicy::new(2).initial_backoff(Duration::from_millis(1)))
//!             .spawn(move |_| {
//!                 assert!(i != 3, "input {i} is poisoned");
//!                 i * 10
//!             })
//!     })
//!     .collect();
//! let outcomes: Vec<Result<i32, TaskError>> = handles.into_iter().map(|h| h.join()).collect();
//! assert_eq!(outcomes.iter().filter(|o| o.is_ok()).count(), 9);
//! assert!(outcomes[3].as_ref().unwrap_err().root_cause().is_panic());
//! ```

mod completion;
#[cfg(loom)]
mod loom;
#[cfg(all(test, not(loom)))]
mod test;

#[cfg(not(loom))]
mod builder;
#[cfg(not(loom))]
mod circuit;
#[cfg(not(loom))]
mod context;
#[cfg(not(loom))]
mod defaults;
#[cfg(not(loom))]
mod error;
#[cfg(not(loom))]
mod handle;
#[cfg(not(loom))]
mod isolate;
#[cfg(not(loom))]
mod lean;
#[cfg(not(loom))]
mod recovery;
#[cfg(not(loom))]
mod report;
#[cfg(not(loom))]
mod task;
#[cfg(not(loom))]
mod timer;

#[cfg(not(loom))]
pub use builder::Task;
#[cfg(not(loom))]
pub use circuit::{
    circuit_state, clear_circuit_observer, configure_circuit, set_circuit_observer, BreakerConfig,
    CircuitBreaker, CircuitState, CircuitTransition, Permit,
};
#[cfg(not(loom))]
pub use context::TaskContext;
#[cfg(not(loom))]
pub use error::TaskError;
#[cfg(not(loom))]
pub use handle::TaskHandle;
#[cfg(not(loom))]
pub(crate) use isolate::isolate;
#[cfg(not(loom))]
pub use isolate::report_isolated_panics;
#[cfg(not(loom))]
pub use recovery::{Fallback, Recovery, RetryPolicy};

#[cfg(not(loom))]
pub use defaults::pending_timers;
#[cfg(not(loom))]
pub(crate) use defaults::{default_retry, defaults, set_defaults, Defaults};
