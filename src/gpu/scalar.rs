//! `DeviceScalar`: the element types veda moves to and from devices.

use std::fmt::Debug;

pub(crate) mod sealed {
    /// A kernel argument by value, kept where the launch can point to it.
    #[derive(Clone, Copy, Debug)]
    pub enum ScalarArg {
        F32(f32),
        F64(f64),
        I32(i32),
        U32(u32),
        I64(i64),
        U64(u64),
        U8(u8),
    }

    /// Implemented by the plain scalar types only: any bit pattern is a valid value, and
    /// CUDA has a type of the same layout.
    pub trait Sealed:
        cudarc::driver::DeviceRepr
        + cudarc::driver::ValidAsZeroBits
        + Copy
        + Default
        + Send
        + Sync
        + 'static
    {
        fn into_arg(self) -> ScalarArg;
    }
}

/// A plain scalar that lives on a device as it lives on the host (`f32`, `f64`, `i32`,
/// `u32`, `i64`, `u64`, `u8`).
pub trait DeviceScalar: sealed::Sealed + Debug + PartialEq {
    /// Its name in CUDA C.
    const CUDA_TYPE: &'static str;
}

/// The floating-point scalars (`f32`, `f64`), for the arithmetic built-in kernels.
pub trait DeviceFloat: DeviceScalar + PartialOrd {}

macro_rules! scalar {
    ($($ty:ty => $variant:ident, $cuda:literal;)*) => {$(
        impl sealed::Sealed for $ty {
            fn into_arg(self) -> sealed::ScalarArg {
                sealed::ScalarArg::$variant(self)
            }
        }
        impl DeviceScalar for $ty {
            const CUDA_TYPE: &'static str = $cuda;
        }
    )*};
}

scalar! {
    f32 => F32, "float";
    f64 => F64, "double";
    i32 => I32, "int";
    u32 => U32, "unsigned int";
    i64 => I64, "long long";
    u64 => U64, "unsigned long long";
    u8 => U8, "unsigned char";
}

impl DeviceFloat for f32 {}
impl DeviceFloat for f64 {}
