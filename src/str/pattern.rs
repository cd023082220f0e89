//! The sealed `Pattern` trait of `par_split` and friends, and its implementations for
//! single-character patterns (each forwards to the matching std pattern).

use crate::iter::plumbing::Folder;

/// What `par_split` and friends accept as a pattern (sealed: implemented in this
/// module only, for single-character patterns).
#[allow(unreachable_pub)] // appears in public bounds, unnameable outside, as in Rayon
pub trait Pattern: Sized + Sync + Send {
    /// The byte offset of the first match in `haystack`.
    fn position_in(&self, haystack: &str) -> Option<usize>;

    /// The byte offset of the last match in `haystack`.
    fn last_position_in(&self, haystack: &str) -> Option<usize>;

    /// Feeds `haystack.split(self)` to `folder`, or `split_terminator` when
    /// `terminated`.
    fn fold_split<'ch, F>(&self, haystack: &'ch str, terminated: bool, folder: F) -> F
    where
        F: Folder<&'ch str>;

    /// Feeds `haystack.split_inclusive(self)` to `folder`.
    fn fold_split_inclusive<'ch, F>(&self, haystack: &'ch str, folder: F) -> F
    where
        F: Folder<&'ch str>;

    /// Feeds `haystack.matches(self)` to `folder`.
    fn fold_matches<'ch, F>(&self, haystack: &'ch str, folder: F) -> F
    where
        F: Folder<&'ch str>;

    /// Feeds `haystack.match_indices(self)`, with `offset` added to each index.
    fn fold_match_indices<'ch, F>(&self, haystack: &'ch str, offset: usize, folder: F) -> F
    where
        F: Folder<(usize, &'ch str)>;
}

/// Implements `Pattern` for a type whose values (read through `$as_std`) are std patterns.
macro_rules! std_pattern {
    ([$($gen:tt)*] $t:ty, |$p:ident| $as_std:expr) => {
        impl<$($gen)*> Pattern for $t {
            fn position_in(&self, haystack: &str) -> Option<usize> {
                let $p = self;
                haystack.find($as_std)
            }

            fn last_position_in(&self, haystack: &str) -> Option<usize> {
                let $p = self;
                haystack.rfind($as_std)
            }

            fn fold_split<'ch, F>(&self, haystack: &'ch str, terminated: bool, folder: F) -> F
            where
                F: Folder<&'ch str>,
            {
                let $p = self;
                if terminated {
                    folder.consume_iter(haystack.split_terminator($as_std))
                } else {
                    folder.consume_iter(haystack.split($as_std))
                }
            }

            fn fold_split_inclusive<'ch, F>(&self, haystack: &'ch str, folder: F) -> F
            where
                F: Folder<&'ch str>,
            {
                let $p = self;
                folder.consume_iter(haystack.split_inclusive($as_std))
            }

            fn fold_matches<'ch, F>(&self, haystack: &'ch str, folder: F) -> F
            where
                F: Folder<&'ch str>,
            {
                let $p = self;
                folder.consume_iter(haystack.matches($as_std))
            }

            fn fold_match_indices<'ch, F>(
                &self,
                haystack: &'ch str,
                offset: usize,
                folder: F,
            ) -> F
            where
                F: Folder<(usize, &'ch str)>,
            {
                let $p = self;
                let found = haystack.match_indices($as_std);
                folder.consume_iter(found.map(|(index, m)| (offset + index, m)))
            }
        }
    };
}

std_pattern! { [] char, |p| *p }
std_pattern! { [] &[char], |p| *p }
std_pattern! { [const N: usize] [char; N], |p| *p }
std_pattern! { [const N: usize] &[char; N], |p| *p }
std_pattern! { [FN: Fn(char) -> bool + Sync + Send] FN, |p| p }
