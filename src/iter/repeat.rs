//! `repeat()` and `repeat_n()`: one element, cloned endlessly or a given number of times.

use super::plumbing::{
    bridge, bridge_unindexed, Consumer, Folder, Producer, ProducerCallback, UnindexedConsumer,
    UnindexedProducer,
};
use super::{IndexedParallelIterator, IntoParallelIterator, ParallelIterator, Zip};
use std::fmt;

/// An endless parallel iterator of clones of `element`, like `std::iter::repeat`.
///
/// Being endless, it can only be consumed by something that stops early
/// ([`find_any`](ParallelIterator::find_any), …), or be bounded first with
/// [`Repeat::take`] or [`Repeat::zip`].
///
/// # Examples
///
/// ```
/// use veda::prelude::*;
///
/// let pairs: Vec<(char, i32)> = veda::iter::repeat('x').zip(vec![1, 2, 3]).collect();
/// assert_eq!(pairs, [('x', 1), ('x', 2), ('x', 3)]);
/// ```
pub fn repeat<T: Clone + Send>(element: T) -> Repeat<T> {
    Repeat { element }
}

/// The endless iterator of clones; see [`repeat()`].
#[derive(Clone, Debug)]
pub struct Repeat<T> {
    element: T,
}

impl<T: Clone + Send> Repeat<T> {
    /// Bounds the iterator to `n` items, which makes it indexed.
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// let words: Vec<&str> = veda::iter::repeat("hi").take(2).collect();
    /// assert_eq!(words, ["hi", "hi"]);
    /// ```
    pub fn take(self, n: usize) -> RepeatN<T> {
        repeat_n(self.element, n)
    }

    /// Pairs a clone of the element with each item of `zip_op`.
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// let scaled: Vec<i32> = veda::iter::repeat(10).zip(0..3).map(|(k, x)| k * x).collect();
    /// assert_eq!(scaled, [0, 10, 20]);
    /// ```
    pub fn zip<Z>(self, zip_op: Z) -> Zip<RepeatN<T>, Z::Iter>
    where
        Z: IntoParallelIterator<Iter: IndexedParallelIterator>,
    {
        let other = zip_op.into_par_iter();
        let n = other.len();
        self.take(n).zip(other)
    }
}

impl<T: Clone + Send> ParallelIterator for Repeat<T> {
    type Item = T;

    fn drive_unindexed<C>(self, consumer: C) -> C::Result
    where
        C: UnindexedConsumer<T>,
    {
        bridge_unindexed(EndlessProducer(self.element), consumer)
    }
}

/// Splits into as many endless producers as the splitter asks for.
struct EndlessProducer<T>(T);

impl<T: Clone + Send> UnindexedProducer for EndlessProducer<T> {
    type Item = T;

    fn split(self) -> (Self, Option<Self>) {
        (EndlessProducer(self.0.clone()), Some(self))
    }

    fn fold_with<F: Folder<T>>(self, folder: F) -> F {
        folder.consume_iter(std::iter::repeat(self.0))
    }
}

/// A parallel iterator of `n` clones of `element`, like `std::iter::repeat_n` (the last
/// item is `element` itself, and with `n == 0` it is dropped at once).
///
/// # Examples
///
/// ```
/// use veda::prelude::*;
///
/// let zeros: Vec<u8> = veda::iter::repeat_n(0, 4).collect();
/// assert_eq!(zeros, [0, 0, 0, 0]);
/// ```
pub fn repeat_n<T: Clone + Send>(element: T, n: usize) -> RepeatN<T> {
    RepeatN {
        producer: Repeated::new(element, n),
    }
}

/// The old name of [`repeat_n()`].
#[deprecated(note = "use `repeat_n`")]
pub fn repeatn<T: Clone + Send>(element: T, n: usize) -> RepeatN<T> {
    repeat_n(element, n)
}

/// The iterator of `n` clones; see [`repeat_n()`].
#[derive(Clone)]
pub struct RepeatN<T> {
    producer: Repeated<T>,
}

impl<T: fmt::Debug> fmt::Debug for RepeatN<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut debug = f.debug_struct("RepeatN");
        debug.field("count", &self.producer.count);
        match &self.producer.element {
            Some(element) => debug.field("element", element).finish(),
            None => debug.finish_non_exhaustive(),
        }
    }
}

impl<T: Clone + Send> ParallelIterator for RepeatN<T> {
    type Item = T;

    fn drive_unindexed<C>(self, consumer: C) -> C::Result
    where
        C: UnindexedConsumer<T>,
    {
        bridge(self, consumer)
    }

    fn opt_len(&self) -> Option<usize> {
        Some(self.producer.count)
    }
}

impl<T: Clone + Send> IndexedParallelIterator for RepeatN<T> {
    fn drive<C: Consumer<T>>(self, consumer: C) -> C::Result {
        bridge(self, consumer)
    }

    fn len(&self) -> usize {
        self.producer.count
    }

    fn with_producer<CB: ProducerCallback<T>>(self, callback: CB) -> CB::Output {
        callback.callback(self.producer)
    }
}

/// `count` copies of an element: both the producer and its sequential iterator.
#[derive(Clone)]
struct Repeated<T> {
    /// `Some` exactly while `count > 0`; the last item moves it out instead of cloning.
    element: Option<T>,
    count: usize,
}

impl<T> Repeated<T> {
    fn new(element: T, count: usize) -> Self {
        Repeated {
            element: (count > 0).then_some(element),
            count,
        }
    }

    fn empty() -> Self {
        Repeated {
            element: None,
            count: 0,
        }
    }
}

impl<T: Clone> Iterator for Repeated<T> {
    type Item = T;

    fn next(&mut self) -> Option<T> {
        match self.count {
            0 => None,
            1 => {
                self.count = 0;
                self.element.take()
            }
            _ => {
                self.count -= 1;
                self.element.clone()
            }
        }
    }

    fn nth(&mut self, n: usize) -> Option<T> {
        if n >= self.count {
            self.count = 0;
            self.element = None;
            None
        } else {
            self.count -= n;
            self.next()
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.count, Some(self.count))
    }
}

impl<T: Clone> DoubleEndedIterator for Repeated<T> {
    fn next_back(&mut self) -> Option<T> {
        self.next()
    }

    fn nth_back(&mut self, n: usize) -> Option<T> {
        self.nth(n)
    }
}

impl<T: Clone> ExactSizeIterator for Repeated<T> {}

impl<T: Clone + Send> Producer for Repeated<T> {
    type Item = T;
    type IntoIter = Self;

    fn into_iter(self) -> Self {
        self
    }

    fn split_at(self, index: usize) -> (Self, Self) {
        assert!(index <= self.count, "split index out of bounds");
        let right_count = self.count - index;
        match self.element {
            Some(element) if index > 0 && right_count > 0 => (
                Repeated::new(element.clone(), index),
                Repeated::new(element, right_count),
            ),
            element if index > 0 => (
                Repeated {
                    element,
                    count: index,
                },
                Repeated::empty(),
            ),
            element => (
                Repeated::empty(),
                Repeated {
                    element,
                    count: right_count,
                },
            ),
        }
    }
}
