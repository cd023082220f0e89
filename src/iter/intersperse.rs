//! `intersperse`: put a separator between every two adjacent items.

use super::plumbing::{bridge, Consumer, Folder, Producer, ProducerCallback, UnindexedConsumer};
use super::{IndexedParallelIterator, ParallelIterator};
use std::cell::Cell;
use std::fmt;

/// Puts a clone of a separator between every two adjacent items; see
/// [`ParallelIterator::intersperse`].
#[must_use = "iterator adaptors are lazy and do nothing unless consumed"]
#[derive(Clone)]
pub struct Intersperse<I>
where
    I: ParallelIterator,
{
    base: I,
    item: I::Item,
}

impl<I> fmt::Debug for Intersperse<I>
where
    I: ParallelIterator + fmt::Debug,
    I::Item: fmt::Debug,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Intersperse")
            .field("base", &self.base)
            .field("item", &self.item)
            .finish()
    }
}

impl<I: ParallelIterator> Intersperse<I> {
    pub(super) fn new(base: I, item: I::Item) -> Self {
        Intersperse { base, item }
    }
}

/// How many items `n` base items become once separated (`None` if that overflows);
/// `after_something` tells whether items come before them (then each base item gets a
/// separator in front).
fn separated_len(n: usize, after_something: bool) -> Option<usize> {
    match n {
        0 => Some(0),
        n if after_something => n.checked_mul(2),
        n => n.checked_mul(2).map(|twice| twice - 1),
    }
}

impl<I> ParallelIterator for Intersperse<I>
where
    I: ParallelIterator<Item: Clone>,
{
    type Item = I::Item;

    fn drive_unindexed<C>(self, consumer: C) -> C::Result
    where
        C: UnindexedConsumer<I::Item>,
    {
        self.base.drive_unindexed(IntersperseConsumer {
            base: consumer,
            item: self.item,
            after_something: Cell::new(false),
        })
    }

    fn opt_len(&self) -> Option<usize> {
        // An overflowing length is unknown here, as in Rayon (`len` panics on it).
        separated_len(self.base.opt_len()?, false)
    }
}

impl<I> IndexedParallelIterator for Intersperse<I>
where
    I: IndexedParallelIterator<Item: Clone>,
{
    fn drive<C: Consumer<I::Item>>(self, consumer: C) -> C::Result {
        bridge(self, consumer)
    }

    fn len(&self) -> usize {
        separated_len(self.base.len(), false).expect("overflow")
    }

    fn with_producer<CB: ProducerCallback<I::Item>>(self, callback: CB) -> CB::Output {
        struct Callback<CB, T> {
            callback: CB,
            item: T,
            len: usize,
        }

        impl<T, CB> ProducerCallback<T> for Callback<CB, T>
        where
            CB: ProducerCallback<T>,
            T: Clone + Send,
        {
            type Output = CB::Output;

            fn callback<P>(self, base: P) -> CB::Output
            where
                P: Producer<Item = T>,
            {
                self.callback.callback(IntersperseProducer {
                    base,
                    item: self.item,
                    len: self.len,
                    separator_first: false,
                })
            }
        }

        let len = self.len();
        self.base.with_producer(Callback {
            callback,
            item: self.item,
            len,
        })
    }
}

/// A piece of the separated sequence: it alternates separators and base items, starting
/// with a separator if `separator_first`, for `len` items. A piece may end with a separator
/// whose item went to the next piece.
struct IntersperseProducer<P, T> {
    base: P,
    item: T,
    /// How many items this piece yields, separators included.
    len: usize,
    separator_first: bool,
}

impl<P> Producer for IntersperseProducer<P, P::Item>
where
    P: Producer<Item: Clone + Send>,
{
    type Item = P::Item;
    type IntoIter = IntersperseSeq<P::IntoIter, P::Item>;

    fn into_iter(self) -> Self::IntoIter {
        // Items sit at alternate positions; the last position holds a separator when the
        // count and the first kind line up.
        let separator_last = self.len > 0 && ((self.len % 2 == 1) == self.separator_first);
        IntersperseSeq {
            base: self.base.into_iter(),
            item: self.item,
            len: self.len,
            separator_front: self.separator_first,
            separator_back: separator_last,
        }
    }

    fn min_len(&self) -> usize {
        self.base.min_len()
    }

    fn max_len(&self) -> usize {
        self.base.max_len()
    }

    fn split_at(self, index: usize) -> (Self, Self) {
        // The left piece takes the base items among its first `index` positions: half of
        // them, rounded up if it starts with an item.
        let base_index = (index + usize::from(!self.separator_first)) / 2;
        let (left, right) = self.base.split_at(base_index);
        (
            IntersperseProducer {
                base: left,
                item: self.item.clone(),
                len: index,
                separator_first: self.separator_first,
            },
            IntersperseProducer {
                base: right,
                item: self.item,
                len: self.len - index,
                separator_first: self.separator_first ^ (index % 2 == 1),
            },
        )
    }
}

