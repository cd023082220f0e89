//! `walk_tree_prefix()`, `walk_tree_postfix()` and `walk_tree()`: parallel iterators over
//! the nodes of a tree that is discovered on the way, from a root and a function that gives
//! the children of a node.
//!
//! A producer holds the roots of the subtrees it still has to walk plus nodes already
//! visited; splitting expands single subtrees until there are several, then gives half of
//! them away, so that the items keep the order of a sequential walk.

use super::plumbing::{bridge_unindexed, Folder, UnindexedConsumer, UnindexedProducer};
use super::ParallelIterator;
use std::fmt;

/// Walks the tree under `root` in prefix order: every node comes before its children, and
/// children come in the order `children_of` gives them.
///
/// The order is that of the items (what `collect` or `find_first` see); the work itself is
/// spread over threads, best when the tree is balanced.
///
/// # Examples
///
/// ```text
///      1
///     / \
///    2   5
///   / \
///  3   4
/// ```
///
/// ```
/// use veda::prelude::*;
///
/// let order: Vec<u32> = veda::iter::walk_tree_prefix(1u32, |&n| match n {
///     1 => vec![2, 5],
///     2 => vec![3, 4],
///     _ => vec![],
/// })
/// .collect();
/// assert_eq!(order, [1, 2, 3, 4, 5]);
/// ```
pub fn walk_tree_prefix<S, B, I>(root: S, children_of: B) -> WalkTreePrefix<S, B>
where
    S: Send,
    B: Fn(&S) -> I + Send + Sync,
    I: IntoIterator<Item = S, IntoIter: DoubleEndedIterator>,
{
    WalkTreePrefix { root, children_of }
}

/// Walks the tree under `root` in postfix order: every node comes after its children, and
/// children come in the order `children_of` gives them.
///
/// # Examples
///
/// ```
/// use veda::prelude::*;
///
/// let order: Vec<u32> = veda::iter::walk_tree_postfix(1u32, |&n| match n {
///     1 => vec![2, 5],
///     2 => vec![3, 4],
///     _ => vec![],
/// })
/// .collect();
/// assert_eq!(order, [3, 4, 2, 5, 1]);
/// ```
pub fn walk_tree_postfix<S, B, I>(root: S, children_of: B) -> WalkTreePostfix<S, B>
where
    S: Send,
    B: Fn(&S) -> I + Send + Sync,
    I: IntoIterator<Item = S>,
{
    WalkTreePostfix { root, children_of }
}

/// Walks the tree under `root` in whatever order is fastest: use it when the order of the
/// items does not matter.
///
/// # Examples
///
/// ```
/// use veda::prelude::*;
///
/// // The tree of the divisions of 12 into halves: 12, 6, 6, 3, 3, 3, 3.
/// let nodes = veda::iter::walk_tree(12u32, |&n| if n % 2 == 0 { vec![n / 2, n / 2] } else { vec![] });
/// assert_eq!(nodes.sum::<u32>(), 36);
/// ```
pub fn walk_tree<S, B, I>(root: S, children_of: B) -> WalkTree<S, B>
where
    S: Send,
    B: Fn(&S) -> I + Send + Sync,
    I: IntoIterator<Item = S, IntoIter: DoubleEndedIterator>,
{
    WalkTree(walk_tree_prefix(root, children_of))
}

/// The prefix-order tree walk; see [`walk_tree_prefix()`].
pub struct WalkTreePrefix<S, B> {
    root: S,
    children_of: B,
}

/// The postfix-order tree walk; see [`walk_tree_postfix()`].
pub struct WalkTreePostfix<S, B> {
    root: S,
    children_of: B,
}

/// The tree walk in no particular order; see [`walk_tree()`].
pub struct WalkTree<S, B>(WalkTreePrefix<S, B>);

impl<S: fmt::Debug, B> fmt::Debug for WalkTree<S, B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("WalkTree").field(&self.0).finish()
    }
}

impl<S: fmt::Debug, B> fmt::Debug for WalkTreePrefix<S, B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WalkTreePrefix")
            .field("root", &self.root)
            .finish_non_exhaustive()
    }
}

impl<S: fmt::Debug, B> fmt::Debug for WalkTreePostfix<S, B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WalkTreePostfix")
            .field("root", &self.root)
            .finish_non_exhaustive()
    }
}

impl<S, B, I> ParallelIterator for WalkTreePrefix<S, B>
where
    S: Send,
    B: Fn(&S) -> I + Send + Sync,
    I: IntoIterator<Item = S, IntoIter: DoubleEndedIterator>,
{
    type Item = S;

    fn drive_unindexed<C>(self, consumer: C) -> C::Result
    where
        C: UnindexedConsumer<S>,
    {
        let producer = PrefixProducer {
            visited: Vec::new(),
            pending: vec![self.root],
            children_of: &self.children_of,
        };
        bridge_unindexed(producer, consumer)
    }
}

impl<S, B, I> ParallelIterator for WalkTreePostfix<S, B>
where
    S: Send,
    B: Fn(&S) -> I + Send + Sync,
    I: IntoIterator<Item = S>,
{
    type Item = S;

    fn drive_unindexed<C>(self, consumer: C) -> C::Result
    where
        C: UnindexedConsumer<S>,
    {
        let producer = PostfixProducer {
            pending: vec![self.root],
            expanded: Vec::new(),
            children_of: &self.children_of,
        };
        bridge_unindexed(producer, consumer)
    }
}

