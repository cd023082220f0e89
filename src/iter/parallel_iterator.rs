//! The `ParallelIterator` trait.

use super::plumbing::UnindexedConsumer;
use super::{
    for_each, product, reduce, sum, Cloned, Copied, Filter, FilterMap, FromParallelIterator, Map,
};
use std::iter::{Product, Sum};

/// A parallel version of `Iterator`: a lazy description of work over items that are
/// produced and consumed on many threads at once.
///
/// Adaptors (`map`, `filter`, …) return new parallel iterators; consumers (`for_each`,
/// `sum`, `collect`, …) run the work on the current pool (see [`crate::ThreadPool::install`])
/// and return when it is done.
pub trait ParallelIterator: Sized + Send {
    /// The items this iterator yields.
    type Item: Send;

    /// Calls `op` on every item, in parallel.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::atomic::{AtomicU64, Ordering};
    /// use veda::prelude::*;
    ///
    /// let total = AtomicU64::new(0);
    /// (1..101u64).into_par_iter().for_each(|x| {
    ///     total.fetch_add(x, Ordering::Relaxed);
    /// });
    /// assert_eq!(total.into_inner(), 5050);
    /// ```
    fn for_each<OP>(self, op: OP)
    where
        OP: Fn(Self::Item) + Sync + Send,
    {
        for_each::for_each(self, &op)
    }

    /// Calls `op` on every item, with a `&mut` to a clone of `init` that is private to the
    /// piece of work the item belongs to (so the state can be used without locking).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::mpsc::channel;
    /// use veda::prelude::*;
    ///
    /// let (sender, receiver) = channel();
    /// (0..5).into_par_iter().for_each_with(sender, |s, x| s.send(x * 10).unwrap());
    /// let mut got: Vec<i32> = receiver.iter().collect();
    /// got.sort();
    /// assert_eq!(got, [0, 10, 20, 30, 40]);
    /// ```
    fn for_each_with<OP, T>(self, init: T, op: OP)
    where
        OP: Fn(&mut T, Self::Item) + Sync + Send,
        T: Send + Clone,
    {
        self.map_with(init, op).for_each(drop);
    }

    /// Calls `op` on every item, with a `&mut` to a state that `init()` made for the piece
    /// of work the item belongs to (for states that are costly or impossible to clone).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::atomic::{AtomicUsize, Ordering};
    /// use veda::prelude::*;
    ///
    /// let total = AtomicUsize::new(0);
    /// (0..100usize).into_par_iter().for_each_init(
    ///     || Vec::with_capacity(8),
    ///     |buffer, x| {
    ///         buffer.clear();
    ///         buffer.extend(std::iter::repeat(1).take(x % 8));
    ///         total.fetch_add(buffer.len(), Ordering::Relaxed);
    ///     },
    /// );
    /// assert_eq!(total.into_inner(), (0..100).map(|x| x % 8).sum());
    /// ```
    fn for_each_init<OP, INIT, T>(self, init: INIT, op: OP)
    where
        OP: Fn(&mut T, Self::Item) + Sync + Send,
        INIT: Fn() -> T + Sync + Send,
    {
        self.map_init(init, op).for_each(drop);
    }

    /// Calls the fallible `op` on every item, and returns one of its failures if any (then
    /// the items not yet started are skipped), or success.
    ///
    /// `op` returns a `Result<(), E>`, an `Option<()>`, a `ControlFlow<B, ()>`, or one of
    /// their `Poll` wrappings.
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// let checked = (1..100).into_par_iter().try_for_each(|x| if x > 0 { Ok(()) } else { Err(x) });
    /// assert_eq!(checked, Ok(()));
    ///
    /// let failed = (0..100).into_par_iter().try_for_each(|x| if x != 42 { Ok(()) } else { Err(x) });
    /// assert_eq!(failed, Err(42));
    /// ```
    fn try_for_each<OP, R>(self, op: OP) -> R
    where
        OP: Fn(Self::Item) -> R + Sync + Send,
        R: super::try_trait::Try<Output = ()> + Send,
    {
        self.map(op)
            .try_reduce(<()>::default, super::try_reduce::succeed)
    }

    /// The fallible `for_each_with`: calls `op` with a `&mut` to a per-piece clone of `init`
    /// on every item, and returns one of its failures if any, or success.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::mpsc::channel;
    /// use veda::prelude::*;
    ///
    /// let (sender, receiver) = channel();
    /// let sent = (0..5).into_par_iter().try_for_each_with(sender, |s, x| s.send(x));
    /// assert!(sent.is_ok());
    /// let mut got: Vec<i32> = receiver.iter().collect();
    /// got.sort();
    /// assert_eq!(got, [0, 1, 2, 3, 4]);
    /// ```
    fn try_for_each_with<OP, T, R>(self, init: T, op: OP) -> R
    where
        OP: Fn(&mut T, Self::Item) -> R + Sync + Send,
        T: Send + Clone,
        R: super::try_trait::Try<Output = ()> + Send,
    {
        self.map_with(init, op)
            .try_reduce(<()>::default, super::try_reduce::succeed)
    }

