//! Parallel iterators over string slices: [`ParallelString`] (`par_chars`, `par_split`,
//! `par_lines`, …), implemented for `str` and so reachable from `String`, `&str`,
//! `Box<str>` and `Cow<str>`.
//!
//! The string is cut near its middle, at a character boundary or at a separator, and each
//! piece is handled by the matching sequential `str` method, so every iterator yields the
//! same items, in the same order, as its sequential twin. None of them is indexed.
//!
//! Patterns (the `P` of `par_split` and friends) match one character at a time: a `char`,
//! a slice or array of `char`s (any of them), or a closure `Fn(char) -> bool`.
//!
//! # Examples
//!
//! ```
//! use veda::prelude::*;
//!
//! let text = "alpha,beta,,gamma";
//! let parts: Vec<&str> = text.par_split(',').collect();
//! assert_eq!(parts, ["alpha", "beta", "", "gamma"]);
//! assert_eq!(text.par_chars().filter(|c| *c == 'a').count(), 5);
//! ```

use crate::iter::plumbing::{bridge_unindexed, Folder, UnindexedConsumer, UnindexedProducer};
use crate::iter::ParallelIterator;
use std::fmt;

mod private {
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
}

use private::Pattern;

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

/// Parallel iterators over the characters, bytes and pieces of a string slice.
///
/// Implemented for `str`; `String`, `&str`, `Box<str>` and `Cow<str>` get it through
/// auto-deref.
///
/// # Examples
///
/// ```
/// use veda::prelude::*;
///
/// let words: Vec<&str> = "one two  three".par_split_whitespace().collect();
/// assert_eq!(words, ["one", "two", "three"]);
/// ```
pub trait ParallelString {
    /// The string slice to iterate over.
    fn as_parallel_string(&self) -> &str;

    /// The characters, in parallel; like [`str::chars`].
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// let upper: Vec<char> = "abc".par_chars().map(|c| c.to_ascii_uppercase()).collect();
    /// assert_eq!(upper, ['A', 'B', 'C']);
    /// ```
    fn par_chars(&self) -> Chars<'_> {
        Chars {
            chars: self.as_parallel_string(),
        }
    }

    /// The characters with their byte offsets, in parallel; like [`str::char_indices`].
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// let found: Vec<(usize, char)> = "aé!".par_char_indices().collect();
    /// assert_eq!(found, [(0, 'a'), (1, 'é'), (3, '!')]);
    /// ```
    fn par_char_indices(&self) -> CharIndices<'_> {
        CharIndices {
            chars: self.as_parallel_string(),
        }
    }

    /// The bytes, in parallel; like [`str::bytes`].
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// let total: u32 = "abc".par_bytes().map(u32::from).sum();
    /// assert_eq!(total, 97 + 98 + 99);
    /// ```
    fn par_bytes(&self) -> Bytes<'_> {
        Bytes {
            chars: self.as_parallel_string(),
        }
    }

    /// The UTF-16 code units, in parallel; like [`str::encode_utf16`].
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// let text = "a😀";
    /// let units: Vec<u16> = text.par_encode_utf16().collect();
    /// assert_eq!(units, text.encode_utf16().collect::<Vec<u16>>());
    /// ```
    fn par_encode_utf16(&self) -> EncodeUtf16<'_> {
        EncodeUtf16 {
            chars: self.as_parallel_string(),
        }
    }

    /// The substrings between matches of `separator`, in parallel; like [`str::split`].
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// let parts: Vec<&str> = "a-b_c".par_split(['-', '_']).collect();
    /// assert_eq!(parts, ["a", "b", "c"]);
    /// ```
    fn par_split<P: Pattern>(&self, separator: P) -> Split<'_, P> {
        Split {
            chars: self.as_parallel_string(),
            pattern: separator,
        }
    }

    /// The substrings each ending with a match of `separator` (the last may end without
    /// one), in parallel; like [`str::split_inclusive`].
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// let parts: Vec<&str> = "a\nb\nc".par_split_inclusive('\n').collect();
    /// assert_eq!(parts, ["a\n", "b\n", "c"]);
    /// ```
    fn par_split_inclusive<P: Pattern>(&self, separator: P) -> SplitInclusive<'_, P> {
        SplitInclusive {
            chars: self.as_parallel_string(),
            pattern: separator,
        }
    }

    /// The substrings before each match of `terminator`, in parallel, without the empty
    /// one a final terminator would leave; like [`str::split_terminator`].
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// let parts: Vec<&str> = "a;b;".par_split_terminator(';').collect();
    /// assert_eq!(parts, ["a", "b"]);
    /// ```
    fn par_split_terminator<P: Pattern>(&self, terminator: P) -> SplitTerminator<'_, P> {
        SplitTerminator {
            chars: self.as_parallel_string(),
            pattern: terminator,
        }
    }

    /// The lines (ended by `\n` or `\r\n`, which are left out), in parallel; like
    /// [`str::lines`].
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// let lines: Vec<&str> = "one\r\ntwo\n\nthree\n".par_lines().collect();
    /// assert_eq!(lines, ["one", "two", "", "three"]);
    /// ```
    fn par_lines(&self) -> Lines<'_> {
        Lines {
            chars: self.as_parallel_string(),
        }
    }

    /// The non-empty substrings between runs of Unicode whitespace, in parallel; like
    /// [`str::split_whitespace`].
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// let words: Vec<&str> = " a\u{2003}b\t c ".par_split_whitespace().collect();
    /// assert_eq!(words, ["a", "b", "c"]);
    /// ```
    fn par_split_whitespace(&self) -> SplitWhitespace<'_> {
        SplitWhitespace {
            chars: self.as_parallel_string(),
        }
    }

    /// The non-empty substrings between runs of ASCII whitespace, in parallel; like
    /// [`str::split_ascii_whitespace`].
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// let words: Vec<&str> = " a\u{2003}b\t c ".par_split_ascii_whitespace().collect();
    /// assert_eq!(words, ["a\u{2003}b", "c"]);
    /// ```
    fn par_split_ascii_whitespace(&self) -> SplitAsciiWhitespace<'_> {
        SplitAsciiWhitespace {
            chars: self.as_parallel_string(),
        }
    }

    /// The matches of `pattern`, in parallel; like [`str::matches`].
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// let digits: Vec<&str> = "a1b22c".par_matches(|c: char| c.is_ascii_digit()).collect();
    /// assert_eq!(digits, ["1", "2", "2"]);
    /// ```
    fn par_matches<P: Pattern>(&self, pattern: P) -> Matches<'_, P> {
        Matches {
            chars: self.as_parallel_string(),
            pattern,
        }
    }

    /// The matches of `pattern` with their byte offsets, in parallel; like
    /// [`str::match_indices`].
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// let found: Vec<(usize, &str)> = "é-x-".par_match_indices('-').collect();
    /// assert_eq!(found, [(2, "-"), (4, "-")]);
    /// ```
    fn par_match_indices<P: Pattern>(&self, pattern: P) -> MatchIndices<'_, P> {
        MatchIndices {
            chars: self.as_parallel_string(),
            pattern,
        }
    }
}

