//! The consumer and folder shared by `take_any`, `skip_any`, `take_any_while` and
//! `skip_any_while`: each of them splits the items, in whatever order pieces reach them, into
//! a prefix (the first `n` items, or the items before the predicate first refuses one) and the
//! rest, then keeps one side. A [`Prefix`] decides membership; [`PrefixConsumer`] keeps the
//! prefix when `TAKE` is true and the rest when it is false.

use super::plumbing::{Consumer, Folder, UnindexedConsumer};
use crate::sync::{AtomicBool, AtomicUsize, Ordering};

/// Decides, item by item, whether an item is part of the prefix; a shared handle that every
/// piece of one run copies.
pub(super) trait Prefix<T>: Copy + Send {
    /// Whether `item` is part of the prefix; counts it in if so.
    fn admit(&self, item: &T) -> bool;

    /// Whether the prefix is complete, so no later item can be admitted.
    fn closed(&self) -> bool;
}

/// A prefix of some `n` items, whichever come first: the counter holds how many more may be
/// admitted.
#[derive(Clone, Copy)]
pub(super) struct CountPrefix<'c>(pub(super) &'c AtomicUsize);

impl<T> Prefix<T> for CountPrefix<'_> {
    fn admit(&self, _item: &T) -> bool {
        self.0
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| n.checked_sub(1))
            .is_ok()
    }

    fn closed(&self) -> bool {
        self.0.load(Ordering::Relaxed) == 0
    }
}

/// A prefix of the items `predicate` accepts, until it refuses any: `open` is cleared once any
/// piece sees a refused item.
pub(super) struct WhilePrefix<'p, P> {
    pub(super) open: &'p AtomicBool,
    pub(super) predicate: &'p P,
}

impl<P> Clone for WhilePrefix<'_, P> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<P> Copy for WhilePrefix<'_, P> {}

impl<T, P> Prefix<T> for WhilePrefix<'_, P>
where
    P: Fn(&T) -> bool + Sync,
{
    fn admit(&self, item: &T) -> bool {
        if !self.open.load(Ordering::Relaxed) {
            false
        } else if (self.predicate)(item) {
            true
        } else {
            self.open.store(false, Ordering::Relaxed);
            false
        }
    }

    fn closed(&self) -> bool {
        !self.open.load(Ordering::Relaxed)
    }
}

/// Passes on to `base` the items of the prefix (`TAKE`) or the items after it (`!TAKE`).
pub(super) struct PrefixConsumer<C, G, const TAKE: bool> {
    base: C,
    prefix: G,
}

impl<C, G> PrefixConsumer<C, G, true> {
    /// Keeps the prefix.
    pub(super) fn take(base: C, prefix: G) -> Self {
        PrefixConsumer { base, prefix }
    }
}

impl<C, G> PrefixConsumer<C, G, false> {
    /// Leaves out the prefix.
    pub(super) fn skip(base: C, prefix: G) -> Self {
        PrefixConsumer { base, prefix }
    }
}

impl<T, C, G, const TAKE: bool> Consumer<T> for PrefixConsumer<C, G, TAKE>
where
    C: Consumer<T>,
    G: Prefix<T>,
{
    type Folder = PrefixFolder<C::Folder, G, TAKE>;
    type Reducer = C::Reducer;
    type Result = C::Result;

    fn split_at(self, index: usize) -> (Self, Self, C::Reducer) {
        let (left, right, reducer) = self.base.split_at(index);
        (
            PrefixConsumer { base: left, ..self },
            PrefixConsumer {
                base: right,
                ..self
            },
            reducer,
        )
    }

    fn into_folder(self) -> Self::Folder {
        PrefixFolder {
            base: self.base.into_folder(),
            prefix: self.prefix,
        }
    }

    fn full(&self) -> bool {
        (TAKE && self.prefix.closed()) || self.base.full()
    }
}

impl<T, C, G, const TAKE: bool> UnindexedConsumer<T> for PrefixConsumer<C, G, TAKE>
where
    C: UnindexedConsumer<T>,
    G: Prefix<T>,
{
    fn split_off_left(&self) -> Self {
        PrefixConsumer {
            base: self.base.split_off_left(),
            ..*self
        }
    }

    fn to_reducer(&self) -> C::Reducer {
        self.base.to_reducer()
    }
}

pub(super) struct PrefixFolder<F, G, const TAKE: bool> {
    base: F,
    prefix: G,
}

impl<T, F, G, const TAKE: bool> Folder<T> for PrefixFolder<F, G, TAKE>
where
    F: Folder<T>,
    G: Prefix<T>,
{
    type Result = F::Result;

    fn consume(mut self, item: T) -> Self {
        if self.prefix.admit(&item) == TAKE {
            self.base = self.base.consume(item);
        }
        self
    }

    fn consume_iter<I>(mut self, iter: I) -> Self
    where
        I: IntoIterator<Item = T>,
    {
        let prefix = self.prefix;
        let items = iter.into_iter();
        self.base = if TAKE {
            self.base
                .consume_iter(items.take_while(|item| prefix.admit(item)))
        } else {
            self.base
                .consume_iter(items.skip_while(|item| prefix.admit(item)))
        };
        self
    }

    fn complete(self) -> F::Result {
        self.base.complete()
    }

    fn full(&self) -> bool {
        (TAKE && self.prefix.closed()) || self.base.full()
    }
}
