//! `unzip`, `partition` and `partition_map`: one parallel iterator feeding two collections.
//!
//! Each collection's `par_extend` builds its own consumer, which we cannot name. So the two
//! collections are handed stand-in iterators: the first collection extends itself from
//! [`FirstHalf`], whose `drive_unindexed` receives the first collection's consumer and in
//! turn makes the second collection extend itself from [`SecondHalf`]; that one receives the
//! second consumer and finally drives the real iterator into a [`SplitConsumer`] that routes
//! each item to one consumer or the other (a [`Route`] decides how). The first consumer's
//! result travels back through a slot in `FirstHalf`'s frame.
//!
//! Only `unzip` keeps every item on both sides, so only it reports a length: a `Vec` target
//! of an indexed iterator is then written in place.

use super::plumbing::{Consumer, Folder, Reducer, UnindexedConsumer};
use super::{
    FromParallelIterator, IndexedParallelIterator, IntoParallelIterator, ParallelExtend,
    ParallelIterator,
};
use either::Either;

/// How an item is sent to the two sides.
trait Route<T>: Sync + Send {
    /// The items of the first collection.
    type First: Send;
    /// The items of the second collection.
    type Second: Send;
    /// True if every item sends exactly one item to each side (so lengths carry over).
    const KEEPS_LENGTH: bool;

    /// Feeds `item` to one or both folders.
    fn route<A, B>(&self, item: T, first: A, second: B) -> (A, B)
    where
        A: Folder<Self::First>,
        B: Folder<Self::Second>;
}

/// Pairs are split into their two halves.
struct Unzip;

impl<A: Send, B: Send> Route<(A, B)> for Unzip {
    type First = A;
    type Second = B;
    const KEEPS_LENGTH: bool = true;

    fn route<FA, FB>(&self, (a, b): (A, B), first: FA, second: FB) -> (FA, FB)
    where
        FA: Folder<A>,
        FB: Folder<B>,
    {
        (first.consume(a), second.consume(b))
    }
}

/// Items for which the predicate holds go first, the others second.
struct Partition<P>(P);

impl<T, P> Route<T> for Partition<P>
where
    T: Send,
    P: Fn(&T) -> bool + Sync + Send,
{
    type First = T;
    type Second = T;
    const KEEPS_LENGTH: bool = false;

    fn route<A, B>(&self, item: T, first: A, second: B) -> (A, B)
    where
        A: Folder<T>,
        B: Folder<T>,
    {
        if (self.0)(&item) {
            (first.consume(item), second)
        } else {
            (first, second.consume(item))
        }
    }
}

/// `Left` values go first, `Right` values second, after an optional mapping.
struct PartitionMap<P>(P);

impl<T, P, L, R> Route<T> for PartitionMap<P>
where
    P: Fn(T) -> Either<L, R> + Sync + Send,
    L: Send,
    R: Send,
{
    type First = L;
    type Second = R;
    const KEEPS_LENGTH: bool = false;

    fn route<A, B>(&self, item: T, first: A, second: B) -> (A, B)
    where
        A: Folder<L>,
        B: Folder<R>,
    {
        match (self.0)(item) {
            Either::Left(left) => (first.consume(left), second),
            Either::Right(right) => (first, second.consume(right)),
        }
    }
}

/// Extends `first` and `second` with the items of `base`, as `route` sends them.
fn extend_both<I, RT, A, B>(first: &mut A, second: &mut B, base: I, route: RT)
where
    I: ParallelIterator,
    RT: Route<I::Item>,
    A: Send + ParallelExtend<RT::First>,
    B: Send + ParallelExtend<RT::Second>,
{
    first.par_extend(FirstHalf {
        base,
        route,
        second,
    });
}

/// Two default collections extended as `route` sends the items of `base`.
fn collect_both<I, RT, A, B>(base: I, route: RT) -> (A, B)
where
    I: ParallelIterator,
    RT: Route<I::Item>,
    A: Default + Send + ParallelExtend<RT::First>,
    B: Default + Send + ParallelExtend<RT::Second>,
{
    let mut first = A::default();
    let mut second = B::default();
    extend_both(&mut first, &mut second, base, route);
    (first, second)
}

/// `ParallelIterator::unzip`.
pub(super) fn unzip<I, A, B, FromA, FromB>(base: I) -> (FromA, FromB)
where
    I: ParallelIterator<Item = (A, B)>,
    FromA: Default + Send + ParallelExtend<A>,
    FromB: Default + Send + ParallelExtend<B>,
    A: Send,
    B: Send,
{
    collect_both(base, Unzip)
}

/// `ParallelIterator::partition`.
pub(super) fn partition<I, A, B, P>(base: I, predicate: P) -> (A, B)
where
    I: ParallelIterator,
    A: Default + Send + ParallelExtend<I::Item>,
    B: Default + Send + ParallelExtend<I::Item>,
    P: Fn(&I::Item) -> bool + Sync + Send,
{
    collect_both(base, Partition(predicate))
}

