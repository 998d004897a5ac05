"""Which encoding a complaint file is in: the one rule of every reader of text files.

The batch readers (``batch/readers``) and the labelled CSVs of training and evaluation
(``model/labelled``) both detect with :func:`detect_encoding`; one piped text (``explain -``,
``letter -``) is read with :func:`decode_text`. Bottom layer: imports only
``errors``.
"""

from __future__ import annotations

import codecs

from .errors import InputFileError

__all__ = ["decode_text", "detect_encoding"]


def detect_encoding(head: bytes, forced: str | None = None) -> str:
    """The encoding of a text file whose first bytes (up to a megabyte) are ``head``.

    ``forced`` (``--encoding``) is checked and used; else a BOM decides, then strict UTF-8
    (a file of mostly UTF-8 lines stays UTF-8: only its other lines are damaged), then Big5
    or GB18030 (which reads GBK and GB2312). An encoding that cannot be read line by line, or
    UTF-16, raises :class:`~classifier.errors.InputFileError`.

    >>> detect_encoding("投诉".encode("gbk") * 20), detect_encoding("投诉".encode("utf-8"))
    ('gb18030', 'utf-8')
    """
    if forced:
        try:
            name = codecs.lookup(forced).name
        except LookupError:
            raise InputFileError(
                f"unknown encoding {forced!r}; try utf-8, utf-8-sig, gb18030 or gbk"
            ) from None
        # lines are split on bytes: an encoding that does not write ASCII (line breaks,
        # delimiters, quotes) as the same single bytes cannot be read line by line
        try:
            encoded = _ASCII_PROBE.encode(name)
            if name == "utf-8-sig":  # its BOM is written once, at the start
                encoded = encoded.removeprefix(codecs.BOM_UTF8)
            ascii_safe = encoded == _ASCII_PROBE.encode("ascii")
        except (UnicodeError, LookupError):
            ascii_safe = False
        if not ascii_safe:
            raise InputFileError(
                f"--encoding {forced} cannot be read line by line (a line break is not one byte); "
                "save the file as UTF-8 (or GB18030) and try again"
            )
        # a codec for something else than text files (idna: host names) cannot decode any bytes,
        # or not with undecodable bytes replaced (which is how damaged lines are kept)
        try:
            _DECODE_PROBE.decode(name, "replace")
            codecs.getincrementaldecoder(name)("replace").decode(_DECODE_PROBE, final=True)
        except (UnicodeError, LookupError, TypeError, ValueError):
            raise InputFileError(
                f"--encoding {forced} is not an encoding of text files; try utf-8, utf-8-sig, gb18030 or gbk"
            ) from None
        return name
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise InputFileError("the file is UTF-16; save it as UTF-8 (or GB18030) and try again")
    # strict UTF-8 first; an incomplete character cut by the sniff window is not an error
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    # A UTF-8 file with a few lines in another encoding (one GBK row pasted in) stays UTF-8, and
    # only those lines get decode_error: decide by the share of non-ASCII lines that are UTF-8.
    lines = [line for line in head.split(b"\n")[:-1] or [head] if not line.isascii()]
    utf8 = sum(_decodes(line, "utf-8") for line in lines)
    if utf8 * 2 >= len(lines):
        return "utf-8"
    if _looks_like_big5(head):
        return "big5"
    try:
        codecs.getincrementaldecoder("gb18030")().decode(head, final=False)
        return "gb18030"
    except UnicodeDecodeError:
        # Mostly-valid files with a few broken rows: pick the encoding with fewer errors and
        # let the broken rows carry decode_error.
        bad_utf8 = head.decode("utf-8", "replace").count("\ufffd")
        bad_gb = head.decode("gb18030", "replace").count("\ufffd")
        return "utf-8" if bad_utf8 <= bad_gb else "gb18030"


_UNICODE_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # (before UTF-16's: it starts with the same two bytes)
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode_text(data: bytes, *, final: bool = True) -> str:
    """One text (not a file of lines) from its bytes: a BOM decides (UTF-8, UTF-16 or UTF-32,
    the BOM dropped), else :func:`detect_encoding`'s rule (UTF-8, Big5 or GB18030); bytes the
    encoding cannot read become U+FFFD. ``final=False``: ``data`` was cut, so a character cut
    at its end is left out.

    >>> decode_text("扣了钱".encode("gbk")), decode_text("扣了钱".encode("utf-16"))
    ('扣了钱', '扣了钱')
    """
    encoding = next((name for bom, name in _UNICODE_BOMS if data.startswith(bom)), None)
    if encoding is None:
        head = data[: 1 << 20]
        encoding = detect_encoding(head)
        # one line of UTF-8 with a damaged byte is still UTF-8 (a file's rule counts lines)
        shown = head.decode("utf-8", "replace")
        bad = shown.count("\ufffd")
        if encoding != "utf-8" and bad * 3 < sum(not c.isascii() for c in shown) - bad:
            encoding = "utf-8"
    return codecs.getincrementaldecoder(encoding)("replace").decode(data, final=final)


_ASCII_PROBE = "\n\r,;\t|\"'=+-@ azAZ09{}[]:"
# a line of text with bytes that are not, in UTF-8 (a lone continuation byte) or most encodings
_DECODE_PROBE = "编号,投诉内容\n1,付款失败\n".encode() + b"\x80\xff\n"


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def _looks_like_big5(head: bytes) -> bool:
    """Whether double-byte text is Big5 (traditional) rather than GBK/GB18030 (simplified).

    Both decode each other's bytes without error, as different characters. GBK text keeps
    nearly every pair in GB2312's common-hanzi block (lead 0xB0–0xF7, trail 0xA1–0xFE); Big5
    text puts about half of its pairs outside it (trail bytes 0x40–0x7E, lead bytes 0xA4–0xAF).
    Punctuation and symbols (lead 0xA1–0xA3 in both) are not counted, so a short GBK file full
    of ，。 is not taken for Big5, and a few words of Big5 (6 characters) are enough.
    """
    sample = head[: 64 << 10]
    pairs = common = 0
    i, n = 0, len(sample) - 1
    while i < n:
        lead = sample[i]
        if lead < 0x80:
            i += 1
            continue
        trail = sample[i + 1]
        if lead >= 0xA4:
            pairs += 1
            common += 0xB0 <= lead <= 0xF7 and 0xA1 <= trail <= 0xFE
        i += 2
    if pairs < 6 or common >= 0.8 * pairs:
        return False
    return _decodes(sample[: sample.rfind(b"\n") + 1] or sample, "big5")
