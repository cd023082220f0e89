//! `KernelSource`: CUDA C source, compiled with NVRTC once per device (for that device's
//! architecture) and kept loaded for the process's life.

use super::driver::{self, map_error};
use super::runtime::DeviceRuntime;
use super::GpuError;
use crate::sync::Arc;
use cudarc::driver::{CudaFunction, CudaModule};
use cudarc::nvrtc::{compile_ptx_with_opts, CompileError, CompileOptions};
use std::borrow::Cow;

/// CUDA C source with a name that identifies it: sources with the same name are compiled
/// once per device, so different code needs a different name.
///
/// # Examples
///
/// ```
/// use veda::gpu::KernelSource;
///
/// let source = KernelSource::new(
///     "scale-v1",
///     r#"extern "C" __global__ void scale(float *x, float a, unsigned long long n) {
///         unsigned long long i = blockIdx.x * (unsigned long long)blockDim.x + threadIdx.x;
///         if (i < n) x[i] *= a;
///     }"#,
/// );
/// assert_eq!(source.name(), "scale-v1");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct KernelSource {
    name: Cow<'static, str>,
    code: Cow<'static, str>,
}

impl KernelSource {
    /// Source `code` under `name`.
    pub fn new(name: impl Into<Cow<'static, str>>, code: impl Into<Cow<'static, str>>) -> Self {
        KernelSource {
            name: name.into(),
            code: code.into(),
        }
    }

    /// The name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The CUDA C code.
    pub fn code(&self) -> &str {
        &self.code
    }
}

/// Whether kernels can be compiled here: `Ok` when NVRTC loads, else
/// [`GpuError::NoCompiler`] (the driver alone runs only jobs that compile nothing).
pub fn compiler_available() -> Result<(), GpuError> {
    driver::ensure_compiler()
}

/// A kernel entry point loaded on one device.
#[derive(Clone, Debug)]
pub struct KernelFunction {
    pub(crate) function: CudaFunction,
    pub(crate) name: String,
}

impl KernelFunction {
    /// The entry point's name.
    pub fn name(&self) -> &str {
        &self.name
    }
}

impl DeviceRuntime {
    /// Entry point `entry` of the source named `name`, compiling and loading the code
    /// `code()` gives on first use of `name` on this device.
    pub(crate) fn function(
        &self,
        name: &str,
        entry: &str,
        code: impl FnOnce() -> String,
    ) -> Result<KernelFunction, GpuError> {
        let key = (name.to_owned(), entry.to_owned());
        if let Some(function) = self.functions.lock().get(&key) {
            return Ok(function.clone());
        }
        if entry.contains('\0') {
            return Err(GpuError::InvalidArgument {
                reason: format!("the entry point name {entry:?} has a NUL byte: remove it"),
            });
        }
        let module = self.module(name, code)?;
        let function = KernelFunction {
            function: module
                .load_function(entry)
                .map_err(|error| map_error("cuModuleGetFunction", error))?,
            name: entry.to_owned(),
        };
        self.functions.lock().insert(key, function.clone());
        Ok(function)
    }

    fn module(
        &self,
        name: &str,
        code: impl FnOnce() -> String,
    ) -> Result<Arc<CudaModule>, GpuError> {
        let mut modules = self.modules.lock();
        if let Some(module) = modules.get(name) {
            return Ok(module.clone());
        }
        driver::ensure_compiler()?;
        let code = code();
        if code.contains('\0') {
            return Err(GpuError::InvalidArgument {
                reason: format!("kernel source {name:?} has a NUL byte: remove it"),
            });
        }
        let (major, minor) = self.info.compute_capability;
        let options = CompileOptions {
            options: vec![format!("--gpu-architecture=compute_{major}{minor}")],
            ..CompileOptions::default()
        };
        let ptx = compile_ptx_with_opts(&code, options).map_err(|error| GpuError::Compile {
            kernel: name.to_owned(),
            log: match error {
                CompileError::CompileError { log, .. } => log.to_string_lossy().into_owned(),
                other => format!("{other:?}"),
            },
        })?;
        let module = self
            .context
            .load_module(ptx)
            .map_err(|error| map_error("cuModuleLoadData", error))?;
        modules.insert(name.to_owned(), module.clone());
        Ok(module)
    }
}
