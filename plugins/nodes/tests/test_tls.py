"""https nodes: a simulated node (the stand-in for ZAP) serving TLS with a self-signed
certificate is a TLS error until its CA is configured in NODE_CA_BUNDLE."""
import datetime
import ipaddress

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from plugins.nodes import service
from plugins.nodes.validation import NodeValidationError
from plugins.nodes.zapclient import ZapClient
from plugins.nodes.zaperrors import ZapTLSError


@pytest.fixture
def self_signed(tmp_path):
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(minutes=1))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
            .sign(key, hashes.SHA256()))
    cert_file, key_file = tmp_path / "node.crt", tmp_path / "node.key"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return str(cert_file), str(key_file)


def test_self_signed_node_needs_its_ca(app_ctx, sim_node, self_signed):
    node = sim_node(tls=self_signed)
    assert node.url.startswith("https://")
    with pytest.raises(ZapTLSError, match="check the certificate"):
        ZapClient(node.url, "key", timeout=3).version()
    with pytest.raises(NodeValidationError) as caught:
        service.add_node("zap-tls", node.url, "key")
    assert "TLS failure" in caught.value.errors["base_url"]
    app_ctx.config["NODE_CA_BUNDLE"] = self_signed[0]
    try:
        assert service.add_node("zap-tls", node.url, "key").status == "healthy"
    finally:
        app_ctx.config["NODE_CA_BUNDLE"] = ""
