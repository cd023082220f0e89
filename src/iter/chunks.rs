//! `chunks`: group the items of an indexed iterator into vectors of a given size. Also home
//! of the chunk producer that `fold_chunks` and `fold_chunks_with` share.

use super::plumbing::{bridge, Consumer, Producer, ProducerCallback, UnindexedConsumer};
use super::{IndexedParallelIterator, ParallelIterator};

/// Groups the items into vectors of `chunk_size` (the last one may be shorter); see
/// [`IndexedParallelIterator::chunks`].
#[must_use = "iterator adaptors are lazy and do nothing unless consumed"]
#[derive(Clone, Debug)]
pub struct Chunks<I> {
    base: I,
    chunk_size: usize,
}

impl<I> Chunks<I> {
    pub(super) fn new(base: I, chunk_size: usize) -> Self {
        Chunks { base, chunk_size }
    }
}

impl<I: IndexedParallelIterator> ParallelIterator for Chunks<I> {
    type Item = Vec<I::Item>;

    fn drive_unindexed<C>(self, consumer: C) -> C::Result
    where
        C: UnindexedConsumer<Self::Item>,
    {
        bridge(self, consumer)
    }

    fn opt_len(&self) -> Option<usize> {
        Some(self.len())
    }
}

impl<I: IndexedParallelIterator> IndexedParallelIterator for Chunks<I> {
    fn drive<C: Consumer<Self::Item>>(self, consumer: C) -> C::Result {
        bridge(self, consumer)
    }

    fn len(&self) -> usize {
        self.base.len().div_ceil(self.chunk_size)
    }

    fn with_producer<CB: ProducerCallback<Self::Item>>(self, callback: CB) -> CB::Output {
        let len = self.base.len();
        self.base.with_producer(ChunkCallback::new(
            callback,
            self.chunk_size,
            len,
            CollectChunk,
        ))
    }
}

/// Turns the items of one chunk into the chunk's item.
pub(super) trait ChunkOp<T>: Clone + Send {
    /// The item a chunk becomes.
    type Output;

    /// Consumes one chunk's items.
    fn apply<I: Iterator<Item = T>>(&self, chunk: I) -> Self::Output;
}

/// Collects a chunk into a vector (`chunks`).
#[derive(Clone, Copy)]
struct CollectChunk;

impl<T> ChunkOp<T> for CollectChunk {
    type Output = Vec<T>;

    fn apply<I: Iterator<Item = T>>(&self, chunk: I) -> Vec<T> {
        chunk.collect()
    }
}

/// Receives the base producer and hands on a producer of chunks.
pub(super) struct ChunkCallback<CB, OP> {
    callback: CB,
    chunk_size: usize,
    len: usize,
    op: OP,
}

impl<CB, OP> ChunkCallback<CB, OP> {
    /// `len` is the number of items of the base iterator.
    pub(super) fn new(callback: CB, chunk_size: usize, len: usize, op: OP) -> Self {
        ChunkCallback {
            callback,
            chunk_size,
            len,
            op,
        }
    }
}

impl<T, CB, OP> ProducerCallback<T> for ChunkCallback<CB, OP>
where
    OP: ChunkOp<T>,
    CB: ProducerCallback<OP::Output>,
{
    type Output = CB::Output;

    fn callback<P>(self, base: P) -> CB::Output
    where
        P: Producer<Item = T>,
    {
        self.callback.callback(ChunkProducer {
            base,
            chunk_size: self.chunk_size,
            len: self.len,
            op: self.op,
        })
    }
}

struct ChunkProducer<P, OP> {
    base: P,
    chunk_size: usize,
    /// How many items `base` holds.
    len: usize,
    op: OP,
}

impl<P, OP> Producer for ChunkProducer<P, OP>
where
    P: Producer,
    OP: ChunkOp<P::Item>,
{
    type Item = OP::Output;
    type IntoIter = ChunkSeq<P, OP>;

    fn into_iter(self) -> Self::IntoIter {
        ChunkSeq {
            base: if self.len == 0 { None } else { Some(self.base) },
            chunk_size: self.chunk_size,
            len: self.len,
            op: self.op,
        }
    }

    fn min_len(&self) -> usize {
        self.base.min_len().div_ceil(self.chunk_size)
    }

    fn max_len(&self) -> usize {
        (self.base.max_len() / self.chunk_size).max(1)
    }

    fn split_at(self, index: usize) -> (Self, Self) {
        let base_index = index.saturating_mul(self.chunk_size).min(self.len);
        let (left, right) = self.base.split_at(base_index);
        (
            ChunkProducer {
                base: left,
                chunk_size: self.chunk_size,
                len: base_index,
                op: self.op.clone(),
            },
            ChunkProducer {
                base: right,
                chunk_size: self.chunk_size,
                len: self.len - base_index,
                op: self.op,
            },
        )
    }
}

/// The sequential iterator of a chunk producer: cuts one chunk at a time off either end.
struct ChunkSeq<P, OP> {
    /// The items not yet yielded; `None` once there are none.
    base: Option<P>,
    chunk_size: usize,
    len: usize,
    op: OP,
}

impl<P, OP> Iterator for ChunkSeq<P, OP>
where
    P: Producer,
    OP: ChunkOp<P::Item>,
{
    type Item = OP::Output;

    fn next(&mut self) -> Option<OP::Output> {
        let base = self.base.take()?;
        if self.len > self.chunk_size {
            let (chunk, rest) = base.split_at(self.chunk_size);
            self.base = Some(rest);
            self.len -= self.chunk_size;
            Some(self.op.apply(chunk.into_iter()))
        } else {
            self.len = 0;
            Some(self.op.apply(base.into_iter()))
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let chunks = self.len.div_ceil(self.chunk_size);
        (chunks, Some(chunks))
    }
}

impl<P, OP> DoubleEndedIterator for ChunkSeq<P, OP>
where
    P: Producer,
    OP: ChunkOp<P::Item>,
{
    fn next_back(&mut self) -> Option<OP::Output> {
        let base = self.base.take()?;
        if self.len > self.chunk_size {
            // The last chunk holds the remainder, or a full chunk if there is none.
            let last = match self.len % self.chunk_size {
                0 => self.chunk_size,
                remainder => remainder,
            };
            let (rest, chunk) = base.split_at(self.len - last);
            self.base = Some(rest);
            self.len -= last;
            Some(self.op.apply(chunk.into_iter()))
        } else {
            self.len = 0;
            Some(self.op.apply(base.into_iter()))
        }
    }
}

impl<P, OP> ExactSizeIterator for ChunkSeq<P, OP>
where
    P: Producer,
    OP: ChunkOp<P::Item>,
{
}
