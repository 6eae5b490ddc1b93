"""A test stand-in for Python's onnxruntime package, backed by OpenCV's DNN module. Not ONNX Runtime.

Debian 12 has no package of Python's onnxruntime, so tests/UlcAg.Inference.Tests (TrainedExportTests)
runs the Python ONNX Runtime example of docs/deploy.md (tools/deploy-check/classify.py) with this
folder on PYTHONPATH. It implements only the calls that example makes, with onnxruntime's signatures
and semantics:

    InferenceSession(path, providers=["CPUExecutionProvider"])
    session.get_modelmeta().custom_metadata_map      the model's metadata_props, a dict
    session.run(output_names, {input_name: array})   numpy arrays, in the order asked

The feed is checked as onnxruntime checks it (input names, element type, rank, fixed dimensions) and
then runs in cv2.dnn, which the OpenCV tests (classify_opencv.py) show gives ONNX Runtime's outputs to
1e-4 on both UlcAg exports: model.onnx (uint8 [N, H, W, 3]) and model.float32.onnx (float32
[N, 3, H, W]). Any other call or argument raises NotImplementedError, and a feed onnxruntime rejects
raises ValueError with onnxruntime's message, rather than doing something onnxruntime would not.
"""
import os

import cv2
import numpy as np

__all__ = ["InferenceSession"]

_CPU = "CPUExecutionProvider"
# TensorProto.DataType numbers of the element types the stand-in can feed and return.
_TENSOR_TYPES = {1: np.dtype(np.float32), 2: np.dtype(np.uint8)}
_TYPE_NAMES = {np.dtype(np.float32): "tensor(float)", np.dtype(np.float64): "tensor(double)"}  # as onnxruntime names them


def __getattr__(name):  # PEP 562: the rest of onnxruntime's module API
    if name.startswith("__"):
        raise AttributeError(name)
    raise NotImplementedError(f"onnxruntime.{name}: not in the test stand-in (only InferenceSession, get_modelmeta and run)")


def _varint(buf, pos):
    """The base-128 varint at pos, and the position after it."""
    end = pos
    while buf[end] & 0x80:
        end += 1
    return sum((b & 0x7F) << (7 * i) for i, b in enumerate(buf[pos:end + 1])), end + 1


def _fields(buf):
    """(field number, value) of one protobuf message: an int for a varint, a memoryview for a length-delimited field.

    Unlike the metadata reader of classify_opencv.py (which cannot be imported: it is a script) this
    keeps varints, for element types and dimensions."""
    pos = 0
    while pos < len(buf):
        key, pos = _varint(buf, pos)
        field, wire = key >> 3, key & 7
        if wire == 0:
            value, pos = _varint(buf, pos)
        elif wire == 2:
            length, pos = _varint(buf, pos)
            value, pos = buf[pos:pos + length], pos + length
        elif wire in (1, 5):  # fixed64, fixed32: no field read here has them
            pos += 8 if wire == 1 else 4
            continue
        else:
            raise ValueError(f"unsupported protobuf wire type {wire}")
        yield field, value


def _text(body):
    return bytes(body).decode()


class _Tensor:
    """A graph input or output (ValueInfoProto): its name, element type and dimensions (int, or str for a dim_param)."""

    def __init__(self, value_info):
        self.name, self.type, self.dims = "", None, []
        for field, body in _fields(value_info):
            if field == 1:
                self.name = _text(body)
            elif field == 2:  # TypeProto
                for type_field, tensor_type in _fields(body):
                    if type_field != 1:  # only TypeProto.tensor_type
                        raise NotImplementedError(f"{self.name}: only tensor inputs and outputs are in the test stand-in")
                    for tensor_field, value in _fields(tensor_type):
                        if tensor_field == 1:
                            self.type = value
                        elif tensor_field == 2:  # TensorShapeProto.dim: dim_value = 1, dim_param = 2
                            for _, dim in _fields(value):
                                d = dict(_fields(dim))
                                self.dims.append(d[1] if 1 in d else _text(d.get(2, b"?")))
        self.dtype = _TENSOR_TYPES.get(self.type)


class _ModelMetadata:
    def __init__(self, custom_metadata_map):
        self.custom_metadata_map = custom_metadata_map

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        raise NotImplementedError(f"ModelMetadata.{name}: not in the test stand-in (only custom_metadata_map)")