    /// The fallible `for_each_init`: calls `op` with a `&mut` to a per-piece state made by
    /// `init()` on every item, and returns one of its failures if any, or success.
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// let parsed = ["1", "2", "x", "4"].par_iter().try_for_each_init(String::new, |buffer, s| {
    ///     buffer.clear();
    ///     buffer.push_str(s);
    ///     buffer.parse::<u32>().map(drop)
    /// });
    /// assert!(parsed.is_err());
    /// ```
    fn try_for_each_init<OP, INIT, T, R>(self, init: INIT, op: OP) -> R
    where
        OP: Fn(&mut T, Self::Item) -> R + Sync + Send,
        INIT: Fn() -> T + Sync + Send,
        R: super::try_trait::Try<Output = ()> + Send,
    {
        self.map_init(init, op)
            .try_reduce(<()>::default, super::try_reduce::succeed)
    }

    /// Combines fallible items with the fallible `op`, starting each piece of work from
    /// `identity()`; returns the first failure any piece meets (skipping the rest of the
    /// work), or the combined success.
    ///
    /// As with [`reduce`](Self::reduce), `op` must be associative and `identity()` neutral.
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// let sum = (1..101u8).into_par_iter().map(Some).try_reduce(|| 0u8, |a, b| a.checked_add(b));
    /// assert_eq!(sum, None); // 5050 overflows a u8
    ///
    /// let sum = (1..11u8).into_par_iter().map(Some).try_reduce(|| 0u8, |a, b| a.checked_add(b));
    /// assert_eq!(sum, Some(55));
    /// ```
    fn try_reduce<T, OP, ID>(self, identity: ID, op: OP) -> Self::Item
    where
        OP: Fn(T, T) -> Self::Item + Sync + Send,
        ID: Fn() -> T + Sync + Send,
        Self::Item: super::try_trait::Try<Output = T>,
    {
        super::try_reduce::try_reduce(self, &identity, &op)
    }

    /// Combines fallible items with the fallible `op`; `None` if there are no items, else
    /// the first failure met or the combined success.
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// let product = (1..6u32)
    ///     .into_par_iter()
    ///     .map(Ok::<u32, String>)
    ///     .try_reduce_with(|a, b| a.checked_mul(b).ok_or_else(|| "overflow".to_string()));
    /// assert_eq!(product, Some(Ok(120)));
    /// ```
    fn try_reduce_with<T, OP>(self, op: OP) -> Option<Self::Item>
    where
        OP: Fn(T, T) -> Self::Item + Sync + Send,
        Self::Item: super::try_trait::Try<Output = T>,
    {
        super::try_reduce::try_reduce_with(self, &op)
    }

    /// The smallest item by the comparison `f` (the first of equal smallest ones, as with
    /// `Iterator::min_by`), or `None` if there are none.
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// let values = [2.5f64, -1.0, 7.0, -1.0];
    /// let least = values.par_iter().min_by(|a, b| a.total_cmp(b));
    /// assert_eq!(least, Some(&-1.0));
    /// ```
    fn min_by<F>(self, f: F) -> Option<Self::Item>
    where
        F: Sync + Send + Fn(&Self::Item, &Self::Item) -> std::cmp::Ordering,
    {
        self.reduce_with(|left, right| match f(&left, &right) {
            std::cmp::Ordering::Greater => right,
            std::cmp::Ordering::Less | std::cmp::Ordering::Equal => left,
        })
    }

    /// The item whose key `f` gives is smallest (the first of equal smallest ones), or `None`
    /// if there are none.
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// let words = ["pear", "fig", "apple", "kiwi"];
    /// assert_eq!(words.par_iter().min_by_key(|w| w.len()), Some(&"fig"));
    /// ```
    fn min_by_key<K, F>(self, f: F) -> Option<Self::Item>
    where
        K: Ord + Send,
        F: Sync + Send + Fn(&Self::Item) -> K,
    {
        self.map(|item| (f(&item), item))
            .min_by(|(left, _), (right, _)| left.cmp(right))
            .map(|(_, item)| item)
    }

    /// The largest item by the comparison `f` (the last of equal largest ones, as with
    /// `Iterator::max_by`), or `None` if there are none.
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// let values = [2.5f64, -1.0, 7.0, -1.0];
    /// let greatest = values.par_iter().max_by(|a, b| a.total_cmp(b));
    /// assert_eq!(greatest, Some(&7.0));
    /// ```
    fn max_by<F>(self, f: F) -> Option<Self::Item>
    where
        F: Sync + Send + Fn(&Self::Item, &Self::Item) -> std::cmp::Ordering,
    {
        self.reduce_with(|left, right| match f(&left, &right) {
            std::cmp::Ordering::Greater => left,
            std::cmp::Ordering::Less | std::cmp::Ordering::Equal => right,
        })
    }

