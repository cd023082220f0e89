//! `FromParallelIterator`: the targets of `collect`.
//!
//! Most collections are built by extending an empty one ([`ParallelExtend`]); boxed, shared
//! and counted slices, deques and heaps are converted from a `Vec` collected in place.
//! `Option` and `Result` collections live in [`fallible`].

mod fallible;

use super::{IntoParallelIterator, ParallelExtend, ParallelIterator};
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, BinaryHeap, HashMap, HashSet, LinkedList, VecDeque};
use std::ffi::{OsStr, OsString};
use std::hash::{BuildHasher, Hash};
use std::rc::Rc;
// Iterators exist only outside loom builds, where the facade's `Arc` is std's.
use crate::sync::Arc;

/// Builds a collection from a parallel iterator; what
/// [`collect`](super::ParallelIterator::collect) calls.
///
/// # Examples
///
/// ```
/// use veda::iter::FromParallelIterator;
/// use veda::prelude::*;
///
/// let squares = Vec::from_par_iter((0..4).into_par_iter().map(|x| x * x));
/// assert_eq!(squares, [0, 1, 4, 9]);
/// ```
pub trait FromParallelIterator<T>
where
    T: Send,
{
    /// Builds `Self` from the items of `par_iter`.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::collections::HashMap;
    /// use veda::iter::FromParallelIterator;
    /// use veda::prelude::*;
    ///
    /// let squares = HashMap::<u32, u32>::from_par_iter((0..4u32).into_par_iter().map(|x| (x, x * x)));
    /// assert_eq!(squares[&3], 9);
    /// ```
    fn from_par_iter<I>(par_iter: I) -> Self
    where
        I: IntoParallelIterator<Item = T>;
}

/// An empty collection extended with every item.
fn extend_default<C, I>(par_iter: I) -> C
where
    I: IntoParallelIterator,
    C: Default + ParallelExtend<I::Item>,
{
    let mut collection = C::default();
    collection.par_extend(par_iter);
    collection
}

impl<T: Send> FromParallelIterator<T> for Vec<T> {
    fn from_par_iter<I>(par_iter: I) -> Self
    where
        I: IntoParallelIterator<Item = T>,
    {
        extend_default(par_iter)
    }
}

impl<T: Send> FromParallelIterator<T> for Box<[T]> {
    fn from_par_iter<I>(par_iter: I) -> Self
    where
        I: IntoParallelIterator<Item = T>,
    {
        Vec::from_par_iter(par_iter).into_boxed_slice()
    }
}

impl<T: Send> FromParallelIterator<T> for Rc<[T]> {
    fn from_par_iter<I>(par_iter: I) -> Self
    where
        I: IntoParallelIterator<Item = T>,
    {
        Vec::from_par_iter(par_iter).into()
    }
}

impl<T: Send> FromParallelIterator<T> for Arc<[T]> {
    fn from_par_iter<I>(par_iter: I) -> Self
    where
        I: IntoParallelIterator<Item = T>,
    {
        Vec::from_par_iter(par_iter).into()
    }
}

impl<T: Send> FromParallelIterator<T> for VecDeque<T> {
    fn from_par_iter<I>(par_iter: I) -> Self
    where
        I: IntoParallelIterator<Item = T>,
    {
        Vec::from_par_iter(par_iter).into()
    }
}

/// The heap is built sequentially once all items are gathered.
impl<T: Ord + Send> FromParallelIterator<T> for BinaryHeap<T> {
    fn from_par_iter<I>(par_iter: I) -> Self
    where
        I: IntoParallelIterator<Item = T>,
    {
        Vec::from_par_iter(par_iter).into()
    }
}

impl<T: Send> FromParallelIterator<T> for LinkedList<T> {
    fn from_par_iter<I>(par_iter: I) -> Self
    where
        I: IntoParallelIterator<Item = T>,
    {
        extend_default(par_iter)
    }
}

/// A key that appears more than once keeps the value of its last pair, as with `collect`.
impl<K, V, S> FromParallelIterator<(K, V)> for HashMap<K, V, S>
where
    K: Eq + Hash + Send,
    V: Send,
    S: BuildHasher + Default + Send,
{
    fn from_par_iter<I>(par_iter: I) -> Self
    where
        I: IntoParallelIterator<Item = (K, V)>,
    {
        extend_default(par_iter)
    }
}

