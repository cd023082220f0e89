//! How the string iterators split their work: a [`Cutter`] says where a piece of the
//! string may be cut in two and how a piece yields its items, and [`StrProducer`] drives
//! that through the unindexed bridge.

use crate::iter::plumbing::{bridge_unindexed, Folder, UnindexedConsumer, UnindexedProducer};

/// How one kind of string iterator cuts its string and handles each piece.
pub(super) trait Cutter<'ch>: Sync {
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
pub(super) fn middle_separator(
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
pub(super) fn drive_str<'ch, K, C>(chars: &'ch str, cutter: &K, consumer: C) -> C::Result
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

/// Cuts at a character boundary near the middle.
pub(super) fn cut_anywhere(piece: &str) -> Option<(usize, usize)> {
    middle_boundary(piece).map(|at| (at, at))
}

/// Cuts around a character matching `is_separator` near the middle, dropping it.
pub(super) fn cut_dropping(
    piece: &str,
    is_separator: impl Fn(char) -> bool,
) -> Option<(usize, usize)> {
    let (at, width) =
        middle_separator(piece, |s| s.find(&is_separator), |s| s.rfind(&is_separator))?;
    Some((at, at + width))
}

#[cfg(test)]
mod tests {
    use super::{cut_anywhere, middle_boundary, middle_separator};

    #[test]
    fn boundaries_near_the_middle() {
        assert_eq!(middle_boundary(""), None);
        assert_eq!(middle_boundary("a"), None);
        assert_eq!(middle_boundary("é"), None);
        assert_eq!(middle_boundary("😀"), None);
        assert_eq!(middle_boundary("ab"), Some(1));
        assert_eq!(middle_boundary("aé"), Some(1));
        // The boundary after the middle would be the end, so the one before is taken.
        assert_eq!(middle_boundary("a😀"), Some(1));
        assert_eq!(middle_boundary("😀a"), Some(4));
        assert_eq!(cut_anywhere("abcd"), Some((2, 2)));
    }

    #[test]
    fn separators_after_the_middle_first() {
        let find = |s: &str| s.find(',');
        let rfind = |s: &str| s.rfind(',');
        assert_eq!(middle_separator("a,bcde,f", find, rfind), Some((6, 1)));
        assert_eq!(middle_separator("a,bcdefg", find, rfind), Some((1, 1)));
        assert_eq!(middle_separator("abcdefg", find, rfind), None);
        assert_eq!(middle_separator(",", find, rfind), None);
        let find = |s: &str| s.find('é');
        let rfind = |s: &str| s.rfind('é');
        assert_eq!(middle_separator("abcéd", find, rfind), Some((3, 2)));
    }
}
