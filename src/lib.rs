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
//! - veda's runtime API: [`init`], [`init_with_config`], [`shutdown`], [`Config`].
#![deny(
    missing_docs,
    missing_debug_implementations,
    unreachable_pub,
    unsafe_op_in_unsafe_fn,
    clippy::undocumented_unsafe_blocks
)]
// A loom build compiles only the concurrency core, for its models: most of it is unused there.
#![cfg_attr(loom, allow(dead_code, unused_imports))]

mod latch;
mod sleep;
mod sync;

/// Everything above the loom-checked core (`sync`, `latch`, `sleep`) is left out of loom
/// builds, whose only purpose is to model-check that core.
macro_rules! not_under_loom {
    ($($item:item)*) => { $( #[cfg(not(loom))] $item )* };
}

not_under_loom! {
    mod broadcast;
    mod config;
    mod current;
    pub mod iter;
    mod job;
    mod join;
    pub mod prelude;
    pub mod range;
    pub mod array;
    pub mod collections;
    mod forward;
    pub mod option;
    pub mod range_inclusive;
    mod range_bounds;
    pub mod result;
    pub mod str;
    pub mod string;
    mod registry;
    mod runtime;
    pub mod scope;
    pub mod slice;
    mod spawn;
    mod thread_pool;
    mod unwind;
    pub mod vec;

    pub use broadcast::{broadcast, spawn_broadcast, BroadcastContext};
    pub use config::{Config, ConfigBuilder, ConfigError};
    pub use current::{
        current_num_threads, current_thread_has_pending_tasks, current_thread_index,
        max_num_threads, yield_local, yield_now, Yield,
    };
    pub use join::{join, join_context, FnContext};
    pub use runtime::{init, init_with_config, shutdown, Error};
    pub use scope::{in_place_scope, in_place_scope_fifo, scope, scope_fifo, Scope, ScopeFifo};
    pub use spawn::{spawn, spawn_fifo};
    #[allow(deprecated)]
    pub use thread_pool::{
        initialize, Configuration, ThreadBuilder, ThreadPool, ThreadPoolBuildError,
        ThreadPoolBuilder,
    };
}
