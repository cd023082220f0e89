//! `ParallelExtend` for `String` and `OsString`.
//!
//! Characters are gathered into one `String` per piece of work; string-like items are
//! gathered as they are. Either way the total length is reserved before the pieces are
//! appended in order.

use super::{collect_pieces, ParallelExtend, PiecesConsumer};
use crate::iter::{IntoParallelIterator, ParallelIterator};
use std::borrow::Cow;
use std::collections::LinkedList;
use std::ffi::{OsStr, OsString};

impl ParallelExtend<char> for String {
    fn par_extend<I>(&mut self, par_iter: I)
    where
        I: IntoParallelIterator<Item = char>,
    {
        let pieces: LinkedList<String> = par_iter
            .into_par_iter()
            .drive_unindexed(PiecesConsumer::new());
        self.reserve(pieces.iter().map(String::len).sum());
        pieces.iter().for_each(|piece| self.push_str(piece));
    }
}

impl<'a> ParallelExtend<&'a char> for String {
    fn par_extend<I>(&mut self, par_iter: I)
    where
        I: IntoParallelIterator<Item = &'a char>,
    {
        self.par_extend(par_iter.into_par_iter().copied());
    }
}

/// Gathers string-like items in parallel, then appends them in order to a string.
fn extend_string<I>(string: &mut String, par_iter: I)
where
    I: IntoParallelIterator<Item: AsRef<str>>,
{
    let pieces = collect_pieces(par_iter);
    let strs = || pieces.iter().flatten().map(AsRef::as_ref);
    string.reserve(strs().map(str::len).sum());
    strs().for_each(|s| string.push_str(s));
}

impl<'a> ParallelExtend<&'a str> for String {
    fn par_extend<I>(&mut self, par_iter: I)
    where
        I: IntoParallelIterator<Item = &'a str>,
    {
        extend_string(self, par_iter);
    }
}

impl ParallelExtend<String> for String {
    fn par_extend<I>(&mut self, par_iter: I)
    where
        I: IntoParallelIterator<Item = String>,
    {
        extend_string(self, par_iter);
    }
}

impl ParallelExtend<Box<str>> for String {
    fn par_extend<I>(&mut self, par_iter: I)
    where
        I: IntoParallelIterator<Item = Box<str>>,
    {
        extend_string(self, par_iter);
    }
}

impl<'a> ParallelExtend<Cow<'a, str>> for String {
    fn par_extend<I>(&mut self, par_iter: I)
    where
        I: IntoParallelIterator<Item = Cow<'a, str>>,
    {
        extend_string(self, par_iter);
    }
}

/// Gathers OS-string-like items in parallel, then appends them in order to an OS string.
fn extend_os_string<I>(string: &mut OsString, par_iter: I)
where
    I: IntoParallelIterator<Item: AsRef<OsStr>>,
{
    let pieces = collect_pieces(par_iter);
    let strs = || pieces.iter().flatten().map(AsRef::as_ref);
    string.reserve(strs().map(OsStr::len).sum());
    strs().for_each(|s| string.push(s));
}

impl<'a> ParallelExtend<&'a OsStr> for OsString {
    fn par_extend<I>(&mut self, par_iter: I)
    where
        I: IntoParallelIterator<Item = &'a OsStr>,
    {
        extend_os_string(self, par_iter);
    }
}

impl ParallelExtend<OsString> for OsString {
    fn par_extend<I>(&mut self, par_iter: I)
    where
        I: IntoParallelIterator<Item = OsString>,
    {
        extend_os_string(self, par_iter);
    }
}

impl<'a> ParallelExtend<Cow<'a, OsStr>> for OsString {
    fn par_extend<I>(&mut self, par_iter: I)
    where
        I: IntoParallelIterator<Item = Cow<'a, OsStr>>,
    {
        extend_os_string(self, par_iter);
    }
}
