//! The prelude: `use veda::prelude::*;` brings veda's traits into scope.
//!
//! It mirrors `rayon::prelude`; the parallel-iterator traits join it with the iterator
//! layer. Today it re-exports the fork-join entry points most programs call.

pub use crate::{join, scope, spawn, ThreadPool, ThreadPoolBuilder};
