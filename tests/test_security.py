"""Encrypted and permission-restricted plans, for every standard security handler.

A PDF that opens without a password is read, whatever its permission flags say (as
pdfplumber, Camelot and pdftotext read it) and the output says it was restricted. Only a
PDF with an open password asks for one; a wrong password and an unsupported handler get
messages of their own.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from synth import PlanSpec, make_plan_pdf, random_records

from actionplan import InputError, convert
from actionplan.pipeline.cli import main

HANDLERS = ["RC4-40", "RC4-128", "AES-128", "AES-256-R5", "AES-256"]
NAMES = {"RC4-40": "RC4-40", "RC4-128": "RC4-128", "AES-128": "AES-128", "AES-256-R5": "AES-256 R5",
         "AES-256": "AES-256 R6"}


@pytest.fixture(scope="module")
def plain(tmp_path_factory) -> Path:
    records = random_records(90, 6)
    for r in records:
        r["progress"] = "Underway."
    return make_plan_pdf(tmp_path_factory.mktemp("plain") / "plan.pdf", [PlanSpec("Improvement Plan", records)])


def _encrypt(src: Path, dst: Path, algorithm: str, user: str = "", owner: str = "owner",
             restrict: bool = True) -> Path:
    from pypdf import PdfReader, PdfWriter
    from pypdf.constants import UserAccessPermissions as P

    writer = PdfWriter(clone_from=PdfReader(src))
    allowed = P.PRINT | P.PRINT_TO_REPRESENTATION if restrict else P.all()
    writer.encrypt(user_password=user, owner_password=owner, algorithm=algorithm, permissions_flag=allowed)
    with dst.open("wb") as fh:
        writer.write(fh)
    return dst


def _records(result) -> list[tuple]:
    return [(r["item"], r["action"], r["due"], r["rag"]) for r in result.records]


@pytest.mark.parametrize("algorithm", HANDLERS)
def test_a_restricted_plan_without_an_open_password_is_read_and_says_it_was_restricted(
        algorithm, plain, tmp_path, synth_leads):
    want = convert(plain, leads=synth_leads)
    pdf = _encrypt(plain, tmp_path / "restricted.pdf", algorithm)
    got = convert(pdf, leads=synth_leads)
    assert _records(got) == _records(want) and len(want.records) == 6
    (flag,) = [w for w in got.warnings if w.code == "pdf-restricted"]
    assert NAMES[algorithm] in flag.message and "copying text" in flag.message
    assert not [w for w in want.warnings if w.code == "pdf-restricted"]


def test_an_encrypted_plan_that_restricts_nothing_gets_no_warning(plain, tmp_path, synth_leads):
    pdf = _encrypt(plain, tmp_path / "open.pdf", "AES-256", restrict=False)
    result = convert(pdf, leads=synth_leads)
    assert len(result.records) == 6
    assert not [w for w in result.warnings if w.code == "pdf-restricted"]


@pytest.mark.parametrize("algorithm", HANDLERS)
def test_an_open_password_is_asked_for_checked_and_accepted(algorithm, plain, tmp_path, synth_leads):
    pdf = _encrypt(plain, tmp_path / "locked.pdf", algorithm, user="secret", owner="boss")
    with pytest.raises(InputError, match="needs a password to open"):
        convert(pdf, leads=synth_leads)
    with pytest.raises(InputError, match="password is wrong"):
        convert(pdf, leads=synth_leads, password="guess")
    for password in ("secret", "boss"):  # the user's or the owner's
        assert len(convert(pdf, leads=synth_leads, password=password).records) == 6


def test_an_unsupported_security_handler_is_named_as_such(plain, tmp_path):
    pdf = _encrypt(plain, tmp_path / "odd.pdf", "RC4-128")
    data = pdf.read_bytes()
    assert b"/Standard" in data
    pdf.write_bytes(data.replace(b"/Standard", b"/Vendorxx"))  # same length: offsets stay right
    with pytest.raises(InputError, match="encrypted with a method the reader does not support"):
        convert(pdf)


def test_the_cli_gives_one_line_for_a_missing_password(plain, tmp_path, capsys):
    pdf = _encrypt(plain, tmp_path / "locked.pdf", "AES-256", user="secret")
    assert main(["convert", str(pdf), "-o", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "locked.pdf" in err[0] and "--password" in err[0]
    assert main(["convert", str(pdf), "-o", str(tmp_path / "out"), "--password", "secret"]) == 0
    assert (tmp_path / "out" / "locked.json").is_file()


def _strings_in_the_clear(pdf: Path, dst: Path) -> Path:
    """An AES-128 file as Word and Acrobat write some: its streams encrypted by the crypt
    filter, its strings by /Identity (in the clear). Only the /Encrypt dictionary changes;
    pypdf writes it last before the cross-reference table, so only startxref moves."""
    import re

    data = pdf.read_bytes()
    assert data.count(b"/StrF /StdCF") == 1
    new = data.replace(b"/StrF /StdCF", b"/StrF /Identity")
    m = list(re.finditer(rb"startxref\s+(\d+)", new))[-1]
    dst.write_bytes(new[:m.start(1)] + str(int(m.group(1)) + 3).encode() + new[m.end(1):])
    return dst


def _attachments_only(pdf: Path, dst: Path) -> Path:
    """A file whose attachments alone are encrypted (/StmF and /StrF /Identity, /EFF the crypt
    filter): an incremental update adds the /Encrypt dictionary to a plain file. Readers open
    it with no password; the password (its /U, /O here arbitrary) guards the attachments."""
    import re

    data = pdf.read_bytes()
    root = re.search(rb"/Root\s+(\d+)\s+0\s+R", data).group(1)
    size = int(re.search(rb"/Size\s+(\d+)", data).group(1))
    prev = int(list(re.finditer(rb"startxref\s+(\d+)", data))[-1].group(1))
    body = (b"<< /Filter /Standard /V 4 /R 4 /Length 128 /P -1068 /O <" + b"ab" * 32 + b"> /U <" + b"cd" * 32
            + b"> /CF << /StdCF << /CFM /AESV2 /AuthEvent /EFOpen /Length 16 >> >> /StmF /Identity"
            b" /StrF /Identity /EFF /StdCF >>")
    out = bytearray(data if data.endswith(b"\n") else data + b"\n")
    at = len(out)
    out += b"%d 0 obj\n" % size + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n%d 1\n%010d 00000 n \n" % (size, at)
    out += (b"trailer\n<< /Size %d /Root %s 0 R /Prev %d /Encrypt %d 0 R /ID [<" % (size + 1, root, prev, size)
            + b"00" * 16 + b"><" + b"00" * 16 + b">] >>\nstartxref\n%d\n%%%%EOF\n" % xref)
    dst.write_bytes(bytes(out))
    return dst


def test_a_file_with_only_its_attachments_encrypted_opens_without_a_password(plain, tmp_path, synth_leads):
    pdf = _attachments_only(plain, tmp_path / "attachments.pdf")
    got = convert(pdf, leads=synth_leads)
    assert _records(got) == _records(convert(plain, leads=synth_leads)) and len(got.records) == 6


def test_aes_with_strings_in_the_clear_opens_with_its_password(plain, tmp_path, synth_leads):
    pdf = _strings_in_the_clear(_encrypt(plain, tmp_path / "locked.pdf", "AES-128", user="secret"),
                                tmp_path / "mixed.pdf")
    with pytest.raises(InputError, match="needs a password to open"):
        convert(pdf, leads=synth_leads)
    got = convert(pdf, leads=synth_leads, password="secret")
    assert _records(got) == _records(convert(plain, leads=synth_leads))
