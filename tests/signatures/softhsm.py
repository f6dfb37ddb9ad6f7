"""A SoftHSM token for the PKCS#11 signing tests: Debian's softhsm2 (scripts/test.sh installs it), a token
initialised in a temporary folder, holding the organisation's private key and its certificate from the test PKI
(signatures.pki), an EC P-256 one and an RSA-2048 one, with the intermediate CA's certificate beside them, as a CA's token carries the chain.

SoftHSM reads SOFTHSM2_CONF once, when python-pkcs11 first loads the module in the process: the token is made
once per test session and the variable stays set until the session ends. Each test names the token through the
environment variables of a credential's prefix (the `softhsm_env` fixture)."""

import os
import shutil
import subprocess
from pathlib import Path
from types import SimpleNamespace

from cryptography.hazmat.primitives import serialization

from signatures import pki

MODULE = "/usr/lib/softhsm/libsofthsm2.so"
TOKEN_LABEL = "LDLD Gia Lam"
KEY_LABEL = "ky-so-don-vi"
CA_LABEL = "ca-trung-gian"
PIN = "246810"
SO_PIN = "13579111"
ENV_PREFIX = "SIGNING_PKCS11_GIALAM"
KEY_ID = "a1"
RSA_KEY_LABEL = "ky-so-don-vi-rsa"
RSA_KEY_ID = "a2"

NOT_INSTALLED = "SoftHSM is not installed (Debian package softhsm2; scripts/test.sh installs it)"


def installed() -> bool:
    return Path(MODULE).exists() and shutil.which("softhsm2-util") is not None


def _util(*args: str) -> None:
    subprocess.run(["softhsm2-util", *args], check=True, capture_output=True, text=True)


def _certificate_object(session, *, certificate, label: str, object_id: bytes) -> None:
    from pkcs11 import Attribute
    from pkcs11.util.x509 import decode_x509_certificate

    der = certificate.public_bytes(serialization.Encoding.DER)
    attributes = decode_x509_certificate(der)
    attributes.update({Attribute.TOKEN: True, Attribute.LABEL: label, Attribute.ID: object_id})
    session.create_object(attributes)


def softhsm_token(folder: Path, *, issuer: pki.Issued, chain: list[pki.Issued], organisation: str):
    """A token in `folder` with an organisation key + certificate (issued by `issuer`) and the CA certificates
    of `chain`; SOFTHSM2_CONF is set for this process."""
    import pkcs11

    tokens = folder / "tokens"
    tokens.mkdir(parents=True)
    conf = folder / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {tokens}\nobjectstore.backend = file\nlog.level = ERROR\n")
    os.environ["SOFTHSM2_CONF"] = str(conf)
    _util("--init-token", "--free", "--label", TOKEN_LABEL, "--pin", PIN, "--so-pin", SO_PIN)
    keys = {
        KEY_LABEL: (KEY_ID, pki.make_organisation_certificate(issuer=issuer, organisation=organisation)),
        RSA_KEY_LABEL: (
            RSA_KEY_ID,
            pki.make_organisation_certificate(issuer=issuer, organisation=organisation, key_type="rsa"),
        ),
    }
    for label, (key_id, issued) in keys.items():
        key_file = folder / "key.pem"
        key_file.write_bytes(
            issued.key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        )
        _util("--import", str(key_file), "--token", TOKEN_LABEL, "--label", label, "--id", key_id, "--pin", PIN)
        key_file.unlink()  # the key now lives on the token only
    token = pkcs11.lib(MODULE).get_token(token_label=TOKEN_LABEL)
    with token.open(rw=True, user_pin=PIN) as session:
        for label, (key_id, issued) in keys.items():
            _certificate_object(session, certificate=issued.certificate, label=label, object_id=bytes.fromhex(key_id))
        for n, ca in enumerate(chain, start=1):
            _certificate_object(session, certificate=ca.certificate, label=f"{CA_LABEL}-{n}", object_id=bytes([n]))
    return SimpleNamespace(
        module=MODULE,
        token_label=TOKEN_LABEL,
        key_label=KEY_LABEL,
        pin=PIN,
        prefix=ENV_PREFIX,
        issued=keys[KEY_LABEL][1],
        rsa_key_label=RSA_KEY_LABEL,
        rsa_issued=keys[RSA_KEY_LABEL][1],
    )


def token_environment(monkeypatch, token, **overrides) -> None:
    """The four variables of the token's prefix (MODULE, TOKEN_LABEL, KEY_LABEL, PIN), some overridden."""
    values = {"MODULE": token.module, "TOKEN_LABEL": token.token_label, "KEY_LABEL": token.key_label, "PIN": token.pin}
    values.update(overrides)
    for name, value in values.items():
        monkeypatch.setenv(f"{token.prefix}_{name}", value)
