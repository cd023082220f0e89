//! The `Try` trait: what `try_fold`, `try_for_each` and `try_reduce` accept as the result
//! of a fallible step.
//!
//! std's own `Try` is unstable, so this is a stable stand-in. It is public (it appears in
//! public bounds) but lives in a private module, so nothing outside the crate can name or
//! implement it: it is sealed.

use std::convert::Infallible;
use std::ops::ControlFlow::{self, Break, Continue};
use std::task::Poll;

/// A value that either carries on with an `Output` or stops early with a `Residual`
/// (`Option`, `Result`, `ControlFlow`, and `Poll` of `Result`/`Option<Result>`).
#[allow(unreachable_pub)] // public in a private module: sealed
pub trait Try {
    /// The value carried on with.
    type Output;
    /// What an early stop carries, enough to rebuild a `Self`.
    type Residual;

    /// Wraps a value to carry on with.
    fn from_output(output: Self::Output) -> Self;

    /// Rebuilds an early stop.
    fn from_residual(residual: Self::Residual) -> Self;

    /// Tells whether to carry on (`Continue`) or stop (`Break`).
    fn branch(self) -> ControlFlow<Self::Residual, Self::Output>;
}

impl<B, C> Try for ControlFlow<B, C> {
    type Output = C;
    type Residual = ControlFlow<B, Infallible>;

    fn from_output(output: C) -> Self {
        Continue(output)
    }

    fn from_residual(residual: Self::Residual) -> Self {
        match residual {
            Break(b) => Break(b),
            Continue(never) => match never {},
        }
    }

    fn branch(self) -> ControlFlow<Self::Residual, C> {
        match self {
            Continue(c) => Continue(c),
            Break(b) => Break(Break(b)),
        }
    }
}

impl<T> Try for Option<T> {
    type Output = T;
    type Residual = Option<Infallible>;

    fn from_output(output: T) -> Self {
        Some(output)
    }

    fn from_residual(_residual: Option<Infallible>) -> Self {
        None
    }

    fn branch(self) -> ControlFlow<Option<Infallible>, T> {
        match self {
            Some(value) => Continue(value),
            None => Break(None),
        }
    }
}

impl<T, E> Try for Result<T, E> {
    type Output = T;
    type Residual = Result<Infallible, E>;

    fn from_output(output: T) -> Self {
        Ok(output)
    }

    fn from_residual(residual: Result<Infallible, E>) -> Self {
        match residual {
            Err(error) => Err(error),
            Ok(never) => match never {},
        }
    }

    fn branch(self) -> ControlFlow<Result<Infallible, E>, T> {
        match self {
            Ok(value) => Continue(value),
            Err(error) => Break(Err(error)),
        }
    }
}

impl<T, E> Try for Poll<Result<T, E>> {
    type Output = Poll<T>;
    type Residual = Result<Infallible, E>;

    fn from_output(output: Poll<T>) -> Self {
        output.map(Ok)
    }

    fn from_residual(residual: Result<Infallible, E>) -> Self {
        match residual {
            Err(error) => Poll::Ready(Err(error)),
            Ok(never) => match never {},
        }
    }

    fn branch(self) -> ControlFlow<Result<Infallible, E>, Poll<T>> {
        match self {
            Poll::Pending => Continue(Poll::Pending),
            Poll::Ready(Ok(value)) => Continue(Poll::Ready(value)),
            Poll::Ready(Err(error)) => Break(Err(error)),
        }
    }
}

impl<T, E> Try for Poll<Option<Result<T, E>>> {
    type Output = Poll<Option<T>>;
    type Residual = Result<Infallible, E>;

    fn from_output(output: Poll<Option<T>>) -> Self {
        output.map(|option| option.map(Ok))
    }

    fn from_residual(residual: Result<Infallible, E>) -> Self {
        match residual {
            Err(error) => Poll::Ready(Some(Err(error))),
            Ok(never) => match never {},
        }
    }

    fn branch(self) -> ControlFlow<Result<Infallible, E>, Poll<Option<T>>> {
        match self {
            Poll::Pending => Continue(Poll::Pending),
            Poll::Ready(None) => Continue(Poll::Ready(None)),
            Poll::Ready(Some(Ok(value))) => Continue(Poll::Ready(Some(value))),
            Poll::Ready(Some(Err(error))) => Break(Err(error)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Try;
    use std::ops::ControlFlow;
    use std::task::Poll;

    fn roundtrip<T: Try + Clone + PartialEq + std::fmt::Debug>(value: T) {
        let rebuilt = match value.clone().branch() {
            ControlFlow::Continue(output) => T::from_output(output),
            ControlFlow::Break(residual) => T::from_residual(residual),
        };
        assert_eq!(rebuilt, value);
    }

    #[test]
    fn branch_then_rebuild_gives_back_the_value() {
        roundtrip(Some(3));
        roundtrip(None::<i32>);
        roundtrip(Ok::<i32, String>(3));
        roundtrip(Err::<i32, String>("no".into()));
        roundtrip(ControlFlow::<u8, i32>::Continue(1));
        roundtrip(ControlFlow::<u8, i32>::Break(2));
        roundtrip(Poll::<Result<i32, u8>>::Pending);
        roundtrip(Poll::<Result<i32, u8>>::Ready(Ok(1)));
        roundtrip(Poll::<Result<i32, u8>>::Ready(Err(1)));
        roundtrip(Poll::<Option<Result<i32, u8>>>::Pending);
        roundtrip(Poll::<Option<Result<i32, u8>>>::Ready(None));
        roundtrip(Poll::<Option<Result<i32, u8>>>::Ready(Some(Ok(1))));
        roundtrip(Poll::<Option<Result<i32, u8>>>::Ready(Some(Err(1))));
    }

    #[test]
    fn only_errors_break() {
        assert!(Some(1).branch().is_continue());
        assert!(None::<i32>.branch().is_break());
        assert!(Poll::<Result<i32, u8>>::Pending.branch().is_continue());
        assert!(Poll::<Option<Result<i32, u8>>>::Ready(Some(Err(0)))
            .branch()
            .is_break());
    }
}
