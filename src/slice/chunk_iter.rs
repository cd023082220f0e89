//! Machinery shared by the chunk iterators of `chunks.rs` and `rchunks.rs`: the
//! [`chunk_iter_impls!`] macro writes an iterator's `ParallelIterator` and
//! `IndexedParallelIterator` impls and its producer, which differ only in the slice's
//! mutability, whether chunks are exact, and which end of the slice chunks are counted from.

/// How many chunks of `chunk_size` items a slice of `len` items holds; with `exact`, a short
/// last chunk does not count.
#[inline]
pub(super) fn chunk_count(len: usize, chunk_size: usize, exact: bool) -> usize {
    if exact {
        len / chunk_size
    } else {
        len.div_ceil(chunk_size)
    }
}

/// Where a slice of `len` items is cut to set apart its first `chunks` chunks of `chunk_size`
/// items, counted from its start or, with `from_end`, from its end.
#[inline]
pub(super) fn chunk_boundary(
    chunks: usize,
    chunk_size: usize,
    len: usize,
    from_end: bool,
) -> usize {
    let items = chunks.saturating_mul(chunk_size);
    if from_end {
        len.saturating_sub(items)
    } else {
        items.min(len)
    }
}

/// Implements `ParallelIterator` and `IndexedParallelIterator` for `$iter` (a struct with
/// `chunk_size` and `slice` fields) and defines `$producer`, which hands out the chunks of
/// `slice` through `std::slice::$std_iter` (made by `slice.$method(chunk_size)`) and splits the
/// slice with `slice.$split`. `exact` says whether a short chunk is left out; `from_end`
/// whether chunks are counted from the end of the slice.
macro_rules! chunk_iter_impls {
    (
        $iter:ident => $producer:ident,
        item: &'data $($mut:ident)? [T] where T: $bound:ident,
        iter: $std_iter:ident = $method:ident,
        split: $split:ident,
        exact: $exact:literal,
        from_end: $from_end:literal $(,)?
    ) => {
        impl<'data, T: $bound> $crate::iter::ParallelIterator for $iter<'data, T> {
            type Item = &'data $($mut)? [T];

            fn drive_unindexed<C>(self, consumer: C) -> C::Result
            where
                C: $crate::iter::plumbing::UnindexedConsumer<Self::Item>,
            {
                $crate::iter::plumbing::bridge(self, consumer)
            }

            fn opt_len(&self) -> Option<usize> {
                Some($crate::iter::IndexedParallelIterator::len(self))
            }
        }

        impl<T: $bound> $crate::iter::IndexedParallelIterator for $iter<'_, T> {
            fn drive<C>(self, consumer: C) -> C::Result
            where
                C: $crate::iter::plumbing::Consumer<Self::Item>,
            {
                $crate::iter::plumbing::bridge(self, consumer)
            }

            fn len(&self) -> usize {
                $crate::slice::chunk_iter::chunk_count(self.slice.len(), self.chunk_size, $exact)
            }

            fn with_producer<CB>(self, callback: CB) -> CB::Output
            where
                CB: $crate::iter::plumbing::ProducerCallback<Self::Item>,
            {
                callback.callback($producer {
                    chunk_size: self.chunk_size,
                    slice: self.slice,
                })
            }
        }

        /// Produces the chunks of a slice that holds only whole chunks, or for non-exact
        /// chunks a short one at the far end.
        struct $producer<'data, T> {
            chunk_size: usize,
            slice: &'data $($mut)? [T],
        }

        impl<'data, T: $bound> $crate::iter::plumbing::Producer for $producer<'data, T> {
            type Item = &'data $($mut)? [T];
            type IntoIter = std::slice::$std_iter<'data, T>;

            fn into_iter(self) -> Self::IntoIter {
                self.slice.$method(self.chunk_size)
            }

            fn split_at(self, index: usize) -> (Self, Self) {
                let chunk_size = self.chunk_size;
                let mid = $crate::slice::chunk_iter::chunk_boundary(
                    index,
                    chunk_size,
                    self.slice.len(),
                    $from_end,
                );
                let (head, tail) = self.slice.$split(mid);
                // Counted from the end, the first `index` chunks are the tail of the slice.
                let (left, right) = if $from_end { (tail, head) } else { (head, tail) };
                (
                    $producer {
                        chunk_size,
                        slice: left,
                    },
                    $producer {
                        chunk_size,
                        slice: right,
                    },
                )
            }
        }
    };
}

pub(super) use chunk_iter_impls;
