//! `ParallelExtend` for std's collections other than `Vec`.
//!
//! The items are gathered in parallel ([`collect_pieces`]); the collection then takes them in
//! order, sequentially, so that later items replace earlier ones exactly as with `Extend`.
//! The `&T` (and `(&K, &V)`) impls copy the items first.

use super::{collect_pieces, total_len, ParallelExtend, PiecesConsumer};
use crate::iter::{IntoParallelIterator, ParallelIterator};
use std::collections::{BTreeMap, BTreeSet, BinaryHeap, HashMap, HashSet, LinkedList, VecDeque};
use std::hash::{BuildHasher, Hash};

impl<T: Send> ParallelExtend<T> for VecDeque<T> {
    fn par_extend<I>(&mut self, par_iter: I)
    where
        I: IntoParallelIterator<Item = T>,
    {
        let pieces = collect_pieces(par_iter);
        self.reserve(total_len(&pieces));
        pieces.into_iter().for_each(|piece| self.extend(piece));
    }
}

impl<'a, T> ParallelExtend<&'a T> for VecDeque<T>
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

/// Each piece of work builds its own list; the lists are then linked together.
impl<T: Send> ParallelExtend<T> for LinkedList<T> {
    fn par_extend<I>(&mut self, par_iter: I)
    where
        I: IntoParallelIterator<Item = T>,
    {
        let pieces: LinkedList<LinkedList<T>> = par_iter
            .into_par_iter()
            .drive_unindexed(PiecesConsumer::new());
        for mut piece in pieces {
            self.append(&mut piece);
        }
    }
}

impl<'a, T> ParallelExtend<&'a T> for LinkedList<T>
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

/// The heap order is restored sequentially as the gathered items are pushed.
impl<T: Ord + Send> ParallelExtend<T> for BinaryHeap<T> {
    fn par_extend<I>(&mut self, par_iter: I)
    where
        I: IntoParallelIterator<Item = T>,
    {
        let pieces = collect_pieces(par_iter);
        self.reserve(total_len(&pieces));
        pieces.into_iter().for_each(|piece| self.extend(piece));
    }
}

impl<'a, T> ParallelExtend<&'a T> for BinaryHeap<T>
where
    T: 'a + Copy + Ord + Send + Sync,
{
    fn par_extend<I>(&mut self, par_iter: I)
    where
        I: IntoParallelIterator<Item = &'a T>,
    {
        self.par_extend(par_iter.into_par_iter().copied());
    }
}

/// A key that appears more than once keeps the value of its last pair, as with `Extend`.
impl<K, V, S> ParallelExtend<(K, V)> for HashMap<K, V, S>
where
    K: Eq + Hash + Send,
    V: Send,
    S: BuildHasher + Send,
{
    fn par_extend<I>(&mut self, par_iter: I)
    where
        I: IntoParallelIterator<Item = (K, V)>,
    {
        let pieces = collect_pieces(par_iter);
        self.reserve(total_len(&pieces));
        pieces.into_iter().for_each(|piece| self.extend(piece));
    }
}

impl<'a, K, V, S> ParallelExtend<(&'a K, &'a V)> for HashMap<K, V, S>
where
    K: 'a + Copy + Eq + Hash + Send + Sync,
    V: 'a + Copy + Send + Sync,
    S: BuildHasher + Send,
{
    fn par_extend<I>(&mut self, par_iter: I)
    where
        I: IntoParallelIterator<Item = (&'a K, &'a V)>,
    {
        self.par_extend(par_iter.into_par_iter().map(|(&key, &value)| (key, value)));
    }
}

/// A key that appears more than once keeps the value of its last pair, as with `Extend`.
impl<K, V> ParallelExtend<(K, V)> for BTreeMap<K, V>
where
    K: Ord + Send,
    V: Send,
{
    fn par_extend<I>(&mut self, par_iter: I)
    where
        I: IntoParallelIterator<Item = (K, V)>,
    {
        collect_pieces(par_iter)
            .into_iter()
            .for_each(|piece| self.extend(piece));
    }
}

impl<'a, K, V> ParallelExtend<(&'a K, &'a V)> for BTreeMap<K, V>
where
    K: 'a + Copy + Ord + Send + Sync,
    V: 'a + Copy + Send + Sync,
{
    fn par_extend<I>(&mut self, par_iter: I)
    where
        I: IntoParallelIterator<Item = (&'a K, &'a V)>,
    {
        self.par_extend(par_iter.into_par_iter().map(|(&key, &value)| (key, value)));
    }
}

impl<T, S> ParallelExtend<T> for HashSet<T, S>
where
    T: Eq + Hash + Send,
    S: BuildHasher + Send,
{
    fn par_extend<I>(&mut self, par_iter: I)
    where
        I: IntoParallelIterator<Item = T>,
    {
        let pieces = collect_pieces(par_iter);
        self.reserve(total_len(&pieces));
        pieces.into_iter().for_each(|piece| self.extend(piece));
    }
}

impl<'a, T, S> ParallelExtend<&'a T> for HashSet<T, S>
where
    T: 'a + Copy + Eq + Hash + Send + Sync,
    S: BuildHasher + Send,
{
    fn par_extend<I>(&mut self, par_iter: I)
    where
        I: IntoParallelIterator<Item = &'a T>,
    {
        self.par_extend(par_iter.into_par_iter().copied());
    }
}

impl<T: Ord + Send> ParallelExtend<T> for BTreeSet<T> {
    fn par_extend<I>(&mut self, par_iter: I)
    where
        I: IntoParallelIterator<Item = T>,
    {
        collect_pieces(par_iter)
            .into_iter()
            .for_each(|piece| self.extend(piece));
    }
}

impl<'a, T> ParallelExtend<&'a T> for BTreeSet<T>
where
    T: 'a + Copy + Ord + Send + Sync,
{
    fn par_extend<I>(&mut self, par_iter: I)
    where
        I: IntoParallelIterator<Item = &'a T>,
    {
        self.par_extend(par_iter.into_par_iter().copied());
    }
}