    /// The item whose key `f` gives is largest (the last of equal largest ones), or `None`
    /// if there are none.
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// let words = ["pear", "fig", "apple", "kiwi", "mango"];
    /// assert_eq!(words.par_iter().max_by_key(|w| w.len()), Some(&"mango"));
    /// ```
    fn max_by_key<K, F>(self, f: F) -> Option<Self::Item>
    where
        K: Ord + Send,
        F: Sync + Send + Fn(&Self::Item) -> K,
    {
        self.map(|item| (f(&item), item))
            .max_by(|(left, _), (right, _)| left.cmp(right))
            .map(|(_, item)| item)
    }

    /// Some item that matches `predicate`, not necessarily the first: whichever a thread
    /// meets first. Once one is found, the rest of the work is skipped.
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// let found = (0..1000).into_par_iter().find_any(|x| x % 100 == 99);
    /// assert!(matches!(found, Some(x) if x % 100 == 99));
    /// assert_eq!((0..1000).into_par_iter().find_any(|&x| x > 5000), None);
    /// ```
    fn find_any<P>(self, predicate: P) -> Option<Self::Item>
    where
        P: Fn(&Self::Item) -> bool + Sync + Send,
    {
        super::find::find_any(self, &predicate)
    }

    /// The first item that matches `predicate`, exactly as `Iterator::find` would return;
    /// work on items after a match already found is skipped.
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// let found = (0..1000).into_par_iter().find_first(|x| x % 100 == 99);
    /// assert_eq!(found, Some(99));
    /// ```
    fn find_first<P>(self, predicate: P) -> Option<Self::Item>
    where
        P: Fn(&Self::Item) -> bool + Sync + Send,
    {
        super::find_first_last::find_first(self, &predicate)
    }

    /// The last item that matches `predicate`, exactly as `Iterator::rfind` would return;
    /// work on items before a match already found is skipped.
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// let found = (0..1000).into_par_iter().find_last(|x| x % 100 == 99);
    /// assert_eq!(found, Some(999));
    /// ```
    fn find_last<P>(self, predicate: P) -> Option<Self::Item>
    where
        P: Fn(&Self::Item) -> bool + Sync + Send,
    {
        super::find_first_last::find_last(self, &predicate)
    }

    /// Some `Some` result of `predicate` applied to the items, not necessarily the first's.
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// let number = ["a", "7", "b", "9"].par_iter().find_map_any(|s| s.parse::<u32>().ok());
    /// assert!(number == Some(7) || number == Some(9));
    /// ```
    fn find_map_any<P, R>(self, predicate: P) -> Option<R>
    where
        P: Fn(Self::Item) -> Option<R> + Sync + Send,
        R: Send,
    {
        self.filter_map(predicate).find_any(|_| true)
    }

    /// The first `Some` result of `predicate` applied to the items, as `Iterator::find_map`
    /// would return.
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// let number = ["a", "7", "b", "9"].par_iter().find_map_first(|s| s.parse::<u32>().ok());
    /// assert_eq!(number, Some(7));
    /// ```
    fn find_map_first<P, R>(self, predicate: P) -> Option<R>
    where
        P: Fn(Self::Item) -> Option<R> + Sync + Send,
        R: Send,
    {
        self.filter_map(predicate).find_first(|_| true)
    }

    /// The last `Some` result of `predicate` applied to the items.
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// let number = ["a", "7", "b", "9"].par_iter().find_map_last(|s| s.parse::<u32>().ok());
    /// assert_eq!(number, Some(9));
    /// ```
    fn find_map_last<P, R>(self, predicate: P) -> Option<R>
    where
        P: Fn(Self::Item) -> Option<R> + Sync + Send,
        R: Send,
    {
        self.filter_map(predicate).find_last(|_| true)
    }

    /// The old name of [`find_any`](Self::find_any).
    #[doc(hidden)]
    #[deprecated(note = "parallel `find` does not search in order -- use `find_any`, \
                `find_first`, or `find_last`")]
    fn find<P>(self, predicate: P) -> Option<Self::Item>
    where
        P: Fn(&Self::Item) -> bool + Sync + Send,
    {
        self.find_any(predicate)
    }

    /// True if `predicate` holds for some item; stops as soon as one is found.
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// assert!((0..1000).into_par_iter().any(|x| x == 777));
    /// assert!(!(0..1000).into_par_iter().any(|x| x > 1000));
    /// ```
    fn any<P>(self, predicate: P) -> bool
    where
        P: Fn(Self::Item) -> bool + Sync + Send,
    {
        // Whichever match is found, the answer is the same: race, in every policy.
        super::find::find_racing(self.map(predicate), &|&holds: &bool| holds).is_some()
    }