impl ParallelString for str {
    fn as_parallel_string(&self) -> &str {
        self
    }
}

/// How one kind of string iterator cuts its string and handles each piece.
trait Cutter<'ch>: Sync {
    /// The items yielded.
    type Item: Send;

    /// Where to cut `piece` into two, near its middle: the end of the left part and the
    /// start of the right part (equal unless a separator between them is dropped or kept
    /// in the left part). `None` if it cannot be cut.
    fn cut(&self, piece: &'ch str) -> Option<(usize, usize)>;

    /// Feeds the items of `piece` (starting at byte `offset` of the whole string; `last`
    /// if it ends the whole string) to `folder`.
    fn fold<F>(&self, piece: &'ch str, offset: usize, last: bool, folder: F) -> F
    where
        F: Folder<Self::Item>;
}

/// The first character boundary at or after the middle of `piece` (or before it, if the
/// only one after is the end); `None` if there is none strictly inside.
fn middle_boundary(piece: &str) -> Option<usize> {
    let mid = piece.len() / 2;
    if let Some(after) = (mid..piece.len()).find(|&i| piece.is_char_boundary(i)) {
        if after > 0 {
            return Some(after);
        }
    }
    (1..mid).rev().find(|&i| piece.is_char_boundary(i))
}

/// Where a separator near the middle of `piece` is, and its length in bytes: the first
/// one from the middle on, else the last one before.
fn middle_separator(
    piece: &str,
    find: impl Fn(&str) -> Option<usize>,
    rfind: impl Fn(&str) -> Option<usize>,
) -> Option<(usize, usize)> {
    let mid = middle_boundary(piece)?;
    let at = match find(&piece[mid..]) {
        Some(index) => mid + index,
        None => rfind(&piece[..mid])?,
    };
    let width = piece[at..].chars().next().map_or(0, char::len_utf8);
    Some((at, width))
}

/// The unindexed producer of every string iterator: a piece of the string and where it
/// sits.
struct StrProducer<'ch, 'c, K> {
    cutter: &'c K,
    piece: &'ch str,
    offset: usize,
    last: bool,
}

impl<'ch, K: Cutter<'ch>> UnindexedProducer for StrProducer<'ch, '_, K> {
    type Item = K::Item;

    fn split(self) -> (Self, Option<Self>) {
        match self.cutter.cut(self.piece) {
            Some((left_end, right_start)) => {
                let left = StrProducer {
                    cutter: self.cutter,
                    piece: &self.piece[..left_end],
                    offset: self.offset,
                    last: false,
                };
                let right = StrProducer {
                    cutter: self.cutter,
                    piece: &self.piece[right_start..],
                    offset: self.offset + right_start,
                    last: self.last,
                };
                (left, Some(right))
            }
            None => (self, None),
        }
    }

    fn fold_with<F>(self, folder: F) -> F
    where
        F: Folder<K::Item>,
    {
        self.cutter.fold(self.piece, self.offset, self.last, folder)
    }
}

/// Runs `cutter` over the whole of `chars`.
fn drive_str<'ch, K, C>(chars: &'ch str, cutter: &K, consumer: C) -> C::Result
where
    K: Cutter<'ch>,
    C: UnindexedConsumer<K::Item>,
{
    let producer = StrProducer {
        cutter,
        piece: chars,
        offset: 0,
        last: true,
    };
    bridge_unindexed(producer, consumer)
}

