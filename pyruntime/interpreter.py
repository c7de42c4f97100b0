"""`Interpreter`: the C runtime with tf.lite.Interpreter's names.

    it = Interpreter(model_path="model.tflite")
    it.allocate_tensors()
    it.set_tensor(it.get_input_details()[0]["index"], x)
    it.invoke()
    y = it.get_tensor(it.get_output_details()[0]["index"])
"""
from __future__ import annotations

import os

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
        raise errors.InvalidModelError(ffi.string(msg).decode())


class Interpreter:
    """Runs a .tflite model on Mote's C runtime.

    preserve_all_tensors gives every tensor its own arena memory so that
    intermediate tensors can be read after invoke() (for per-layer comparison);
    by default activations share memory by lifetime.
    """

    def __init__(self, model_path: str | os.PathLike | None = None,
                 model_content: bytes | None = None, num_threads: int = 1,
                 preserve_all_tensors: bool = False):
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
        self.num_threads = num_threads   # kernels are single-threaded for now
        self._model_bytes = bytes(model_content)
        self._model_keep, self._model = _aligned_copy(self._model_bytes)
        self._flags = lib.MOTE_PRESERVE_ALL_TENSORS if preserve_all_tensors else 0
        self._it = None
        self._arena = None
        # Size the arena now, so that errors in the model surface at construction
        # as LiteRT's do, and arena_bytes is known before allocate_tensors().
        self._create()

    # -- set-up --------------------------------------------------------------

    def _raise(self, status: int, it=None):
        message = ffi.string(lib.mote_error_message(it)).decode() if it else \
            ffi.string(lib.mote_status_name(status)).decode()
        if status == lib.MOTE_ERROR_ARENA_TOO_SMALL:
            raise errors.ArenaTooSmallError(message, lib.mote_arena_required(it) if it else 0)
        raise _ERRORS.get(status, errors.MoteError)(message)

    def _create(self) -> None:
        size = lib.mote_interpreter_bytes() + 16
        out = ffi.new("mote_interpreter **")
        # Each refusal reports what it learned (a lower bound until the tables,
        # then the plan's temporary storage, fit; then the exact size).
        while True:
            arena = ffi.new("uint8_t[]", size)
            status = lib.mote_create(self._model, len(self._model_bytes), arena, size,
                                     self._flags, out)
            if status != lib.MOTE_ERROR_ARENA_TOO_SMALL or out[0] == ffi.NULL:
                break
            needed = lib.mote_arena_required(out[0]) + 16   # + room to align the arena
            if needed <= size:
                break
            size = needed
        if status != lib.MOTE_OK:
            self._raise(status, out[0] if out[0] != ffi.NULL else None)
        self._arena, self._it = arena, out[0]

    def allocate_tensors(self) -> None:
        """Kept for LiteRT compatibility: the arena is planned at construction."""

    @property
    def arena_bytes(self) -> int:
        """Bytes of arena the model needs: tables, activations, scratch and
        prepared parameters."""
        return int(lib.mote_arena_required(self._it))

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
            "name": ffi.string(info.name).decode(),
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
        info = self._info(index)
        shape = tuple(info.dims[i] for i in range(info.ndims))
        if info.data == ffi.NULL:
            raise errors.InvalidArgumentError(
                f"tensor {index} '{ffi.string(info.name).decode()}' has no data: no op uses it")
        buf = ffi.buffer(info.data, info.bytes)
        return np.frombuffer(buf, dtype=_DTYPES[info.type]).reshape(shape)

    def set_tensor(self, tensor_index: int, value) -> None:
        inputs = [lib.mote_input_tensor(self._it, i) for i in range(lib.mote_input_count(self._it))]
        if tensor_index not in inputs:
            raise errors.InvalidArgumentError(
                f"tensor {tensor_index} is not a model input; inputs are tensors {inputs}")
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
        """LiteRT-style accessor: a function returning a live numpy view."""
        return lambda: self._view(tensor_index)

    def invoke(self) -> None:
        status = lib.mote_invoke(self._it)
        if status != lib.MOTE_OK:
            self._raise(status, self._it)

    # -- structure, for inspect and compare -------------------------------------

    def ops(self) -> list:
        """[{index, name, version, inputs, outputs, scratch_bytes}] in run order."""
        out = []
        info = ffi.new("mote_op_info *")
        for i in range(lib.mote_op_count(self._it)):
            lib.mote_op_info_get(self._it, i, info)
            out.append({
                "index": i, "name": ffi.string(info.name).decode(), "version": info.version,
                "inputs": [lib.mote_op_input(self._it, i, k) for k in range(info.num_inputs)],
                "outputs": [lib.mote_op_output(self._it, i, k) for k in range(info.num_outputs)],
                "scratch_bytes": int(info.scratch_bytes),
            })
        return out
