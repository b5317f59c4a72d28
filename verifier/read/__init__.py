"""Stage 1 — read: a draft (file, bytes, stdin; Markdown, HTML or plain text in any common encoding)
becomes an `ArticleText` (`read_article`, `read_article_bytes`). Bad input raises `InputError` with a
one-line message."""

from verifier.read.reader import InputError, read_article, read_article_bytes

__all__ = ["InputError", "read_article", "read_article_bytes"]
