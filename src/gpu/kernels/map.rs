//! `out[i] = f(in[i])` for a CUDA C expression `f` of `x`.

use super::{check_lengths, element_count, grid_stride, GRID_STRIDE_LOOP};
use crate::gpu::{DeviceBuffer, DeviceFloat, GpuError, GpuKernel, KernelArgs, Launcher};
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

/// A CUDA C expression of one variable, `x`, of the element type: `"x * x + 1.0f"`,
/// `"sinf(x)"`, `"x > 0 ? x : 0"`. It is compiled once per device and element type, as the
/// body of a device function whose only parameter is `x` (the kernel's buffers are not in
/// its scope).
///
/// # Examples
///
/// ```
/// use veda::gpu::MapExpr;
///
/// // SAFETY: the expressions read only `x` and constants.
/// unsafe {
///     assert!(MapExpr::new("x * 2.0f").is_ok());
///     assert!(MapExpr::new("   ").is_err());
///     assert!(MapExpr::new("x; } evil {").is_err());
/// }
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct MapExpr {
    expr: String,
}

impl MapExpr {
    /// Checks that `expr` looks like one expression: not empty, no statement or block
    /// separators (`;`, `{`, `}`), no preprocessor or inline assembly (`#`, `asm`), no
    /// indexing (`[`, `]`), no NUL byte. Whether it compiles is known on first use.
    ///
    /// # Safety
    ///
    /// The expression becomes device code, which no check here can confine: it must
    /// compute its value from `x`, constants and pure functions only, and must not reach
    /// memory through pointers (casts of integers to pointers included). The device can
    /// address pinned host memory, so an expression that writes through a pointer can
    /// corrupt the host process.
    pub unsafe fn new(expr: impl Into<String>) -> Result<Self, GpuError> {
        let expr = expr.into();
        if expr.trim().is_empty()
            || expr.contains([';', '{', '}', '[', ']', '#', '\0'])
            || expr.contains("asm")
        {
            return Err(GpuError::InvalidArgument {
                reason: format!(
                    "{expr:?} is not a single CUDA C expression of x: pass something like \
                     \"x * x + 1.0f\""
                ),
            });
        }
        Ok(MapExpr { expr })
    }

    /// The expression.
    pub fn as_str(&self) -> &str {
        &self.expr
    }

    fn source_name<T: DeviceFloat>(&self) -> String {
        let mut hasher = DefaultHasher::new();
        self.expr.hash(&mut hasher);
        format!(
            "veda-map-{}-{:016x}-{}",
            T::CUDA_TYPE,
            hasher.finish(),
            self.expr
        )
    }

    fn source<T: DeviceFloat>(&self) -> String {
        let t = T::CUDA_TYPE;
        format!(
            "__device__ {t} veda_map_expr({t} x) {{ return ({t})({expr}); }}\n\
             extern \"C\" __global__ void veda_map(const {t}* in, {t}* out, unsigned long long n) \
             {{ {GRID_STRIDE_LOOP} {{ out[i] = veda_map_expr(in[i]); }} }}",
            expr = self.expr
        )
    }
}

/// Queues `output[i] = expr(input[i])` on the launcher's stream.
pub fn map<T: DeviceFloat>(
    launcher: &Launcher<'_>,
    expr: &MapExpr,
    input: &DeviceBuffer<T>,
    output: &mut DeviceBuffer<T>,
) -> Result<(), GpuError> {
    check_lengths("map", input.len(), &[("output", output.len())])?;
    let function = launcher
        .runtime
        .function(&expr.source_name::<T>(), "veda_map", || expr.source::<T>())?;
    let dims = grid_stride(launcher, input.len());
    let n = element_count(input);
    let args = KernelArgs::new().buffer(input).buffer_mut(output).scalar(n);
    // The expression sits in a device function that sees only `x`, and whoever made the
    // `MapExpr` promised (it is `unsafe` to make) that it reaches no memory.
    // SAFETY: the arguments match `veda_map`; its loop touches indices below `n`, the
    // length of both buffers (checked above), and writes only `output`.
    unsafe { launcher.launch(&function, dims, args) }
}

/// `expr` applied to every element of a host vector, on the GPU.
///
/// # Examples
///
/// ```
/// use veda::gpu::{execute_blocking, MapExpr, MapKernel};
///
/// // SAFETY: the expression reads only `x` and constants.
/// let square_plus_one = unsafe { MapExpr::new("x * x + 1.0f") }.unwrap();
/// match execute_blocking(MapKernel::new(square_plus_one, vec![1.0f32, 2.0, 3.0])) {
///     Ok(values) => assert_eq!(values, [2.0, 5.0, 10.0]),
///     Err(reason) => println!("no GPU: {reason}"),
/// }
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct MapKernel<T: DeviceFloat> {
    expr: MapExpr,
    input: Vec<T>,
}

impl<T: DeviceFloat> MapKernel<T> {
    /// `expr` over `input`.
    pub fn new(expr: MapExpr, input: Vec<T>) -> Self {
        MapKernel { expr, input }
    }
}

impl<T: DeviceFloat> GpuKernel for MapKernel<T> {
    type Output = Vec<T>;

    fn name(&self) -> &str {
        "map"
    }

    fn run(self, launcher: &mut Launcher<'_>) -> Result<Vec<T>, GpuError> {
        let input = launcher.upload(&self.input)?;
        let mut output = launcher.zeros::<T>(self.input.len())?;
        map(launcher, &self.expr, &input, &mut output)?;
        launcher.download(&output)
    }
}
