//! veda: a parallel runtime for Rust, and a drop-in replacement for Rayon.
//!
//! veda offers rayon-core's whole API under the same names and with the same behaviour —
//! [`join`], [`scope()`], [`spawn`], [`broadcast`], [`ThreadPool`], [`ThreadPoolBuilder`] and
//! the rest — on a work-stealing pool of its own, plus explicit control of the global pool:
//! [`init`], [`init_with_config`] with a validated [`Config`], and [`shutdown`], after which
//! the next parallel call starts a fresh pool.
//!
//! # Examples
//!
//! ```
//! fn fib(n: u32) -> u64 {
//!     if n < 2 {
//!         return n as u64;
//!     }
//!     let (a, b) = veda::join(|| fib(n - 1), || fib(n - 2));
//!     a + b
//! }
//! assert_eq!(fib(20), 6765);
//! ```
//!
//! # Layers
//! - `sync`: the std/parking_lot versus loom facade used by the concurrency core;
//! - the pool: `job`, `latch`, `sleep`, `registry` (workers, deques, injector, shutdown);
//! - the fork-join API: [`join`](join()), [`scope`](scope()), [`spawn`](spawn()),
//!   [`broadcast`](broadcast()), [`ThreadPool`];
//! - veda's runtime API: [`init`], [`init_with_config`], [`shutdown`], [`Config`], and
//!   [`block_in_place`] for tasks that block;
//! - [`fault`]: isolated tasks whose panics and errors become values (retries, fallbacks,
//!   timeouts, cancellation, circuit breakers), and
//!   [`map_isolated`](iter::ParallelIterator::map_isolated) for parallel iterators;
//! - priorities and deadlines: [`Priority`], [`spawn_with_priority`], [`with_priority`] for
//!   work that should inherit a level, and [`fault::Task`]'s `priority`, `deadline` and
//!   `on_deadline_miss` for a task with a handle;
//! - deterministic mode (cargo feature `deterministic`): `SchedulingPolicy::Deterministic`,
//!   with bit-identical reductions for any thread count, a seeded dispatch order and
//!   recorded traces (`veda::deterministic`).
#![deny(
    missing_docs,
    missing_debug_implementations,
    unreachable_pub,
    unsafe_op_in_unsafe_fn,
    clippy::undocumented_unsafe_blocks
)]
// A loom build compiles only the concurrency core, for its models: most of it is unused there.
#![cfg_attr(loom, allow(dead_code, unused_imports, unreachable_pub))]

mod latch;
// Its queues are part of the loom-checked core; the rest of it is left out of loom builds.
mod priority;
mod sleep;
mod sync;

// Everything above the loom-checked core (`sync`, `latch`, `sleep`) is left out of loom
// builds, whose only purpose is to model-check that core.
#[cfg(not(loom))]
pub mod array;
#[cfg(not(loom))]
mod block_in_place;
#[cfg(not(loom))]
mod broadcast;
#[cfg(not(loom))]
pub mod collections;
#[cfg(not(loom))]
mod config;
#[cfg(not(loom))]
mod current;
#[cfg(all(not(loom), feature = "deterministic"))]
pub mod deterministic;
#[cfg(all(not(loom), not(feature = "deterministic")))]
#[path = "deterministic/mock.rs"]
mod deterministic;
pub mod fault;
#[cfg(not(loom))]
mod forward;
#[cfg(all(not(loom), feature = "gpu"))]
pub mod gpu;
#[cfg(not(loom))]
pub mod iter;
#[cfg(not(loom))]
mod job;
#[cfg(not(loom))]
mod join;
#[cfg(not(loom))]
pub mod option;
#[cfg(not(loom))]
pub mod prelude;
#[cfg(not(loom))]
pub mod range;
#[cfg(not(loom))]
mod range_bounds;
#[cfg(not(loom))]
pub mod range_inclusive;
#[cfg(not(loom))]
mod registry;
#[cfg(not(loom))]
pub mod result;
#[cfg(not(loom))]
mod runtime;
#[cfg(not(loom))]
mod scheduling_policy;
#[cfg(not(loom))]
pub mod scope;
#[cfg(not(loom))]
pub mod slice;
#[cfg(not(loom))]
mod spawn;
#[cfg(not(loom))]
pub mod str;
#[cfg(not(loom))]
pub mod string;
#[cfg(all(not(loom), feature = "telemetry"))]
pub mod telemetry;
#[cfg(all(not(loom), not(feature = "telemetry")))]
#[path = "telemetry/mock.rs"]
mod telemetry;
#[cfg(not(loom))]
mod thread_pool;
#[cfg(not(loom))]
mod unwind;
#[cfg(not(loom))]
pub mod vec;

#[cfg(not(loom))]
pub use block_in_place::block_in_place;
#[cfg(not(loom))]
pub use broadcast::{broadcast, spawn_broadcast, BroadcastContext};
#[cfg(not(loom))]
pub use config::{Config, ConfigBuilder, ConfigError};
#[cfg(not(loom))]
pub use current::{
    current_num_threads, current_thread_has_pending_tasks, current_thread_index, max_num_threads,
    yield_local, yield_now, Yield,
};
#[cfg(not(loom))]
pub use join::{join, join_context, FnContext};
#[cfg(not(loom))]
pub use priority::{
    current_priority, spawn_with_priority, with_priority, DeadlineMisses, OnDeadlineMiss, Priority,
    UnknownPriority,
};
#[cfg(not(loom))]
pub use runtime::{init, init_with_config, shutdown, Error};
#[cfg(not(loom))]
pub use scheduling_policy::{SchedulingPolicy, UnknownSchedulingPolicy};
#[cfg(not(loom))]
pub use scope::{in_place_scope, in_place_scope_fifo, scope, scope_fifo, Scope, ScopeFifo};
#[cfg(not(loom))]
pub use spawn::{spawn, spawn_fifo};
#[cfg(not(loom))]
#[allow(deprecated)]
pub use thread_pool::{
    initialize, Configuration, ThreadBuilder, ThreadPool, ThreadPoolBuildError, ThreadPoolBuilder,
};
