"""Encryption of personal data at rest, and keyed indexes to search it.

Sensitive columns (resident ID numbers, phone numbers, addresses) are stored as
SM4-GCM ciphertext (authenticated encryption, GB/T 32907 block cipher in Galois/
Counter Mode) — ``sm4gcm:<key id>:<base64(nonce | ciphertext | tag)>`` — so the
database file, its WAL, a dump or a backup never hold the plaintext. Equality search
uses a blind index: HMAC-SM3 of the normalised value under a separate key, stored in
its own indexed column.

Keys live outside the database: in ``FENGQIAO_KEYS_DIR`` (default ``var/keys``, created
on first use with mode 0600) or in the environment (``FENGQIAO_DATA_KEYS`` =
``id:base64,id:base64``, the last one current; ``FENGQIAO_INDEX_KEY`` = base64).
Rotation adds a key and makes it current; old ciphertexts keep decrypting with the key
named in them, and ``fengqiao keys reencrypt`` moves them to the current key.
"""

import base64
import functools
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings

PREFIX = "sm4gcm"
NONCE = 12


class DecryptionError(Exception):
    """A ciphertext could not be authenticated (tampered with, or its key is missing)."""


@dataclass(frozen=True)
class Keyring:
    data_keys: dict[str, bytes]
    current: str
    index_key: bytes


def keys_dir() -> Path:
    return Path(os.environ.get("FENGQIAO_KEYS_DIR") or Path(settings.VAR_DIR) / "keys")


def _read_or_create(path: Path, size: int) -> bytes:
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.parent.chmod(0o700)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(base64.b64encode(secrets.token_bytes(size)).decode())
        tmp.chmod(0o600)
        tmp.replace(path)
    return base64.b64decode(path.read_text().strip())


@functools.cache
def keyring() -> Keyring:
    env = os.environ.get("FENGQIAO_DATA_KEYS")
    if env:
        pairs = [item.split(":", 1) for item in env.split(",") if item]
        data = {kid: base64.b64decode(value) for kid, value in pairs}
        current = pairs[-1][0]
        index_key = base64.b64decode(os.environ["FENGQIAO_INDEX_KEY"])
        return Keyring(data, current, index_key)
    directory = keys_dir()
    current_file = directory / "current"
    if not current_file.exists():
        _read_or_create(directory / "data-k1.key", 16)
        current_file.write_text("k1")
    data = {
        p.stem.removeprefix("data-"): _read_or_create(p, 16) for p in sorted(directory.glob("data-*.key"))
    }
    return Keyring(data, current_file.read_text().strip(), _read_or_create(directory / "index.key", 32))


def rotate() -> str:
    """Add a data key and make it current (file keyring only); returns its id."""
    ring = keyring()
    kid = f"k{max(int(k[1:]) for k in ring.data_keys) + 1}"
    _read_or_create(keys_dir() / f"data-{kid}.key", 16)
    (keys_dir() / "current").write_text(kid)
    keyring.cache_clear()
    return kid


def encrypt(plaintext: str) -> str:
    if plaintext == "":
        return ""
    ring = keyring()
    nonce = os.urandom(NONCE)
    enc = Cipher(algorithms.SM4(ring.data_keys[ring.current]), modes.GCM(nonce)).encryptor()
    enc.authenticate_additional_data(ring.current.encode())
    body = enc.update(plaintext.encode()) + enc.finalize()
    return f"{PREFIX}:{ring.current}:{base64.b64encode(nonce + body + enc.tag).decode()}"


def is_ciphertext(value: str) -> bool:
    return value.startswith(PREFIX + ":")


def decrypt(token: str) -> str:
    if token == "" or not is_ciphertext(token):
        return token  # empty, or a value written before encryption (migrated on the next save)
    try:
        _, kid, blob = token.split(":", 2)
        raw = base64.b64decode(blob)
        nonce, body, tag = raw[:NONCE], raw[NONCE:-16], raw[-16:]
        dec = Cipher(algorithms.SM4(keyring().data_keys[kid]), modes.GCM(nonce, tag)).decryptor()
        dec.authenticate_additional_data(kid.encode())
        return (dec.update(body) + dec.finalize()).decode()
    except (InvalidTag, KeyError, ValueError) as e:
        raise DecryptionError("个人信息密文校验失败") from e


def key_id(token: str) -> str:
    return token.split(":", 2)[1] if is_ciphertext(token) else ""


def blind_index(kind: str, value: str) -> str:
    """HMAC-SM3 of a normalised value, namespaced by kind; '' for an empty value."""
    if not value:
        return ""
    mac = hmac.HMAC(keyring().index_key, hashes.SM3())
    mac.update(f"{kind}\x1f{value.strip().upper()}".encode())
    return mac.finalize().hex()[:40]
