"""Documents in the case file: stored encrypted in the vault, checked on the way in, exported byte
for byte, linked from evidence records, deleted with their bytes."""

from __future__ import annotations

import datetime as dt
import hashlib
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from gk_desktop.errors import InputRejectedError, NotFoundError
from gk_desktop.services import clients, documents
from gk_desktop.storage import models as M
from gk_desktop.storage.stamps import verify_stamps

CANARY = "ZQXDOCCANARY Amira Haddad-Zqx"


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch):
    from gk_desktop import i18n

    monkeypatch.setenv("GK_TODAY", "2026-11-25")
    i18n.set_language("en")  # messages are checked in the source language
    yield
    i18n.set_language("de")


def make_pdf(text: str = CANARY, pages: int = 1) -> bytes:
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pageCompression=0)
    for i in range(pages):
        c.drawString(72, 720, f"{text} {i + 1}")
        c.showPage()
    c.save()
    return buf.getvalue()


def make_png() -> bytes:
    import struct
    import zlib

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * 4 for _ in range(3))

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 3, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64 + b"\xff\xd9"


@pytest.fixture
def code(open_vault) -> str:
    return clients.add_client(open_vault, {"first_name": "Amira", "last_name": "Haddad", "birth_date": "2004-02-29"}).case_code


def _counts(vault) -> tuple[int, int]:
    with vault.session() as s:
        return (s.execute(select(func.count()).select_from(M.Document)).scalar_one(),
                s.execute(select(func.count()).select_from(M.Blob)).scalar_one())


def test_add_list_read_export_round_trip(open_vault, code, tmp_path) -> None:
    pdf = make_pdf()
    added = documents.add_document(open_vault, code, "Zeugnis.pdf", pdf,
                                   {"type": "ZEUGNIS", "title": "Halbjahreszeugnis", "date": "2026-07-01",
                                    "source": "SCHULE_TRAEGER"})
    assert added.sha256 == hashlib.sha256(pdf).hexdigest()
    (row,) = documents.list_documents(open_vault, case_code=code)
    assert (row.id, row.doc_type, row.title, row.date, row.mime, row.size) == (
        added.id, "ZEUGNIS", "Halbjahreszeugnis", dt.date(2026, 7, 1), "application/pdf", len(pdf))
    assert row.case_number == 1
    shown, data = documents.read_document(open_vault, added.id)
    assert data == pdf and shown == row
    target = tmp_path / "out" / "x.pdf"
    target.parent.mkdir()
    documents.export_document(open_vault, added.id, target)
    assert target.read_bytes() == pdf
    assert hashlib.sha256(target.read_bytes()).hexdigest() == added.sha256
    assert [p.name for p in target.parent.iterdir()] == ["x.pdf"]  # no .part left
    with open_vault.session() as s:
        assert verify_stamps(s, M.SYNCED_MODELS) == []
        kinds = [k for (k,) in s.execute(select(M.AuditEvent.kind).where(M.AuditEvent.target_table == "document"))]
    assert kinds == ["create", "view", "export"]


def test_images_are_accepted(open_vault, code) -> None:
    documents.add_document(open_vault, code, "scan.PNG", make_png())
    documents.add_document(open_vault, code, "foto.jpeg", JPEG)
    assert sorted(r.mime for r in documents.list_documents(open_vault, case_code=code)) == ["image/jpeg", "image/png"]


@pytest.mark.parametrize(("name", "data", "needle"), [
    ("scan.png", make_pdf(), "PNG"),                  # a PDF called PNG
    ("brief.pdf", make_png(), "PDF"),                 # a PNG called PDF
    ("foto.jpg", b"GIF89a" + b"\x00" * 40, "JPEG"),  # not an image we take
    ("brief.pdf", make_pdf()[:-40], "PDF"),           # cut off
    ("brief.docx", b"PK\x03\x04" + b"\x00" * 40, "docx"),
    ("leer.pdf", b"", "empty"),
])
def test_mislabelled_or_damaged_files_are_refused(open_vault, code, name, data, needle) -> None:
    with pytest.raises(InputRejectedError) as err:
        documents.add_document(open_vault, code, name, data)
    assert needle in err.value.message and "Nothing was stored" in err.value.message
    assert _counts(open_vault) == (0, 0)


