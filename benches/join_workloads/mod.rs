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
    /// Builds a balanced tree of `count` (at least 1) nodes holding `first..first + count`.
    pub fn build(first: u64, count: usize) -> Box<Node> {
        let left_count = (count - 1) / 2;
        let right_count = count - 1 - left_count;
        Box::new(Node {
            value: first,
            left: (left_count > 0).then(|| Node::build(first + 1, left_count)),
            right: (right_count > 0)
                .then(|| Node::build(first + 1 + left_count as u64, right_count)),
        })
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
rayon_api_join_workloads!(on_rayon, rayon);
