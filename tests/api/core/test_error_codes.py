"""One error vocabulary: every code has a Dutch and an English text, raise sites use known codes, and the
code reaches JSON (code/message/field next to loc/msg/type), the HTML error page and the CLI."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from api.core import error_codes, i18n
from api.core.error_codes import CODES
from api.core.errors import Conflict, InvalidInput, Problem

ROOT = Path(__file__).resolve().parents[3]
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def test_every_code_has_a_dutch_and_an_english_text_with_the_same_parameters():
    assert len(CODES) > 100
    for code, texts in CODES.items():
        assert re.fullmatch(r"[a-z_]+(\.[a-z_0-9]+)*", code), code
        assert isinstance(texts, tuple) and len(texts) == 2, code
        nl, en = texts
        assert nl.strip() and en.strip(), code
        assert set(PLACEHOLDER.findall(nl)) == set(PLACEHOLDER.findall(en)), code


def test_a_dutch_text_means_one_thing_in_english():
    english: dict[str, str] = {}
    for code, (nl, en) in CODES.items():
        assert english.setdefault(nl, en) == en, f"{code}: {nl!r} has two English texts"


def test_the_babel_catalogue_is_written_from_the_codes():
    po = ROOT / "api" / "locale" / "en" / "LC_MESSAGES" / "errors.po"
    assert po.read_text(encoding="utf-8") == error_codes.po_text(), "run: python -m api.core.error_codes > " + str(po)


def test_messages_follow_the_language_through_babel():
    token = i18n.current_language.set("en")
    try:
        assert error_codes.render("storage.four_eyes").startswith("Four-eyes principle")
    finally:
        i18n.current_language.reset(token)
    assert "vier-ogenprincipe" in error_codes.render("storage.four_eyes")
    assert error_codes.render("proposal.already_decided", {"status": error_codes.status_label("confirmed")}) == (
        "Dit voorstel is al bevestigd."
    )


def _raise_codes() -> list[tuple[str, int, str]]:
    """Every string in a ``code=`` argument of a call in api/ (raise sites and their helpers)."""
    found = []
    for path in (ROOT / "api").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                for keyword in node.keywords:
                    if keyword.arg == "code":
                        for const in ast.walk(keyword.value):
                            if isinstance(const, ast.Constant) and isinstance(const.value, str):
                                found.append((str(path.relative_to(ROOT)), node.lineno, const.value))
    return found


def test_every_raise_site_uses_a_known_code():
    sites = _raise_codes()
    assert len(sites) > 80
    unknown = [site for site in sites if site[2] not in CODES]
    assert not unknown, unknown


# Operator-facing errors that may keep a raw (English) text: they are read by whoever runs the app, in a log
# or on a terminal, never by a case worker in a form. Listed by file and error type, each with its reason.
RAW_TEXT_ALLOWED = {
    ("api/core/config.py", "ConfigurationError"): "a wrong ONDERDAK_* setting at start-up, named by its variable",
    ("api/core/database.py", "DatabaseUnavailable"): "the driver's own description of why the database is down",
    ("api/shell/backup.py", "ConfigurationError"): "pg_dump/pg_restore missing on the server running the backup",
}


def _error_types() -> set[str]:
    from api.core import errors

    base = errors.OnderdakError
    return {name for name, value in vars(errors).items() if isinstance(value, type) and issubclass(value, base)}


def _raises_without_code() -> list[tuple[str, int, str]]:
    """Every ``raise SomeOnderdakError(...)`` in api/ that passes no ``code=``."""
    types = _error_types()
    missing = []
    for path in sorted((ROOT / "api").rglob("*.py")):
        relative = str(path.relative_to(ROOT))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call)):
                continue
            func = node.exc.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            if name not in types or (relative, name) in RAW_TEXT_ALLOWED:
                continue
            if not any(keyword.arg == "code" for keyword in node.exc.keywords):
                missing.append((relative, node.lineno, name))
    return missing


def test_every_raise_of_a_domain_error_names_its_code():
    """The vocabulary stays complete: a new raise site needs a code (and a Dutch and English text)."""
    assert {"InvalidInput", "NotFound", "Conflict", "RuleBreach", "Forbidden", "RateLimited"} <= _error_types()
    assert not _raises_without_code(), "give these a code in api/core/error_codes.py"
    for (file, _name), reason in RAW_TEXT_ALLOWED.items():
        assert (ROOT / file).is_file() and reason, file


def test_the_scan_finds_a_raise_without_a_code(tmp_path, monkeypatch):
    api = tmp_path / "api"
    api.mkdir()
    (api / "bad.py").write_text(
        "def f():\n    raise Conflict('raw text', loc=('body',))\n\n"
        "def g():\n    raise errors.NotFound(code='household.not_found')\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    assert _raises_without_code() == [("api/bad.py", 2, "Conflict")]


def test_problem_body_keeps_the_old_fields_and_adds_code_message_field():
    exc = Conflict(code="placement.double_booking", loc=("body", "place_id"))
    (item,) = exc.as_body()["detail"]
    assert item["loc"] == ["body", "place_id"] and item["type"] == "conflict"
    assert "dubbele boeking" in item["msg"] and "double booking" in item["msg"]  # msg: both languages
    assert item["code"] == "placement.double_booking" and item["field"] == "body.place_id"
    assert item["message"] == "Deze plaats is in die periode al bezet (dubbele boeking geweigerd)."
    legacy = InvalidInput("iets klopt niet", loc=("x",))  # a site without a code keeps its text
    assert legacy.problems[0].code == "input.invalid" and legacy.problems[0].message == "iets klopt niet"
    assert Problem((), "kapot", "internal", "internal").message.startswith("Er ging iets mis")


def _bad_date_household() -> dict[str, object]:
    return {
        "display_name": "Huishouden Datum",
        "origin_lat": 50.85,
        "origin_lon": 5.7,
        "members": [{"first_name": "A", "birth_date": "01-02-1990"}],
        "eviction": {"announced_date": "2026-11-20", "eviction_date": "2026-12-03", "bailiff_reference": "DW-1"},
    }


def test_a_wrong_date_format_gives_422_with_a_code_and_a_dutch_message_naming_the_field(client, as_role):
    response = client.post("/api/households", json=_bad_date_household(), headers=as_role("case_worker"))
    assert response.status_code == 422
    (item,) = [d for d in response.json()["detail"] if d["loc"][-1] == "birth_date"]
    assert item["loc"] == ["body", "members", 0, "birth_date"] and item["type"].startswith("date")
    assert item["msg"]  # Pydantic's own text stays for API clients
    assert item["code"] == "input.invalid_date"
    assert item["field"] == "body.members.0.birth_date"
    assert item["message"].startswith("Geboortedatum") and "vul een datum in als JJJJ-MM-DD" in item["message"]
    english = client.post("/api/households?lang=en", json=_bad_date_household(), headers=as_role("case_worker"))
    (en_item,) = [d for d in english.json()["detail"] if d["loc"][-1] == "birth_date"]
    assert en_item["code"] == "input.invalid_date"
    assert en_item["message"].startswith("Date of birth") and "YYYY-MM-DD" in en_item["message"]


def test_a_domain_error_in_json_has_code_and_both_languages(client, as_role):
    response = client.get("/api/households/999999999", headers=as_role("case_worker"))
    assert response.status_code == 404
    (item,) = response.json()["detail"]
    assert item["code"] == "household.not_found" and item["message"] == "Huishouden niet gevonden."
    english = client.get("/api/households/999999999", headers={**as_role("case_worker"), "accept-language": "en"})
    assert english.json()["detail"][0]["message"] == "Household not found."


def test_the_html_error_page_shows_the_dutch_message(client, as_role):
    headers = {**as_role("crisis_team"), "accept": "text/html"}
    page = client.get("/matching?date=gisteren", headers=headers)
    assert page.status_code == 422 and page.headers["content-type"].startswith("text/html")
    assert "&#39;gisteren&#39; is geen datum; vul een datum in als JJJJ-MM-DD." in page.text
    typed = client.get("/gastgevers/abc", headers=headers)
    assert typed.status_code == 422 and "Gastgever: vul een heel getal in." in typed.text
    assert "int_parsing" not in typed.text and "Input should be" not in typed.text


@pytest.mark.parametrize("language", ["nl", "en"])
def test_cli_prints_code_and_localised_message_and_exits_2(demo_url, language):
    env = {**os.environ, "ONDERDAK_DATABASE_URL": demo_url, "ONDERDAK_LANG": language}
    result = subprocess.run(
        [sys.executable, "-m", "api", "export-instance", "--municipality", "GM9999"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 2 and "Traceback" not in result.stderr
    (line,) = result.stderr.strip().splitlines()
    expected = {"nl": "Onbekende gemeente 'GM9999'.", "en": "Unknown municipality 'GM9999'."}[language]
    assert line.startswith("onderdak: [municipality.unknown] ") and line.endswith(expected)


def test_friendly_prints_the_code_and_the_dutch_message(capsys):
    import typer

    from api.shell.cli_support import EXIT_USER_ERROR, friendly

    @friendly
    def command() -> None:
        raise Conflict(code="storage.letter_not_due", loc=("path", "kind"), day="01-01-2027")

    with pytest.raises(typer.Exit) as exit_info:
        command()
    assert exit_info.value.exit_code == EXIT_USER_ERROR == 2
    err = capsys.readouterr().err
    assert err == "onderdak: [storage.letter_not_due] path.kind: Deze brief is pas op 01-01-2027 aan de beurt.\n"


def test_friendly_speaks_english_with_onderdak_lang(capsys, monkeypatch):
    import typer

    from api.shell.cli_support import friendly

    monkeypatch.setenv("ONDERDAK_LANG", "en")

    @friendly
    def command() -> None:
        raise Conflict(code="proposal.stale", at="2026-12-03 10:00 UTC")

    with pytest.raises(typer.Exit):
        command()
    assert capsys.readouterr().err.startswith("onderdak: [proposal.stale] This proposal is stale")
