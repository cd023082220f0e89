//! The `Try` trait: the types a fallible consumer (`try_for_each`, `try_reduce`, …) accepts,
//! a stable stand-in for the standard library's unstable `std::ops::Try`.
//!
//! The trait is public so that it can appear in public bounds, but it lives in a private
//! module: outside the crate it can be neither named nor implemented.

use std::convert::Infallible;
use std::ops::ControlFlow::{self, Break, Continue};
use std::task::Poll;

/// A value that either carries on with an output or stops with a residual, like `?` sees
/// `Option`, `Result` and `ControlFlow`.
#[allow(unreachable_pub)]
pub trait Try {
    /// What a success carries on with.
    type Output;
    /// What a failure stops with, shaped so that it converts back into `Self`.
    type Residual;

    /// Wraps a success.
    fn from_output(output: Self::Output) -> Self;

    /// Wraps a failure.
    fn from_residual(residual: Self::Residual) -> Self;

    /// Tells a success (`Continue`) from a failure (`Break`).
    fn branch(self) -> ControlFlow<Self::Residual, Self::Output>;
}

impl<T> Try for Option<T> {
    type Output = T;
    type Residual = Option<Infallible>;

    fn from_output(output: T) -> Self {
        Some(output)
    }

    fn from_residual(residual: Option<Infallible>) -> Self {
        match residual {
            None => None,
            Some(never) => match never {},
        }
    }

    fn branch(self) -> ControlFlow<Option<Infallible>, T> {
        match self {
            Some(output) => Continue(output),
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
            Ok(output) => Continue(output),
            Err(error) => Break(Err(error)),
        }
    }
}

impl<B, C> Try for ControlFlow<B, C> {
    type Output = C;
    type Residual = ControlFlow<B, Infallible>;

    fn from_output(output: C) -> Self {
        Continue(output)
    }

    fn from_residual(residual: ControlFlow<B, Infallible>) -> Self {
        match residual {
            Break(value) => Break(value),
            Continue(never) => match never {},
        }
    }

    fn branch(self) -> ControlFlow<ControlFlow<B, Infallible>, C> {
        match self {
            Continue(output) => Continue(output),
            Break(value) => Break(Break(value)),
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
            Poll::Ready(Ok(output)) => Continue(Poll::Ready(output)),
            Poll::Ready(Err(error)) => Break(Err(error)),
            Poll::Pending => Continue(Poll::Pending),
        }
    }
}

impl<T, E> Try for Poll<Option<Result<T, E>>> {
    type Output = Poll<Option<T>>;
    type Residual = Result<Infallible, E>;

    fn from_output(output: Poll<Option<T>>) -> Self {
        output.map(|value| value.map(Ok))
    }

    fn from_residual(residual: Result<Infallible, E>) -> Self {
        match residual {
            Err(error) => Poll::Ready(Some(Err(error))),
            Ok(never) => match never {},
        }
    }

    fn branch(self) -> ControlFlow<Result<Infallible, E>, Poll<Option<T>>> {
        match self {
            Poll::Ready(Some(Ok(output))) => Continue(Poll::Ready(Some(output))),
            Poll::Ready(Some(Err(error))) => Break(Err(error)),
            Poll::Ready(None) => Continue(Poll::Ready(None)),
            Poll::Pending => Continue(Poll::Pending),
        }
    }
}