    /// True if `predicate` holds for every item (so for none at all); stops as soon as one
    /// fails.
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// assert!((0..1000).into_par_iter().all(|x| x < 1000));
    /// assert!(!(0..1000).into_par_iter().all(|x| x != 500));
    /// ```
    fn all<P>(self, predicate: P) -> bool
    where
        P: Fn(Self::Item) -> bool + Sync + Send,
    {
        super::find::find_racing(self.map(predicate), &|&holds: &bool| !holds).is_none()
    }

    /// Counts the items.
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// assert_eq!((0..1000).into_par_iter().filter(|x| x % 3 == 0).count(), 334);
    /// ```
    fn count(self) -> usize {
        self.map(|_| 1usize).sum()
    }

    /// Applies `map_op` to every item.
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// let doubled: Vec<i32> = (1..4).into_par_iter().map(|x| x * 2).collect();
    /// assert_eq!(doubled, [2, 4, 6]);
    /// ```
    fn map<F, R>(self, map_op: F) -> Map<Self, F>
    where
        F: Fn(Self::Item) -> R + Sync + Send,
        R: Send,
    {
        Map::new(self, map_op)
    }

    /// Applies `map_op` to every item in isolation: an item whose call panics becomes
    /// `Err(TaskError::Panicked)`, with the panic's message, and every other item its
    /// `Ok` value. This is veda's own adaptor (Rayon's `map` lets the panic reach the
    /// caller); isolated panics do not print (see
    /// [`report_isolated_panics`](crate::fault::report_isolated_panics)).
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// let results: Vec<_> = (0..5)
    ///     .into_par_iter()
    ///     .map_isolated(|x| if x == 3 { panic!("poisoned input {x}") } else { x * 2 })
    ///     .collect();
    /// assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 4);
    /// assert!(results[3].as_ref().unwrap_err().to_string().contains("poisoned input 3"));
    /// ```
    fn map_isolated<F, R>(self, map_op: F) -> super::MapIsolated<Self, F>
    where
        F: Fn(Self::Item) -> R + Sync + Send,
        R: Send,
    {
        super::MapIsolated::new(self, map_op)
    }

    /// Clones every referenced item.
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// let names = vec![String::from("a"), String::from("b")];
    /// let copies: Vec<String> = names.par_iter().cloned().collect();
    /// assert_eq!(copies, names);
    /// ```
    fn cloned<'a, T>(self) -> Cloned<Self>
    where
        T: 'a + Clone + Send,
        Self: ParallelIterator<Item = &'a T>,
    {
        Cloned::new(self)
    }

    /// Copies every referenced item.
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// let values = [1, 2, 3];
    /// let total: i32 = values.par_iter().copied().sum();
    /// assert_eq!(total, 6);
    /// ```
    fn copied<'a, T>(self) -> Copied<Self>
    where
        T: 'a + Copy + Send,
        Self: ParallelIterator<Item = &'a T>,
    {
        Copied::new(self)
    }

    /// Keeps the items for which `filter_op` returns true.
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// let odd: Vec<i32> = (0..10).into_par_iter().filter(|x| x % 2 == 1).collect();
    /// assert_eq!(odd, [1, 3, 5, 7, 9]);
    /// ```
    fn filter<P>(self, filter_op: P) -> Filter<Self, P>
    where
        P: Fn(&Self::Item) -> bool + Sync + Send,
    {
        Filter::new(self, filter_op)
    }

    /// Applies `filter_op` to every item and keeps the `Some` results.
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// let numbers: Vec<u32> = ["1", "x", "3"]
    ///     .par_iter()
    ///     .filter_map(|s| s.parse().ok())
    ///     .collect();
    /// assert_eq!(numbers, [1, 3]);
    /// ```
    fn filter_map<P, R>(self, filter_op: P) -> FilterMap<Self, P>
    where
        P: Fn(Self::Item) -> Option<R> + Sync + Send,
        R: Send,
    {
        FilterMap::new(self, filter_op)
    }

    /// Folds the items of each piece of work into one value, starting each piece from
    /// `identity()`, and yields those values: a parallel iterator of partial results, to be
    /// combined with `reduce`, `sum`, `collect`, ….
    ///
    /// How many values come out depends on how the work was split.
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// let total: u64 = (1..101u64)
    ///     .into_par_iter()
    ///     .fold(|| 0u64, |acc, x| acc + x)
    ///     .sum();
    /// assert_eq!(total, 5050);
    /// ```
    fn fold<T, ID, F>(self, identity: ID, fold_op: F) -> super::Fold<Self, ID, F>
    where
        F: Fn(T, Self::Item) -> T + Sync + Send,
        ID: Fn() -> T + Sync + Send,
        T: Send,
    {
        super::Fold::new(self, identity, fold_op)
    }