def test_size_limit(open_vault, code) -> None:
    pdf = make_pdf()
    big = pdf[:-6] + b" " * (1024 * 1024) + pdf[-6:]
    with pytest.raises(InputRejectedError) as err:
        documents.add_document(open_vault, code, "gross.pdf", big, max_mb=1)
    assert "at most 1 MB" in err.value.message
    assert _counts(open_vault) == (0, 0)
    documents.add_document(open_vault, code, "gross.pdf", big, max_mb=2)
    assert _counts(open_vault) == (1, 1)


def test_size_is_checked_before_reading_a_file(tmp_path, monkeypatch) -> None:
    path = tmp_path / "gross.pdf"
    with path.open("wb") as f:
        f.truncate(3 * 1024 * 1024)
    monkeypatch.setattr(type(path), "read_bytes", lambda self: pytest.fail("read a file above the limit"))
    with pytest.raises(InputRejectedError):
        documents.read_file_checked(path, 2)


def test_identity_copy_needs_purpose_and_delete_by(open_vault, code) -> None:
    with pytest.raises(InputRejectedError) as err:
        documents.add_document(open_vault, code, "pass.jpg", JPEG, {"type": "PASS_KOPIE"})
    assert "purpose" in err.value.message and "delete_by" in err.value.message
    with pytest.raises(InputRejectedError) as err:
        documents.add_document(open_vault, code, "pass.jpg", JPEG,
                               {"type": "DULDUNG_KOPIE", "purpose": "Vorlage bei der ABH", "delete_by": "2026-11-24"})
    assert "delete_by: lies in the past" in err.value.message
    assert _counts(open_vault) == (0, 0)
    added = documents.add_document(open_vault, code, "pass.jpg", JPEG,
                                   {"type": "DULDUNG_KOPIE", "purpose": "Vorlage bei der ABH", "delete_by": "2027-02-28"})
    # Clearing the purpose later is refused too; changing the type away from a copy frees it.
    with pytest.raises(InputRejectedError):
        documents.update_document(open_vault, added.id, {"purpose": " "})
    documents.update_document(open_vault, added.id, {"type": "SCHREIBEN", "purpose": "", "delete_by": None})
    assert documents.get_document(open_vault, added.id).doc_type == "SCHREIBEN"


def test_bad_fields_are_refused(open_vault, code) -> None:
    with pytest.raises(InputRejectedError) as err:
        documents.add_document(open_vault, code, "a.pdf", make_pdf(),
                               {"type": "FOTO", "date": "2026-02-30", "valid_until": "2025-01-01", "colour": "red"})
    message = err.value.message
    assert "type: unknown value" in message and "date:" in message and "colour: unknown key" in message
    with pytest.raises(InputRejectedError) as err:
        documents.add_document(open_vault, code, "a.pdf", make_pdf(), {"date": "2026-05-01", "valid_until": "2026-04-30"})
    assert "valid_until: lies before date" in err.value.message
    assert _counts(open_vault) == (0, 0)


def test_unknown_client_or_document(open_vault) -> None:
    with pytest.raises(NotFoundError):
        documents.add_document(open_vault, "GK-26-NOPE00", "a.pdf", make_pdf())
    with pytest.raises(NotFoundError):
        documents.read_document(open_vault, "nope")
    assert _counts(open_vault) == (0, 0)


