"""Drip's error vocabulary: error objects and validation errors as TranslationError; no HTTP."""

# _errors.md: every refusal is {"errors": [{"code", "attribute", "message"}]}; the status each
# is sent with is the door's business (app.py).

from collections.abc import Mapping
from typing import Any, TypeVar

from pydantic import ValidationError

from adapters.drip.models import DripModel
from adapters.errors import ErrorKind, TranslationError, path_of

# _errors.md: Drip's error code for each kind of translation error.
DRIP_ERROR_CODE_BY_KIND: dict[ErrorKind, str] = {
    "presence": "presence_error",
    "length": "length_error",
    "uniqueness": "uniqueness_error",
    "email": "email_error",
    "url": "url_error",
    "time": "time_error",
    "range": "range_error",
    "format": "format_error",
}
# Kinds of the custom errors our models raise (models.py names them by Drip's codes) and of
# pydantic's own error types.
_KIND_BY_ERROR_TYPE: dict[str, ErrorKind] = {
    **{code: kind for kind, code in DRIP_ERROR_CODE_BY_KIND.items()},
    "missing": "presence",
    "too_short": "length",
    "too_long": "length",
    "less_than_equal": "range",
    "greater_than_equal": "range",
}

# Reasons for pydantic's own error types, phrased to follow the attribute ("Amount is required").
_REASON_BY_PYDANTIC_TYPE = {
    "missing": "is required",
    "string_type": "must be a string",
    "int_type": "must be an integer",
    "int_parsing": "must be an integer",
    "int_from_float": "must be an integer",
    "bool_type": "must be true or false",
    "bool_parsing": "must be true or false",
    "dict_type": "must be an object",
    "model_type": "must be an object",
    "model_attributes_type": "must be an object",
    "list_type": "must be an array",
    "string_pattern_mismatch": "has an invalid format",
    "less_than_equal": "is out of range",
    "greater_than_equal": "is out of range",
}

_Model = TypeVar("_Model", bound=DripModel)


# ---------------------------------------------------------------------------------------------
# Drip error objects


def drip_error(code: str, message: str, attribute: str = "") -> dict[str, str]:
    """One entry of Drip's `errors` (_errors.md): code, the attribute when there is one, message."""
    entry = {"code": code}
    if attribute:
        entry["attribute"] = attribute
    entry["message"] = message[:1].upper() + message[1:]  # Drip's messages are sentences
    return entry


def error_for(error: TranslationError) -> dict[str, str]:
    """Drip's error object for a translation error (_errors.md): code, attribute, message."""
    message = f"{error.field} {error.reason}" if error.field else error.reason
    return drip_error(DRIP_ERROR_CODE_BY_KIND[error.kind], message, error.field)


# ---------------------------------------------------------------------------------------------
# Validation


def _reason_from_pydantic(error_type: str, message: str, context: Mapping[str, Any]) -> str:
    if error_type in DRIP_ERROR_CODE_BY_KIND.values():
        return message  # one of ours (models.py): already phrased as a Drip reason
    if error_type == "literal_error":
        return f"must be one of {context.get('expected', '')}"
    if error_type in {"too_short", "too_long"}:
        low, high = context.get("min_length"), context.get("max_length")
        if error_type == "too_short":
            return f"must have a length of at least {low}"
        return f"must have a length of at most {high}"
    return _REASON_BY_PYDANTIC_TYPE.get(error_type, f"is invalid: {message}")


def translation_error_from(error: ValidationError) -> TranslationError:
    """The first pydantic error as a TranslationError on the Drip field path."""
    first = error.errors(include_url=False)[0]
    context: Mapping[str, Any] = first.get("ctx") or {}
    location = tuple(first["loc"])
    if "attribute" in context:  # a whole-object rule that names its field (models.py)
        location = (*location, str(context["attribute"]))
    reason = _reason_from_pydantic(first["type"], first["msg"], context)
    kind = _KIND_BY_ERROR_TYPE.get(first["type"], "format")
    return TranslationError(path_of(location), reason, kind)


def validated(model: type[_Model], payload: Any) -> _Model:
    """The payload as a Drip model, or the TranslationError naming the Drip field."""
    try:
        return model.model_validate(payload)
    except ValidationError as error:
        raise translation_error_from(error) from None
