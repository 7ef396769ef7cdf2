"""Optional passphrase encryption of a journal at rest.

The key is derived from the passphrase with scrypt (``hashlib.scrypt``); the salt and the
cost parameters are stored in the metadata table under ``kdf`` (JSON), the passphrase never
is. A *key check* (a known text encrypted with the key, AES-GCM) tells a wrong passphrase
apart before anything is decrypted. Event payloads are encrypted by eventsourcing's
``AESCipher`` (``eventsourcing.cryptography``, AES-256-GCM) with the same key; the patient's
name in the metadata table is sealed with it too. Topics (entry types), entry ids and the hash
chain stay readable, so ``sciatica verify`` checks the chain without the passphrase.

Getting a passphrase (CLI): the environment variable ``SCIATICA_PASSPHRASE``, else a prompt on
the terminal (``getpass``, twice for a new journal); with neither, a clear sentence (exit 2).
The desktop passes the passphrase it asked for to ``JournalApp.open``/``create`` itself.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from getpass import getpass
from pathlib import Path
from typing import TYPE_CHECKING

from eventsourcing.persistence import Cipher
from eventsourcing.utils import Environment

from domain.errors import InvalidEntry, JournalError, WrongPassphrase

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

# ``cryptography`` (its OpenSSL binding: ~9 MB resident) is imported only when a key is made:
# every process imports this module for its exceptions and names, few open an encrypted journal.

ENV_PASSPHRASE = "SCIATICA_PASSPHRASE"
ENV_OTHER_PASSPHRASE = "SCIATICA_OTHER_PASSPHRASE"  # merge: OTHER's passphrase when it differs
KDF_KEY = "kdf"
CHECK_KEY = "key_check"
SEALED_PATIENT_KEY = "patient_sealed"
# "keyed-v1": the chain is an HMAC with ``chain_key`` and each payload is sealed with its entry id
# and type as AES-GCM associated data (``seal_payload``); absent: a plain SHA-256 chain and
# eventsourcing's AESCipher without associated data (journals encrypted before).
CHAIN_META = "chain"
KEYED_CHAIN = "keyed-v1"
CIPHER_TOPIC = "eventsourcing.cryptography:AESCipher"
KEY_LENGTH = 32
_CHECK_TEXT = b"sciatica-tracker key check v1"
_NONCE = 12


class PassphraseNeeded(JournalError):
    """The journal is encrypted and no passphrase could be obtained."""


@dataclass(frozen=True)
class ScryptParams:
    n: int = 2 ** 17
    r: int = 8
    p: int = 1

    def sound(self) -> bool:
        """Whether these are parameters this app could have written: a file whose settings were
        changed (a huge cost, nonsense) is refused before any work, not with a ValueError."""
        return (self.n in ACCEPTED_N and 1 <= self.r <= 32 and 1 <= self.p <= 16
                and 128 * self.n * self.r * self.p <= 1 << 30)


# New keys: scrypt N=2^17, r=8, p=1 (about 0.3–0.5 s, 128 MiB); journals made with the earlier
# N=2^15 still open, and changing the passphrase re-keys them at this cost. Tests lower it by
# replacing this value.
DEFAULT_PARAMS = ScryptParams()
ACCEPTED_N = frozenset(2 ** k for k in range(10, 21))
MIN_PASSPHRASE = 6


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def derive_key(passphrase: str, salt: bytes, params: ScryptParams) -> bytes:
    return hashlib.scrypt(passphrase.encode("utf-8"), salt=salt, n=params.n, r=params.r, p=params.p,
                          maxmem=256 * params.n * params.r + (1 << 20), dklen=KEY_LENGTH)


class JournalKey:
    """The key of one encrypted journal."""

    def __init__(self, key: bytes) -> None:
        if len(key) != KEY_LENGTH:
            raise ValueError("a journal key is 32 bytes")
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        self._key = key
        self._aead: AESGCM = AESGCM(key)

    def cipher_env(self) -> dict[str, str]:
        """The eventsourcing settings that encrypt every stored event with this key."""
        return {"CIPHER_TOPIC": CIPHER_TOPIC, "CIPHER_KEY": _b64(self._key)}

    def chain_key(self) -> bytes:
        """The key of the journal's keyed hash chain (``domain.chain.link_hash``), derived from
        this key so that nobody without the passphrase can recompute the chain."""
        return hmac.new(self._key, b"sciatica-tracker keyed chain v1", hashlib.sha256).digest()

    def cipher(self) -> Cipher:
        """eventsourcing's cipher with this key (what those settings make)."""
        from eventsourcing.cryptography import AESCipher

        return AESCipher(Environment(env=self.cipher_env()))

    def encrypt(self, data: bytes, label: bytes = b"") -> bytes:
        nonce = os.urandom(_NONCE)
        return nonce + self._aead.encrypt(nonce, data, label)

    def decrypt(self, data: bytes, label: bytes = b"") -> bytes:
        """Raises ``InvalidTag`` (cryptography) when the key or the data is wrong."""
        return self._aead.decrypt(data[:_NONCE], data[_NONCE:], label)

    def seal_payload(self, data: bytes, originator_id: str, topic: str) -> bytes:
        """An entry's stored payload (journals with the keyed chain): AES-GCM with the entry's
        id and type as associated data, so a payload only opens as the entry it was written for."""
        return self.encrypt(data, payload_label(originator_id, topic))

    def open_payload(self, data: bytes, originator_id: str, topic: str) -> bytes:
        return self.decrypt(data, payload_label(originator_id, topic))

    def payload_reader(self, bound: bool) -> Callable[[bytes, str, str], bytes]:
        """(stored payload, entry id, topic) -> the plain state, for either kind of journal."""
        if bound:
            return self.open_payload
        return lambda data, originator_id, topic: self.decrypt_event_state(data)

    def decrypt_event_state(self, data: bytes) -> bytes:
        """Decrypt a stored event's state as eventsourcing's AESCipher wrote it (nonce, tag, text)."""
        nonce, tag, body = data[:_NONCE], data[_NONCE:_NONCE + 16], data[_NONCE + 16:]
        return self._aead.decrypt(nonce, body + tag, None)

    def seal(self, text: str, label: str) -> str:
        return _b64(self.encrypt(text.encode("utf-8"), label.encode()))

    def unseal(self, token: str, label: str) -> str:
        return self.decrypt(base64.b64decode(token), label.encode()).decode("utf-8")


