"""Footnotes, which python-docx has no API for: a ``word/footnotes.xml`` part built by hand.

The part holds Word's two separator notes (ids -1 and 0) and one note per citation; the body
refers to a note with ``w:footnoteReference``. Word and LibreOffice number the notes 1, 2, 3 …
in the order the references appear.
"""

from __future__ import annotations

from typing import Any

from docx.document import Document as DocumentObject
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import XmlPart
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn

from assistant.export.ooxml import child, set_attrs

_EMPTY = f"<w:footnotes {nsdecls('w', 'r')}/>"


class Footnotes:
    """Collects notes while the body is written; :meth:`install` adds the part at the end."""

    def __init__(self, text_style: str, ref_style: str) -> None:
        self.text_style, self.ref_style = text_style, ref_style
        self.notes: list[str] = []

    def reference(self, paragraph: Any, note: str) -> None:
        """Append a reference run to ``paragraph`` for a new note saying ``note``."""
        self.notes.append(note)
        run = OxmlElement("w:r")
        set_attrs(child(child(run, "w:rPr"), "w:rStyle"), val=self.ref_style)
        run.append(set_attrs(OxmlElement("w:footnoteReference"), id=len(self.notes)))
        paragraph._p.append(run)

    def _note(self, note_id: int, text: str) -> Any:
        note = set_attrs(OxmlElement("w:footnote"), id=note_id)
        p = OxmlElement("w:p")
        set_attrs(child(child(p, "w:pPr"), "w:pStyle"), val=self.text_style)
        ref = OxmlElement("w:r")
        set_attrs(child(child(ref, "w:rPr"), "w:rStyle"), val=self.ref_style)
        ref.append(OxmlElement("w:footnoteRef"))
        body = OxmlElement("w:r")
        t = OxmlElement("w:t")
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        t.text = " " + text
        body.append(t)
        p.append(ref)
        p.append(body)
        note.append(p)
        return note

    @staticmethod
    def _separator(note_id: int, kind: str) -> Any:
        note = set_attrs(OxmlElement("w:footnote"), type=kind, id=note_id)
        p = OxmlElement("w:p")
        set_attrs(child(child(p, "w:pPr"), "w:spacing"), after=0, line=240, lineRule="auto")
        r = OxmlElement("w:r")
        r.append(OxmlElement(f"w:{kind}"))
        p.append(r)
        note.append(p)
        return note

    def install(self, doc: DocumentObject) -> None:
        if not self.notes:
            return
        root = parse_xml(_EMPTY)
        root.append(self._separator(-1, "separator"))
        root.append(self._separator(0, "continuationSeparator"))
        for i, text in enumerate(self.notes, 1):
            root.append(self._note(i, text))
        part = XmlPart(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, root, doc.part.package)
        doc.part.relate_to(part, RT.FOOTNOTES)
        # Word writes the separators' ids into settings too; it opens files without them, but
        # other readers look there for the separator notes.
        settings = doc.settings.element
        pr = OxmlElement("w:footnotePr")
        for note_id in (-1, 0):
            pr.append(set_attrs(OxmlElement("w:footnote"), id=note_id))
        anchor = settings.find(qn("w:compat"))
        if anchor is not None:
            anchor.addprevious(pr)
        else:
            settings.append(pr)
