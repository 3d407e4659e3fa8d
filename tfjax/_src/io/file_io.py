"""tf.io ops: read_file / write_file, serialize_tensor / parse_tensor, decode_raw,
decode_csv, and the image codecs (decode_jpeg/png/gif/image, encode_jpeg/png) via Pillow."""

from __future__ import annotations

import io as _io
import os
import tempfile

import numpy as np

from tfjax._src import dtypes
from tfjax._src import errors
from tfjax._src import tensor as tensor_lib
from tfjax._src.io.example import TensorProto
from tfjax._src.io.gfile import as_path


def _host(x):
    if isinstance(x, tensor_lib.Tensor):
        v = x._value
        return v if isinstance(v, np.ndarray) else np.asarray(v)
    if isinstance(x, (bytes, str)):
        return tensor_lib._to_string_array(x)
    if isinstance(x, (list, tuple)):
        return tensor_lib.to_array(x) if not _has_str(x) else tensor_lib._to_string_array(np.array(x, dtype=object))
    arr = np.asarray(x)
    if arr.dtype.kind in "OSU":
        return tensor_lib._to_string_array(arr)
    return arr


def _has_str(x):
    if isinstance(x, (list, tuple)):
        return any(_has_str(e) for e in x)
    return isinstance(x, (str, bytes))


def _wrap(arr):
    from tfjax._src.io import host  # noqa: PLC0415
    return host.wrap(np.asarray(arr))


def _scalar_bytes(x, what):
    arr = _host(x)
    if arr.dtype.kind == "S":          # numpy bytes (e.g. np.array(b"...")) is a string value too
        arr = arr.astype(object)
    if arr.dtype != object:
        raise errors.InvalidArgumentError(f"{what} must be a string tensor, got {arr.dtype}.")
    if arr.ndim != 0:
        raise errors.InvalidArgumentError(f"{what} must be a scalar, got shape {list(arr.shape)}.")
    return arr[()]


# ---------------------------------------------------------------------------
# files
# ---------------------------------------------------------------------------

def read_file(filename, name=None):
    """``tf.io.read_file``: the whole file as a scalar string tensor."""
    path = as_path(_scalar_bytes(filename, "filename"))
    try:
        with open(path, "rb") as f:
            data = f.read()
    except FileNotFoundError:
        raise errors.NotFoundError(f"{path}; No such file or directory [Op:ReadFile]") from None
    except IsADirectoryError:
        raise errors.FailedPreconditionError(f"{path}; Is a directory [Op:ReadFile]") from None
    return _wrap(np.array(data, dtype=object))


