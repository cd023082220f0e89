//! The structs of the string iterators, one per `ParallelString` method; each is a
//! [`Cutter`] run by [`drive_str`].

use super::cut::{cut_anywhere, cut_dropping, drive_str, middle_separator, Cutter};
use super::pattern::Pattern;
use crate::iter::plumbing::{Folder, UnindexedConsumer};
use crate::iter::ParallelIterator;
use std::fmt;

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

        impl<'ch> $name<'ch> {
            pub(super) fn new(chars: &'ch str) -> Self {
                $name { chars }
            }
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

plain_iterator! {
    /// A parallel iterator over the characters of a string; see
    /// [`ParallelString::par_chars`](crate::str::ParallelString::par_chars).
    Chars => char,
    cut: |piece| cut_anywhere(piece),
    fold: |piece, _offset, folder| folder.consume_iter(piece.chars())
}

plain_iterator! {
    /// A parallel iterator over the characters of a string with their byte offsets; see
    /// [`ParallelString::par_char_indices`](crate::str::ParallelString::par_char_indices).
    CharIndices => (usize, char),
    cut: |piece| cut_anywhere(piece),
    fold: |piece, offset, folder| {
        folder.consume_iter(piece.char_indices().map(|(index, c)| (offset + index, c)))
    }
}

plain_iterator! {
    /// A parallel iterator over the bytes of a string; see [`ParallelString::par_bytes`](crate::str::ParallelString::par_bytes).
    Bytes => u8,
    cut: |piece| cut_anywhere(piece),
    fold: |piece, _offset, folder| folder.consume_iter(piece.bytes())
}

plain_iterator! {
    /// A parallel iterator over the UTF-16 code units of a string; see
    /// [`ParallelString::par_encode_utf16`](crate::str::ParallelString::par_encode_utf16).
    EncodeUtf16 => u16,
    cut: |piece| cut_anywhere(piece),
    fold: |piece, _offset, folder| folder.consume_iter(piece.encode_utf16())
}

plain_iterator! {
    /// A parallel iterator over the lines of a string; see [`ParallelString::par_lines`](crate::str::ParallelString::par_lines).
    Lines => &'ch str,
    cut: |piece| {
        // Keep the newline in the left part, which then ends a line of its own.
        let (at, _) = middle_separator(piece, |s| s.find('\n'), |s| s.rfind('\n'))?;
        Some((at + 1, at + 1))
    },
    // As in Rayon, a line is what `split_terminator('\n')` yields, less one trailing `\r`:
    // unlike `str::lines`, a last line without `\n` loses a trailing `\r` too.
    fold: |piece, _offset, folder| {
        let lines = piece.split_terminator('\n');
        folder.consume_iter(lines.map(|line| line.strip_suffix('\r').unwrap_or(line)))
    }
}

plain_iterator! {
    /// A parallel iterator over the whitespace-separated words of a string; see
    /// [`ParallelString::par_split_whitespace`](crate::str::ParallelString::par_split_whitespace).
    SplitWhitespace => &'ch str,
    cut: |piece| cut_dropping(piece, char::is_whitespace),
    fold: |piece, _offset, folder| folder.consume_iter(piece.split_whitespace())
}

plain_iterator! {
    /// A parallel iterator over the ASCII-whitespace-separated words of a string; see
    /// [`ParallelString::par_split_ascii_whitespace`](crate::str::ParallelString::par_split_ascii_whitespace).
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

        impl<'ch, P: Pattern> $name<'ch, P> {
            pub(super) fn new(chars: &'ch str, pattern: P) -> Self {
                $name { chars, pattern }
            }
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
    /// [`ParallelString::par_split`](crate::str::ParallelString::par_split).
    Split => &'ch str,
    cut: |self, piece| {
        let (at, width) = pattern_near_middle(piece, &self.pattern)?;
        Some((at, at + width))
    },
    fold: |self, piece, _offset, _last, folder| self.pattern.fold_split(piece, false, folder)
}

pattern_iterator! {
    /// A parallel iterator over the substrings ended by matches of a pattern, each with
    /// its match; see [`ParallelString::par_split_inclusive`](crate::str::ParallelString::par_split_inclusive).
    SplitInclusive => &'ch str,
    cut: |self, piece| {
        let (at, width) = pattern_near_middle(piece, &self.pattern)?;
        Some((at + width, at + width))
    },
    fold: |self, piece, _offset, _last, folder| self.pattern.fold_split_inclusive(piece, folder)
}

pattern_iterator! {
    /// A parallel iterator over the substrings ended by matches of a pattern; see
    /// [`ParallelString::par_split_terminator`](crate::str::ParallelString::par_split_terminator).
    SplitTerminator => &'ch str,
    cut: |self, piece| {
        let (at, width) = pattern_near_middle(piece, &self.pattern)?;
        Some((at, at + width))
    },
    fold: |self, piece, _offset, last, folder| self.pattern.fold_split(piece, last, folder)
}

pattern_iterator! {
    /// A parallel iterator over the matches of a pattern; see
    /// [`ParallelString::par_matches`](crate::str::ParallelString::par_matches).
    Matches => &'ch str,
    cut: |self, piece| cut_anywhere(piece),
    fold: |self, piece, _offset, _last, folder| self.pattern.fold_matches(piece, folder)
}

pattern_iterator! {
    /// A parallel iterator over the matches of a pattern with their byte offsets; see
    /// [`ParallelString::par_match_indices`](crate::str::ParallelString::par_match_indices).
    MatchIndices => (usize, &'ch str),
    cut: |self, piece| cut_anywhere(piece),
    fold: |self, piece, offset, _last, folder| {
        self.pattern.fold_match_indices(piece, offset, folder)
    }
}