/// Defines a string iterator without a pattern: its struct, `ParallelIterator` impl and
/// `Cutter`.
macro_rules! plain_iterator {
    (
        $(#[$doc:meta])*
        $name:ident => $item:ty,
        cut: |$cp:ident| $cut:expr,
        fold: |$piece:ident, $offset:ident, $folder:ident| $fold:expr
    ) => {
        $(#[$doc])*
        #[derive(Clone, Debug)]
        pub struct $name<'ch> {
            chars: &'ch str,
        }

        impl<'ch> ParallelIterator for $name<'ch> {
            type Item = $item;

            fn drive_unindexed<C>(self, consumer: C) -> C::Result
            where
                C: UnindexedConsumer<$item>,
            {
                drive_str(self.chars, &self, consumer)
            }
        }

        impl<'ch> Cutter<'ch> for $name<'ch> {
            type Item = $item;

            fn cut(&self, $cp: &'ch str) -> Option<(usize, usize)> {
                $cut
            }

            fn fold<F>(&self, $piece: &'ch str, $offset: usize, _last: bool, $folder: F) -> F
            where
                F: Folder<$item>,
            {
                $fold
            }
        }
    };
}

/// Cuts at a character boundary near the middle.
fn cut_anywhere(piece: &str) -> Option<(usize, usize)> {
    middle_boundary(piece).map(|at| (at, at))
}

/// Cuts around a character matching `is_separator` near the middle, dropping it.
fn cut_dropping(piece: &str, is_separator: impl Fn(char) -> bool) -> Option<(usize, usize)> {
    let (at, width) =
        middle_separator(piece, |s| s.find(&is_separator), |s| s.rfind(&is_separator))?;
    Some((at, at + width))
}

plain_iterator! {
    /// A parallel iterator over the characters of a string; see
    /// [`ParallelString::par_chars`].
    Chars => char,
    cut: |piece| cut_anywhere(piece),
    fold: |piece, _offset, folder| folder.consume_iter(piece.chars())
}

plain_iterator! {
    /// A parallel iterator over the characters of a string with their byte offsets; see
    /// [`ParallelString::par_char_indices`].
    CharIndices => (usize, char),
    cut: |piece| cut_anywhere(piece),
    fold: |piece, offset, folder| {
        folder.consume_iter(piece.char_indices().map(|(index, c)| (offset + index, c)))
    }
}

plain_iterator! {
    /// A parallel iterator over the bytes of a string; see [`ParallelString::par_bytes`].
    Bytes => u8,
    cut: |piece| cut_anywhere(piece),
    fold: |piece, _offset, folder| folder.consume_iter(piece.bytes())
}

plain_iterator! {
    /// A parallel iterator over the UTF-16 code units of a string; see
    /// [`ParallelString::par_encode_utf16`].
    EncodeUtf16 => u16,
    cut: |piece| cut_anywhere(piece),
    fold: |piece, _offset, folder| folder.consume_iter(piece.encode_utf16())
}

plain_iterator! {
    /// A parallel iterator over the lines of a string; see [`ParallelString::par_lines`].
    Lines => &'ch str,
    cut: |piece| {
        // Keep the newline in the left part, which then ends a line of its own.
        let (at, _) = middle_separator(piece, |s| s.find('\n'), |s| s.rfind('\n'))?;
        Some((at + 1, at + 1))
    },
    fold: |piece, _offset, folder| folder.consume_iter(piece.lines())
}

plain_iterator! {
    /// A parallel iterator over the whitespace-separated words of a string; see
    /// [`ParallelString::par_split_whitespace`].
    SplitWhitespace => &'ch str,
    cut: |piece| cut_dropping(piece, char::is_whitespace),
    fold: |piece, _offset, folder| folder.consume_iter(piece.split_whitespace())
}

plain_iterator! {
    /// A parallel iterator over the ASCII-whitespace-separated words of a string; see
    /// [`ParallelString::par_split_ascii_whitespace`].
    SplitAsciiWhitespace => &'ch str,
    cut: |piece| cut_dropping(piece, |c: char| c.is_ascii_whitespace()),
    fold: |piece, _offset, folder| folder.consume_iter(piece.split_ascii_whitespace())
}

/// Defines a string iterator with a pattern: its struct, `Debug`, `ParallelIterator` impl
/// and `Cutter`.
macro_rules! pattern_iterator {
    (
        $(#[$doc:meta])*
        $name:ident => $item:ty,
        cut: |$self_:ident, $cp:ident| $cut:expr,
        fold: |$fself:ident, $piece:ident, $offset:ident, $last:ident, $folder:ident| $fold:expr
    ) => {
        $(#[$doc])*
        #[derive(Clone)]
        pub struct $name<'ch, P: Pattern> {
            chars: &'ch str,
            pattern: P,
        }

        impl<P: Pattern + fmt::Debug> fmt::Debug for $name<'_, P> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_struct(stringify!($name))
                    .field("chars", &self.chars)
                    .field("pattern", &self.pattern)
                    .finish()
            }
        }

        impl<'ch, P: Pattern> ParallelIterator for $name<'ch, P> {
            type Item = $item;

            fn drive_unindexed<C>(self, consumer: C) -> C::Result
            where
                C: UnindexedConsumer<$item>,
            {
                drive_str(self.chars, &self, consumer)
            }
        }

        impl<'ch, P: Pattern> Cutter<'ch> for $name<'ch, P> {
            type Item = $item;

            fn cut(&$self_, $cp: &'ch str) -> Option<(usize, usize)> {
                $cut
            }

            fn fold<F>(&$fself, $piece: &'ch str, $offset: usize, $last: bool, $folder: F) -> F
            where
                F: Folder<$item>,
            {
                $fold
            }
        }
    };
}

