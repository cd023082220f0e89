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
mod any_prefix;
mod blocks;
mod chain;
mod chunks;
mod cloned;
mod collect;
mod copied;
mod drain;
mod enumerate;
mod extend;
mod filter;
mod filter_map;
mod flat_map;
mod flat_map_iter;
mod flatten;
mod flatten_iter;
mod fold;
mod fold_chunks;
mod fold_chunks_with;
mod for_each;
mod from_par_iter;
mod indexed;
mod inspect;
mod interleave;
mod interleave_shortest;
mod intersperse;
mod into;
mod len;
mod map;
mod map_isolated;
mod map_with;
mod multizip;
mod noop;
mod panic_fuse;
mod par_either;
mod parallel_iterator;
mod positions;
mod product;
mod reduce;
mod rev;
mod skip;
mod skip_any;
mod skip_any_while;
mod step_by;
mod sum;
mod take;
mod take_any;
mod take_any_while;
mod try_fold;
mod unzip;
mod update;
mod while_some;
mod zip;
mod zip_eq;

// Consumers (find, try_reduce, …) and sources (empty, once, repeat, split, walk_tree,
// par_bridge).
mod empty;
mod find;
mod find_first_last;
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

pub use blocks::{ExponentialBlocks, UniformBlocks};
pub use chain::Chain;
pub use chunks::Chunks;
pub use cloned::Cloned;
pub use copied::Copied;
pub use drain::{ParallelDrainFull, ParallelDrainRange};
pub use either::Either;
pub use enumerate::Enumerate;
pub use extend::ParallelExtend;
pub use filter::Filter;
pub use filter_map::FilterMap;
pub use flat_map::FlatMap;
pub use flat_map_iter::FlatMapIter;
pub use flatten::Flatten;
pub use flatten_iter::FlattenIter;
pub use fold::{Fold, FoldWith};
pub use fold_chunks::FoldChunks;
pub use fold_chunks_with::FoldChunksWith;
pub use from_par_iter::FromParallelIterator;
pub use indexed::IndexedParallelIterator;
pub use inspect::Inspect;
pub use interleave::Interleave;
pub use interleave_shortest::InterleaveShortest;
pub use intersperse::Intersperse;
pub use into::{IntoParallelIterator, IntoParallelRefIterator, IntoParallelRefMutIterator};
pub use len::{MaxLen, MinLen};
pub use map::Map;
pub use map_isolated::MapIsolated;
pub use map_with::{MapInit, MapWith};
pub use multizip::MultiZip;
pub use panic_fuse::PanicFuse;
pub use parallel_iterator::ParallelIterator;
pub use positions::Positions;
pub use rev::Rev;
pub use skip::Skip;
pub use skip_any::SkipAny;
pub use skip_any_while::SkipAnyWhile;
pub use step_by::StepBy;
pub use take::Take;
pub use take_any::TakeAny;
pub use take_any_while::TakeAnyWhile;
pub use try_fold::{TryFold, TryFoldWith};
pub use update::Update;
pub use while_some::WhileSome;
pub use zip::Zip;
pub use zip_eq::ZipEq;