/// `ParallelIterator::partition_map`.
pub(super) fn partition_map<I, A, B, P, L, R>(base: I, predicate: P) -> (A, B)
where
    I: ParallelIterator,
    A: Default + Send + ParallelExtend<L>,
    B: Default + Send + ParallelExtend<R>,
    P: Fn(I::Item) -> Either<L, R> + Sync + Send,
    L: Send,
    R: Send,
{
    collect_both(base, PartitionMap(predicate))
}

/// Drives an indexed iterator of pairs into two indexed consumers at once (for
/// `unzip_into_vecs`).
pub(super) fn unzip_indexed<I, A, B, CA, CB>(
    base: I,
    first: CA,
    second: CB,
) -> (CA::Result, CB::Result)
where
    I: IndexedParallelIterator<Item = (A, B)>,
    A: Send,
    B: Send,
    CA: Consumer<A>,
    CB: Consumer<B>,
{
    base.drive(SplitConsumer {
        route: &Unzip,
        first,
        second,
    })
}

/// Stands in for the first collection's items; see the module docs.
struct FirstHalf<'b, I, RT, B> {
    base: I,
    route: RT,
    second: &'b mut B,
}

impl<I, RT, B> ParallelIterator for FirstHalf<'_, I, RT, B>
where
    I: ParallelIterator,
    RT: Route<I::Item>,
    B: Send + ParallelExtend<RT::Second>,
{
    type Item = RT::First;

    fn drive_unindexed<C>(self, consumer: C) -> C::Result
    where
        C: UnindexedConsumer<RT::First>,
    {
        let mut first_result = None;
        self.second.par_extend(SecondHalf {
            base: self.base,
            route: self.route,
            first: consumer,
            first_result: &mut first_result,
        });
        first_result.expect("unzip consumers didn't execute!")
    }

    fn opt_len(&self) -> Option<usize> {
        self.base.opt_len().filter(|_| RT::KEEPS_LENGTH)
    }
}

/// Stands in for the second collection's items, holding the first collection's consumer.
struct SecondHalf<'r, I, RT, CA, R> {
    base: I,
    route: RT,
    first: CA,
    first_result: &'r mut Option<R>,
}

impl<I, RT, CA, R> ParallelIterator for SecondHalf<'_, I, RT, CA, R>
where
    I: ParallelIterator,
    RT: Route<I::Item>,
    CA: UnindexedConsumer<RT::First, Result = R>,
    R: Send,
{
    type Item = RT::Second;

    fn drive_unindexed<C>(self, consumer: C) -> C::Result
    where
        C: UnindexedConsumer<RT::Second>,
    {
        let (first, second) = self.base.drive_unindexed(SplitConsumer {
            route: &self.route,
            first: self.first,
            second: consumer,
        });
        *self.first_result = Some(first);
        second
    }

    fn opt_len(&self) -> Option<usize> {
        self.base.opt_len().filter(|_| RT::KEEPS_LENGTH)
    }
}

/// Routes each item to one or both of two consumers.
struct SplitConsumer<'r, RT, CA, CB> {
    route: &'r RT,
    first: CA,
    second: CB,
}

impl<'r, T, RT, CA, CB> Consumer<T> for SplitConsumer<'r, RT, CA, CB>
where
    RT: Route<T>,
    CA: Consumer<RT::First>,
    CB: Consumer<RT::Second>,
{
    type Folder = SplitFolder<'r, RT, CA::Folder, CB::Folder>;
    type Reducer = PairReducer<CA::Reducer, CB::Reducer>;
    type Result = (CA::Result, CB::Result);

    fn split_at(self, index: usize) -> (Self, Self, Self::Reducer) {
        let (first_left, first_right, first_reducer) = self.first.split_at(index);
        let (second_left, second_right, second_reducer) = self.second.split_at(index);
        (
            SplitConsumer {
                route: self.route,
                first: first_left,
                second: second_left,
            },
            SplitConsumer {
                route: self.route,
                first: first_right,
                second: second_right,
            },
            PairReducer(first_reducer, second_reducer),
        )
    }

    fn into_folder(self) -> Self::Folder {
        SplitFolder {
            route: self.route,
            first: self.first.into_folder(),
            second: self.second.into_folder(),
        }
    }

    /// Items keep coming until both sides are full: one side may still want some.
    fn full(&self) -> bool {
        self.first.full() && self.second.full()
    }
}

impl<T, RT, CA, CB> UnindexedConsumer<T> for SplitConsumer<'_, RT, CA, CB>
where
    RT: Route<T>,
    CA: UnindexedConsumer<RT::First>,
    CB: UnindexedConsumer<RT::Second>,
{
    fn split_off_left(&self) -> Self {
        SplitConsumer {
            route: self.route,
            first: self.first.split_off_left(),
            second: self.second.split_off_left(),
        }
    }

    fn to_reducer(&self) -> Self::Reducer {
        PairReducer(self.first.to_reducer(), self.second.to_reducer())
    }
}

