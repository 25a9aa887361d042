import pytest

from zapdesk.secrets_box import SecretUnreadable, decrypt, encrypt


def test_round_trip_and_no_plaintext(app_ctx):
    token = encrypt("zap-api-key-123")
    assert "zap-api-key-123" not in token
    assert decrypt(token) == "zap-api-key-123"


def test_other_secret_key_cannot_read(app_ctx):
    token = encrypt("s3cret", secret_key="one")
    with pytest.raises(SecretUnreadable, match="enter the secret again"):
        decrypt(token, secret_key="two")
