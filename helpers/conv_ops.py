"""Reference convolution and pooling in NumPy, written to be read (loops) and to be used (vectorised).

Conventions, as in Keras (channels last):

* an image is (H, W) - one channel - or (H, W, C); a batch is (N, H, W, C);
* 2-D kernels are (KH, KW) for one channel and one filter, (KH, KW, C_in) for one filter over C_in
  channels, or (KH, KW, C_in, C_out) for a layer of C_out filters (the layout of ``Conv2D.kernel``);
* "convolution" means cross-correlation, as in every deep-learning library: the kernel is not flipped;
* ``padding`` is "valid" (none), "same" (output size ceil(I / stride), extra padding at the bottom/right
  like TensorFlow), an int P (P zeros on every side), or ((top, bottom), (left, right));
* ``stride`` and ``dilation`` are an int or a (vertical, horizontal) pair. A dilated K x K kernel spans
  K + (K - 1)(D - 1) pixels.

The output keeps the input's form: no batch axis in, no batch axis out; a single-filter kernel gives a
(H_out, W_out) map, a (KH, KW, C_in, C_out) kernel gives (H_out, W_out, C_out).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

Padding = str | int | tuple[tuple[int, int], tuple[int, int]]
Pair = int | tuple[int, int]


# ----------------------------------------------------------------------------- sizes, parameters, costs

def effective_kernel_size(kernel_size: int, dilation: int = 1) -> int:
    """Pixels spanned by a dilated kernel: K + (K - 1)(D - 1)."""
    _check_positive(kernel_size=kernel_size, dilation=dilation)
    return kernel_size + (kernel_size - 1) * (dilation - 1)


def conv_output_size(input_size: int, kernel_size: int, stride: int = 1, padding: str | int = 0,
                     dilation: int = 1) -> int:
    """Output length along one axis: floor((I - K_eff + 2P) / S) + 1, or ceil(I / S) for "same".

    ``padding`` is the number of zeros added on each side, or "valid" (0) or "same".
    """
    _check_positive(input_size=input_size, stride=stride)
    k = effective_kernel_size(kernel_size, dilation)
    if padding == "same":
        return math.ceil(input_size / stride)
    pad = 0 if padding == "valid" else padding
    if not isinstance(pad, int) or pad < 0:
        raise ValueError(f'padding must be "valid", "same" or a non-negative int, got {padding!r}.')
    if k > input_size + 2 * pad:
        raise ValueError(f"The kernel (spanning {k} pixels) is larger than the padded input "
                         f"({input_size} + 2*{pad} = {input_size + 2 * pad}).")
    return (input_size - k + 2 * pad) // stride + 1


def conv2d_params(in_channels: int, filters: int, kernel_size: Pair, use_bias: bool = True) -> int:
    """Weights of a Conv2D layer: (KH * KW * C_in + 1) * C_out (without the + 1 if there is no bias)."""
    kh, kw = _pair(kernel_size, "kernel_size")
    return (kh * kw * in_channels + int(use_bias)) * filters


def depthwise_conv2d_params(channels: int, kernel_size: Pair, multiplier: int = 1, use_bias: bool = True) -> int:
    """Weights of a DepthwiseConv2D layer: each channel has its own K x K kernel(s)."""
    kh, kw = _pair(kernel_size, "kernel_size")
    return (kh * kw + int(use_bias)) * channels * multiplier


def dense_macs(inputs: int, units: int) -> int:
    """Multiply-accumulates of a dense layer: one per weight, M * N."""
    return inputs * units


def conv2d_macs(kernel_size: Pair, in_channels: int, output_shape: tuple[int, int, int]) -> int:
    """Multiply-accumulates of a convolution: KH * KW * C_in for each of the H_out * W_out * C_out outputs."""
    kh, kw = _pair(kernel_size, "kernel_size")
    out_h, out_w, out_c = output_shape
    return kh * kw * in_channels * out_h * out_w * out_c


def depthwise_conv2d_macs(kernel_size: Pair, output_shape: tuple[int, int, int]) -> int:
    """Multiply-accumulates of a depthwise convolution: KH * KW for each output value (one input channel each)."""
    kh, kw = _pair(kernel_size, "kernel_size")
    out_h, out_w, out_c = output_shape
    return kh * kw * out_h * out_w * out_c


@dataclass(frozen=True)
class ReceptiveField:
    size: int  # input pixels (per axis) that one output pixel sees
    jump: int  # input pixels between neighbouring output pixels


def receptive_field(layers: list[tuple[int, int] | tuple[int, int, int]]) -> ReceptiveField:
    """Receptive field of a stack of layers given as (kernel, stride) or (kernel, stride, dilation).

    Pooling counts as a layer too: 2x2 max pooling with stride 2 is (2, 2). Each layer widens the field
    by (K_eff - 1) times the current jump, and multiplies the jump by its stride.
    """
    size, jump = 1, 1
    for layer in layers:
        kernel, stride, *rest = layer
        size += (effective_kernel_size(kernel, rest[0] if rest else 1) - 1) * jump
        jump *= stride
    return ReceptiveField(size, jump)


# ----------------------------------------------------------------------------- convolution

def conv1d_loop(signal: np.ndarray, kernel: np.ndarray, stride: int = 1, padding: str | int = "valid",
                dilation: int = 1) -> np.ndarray:
    """1-D cross-correlation of a signal (L,) with a kernel (K,), written as "slide, multiply, sum"."""
    signal, kernel = np.asarray(signal), np.asarray(kernel)
    if signal.ndim != 1 or kernel.ndim != 1:
        raise ValueError(f"conv1d_loop expects a 1-D signal and kernel, got shapes {signal.shape} and {kernel.shape}.")
    _check_numeric(signal=signal, kernel=kernel)
    _check_positive(stride=stride, dilation=dilation)
    left, right = _pad_1d(padding, len(signal), len(kernel), stride, dilation)
    padded = np.concatenate([np.zeros(left), signal, np.zeros(right)])
    span = effective_kernel_size(len(kernel), dilation)
    if span > len(padded):
        raise ValueError(f"The kernel spans {span} values but the padded signal has only {len(padded)}.")
    out = []
    for start in range(0, len(padded) - span + 1, stride):
        window = padded[start:start + span:dilation]   # the values under the kernel
        out.append(np.sum(window * kernel))            # multiply, sum
    return np.array(out)


def conv1d(signal: np.ndarray, kernel: np.ndarray, bias: np.ndarray | float | None = None, stride: int = 1,
           padding: str | int = "valid", dilation: int = 1) -> np.ndarray:
    """Vectorised 1-D convolution (cross-correlation), like ``keras.layers.Conv1D``.

    signal: (L,) or (L, C_in); kernel: (K,), (K, C_in) or (K, C_in, C_out); bias: scalar or (C_out,).
    Output: (L_out,) for a single filter, else (L_out, C_out). Computed as a 2-D convolution of height 1.
    """
    signal, kernel = np.asarray(signal), np.asarray(kernel)
    if signal.ndim not in (1, 2) or kernel.ndim not in (1, 2, 3):
        raise ValueError(f"conv1d expects a signal (L,) or (L, C_in) and a kernel (K,), (K, C_in) or "
                         f"(K, C_in, C_out); got shapes {signal.shape} and {kernel.shape}.")
    image = signal[None] if signal.ndim == 1 else signal[None, :, :]
    pad2d: Padding = padding if isinstance(padding, str) else ((0, 0), (padding, padding))
    if padding == "same":
        pad2d = ((0, 0), _pad_1d("same", signal.shape[0], kernel.shape[0], stride, dilation))
    out = conv2d(image, kernel[None], bias, stride=(1, stride), padding=pad2d, dilation=(1, dilation))
    return out[0]


def conv2d_loop(image: np.ndarray, kernels: np.ndarray, bias: np.ndarray | float | None = None, stride: Pair = 1,
                padding: Padding = "valid", dilation: Pair = 1) -> np.ndarray:
    """2-D convolution with explicit loops: for every output pixel and filter, multiply the window by the
    kernel and sum. Slow but literal - read this one. Shapes and conventions: see the module docstring."""
    x, w, b, (sh, sw), (dh, dw), restore = _prepare(image, kernels, bias, stride, padding, dilation)
    n, height, width, _ = x.shape
    kh, kw, _, filters = w.shape
    span_h, span_w = (kh - 1) * dh + 1, (kw - 1) * dw + 1
    out_h, out_w = (height - span_h) // sh + 1, (width - span_w) // sw + 1
    out = np.zeros((n, out_h, out_w, filters), dtype=x.dtype)
    for i in range(n):
        for row in range(out_h):
            for col in range(out_w):
                top, left = row * sh, col * sw
                window = x[i, top:top + span_h:dh, left:left + span_w:dw, :]  # (KH, KW, C_in)
                for f in range(filters):
                    out[i, row, col, f] = np.sum(window * w[:, :, :, f]) + b[f]
    return restore(out)


def conv2d(image: np.ndarray, kernels: np.ndarray, bias: np.ndarray | float | None = None, stride: Pair = 1,
           padding: Padding = "valid", dilation: Pair = 1) -> np.ndarray:
    """Vectorised 2-D convolution: same result as :func:`conv2d_loop`, loops only over the kernel taps.

    For each kernel position (i, j) the input pixels it touches, for every output pixel at once, form a
    strided slice of the padded input; multiplying that slice by the (C_in, C_out) weights of tap (i, j)
    and adding over the taps gives the output. Shapes and conventions: see the module docstring.
    """
    x, w, b, (sh, sw), (dh, dw), restore = _prepare(image, kernels, bias, stride, padding, dilation)
    n, height, width, channels = x.shape
    kh, kw, _, filters = w.shape
    out_h = (height - ((kh - 1) * dh + 1)) // sh + 1
    out_w = (width - ((kw - 1) * dw + 1)) // sw + 1
    out = np.empty((n, out_h, out_w, filters), dtype=x.dtype)
    out[...] = b
    single = channels == 1 and filters == 1  # elementwise is much faster than a 1 x 1 matmul
    for i in range(kh):
        for j in range(kw):
            taps = x[:, i * dh:i * dh + (out_h - 1) * sh + 1:sh, j * dw:j * dw + (out_w - 1) * sw + 1:sw, :]
            out += taps * w[i, j, 0, 0] if single else taps @ w[i, j]
    return restore(out)


def depthwise_conv2d(image: np.ndarray, kernels: np.ndarray, bias: np.ndarray | None = None, stride: Pair = 1,
                     padding: Padding = "valid", dilation: Pair = 1) -> np.ndarray:
    """Depthwise convolution, like ``keras.layers.DepthwiseConv2D``: each input channel is filtered on its own.

    kernels: (KH, KW, C, M) with channel multiplier M; output channels are ordered c * M + m, as in Keras.
    """
    kernels = np.asarray(kernels)
    if kernels.ndim != 4:
        raise ValueError(f"Depthwise kernels must be (KH, KW, C, multiplier), got shape {kernels.shape}.")
    kh, kw, channels, multiplier = kernels.shape
    image = np.asarray(image)
    batch = image if image.ndim == 4 else image[None]
    if batch.ndim != 4 or batch.shape[-1] != channels:
        raise ValueError(f"Image of shape {image.shape} does not have the kernel's {channels} channels.")
    outputs = [conv2d(batch[..., c:c + 1], kernels[:, :, c:c + 1, :], None, stride, padding, dilation)
               for c in range(channels)]
    out = np.concatenate(outputs, axis=-1)
    if bias is not None:
        out = out + np.asarray(bias)
    return out if image.ndim == 4 else out[0]


# ----------------------------------------------------------------------------- pooling

def pool2d_loop(image: np.ndarray, pool_size: Pair = 2, stride: Pair | None = None, mode: str = "max",
                padding: str = "valid") -> np.ndarray:
    """Max or average pooling with explicit loops. image: (H, W), (H, W, C) or (N, H, W, C).

    ``stride`` defaults to ``pool_size``. With "same" padding, padded positions are ignored (not zeros),
    as in Keras. Pooling has no weights and keeps the number of channels.
    """
    x, inside, (ph, pw), (sh, sw), restore = _prepare_pool(image, pool_size, stride, mode, padding)
    n, height, width, channels = x.shape
    out_h, out_w = (height - ph) // sh + 1, (width - pw) // sw + 1
    out = np.zeros((n, out_h, out_w, channels), dtype=x.dtype)
    for i in range(n):
        for row in range(out_h):
            for col in range(out_w):
                rows, cols = slice(row * sh, row * sh + ph), slice(col * sw, col * sw + pw)
                for c in range(channels):
                    window = x[i, rows, cols, c]
                    # padded positions are -inf for max and 0 for average, and are not counted in the mean
                    out[i, row, col, c] = np.fmax.reduce(window, axis=None) if mode == "max" else window.sum() / inside[0, rows, cols, 0].sum()
    return restore(out)


def pool2d(image: np.ndarray, pool_size: Pair = 2, stride: Pair | None = None, mode: str = "max",
           padding: str = "valid") -> np.ndarray:
    """Vectorised max or average pooling (same arguments and result as :func:`pool2d_loop`)."""
    x, inside, (ph, pw), (sh, sw), restore = _prepare_pool(image, pool_size, stride, mode, padding)
    windows = np.lib.stride_tricks.sliding_window_view(x, (ph, pw), axis=(1, 2))[:, ::sh, ::sw]
    if mode == "max":
        return restore(np.fmax.reduce(windows, axis=(-2, -1)))  # fmax skips NaN, as TensorFlow's max pooling does
    counts = np.lib.stride_tricks.sliding_window_view(inside, (ph, pw), axis=(1, 2))[:, ::sh, ::sw].sum(axis=(-2, -1))
    return restore((windows.sum(axis=(-2, -1)) / counts).astype(x.dtype))


def max_pool2d(image: np.ndarray, pool_size: Pair = 2, stride: Pair | None = None, padding: str = "valid") -> np.ndarray:
    """Max pooling, like ``keras.layers.MaxPooling2D`` (vectorised)."""
    return pool2d(image, pool_size, stride, "max", padding)


def avg_pool2d(image: np.ndarray, pool_size: Pair = 2, stride: Pair | None = None, padding: str = "valid") -> np.ndarray:
    """Average pooling, like ``keras.layers.AveragePooling2D`` (vectorised)."""
    return pool2d(image, pool_size, stride, "average", padding)


def global_avg_pool2d(image: np.ndarray) -> np.ndarray:
    """Mean of each channel over all positions: (H, W, C) -> (C,), (N, H, W, C) -> (N, C)."""
    x = np.asarray(image)
    if x.ndim not in (3, 4):
        raise ValueError(f"Global pooling expects (H, W, C) or (N, H, W, C), got shape {x.shape}.")
    _check_numeric(image=x)
    return x.mean(axis=(-3, -2))


# ----------------------------------------------------------------------------- validation and plumbing

def _pair(value: Pair, name: str) -> tuple[int, int]:
    if isinstance(value, (int, np.integer)):
        pair = (value, value)
    elif isinstance(value, (tuple, list)):
        pair = tuple(value)
    else:
        raise ValueError(f"{name} must be an int or a pair of ints, got {value!r}.")
    if len(pair) != 2 or not all(isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in pair):
        raise ValueError(f"{name} must be an int or a pair of ints, got {value!r}.")
    if min(pair) < 1:
        raise ValueError(f"{name} must be at least 1, got {value!r}.")
    return int(pair[0]), int(pair[1])


def _check_positive(**values: int) -> None:
    for name, value in values.items():
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
            raise ValueError(f"{name} must be a positive integer, got {value!r}.")


def _check_numeric(**arrays: np.ndarray) -> None:
    for name, array in arrays.items():
        if array.dtype == bool or not np.issubdtype(array.dtype, np.number):
            raise ValueError(f"{name} must hold numbers, got dtype {array.dtype}. Convert it with .astype(float).")


def _pad_1d(padding: str | int, length: int, kernel: int, stride: int, dilation: int) -> tuple[int, int]:
    if padding == "valid":
        return (0, 0)
    if padding == "same":
        span = effective_kernel_size(kernel, dilation)
        total = max((math.ceil(length / stride) - 1) * stride + span - length, 0)
        return (total // 2, total - total // 2)
    if isinstance(padding, (int, np.integer)) and padding >= 0:
        return (int(padding), int(padding))
    raise ValueError(f'padding must be "valid", "same" or a non-negative int, got {padding!r}.')


def _pad(x: np.ndarray, padding: Padding, kernel_hw: tuple[int, int], stride: tuple[int, int],
         dilation: tuple[int, int], fill: float = 0.0) -> np.ndarray:
    """Pad a batch (N, H, W, C) along H and W."""
    if isinstance(padding, str) or isinstance(padding, (int, np.integer)):
        if isinstance(padding, str) and padding not in ("valid", "same"):
            raise ValueError(f'padding must be "valid", "same", an int or ((top, bottom), (left, right)); '
                             f"got {padding!r}.")
        rows = _pad_1d(padding, x.shape[1], kernel_hw[0], stride[0], dilation[0])
        cols = _pad_1d(padding, x.shape[2], kernel_hw[1], stride[1], dilation[1])
    else:
        try:
            (top, bottom), (left, right) = padding
        except (TypeError, ValueError):
            raise ValueError(f"Explicit padding must be ((top, bottom), (left, right)), got {padding!r}.") from None
        if min(top, bottom, left, right) < 0:
            raise ValueError(f"Padding cannot be negative, got {padding!r}.")
        rows, cols = (top, bottom), (left, right)
    if rows == (0, 0) and cols == (0, 0):
        return x
    return np.pad(x, ((0, 0), rows, cols, (0, 0)), constant_values=fill)


def _as_batch(x: np.ndarray) -> np.ndarray:
    """(H, W) -> (1, H, W, 1); (H, W, C) -> (1, H, W, C); (N, H, W, C) unchanged."""
    if x.ndim == 2:
        return x[None, :, :, None]
    return x[None] if x.ndim == 3 else x


def _prepare(image, kernels, bias, stride, padding, dilation):
    """Validate the arguments and bring them to batch form (N, H, W, C) and (KH, KW, C_in, C_out)."""
    x, w = np.asarray(image), np.asarray(kernels)
    _check_numeric(image=x, kernels=w)
    if x.ndim not in (2, 3, 4):
        raise ValueError(f"The image must be (H, W), (H, W, C) or a batch (N, H, W, C); got {x.ndim} dimensions "
                         f"with shape {x.shape}.")
    if w.ndim not in (2, 3, 4):
        raise ValueError(f"The kernel must be (KH, KW), (KH, KW, C_in) or (KH, KW, C_in, C_out); got shape {w.shape}.")
    strides, dilations = _pair(stride, "stride"), _pair(dilation, "dilation")
    batch = _as_batch(x)
    weights = w.reshape(w.shape + (1,) * (4 - w.ndim))  # (KH, KW[, C_in[, C_out]]) -> (KH, KW, C_in, C_out)
    if weights.shape[2] != batch.shape[3]:
        raise ValueError(f"The image has {batch.shape[3]} channel(s) but the kernel expects {weights.shape[2]} "
                         f"(image shape {x.shape}, kernel shape {w.shape}); they must match.")
    filters = weights.shape[3]
    if bias is not None and np.asarray(bias).size not in (1, filters):
        raise ValueError(f"The bias has {np.asarray(bias).size} values but there are {filters} filters.")
    b = np.zeros(filters) if bias is None else np.broadcast_to(np.asarray(bias, dtype=float).reshape(-1), (filters,))
    dtype = np.result_type(batch, weights, np.float32)
    padded = _pad(batch.astype(dtype), padding, weights.shape[:2], strides, dilations)
    span = tuple(effective_kernel_size(k, d) for k, d in zip(weights.shape[:2], dilations))
    if span[0] > padded.shape[1] or span[1] > padded.shape[2]:
        raise ValueError(f"The kernel spans {span[0]}x{span[1]} pixels (size {weights.shape[0]}x{weights.shape[1]}, "
                         f"dilation {dilations}) but the padded input is only {padded.shape[1]}x{padded.shape[2]}. "
                         "Use a smaller kernel or dilation, or more padding.")

    def restore(out: np.ndarray) -> np.ndarray:
        out = out if x.ndim == 4 else out[0]
        return out[..., 0] if w.ndim < 4 else out

    return padded, weights.astype(dtype), b.astype(dtype), strides, dilations, restore


def _prepare_pool(image, pool_size, stride, mode, padding):
    x = np.asarray(image)
    _check_numeric(image=x)
    if mode not in ("max", "average"):
        raise ValueError(f'mode must be "max" or "average", got {mode!r}.')
    if x.ndim not in (2, 3, 4):
        raise ValueError(f"Pooling expects (H, W), (H, W, C) or (N, H, W, C); got shape {x.shape}.")
    sizes = _pair(pool_size, "pool_size")
    strides = sizes if stride is None else _pair(stride, "stride")
    if padding not in ("valid", "same"):
        raise ValueError(f'Pooling padding must be "valid" or "same", got {padding!r}.')
    batch = _as_batch(x).astype(np.result_type(x, np.float32))
    # Padded positions must not count (as in Keras): -inf never wins a max, and the mean divides by the number of
    # real pixels in the window. NaN and inf in the image then propagate exactly as in TensorFlow.
    inside = _pad(np.ones((1, *batch.shape[1:3], 1), dtype=batch.dtype), padding, sizes, strides, (1, 1))
    batch = _pad(batch, padding, sizes, strides, (1, 1), fill=-np.inf if mode == "max" else 0.0)
    if sizes[0] > batch.shape[1] or sizes[1] > batch.shape[2]:
        raise ValueError(f"The pooling window {sizes} is larger than the input ({x.shape}).")

    def restore(out: np.ndarray) -> np.ndarray:
        out = out if x.ndim == 4 else out[0]
        return out[..., 0] if x.ndim == 2 else out

    return batch, inside, sizes, strides, restore
