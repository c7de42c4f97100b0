"""`Interpreter`: the C runtime with tf.lite.Interpreter's names.

    it = Interpreter(model_path="model.tflite")
    it.allocate_tensors()
    it.set_tensor(it.get_input_details()[0]["index"], x)
    it.invoke()
    y = it.get_tensor(it.get_output_details()[0]["index"])
"""
from __future__ import annotations

import contextlib
import enum
import os
import threading
import time

import numpy as np

from . import errors
from ._mote import ffi, lib

# TFLite TensorType -> numpy dtype, for the types the runtime stores.
_DTYPES = {
    lib.MOTE_FLOAT32: np.float32, lib.MOTE_FLOAT16: np.float16, lib.MOTE_INT32: np.int32,
    lib.MOTE_UINT8: np.uint8, lib.MOTE_INT64: np.int64, lib.MOTE_BOOL: np.bool_,
    lib.MOTE_INT16: np.int16, lib.MOTE_INT8: np.int8, lib.MOTE_FLOAT64: np.float64,
}

_ERRORS = {
    lib.MOTE_ERROR_INVALID_ARGUMENT: errors.InvalidArgumentError,
    lib.MOTE_ERROR_INVALID_MODEL: errors.InvalidModelError,
    lib.MOTE_ERROR_UNSUPPORTED: errors.UnsupportedError,
    lib.MOTE_ERROR_RUNTIME: errors.MoteRuntimeError,
}


def _text(chars) -> str:
    """A C string from the model or the runtime: names need not be UTF-8."""
    return ffi.string(chars).decode("utf-8", "backslashreplace")


class _TensorMemory:
    """Tensor memory for numpy, through __array_interface__: numpy keeps this
    object as the array's base, and it keeps the memory's owners alive (the
    interpreter, its current arena and the model bytes)."""

    def __init__(self, owners: tuple, data, shape: tuple, dtype, readonly: bool):
        self.owners = owners
        self.__array_interface__ = {
            "data": (int(ffi.cast("uintptr_t", data)), readonly), "shape": shape,
            "typestr": np.dtype(dtype).str, "version": 3}


def _aligned_copy(data: bytes):
    """The model in 16-byte aligned C memory: constants are used in place."""
    buf = ffi.new("uint8_t[]", len(data) + 16)
    offset = (-int(ffi.cast("uintptr_t", buf))) % 16
    ffi.memmove(buf + offset, data, len(data))
    return buf, buf + offset


def verify(model_content: bytes) -> None:
    """Raises InvalidModelError with the verifier's message if the bytes are not
    a well-formed TFLite model."""
    keep, ptr = _aligned_copy(model_content)
    msg = ffi.new("char[]", 512)
    status = lib.mote_verify(ptr, len(model_content), msg, 512)
    if status != lib.MOTE_OK:
        raise errors.InvalidModelError(_text(msg))


class OpResolverType(enum.Enum):
    """LiteRT's names for which kernels run: AUTO and BUILTIN choose the best
    compute function for each op on this CPU; BUILTIN_REF the portable
    reference ones (what every other variant is tested against)."""
    AUTO = 0
    BUILTIN = 1
    BUILTIN_REF = 2
    BUILTIN_WITHOUT_DEFAULT_DELEGATES = 3


# CPU features compute functions may need, highest ISA level first.
CPU_FEATURES = {"avx512_vnni": lib.MOTE_CPU_AVX512_VNNI, "avx512": lib.MOTE_CPU_AVX512,
                "avx2_fma": lib.MOTE_CPU_AVX2_FMA, "dotprod": lib.MOTE_CPU_DOTPROD,
                "neon": lib.MOTE_CPU_NEON, "arm_dsp": lib.MOTE_CPU_ARM_DSP}


def kernels() -> list:
    """[{name, runs_here, cpu}] for every compute function compiled in; cpu
    lists the CPU_FEATURES it needs."""
    out, i = [], 0
    while (name := lib.mote_kernel_name(i)) != ffi.NULL:
        cpu = lib.mote_kernel_cpu(i)
        out.append({"name": _text(name), "runs_here": bool(lib.mote_kernel_runs_here(i)),
                    "cpu": [f for f, bit in CPU_FEATURES.items() if cpu & bit]})
        i += 1
    return out