def test_same_file_twice_keeps_one_blob_until_both_are_deleted(open_vault, code) -> None:
    pdf = make_pdf()
    a = documents.add_document(open_vault, code, "a.pdf", pdf)
    b = documents.add_document(open_vault, code, "b.pdf", pdf)
    assert _counts(open_vault) == (2, 1)
    documents.delete_document(open_vault, a.id)
    assert _counts(open_vault) == (1, 1)
    assert documents.read_document(open_vault, b.id)[1] == pdf
    documents.delete_document(open_vault, b.id)
    assert _counts(open_vault) == (0, 0)


def test_records_point_at_a_document_and_lose_the_link_when_it_is_deleted(open_vault, code) -> None:
    doc = documents.add_document(open_vault, code, "b1.pdf", make_pdf(), {"type": "SPRACHZERTIFIKAT"})
    clients.update_client(open_vault, code, {"language_certificates": [
        {"language": "de", "level": "B1", "date": "2026-10-01", "document_id": doc.id}]})
    shown = clients.show_client(open_vault, code)
    assert shown["client"]["language_certificates"][0]["document_id"] == doc.id
    assert [d["id"] for d in shown["documents"]] == [doc.id]
    assert documents.get_document(open_vault, doc.id).used_by == ("language_certificate",)
    assert documents.delete_document(open_vault, doc.id) == 1
    assert clients.show_client(open_vault, code)["client"]["language_certificates"][0]["document_id"] is None


def test_a_record_cannot_point_at_another_clients_document(open_vault, code) -> None:
    other = clients.add_client(open_vault, {"first_name": "Bilal", "last_name": "Omar", "birth_date": "2001-01-01"}).case_code
    doc = documents.add_document(open_vault, other, "x.pdf", make_pdf())
    before = clients.show_client(open_vault, code)
    for ref in (doc.id, "no-such-id"):
        with pytest.raises(InputRejectedError) as err:
            clients.update_client(open_vault, code, {"identity_efforts": [
                {"date": "2026-11-01", "action": "BOTSCHAFTSTERMIN", "document_id": ref}]})
        assert "identity_efforts[0].document_id: no such document of this client" in err.value.message
    assert clients.show_client(open_vault, code) == before


def test_canary_inside_a_pdf_is_absent_in_plaintext_from_every_vault_file(open_vault, code, vault_paths) -> None:
    pdf = make_pdf()
    assert CANARY.encode() in pdf  # the test file really carries it in clear
    documents.add_document(open_vault, code, "canary.pdf", pdf, {"title": "Zqxdoctitle"})
    documents.read_document(open_vault, documents.list_documents(open_vault, case_code=code)[0].id)
    from gk_desktop.storage.backup import create_backup

    create_backup(open_vault)
    files = [p for p in vault_paths.root.rglob("*") if p.is_file()]
    assert any(p.name == "vault.db" for p in files)
    for path in files:
        data = path.read_bytes().lower()
        for needle in (b"zqxdoccanary", b"zqxdoctitle", hashlib.sha256(pdf).hexdigest().encode()):
            assert needle not in data, (path.name, needle)


def test_suggested_name_holds_no_name() -> None:
    assert documents.suggested_name("GK-26-AB12CD", "ZEUGNIS", dt.date(2026, 7, 1), "application/pdf") == \
        "GK-26-AB12CD_ZEUGNIS_2026-07-01.pdf"
    assert documents.suggested_name("GK-26-AB12CD", "PASS_KOPIE", None, "image/jpeg") == "GK-26-AB12CD_PASS_KOPIE.jpg"


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=64), st.sampled_from(["a.pdf", "a.jpg", "a.png", "a.PDF", "a.txt", "a"]))
def test_check_file_accepts_only_what_the_content_is(data: bytes, name: str) -> None:
    """Whatever the bytes, check_file either refuses them or names the type the content has."""
    try:
        mime = documents.check_file(name, data, 1)
    except InputRejectedError:
        return
    assert mime == documents.sniff(data) == documents.MIME_BY_SUFFIX[name[name.rindex("."):].lower()]