    /// Like [`fold`](ParallelIterator::fold), but each piece starts from a clone of `init`.
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// let words: Vec<String> = ["a", "b", "c"]
    ///     .par_iter()
    ///     .fold_with(String::new(), |mut acc, w| {
    ///         acc.push_str(w);
    ///         acc
    ///     })
    ///     .collect();
    /// assert_eq!(words.concat(), "abc");
    /// ```
    fn fold_with<F, T>(self, init: T, fold_op: F) -> super::FoldWith<Self, T, F>
    where
        F: Fn(T, Self::Item) -> T + Sync + Send,
        T: Send + Clone,
    {
        super::FoldWith::new(self, init, fold_op)
    }

    /// Like [`fold`](ParallelIterator::fold) with a fallible `fold_op` (returning `Option`,
    /// `Result`, `ControlFlow`, …): a piece stops at its first failure and yields it.
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// let partial_sums: Vec<Option<u8>> = (1..101u8)
    ///     .into_par_iter()
    ///     .with_min_len(50)
    ///     .try_fold(|| 0u8, |acc, x| acc.checked_add(x))
    ///     .collect();
    /// // Each piece of at least 50 of these numbers sums past 255, the largest u8.
    /// assert!(partial_sums.iter().all(Option::is_none));
    /// ```
    fn try_fold<T, R, ID, F>(self, identity: ID, fold_op: F) -> super::TryFold<Self, R, ID, F>
    where
        F: Fn(T, Self::Item) -> R + Sync + Send,
        ID: Fn() -> T + Sync + Send,
        R: super::try_trait::Try<Output = T> + Send,
    {
        super::TryFold::new(self, identity, fold_op)
    }

    /// Like [`try_fold`](ParallelIterator::try_fold), but each piece starts from a clone of
    /// `init`.
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// let parts: Vec<Result<u32, String>> = ["1", "2", "x"]
    ///     .par_iter()
    ///     .with_max_len(1)
    ///     .try_fold_with(0u32, |acc, s| s.parse::<u32>().map(|x| acc + x).map_err(|e| e.to_string()))
    ///     .collect();
    /// assert_eq!(parts, [Ok(1), Ok(2), Err("invalid digit found in string".to_string())]);
    /// ```
    fn try_fold_with<F, T, R>(self, init: T, fold_op: F) -> super::TryFoldWith<Self, R, F>
    where
        F: Fn(T, Self::Item) -> R + Sync + Send,
        R: super::try_trait::Try<Output = T> + Send,
        T: Clone + Send,
    {
        super::TryFoldWith::new(self, init, fold_op)
    }

    /// Calls `inspect_op` on a reference to every item as it passes, then passes the item
    /// on unchanged (for debugging or counting, say).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::atomic::{AtomicUsize, Ordering};
    /// use veda::prelude::*;
    ///
    /// let seen = AtomicUsize::new(0);
    /// let total: i32 = (1..5)
    ///     .into_par_iter()
    ///     .inspect(|_| {
    ///         seen.fetch_add(1, Ordering::Relaxed);
    ///     })
    ///     .sum();
    /// assert_eq!((total, seen.into_inner()), (10, 4));
    /// ```
    fn inspect<OP>(self, inspect_op: OP) -> super::Inspect<Self, OP>
    where
        OP: Fn(&Self::Item) + Sync + Send,
    {
        super::Inspect::new(self, inspect_op)
    }

    /// Calls `update_op` on a mutable reference to every item, then passes the changed item
    /// on.
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// let sorted: Vec<Vec<i32>> = vec![vec![3, 1], vec![2, 0]]
    ///     .into_par_iter()
    ///     .update(|v| v.sort())
    ///     .collect();
    /// assert_eq!(sorted, [[1, 3], [0, 2]]);
    /// ```
    fn update<F>(self, update_op: F) -> super::Update<Self, F>
    where
        F: Fn(&mut Self::Item) + Sync + Send,
    {
        super::Update::new(self, update_op)
    }

    /// Applies `map_op` to every item together with a mutable value: each piece of work
    /// gets its own clone of `init`, so `map_op` can reuse a buffer or a channel sender
    /// without locking.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::mpsc::channel;
    /// use veda::prelude::*;
    ///
    /// let (sender, receiver) = channel();
    /// let doubled: Vec<i32> = (0..5)
    ///     .into_par_iter()
    ///     .map_with(sender, |s, x| {
    ///         s.send(x).unwrap();
    ///         x * 2
    ///     })
    ///     .collect();
    /// let mut sent: Vec<i32> = receiver.iter().collect();
    /// sent.sort();
    /// assert_eq!((doubled, sent), (vec![0, 2, 4, 6, 8], vec![0, 1, 2, 3, 4]));
    /// ```
    fn map_with<F, T, R>(self, init: T, map_op: F) -> super::MapWith<Self, T, F>
    where
        F: Fn(&mut T, Self::Item) -> R + Sync + Send,
        T: Send + Clone,
        R: Send,
    {
        super::MapWith::new(self, init, map_op)
    }

