"""Secrets at rest (node API keys, target credentials, ops tokens): Fernet with a key
derived (HKDF-SHA256) from the app secret, so a database dump alone reveals nothing.

Use `encrypt()` before storing and `decrypt()` only where the secret is sent on; never
render, log or put a decrypted value in an error.
"""
from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app

INFO = b"zapdesk secrets at rest v1"


class SecretUnreadable(RuntimeError):
    """The stored secret cannot be decrypted (the app secret key changed)."""


def _fernet(secret_key: str | None = None) -> Fernet:
    secret = (secret_key or current_app.config["SECRET_KEY"]).encode()
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=INFO).derive(secret)
    return Fernet(base64.urlsafe_b64encode(key))


def encrypt(plaintext: str, secret_key: str | None = None) -> str:
    return _fernet(secret_key).encrypt(plaintext.encode()).decode()


def decrypt(token: str, secret_key: str | None = None) -> str:
    try:
        return _fernet(secret_key).decrypt(token.encode()).decode()
    except (InvalidToken, ValueError) as exc:
        raise SecretUnreadable(
            "a stored secret cannot be decrypted: ZAPDESK_SECRET_KEY (or instance/secret_key) "
            "changed since it was saved; enter the secret again") from exc
