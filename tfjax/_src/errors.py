"""The ``tf.errors`` exception hierarchy.

Every error an op raises at run time is an :class:`OpError` subclass carrying
TF's canonical error code, so ``except tf.errors.InvalidArgumentError`` works
unchanged. Ops build their messages with :func:`op_message` so they name the op.
"""

from __future__ import annotations

OK = 0
CANCELLED = 1
UNKNOWN = 2
INVALID_ARGUMENT = 3
DEADLINE_EXCEEDED = 4
NOT_FOUND = 5
ALREADY_EXISTS = 6
PERMISSION_DENIED = 7
RESOURCE_EXHAUSTED = 8
FAILED_PRECONDITION = 9
ABORTED = 10
OUT_OF_RANGE = 11
UNIMPLEMENTED = 12
INTERNAL = 13
UNAVAILABLE = 14
DATA_LOSS = 15
UNAUTHENTICATED = 16


class OpError(Exception):
    """Base class of errors raised while running an op."""

    error_code = UNKNOWN

    def __init__(self, node_def=None, op=None, message="", *args, error_code=None):
        # TF's signature is (node_def, op, message); most tfjax code passes the
        # message alone, so accept both forms.
        if message == "" and isinstance(node_def, str) and op is None:
            node_def, message = None, node_def
        super().__init__(message)
        self._message = message
        self._node_def = node_def
        self._op = op
        if error_code is not None:
            self.error_code = error_code

    @property
    def message(self):
        return self._message

    @property
    def op(self):
        return self._op

    @property
    def node_def(self):
        return self._node_def

    def __str__(self):
        return self._message


def _subclass(name, code, doc):
    cls = type(name, (OpError,), {"error_code": code, "__doc__": doc})
    cls.__module__ = __name__
    return cls


CancelledError = _subclass("CancelledError", CANCELLED, "An operation was cancelled.")
UnknownError = _subclass("UnknownError", UNKNOWN, "An unknown error.")
InvalidArgumentError = _subclass(
    "InvalidArgumentError", INVALID_ARGUMENT, "An op received an invalid argument.")
DeadlineExceededError = _subclass("DeadlineExceededError", DEADLINE_EXCEEDED, "A deadline expired.")
NotFoundError = _subclass("NotFoundError", NOT_FOUND, "A requested entity was not found.")
AlreadyExistsError = _subclass("AlreadyExistsError", ALREADY_EXISTS, "An entity already exists.")
PermissionDeniedError = _subclass(
    "PermissionDeniedError", PERMISSION_DENIED, "The caller lacks permission.")
ResourceExhaustedError = _subclass(
    "ResourceExhaustedError", RESOURCE_EXHAUSTED, "Some resource has been exhausted.")
FailedPreconditionError = _subclass(
    "FailedPreconditionError", FAILED_PRECONDITION, "The system is not in a state to run the op.")
AbortedError = _subclass("AbortedError", ABORTED, "The operation was aborted.")
OutOfRangeError = _subclass("OutOfRangeError", OUT_OF_RANGE, "An operation iterated past the valid range.")
UnimplementedError = _subclass("UnimplementedError", UNIMPLEMENTED, "The operation is not implemented.")
InternalError = _subclass("InternalError", INTERNAL, "An internal invariant was broken.")
UnavailableError = _subclass("UnavailableError", UNAVAILABLE, "The runtime is unavailable.")
DataLossError = _subclass("DataLossError", DATA_LOSS, "Unrecoverable data loss or corruption.")
UnauthenticatedError = _subclass(
    "UnauthenticatedError", UNAUTHENTICATED, "The request lacks valid authentication.")


class OperatorNotAllowedInGraphError(TypeError):
    """A Python operation on a symbolic tensor that needs a concrete value."""


def op_message(op_name: str, message: str) -> str:
    """Formats an op error the way TF eager does: ``<message> [Op:<name>]``."""
    return f"{message} [Op:{op_name}]"


def invalid_argument(op_name: str, message: str) -> InvalidArgumentError:
    return InvalidArgumentError(None, None, op_message(op_name, message))


class SymbolicValueError(TypeError):
    """An op needed the concrete value of a tensor that ``tf.function`` is tracing
    (a data-dependent shape, a Python callback). ``tf.function`` catches it and runs
    that input signature eagerly, so the answer is still right."""


class UnsupportedError(NotImplementedError):
    """A TensorFlow API or argument that tfjax deliberately does not support."""


def unsupported(symbol: str, why: str = "") -> UnsupportedError:
    """The error raised for TF API that tfjax does not support (see docs/compatibility.md)."""
    msg = f"{symbol} is not supported by tfjax"
    if why:
        msg += f": {why}"
    return UnsupportedError(msg + ".")