    /// Applies `map_op` to every item together with a mutable value that `init()` makes
    /// once for each piece of work (for values that cannot be cloned, or are costly to
    /// share, such as a random number generator).
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// let labels: Vec<String> = (0..3)
    ///     .into_par_iter()
    ///     .map_init(String::new, |buffer, x| {
    ///         buffer.clear();
    ///         buffer.push_str("item ");
    ///         buffer.push_str(&x.to_string());
    ///         buffer.clone()
    ///     })
    ///     .collect();
    /// assert_eq!(labels, ["item 0", "item 1", "item 2"]);
    /// ```
    fn map_init<F, INIT, T, R>(self, init: INIT, map_op: F) -> super::MapInit<Self, INIT, F>
    where
        F: Fn(&mut T, Self::Item) -> R + Sync + Send,
        INIT: Fn() -> T + Sync + Send,
        R: Send,
    {
        super::MapInit::new(self, init, map_op)
    }

    /// Yields the items of `self`, then those of `chain`. The result is indexed when both
    /// sides are.
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// let both: Vec<i32> = (0..3).into_par_iter().chain(vec![7, 8]).collect();
    /// assert_eq!(both, [0, 1, 2, 7, 8]);
    /// ```
    fn chain<C>(self, chain: C) -> super::Chain<Self, C::Iter>
    where
        C: super::IntoParallelIterator<Item = Self::Item>,
    {
        super::Chain::new(self, chain.into_par_iter())
    }

    /// Maps every item to something that converts into a parallel iterator, and yields the
    /// items of all of them, in order. The inner iterators run in parallel too.
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// let all: Vec<u32> = (1..4u32).into_par_iter().flat_map(|n| 0..n).collect();
    /// assert_eq!(all, [0, 0, 1, 0, 1, 2]);
    /// ```
    fn flat_map<F, PI>(self, map_op: F) -> super::FlatMap<Self, F>
    where
        F: Fn(Self::Item) -> PI + Sync + Send,
        PI: super::IntoParallelIterator,
    {
        super::FlatMap::new(self, map_op)
    }

    /// Maps every item to a sequential iterator and yields the items of all of them, in
    /// order. Each inner iterator runs on one thread, which is often cheaper than
    /// [`flat_map`](ParallelIterator::flat_map) when they are small.
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// let words: Vec<&str> = ["a b", "c"].par_iter().flat_map_iter(|s| s.split(' ')).collect();
    /// assert_eq!(words, ["a", "b", "c"]);
    /// ```
    fn flat_map_iter<F, SI>(self, map_op: F) -> super::FlatMapIter<Self, F>
    where
        F: Fn(Self::Item) -> SI + Sync + Send,
        SI: IntoIterator<Item: Send>,
    {
        super::FlatMapIter::new(self, map_op)
    }

    /// Yields the items of every item, each converted into a parallel iterator.
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// let flat: Vec<i32> = vec![vec![1, 2], vec![], vec![3]].into_par_iter().flatten().collect();
    /// assert_eq!(flat, [1, 2, 3]);
    /// ```
    fn flatten(self) -> super::Flatten<Self>
    where
        Self::Item: super::IntoParallelIterator,
    {
        super::Flatten::new(self)
    }

    /// Yields the items of every item, each converted into a sequential iterator.
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// let flat: Vec<i32> = vec![vec![1, 2], vec![], vec![3]].into_par_iter().flatten_iter().collect();
    /// assert_eq!(flat, [1, 2, 3]);
    /// ```
    fn flatten_iter(self) -> super::FlattenIter<Self>
    where
        Self::Item: IntoIterator<Item: Send>,
    {
        super::FlattenIter::new(self)
    }

    /// Yields the values inside the `Some` items and stops at the first `None` seen. Items
    /// are processed in parallel, so values that come after the `None` in order may still
    /// have been yielded by other threads.
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// let values: Vec<i32> = (0..100)
    ///     .into_par_iter()
    ///     .map(|x| if x == 50 { None } else { Some(x) })
    ///     .while_some()
    ///     .collect();
    /// assert!(values.len() < 100 && !values.contains(&50));
    ///
    /// // On one thread the items come in order, so the result is the part before the `None`.
    /// let pool = veda::ThreadPoolBuilder::new().num_threads(1).build().unwrap();
    /// let prefix: Vec<i32> = pool.install(|| {
    ///     vec![Some(1), Some(2), None, Some(4)].into_par_iter().while_some().collect()
    /// });
    /// assert_eq!(prefix, [1, 2]);
    /// ```
    fn while_some<T>(self) -> super::WhileSome<Self>
    where
        Self: ParallelIterator<Item = Option<T>>,
        T: Send,
    {
        super::WhileSome::new(self)
    }

