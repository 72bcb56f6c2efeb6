"""Reading plan documents from disk: .txt/.md (UTF-8, then GB18030) and .docx (python-docx)."""

from __future__ import annotations

import zipfile
from pathlib import Path

from indexer import texts as msg
from planbot.errors import DocumentError, DocumentTooLarge

# Control characters other than tab/newline/carriage return/form feed betray a binary file.
_CONTROL = {chr(c) for c in range(32)} - {"\t", "\n", "\r", "\f", "\v"}
_MAX_CONTROL_RATIO = 0.01
MB = 1024 * 1024


def _looks_binary(raw: bytes) -> bool:
    """NUL bytes or known binary signatures (PDF, images, zip, OLE .doc)."""
    signatures = (b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"PK\x03\x04", b"\xd0\xcf\x11\xe0")
    return b"\x00" in raw[:65536] or raw.startswith(signatures)


def decode_text(raw: bytes, path: str = "") -> str:
    """Decode plan text: UTF-8 (with or without BOM), UTF-16 with BOM, then GB18030; else DocumentError."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise DocumentError(msg.DOC_ENCODING.plain(path=path)) from exc
    if _looks_binary(raw):
        raise DocumentError(msg.DOC_BINARY.plain(path=path))
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if sum(ch in _CONTROL for ch in text) > _MAX_CONTROL_RATIO * max(len(text), 1):
            raise DocumentError(msg.DOC_BINARY.plain(path=path))
        return text
    raise DocumentError(msg.DOC_ENCODING.plain(path=path))


def _docx_text(path: Path) -> str:
    """Paragraphs and table rows of a .docx in document order, one per line, list numbers written out."""
    import docx  # python-docx; imported here so that plain-text indexing never needs it

    from indexer.docxtext import docx_lines

    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises many kinds (not a zip, missing parts, bad XML); all mean the same
        # The reason in words: a library's exception name means nothing to the person who renamed a file.
        reason = msg.DOC_DOCX_NOT_ZIP if not zipfile.is_zipfile(path) else msg.DOC_DOCX_DAMAGED
        raise DocumentError(msg.DOC_DOCX_INVALID.plain(path=path, detail=reason)) from exc
    return "\n".join(docx_lines(document))


def too_large(path: Path, size: int, limit_mb: float) -> DocumentTooLarge:
    """The error for a document over PLANBOT_MAX_DOCUMENT_MB."""
    return DocumentTooLarge(msg.DOC_TOO_LARGE.plain(path=path, size_mb=round(size / MB, 1), limit_mb=f"{limit_mb:g}"))


def read_document(path: str | Path, *, max_mb: float | None = None) -> str:
    """The text of a plan document; DocumentError (Chinese) when it is missing, a folder, empty or not text.

    Over `max_mb` (the file, or the text a .docx unpacks to) it is refused before anything is parsed.
    """
    path = Path(path)
    if path.is_dir():
        raise DocumentError(msg.DOC_IS_FOLDER.plain(path=path))
    if not path.is_file():
        raise DocumentError(msg.DOC_NOT_FOUND.plain(path=path))
    size = path.stat().st_size
    if size == 0:
        raise DocumentError(msg.DOC_EMPTY.plain(path=path))
    if max_mb is not None and size > max_mb * MB:
        raise too_large(path, size, max_mb)
    is_docx = path.suffix.lower() == ".docx"
    text = _docx_text(path) if is_docx else decode_text(path.read_bytes(), str(path))
    if not text.strip():
        raise DocumentError(msg.DOC_EMPTY.plain(path=path))
    if max_mb is not None and is_docx and len(text.encode("utf-8")) > max_mb * MB:
        raise too_large(path, len(text.encode("utf-8")), max_mb)
    return text


def check_task_count(path: Path, text: str, max_tasks: int) -> None:
    """Refuse, before parsing, a text with more numbered task lines than PLANBOT_MAX_TASKS."""
    from knowledge.parser import count_task_lines

    count = count_task_lines(text)
    if count > max_tasks:
        raise DocumentTooLarge(msg.DOC_TOO_MANY_TASKS.plain(path=path, count=count, limit=max_tasks))
