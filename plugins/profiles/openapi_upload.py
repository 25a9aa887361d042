"""Uploaded OpenAPI definitions, stored under MEDIA_PATH/openapi/ by content hash."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

from flask import current_app

MAX_BYTES = 5 * 1024 * 1024


class UploadError(ValueError):
    pass


def save_upload(upload) -> str:
    """Check the upload is a JSON or YAML OpenAPI document; return its path under MEDIA_PATH."""
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise UploadError("the definition is larger than 5 MB")
    text = decode(data)
    if not looks_like_openapi(text):
        raise UploadError("this is not an OpenAPI/Swagger definition (no 'openapi' or 'swagger' field)")
    suffix = ".json" if text.lstrip().startswith("{") else ".yaml"
    relative = Path("openapi") / (hashlib.sha256(data).hexdigest()[:32] + suffix)
    path = Path(current_app.config["MEDIA_PATH"]) / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return str(relative)


def decode(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise UploadError("the definition must be UTF-8 text (JSON or YAML)") from None


def looks_like_openapi(text: str) -> bool:
    if text.lstrip().startswith("{"):
        try:
            doc = json.loads(text)
        except ValueError:
            return False
        return isinstance(doc, dict) and ("openapi" in doc or "swagger" in doc)
    return any(line.startswith(("openapi:", "swagger:")) for line in text.splitlines())