struct SplitFolder<'r, RT, FA, FB> {
    route: &'r RT,
    first: FA,
    second: FB,
}

impl<T, RT, FA, FB> Folder<T> for SplitFolder<'_, RT, FA, FB>
where
    RT: Route<T>,
    FA: Folder<RT::First>,
    FB: Folder<RT::Second>,
{
    type Result = (FA::Result, FB::Result);

    fn consume(self, item: T) -> Self {
        let (first, second) = self.route.route(item, self.first, self.second);
        SplitFolder {
            route: self.route,
            first,
            second,
        }
    }

    fn complete(self) -> Self::Result {
        (self.first.complete(), self.second.complete())
    }

    fn full(&self) -> bool {
        self.first.full() && self.second.full()
    }
}

/// Combines pairs of results side by side.
struct PairReducer<RA, RB>(RA, RB);

impl<A, B, RA, RB> Reducer<(A, B)> for PairReducer<RA, RB>
where
    RA: Reducer<A>,
    RB: Reducer<B>,
{
    fn reduce(self, left: (A, B), right: (A, B)) -> (A, B) {
        (
            self.0.reduce(left.0, right.0),
            self.1.reduce(left.1, right.1),
        )
    }
}

/// Extends each collection with its half of every pair.
impl<A, B, FromA, FromB> ParallelExtend<(A, B)> for (FromA, FromB)
where
    A: Send,
    B: Send,
    FromA: Send + ParallelExtend<A>,
    FromB: Send + ParallelExtend<B>,
{
    fn par_extend<I>(&mut self, par_iter: I)
    where
        I: IntoParallelIterator<Item = (A, B)>,
    {
        extend_both(&mut self.0, &mut self.1, par_iter.into_par_iter(), Unzip);
    }
}

/// Extends the first collection with the `Left` values and the second with the `Right` ones.
impl<L, R, A, B> ParallelExtend<Either<L, R>> for (A, B)
where
    L: Send,
    R: Send,
    A: Send + ParallelExtend<L>,
    B: Send + ParallelExtend<R>,
{
    fn par_extend<I>(&mut self, par_iter: I)
    where
        I: IntoParallelIterator<Item = Either<L, R>>,
    {
        extend_both(
            &mut self.0,
            &mut self.1,
            par_iter.into_par_iter(),
            PartitionMap(|item: Either<L, R>| item),
        );
    }
}

/// Collects each half of every pair into its own collection.
///
/// # Examples
///
/// ```
/// use veda::prelude::*;
///
/// let (numbers, squares): (Vec<u32>, Vec<u32>) =
///     (0..4u32).into_par_iter().map(|x| (x, x * x)).collect();
/// assert_eq!(numbers, [0, 1, 2, 3]);
/// assert_eq!(squares, [0, 1, 4, 9]);
/// ```
impl<A, B, FromA, FromB> FromParallelIterator<(A, B)> for (FromA, FromB)
where
    A: Send,
    B: Send,
    FromA: Send + FromParallelIterator<A>,
    FromB: Send + FromParallelIterator<B>,
{
    fn from_par_iter<I>(par_iter: I) -> Self
    where
        I: IntoParallelIterator<Item = (A, B)>,
    {
        let (first, second): (CollectOnce<FromA>, CollectOnce<FromB>) =
            collect_both(par_iter.into_par_iter(), Unzip);
        (first.finish(), second.finish())
    }
}

/// Collects the `Left` values into the first collection and the `Right` ones into the
/// second.
impl<L, R, A, B> FromParallelIterator<Either<L, R>> for (A, B)
where
    L: Send,
    R: Send,
    A: Send + FromParallelIterator<L>,
    B: Send + FromParallelIterator<R>,
{
    fn from_par_iter<I>(par_iter: I) -> Self
    where
        I: IntoParallelIterator<Item = Either<L, R>>,
    {
        let (first, second): (CollectOnce<A>, CollectOnce<B>) = collect_both(
            par_iter.into_par_iter(),
            PartitionMap(|item: Either<L, R>| item),
        );
        (first.finish(), second.finish())
    }
}

/// A collection built by `FromParallelIterator` from the one `par_extend` it receives, so
/// that collecting targets can serve as unzip targets.
struct CollectOnce<C>(Option<C>);

impl<C> Default for CollectOnce<C> {
    fn default() -> Self {
        CollectOnce(None)
    }
}

impl<C> CollectOnce<C> {
    fn finish(self) -> C {
        self.0
            .expect("the unzip machinery extends each side exactly once")
    }
}

impl<T, C> ParallelExtend<T> for CollectOnce<C>
where
    T: Send,
    C: Send + FromParallelIterator<T>,
{
    fn par_extend<I>(&mut self, par_iter: I)
    where
        I: IntoParallelIterator<Item = T>,
    {
        self.0 = Some(C::from_par_iter(par_iter));
    }
}