impl<S, B, I> ParallelIterator for WalkTree<S, B>
where
    S: Send,
    B: Fn(&S) -> I + Send + Sync,
    I: IntoIterator<Item = S, IntoIter: DoubleEndedIterator> + Send,
{
    type Item = S;

    fn drive_unindexed<C>(self, consumer: C) -> C::Result
    where
        C: UnindexedConsumer<S>,
    {
        self.0.drive_unindexed(consumer)
    }
}

/// Splits `items` in two halves, keeping the first; `None` if there are fewer than two.
fn split_in_half<T>(items: &mut Vec<T>) -> Option<Vec<T>> {
    (items.len() >= 2).then(|| items.split_off(items.len() / 2))
}

/// A piece of a prefix walk: first `visited` in order, then the subtrees of `pending`, whose
/// last element is the first subtree (a stack).
struct PrefixProducer<'b, S, B> {
    visited: Vec<S>,
    pending: Vec<S>,
    children_of: &'b B,
}

impl<S, B, I> UnindexedProducer for PrefixProducer<'_, S, B>
where
    S: Send,
    B: Fn(&S) -> I + Sync,
    I: IntoIterator<Item = S, IntoIter: DoubleEndedIterator>,
{
    type Item = S;

    fn split(mut self) -> (Self, Option<Self>) {
        // A single subtree cannot be shared: visit its root until it has several children.
        while self.pending.len() == 1 {
            if let Some(node) = self.pending.pop() {
                self.pending
                    .extend((self.children_of)(&node).into_iter().rev());
                self.visited.push(node);
            }
        }
        let children_of = self.children_of;
        if let Some(first_subtrees) = split_in_half(&mut self.pending) {
            // The stack's tail holds the first subtrees: they stay on the left, after the
            // visited nodes; the later subtrees go right.
            let later_subtrees = std::mem::replace(&mut self.pending, first_subtrees);
            let right = PrefixProducer {
                visited: Vec::new(),
                pending: later_subtrees,
                children_of,
            };
            (self, Some(right))
        } else {
            let right = split_in_half(&mut self.visited).map(|visited| PrefixProducer {
                visited,
                pending: Vec::new(),
                children_of,
            });
            (self, right)
        }
    }

    fn fold_with<F: Folder<S>>(mut self, folder: F) -> F {
        let mut folder = folder.consume_iter(self.visited);
        while let Some(node) = self.pending.pop() {
            if folder.full() {
                break;
            }
            self.pending
                .extend((self.children_of)(&node).into_iter().rev());
            folder = folder.consume(node);
        }
        folder
    }
}

/// A piece of a postfix walk: first the subtrees of `pending` in order, then the nodes of
/// `expanded` (ancestors whose other descendants are elsewhere) from the last to the first.
struct PostfixProducer<'b, S, B> {
    pending: Vec<S>,
    expanded: Vec<S>,
    children_of: &'b B,
}

impl<S, B, I> UnindexedProducer for PostfixProducer<'_, S, B>
where
    S: Send,
    B: Fn(&S) -> I + Sync,
    I: IntoIterator<Item = S>,
{
    type Item = S;

    fn split(mut self) -> (Self, Option<Self>) {
        while self.pending.len() == 1 {
            if let Some(node) = self.pending.pop() {
                self.pending.extend((self.children_of)(&node));
                self.expanded.push(node);
            }
        }
        let children_of = self.children_of;
        if let Some(later_subtrees) = split_in_half(&mut self.pending) {
            // The ancestors come after every subtree, so they go right with the later ones.
            let right = PostfixProducer {
                pending: later_subtrees,
                expanded: std::mem::take(&mut self.expanded),
                children_of,
            };
            (self, Some(right))
        } else {
            // `expanded` is consumed from its end: the deeper half stays on the left.
            let right = split_in_half(&mut self.expanded).map(|deeper| {
                let shallower = std::mem::replace(&mut self.expanded, deeper);
                PostfixProducer {
                    pending: Vec::new(),
                    expanded: shallower,
                    children_of,
                }
            });
            (self, right)
        }
    }

    fn fold_with<F: Folder<S>>(self, mut folder: F) -> F {
        for subtree in self.pending {
            folder = walk_postfix(self.children_of, subtree, folder);
            if folder.full() {
                return folder;
            }
        }
        folder.consume_iter(self.expanded.into_iter().rev())
    }
}

/// Feeds the subtree under `root` to `folder` in postfix order, with an explicit stack so
/// that deep trees cannot overflow the thread's stack.
fn walk_postfix<S, B, I, F>(children_of: &B, root: S, mut folder: F) -> F
where
    B: Fn(&S) -> I,
    I: IntoIterator<Item = S>,
    F: Folder<S>,
{
    let children = children_of(&root).into_iter();
    let mut stack = vec![(root, children)];
    loop {
        let next_child = match stack.last_mut() {
            Some((_, children)) => children.next(),
            None => return folder,
        };
        match next_child {
            Some(child) => {
                let grandchildren = children_of(&child).into_iter();
                stack.push((child, grandchildren));
            }
            None => {
                if let Some((node, _)) = stack.pop() {
                    folder = folder.consume(node);
                    if folder.full() {
                        return folder;
                    }
                }
            }
        }
    }
}
