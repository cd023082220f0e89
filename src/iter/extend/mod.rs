//! `ParallelExtend`: adding the items of a parallel iterator to a collection.
//!
//! Vectors are filled in place: an iterator that knows its length writes each item straight
//! into its final slot. Every other collection first gathers the items in parallel, one
//! vector (or list, or string) per piece of work, kept in order in a linked list
//! ([`collect_pieces`], [`PiecesConsumer`]), and then inserts them sequentially, after
//! reserving room where the collection can.
//! [`collections`] and [`strings`] hold the impls for std's collections and string types.

mod collections;
mod strings;

use super::collect::collect_with_consumer;
use super::plumbing::{Consumer, Folder, Reducer, UnindexedConsumer};
use super::{IntoParallelIterator, ParallelIterator};
use either::Either;
use std::collections::LinkedList;
use std::marker::PhantomData;

/// Extends a collection with the items of a parallel iterator.
///
/// This is the parallel counterpart of [`Extend`]; it is also how
/// [`unzip`](ParallelIterator::unzip), [`partition`](ParallelIterator::partition) and
/// [`partition_map`](ParallelIterator::partition_map) fill their two collections.
///
/// # Examples
///
/// ```
/// use veda::prelude::*;
///
/// let mut values = vec![0];
/// values.par_extend((1..4).into_par_iter());
/// assert_eq!(values, [0, 1, 2, 3]);
/// ```
pub trait ParallelExtend<T>
where
    T: Send,
{
    /// Adds every item of `par_iter` to `self`.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::collections::BTreeSet;
    /// use veda::prelude::*;
    ///
    /// let mut set = BTreeSet::from([10]);
    /// set.par_extend((0..5).into_par_iter().map(|x| x * 5));
    /// assert_eq!(set.into_iter().collect::<Vec<_>>(), [0, 5, 10, 15, 20]);
    /// ```
    fn par_extend<I>(&mut self, par_iter: I)
    where
        I: IntoParallelIterator<Item = T>;
}

impl<T: Send> ParallelExtend<T> for Vec<T> {
    fn par_extend<I>(&mut self, par_iter: I)
    where
        I: IntoParallelIterator<Item = T>,
    {
        let par_iter = par_iter.into_par_iter();
        match par_iter.opt_len() {
            // An iterator that knows its length writes straight into the vector's memory.
            Some(len) => {
                collect_with_consumer(self, len, |consumer| par_iter.drive_unindexed(consumer))
            }
            None => {
                let pieces = par_iter.drive_unindexed(PiecesConsumer::<Vec<_>>::new());
                self.reserve(total_len(&pieces));
                for mut piece in pieces {
                    self.append(&mut piece);
                }
            }
        }
    }
}

impl<'a, T> ParallelExtend<&'a T> for Vec<T>
where
    T: 'a + Copy + Send + Sync,
{
    fn par_extend<I>(&mut self, par_iter: I)
    where
        I: IntoParallelIterator<Item = &'a T>,
    {
        self.par_extend(par_iter.into_par_iter().copied());
    }
}

/// Runs the iterator to its end; there is nothing to keep.
impl ParallelExtend<()> for () {
    fn par_extend<I>(&mut self, par_iter: I)
    where
        I: IntoParallelIterator<Item = ()>,
    {
        par_iter.into_par_iter().for_each(|()| {});
    }
}

/// Extends whichever collection `self` holds.
impl<L, R, T> ParallelExtend<T> for Either<L, R>
where
    L: ParallelExtend<T>,
    R: ParallelExtend<T>,
    T: Send,
{
    fn par_extend<I>(&mut self, par_iter: I)
    where
        I: IntoParallelIterator<Item = T>,
    {
        match self {
            Either::Left(left) => left.par_extend(par_iter),
            Either::Right(right) => right.par_extend(par_iter),
        }
    }
}

/// Gathers the items in order, as a list of vectors: one vector when the iterator knows its
/// length (written in place), otherwise one per piece of work. Empty vectors are left out.
pub(super) fn collect_pieces<I>(par_iter: I) -> LinkedList<Vec<I::Item>>
where
    I: IntoParallelIterator,
{
    let par_iter = par_iter.into_par_iter();
    match par_iter.opt_len() {
        Some(len) => {
            let mut items = Vec::new();
            collect_with_consumer(&mut items, len, |consumer| {
                par_iter.drive_unindexed(consumer)
            });
            let mut pieces = LinkedList::new();
            if !items.is_empty() {
                pieces.push_back(items);
            }
            pieces
        }
        None => par_iter.drive_unindexed(PiecesConsumer::<Vec<_>>::new()),
    }
}

/// The number of items in all pieces.
fn total_len<T>(pieces: &LinkedList<Vec<T>>) -> usize {
    pieces.iter().map(Vec::len).sum()
}

/// A collection that one piece of work fills sequentially, before the pieces are joined.
trait Piece<T>: Default + Extend<T> + Send {
    fn is_empty(&self) -> bool;
}

impl<T: Send> Piece<T> for Vec<T> {
    fn is_empty(&self) -> bool {
        Vec::is_empty(self)
    }
}

impl<T: Send> Piece<T> for LinkedList<T> {
    fn is_empty(&self) -> bool {
        LinkedList::is_empty(self)
    }
}

impl Piece<char> for String {
    fn is_empty(&self) -> bool {
        String::is_empty(self)
    }
}

/// Fills one collection `C` per piece of work and returns them in order, leaving out empty
/// ones.
struct PiecesConsumer<C> {
    marker: PhantomData<fn() -> C>,
}

impl<C> PiecesConsumer<C> {
    fn new() -> Self {
        PiecesConsumer {
            marker: PhantomData,
        }
    }
}

impl<T: Send, C: Piece<T>> Consumer<T> for PiecesConsumer<C> {
    type Folder = PiecesFolder<C>;
    type Reducer = ListReducer;
    type Result = LinkedList<C>;

    fn split_at(self, _index: usize) -> (Self, Self, ListReducer) {
        (PiecesConsumer::new(), PiecesConsumer::new(), ListReducer)
    }

    fn into_folder(self) -> PiecesFolder<C> {
        PiecesFolder {
            piece: C::default(),
        }
    }

    fn full(&self) -> bool {
        false
    }
}

impl<T: Send, C: Piece<T>> UnindexedConsumer<T> for PiecesConsumer<C> {
    fn split_off_left(&self) -> Self {
        PiecesConsumer::new()
    }

    fn to_reducer(&self) -> ListReducer {
        ListReducer
    }
}

struct PiecesFolder<C> {
    piece: C,
}

impl<T: Send, C: Piece<T>> Folder<T> for PiecesFolder<C> {
    type Result = LinkedList<C>;

    fn consume(mut self, item: T) -> Self {
        self.piece.extend(Some(item));
        self
    }

    fn consume_iter<I>(mut self, iter: I) -> Self
    where
        I: IntoIterator<Item = T>,
    {
        self.piece.extend(iter);
        self
    }

    fn complete(self) -> Self::Result {
        let mut list = LinkedList::new();
        if !self.piece.is_empty() {
            list.push_back(self.piece);
        }
        list
    }

    fn full(&self) -> bool {
        false
    }
}

/// Concatenates two lists, left first.
struct ListReducer;

impl<T> Reducer<LinkedList<T>> for ListReducer {
    fn reduce(self, mut left: LinkedList<T>, mut right: LinkedList<T>) -> LinkedList<T> {
        left.append(&mut right);
        left
    }
}