    /// Stops the other threads early once a closure panics on one: pieces of work not yet
    /// started are skipped, and the panic then goes on to the caller as usual.
    ///
    /// # Examples
    ///
    /// ```should_panic
    /// use veda::prelude::*;
    ///
    /// (0..1_000_000).into_par_iter().panic_fuse().for_each(|i| {
    ///     assert!(i != 10, "found ten");
    /// });
    /// ```
    fn panic_fuse(self) -> super::PanicFuse<Self> {
        super::PanicFuse::new(self)
    }

    /// Puts a clone of `element` between every two adjacent items.
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// let spaced: Vec<i32> = vec![1, 2, 3].into_par_iter().intersperse(0).collect();
    /// assert_eq!(spaced, [1, 0, 2, 0, 3]);
    /// ```
    fn intersperse(self, element: Self::Item) -> super::Intersperse<Self>
    where
        Self::Item: Clone,
    {
        super::Intersperse::new(self, element)
    }

    /// Keeps `n` of the items (all of them if there are fewer): whichever are reached first,
    /// not necessarily the first `n` in order.
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// let some: Vec<i32> = (0..100).into_par_iter().take_any(5).collect();
    /// assert_eq!(some.len(), 5);
    /// assert!(some.windows(2).all(|w| w[0] < w[1]));
    /// ```
    fn take_any(self, n: usize) -> super::TakeAny<Self> {
        super::TakeAny::new(self, n)
    }

    /// Leaves out `n` of the items (all of them if there are fewer): whichever are reached
    /// first, not necessarily the first `n` in order.
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// let rest: Vec<i32> = (0..100).into_par_iter().skip_any(95).collect();
    /// assert_eq!(rest.len(), 5);
    /// ```
    fn skip_any(self, n: usize) -> super::SkipAny<Self> {
        super::SkipAny::new(self, n)
    }

    /// Keeps items while `predicate` accepts them; once any item is refused, no more items
    /// are taken. Items are processed in parallel, so items after the refused one in order
    /// may have been taken already, and items before it may be missing.
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// let small: Vec<i32> = (0..100).into_par_iter().take_any_while(|&x| x < 50).collect();
    /// assert!(small.iter().all(|&x| x < 50));
    /// ```
    fn take_any_while<P>(self, predicate: P) -> super::TakeAnyWhile<Self, P>
    where
        P: Fn(&Self::Item) -> bool + Sync + Send,
    {
        super::TakeAnyWhile::new(self, predicate)
    }

    /// Leaves out items while `predicate` accepts them; once any item is refused, every
    /// later item is kept. Items are processed in parallel, so some accepted items may be
    /// kept and the order of skipping is not the items' order.
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// let large: Vec<i32> = (0..100).into_par_iter().skip_any_while(|&x| x < 50).collect();
    /// assert!((50..100).all(|x| large.contains(&x)));
    /// ```
    fn skip_any_while<P>(self, predicate: P) -> super::SkipAnyWhile<Self, P>
    where
        P: Fn(&Self::Item) -> bool + Sync + Send,
    {
        super::SkipAnyWhile::new(self, predicate)
    }

    /// Combines all items with `op`, starting each piece of work from `identity()`.
    ///
    /// `op` must be associative and `identity()` its neutral element, since the grouping of
    /// the combinations depends on how the work was split (the order of the items is kept).
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// let product = (1..11u64).into_par_iter().reduce(|| 1, |a, b| a * b);
    /// assert_eq!(product, 3_628_800);
    /// ```
    fn reduce<OP, ID>(self, identity: ID, op: OP) -> Self::Item
    where
        OP: Fn(Self::Item, Self::Item) -> Self::Item + Sync + Send,
        ID: Fn() -> Self::Item + Sync + Send,
    {
        reduce::reduce(self, &identity, &op)
    }

    /// Combines all items with `op`; `None` if there are none.
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// let longest = ["a", "abc", "ab"].par_iter().reduce_with(|a, b| if b.len() > a.len() { b } else { a });
    /// assert_eq!(longest, Some(&"abc"));
    /// ```
    fn reduce_with<OP>(self, op: OP) -> Option<Self::Item>
    where
        OP: Fn(Self::Item, Self::Item) -> Self::Item + Sync + Send,
    {
        self.map(Some).reduce(
            || None,
            |left, right| match (left, right) {
                (Some(left), Some(right)) => Some(op(left, right)),
                (left, None) => left,
                (None, right) => right,
            },
        )
    }

    /// Sums the items.
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// let total: u64 = (1..101u64).into_par_iter().sum();
    /// assert_eq!(total, 5050);
    /// ```
    fn sum<S>(self) -> S
    where
        S: Send + Sum<Self::Item> + Sum<S>,
    {
        sum::sum(self)
    }

    /// Multiplies the items.
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// let factorial: u64 = (1..11u64).into_par_iter().product();
    /// assert_eq!(factorial, 3_628_800);
    /// ```
    fn product<P>(self) -> P
    where
        P: Send + Product<Self::Item> + Product<P>,
    {
        product::product(self)
    }

