//! A reducer for consumers whose pieces produce nothing to combine (`for_each`).

use super::plumbing::Reducer;

#[derive(Clone, Copy, Debug)]
pub(super) struct NoopReducer;

impl Reducer<()> for NoopReducer {
    fn reduce(self, _left: (), _right: ()) {}
}
