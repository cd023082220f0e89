//! Collecting `Option`s into `Option<C>` and `Result`s into `Result<C, E>`.
//!
//! The successful values are collected into `C` while a shared flag watches for a failure
//! (`None`, `Err`); once one is seen, every piece of work stops taking items, the partial
//! collection is dropped and the failure is returned. For `Result`, the error kept is the
//! first one recorded; on one thread that is the first in iteration order.

use super::FromParallelIterator;
use crate::iter::plumbing::{Consumer, Folder, UnindexedConsumer};
use crate::iter::{IntoParallelIterator, ParallelIterator};
use crate::sync::{AtomicUsize, Mutex, Ordering};

/// `Some` of every value, or `None` if any item is `None`.
///
/// # Examples
///
/// ```
/// use veda::prelude::*;
///
/// let all: Option<Vec<i32>> = (1..5).into_par_iter().map(Some).collect();
/// assert_eq!(all, Some(vec![1, 2, 3, 4]));
/// let gap: Option<Vec<i32>> = (1..5)
///     .into_par_iter()
///     .map(|x| if x == 3 { None } else { Some(x) })
///     .collect();
/// assert_eq!(gap, None);
/// ```
impl<C, T> FromParallelIterator<Option<T>> for Option<C>
where
    C: FromParallelIterator<T>,
    T: Send,
{
    fn from_par_iter<I>(par_iter: I) -> Self
    where
        I: IntoParallelIterator<Item = Option<T>>,
    {
        let failed = AtomicUsize::new(0);
        let collection = C::from_par_iter(UntilFailure {
            base: par_iter.into_par_iter(),
            success: &|item: Option<T>| item,
            failed: &failed,
        });
        if failed.load(Ordering::Relaxed) == 0 {
            Some(collection)
        } else {
            None
        }
    }
}

/// `Ok` of every value, or `Err` of an error if any item is an `Err`.
///
/// # Examples
///
/// ```
/// use veda::prelude::*;
///
/// let parsed: Result<Vec<u8>, _> = ["1", "2", "3"].par_iter().map(|s| s.parse::<u8>()).collect();
/// assert_eq!(parsed, Ok(vec![1, 2, 3]));
/// let failed: Result<Vec<u8>, _> = ["1", "x", "3"].par_iter().map(|s| s.parse::<u8>()).collect();
/// assert!(failed.is_err());
/// ```
impl<C, T, E> FromParallelIterator<Result<T, E>> for Result<C, E>
where
    C: FromParallelIterator<T>,
    T: Send,
    E: Send,
{
    fn from_par_iter<I>(par_iter: I) -> Self
    where
        I: IntoParallelIterator<Item = Result<T, E>>,
    {
        let failed = AtomicUsize::new(0);
        let error = Mutex::new(None);
        let success = |item: Result<T, E>| match item {
            Ok(value) => Some(value),
            Err(err) => {
                let mut slot = error.lock();
                if slot.is_none() {
                    *slot = Some(err);
                }
                None
            }
        };
        let collection = C::from_par_iter(UntilFailure {
            base: par_iter.into_par_iter(),
            success: &success,
            failed: &failed,
        });
        // The work is over: no other thread holds the lock any more.
        let error = error.lock().take();
        match error {
            Some(err) => Err(err),
            None => Ok(collection),
        }
    }
}

/// Yields `success(item)` for each item while it is `Some`; the first `None` raises
/// `failed` (non-zero), which stops every piece of work.
struct UntilFailure<'f, I, F> {
    base: I,
    success: &'f F,
    failed: &'f AtomicUsize,
}

impl<I, F, T> ParallelIterator for UntilFailure<'_, I, F>
where
    I: ParallelIterator,
    F: Fn(I::Item) -> Option<T> + Sync,
    T: Send,
{
    type Item = T;

    fn drive_unindexed<C>(self, consumer: C) -> C::Result
    where
        C: UnindexedConsumer<T>,
    {
        self.base.drive_unindexed(UntilFailureConsumer {
            base: consumer,
            success: self.success,
            failed: self.failed,
        })
    }
}

struct UntilFailureConsumer<'f, C, F> {
    base: C,
    success: &'f F,
    failed: &'f AtomicUsize,
}

fn has_failed(failed: &AtomicUsize) -> bool {
    failed.load(Ordering::Relaxed) != 0
}

impl<'f, T, U, C, F> Consumer<T> for UntilFailureConsumer<'f, C, F>
where
    C: Consumer<U>,
    F: Fn(T) -> Option<U> + Sync,
{
    type Folder = UntilFailureFolder<'f, C::Folder, F>;
    type Reducer = C::Reducer;
    type Result = C::Result;

    fn split_at(self, index: usize) -> (Self, Self, C::Reducer) {
        let (success, failed) = (self.success, self.failed);
        let (left, right, reducer) = self.base.split_at(index);
        let wrap = |base| UntilFailureConsumer {
            base,
            success,
            failed,
        };
        (wrap(left), wrap(right), reducer)
    }

    fn into_folder(self) -> Self::Folder {
        UntilFailureFolder {
            base: self.base.into_folder(),
            success: self.success,
            failed: self.failed,
        }
    }

    fn full(&self) -> bool {
        has_failed(self.failed) || self.base.full()
    }
}

impl<T, U, C, F> UnindexedConsumer<T> for UntilFailureConsumer<'_, C, F>
where
    C: UnindexedConsumer<U>,
    F: Fn(T) -> Option<U> + Sync,
{
    fn split_off_left(&self) -> Self {
        UntilFailureConsumer {
            base: self.base.split_off_left(),
            success: self.success,
            failed: self.failed,
        }
    }

    fn to_reducer(&self) -> C::Reducer {
        self.base.to_reducer()
    }
}

struct UntilFailureFolder<'f, C, F> {
    base: C,
    success: &'f F,
    failed: &'f AtomicUsize,
}

impl<T, U, C, F> Folder<T> for UntilFailureFolder<'_, C, F>
where
    C: Folder<U>,
    F: Fn(T) -> Option<U>,
{
    type Result = C::Result;

    fn consume(mut self, item: T) -> Self {
        match (self.success)(item) {
            Some(value) => self.base = self.base.consume(value),
            None => self.failed.store(1, Ordering::Relaxed),
        }
        self
    }

    fn complete(self) -> C::Result {
        self.base.complete()
    }

    fn full(&self) -> bool {
        has_failed(self.failed) || self.base.full()
    }
}