    /// The smallest item (the first of equal smallest ones), or `None` if there are none.
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// assert_eq!([3, 1, 2].par_iter().min(), Some(&1));
    /// ```
    fn min(self) -> Option<Self::Item>
    where
        Self::Item: Ord,
    {
        self.reduce_with(std::cmp::min)
    }

    /// The largest item (the last of equal largest ones), or `None` if there are none.
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// assert_eq!([3, 1, 2].par_iter().max(), Some(&3));
    /// ```
    fn max(self) -> Option<Self::Item>
    where
        Self::Item: Ord,
    {
        self.reduce_with(std::cmp::max)
    }

    /// Gathers the items into a collection, keeping their order where the collection has one.
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// let squares: Vec<u32> = (0..5u32).into_par_iter().map(|x| x * x).collect();
    /// assert_eq!(squares, [0, 1, 4, 9, 16]);
    /// ```
    fn collect<C>(self) -> C
    where
        C: FromParallelIterator<Self::Item>,
    {
        C::from_par_iter(self)
    }

    /// Splits every pair and gathers the first halves into one collection and the second
    /// halves into another, in one pass.
    ///
    /// Each collection may be any [`ParallelExtend`](super::ParallelExtend) target, including another pair of
    /// collections for nested pairs.
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// let (numbers, squares): (Vec<u32>, Vec<u32>) =
    ///     (1..5u32).into_par_iter().map(|x| (x, x * x)).unzip();
    /// assert_eq!(numbers, [1, 2, 3, 4]);
    /// assert_eq!(squares, [1, 4, 9, 16]);
    /// ```
    fn unzip<A, B, FromA, FromB>(self) -> (FromA, FromB)
    where
        Self: ParallelIterator<Item = (A, B)>,
        FromA: Default + Send + super::ParallelExtend<A>,
        FromB: Default + Send + super::ParallelExtend<B>,
        A: Send,
        B: Send,
    {
        super::unzip::unzip(self)
    }

    /// Gathers the items for which `predicate` holds into the first collection and the
    /// others into the second, each keeping the items' order.
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// let (even, odd): (Vec<i32>, Vec<i32>) = (0..8).into_par_iter().partition(|x| x % 2 == 0);
    /// assert_eq!(even, [0, 2, 4, 6]);
    /// assert_eq!(odd, [1, 3, 5, 7]);
    /// ```
    fn partition<A, B, P>(self, predicate: P) -> (A, B)
    where
        A: Default + Send + super::ParallelExtend<Self::Item>,
        B: Default + Send + super::ParallelExtend<Self::Item>,
        P: Fn(&Self::Item) -> bool + Sync + Send,
    {
        super::unzip::partition(self, predicate)
    }

    /// Maps every item to [`Either`](super::Either) and gathers the `Left` values into the first collection
    /// and the `Right` values into the second.
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::iter::Either;
    /// use veda::prelude::*;
    ///
    /// let (numbers, words): (Vec<u32>, Vec<&str>) = ["1", "two", "3"]
    ///     .par_iter()
    ///     .partition_map(|s| match s.parse::<u32>() {
    ///         Ok(n) => Either::Left(n),
    ///         Err(_) => Either::Right(*s),
    ///     });
    /// assert_eq!(numbers, [1, 3]);
    /// assert_eq!(words, ["two"]);
    /// ```
    fn partition_map<A, B, P, L, R>(self, predicate: P) -> (A, B)
    where
        A: Default + Send + super::ParallelExtend<L>,
        B: Default + Send + super::ParallelExtend<R>,
        P: Fn(Self::Item) -> super::Either<L, R> + Sync + Send,
        L: Send,
        R: Send,
    {
        super::unzip::partition_map(self, predicate)
    }

    /// Gathers the items in order as a list of vectors, without joining them into one: each
    /// piece of work contributes its own vector (an iterator that knows its length
    /// contributes a single one). Empty vectors are left out.
    ///
    /// Useful when the items go on to a sequential consumer that does not need them in one
    /// place.
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// let pieces = (0..100).into_par_iter().filter(|x| x % 7 == 0).collect_vec_list();
    /// let flat: Vec<i32> = pieces.into_iter().flatten().collect();
    /// assert_eq!(flat, (0..100).filter(|x| x % 7 == 0).collect::<Vec<_>>());
    /// ```
    fn collect_vec_list(self) -> std::collections::LinkedList<Vec<Self::Item>> {
        super::extend::collect_pieces(self)
    }

    /// Runs the iterator into an unindexed consumer; the engine room of every consumer
    /// method (see [`plumbing`](super::plumbing)).
    fn drive_unindexed<C>(self, consumer: C) -> C::Result
    where
        C: UnindexedConsumer<Self::Item>;

    /// The exact number of items, if known without running the iterator.
    fn opt_len(&self) -> Option<usize> {
        None
    }
}