/// A key that appears more than once keeps the value of its last pair, as with `collect`.
impl<K, V> FromParallelIterator<(K, V)> for BTreeMap<K, V>
where
    K: Ord + Send,
    V: Send,
{
    fn from_par_iter<I>(par_iter: I) -> Self
    where
        I: IntoParallelIterator<Item = (K, V)>,
    {
        extend_default(par_iter)
    }
}

impl<V, S> FromParallelIterator<V> for HashSet<V, S>
where
    V: Eq + Hash + Send,
    S: BuildHasher + Default + Send,
{
    fn from_par_iter<I>(par_iter: I) -> Self
    where
        I: IntoParallelIterator<Item = V>,
    {
        extend_default(par_iter)
    }
}

impl<V: Send + Ord> FromParallelIterator<V> for BTreeSet<V> {
    fn from_par_iter<I>(par_iter: I) -> Self
    where
        I: IntoParallelIterator<Item = V>,
    {
        extend_default(par_iter)
    }
}

/// `String` and `Box<str>` from every item type that a `String` can be extended with.
macro_rules! string_targets {
    ($($item:ty $(, $lt:lifetime)?;)*) => {$(
        impl$(<$lt>)? FromParallelIterator<$item> for String {
            fn from_par_iter<I>(par_iter: I) -> Self
            where
                I: IntoParallelIterator<Item = $item>,
            {
                extend_default(par_iter)
            }
        }

        impl$(<$lt>)? FromParallelIterator<$item> for Box<str> {
            fn from_par_iter<I>(par_iter: I) -> Self
            where
                I: IntoParallelIterator<Item = $item>,
            {
                String::from_par_iter(par_iter).into_boxed_str()
            }
        }
    )*};
}

string_targets! {
    char;
    &'a char, 'a;
    &'a str, 'a;
    Cow<'a, str>, 'a;
    Box<str>;
    String;
}

impl<'a> FromParallelIterator<&'a OsStr> for OsString {
    fn from_par_iter<I>(par_iter: I) -> Self
    where
        I: IntoParallelIterator<Item = &'a OsStr>,
    {
        extend_default(par_iter)
    }
}

impl FromParallelIterator<OsString> for OsString {
    fn from_par_iter<I>(par_iter: I) -> Self
    where
        I: IntoParallelIterator<Item = OsString>,
    {
        extend_default(par_iter)
    }
}

impl<'a> FromParallelIterator<Cow<'a, OsStr>> for OsString {
    fn from_par_iter<I>(par_iter: I) -> Self
    where
        I: IntoParallelIterator<Item = Cow<'a, OsStr>>,
    {
        extend_default(par_iter)
    }
}

/// Always `Cow::Owned`: the owned form of `C` is collected.
///
/// # Examples
///
/// ```
/// use std::borrow::Cow;
/// use veda::prelude::*;
///
/// let digits: Cow<'_, [u8]> = (0..4u8).into_par_iter().collect();
/// assert!(matches!(digits, Cow::Owned(ref v) if v == &[0, 1, 2, 3]));
/// ```
impl<'a, C, T> FromParallelIterator<T> for Cow<'a, C>
where
    C: ToOwned<Owned: FromParallelIterator<T>> + ?Sized,
    T: Send,
{
    fn from_par_iter<I>(par_iter: I) -> Self
    where
        I: IntoParallelIterator<Item = T>,
    {
        Cow::Owned(C::Owned::from_par_iter(par_iter))
    }
}

/// Runs the iterator to its end. Mostly useful inside `Result<(), E>` or `Option<()>`, to
/// learn whether every item succeeded.
///
/// # Examples
///
/// ```
/// use veda::prelude::*;
///
/// let checked: Result<(), String> = (0..100)
///     .into_par_iter()
///     .map(|x| if x < 100 { Ok(()) } else { Err(format!("{x} is too big")) })
///     .collect();
/// assert_eq!(checked, Ok(()));
/// ```
impl FromParallelIterator<()> for () {
    fn from_par_iter<I>(par_iter: I) -> Self
    where
        I: IntoParallelIterator<Item = ()>,
    {
        par_iter.into_par_iter().for_each(|()| {});
    }
}