/// The sequential iterator of an intersperse producer.
struct IntersperseSeq<I, T> {
    base: I,
    item: T,
    /// How many items are left, separators included.
    len: usize,
    /// Whether the next item from the front is a separator.
    separator_front: bool,
    /// Whether the next item from the back is a separator.
    separator_back: bool,
}

impl<I> Iterator for IntersperseSeq<I, I::Item>
where
    I: Iterator<Item: Clone>,
{
    type Item = I::Item;

    fn next(&mut self) -> Option<I::Item> {
        if self.len == 0 {
            return None;
        }
        self.len -= 1;
        self.separator_front = !self.separator_front;
        if self.separator_front {
            self.base.next()
        } else {
            Some(self.item.clone())
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.len, Some(self.len))
    }
}

impl<I> DoubleEndedIterator for IntersperseSeq<I, I::Item>
where
    I: DoubleEndedIterator<Item: Clone>,
{
    fn next_back(&mut self) -> Option<I::Item> {
        if self.len == 0 {
            return None;
        }
        self.len -= 1;
        self.separator_back = !self.separator_back;
        if self.separator_back {
            self.base.next_back()
        } else {
            Some(self.item.clone())
        }
    }
}

impl<I> ExactSizeIterator for IntersperseSeq<I, I::Item> where I: Iterator<Item: Clone> {}

struct IntersperseConsumer<C, T> {
    base: C,
    item: T,
    /// Whether items come before this consumer's; changes when a left part is split off.
    after_something: Cell<bool>,
}

impl<T, C> Consumer<T> for IntersperseConsumer<C, T>
where
    C: Consumer<T>,
    T: Clone + Send,
{
    type Folder = IntersperseFolder<C::Folder, T>;
    type Reducer = C::Reducer;
    type Result = C::Result;

    fn split_at(self, index: usize) -> (Self, Self, C::Reducer) {
        let after_something = self.after_something.get();
        let (left, right, reducer) = self.base.split_at(
            separated_len(index, after_something).expect("a split index is within the length"),
        );
        (
            IntersperseConsumer {
                base: left,
                item: self.item.clone(),
                after_something: Cell::new(after_something),
            },
            IntersperseConsumer {
                base: right,
                item: self.item,
                after_something: Cell::new(after_something || index > 0),
            },
            reducer,
        )
    }

    fn into_folder(self) -> Self::Folder {
        IntersperseFolder {
            base: self.base.into_folder(),
            item: self.item,
            after_something: self.after_something.get(),
        }
    }

    fn full(&self) -> bool {
        self.base.full()
    }
}

impl<T, C> UnindexedConsumer<T> for IntersperseConsumer<C, T>
where
    C: UnindexedConsumer<T>,
    T: Clone + Send,
{
    fn split_off_left(&self) -> Self {
        let left = IntersperseConsumer {
            base: self.base.split_off_left(),
            item: self.item.clone(),
            after_something: Cell::new(self.after_something.get()),
        };
        // Whatever the left part yields now comes before this consumer's items.
        self.after_something.set(true);
        left
    }

    fn to_reducer(&self) -> C::Reducer {
        self.base.to_reducer()
    }
}

struct IntersperseFolder<C, T> {
    base: C,
    item: T,
    /// Whether an item came before the next one (so the next needs a separator in front).
    after_something: bool,
}

impl<T, C> Folder<T> for IntersperseFolder<C, T>
where
    C: Folder<T>,
    T: Clone,
{
    type Result = C::Result;

    fn consume(mut self, item: T) -> Self {
        if self.after_something {
            self.base = self.base.consume(self.item.clone());
            if self.base.full() {
                return self;
            }
        } else {
            self.after_something = true;
        }
        self.base = self.base.consume(item);
        self
    }

    fn complete(self) -> C::Result {
        self.base.complete()
    }

    fn full(&self) -> bool {
        self.base.full()
    }
}