class Interpreter:
    """Runs a .tflite model on Mote's C runtime.

    preserve_all_tensors gives every tensor its own arena memory so that
    intermediate tensors can be read after invoke() (for per-layer comparison);
    by default activations share memory by lifetime. reuse_input_memory lets
    the inputs' memory go to other tensors once the last op reading them has
    run (a smaller arena, as on TFLite Micro): then set every input before
    each invoke() and read no input after it. max_arena_bytes, if
    given, refuses models whose arena would be larger.
    experimental_op_resolver_type=OpResolverType.BUILTIN_REF runs every op's
    portable reference compute function, as LiteRT's option of that name.
    disabled_cpu_features (names of CPU_FEATURES) keeps compute functions
    that need them from being chosen, to run a lower ISA level than the
    machine has. num_threads > 1 runs each op's work on that many threads (the optional
    pthread pool of runtime_c/include/mote_threadpool.h); the results are the
    same bytes for every thread count.

    One Interpreter runs one invoke() at a time: a call from a second thread
    while one runs raises MoteRuntimeError. Use one Interpreter per thread
    (they may share the model bytes).
    """

    def __init__(self, model_path: str | os.PathLike | None = None,
                 model_content: bytes | None = None, num_threads: int = 1,
                 preserve_all_tensors: bool = False, max_arena_bytes: int | None = None,
                 experimental_op_resolver_type: OpResolverType = OpResolverType.AUTO,
                 disabled_cpu_features=(), reuse_input_memory: bool = False):
        if (model_path is None) == (model_content is None):
            raise errors.InvalidArgumentError("give exactly one of model_path and model_content")
        if model_path is not None:
            if not os.path.exists(model_path):
                raise FileNotFoundError(f"model file not found: {os.fspath(model_path)!r}")
            with open(model_path, "rb") as f:
                model_content = f.read()
        if not isinstance(model_content, (bytes, bytearray, memoryview)):
            raise errors.InvalidArgumentError(
                f"model_content must be bytes, got {type(model_content).__name__}")
        if not isinstance(num_threads, int) or num_threads < 1:
            raise errors.InvalidArgumentError(f"num_threads must be an int >= 1, got {num_threads!r}")
        if max_arena_bytes is not None and (not isinstance(max_arena_bytes, int) or
                                            max_arena_bytes < 1):
            raise errors.InvalidArgumentError(
                f"max_arena_bytes must be an int >= 1 or None, got {max_arena_bytes!r}")
        self.num_threads = num_threads
        self._pool = None
        if num_threads > 1:   # the optional pthread pool; the C core itself makes no threads
            pool = lib.mote_threadpool_create(num_threads)
            if pool == ffi.NULL:
                raise errors.MoteRuntimeError(f"could not start {num_threads} threads")
            self._pool = ffi.gc(pool, lib.mote_threadpool_destroy)
        self._model_bytes = bytes(model_content)
        self._model_keep, self._model = _aligned_copy(self._model_bytes)
        if not isinstance(experimental_op_resolver_type, OpResolverType):
            raise errors.InvalidArgumentError(
                f"experimental_op_resolver_type must be an OpResolverType, got "
                f"{experimental_op_resolver_type!r}")
        unknown = sorted(set(disabled_cpu_features) - set(CPU_FEATURES))
        if unknown:
            raise errors.InvalidArgumentError(
                f"disabled_cpu_features: unknown {unknown}; known: {sorted(CPU_FEATURES)}")
        cpu_off = sum(CPU_FEATURES[f] for f in set(disabled_cpu_features))
        self._flags = ((lib.MOTE_PRESERVE_ALL_TENSORS if preserve_all_tensors else 0) |
                       (lib.MOTE_REUSE_INPUT_MEMORY if reuse_input_memory else 0) |
                       (cpu_off << lib.MOTE_CPU_FEATURES_SHIFT) |
                       (lib.MOTE_PORTABLE_KERNELS
                        if experimental_op_resolver_type == OpResolverType.BUILTIN_REF else 0))
        self._max_arena_bytes = max_arena_bytes
        self._running = threading.Lock()
        self._it = None
        self._arena = None
        self._shapes = {}           # input position -> shape, as planned
        self._requested_shapes = {}  # ... as asked by resize_tensor_input
        self._allocated = False
        # Size the arena now, so that errors in the model surface at construction
        # as LiteRT's do, and arena_bytes is known before allocate_tensors().
        self._create()
        self._model_shapes = [tuple(d["shape"]) for d in self.get_input_details()]

    # -- set-up --------------------------------------------------------------

    def _raise(self, status: int, it=None):
        message = _text(lib.mote_error_message(it)) if it else _text(lib.mote_status_name(status))
        if status == lib.MOTE_ERROR_ARENA_TOO_SMALL:
            raise errors.ArenaTooSmallError(message, lib.mote_arena_required(it) if it else 0)
        raise _ERRORS.get(status, errors.MoteError)(message)

    def _new_arena(self, size: int):
        if self._max_arena_bytes is not None and size > self._max_arena_bytes:
            raise errors.ArenaTooSmallError(
                f"the model needs at least {size} bytes of arena, more than max_arena_bytes="
                f"{self._max_arena_bytes} allows", size)
        try:
            return ffi.new("uint8_t[]", size)
        except MemoryError:
            raise errors.ArenaAllocationError(
                f"could not allocate an arena of {size} bytes for this model") from None

    def _create(self, shapes: dict | None = None) -> None:
        shapes = shapes or {}
        c_shapes = ffi.new("mote_input_shape[]", max(len(shapes), 1))
        for c, (position, dims) in zip(c_shapes, sorted(shapes.items())):
            c.input, c.ndims = position, len(dims)
            kept = dims[:lib.MOTE_MAX_DIMS]     # a longer shape is refused by its ndims
            c.dims[0:len(kept)] = kept
        size = lib.mote_interpreter_bytes() + 16
        out = ffi.new("mote_interpreter **")
        # Each refusal reports what it learned (a lower bound until the tables,
        # then the plan's temporary storage, fit; then the exact size).
        while True:
            arena = self._new_arena(size)
            status = lib.mote_create_with_shapes(self._model, len(self._model_bytes), arena, size,
                                                 self._flags, c_shapes, len(shapes), out)
            if status != lib.MOTE_ERROR_ARENA_TOO_SMALL or out[0] == ffi.NULL:
                break
            needed = lib.mote_arena_required(out[0]) + 16   # + room to align the arena
            if needed <= size:
                break
            size = needed
        if status != lib.MOTE_OK:
            self._raise(status, out[0] if out[0] != ffi.NULL else None)
        self._arena, self._it, self._shapes = arena, out[0], dict(shapes)
        if self._pool is not None:
            lib.mote_set_parallel_for(self._it, ffi.addressof(lib, "mote_threadpool_parallel_for"),
                                      self._pool, self.num_threads, lib.MOTE_PARALLEL_MIN_WORK)

    @contextlib.contextmanager
    def _exclusive(self):
        """Holds the interpreter for one invoke() or re-plan; refuses a second thread."""
        if not self._running.acquire(blocking=False):
            raise errors.MoteRuntimeError(
                "interpreter is already running invoke() in another thread; use one Interpreter "
                "per thread")
        try:
            yield
        finally:
            self._running.release()

    def resize_tensor_input(self, input_index: int, tensor_size, strict: bool = False) -> None:
        """Gives an input a new shape (a batch size, say); allocate_tensors()
        then re-plans the arena and every op derives its output shapes. The
        rank stays and every dim must be >= 1. strict=True (as LiteRT's) only
        changes dims that are -1 in the shape signature: Mote's models have none."""
        position = self._input_position(input_index)
        size = np.asarray(tensor_size)
        if size.ndim != 1 or size.dtype.kind not in "iu" or not np.all(size < 2 ** 31):
            raise errors.InvalidArgumentError(
                f"tensor_size must be a list of ints below 2^31, got {tensor_size!r}")
        dims = tuple(int(d) for d in size)
        if strict and dims != self._model_shapes[position]:
            raise errors.InvalidArgumentError(
                f"strict resize of input tensor {input_index} to {list(dims)}: only dims that are "
                f"-1 in the shape signature may change, and its shape "
                f"{list(self._model_shapes[position])} has none")
        self._requested_shapes[position] = dims
        self._allocated = False

    def allocate_tensors(self) -> None:
        """Plans the arena for the inputs' current shapes (see
        resize_tensor_input); the model's own shapes are planned at construction."""
        with self._exclusive():
            if self._requested_shapes != self._shapes:
                self._create(self._requested_shapes)
            self._allocated = True

    @property
    def arena_bytes(self) -> int:
        """Bytes of arena the model needs: tables, activations, scratch and
        prepared parameters."""
        return int(lib.mote_arena_required(self._it))

    @property
    def packed_weight_bytes(self) -> int:
        """Of arena_bytes, the weights that fast kernels repacked at create
        time (0 with OpResolverType.BUILTIN_REF: those read the model's)."""
        return int(lib.mote_packed_weight_bytes(self._it))

    # -- tensors -------------------------------------------------------------

    def _info(self, index: int):
        info = ffi.new("mote_tensor_info *")
        status = lib.mote_tensor_info_get(self._it, index, info)
        if status != lib.MOTE_OK:
            self._raise(status, self._it)
        return info

    def _details(self, index: int) -> dict:
        info = self._info(index)
        n = info.quant_count
        scales = ffi.new("float[]", max(n, 1))
        zps = ffi.new("int64_t[]", max(n, 1))
        lib.mote_tensor_quantization(self._it, index, scales, zps, n)
        scales_np = np.array([scales[i] for i in range(n)], np.float32)
        zps_np = np.array([zps[i] for i in range(n)], np.int32)
        shape = np.array([info.dims[i] for i in range(info.ndims)], np.int32)
        return {
            "name": _text(info.name),
            "index": index,
            "shape": shape,
            "shape_signature": shape.copy(),
            "dtype": _DTYPES[info.type],
            "quantization": (float(scales_np[0]), int(zps_np[0])) if n == 1 else (0.0, 0),
            "quantization_parameters": {"scales": scales_np, "zero_points": zps_np,
                                        "quantized_dimension": int(info.quantized_dimension)},
            "sparsity_parameters": {},
        }

    def get_input_details(self) -> list:
        return [self._details(lib.mote_input_tensor(self._it, i))
                for i in range(lib.mote_input_count(self._it))]

    def get_output_details(self) -> list:
        return [self._details(lib.mote_output_tensor(self._it, i))
                for i in range(lib.mote_output_count(self._it))]

    def get_tensor_details(self) -> list:
        return [self._details(i) for i in range(lib.mote_tensor_count(self._it))]

    def _view(self, index: int) -> np.ndarray:
        """The tensor's memory as an array that keeps that memory alive."""
        info = self._info(index)
        shape = tuple(info.dims[i] for i in range(info.ndims))
        if info.data == ffi.NULL:
            raise errors.InvalidArgumentError(
                f"tensor {index} '{_text(info.name)}' has no data: no op uses it")
        memory = _TensorMemory((self, self._arena, self._model_keep), info.data, shape,
                               _DTYPES[info.type], readonly=bool(info.is_constant))
        return np.asarray(memory)

    def _input_position(self, tensor_index: int) -> int:
        inputs = [lib.mote_input_tensor(self._it, i) for i in range(lib.mote_input_count(self._it))]
        if tensor_index not in inputs:
            raise errors.InvalidArgumentError(
                f"tensor {tensor_index} is not a model input; inputs are tensors {inputs}")
        return inputs.index(tensor_index)

    def set_tensor(self, tensor_index: int, value) -> None:
        self._input_position(tensor_index)
        d = self._details(tensor_index)
        value = np.asarray(value)
        if value.dtype != d["dtype"]:
            raise errors.InvalidArgumentError(
                f"input '{d['name']}' (tensor {tensor_index}) expects dtype "
                f"{np.dtype(d['dtype']).name}, got {value.dtype.name}")
        if tuple(value.shape) != tuple(d["shape"]):
            raise errors.InvalidArgumentError(
                f"input '{d['name']}' (tensor {tensor_index}) expects shape "
                f"{[int(n) for n in d['shape']]}, got {list(value.shape)}")
        self._view(tensor_index)[...] = value

    def get_tensor(self, tensor_index: int) -> np.ndarray:
        """A copy of a tensor. Intermediate tensors share memory unless the
        interpreter was made with preserve_all_tensors=True."""
        return self._view(tensor_index).copy()

    def tensor(self, tensor_index: int):
        """LiteRT-style accessor: a function returning a live numpy view. The
        view keeps this interpreter's memory alive; after a resize and
        allocate_tensors() it still shows the old memory, so take a new one."""
        return lambda: self._view(tensor_index)

    def invoke(self) -> None:
        if not self._allocated:
            raise errors.MoteRuntimeError(
                "invoke() called before allocate_tensors(): the model is not ready")
        with self._exclusive():
            status = lib.mote_invoke(self._it)
        if status != lib.MOTE_OK:
            self._raise(status, self._it)

    def reset_all_variables(self) -> None:
        """Zeroes the state stateful ops (UNIDIRECTIONAL_SEQUENCE_LSTM) keep
        from one invoke to the next, as LiteRT's method of this name does."""
        if not self._allocated:
            raise errors.MoteRuntimeError(
                "reset_all_variables() called before allocate_tensors(): the model is not ready")
        with self._exclusive():
            status = lib.mote_reset_variables(self._it)
        if status != lib.MOTE_OK:
            self._raise(status, self._it)

    def invoke_profiled(self) -> list:
        """invoke(), timing each op: seconds per op in run order (0 for ops
        computed once at create). The C core has no clock of its own, so
        Python lends it one; each reading adds about a microsecond."""
        if not self._allocated:
            raise errors.MoteRuntimeError(
                "invoke_profiled() called before allocate_tensors(): the model is not ready")
        count = lib.mote_op_count(self._it)
        seconds = ffi.new("double[]", max(count, 1))
        clock = ffi.callback("double(void *)", lambda ctx: time.perf_counter())
        with self._exclusive():
            status = lib.mote_invoke_profiled(self._it, clock, ffi.NULL, seconds, count)
        if status != lib.MOTE_OK:
            self._raise(status, self._it)
        return list(seconds[0:count])

    # -- signatures ----------------------------------------------------------

    def _signatures(self) -> dict:
        """signature_key -> (subgraph, {input name: tensor}, {output name: tensor})."""
        out = {}
        info = ffi.new("mote_signature_info *")
        name, tensor = ffi.new("char **"), ffi.new("int *")

        def tensor_map(i, is_output, count):
            m = {}
            for j in range(count):
                lib.mote_signature_tensor(self._it, i, is_output, j, name, tensor)
                m[_text(name[0])] = tensor[0]
            return m

        for i in range(lib.mote_signature_count(self._it)):
            lib.mote_signature_info_get(self._it, i, info)
            out[_text(info.key)] = (info.subgraph, tensor_map(i, 0, info.num_inputs),
                                    tensor_map(i, 1, info.num_outputs))
        return out

    def get_signature_list(self) -> dict:
        """{signature_key: {"inputs": [names], "outputs": [names]}}; {} without signatures."""
        return {key: {"inputs": list(ins), "outputs": list(outs)}
                for key, (_, ins, outs) in self._signatures().items()}

    def get_signature_runner(self, signature_key: str | None = None) -> "SignatureRunner":
        """A callable running one signature: runner(x=array) -> {output name: array}."""
        signatures = self._signatures()
        if signature_key is None:
            if len(signatures) != 1:
                raise errors.InvalidArgumentError(
                    f"signature_key is None and the model has {len(signatures)} signatures; None "
                    f"is only allowed when the model has 1")
            signature_key = next(iter(signatures))
        if signature_key not in signatures:
            raise errors.InvalidArgumentError(
                f"invalid signature_key {signature_key!r}; the model has {sorted(signatures)}")
        subgraph, inputs, outputs = signatures[signature_key]
        if subgraph != 0:
            raise errors.UnsupportedError(
                f"signature {signature_key!r} runs subgraph {subgraph}; Mote runs subgraph 0 only")
        return SignatureRunner(self, inputs, outputs)

    # -- structure, for inspect and compare -------------------------------------

    def ops(self) -> list:
        """[{index, name, version, inputs, outputs, scratch_bytes, kernel}] in
        run order; kernel is the compute function chosen for this CPU and
        these shapes ("" for ops that only move data)."""
        out = []
        info = ffi.new("mote_op_info *")
        for i in range(lib.mote_op_count(self._it)):
            lib.mote_op_info_get(self._it, i, info)
            out.append({
                "index": i, "name": _text(info.name), "version": info.version,
                "inputs": [lib.mote_op_input(self._it, i, k) for k in range(info.num_inputs)],
                "outputs": [lib.mote_op_output(self._it, i, k) for k in range(info.num_outputs)],
                "scratch_bytes": int(info.scratch_bytes), "kernel": _text(info.kernel),
            })
        return out


