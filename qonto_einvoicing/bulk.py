"""Qonto's limits on ``POST /v2/client_invoices/bulk``, checked before any request.

From Qonto's bulk-import page
(https://docs.qonto.com/api-reference/business-api/expense-management/client-quotes-notes/client-invoices/bulk-import-client-invoices):
1 to 5 files in the field ``client_invoices``, each at most 5 MB, at most 15 MB in all,
PDF, JPEG or PNG. The simulator enforces the same numbers.
"""

from __future__ import annotations

from .errors import ErrorObject, PayloadError

__all__ = ["FILE_TYPES", "MAX_BULK_BYTES", "MAX_BULK_FILES", "MAX_FILE_BYTES",
           "bulk_problems", "check_bulk_files", "sniff_file_type"]

MAX_BULK_FILES = 5
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_BULK_BYTES = 15 * 1024 * 1024
FILE_TYPES = {
    b"%PDF-": "application/pdf",
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"\xff\xd8\xff": "image/jpeg",
}


def sniff_file_type(content: bytes) -> str | None:
    """PDF, PNG or JPEG from the first bytes; ``None`` for anything else."""
    return next((kind for magic, kind in FILE_TYPES.items() if content.startswith(magic)),
                None)


def bulk_problems(files: list[tuple[str, bytes]]) -> list[ErrorObject]:
    """Each of Qonto's limits that ``(file_name, content)`` pairs break, naming the file."""
    problems = []
    if not 1 <= len(files) <= MAX_BULK_FILES:
        problems.append(ErrorObject("invalid", f"Qonto imports 1 to {MAX_BULK_FILES} files "
                                    f"at once, not {len(files)}", pointer="/client_invoices"))
    for index, (name, content) in enumerate(files):
        pointer = f"/client_invoices/{index}"
        if len(content) > MAX_FILE_BYTES:
            problems.append(ErrorObject(
                "invalid", f"{name}: {len(content) / 1048576:.1f} MB, over Qonto's 5 MB "
                "per file", pointer=pointer))
        if sniff_file_type(content) is None:
            problems.append(ErrorObject("invalid", f"{name}: Qonto imports only PDF, JPEG "
                                        "and PNG files", pointer=pointer))
    if sum(len(content) for _, content in files) > MAX_BULK_BYTES:
        problems.append(ErrorObject("invalid", "the files total over Qonto's 15 MB",
                                    pointer="/client_invoices"))
    return problems


def check_bulk_files(files: list[tuple[str, bytes]]) -> None:
    """:class:`PayloadError` when ``files`` break one of Qonto's bulk-import limits."""
    problems = bulk_problems(files)
    if problems:
        raise PayloadError(problems, model="bulk import")