def payload_label(originator_id: str, topic: str) -> bytes:
    return f"sciatica-tracker entry v1|{originator_id}|{topic}".encode()


def new_protection(passphrase: str, params: ScryptParams | None = None) -> tuple[JournalKey, dict[str, str]]:
    """A fresh key for a new journal and the metadata rows that let the passphrase reopen it."""
    check_new_passphrase(passphrase)
    params = params or DEFAULT_PARAMS
    salt = os.urandom(16)
    key = JournalKey(derive_key(passphrase, salt, params))
    kdf = {"name": "scrypt", "salt": _b64(salt), "n": params.n, "r": params.r, "p": params.p,
           "length": KEY_LENGTH}
    meta = {KDF_KEY: json.dumps(kdf, sort_keys=True), CHECK_KEY: _b64(key.encrypt(_CHECK_TEXT, b"key check")),
            CHAIN_META: KEYED_CHAIN}
    return key, meta


def unlock(meta: Mapping[str, str], passphrase: str, path: Path | str) -> JournalKey:
    """The key of an encrypted journal; WrongPassphrase when the passphrase does not open it."""
    try:
        kdf = json.loads(meta[KDF_KEY])
        if kdf.get("name") != "scrypt":
            raise ValueError(kdf.get("name"))
        params = ScryptParams(n=int(kdf["n"]), r=int(kdf["r"]), p=int(kdf["p"]))
        salt = base64.b64decode(kdf["salt"], validate=True)
        check = base64.b64decode(meta[CHECK_KEY], validate=True)
        if not params.sound() or len(salt) < 16:
            raise ValueError("unsound parameters")
        key = JournalKey(derive_key(passphrase, salt, params))
    except (KeyError, ValueError, TypeError, AttributeError, MemoryError):
        raise JournalError(f"{path}: the journal's encryption settings are unreadable or were changed "
                           "outside the app; it was not opened") from None
    from cryptography.exceptions import InvalidTag  # loaded with the key above

    try:
        ok = key.decrypt(check, b"key check") == _CHECK_TEXT
    except InvalidTag:
        ok = False
    if not ok:
        raise WrongPassphrase(f"{path}: wrong passphrase; the journal was not opened")
    return key


def check_new_passphrase(passphrase: str) -> None:
    if not passphrase:
        raise InvalidEntry("the passphrase must not be empty", field="passphrase")
    if len(passphrase) < MIN_PASSPHRASE:
        raise InvalidEntry(f"the passphrase must be at least {MIN_PASSPHRASE} characters long "
                           "(a few words are easy to remember and hard to guess)", field="passphrase")


# Getting a passphrase from the person (CLI) ---------------------------------------------------

_prompts = {"terminal": False}


def allow_terminal_prompts(allowed: bool = True) -> None:
    """Let ``passphrase_for`` ask on the terminal. The CLI turns this on; the desktop leaves it
    off (it asks in a dialog and passes the passphrase), so a window never waits on a terminal."""
    _prompts["terminal"] = allowed


def _terminal() -> bool:
    return sys.stdin is not None and sys.stdin.isatty()


def _ask(prompt: str, path: Path | str) -> str:
    try:
        return getpass(prompt)
    except EOFError:
        raise PassphraseNeeded(f"{path}: no passphrase was typed; nothing was changed") from None


def passphrase_for(path: Path | str, *, env: str = ENV_PASSPHRASE) -> str:
    """The passphrase of an existing encrypted journal: from ENV (SCIATICA_PASSPHRASE, or for a
    merge's OTHER SCIATICA_OTHER_PASSPHRASE falling back to it), else asked on the terminal
    when the CLI allowed it; PassphraseNeeded otherwise."""
    value = os.environ.get(env) or (os.environ.get(ENV_PASSPHRASE) if env != ENV_PASSPHRASE else None)
    if value:
        return value
    if _prompts["terminal"] and _terminal():
        return _ask(f"Passphrase for {path}: ", path)
    raise PassphraseNeeded(f"{path}: the journal is protected with a passphrase; set {ENV_PASSPHRASE} "
                           "or run the command in a terminal to type it")


def passphrase_for_new(path: Path | str = "the new journal") -> str:
    """A passphrase for a new journal: from SCIATICA_PASSPHRASE, else typed twice on the terminal."""
    value = os.environ.get(ENV_PASSPHRASE)
    if value is not None:
        check_new_passphrase(value)
        return value
    if not _terminal():
        raise PassphraseNeeded(f"{path}: --encrypt needs a passphrase; set {ENV_PASSPHRASE} "
                               "or run the command in a terminal to type it")
    first = _ask(f"New passphrase for {path}: ", path)
    check_new_passphrase(first)
    if _ask("Type it again: ", path) != first:
        raise InvalidEntry("the two passphrases differ; nothing was created", field="passphrase")
    return first