class SignatureRunner:
    """One signature of an Interpreter, called as LiteRT's:
    runner(x=array) -> {output name: array}. Inputs of a new shape resize the
    interpreter's inputs first."""

    def __init__(self, interpreter: Interpreter, inputs: dict, outputs: dict):
        self._it = interpreter
        self._inputs = inputs
        self._outputs = outputs

    def get_input_details(self) -> dict:
        return {name: self._it._details(i) for name, i in self._inputs.items()}

    def get_output_details(self) -> dict:
        return {name: self._it._details(i) for name, i in self._outputs.items()}

    def __call__(self, **inputs) -> dict:
        if set(inputs) != set(self._inputs):
            raise errors.InvalidArgumentError(
                f"signature inputs are {sorted(self._inputs)}, got {sorted(inputs)}")
        values = {name: np.asarray(v) for name, v in inputs.items()}
        for name, v in values.items():
            if v.shape != tuple(self._it._details(self._inputs[name])["shape"]):
                self._it.resize_tensor_input(self._inputs[name], v.shape)
        if not self._it._allocated:
            self._it.allocate_tensors()
        for name, v in values.items():
            self._it.set_tensor(self._inputs[name], v)
        self._it.invoke()
        return {name: self._it.get_tensor(i) for name, i in self._outputs.items()}
