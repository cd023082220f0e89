//! The fine-grained join workloads that several benches run: a sum over a binary tree with a
//! join at every node, and Fibonacci with a join at every call. veda and rayon run the same
//! code written against each crate's `join`, chili runs it with `Scope::join`, and the
//! sequential versions give the baseline and the expected results.

/// Number of nodes in the tree of the tree-sum workload.
pub const TREE_NODES: usize = 1 << 20;
/// Argument of the fib workload.
pub const FIB_N: u32 = 30;

/// A heap-allocated binary tree node.
pub struct Node {
    value: u64,
    left: Option<Box<Node>>,
    right: Option<Box<Node>>,
}

impl Node {
    /// Builds a complete binary tree of `count` (at least 1) nodes holding `0..count`.
    ///
    /// The nodes are allocated in breadth-first order (node `i` has children `2i + 1` and
    /// `2i + 2`), so the tree lies in memory the same way for a traversal that visits the
    /// left child first (veda, rayon and the sequential baseline) and for one that visits
    /// the right child first (chili runs the second closure of a join first): the nodes a
    /// traversal meets in a row are neighbours in memory in either direction. A tree built
    /// depth-first would favour one direction, and with a tree larger than the caches that
    /// alone changes the time several fold.
    pub fn build(count: usize) -> Box<Node> {
        let mut slots: Vec<Option<Box<Node>>> = (0..count)
            .map(|index| {
                Some(Box::new(Node {
                    value: index as u64,
                    left: None,
                    right: None,
                }))
            })
            .collect();
        for index in (0..count).rev() {
            let mut child =
                |offset: usize| slots.get_mut(2 * index + offset).and_then(Option::take);
            let (left, right) = (child(1), child(2));
            let node = slots[index]
                .as_mut()
                .expect("children are taken after their parent");
            node.left = left;
            node.right = right;
        }
        slots[0].take().expect("the root is the first node")
    }
}

/// The sum of a tree of `nodes` nodes built from 0: `0 + 1 + … + (nodes - 1)`.
pub fn tree_sum_expected(nodes: usize) -> u64 {
    let nodes = nodes as u64;
    nodes * (nodes - 1) / 2
}

pub fn tree_sum_seq(node: &Node) -> u64 {
    node.value
        + node.left.as_deref().map_or(0, tree_sum_seq)
        + node.right.as_deref().map_or(0, tree_sum_seq)
}

pub fn fib_seq(n: u32) -> u64 {
    if n < 2 {
        return u64::from(n);
    }
    fib_seq(n - 1) + fib_seq(n - 2)
}

pub fn tree_sum_chili(node: &Node, s: &mut chili::Scope<'_>) -> u64 {
    let (left, right) = s.join(
        |s| node.left.as_deref().map_or(0, |n| tree_sum_chili(n, s)),
        |s| node.right.as_deref().map_or(0, |n| tree_sum_chili(n, s)),
    );
    node.value + left + right
}

pub fn fib_chili(n: u32, s: &mut chili::Scope<'_>) -> u64 {
    if n < 2 {
        return u64::from(n);
    }
    let (a, b) = s.join(|s| fib_chili(n - 1, s), |s| fib_chili(n - 2, s));
    a + b
}

/// Defines module `$module` with the join workloads written against the `join` of crate
/// `$runtime`, so that veda and rayon run exactly the same code.
macro_rules! rayon_api_join_workloads {
    ($module:ident, $runtime:ident) => {
        pub mod $module {
            use super::Node;

            /// Sums the tree with a join at every node.
            pub fn tree_sum(node: &Node) -> u64 {
                let (left, right) = $runtime::join(
                    || node.left.as_deref().map_or(0, tree_sum),
                    || node.right.as_deref().map_or(0, tree_sum),
                );
                node.value + left + right
            }

            /// Fibonacci with a join at every call.
            pub fn fib(n: u32) -> u64 {
                if n < 2 {
                    return u64::from(n);
                }
                let (a, b) = $runtime::join(|| fib(n - 1), || fib(n - 2));
                a + b
            }
        }
    };
}

rayon_api_join_workloads!(on_veda, veda);
rayon_api_join_workloads!(on_veda_telemetry_off, veda_telemetry_off);
rayon_api_join_workloads!(on_rayon, rayon);
