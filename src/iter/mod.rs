//! Parallel iterators: Rayon's `rayon::iter` API.
//!
//! A [`ParallelIterator`] is a lazy description of parallel work, built from a source
//! (`par_iter()` on a collection, a range's `into_par_iter()`, …) and adaptors such as
//! [`map`](ParallelIterator::map) and [`filter`](ParallelIterator::filter), and run by a
//! consumer such as [`for_each`](ParallelIterator::for_each), [`sum`](ParallelIterator::sum)
//! or [`collect`](ParallelIterator::collect). [`IndexedParallelIterator`]s also know their
//! length and where each item sits, which enables `zip`, `enumerate` and collecting straight
//! into the destination's memory.
//!
//! Each adaptor lives in its own file; [`plumbing`] explains how the work is split.
//!
//! # Examples
//!
//! ```
//! use veda::prelude::*;
//!
//! let squares: Vec<u64> = (0..1000u64).into_par_iter().map(|x| x * x).collect();
//! assert_eq!(squares[999], 998_001);
//! let even_sum: u64 = squares.par_iter().filter(|&&x| x % 2 == 0).sum();
//! assert_eq!(even_sum, squares.iter().filter(|&&x| x % 2 == 0).sum());
//! ```

pub mod plumbing;

mod accumulate;
mod cloned;
mod collect;
mod copied;
mod drain;
mod enumerate;
mod extend;
mod filter;
mod filter_map;
mod for_each;
mod from_par_iter;
mod indexed;
mod into;
mod len;
mod map;
mod noop;
mod par_either;
mod parallel_iterator;
mod product;
mod reduce;
mod sum;
mod unzip;
mod zip;

// Consumers (find, try_reduce, …) and sources (empty, once, repeat, split, walk_tree,
// par_bridge).
mod empty;
mod find;
mod find_first_last;
mod map_state;
mod once;
mod par_bridge;
mod repeat;
mod split;
mod stop_flag;
mod try_reduce;
mod try_trait;
mod walk_tree;

pub use empty::{empty, Empty};
pub use once::{once, Once};
pub use par_bridge::{IterBridge, ParallelBridge};
#[allow(deprecated)] // `repeatn` is re-exported under its old name, as Rayon does
pub use repeat::{repeat, repeat_n, repeatn, Repeat, RepeatN};
pub use split::{split, Split};
pub use walk_tree::{
    walk_tree, walk_tree_postfix, walk_tree_prefix, WalkTree, WalkTreePostfix, WalkTreePrefix,
};

pub use cloned::Cloned;
pub use copied::Copied;
pub use drain::{ParallelDrainFull, ParallelDrainRange};
pub use either::Either;
pub use enumerate::Enumerate;
pub use extend::ParallelExtend;
pub use filter::Filter;
pub use filter_map::FilterMap;
pub use from_par_iter::FromParallelIterator;
pub use indexed::IndexedParallelIterator;
pub use into::{IntoParallelIterator, IntoParallelRefIterator, IntoParallelRefMutIterator};
pub use len::{MaxLen, MinLen};
pub use map::Map;
pub use parallel_iterator::ParallelIterator;
pub use zip::Zip;
