//! `fold_chunks_with`: fold each chunk of an indexed iterator into one value started from a
//! clone of `init`.

use super::chunks::{ChunkCallback, ChunkOp};
use super::plumbing::{bridge, Consumer, ProducerCallback, UnindexedConsumer};
use super::{IndexedParallelIterator, ParallelIterator};
use std::fmt;

/// Folds each chunk of `chunk_size` items into one value started from a clone of `init`; see
/// [`IndexedParallelIterator::fold_chunks_with`].
#[must_use = "iterator adaptors are lazy and do nothing unless consumed"]
#[derive(Clone)]
pub struct FoldChunksWith<I, U, F> {
    base: I,
    chunk_size: usize,
    item: U,
    fold_op: F,
}

impl<I: fmt::Debug, U: fmt::Debug, F> fmt::Debug for FoldChunksWith<I, U, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FoldChunksWith")
            .field("base", &self.base)
            .field("chunk_size", &self.chunk_size)
            .field("item", &self.item)
            .finish()
    }
}

impl<I, U, F> FoldChunksWith<I, U, F> {
    pub(super) fn new(base: I, chunk_size: usize, item: U, fold_op: F) -> Self {
        FoldChunksWith {
            base,
            chunk_size,
            item,
            fold_op,
        }
    }
}

impl<I, U, F> ParallelIterator for FoldChunksWith<I, U, F>
where
    I: IndexedParallelIterator,
    U: Send + Clone,
    F: Fn(U, I::Item) -> U + Send + Sync,
{
    type Item = U;

    fn drive_unindexed<C>(self, consumer: C) -> C::Result
    where
        C: UnindexedConsumer<U>,
    {
        bridge(self, consumer)
    }

    fn opt_len(&self) -> Option<usize> {
        Some(self.len())
    }
}

impl<I, U, F> IndexedParallelIterator for FoldChunksWith<I, U, F>
where
    I: IndexedParallelIterator,
    U: Send + Clone,
    F: Fn(U, I::Item) -> U + Send + Sync,
{
    fn drive<C: Consumer<U>>(self, consumer: C) -> C::Result {
        bridge(self, consumer)
    }

    fn len(&self) -> usize {
        self.base.len().div_ceil(self.chunk_size)
    }

    fn with_producer<CB: ProducerCallback<U>>(self, callback: CB) -> CB::Output {
        let len = self.base.len();
        let op = FoldChunkWith {
            item: self.item,
            fold_op: &self.fold_op,
        };
        self.base
            .with_producer(ChunkCallback::new(callback, self.chunk_size, len, op))
    }
}

/// Folds one chunk from a clone of `item`.
struct FoldChunkWith<'f, U, F> {
    item: U,
    fold_op: &'f F,
}

impl<U: Clone, F> Clone for FoldChunkWith<'_, U, F> {
    fn clone(&self) -> Self {
        FoldChunkWith {
            item: self.item.clone(),
            fold_op: self.fold_op,
        }
    }
}

impl<T, U, F> ChunkOp<T> for FoldChunkWith<'_, U, F>
where
    U: Send + Clone,
    F: Fn(U, T) -> U + Sync,
{
    type Output = U;

    fn apply<I: Iterator<Item = T>>(&self, chunk: I) -> U {
        chunk.fold(self.item.clone(), self.fold_op)
    }
}