def write_file(filename, contents, name=None):
    """``tf.io.write_file``: writes atomically (temporary file + rename); creates parent dirs like TF."""
    path = as_path(_scalar_bytes(filename, "filename"))
    data = _scalar_bytes(contents, "contents")
    d = os.path.dirname(os.path.abspath(path))
    os.makedirs(d, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=d, prefix="." + os.path.basename(path) + ".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise


# ---------------------------------------------------------------------------
# TensorProto
# ---------------------------------------------------------------------------

def tensor_to_proto(value) -> TensorProto:
    arr = _host(value)
    dt = dtypes.string if arr.dtype == object else dtypes.from_numpy(arr.dtype)
    p = TensorProto()
    p.dtype = dt.as_datatype_enum
    p.tensor_shape.SetInParent()
    for d in arr.shape:
        p.tensor_shape.dim.add().size = d
    if dt is dtypes.string:
        p.string_val.extend(arr.reshape(-1).tolist())
    elif arr.size:
        p.tensor_content = np.ascontiguousarray(arr).astype(arr.dtype.newbyteorder("<"), copy=False).tobytes()
    return p


_VAL_FIELDS = {
    dtypes.float32: "float_val", dtypes.float64: "double_val", dtypes.int32: "int_val",
    dtypes.int16: "int_val", dtypes.int8: "int_val", dtypes.uint8: "int_val", dtypes.uint16: "int_val",
    dtypes.int64: "int64_val", dtypes.bool: "bool_val", dtypes.uint32: "uint32_val",
    dtypes.uint64: "uint64_val", dtypes.complex64: "scomplex_val", dtypes.complex128: "dcomplex_val",
    dtypes.float16: "half_val", dtypes.bfloat16: "half_val", dtypes.string: "string_val",
}


def proto_to_array(p):
    dt = dtypes.as_dtype(int(p.dtype))
    if p.tensor_shape.unknown_rank:
        raise errors.InvalidArgumentError("Cannot parse a tensor of unknown rank.")
    shape = [int(d.size) for d in p.tensor_shape.dim]
    n = int(np.prod(shape)) if shape else 1
    if dt is dtypes.string:
        vals = list(p.string_val)
        arr = np.empty(n, dtype=object)
        if vals:
            arr[:len(vals)] = vals[:n]
            arr[len(vals):] = vals[-1]
        elif n:
            arr[:] = b""
        return arr.reshape(shape)
    npdt = dt._np
    if p.tensor_content:
        arr = np.frombuffer(p.tensor_content, dtype=npdt.newbyteorder("<")).astype(npdt)
        if arr.size != n:
            raise errors.InvalidArgumentError(
                f"Could not parse tensor: tensor_content has {arr.size} elements, shape {shape} needs {n}.")
        return arr.reshape(shape)
    field = _VAL_FIELDS.get(dt)
    if field is None:
        raise errors.InvalidArgumentError(f"Unsupported dtype {dt.name} in TensorProto.")
    vals = list(getattr(p, field))
    if dt in (dtypes.float16, dtypes.bfloat16):
        raw = np.array(vals, dtype=np.uint16).view(npdt)
    elif dt.is_complex:
        raw = np.array(vals, dtype=npdt.type(0).real.dtype).view(npdt)
    else:
        raw = np.array(vals, dtype=npdt)
    out = np.zeros(n, dtype=npdt)
    if raw.size:
        out[:min(n, raw.size)] = raw[:n]
        if raw.size < n:
            out[raw.size:] = raw[-1]
    return out.reshape(shape)


def serialize_tensor(tensor, name=None):
    """``tf.io.serialize_tensor``: the TensorProto bytes TF writes."""
    return _wrap(np.array(tensor_to_proto(tensor).SerializeToString(), dtype=object))


def parse_tensor(serialized, out_type, name=None):
    """``tf.io.parse_tensor``: TensorProto bytes → Tensor (dtype must equal ``out_type``)."""
    data = _scalar_bytes(serialized, "serialized")
    p = TensorProto()
    try:
        p.ParseFromString(data)
    except Exception:  # noqa: BLE001
        raise errors.InvalidArgumentError("Could not parse `serialized` as TensorProto: "
                                          f"'{data[:32]!r}' [Op:ParseTensor]") from None
    want = dtypes.as_dtype(out_type)
    have = dtypes.as_dtype(int(p.dtype))
    if have != want:
        raise errors.InvalidArgumentError(
            f"Type mismatch between parsed tensor ({have.name}) and dtype ({want.name}) [Op:ParseTensor]")
    return _wrap(proto_to_array(p))


def decode_raw(input_bytes, out_type, little_endian=True, fixed_length=None, name=None):
    """``tf.io.decode_raw``: reinterprets the bytes of each string as ``out_type`` values."""
    arr = _host(input_bytes)
    if arr.dtype != object:
        raise errors.InvalidArgumentError("decode_raw requires string input.")
    dt = dtypes.as_dtype(out_type)
    if dt is dtypes.string or dt._np is None:
        raise TypeError(f"Value for attr 'out_type' of {dt.name} is not in the list of allowed values.")
    npdt = dt._np.newbyteorder("<" if little_endian else ">")
    flat = arr.reshape(-1).tolist()
    size = npdt.itemsize
    if fixed_length is not None:
        fl = int(fixed_length.numpy() if hasattr(fixed_length, "numpy") else fixed_length)
        if fl % size:
            raise errors.InvalidArgumentError(
                f"fixed_length ({fl}) must be a multiple of the size of out_type ({size}) [Op:DecodeRaw]")
        rows = [np.frombuffer(s[:fl].ljust(fl, b"\0"), dtype=npdt) for s in flat]
        width = fl // size
    else:
        if flat:
            n0 = len(flat[0])
            for i, s in enumerate(flat):
                if len(s) != n0:
                    raise errors.InvalidArgumentError(
                        f"DecodeRaw requires input strings to all be the same size, but element {i} has "
                        f"size {len(s)} != {n0} [Op:DecodeRaw]")
            if n0 % size:
                raise errors.InvalidArgumentError(
                    f"Input to DecodeRaw has length {n0} that is not a multiple of {size}, the size of "
                    f"{dt.name} [Op:DecodeRaw]")
            width = n0 // size
        else:
            width = 0
        rows = [np.frombuffer(s, dtype=npdt) for s in flat]
    out = (np.stack(rows) if rows else np.zeros((0, width), npdt)).astype(dt._np)
    return _wrap(out.reshape(arr.shape + (width,)))


# ---------------------------------------------------------------------------
# images (Pillow)
# ---------------------------------------------------------------------------

def _pil():
    from PIL import Image  # noqa: PLC0415
    return Image


def _jpeg_fast_mode(img, dct_method, fancy_upscaling, gray_out):
    """Whether to decode with Pillow's "draft" flag (libjpeg JDCT_IFAST, no fancy upsampling)
    rather than its default (JDCT_ISLOW, fancy upsampling), to reproduce TF's libjpeg settings.

    TF decodes with JDCT_IFAST unless dct_method="INTEGER_ACCURATE" (JDCT_ISLOW). Pillow offers
    only those two combinations. Upsampling only matters for subsampled chroma, so grayscale
    output and 4:4:4 images are reproduced exactly; for subsampled colour output, TF's
    (ISLOW, fancy) and (IFAST, no fancy) are exact, and the other two get the decode with the
    same upsampling, which is the closer one (see docs/differences.md).
    """
    fast_dct = dct_method != "INTEGER_ACCURATE"
    layers = getattr(img, "layer", None) or []
    if gray_out or len({(h, v) for _, h, v, _ in layers}) <= 1:
        return fast_dct
    return not fancy_upscaling  # the upsampling difference is the larger one: match it


def _open_image(data, op, draft_mode=None, ratio=1, dct_method="", fancy_upscaling=True):
    Image = _pil()
    try:
        img = Image.open(_io.BytesIO(data))
        if img.format == "JPEG":
            if draft_mode or ratio != 1:
                # libjpeg decodes straight to grayscale / scaled output, as TF's decoder does.
                img.draft(draft_mode or img.mode, (max(1, img.width // ratio), max(1, img.height // ratio)))
            if _jpeg_fast_mode(img, dct_method, fancy_upscaling, img.mode == "L"):
                # Pillow's decoder config is (scale, draft); draft selects IFAST, no fancy upsampling
                scale = img.decoderconfig[0] if img.decoderconfig else 1
                img.decoderconfig = (scale, 1)
        img.load()
    except Exception as e:  # noqa: BLE001
        raise errors.InvalidArgumentError(f"{op}: could not decode image: {e} [Op:{op}]") from None
    return img


def _rgb_to_gray_libpng(arr):
    """libpng's png_set_rgb_to_gray(1, 0.299, 0.587) in fixed point (what TF's PNG decoder does)."""
    r, g, b = (arr[..., i].astype(np.int64) for i in range(3))
    return ((9797 * r + 19234 * g + 3737 * b) >> 15).astype(np.uint8)


def _to_channels(img, channels, op, dtype=np.uint8):
    mode = img.mode
    if channels in (0, None):
        if mode in ("L", "I;16", "I;16B", "I", "1", "P") and mode != "P":
            channels = 1
        elif mode == "LA":
            channels = 2
        elif mode in ("RGBA", "PA") or (mode == "P" and "transparency" in img.info):
            channels = 4
        else:
            channels = 3
    if dtype == np.uint16 and mode.startswith("I"):
        arr = np.array(img, dtype=np.uint16)
        if channels == 1:
            return arr[..., None]
        arr = np.repeat(arr[..., None], channels if channels != 4 else 3, axis=-1)
        if channels == 4:
            arr = np.concatenate([arr, np.full(arr.shape[:2] + (1,), 65535, np.uint16)], axis=-1)
        return arr
    target = {1: "L", 2: "LA", 3: "RGB", 4: "RGBA"}.get(channels)
    if target is None:
        raise errors.InvalidArgumentError(f"channels must be 0, 1, 2, 3 or 4, got {channels} [Op:{op}]")
    if img.mode != target:
        img = img.convert(target)
    arr = np.array(img, dtype=np.uint8)
    if arr.ndim == 2:
        arr = arr[..., None]
    if dtype == np.uint16:
        arr = arr.astype(np.uint16) * 257
    return arr


def decode_jpeg(contents, channels=0, ratio=1, fancy_upscaling=True, try_recover_truncated=False,
                acceptable_fraction=1, dct_method="", name=None):
    data = _scalar_bytes(contents, "contents")
    if ratio not in (1, 2, 4, 8):
        raise errors.InvalidArgumentError("ratio must be 1, 2, 4 or 8 [Op:DecodeJpeg]")
    if isinstance(dct_method, bytes):
        dct_method = dct_method.decode()
    img = _open_image(data, "DecodeJpeg", "L" if channels == 1 else None, ratio, dct_method or "",
                      bool(fancy_upscaling))
    if channels not in (0, 1, 3):
        raise errors.InvalidArgumentError(f"channels must be 0, 1, or 3, got {channels} [Op:DecodeJpeg]")
    return _wrap(_to_channels(img, channels, "DecodeJpeg"))


def decode_png(contents, channels=0, dtype=dtypes.uint8, name=None):
    data = _scalar_bytes(contents, "contents")
    dt = dtypes.as_dtype(dtype)
    if dt not in (dtypes.uint8, dtypes.uint16):
        raise TypeError(f"Value for attr 'dtype' of {dt.name} is not in the list of allowed values: "
                        "uint8, uint16")
    if channels not in (0, 1, 3, 4):
        raise errors.InvalidArgumentError(f"`channels` must be 0, 1, 3 or 4 but got {channels} [Op:DecodePng]")
    img = _open_image(data, "DecodePng")
    return _wrap(_png_channels(img, channels, dt._np.type))


def _png_channels(img, channels, dtype):
    if channels == 1 and img.mode in ("RGB", "RGBA", "P") and dtype == np.uint8:
        rgb = np.array(img.convert("RGB"), dtype=np.uint8)
        return _rgb_to_gray_libpng(rgb)[..., None]
    return _to_channels(img, channels, "DecodePng", dtype)


def decode_gif(contents, name=None):
    data = _scalar_bytes(contents, "contents")
    img = _open_image(data, "DecodeGif")
    frames = []
    try:
        k = 0
        while True:
            img.seek(k)
            frames.append(np.array(img.convert("RGB"), dtype=np.uint8))
            k += 1
    except EOFError:
        pass
    return _wrap(np.stack(frames))


def decode_bmp(contents, channels=0, name=None):
    data = _scalar_bytes(contents, "contents")
    return _wrap(_to_channels(_open_image(data, "DecodeBmp"), channels, "DecodeBmp"))


def _convert_uint8_to(arr, dt):
    if dt == dtypes.uint8:
        return arr
    if dt.is_floating:
        return (arr.astype(np.float64) / 255.0).astype(dt._np)
    if dt == dtypes.uint16:
        return arr.astype(np.uint16) * 257
    raise TypeError(f"Unsupported dtype for decode_image: {dt.name}")


def decode_image(contents, channels=None, dtype=dtypes.uint8, name=None, expand_animations=True):
    """``tf.io.decode_image``: detects JPEG/PNG/GIF/BMP; GIFs give 4-D [frames, H, W, 3]."""
    data = _scalar_bytes(contents, "contents")
    dt = dtypes.as_dtype(dtype)
    if data[:3] == b"GIF":
        out = decode_gif(contents)
        arr = np.asarray(out._value)
        if not expand_animations:
            arr = arr[0]
        return _wrap(_convert_uint8_to(arr, dt))
    if data[:8] == b"\x89PNG\r\n\x1a\n" and dt == dtypes.uint16:
        return decode_png(contents, channels or 0, dtypes.uint16)
    if not (data[:3] == b"\xff\xd8\xff" or data[:8] == b"\x89PNG\r\n\x1a\n" or data[:2] == b"BM"):
        raise errors.InvalidArgumentError(
            "Unknown image file format. One of JPEG, PNG, GIF, BMP required. [Op:DecodeImage]")
    is_jpg = data[:3] == b"\xff\xd8\xff"
    img = _open_image(data, "DecodeImage", "L" if (is_jpg and channels == 1) else None)
    arr = (_png_channels(img, channels or 0, np.uint8) if data[:8] == b"\x89PNG\r\n\x1a\n"
           else _to_channels(img, channels or 0, "DecodeImage"))
    return _wrap(_convert_uint8_to(arr, dt))


def _image_array(image, op):
    arr = _host(image)
    if arr.ndim != 3:
        raise errors.InvalidArgumentError(f"image must be 3-dimensional, got shape {list(arr.shape)} [Op:{op}]")
    return arr


def encode_jpeg(image, format="", quality=95, progressive=False, optimize_size=False,
                chroma_downsampling=True, density_unit="in", x_density=300, y_density=300,
                xmp_metadata="", name=None):
    arr = _image_array(image, "EncodeJpeg")
    if arr.dtype != np.uint8:
        raise TypeError("encode_jpeg requires a uint8 image.")
    c = arr.shape[-1]
    if format == "grayscale" and c != 1 or format == "rgb" and c != 3 or c not in (1, 3):
        raise errors.InvalidArgumentError(f"image must have 1 or 3 channels, got {c} [Op:EncodeJpeg]")
    Image = _pil()
    img = Image.fromarray(arr[..., 0] if c == 1 else arr, "L" if c == 1 else "RGB")
    buf = _io.BytesIO()
    img.save(buf, format="JPEG", quality=int(quality), progressive=bool(progressive),
             optimize=bool(optimize_size), subsampling=2 if chroma_downsampling else 0,
             dpi=(int(x_density), int(y_density)))
    return _wrap(np.array(buf.getvalue(), dtype=object))


def encode_png(image, compression=-1, name=None):
    arr = _image_array(image, "EncodePng")
    c = arr.shape[-1]
    if c not in (1, 2, 3, 4):
        raise errors.InvalidArgumentError(f"image must have 1-4 channels, got {c} [Op:EncodePng]")
    Image = _pil()
    if arr.dtype == np.uint16:
        if c != 1:
            raise errors.unsupported("encode_png of multi-channel uint16 images")
        img = Image.fromarray(arr[..., 0].astype(np.uint16), "I;16")
    elif arr.dtype == np.uint8:
        img = Image.fromarray(arr[..., 0] if c == 1 else arr, {1: "L", 2: "LA", 3: "RGB", 4: "RGBA"}[c])
    else:
        raise TypeError("encode_png requires a uint8 or uint16 image.")
    buf = _io.BytesIO()
    level = 6 if compression is None or int(compression) < 0 else int(compression)
    img.save(buf, format="PNG", compress_level=level)
    return _wrap(np.array(buf.getvalue(), dtype=object))


def extract_jpeg_shape(contents, output_type=dtypes.int32, name=None):
    data = _scalar_bytes(contents, "contents")
    img = _open_image(data, "ExtractJpegShape")
    c = {"L": 1, "RGB": 3, "CMYK": 4}.get(img.mode, 3)
    return _wrap(np.array([img.height, img.width, c], dtype=dtypes.as_dtype(output_type)._np))


def is_jpeg(contents, name=None):
    data = _scalar_bytes(contents, "contents")
    return _wrap(np.array(data[:3] == b"\xff\xd8\xff"))


# ---------------------------------------------------------------------------
# CSV
# ---------------------------------------------------------------------------

def decode_csv(records, record_defaults, field_delim=",", use_quote_delim=True, na_value="",
               select_cols=None, name=None):
    """``tf.io.decode_csv``: splits each record; one output tensor per column."""
    import csv  # noqa: PLC0415
    arr = _host(records)
    if arr.dtype != object:
        raise errors.InvalidArgumentError("records must be strings.")
    defaults = []
    for d in record_defaults:
        if isinstance(d, (dtypes.DType, type)) or (isinstance(d, str) and d in dtypes._BY_NAME):
            defaults.append((dtypes.as_dtype(d), None))
            continue
        h = _host(d)
        dt = dtypes.string if h.dtype == object else dtypes.from_numpy(h.dtype)
        val = h.reshape(-1)[0] if h.size else None
        defaults.append((dt, val))
    n = len(defaults)
    cols = [np.empty(arr.shape, dtype=object if dt is dtypes.string else dt._np) for dt, _ in defaults]
    flat_out = [c.reshape(-1) for c in cols]
    na = na_value.encode() if isinstance(na_value, str) else na_value
    for i, rec in enumerate(arr.reshape(-1).tolist()):
        text = rec.decode("utf-8")
        fields = next(csv.reader([text], delimiter=field_delim,
                                 quoting=csv.QUOTE_MINIMAL if use_quote_delim else csv.QUOTE_NONE)) if text else [""]
        if select_cols is not None:
            fields = [fields[j] for j in select_cols]
        if len(fields) != n:
            raise errors.InvalidArgumentError(
                f"Expect {n} fields but have {len(fields)} in record {i} [Op:DecodeCSV]")
        for j, (f, (dt, dv)) in enumerate(zip(fields, defaults)):
            fb = f.encode()
            if fb == b"" or fb == na:
                if dv is None:
                    raise errors.InvalidArgumentError(f"Field {j} is required but missing in record {i}!")
                flat_out[j][i] = dv
            elif dt is dtypes.string:
                flat_out[j][i] = fb
            else:
                try:
                    flat_out[j][i] = (float(f) if dt.is_floating else int(f)) if not dt.is_bool else f in ("1", "true", "True")
                except ValueError:
                    raise errors.InvalidArgumentError(
                        f"Field {j} in record {i} is not a valid {dt.name}: {f} [Op:DecodeCSV]") from None
    return [_wrap(c) for c in cols]


# ---------------------------------------------------------------------------
# misc string codecs
# ---------------------------------------------------------------------------

def matching_files(pattern, name=None):
    """``tf.io.matching_files``: sorted file names matching the glob pattern(s)."""
    from tfjax._src.io import gfile  # noqa: PLC0415
    pats = _host(pattern).reshape(-1).tolist()
    names = sorted({n for p in pats for n in gfile.glob(p.decode() if isinstance(p, bytes) else p)})
    return _wrap(np.array([n.encode() for n in names], dtype=object).reshape(-1))


def encode_base64(input, pad=False, name=None):  # noqa: A002
    """``tf.io.encode_base64``: web-safe base64 (``-``/``_``), unpadded unless ``pad``."""
    import base64  # noqa: PLC0415
    arr = _host(input)
    out = np.empty(arr.shape, dtype=object)
    for i, s in enumerate(arr.reshape(-1).tolist()):
        e = base64.urlsafe_b64encode(s)
        out.reshape(-1)[i] = e if pad else e.rstrip(b"=")
    return _wrap(out)


def decode_base64(input, name=None):  # noqa: A002
    import base64  # noqa: PLC0415
    import binascii  # noqa: PLC0415
    arr = _host(input)
    out = np.empty(arr.shape, dtype=object)
    for i, s in enumerate(arr.reshape(-1).tolist()):
        try:
            out.reshape(-1)[i] = base64.urlsafe_b64decode(s + b"=" * (-len(s) % 4))
        except (binascii.Error, ValueError):
            raise errors.InvalidArgumentError(f"Invalid character found in base64. [Op:DecodeBase64]") from None
    return _wrap(out)


def decode_compressed(bytes, compression_type="", name=None):  # noqa: A002
    import gzip  # noqa: PLC0415
    import zlib  # noqa: PLC0415
    arr = _host(bytes)
    out = np.empty(arr.shape, dtype=object)
    ct = compression_type.upper() if compression_type else ""
    for i, s in enumerate(arr.reshape(-1).tolist()):
        try:
            out.reshape(-1)[i] = (gzip.decompress(s) if ct == "GZIP" else zlib.decompress(s) if ct == "ZLIB"
                                  else s)
        except (OSError, zlib.error, EOFError) as e:
            raise errors.DataLossError(f"Failed to decompress: {e} [Op:DecodeCompressed]") from None
    return _wrap(out)


def match_filenames_once(pattern, name=None):
    """``tf.io.match_filenames_once``: the files matching ``pattern``, evaluated now. TF 2 returns
    a non-trainable string Variable holding them; tfjax (no string variables) returns the tensor."""
    return matching_files(pattern)


def decode_json_example(json_examples, name=None):
    """``tf.io.decode_json_example``: JSON ``tf.train.Example`` text (protobuf JSON mapping) ->
    the binary serialized Example."""
    from google.protobuf import json_format  # noqa: PLC0415
    from tfjax._src.io.example import Example  # noqa: PLC0415
    arr = _host(json_examples)
    if arr.dtype != object:
        raise errors.InvalidArgumentError("json_examples must be strings.")
    out = np.empty(arr.shape, dtype=object)
    flat = out.reshape(-1)
    for i, s in enumerate(arr.reshape(-1).tolist()):
        try:
            msg = json_format.Parse(s.decode("utf-8") if isinstance(s, bytes) else s, Example())
        except (json_format.ParseError, UnicodeDecodeError) as e:
            raise errors.InvalidArgumentError(f"Error while parsing JSON: {e} [Op:DecodeJSONExample]") from None
        flat[i] = _example_wire(msg, s)
    return _wrap(out)


def _varint(n):
    out = bytearray()
    n &= (1 << 64) - 1
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def _ld(field, payload):
    return _varint(field << 3 | 2) + _varint(len(payload)) + payload


def _example_wire(msg, text):
    """The bytes TF's JSON->binary converter writes: fields in JSON order, repeated scalars
    *unpacked* (one tag per value), as protobuf's streaming JsonToBinaryString does."""
    import json  # noqa: PLC0415
    import struct  # noqa: PLC0415
    obj = json.loads(text)
    if "features" not in obj:
        return b""
    fobj = obj["features"] or {}
    feats = fobj.get("feature", {}) or {}
    body = b""
    kinds = {"bytesList": 1, "bytes_list": 1, "floatList": 2, "float_list": 2, "int64List": 3, "int64_list": 3}
    for key, fjson in feats.items():
        f = msg.features.feature[key]
        fb = b""
        for kname in (fjson or {}):
            num = kinds[kname]
            if num == 1:
                lst = b"".join(_ld(1, v) for v in f.bytes_list.value)
            elif num == 2:
                lst = b"".join(b"\x0d" + struct.pack("<f", v) for v in f.float_list.value)
            else:
                lst = b"".join(b"\x08" + _varint(v) for v in f.int64_list.value)
            fb += _ld(num, lst)
        body += _ld(1, _ld(1, key.encode()) + _ld(2, fb))
    return _ld(1, body)


def decode_proto(*args, **kwargs):
    raise errors.unsupported("tf.io.decode_proto", "tfjax has no runtime protobuf descriptor ops; parse the "
                             "bytes in Python with the message class (google.protobuf)")


def encode_proto(*args, **kwargs):
    raise errors.unsupported("tf.io.encode_proto", "tfjax has no runtime protobuf descriptor ops; build the "
                             "message in Python and call SerializeToString()")


def write_graph(*args, **kwargs):
    raise errors.unsupported("tf.io.write_graph", "tfjax programs are JAX programs, not GraphDefs; use "
                             "tf.saved_model.save / jax.export, or tf.summary.trace_export for TensorBoard")