/// Where a match of `pattern` near the middle of `piece` is, with its width.
fn pattern_near_middle<P: Pattern>(piece: &str, pattern: &P) -> Option<(usize, usize)> {
    middle_separator(
        piece,
        |s| pattern.position_in(s),
        |s| pattern.last_position_in(s),
    )
}

pattern_iterator! {
    /// A parallel iterator over the substrings between matches of a pattern; see
    /// [`ParallelString::par_split`].
    Split => &'ch str,
    cut: |self, piece| {
        let (at, width) = pattern_near_middle(piece, &self.pattern)?;
        Some((at, at + width))
    },
    fold: |self, piece, _offset, _last, folder| self.pattern.fold_split(piece, false, folder)
}

pattern_iterator! {
    /// A parallel iterator over the substrings ended by matches of a pattern, each with
    /// its match; see [`ParallelString::par_split_inclusive`].
    SplitInclusive => &'ch str,
    cut: |self, piece| {
        let (at, width) = pattern_near_middle(piece, &self.pattern)?;
        Some((at + width, at + width))
    },
    fold: |self, piece, _offset, _last, folder| self.pattern.fold_split_inclusive(piece, folder)
}

pattern_iterator! {
    /// A parallel iterator over the substrings ended by matches of a pattern; see
    /// [`ParallelString::par_split_terminator`].
    SplitTerminator => &'ch str,
    cut: |self, piece| {
        let (at, width) = pattern_near_middle(piece, &self.pattern)?;
        Some((at, at + width))
    },
    fold: |self, piece, _offset, last, folder| self.pattern.fold_split(piece, last, folder)
}

pattern_iterator! {
    /// A parallel iterator over the matches of a pattern; see
    /// [`ParallelString::par_matches`].
    Matches => &'ch str,
    cut: |self, piece| cut_anywhere(piece),
    fold: |self, piece, _offset, _last, folder| self.pattern.fold_matches(piece, folder)
}

pattern_iterator! {
    /// A parallel iterator over the matches of a pattern with their byte offsets; see
    /// [`ParallelString::par_match_indices`].
    MatchIndices => (usize, &'ch str),
    cut: |self, piece| cut_anywhere(piece),
    fold: |self, piece, offset, _last, folder| {
        self.pattern.fold_match_indices(piece, offset, folder)
    }
}
