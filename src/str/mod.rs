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

mod cut;
mod iters;
mod pattern;

pub use iters::{
    Bytes, CharIndices, Chars, EncodeUtf16, Lines, MatchIndices, Matches, Split,
    SplitAsciiWhitespace, SplitInclusive, SplitTerminator, SplitWhitespace,
};
use pattern::Pattern;

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
        Chars::new(self.as_parallel_string())
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
        CharIndices::new(self.as_parallel_string())
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
        Bytes::new(self.as_parallel_string())
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
        EncodeUtf16::new(self.as_parallel_string())
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
        Split::new(self.as_parallel_string(), separator)
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
        SplitInclusive::new(self.as_parallel_string(), separator)
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
        SplitTerminator::new(self.as_parallel_string(), terminator)
    }

    /// The lines (ended by `\n` or `\r\n`, which are left out), in parallel; like
    /// [`str::lines`], except that a last line with no `\n` also loses a trailing `\r`
    /// (`"a\r"` gives `["a"]`), as in Rayon.
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// let lines: Vec<&str> = "one\r\ntwo\n\nthree\n".par_lines().collect();
    /// assert_eq!(lines, ["one", "two", "", "three"]);
    /// ```
    fn par_lines(&self) -> Lines<'_> {
        Lines::new(self.as_parallel_string())
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
        SplitWhitespace::new(self.as_parallel_string())
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
        SplitAsciiWhitespace::new(self.as_parallel_string())
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
        Matches::new(self.as_parallel_string(), pattern)
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
        MatchIndices::new(self.as_parallel_string(), pattern)
    }
}

impl ParallelString for str {
    fn as_parallel_string(&self) -> &str {
        self
    }
}
