//! Macros that implement the iterator traits of a wrapper struct by forwarding every method
//! to its `inner` parallel iterator (the sources over `Option`, `Result` and the collections
//! are thin wrappers of this kind).

/// Implements `ParallelIterator` for `$name` by forwarding to `self.inner`.
macro_rules! forward_iterator {
    ([$($gen:tt)*] $name:ty => $item:ty) => {
        impl<$($gen)*> $crate::iter::ParallelIterator for $name {
            type Item = $item;

            fn drive_unindexed<C>(self, consumer: C) -> C::Result
            where
                C: $crate::iter::plumbing::UnindexedConsumer<$item>,
            {
                self.inner.drive_unindexed(consumer)
            }

            fn opt_len(&self) -> Option<usize> {
                self.inner.opt_len()
            }
        }
    };
}

/// Implements `ParallelIterator` and `IndexedParallelIterator` for `$name` by forwarding
/// to `self.inner`.
macro_rules! forward_indexed_iterator {
    ([$($gen:tt)*] $name:ty => $item:ty) => {
        $crate::forward::forward_iterator!([$($gen)*] $name => $item);

        impl<$($gen)*> $crate::iter::IndexedParallelIterator for $name {
            fn drive<C>(self, consumer: C) -> C::Result
            where
                C: $crate::iter::plumbing::Consumer<$item>,
            {
                self.inner.drive(consumer)
            }

            fn len(&self) -> usize {
                self.inner.len()
            }

            fn with_producer<CB>(self, callback: CB) -> CB::Output
            where
                CB: $crate::iter::plumbing::ProducerCallback<$item>,
            {
                self.inner.with_producer(callback)
            }
        }
    };
}

pub(crate) use {forward_indexed_iterator, forward_iterator};