class InferenceSession:
    """onnxruntime.InferenceSession on a model file, run by cv2.dnn on the CPU."""

    def __init__(self, path_or_bytes, sess_options=None, providers=None, provider_options=None, **kwargs):
        if not isinstance(path_or_bytes, (str, os.PathLike)):
            raise NotImplementedError("InferenceSession: the test stand-in loads a model path only")
        if sess_options is not None or provider_options is not None or kwargs:
            raise NotImplementedError("InferenceSession: the test stand-in takes no session or provider options")
        if providers is not None and list(providers) != [_CPU]:
            raise NotImplementedError(f"InferenceSession: providers {providers!r}; the test stand-in has only [{_CPU!r}]")

        path = os.fspath(path_or_bytes)
        with open(path, "rb") as f:
            model = memoryview(f.read())
        self._metadata, graph = {}, None
        for field, body in _fields(model):
            if field == 14:  # metadata_props: StringStringEntryProto (key = 1, value = 2)
                entry = dict(_fields(body))
                self._metadata[_text(entry[1])] = _text(entry.get(2, b""))
            elif field == 7:
                graph = body
        if graph is None:
            raise ValueError(f"{path}: no graph in the model")

        # GraphProto: initializer = 5 (TensorProto, name = 8), input = 11, output = 12.
        initializers, inputs, self._outputs = set(), [], []
        for field, body in _fields(graph):
            if field == 5:
                initializers.add(next((_text(v) for f, v in _fields(body) if f == 8), ""))
            elif field == 11:
                inputs.append(body)
            elif field == 12:
                self._outputs.append(_Tensor(body))
        # Since IR version 4 an initializer listed among the inputs is an overridable default.
        self._inputs = [t for t in map(_Tensor, inputs) if t.name not in initializers]
        for tensor in self._inputs + self._outputs:
            if tensor.dtype is None:
                raise NotImplementedError(f"{tensor.name}: element type {tensor.type} is not in the test stand-in (float32 and uint8 are)")
        self._net = cv2.dnn.readNetFromONNX(path)

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        raise NotImplementedError(f"InferenceSession.{name}: not in the test stand-in (only get_modelmeta and run)")

    def get_modelmeta(self):
        return _ModelMetadata(dict(self._metadata))

    def run(self, output_names, input_feed, run_options=None):
        """The outputs named (all when None or empty), as numpy arrays of the model's declared shapes."""
        if run_options is not None:
            raise NotImplementedError("run: the test stand-in takes no run options")
        outputs = {o.name: o for o in self._outputs}
        names = list(output_names) if output_names else list(outputs)
        for name in names:
            if name not in outputs:
                raise ValueError(f"Invalid Output Name:{name}")

        inputs = {i.name: i for i in self._inputs}
        for name in input_feed:
            if name not in inputs:
                raise ValueError(f"Invalid input name: {name}")
        sizes = {}  # dim_param -> its size in this feed
        for name, declared in inputs.items():
            if name not in input_feed:
                raise ValueError(f"Required inputs (['{name}']) are missing from input feed.")
            array = input_feed[name]
            if not isinstance(array, np.ndarray):
                raise NotImplementedError(f"run: input {name} must be a numpy array in the test stand-in")
            if array.dtype != declared.dtype:
                actual, expected = (_TYPE_NAMES.get(t, f"tensor({t})") for t in (array.dtype, declared.dtype))
                raise ValueError(f"Unexpected input data type. Actual: ({actual}) , expected: ({expected})")
            if array.ndim != len(declared.dims):
                raise ValueError(f"Invalid rank for input: {name} Got: {array.ndim} Expected: {len(declared.dims)}")
            for index, (got, expected) in enumerate(zip(array.shape, declared.dims)):
                if isinstance(expected, int) and got != expected:
                    raise ValueError(f"Got invalid dimensions for input: {name} index: {index} Got: {got} Expected: {expected}")
                if isinstance(expected, str):
                    sizes[expected] = got
            # cv2.dnn takes the array as it is laid out in memory: make it the C order it declares.
            self._net.setInput(np.ascontiguousarray(array), name)

        results = self._net.forward(names)
        arrays = []
        for name, result in zip(names, results):
            declared = outputs[name]
            unknown = [d for d in declared.dims if isinstance(d, str) and d not in sizes]
            if unknown:
                raise NotImplementedError(f"run: output {name} has dimensions {unknown} that no input fixes")
            shape = tuple(sizes.get(d, d) for d in declared.dims)
            if result.size != int(np.prod(shape)) or result.dtype != declared.dtype:
                raise RuntimeError(f"cv2.dnn gave {name} as {result.dtype} {result.shape}; the model declares {declared.dtype} {shape}")
            arrays.append(result.reshape(shape))
        return arrays
