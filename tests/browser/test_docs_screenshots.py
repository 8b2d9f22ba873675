"""Every screenshot of the user guide is made again from the live demo by docs/make_screenshots.py:
a page the guide shows that no longer answers 200 for its role fails here."""

from __future__ import annotations

import struct

from tests.docs_scripts import make_screenshots


def test_every_page_of_the_guide_answers_and_is_photographed(browser, live_server, tmp_path):
    written = make_screenshots.take(browser, live_server, tmp_path)
    assert [p.name for p in written] == [s.file for s in make_screenshots.SHOTS]
    for path, shot in zip(written, make_screenshots.SHOTS, strict=True):
        header = path.read_bytes()[:24]
        assert header[:8] == b"\x89PNG\r\n\x1a\n"
        assert struct.unpack(">II", header[16:24]) == (shot.width, shot.height)
        assert 3_000 < path.stat().st_size < 150_000, shot.name
